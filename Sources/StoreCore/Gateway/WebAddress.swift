public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An `http` or `https` address with a host and no fragment (parameters are appended to it), as
/// merchants' notify and return URLs must be.
public struct WebAddress: Sendable, Equatable {
    /// The host in lower case, without the brackets of an IPv6 literal.
    public let host: String
    /// The host as written.
    public let writtenHost: String
    public let port: Int?
    public let isHTTPS: Bool

    /// The longest notify or return URL a merchant may give (the signed parameters come on top).
    public static let maxGivenLength = 1024

    public init?(_ text: String) {
        guard !text.contains(where: { $0.isWhitespace }), let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            components.user == nil, components.password == nil, components.fragment == nil,
            let written = components.host, !written.isEmpty
        else { return nil }
        let host = written.lowercased()
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        writtenHost = written
        port = components.port
        isHTTPS = scheme == "https"
    }

    /// A URL a merchant gives: a web address of at most `maxGivenLength` bytes.
    public static func given(_ text: String) -> WebAddress? {
        text.utf8.count <= maxGivenLength ? WebAddress(text) : nil
    }
}

/// Whether an IP address is one a merchant's notification must not reach (SPEC 11.5): loopback,
/// private, link-local, unique-local, unspecified; IPv4 inside IPv6 is judged as IPv4.
public enum PrivateAddress {
    /// True for such an address; false for a public one; nil when `text` is not an IP address.
    public static func isPrivate(_ text: String) -> Bool? {
        if let v4 = ipv4(text) { return isPrivate(v4: v4) }
        guard let v6 = ipv6(text) else { return nil }
        // ::ffff:a.b.c.d and the deprecated ::a.b.c.d carry an IPv4 address.
        if v6[0..<10].allSatisfy({ $0 == 0 }), (v6[10] == 0xFF && v6[11] == 0xFF) || (v6[10] == 0 && v6[11] == 0) {
            let v4 = Array(v6[12..<16])
            if v6[10] == 0xFF || v4 != [0, 0, 0, 1] && v4 != [0, 0, 0, 0] { return isPrivate(v4: v4) }
        }
        if v6.allSatisfy({ $0 == 0 }) { return true }  // ::
        if v6[0..<15].allSatisfy({ $0 == 0 }) && v6[15] == 1 { return true }  // ::1
        if v6[0] & 0xFE == 0xFC { return true }  // fc00::/7
        if v6[0] == 0xFE && v6[1] & 0xC0 == 0x80 { return true }  // fe80::/10
        return false
    }

    static func isPrivate(v4 bytes: [UInt8]) -> Bool {
        switch (bytes[0], bytes[1]) {
        case (0, _), (127, _), (10, _): true
        case (172, 16...31), (192, 168), (169, 254): true
        // 100.64/10 (carrier NAT) and 255.255.255.255 are never a shop's server either.
        case (100, 64...127), (255, 255): true
        default: false
        }
    }

    static func ipv4(_ text: String) -> [UInt8]? {
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    static func ipv6(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        // A zone (fe80::1%eth0) is link-local whatever it names.
        let bare = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        guard inet_pton(AF_INET6, bare, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}
