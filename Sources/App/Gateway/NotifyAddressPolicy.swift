import Foundation
import NIOPosix
import StoreCore

#if canImport(Glibc)
    import Glibc
#endif

/// Which notify URLs a merchant's orders may name (SPEC 11.5): `http` or `https`; with the
/// merchant's `notifyHosts`, only those hosts; and never a host that resolves to a loopback,
/// private or link-local address (unless `gateway.allowPrivateNotifyUrls`), checked when the
/// order is made and again before every delivery.
struct NotifyAddressPolicy: Sendable {
    let allowPrivate: Bool

    /// Why a URL is refused.
    enum Refusal: Error, Equatable {
        case notWebAddress
        case hostNotAllowed(String)
        case privateAddress(String)
    }

    /// Checks `url` for `merchant` when an order is made: a host that does not resolve now is
    /// accepted (its delivery is checked again, and retried).
    func check(_ url: String, for merchant: Merchant) async throws(Refusal) {
        guard let address = WebAddress(url) else { throw .notWebAddress }
        if !merchant.notifyHosts.isEmpty, !merchant.notifyHosts.contains(address.host) {
            throw .hostNotAllowed(address.host)
        }
        try await checkResolved(address, unresolvable: false)
    }

    /// Checks `url` again just before a delivery: every address it resolves to must be public.
    func checkBeforeDelivery(_ url: String) async throws(Refusal) {
        guard let address = WebAddress(url) else { throw .notWebAddress }
        try await checkResolved(address, unresolvable: true)
    }

    private func checkResolved(_ address: WebAddress, unresolvable refuse: Bool) async throws(Refusal) {
        guard !allowPrivate else { return }
        if let isPrivate = PrivateAddress.isPrivate(address.host) {
            if isPrivate { throw .privateAddress(address.host) }
            return
        }
        if address.host == "localhost" || address.host.hasSuffix(".localhost") {
            throw .privateAddress(address.host)
        }
        let resolved = (try? await Self.resolve(address.host)) ?? []
        if resolved.isEmpty, refuse { throw .privateAddress(address.host) }
        if let bad = resolved.first(where: { PrivateAddress.isPrivate($0) != false }) {
            throw .privateAddress("\(address.host) (\(bad))")
        }
    }

    /// The addresses `host` resolves to, looked up on a thread of its own (getaddrinfo blocks).
    static func resolve(_ host: String) async throws -> [String] {
        try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
            defer { freeaddrinfo(first) }
            var addresses: [String] = []
            var entry: UnsafeMutablePointer<addrinfo>? = first
            while let current = entry {
                var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                if getnameinfo(
                    current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0,
                    NI_NUMERICHOST) == 0
                {
                    addresses.append(String(cString: buffer))
                }
                entry = current.pointee.ai_next
            }
            return addresses
        }
    }
}
