import Foundation
import Testing

@testable import Mail

@Suite("Mail messages")
struct MailMessageTests {
    private let message = MailMessage(
        from: "小店 <shop@example.com>", to: "buyer@example.com", subject: "订单已支付：会员 1 个月",
        body: "您的卡密：KEY-1\n.\n订单：https://pay.example.com/pay/abc", date: Date(timeIntervalSince1970: 1_700_000_000),
        messageID: "1.abc@example.com")

    @Test("the rendered message has CRLF lines, encoded words, a base64 body and nothing a text could inject")
    func rendered() throws {
        let rendered = message.rendered
        #expect(rendered.hasSuffix("\r\n"))
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let lines = rendered.components(separatedBy: "\r\n")
        #expect(lines.contains("To: buyer@example.com"))
        #expect(lines.contains("Date: Tue, 14 Nov 2023 22:13:20 +0000"))
        #expect(lines.contains("Message-ID: <1.abc@example.com>"))
        #expect(lines.contains { $0.hasPrefix("From: =?UTF-8?B?") && $0.hasSuffix(" <shop@example.com>") })
        let subject = try #require(lines.first { $0.hasPrefix("Subject: ") })
        #expect(subject.hasPrefix("Subject: =?UTF-8?B?"))
        // The body decodes back to the text, and no body line is a lone dot.
        let blank = try #require(lines.firstIndex(of: ""))
        let body = lines[(blank + 1)...].joined()
        #expect(String(data: try #require(Data(base64Encoded: body)), encoding: .utf8) == message.body)
        #expect(lines[(blank + 1)...].allSatisfy { $0.count <= 76 && !$0.hasPrefix(".") })
    }

    @Test("a subject with a line break stays one header")
    func subjectCannotAddHeaders() {
        let word = MailMessage.encodedWord("订单\r\nBcc: victim@example.com")
        #expect(!word.contains("Bcc:"))
        #expect(MailMessage.encodedWord("Order paid") == "Order paid")
        let long = MailMessage.encodedWord(String(repeating: "长", count: 40))
        #expect(long.components(separatedBy: "\r\n ").allSatisfy { $0.count <= 75 })
    }

    @Test(
        "only plain addresses are deliverable",
        arguments: [
            ("buyer@example.com", true), ("a.b+c@mail.example.cn", true), ("no-at.example.com", false),
            ("a@b@example.com", false), ("buyer@localhost", false), ("bu yer@example.com", false),
            ("buyer@example.com\r\nRCPT TO:<x@example.com>", false), ("<buyer@example.com>", false),
            ("@example.com", false), ("buyer@.example.com", false),
        ])
    func deliverable(address: String, expected: Bool) {
        #expect(MailMessage.isDeliverable(address) == expected)
    }

    @Test("the sender's bare address comes from inside the brackets")
    func senderAddress() {
        #expect(message.senderAddress == "shop@example.com")
        var bare = message
        bare.from = "shop@example.com"
        #expect(bare.senderAddress == "shop@example.com")
    }
}

@Suite("SMTP client")
struct SMTPClientTests {
    @Test("an address that could break a command is refused before any connection")
    func refusesBadAddresses() async throws {
        // Port 9 (discard) on loopback: were a connection tried, the error would be another one.
        let client = try SMTPClient(settings: SMTPSettings(host: "127.0.0.1", port: 9, security: .none))
        let message = MailMessage(
            from: "shop@example.com", to: "a@example.com>\r\nRCPT TO:<b@example.com", subject: "s", body: "b",
            date: Date(), messageID: "1@example.com")
        await #expect(throws: MailError.badAddress(message.to)) { try await client.send(message) }
    }
}
