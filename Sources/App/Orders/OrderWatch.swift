import Foundation
import ServiceLifecycle

/// Wakes long-polling buyers when their order changes, or at once when the server shuts down.
/// A waiter registers before it reads the order, so a change between the read and the wait is
/// never missed.
actor OrderWatch {
    private struct Waiter {
        var fired = false
        var continuation: CheckedContinuation<Void, Never>?
    }

    private var waiters: [String: [UUID: Waiter]] = [:]

    /// Starts watching `orderId`; pass the token to `wait`.
    func register(_ orderId: String) -> UUID {
        let token = UUID()
        waiters[orderId, default: [:]][token] = Waiter()
        return token
    }

    /// Returns when the order changed since `register`, after `timeout`, or when a graceful
    /// shutdown begins (so that the server can stop without waiting out every long-poll).
    func wait(_ orderId: String, token: UUID, timeout: Duration) async {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.suspend(orderId, token) }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    await self.fire(orderId, token)
                }
                await group.next()
                group.cancelAll()
                await self.fire(orderId, token)
            }
        } onGracefulShutdown: {
            Task { await self.fire(orderId, token) }
        }
        unregister(orderId, token: token)
    }

    /// Stops watching without waiting.
    func unregister(_ orderId: String, token: UUID) {
        waiters[orderId]?[token] = nil
        if waiters[orderId]?.isEmpty == true { waiters[orderId] = nil }
    }

    /// Wakes everyone watching these orders.
    func notify(_ orderIds: [String]) {
        for orderId in orderIds {
            for token in Array((waiters[orderId] ?? [:]).keys) { fire(orderId, token) }
        }
    }

    private func suspend(_ orderId: String, _ token: UUID) async {
        await withCheckedContinuation { continuation in
            if waiters[orderId]?[token]?.fired ?? true {
                continuation.resume()
            } else {
                waiters[orderId]?[token]?.continuation = continuation
            }
        }
    }

    private func fire(_ orderId: String, _ token: UUID) {
        guard var waiter = waiters[orderId]?[token], !waiter.fired else { return }
        waiter.fired = true
        waiter.continuation?.resume()
        waiter.continuation = nil
        waiters[orderId]?[token] = waiter
    }
}
