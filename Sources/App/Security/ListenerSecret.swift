import Synchronization

/// The listener secret in use; the seller may regenerate it while the server runs.
final class ListenerSecret: Sendable {
    private let current: Mutex<String>
    /// True when the configuration sets it, which regenerating cannot override.
    let isConfigured: Bool

    init(_ secret: String, isConfigured: Bool) {
        current = Mutex(secret)
        self.isConfigured = isConfigured
    }

    var value: String { current.withLock { $0 } }

    func replace(with secret: String) {
        current.withLock { $0 = secret }
    }
}
