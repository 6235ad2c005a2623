import Testing

@testable import App

@Suite("The outbox bell")
struct OutboxBellTests {
    @Test(
        "a ring wakes a waiting worker at once, and a ring while nobody waits is kept for the next wait",
        .timeLimit(.minutes(1)))
    func rings() async {
        let bell = OutboxBell()
        bell.ring()
        // Kept: this returns at once instead of after an hour.
        await bell.wait(upTo: .seconds(3600))
        let waiter = Task { await bell.wait(upTo: .seconds(3600)) }
        // However the waiter and the ring interleave, the wait ends.
        bell.ring()
        await waiter.value
    }

    @Test("a wait ends when its time is up, and when its task is cancelled", .timeLimit(.minutes(1)))
    func endsWithoutARing() async {
        let bell = OutboxBell()
        await bell.wait(upTo: .milliseconds(1))
        let waiter = Task { await bell.wait(upTo: .seconds(3600)) }
        waiter.cancel()
        await waiter.value
    }
}
