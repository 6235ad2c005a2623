public import Foundation
public import GRDB

/// Shop software that uses the store as its payment gateway (SPEC 11.1), through the V免签 or the
/// 易支付 wire format. It signs its requests with its key; the store signs what it sends back.
public struct Merchant: Codable, Sendable, Equatable {
    /// The merchant number of 易支付 clients, from 1001.
    public var pid: Int64
    public var name: String
    public var key: String
    /// A disabled merchant creates no orders; its paid orders are still notified.
    public var enabled: Bool
    /// Used when an order names no notify URL of its own.
    public var notifyUrl: String?
    /// Used when an order names no return URL of its own.
    public var returnUrl: String?
    /// The only hosts its notify URLs may name (V免签's `notifyUrl` is not signed); empty: any.
    public var notifyHosts: [String]
    public var createdAt: Date

    /// The first merchant's number.
    public static let firstPid: Int64 = 1001
    /// The shortest key a seller may choose.
    public static let minimumKeyLength = 16
    /// The longest name, in characters.
    public static let maxNameLength = 60
}

extension Merchant: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "merchant"
}

/// Which peer's wire format a merchant order came in.
public enum GatewayProtocol: String, Codable, Sendable, DatabaseValueConvertible {
    /// The V免签 merchant API.
    case vmq
    /// The 易支付 V1 (MD5) API.
    case epay
}

/// Why a merchant change was refused.
public enum MerchantError: Error, Equatable, CustomStringConvertible {
    case notFound
    case badName
    /// Shorter than `Merchant.minimumKeyLength`, or with other than printable ASCII.
    case keyTooShort
    /// Another merchant has it.
    case keyTaken
    /// Not an `http` or `https` address.
    case badURL(String)
    /// A notify host that is not a host name.
    case badHost(String)

    public var description: String {
        switch self {
        case .notFound: "There is no such merchant."
        case .badName: "A merchant's name has 1 to \(Merchant.maxNameLength) characters."
        case .keyTooShort: "A key has at least \(Merchant.minimumKeyLength) printable ASCII characters, without spaces."
        case .keyTaken: "Another merchant has this key."
        case .badURL(let url): "Not an http or https address: \(url)"
        case .badHost(let host): "Not a host name: \(host)"
        }
    }
}
