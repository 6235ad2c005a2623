import Synchronization

/// Wakes the outbox worker when a message was queued (a merchant order paid), so that it is
/// delivered at once instead of at the worker's next look. One waiter: the worker.
final class OutboxBell: Sendable {
    private struct State {
        /// Rung while nobody waited: the next wait returns at once.
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
        /// Each wait's number, so that a late timer never ends a later wait.
        var generation = 0
        var expired = 0
    }

    private let state = Mutex(State())

    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next ring (at once when it rang since the last wait), after `duration`, or
    /// when the task is cancelled.
    func wait(upTo duration: Duration) async {
        let generation: Int? = state.withLock { state in
            guard !state.rung else {
                state.rung = false
                return nil
            }
            state.generation += 1
            return state.generation
        }
        guard let generation else { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: duration)
            self?.expire(generation)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    guard !state.rung, state.expired < generation, !Task.isCancelled else {
                        state.rung = false
                        return true
                    }
                    precondition(state.waiter == nil, "the outbox bell has one waiter, the worker")
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            self.expire(generation)
        }
        timer.cancel()
    }

    private func expire(_ generation: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.expired = max(state.expired, generation)
            guard state.generation == generation, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}
