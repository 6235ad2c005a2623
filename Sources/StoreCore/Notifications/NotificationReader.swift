import Foundation

/// Reads a forwarded wallet notification (SPEC 15): the wallet from the sending app's package (or,
/// when the template sent none, from the exact title), the amount by a `NotificationRule` of that
/// wallet whose title it came under. Anything not read with certainty is unread, with the reason,
/// for the seller: no amount, more than one amount that could be the payment (a daily total
/// beside it), another app or an SMS, or no way to tell the wallet.
public enum NotificationReader {
    /// What a notification says.
    public enum Reading: Equatable, Sendable {
        case payment(type: PayType, amount: Money, rawAmount: String)
        case unread(ListenerNotification.Reason)
    }

    /// Reads the notification from app `app` (a package name, or "" when the template sent
    /// none) with `title` and `text` (the notification's own text, one message).
    public static func read(
        app: String, title: String, text: String, rules: [NotificationRule] = NotificationRule.all
    ) -> Reading {
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let wallet: PayType
        if let known = NotificationRule.walletApps[app] {
            wallet = known
        } else if !app.isEmpty {
            // Another app, or an SMS sender: not a wallet's word, whatever its text says.
            return .unread(.notAWallet)
        } else if let named = Set(rules.filter { $0.titles.contains(title) }.map(\.wallet)).first {
            wallet = named
        } else {
            return .unread(.noWallet)
        }
        var found: [Int: String] = [:]
        for rule in rules where rule.wallet == wallet && rule.titles.contains(title) {
            guard let regex = try? Regex(rule.pattern), let match = text.prefixMatch(of: regex),
                let group = match.output[1].substring, let amount = Money(parsing: String(group)), amount.fen > 0
            else { continue }
            found[amount.fen] = String(group)
        }
        guard let (fen, raw) = found.first.map({ ($0.key, $0.value) }) else { return .unread(.noAmount) }
        guard found.count == 1, amounts(in: title + "\n" + text).isSubset(of: [fen]) else {
            return .unread(.severalAmounts)
        }
        return .payment(type: wallet, amount: Money(fen: fen), rawAmount: raw)
    }

    /// Every amount of money the text mentions, on one line: digits before 元, or after ¥ / ￥.
    static func amounts(in text: String) -> Set<Int> {
        var amounts: Set<Int> = []
        for match in text.matches(of: #/(\d[\d,]*(?:\.\d+)?)[ \t]*元|[¥￥][ \t]*(\d[\d,]*(?:\.\d+)?)/#) {
            guard let digits = match.output.1 ?? match.output.2 else { continue }
            // An amount that does not parse (1,000.00) still counts: it stands beside the payment.
            let fen = Money(parsing: String(digits))?.fen ?? -1
            if fen != 0 { amounts.insert(fen) }
        }
        return amounts
    }

    /// The app, title and text of a request as SmsForwarder sends it: a template's `title` (which
    /// the app fills with "title#####scheme" for some notifications) and `content`; or, without a
    /// template, its default text for an app notification, line by line: the package, the text,
    /// the title, then the UID, the time and the device.
    public static func parts(from app: String, title: String?, content: String) -> (title: String, text: String) {
        if let title {
            let bare = title.components(separatedBy: "#####").first ?? title
            return (bare, content)
        }
        let lines = content.components(separatedBy: "\n")
        if lines.count >= 3, !app.isEmpty, lines[0].trimmingCharacters(in: .whitespaces) == app {
            return (lines[2], lines[1])
        }
        return ("", content)
    }
}
