public import Foundation

/// A plain-text message in UTF-8, ready for SMTP's DATA.
public struct MailMessage: Sendable, Equatable {
    /// The sender's address, as `mail.from` gives it: `shop@example.com` or `Shop <shop@example.com>`.
    public var from: String
    /// The one recipient's bare address.
    public var to: String
    public var subject: String
    public var body: String
    public var date: Date
    /// The globally unique id, without the angle brackets.
    public var messageID: String

    public init(from: String, to: String, subject: String, body: String, date: Date, messageID: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID
    }

    /// The bare address of `from`.
    public var senderAddress: String { Self.bareAddress(of: from) }

    /// What is inside the angle brackets of `mailbox` (`小店 <shop@example.com>`), or all of it.
    public static func bareAddress(of mailbox: String) -> String {
        guard let open = mailbox.lastIndex(of: "<"), let close = mailbox.lastIndex(of: ">"), open < close else {
            return mailbox.trimmingCharacters(in: .whitespaces)
        }
        return String(mailbox[mailbox.index(after: open)..<close])
    }

    /// Whether `address` can go into a header and an SMTP command as it is: one `@` between a
    /// local part and a domain, no spaces, controls or angle brackets, at most 254 characters.
    public static func isDeliverable(_ address: String) -> Bool {
        guard address.utf8.count <= 254, address.utf8.count >= 3 else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix(".")
        else { return false }
        return address.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value != 0x7F && !"<>()[],;:\\\"".unicodeScalars.contains(scalar)
        }
    }

    /// The message as SMTP carries it: headers and a base64 body, every line ending in CRLF, so
    /// that no line starts with a dot and no text of the shop's can add a header.
    public var rendered: String {
        var lines = [
            "From: \(Self.headerSafe(from))",
            "To: \(to)",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
        ]
        let encoded = Data(body.utf8).base64EncodedString()
        var start = encoded.startIndex
        while start < encoded.endIndex {
            let end = encoded.index(start, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[start..<end]))
            start = end
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `text` as is when it is printable ASCII, else as RFC 2047 encoded words of at most 75
    /// characters each, cut between characters.
    static func encodedWord(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return text }
        var words: [String] = []
        var chunk = ""
        for character in text where !character.isNewline {
            // 45 bytes of UTF-8 make 60 base64 characters, plus the 12 of the word's frame.
            if chunk.utf8.count + character.utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// A display name with controls removed, encoded when it is not ASCII.
    private static func headerSafe(_ from: String) -> String {
        let cleaned = String(from.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F })
        guard let open = cleaned.lastIndex(of: "<"), open > cleaned.startIndex else { return cleaned }
        let name = cleaned[..<open].trimmingCharacters(in: .whitespaces)
        return "\(encodedWord(name)) \(cleaned[open...])"
    }

    /// `date` as RFC 5322 writes it, in UTC: `Tue, 01 Dec 2026 11:07:51 +0000`.
    static func rfc5322(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute, .second], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(days[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) "
            + "\(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
