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
    /// How host names are looked up: getaddrinfo outside tests.
    var resolve: @Sendable (String) async throws -> [String] = NotifyAddressPolicy.systemResolve

    /// Why a URL is refused.
    enum Refusal: Error, Equatable {
        case notWebAddress
        case hostNotAllowed(String)
        case privateAddress(String)
        case unresolvable(String)
    }

    /// Where a delivery may connect: `address` is the vetted IP the host resolved to, which the
    /// connection must use (a second lookup could answer otherwise); nil when the URL names an
    /// IP address itself, or private addresses are allowed.
    struct Destination: Equatable {
        let host: String
        let writtenHost: String
        let address: String?
    }

    /// Checks `url` for `merchant` when an order is made: a host that does not resolve now is
    /// accepted (its delivery is checked again, and retried).
    func check(_ url: String, for merchant: Merchant) async throws(Refusal) {
        guard let address = WebAddress.given(url) else { throw .notWebAddress }
        if !merchant.notifyHosts.isEmpty, !merchant.notifyHosts.contains(address.host) {
            throw .hostNotAllowed(address.host)
        }
        _ = try await vet(address, refuseUnresolvable: false)
    }

    /// Checks `url` again just before a delivery: every address it resolves to must be public,
    /// and the delivery connects to one of those.
    func checkBeforeDelivery(_ url: String) async throws(Refusal) -> Destination {
        guard let address = WebAddress(url) else { throw .notWebAddress }
        return try await vet(address, refuseUnresolvable: true)
    }

    private func vet(_ address: WebAddress, refuseUnresolvable: Bool) async throws(Refusal) -> Destination {
        let unpinned = Destination(host: address.host, writtenHost: address.writtenHost, address: nil)
        guard !allowPrivate else { return unpinned }
        if let isPrivate = PrivateAddress.isPrivate(address.host) {
            if isPrivate { throw .privateAddress(address.host) }
            return unpinned
        }
        if address.host == "localhost" || address.host.hasSuffix(".localhost") {
            throw .privateAddress(address.host)
        }
        let resolved = (try? await resolve(address.host)) ?? []
        if let bad = resolved.first(where: { PrivateAddress.isPrivate($0) != false }) {
            throw .privateAddress("\(address.host) (\(bad))")
        }
        guard let first = resolved.first else {
            if refuseUnresolvable { throw .unresolvable(address.host) }
            return unpinned
        }
        return Destination(host: address.host, writtenHost: address.writtenHost, address: first)
    }

    /// The addresses `host` resolves to, looked up on a thread of its own (getaddrinfo blocks).
    static func systemResolve(_ host: String) async throws -> [String] {
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
