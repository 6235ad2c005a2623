import Foundation

/// The unit that per-address limits count: an IPv4 address, or an IPv6 /64 (one subscriber's
/// network: a phone or a home router hands out many addresses inside it). An IPv4 address
/// mapped into IPv6 counts as IPv4.
enum AddressKey {
    static func of(_ address: String) -> String {
        guard let bytes = TrustedProxies.bytes(of: address) else { return address }
        if bytes.count == 4 { return address }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 8, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
        }
        return groups.joined(separator: ":") + "::/64"
    }
}
