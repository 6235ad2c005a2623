import StoreCore
import Synchronization

/// The one-time token of the first-start set-up link (`/admin/setup?token=…`), printed by
/// `qrstore serve` while no seller account exists: whoever can read the server's output picks the
/// first seller's name and password in the browser. It is used up by that, and by nothing else.
public final class SetupToken: Sendable {
    private let token: Mutex<String?>

    /// A new random token, or none (`nil`) when a seller account exists.
    public init(_ token: String?) {
        self.token = Mutex(token)
    }

    /// A new random token of 42 characters.
    public static func make() -> SetupToken { SetupToken(Nanoid.make() + Nanoid.make()) }

    /// The token, while it is unused.
    public var value: String? { token.withLock { $0 } }

    /// Whether `sent` is the unused token, in constant time.
    func matches(_ sent: String) -> Bool {
        token.withLock { current in current.map { ConstantTime.equals(sent, $0) } ?? false }
    }

    /// Uses the token up: true only for the first caller with the right token.
    func consume(_ sent: String) -> Bool {
        token.withLock { current in
            guard let token = current, ConstantTime.equals(sent, token) else { return false }
            current = nil
            return true
        }
    }
}
