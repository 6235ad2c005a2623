import Foundation
import StoreCore

extension AppServices {
    /// The rule for merchants' notify URLs in force.
    var notifyPolicy: NotifyAddressPolicy {
        NotifyAddressPolicy(allowPrivate: configuration.gatewayAllowPrivateNotifyUrls)
    }

    /// A new order for a verified merchant request, or its waiting order with that number.
    func createGatewayOrder(_ request: MerchantOrderRequest) async throws -> GatewayOrder {
        try await allocator.createMerchantOrder(request, direction: configuration.gatewayAmountDirection)
    }

    /// The store's pay page of an order, absolute (shop software hands it to its buyer).
    func payPageURL(of order: Order) -> String {
        configuration.publicURL + "/pay/\(order.id)"
    }

    /// The buyer's way back to the merchant once the order is paid: its return URL with the
    /// signed parameters; nil while unpaid or without a return URL.
    func returnURL(of gatewayOrder: GatewayOrder) async throws -> String? {
        guard gatewayOrder.order.status == .paid, let returnUrl = gatewayOrder.merchantOrder.returnUrl,
            let merchant = try await database.merchant(pid: gatewayOrder.merchantOrder.pid)
        else { return nil }
        return MerchantCallback(
            merchantOrder: gatewayOrder.merchantOrder, amount: gatewayOrder.order.amount, key: merchant.key
        ).appended(to: returnUrl)
    }

    /// What a merchant order's pay page shows: what the buyer pays for (the subject, else the
    /// shop's or the merchant's name), and the signed way back once paid.
    struct MerchantPayInfo {
        let subject: String
        let returnUrl: String?
    }

    /// The merchant side of `order`; nil when it is not a merchant's.
    func merchantPayInfo(of order: Order) async throws -> MerchantPayInfo? {
        guard let merchantOrder = try await database.merchantOrder(orderId: order.id) else { return nil }
        let gatewayOrder = GatewayOrder(order: order, merchantOrder: merchantOrder)
        var subject = merchantOrder.name.isEmpty ? merchantOrder.siteName ?? "" : merchantOrder.name
        if subject.isEmpty { subject = try await database.merchant(pid: merchantOrder.pid)?.name ?? "" }
        return MerchantPayInfo(subject: subject, returnUrl: try await returnURL(of: gatewayOrder))
    }

    /// V免签's `state`: 0 waiting, 1 paid and notified, 2 paid but the notification not (yet)
    /// delivered, -1 expired or closed.
    func vmqState(of gatewayOrder: GatewayOrder) async throws -> Int {
        switch gatewayOrder.order.status(at: clock.now()) {
        case .pending: return 0
        case .expired, .closed: return -1
        case .paid:
            let state = try await database.notificationState(orderId: gatewayOrder.order.id)
            return state == nil || state == .sent ? 1 : 2
        }
    }

    /// The merchant whose key makes `expected` equal `sent`, each compared in constant time;
    /// only enabled merchants when `enabledOnly`.
    func merchant(signing sent: String, enabledOnly: Bool, _ expected: (String) -> String) async throws -> Merchant? {
        var found: Merchant?
        // Every key is tried, found or not, so the time does not tell which merchant matched.
        for merchant in try await database.merchants() where merchant.enabled || !enabledOnly {
            if ConstantTime.equals(sent.lowercased(), expected(merchant.key)) { found = found ?? merchant }
        }
        return found
    }

    /// Counts a bad merchant signature (or a lookup of an unknown order) from the request's
    /// address; past the limit, the seconds it must wait (its requests are then refused before
    /// any work).
    func countBadGatewaySignature(_ context: AppRequestContext) async -> Int? {
        let address = context.clientAddress
        if let wait = await gatewayThrottle.retryAfter(for: address) { return wait }
        await gatewayThrottle.recordFailure(for: address)
        context.logger.warning("gateway: bad signature from \(address)")
        return nil
    }
}
