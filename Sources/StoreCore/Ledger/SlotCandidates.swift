import Foundation

/// The (channel, amount) pairs a purchase may take, and the choice among them (SPEC 10): fixed
/// codes before generic ones, online channels before offline ones (offline never, when the
/// policy requires an online listener); within the best class the list price first
/// (`onConflict`), otherwise a uniformly random pair. Pure: the allocator feeds it what the
/// database holds.
struct SlotCandidates {
    /// One channel that may take new orders.
    struct ChannelState {
        var id: Int64
        var online: Bool
        /// Amounts with an enabled fixed code of the type.
        var fixed: Set<Int>
        /// Whether it has an enabled generic code of the type.
        var generic: Bool
    }

    /// A chosen slot.
    struct Choice: Equatable {
        var channelId: Int64
        var amountFen: Int
        var generic: Bool
    }

    /// What a purchase gets.
    enum Outcome: Equatable {
        case take(Choice)
        /// Nothing can ever serve these amounts: no code was uploaded.
        case notStocked
        /// Every usable pair is held; the earliest frees at this time (text, as stored).
        case busy(soonest: String?)
        /// Only offline channels could serve, and the policy requires an online one.
        case noOnlineListener
    }

    let channels: [ChannelState]
    /// Slots held now: channel → amount → release time.
    let held: [Int64: [Int: String]]

    /// The choice for list price `price` among `amounts` (down to P − max, or for merchant orders
    /// with `gateway.amountDirection = up`, up to P + max).
    func choose(
        price: Int, amounts: ClosedRange<Int>, mode: DiscountMode, requireOnline: Bool, randomIndex: (Int) -> Int
    ) -> Outcome {
        // Classes in order of preference: online fixed, online generic, offline fixed, offline generic.
        var classes: [[Choice]] = [[], [], [], []]
        var usable = 0, usableOnline = 0
        var soonest: String?
        for channel in channels {
            for amount in amounts {
                let fixed = channel.fixed.contains(amount)
                // A generic code never takes the list price: a buyer typing it by habit would pay
                // someone else's order.
                guard fixed || (channel.generic && amount != price) else { continue }
                usable += 1
                if channel.online { usableOnline += 1 }
                if let release = held[channel.id]?[amount] {
                    if channel.online || !requireOnline { soonest = min(soonest ?? release, release) }
                    continue
                }
                classes[(channel.online ? 0 : 2) + (fixed ? 0 : 1)].append(
                    Choice(channelId: channel.id, amountFen: amount, generic: !fixed))
            }
        }
        guard usable > 0 else { return .notStocked }
        if requireOnline, usableOnline == 0 { return .noOnlineListener }
        let allowed = requireOnline ? classes.prefix(2) : classes.prefix(4)
        guard let best = allowed.first(where: { !$0.isEmpty }) else { return .busy(soonest: soonest) }
        if mode == .onConflict {
            let atPrice = best.filter { $0.amountFen == price }
            if !atPrice.isEmpty { return .take(atPrice[randomIndex(atPrice.count)]) }
        }
        return .take(best[randomIndex(best.count)])
    }
}
