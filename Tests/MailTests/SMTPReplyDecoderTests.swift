import NIOCore
import NIOEmbedded
import Testing

@testable import Mail

@Suite("SMTP replies")
struct SMTPReplyDecoderTests {
    private func decode(_ chunks: [String], gate: STARTTLSGate = STARTTLSGate()) throws -> [SMTPReply] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder(gate: gate)))
        for chunk in chunks { try channel.writeInbound(ByteBuffer(string: chunk)) }
        var replies: [SMTPReply] = []
        while let reply = try channel.readInbound(as: SMTPReply.self) { replies.append(reply) }
        return replies
    }

    @Test("multi-line replies, split anywhere, become one reply each")
    func multiLine() throws {
        let replies = try decode([
            "220 mail.example.com ESMTP\r\n250-mail.exa", "mple.com\r\n250-STARTTLS\r\n", "250 AUTH PLAIN LOGIN\r\n",
        ])
        #expect(
            replies == [
                SMTPReply(code: 220, lines: ["mail.example.com ESMTP"]),
                SMTPReply(code: 250, lines: ["mail.example.com", "STARTTLS", "AUTH PLAIN LOGIN"]),
            ])
    }

    @Test("a bare code and a bare LF end a reply too")
    func bareForms() throws {
        #expect(try decode(["250\n", "354 go ahead\r\n"]).map(\.code) == [250, 354])
    }

    @Test("what is not SMTP is an error, not a reply", arguments: ["HTTP/1.1 200 OK\r\n", "25 short\r\n", "250?x\r\n"])
    func notSMTP(line: String) {
        #expect(throws: (any Error).self) { try decode([line]) }
    }

    @Test("an endless line is refused before it fills the memory")
    func endlessLine() {
        #expect(throws: (any Error).self) { try decode(["250-" + String(repeating: "x", count: 5000)]) }
    }

    @Test("a reply of endless lines is refused")
    func endlessReply() {
        #expect(throws: (any Error).self) { try decode([String(repeating: "250-x\r\n", count: 200) + "250 x\r\n"]) }
    }

    @Test("after STARTTLS's 220 no plaintext may follow: answers slipped in before TLS are refused")
    func startTLSInjection() throws {
        let gate = STARTTLSGate()
        gate.move(to: .awaitingReady)
        #expect(throws: (any Error).self) { try decode(["220 go ahead\r\n250 forged\r\n"], gate: gate) }

        let later = STARTTLSGate()
        later.move(to: .awaitingReady)
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder(gate: later)))
        try channel.writeInbound(ByteBuffer(string: "220 go ahead\r\n"))
        #expect(later.current == .awaitingTLS)
        #expect(throws: (any Error).self) { try channel.writeInbound(ByteBuffer(string: "250 forged\r\n")) }

        // A refusal of STARTTLS is an ordinary answer, and the connection stays in plain text.
        let refused = STARTTLSGate()
        refused.move(to: .awaitingReady)
        #expect(try decode(["454 TLS not available\r\n"], gate: refused).map(\.code) == [454])
        #expect(refused.current == .plaintext)
    }
}
