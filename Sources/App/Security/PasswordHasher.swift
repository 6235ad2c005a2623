import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on NIO's thread pool: a hash takes a noticeable fraction of a second of CPU,
/// which must not stall the tasks serving other requests.
public struct PasswordHasher: Sendable {
    /// bcrypt's cost: 2^cost rounds. 12 in production; tests use less.
    public var cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// The shortest password accepted for a seller account.
    public static let minimumLength = 8
}
