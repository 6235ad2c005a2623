import Foundation
public import NIOCore
public import NIOPosix
import NIOSSL

/// How to reach the shop's mail server (`mail.*`).
public struct SMTPSettings: Sendable, Equatable {
    /// How the connection is protected.
    public enum Security: String, Sendable, CaseIterable {
        /// Plain TCP, then TLS after the server's STARTTLS (usually port 587).
        case starttls
        /// TLS from the first byte (usually port 465).
        case tls
        /// No encryption, for a relay on the same machine; no password is ever sent this way.
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// A PEM file of certificates trusted besides the system's, for a server with its own CA.
    public var caFile: String?
    /// The name this machine gives in EHLO (the store's host, or the sender's domain).
    public var heloName: String
    /// How long one whole delivery may take.
    public var timeout: TimeAmount

    public init(
        host: String, port: Int, security: Security, username: String? = nil, password: String? = nil,
        caFile: String? = nil, heloName: String = "localhost", timeout: TimeAmount = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.caFile = caFile
        self.heloName = heloName
        self.timeout = timeout
    }
}

/// Sends each message over a connection of its own: EHLO, STARTTLS when asked, AUTH PLAIN or
/// LOGIN when a user is set, MAIL, RCPT, DATA, QUIT.
public struct SMTPClient: MailTransport {
    public let settings: SMTPSettings
    private let group: any EventLoopGroup
    private let tls: NIOSSLContext?

    /// Fails when the TLS settings cannot be used (a CA file that is not PEM, say).
    public init(settings: SMTPSettings, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.settings = settings
        self.group = group
        if settings.security == .none {
            tls = nil
        } else {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let caFile = settings.caFile {
                configuration.additionalTrustRoots = [.file(caFile)]
            }
            tls = try NIOSSLContext(configuration: configuration)
        }
    }

    public func send(_ message: MailMessage) async throws {
        // Checked again here, whatever stored them: an address goes into a command line.
        for address in [message.to, message.senderAddress] where !MailMessage.isDeliverable(address) {
            throw MailError.badAddress(address)
        }
        let gate = STARTTLSGate()
        let channel: NIOAsyncChannel<SMTPReply, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(10))
                .connect(host: settings.host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if settings.security == .tls {
                            try channel.pipeline.syncOperations.addHandler(try tlsHandler())
                        }
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(SMTPReplyDecoder(gate: gate)))
                        return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw MailError.connection("\(settings.host):\(settings.port): \(error)")
        }
        // The whole conversation has one deadline, and ends when the task is cancelled (the
        // server stopping): closing the channel ends every wait.
        let deadline = channel.channel.eventLoop.scheduleTask(in: settings.timeout) {
            channel.channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        do {
            try await withTaskCancellationHandler {
                try await channel.executeThenClose { inbound, outbound in
                    var conversation = Conversation(
                        replies: inbound.makeAsyncIterator(), outbound: outbound, channel: channel.channel, gate: gate)
                    try await converse(&conversation, message)
                }
            } onCancel: {
                channel.channel.close(promise: nil)
            }
        } catch let error as MailError {
            throw error
        } catch {
            throw MailError.connection("\(error)")
        }
    }

    private func tlsHandler() throws -> NIOSSLClientHandler {
        // A name is checked against the certificate and sent as SNI; an address is checked as one.
        let isAddress = (try? SocketAddress(ipAddress: settings.host, port: 0)) != nil
        return try NIOSSLClientHandler(context: tls!, serverHostname: isAddress ? nil : settings.host)
    }

    private func converse(_ conversation: inout Conversation, _ message: MailMessage) async throws {
        try await conversation.expect(220, step: "greeting")
        var capabilities = try await conversation.command("EHLO \(settings.heloName)", expect: 250, step: "EHLO")
        if settings.security == .starttls {
            guard capabilities.lines.dropFirst().contains(where: { $0.uppercased() == "STARTTLS" }) else {
                throw MailError.noStartTLS
            }
            conversation.gate.move(to: .awaitingReady)
            try await conversation.command("STARTTLS", expect: 220, step: "STARTTLS")
            let channel = conversation.channel, gate = conversation.gate
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(try tlsHandler(), position: .first)
                gate.move(to: .encrypted)
            }.get()
            capabilities = try await conversation.command("EHLO \(settings.heloName)", expect: 250, step: "EHLO")
        }
        if let username = settings.username, settings.security != .none {
            try await authenticate(&conversation, username: username, password: settings.password ?? "", capabilities)
        }
        try await conversation.command("MAIL FROM:<\(message.senderAddress)>", expect: 250, step: "MAIL FROM")
        try await conversation.command("RCPT TO:<\(message.to)>", expect: 250, 251, step: "RCPT TO")
        try await conversation.command("DATA", expect: 354, step: "DATA")
        try await conversation.send(message.rendered + ".\r\n")
        try await conversation.expect(250, step: "message")
        // The message is accepted; a server that hangs up instead of answering QUIT changes nothing.
        _ = try? await conversation.command("QUIT", expect: 221, step: "QUIT")
    }

    private func authenticate(
        _ conversation: inout Conversation, username: String, password: String, _ capabilities: SMTPReply
    ) async throws {
        let mechanisms = capabilities.lines.dropFirst()
            .filter { $0.uppercased().hasPrefix("AUTH") }
            .flatMap { $0.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).dropFirst() }
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        if mechanisms.contains("PLAIN") {
            try await conversation.command(
                "AUTH PLAIN \(base64("\0\(username)\0\(password)"))", expect: 235, step: "AUTH PLAIN")
        } else if mechanisms.contains("LOGIN") {
            try await conversation.command("AUTH LOGIN", expect: 334, step: "AUTH LOGIN")
            try await conversation.command(base64(username), expect: 334, step: "AUTH LOGIN user")
            try await conversation.command(base64(password), expect: 235, step: "AUTH LOGIN password")
        } else {
            throw MailError.noSupportedAuth
        }
    }
}

/// The two directions of one SMTP connection.
private struct Conversation {
    var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let channel: any Channel
    let gate: STARTTLSGate

    /// The next reply, which must have one of `codes`.
    @discardableResult
    mutating func expect(_ codes: Int..., step: String) async throws -> SMTPReply {
        try await reply(codes, step)
    }

    /// Sends `line` and waits for its reply, which must have one of `codes`.
    @discardableResult
    mutating func command(_ line: String, expect codes: Int..., step: String) async throws -> SMTPReply {
        try await send(line + "\r\n")
        return try await reply(codes, step)
    }

    func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    private mutating func reply(_ codes: [Int], _ step: String) async throws -> SMTPReply {
        guard let reply = try await replies.next() else {
            throw MailError.connection("the server closed the connection during \(step)")
        }
        guard codes.contains(reply.code) else {
            throw MailError.refused(step: step, code: reply.code, text: String(reply.text.prefix(500)))
        }
        return reply
    }
}
