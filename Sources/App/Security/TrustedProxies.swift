import Foundation

/// The reverse proxies whose `X-Forwarded-For` header is believed (`http.trustedProxies`): single
/// addresses or networks, IPv4 or IPv6 (`127.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`).
public struct TrustedProxies: Sendable, Equatable {
    /// One trusted address or network: its bytes and how many leading bits must match.
    struct Network: Sendable, Equatable {
        let bytes: [UInt8]
        let prefixLength: Int

        /// `address` or `address/prefix`; nil when it is neither.
        init?(_ text: some StringProtocol) {
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let bytes = TrustedProxies.bytes(of: String(parts[0])) else { return nil }
            let maxLength = bytes.count * 8
            if parts.count == 2 {
                guard let length = Int(parts[1]), (0...maxLength).contains(length) else { return nil }
                prefixLength = length
            } else {
                prefixLength = maxLength
            }
            self.bytes = bytes
        }

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var bitsLeft = prefixLength
            for (candidate, own) in zip(address, bytes) where bitsLeft > 0 {
                let mask: UInt8 = bitsLeft >= 8 ? 0xFF : ~(0xFF >> bitsLeft)
                if candidate & mask != own & mask { return false }
                bitsLeft -= 8
            }
            return true
        }
    }

    let networks: [Network]

    /// The entries of a comma-separated list, or the first entry that is not an address or network.
    static func parse(_ list: String) -> Result<TrustedProxies, InvalidEntry> {
        var networks: [Network] = []
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
        where !entry.isEmpty {
            guard let network = Network(entry) else { return .failure(InvalidEntry(entry: entry)) }
            networks.append(network)
        }
        return .success(TrustedProxies(networks: networks))
    }

    /// An entry of `http.trustedProxies` that is neither an address nor a network.
    struct InvalidEntry: Error {
        let entry: String
    }

    public var isEmpty: Bool { networks.isEmpty }

    /// The buyer's address. A connection from a trusted proxy is followed back through
    /// `forwardedFor` (every `X-Forwarded-For` value, nearest hop last): the first address from
    /// the right that is not itself a trusted proxy is the client. Hops further left were written by
    /// the client and are never believed; an unreadable hop stops the walk at the last good one.
    public func clientAddress(peer: String, forwardedFor: [String]) -> String {
        guard let peerBytes = Self.bytes(of: peer), isTrusted(peerBytes) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var client = peer
        for hop in hops.reversed() {
            guard let bytes = Self.bytes(of: hop) else { break }
            client = hop
            if !isTrusted(bytes) { break }
        }
        return client
    }

    private func isTrusted(_ address: [UInt8]) -> Bool { networks.contains { $0.contains(address) } }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address in text, or nil.
    static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
