import NIOCore

/// One answer of an SMTP server: its code and the text of each of its lines.
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    /// 2xx and 3xx answers let the conversation go on.
    var isPositive: Bool { (200..<400).contains(code) }
    /// The text, lines joined, for attempts' records.
    var text: String { lines.joined(separator: " ") }
}

/// Turns the server's bytes into replies: lines `250-…` continue one, `250 …` ends it.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// The longest line accepted; RFC 5321 allows 512 bytes.
    static let maxLineBytes = 4096
    private var lines: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
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
        switch separator {
        case UInt8(ascii: "-"):
            return .continue
        case UInt8(ascii: " "):
            let reply = SMTPReply(code: code, lines: lines)
            lines = []
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
