import Foundation

/// Reads a forwarded wallet notification (SPEC 15): the wallet from the sending app's package or
/// the title, the amount by `NotificationRule`s. Anything not read with certainty is unread, with
/// the reason, for the seller: no amount, more than one amount that could be the payment (a
/// daily total beside it), an app that is not a wallet, or no way to tell the wallet.
public enum NotificationReader {
    /// What a notification says.
    public enum Reading: Equatable, Sendable {
        case payment(type: PayType, amount: Money, rawAmount: String)
        case unread(ListenerNotification.Reason)
    }

    /// Reads the notification from app `app` (a package name, or "" when the template sent
    /// none) with `title` and `content` (which may be SmsForwarder's multi-line default text).
    public static func read(
        app: String, title: String, content: String, rules: [NotificationRule] = NotificationRule.all
    ) -> Reading {
        let text = title.isEmpty ? content : title + "\n" + content
        let wallet: PayType
        if let known = NotificationRule.walletApps[app] {
            wallet = known
        } else if app.contains(".") {
            // Another app's package: not money, whatever its text says.
            return .unread(.notAWallet)
        } else if let named = walletNamed(in: text) {
            wallet = named
        } else {
            return .unread(.noWallet)
        }
        var found: Set<Int> = [], raw: [Int: String] = [:]
        for rule in rules where rule.wallet == wallet {
            guard let regex = try? Regex(rule.pattern) else { continue }
            for match in text.matches(of: regex) {
                guard let group = match.output[1].substring, let amount = Money(parsing: String(group)),
                    amount.fen > 0
                else { continue }
                found.insert(amount.fen)
                raw[amount.fen] = String(group)
            }
        }
        let everyAmount = amounts(in: text)
        guard let fen = found.first else { return .unread(.noAmount) }
        guard found.count == 1, everyAmount.isSubset(of: found) else { return .unread(.severalAmounts) }
        return .payment(type: wallet, amount: Money(fen: fen), rawAmount: raw[fen] ?? Money(fen: fen).description)
    }

    /// The wallet a title or text names, when exactly one does.
    static func walletNamed(in text: String) -> PayType? {
        let named = Set(NotificationRule.walletTitles.filter { text.contains($0.title) }.map(\.wallet))
        return named.count == 1 ? named.first : nil
    }

    /// Every amount of money the text mentions: digits before 元, or after ¥ / ￥.
    static func amounts(in text: String) -> Set<Int> {
        var amounts: Set<Int> = []
        for match in text.matches(of: #/(\d+(?:\.\d{1,2})?)\s*元|[¥￥]\s*(\d+(?:\.\d{1,2})?)/#) {
            if let digits = match.output.1 ?? match.output.2, let money = Money(parsing: String(digits)) {
                amounts.insert(money.fen)
            }
        }
        return amounts
    }
}
