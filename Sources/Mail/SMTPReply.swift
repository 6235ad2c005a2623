import NIOConcurrencyHelpers
import NIOCore

/// One answer of an SMTP server: its code and the text of each of its lines.
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    /// The text, lines joined, for attempts' records.
    var text: String { lines.joined(separator: " ") }
}

/// Where a connection is on its way to TLS after STARTTLS, shared by the client and the decoder:
/// between the server's `220` and the TLS handshake no plaintext byte may come, or an attacker
/// on the path could slip in answers that the client would read as the encrypted server's.
final class STARTTLSGate: Sendable {
    enum State { case plaintext, awaitingReady, awaitingTLS, encrypted }

    private let state = NIOLockedValueBox(State.plaintext)

    var current: State { state.withLockedValue { $0 } }

    func move(to new: State) { state.withLockedValue { $0 = new } }
}

/// Turns the server's bytes into replies: lines `250-…` continue one, `250 …` ends it.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// The longest line accepted; RFC 5321 allows 512 bytes.
    static let maxLineBytes = 4096
    /// The most lines of one reply; real servers send a dozen.
    static let maxLines = 100
    private var lines: [String] = []
    let gate: STARTTLSGate

    init(gate: STARTTLSGate = STARTTLSGate()) {
        self.gate = gate
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        // Nothing may follow the server's ready-for-TLS in plain text.
        if gate.current == .awaitingTLS, buffer.readableBytes > 0 { throw MailError.malformedReply }
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maxLineBytes { throw MailError.malformedReply }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard length <= Self.maxLineBytes, var line = buffer.readString(length: length) else {
            throw MailError.malformedReply
        }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, bytes[0..<3].allSatisfy({ (0x30...0x39).contains($0) }),
            let code = Int(String(decoding: bytes[0..<3], as: UTF8.self))
        else { throw MailError.malformedReply }
        let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard lines.count <= Self.maxLines else { throw MailError.malformedReply }
        switch separator {
        case UInt8(ascii: "-"):
            return .continue
        case UInt8(ascii: " "):
            let reply = SMTPReply(code: code, lines: lines)
            lines = []
            if gate.current == .awaitingReady {
                if code == 220 {
                    guard buffer.readableBytes == 0 else { throw MailError.malformedReply }
                    gate.move(to: .awaitingTLS)
                } else {
                    gate.move(to: .plaintext)
                }
            }
            context.fireChannelRead(wrapInboundOut(reply))
            return .continue
        default:
            throw MailError.malformedReply
        }
    }

    mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
