import App
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Mail
import StoreCore

/// `qrstore serve`: runs the HTTP server until interrupted.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the server (the default command).",
        discussion: """
            Any configuration key can be given as a flag: http.port as --http-port 9000,
            order.lateGrace as --order-late-grace 60. See Config/README.md for every key.
            """)

    @OptionGroup var options: ConfigOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var settings: [String] = []

    func run() async throws {
        let configuration = try await options.load(extraArguments: settings)
        let logger = Logger(label: "qrstore")
        let database = try AppDatabase.open(path: configuration.databasePath)
        let (secret, created) = try await database.firstChannelSecret(configured: configuration.listenerSecret)
        // With no seller account (and none to make from admin.password), a one-time set-up link.
        let needsSetup = try await database.adminCount() == 0 && configuration.adminPassword == nil
        let services = AppServices(
            configuration: configuration, database: database,
            pages: try await PageRenderer(
                directory: configuration.templatesPath, strings: try Strings(directory: configuration.stringsPath),
                siteName: configuration.siteName, siteNotice: configuration.siteNotice),
            listenerSecret: secret, setupToken: needsSetup ? SetupToken.make() : SetupToken(nil),
            mailer: try configuration.mail.map { Mailer(from: $0.from, transport: try SMTPClient(settings: $0.smtp)) })
        try await services.applySavedSettings()
        try await services.reloadChannelKeys()
        let adminHint = try await firstAdmin(services)
        let host = configuration.httpHost
        let app = buildApplication(services: services, logger: logger) { port in
            var lines = ["QRStore is running at http://\(host):\(port)", adminHint(port)]
            if created {
                lines += [
                    "First start: a listener secret was generated. The listener app needs it:",
                    "  listener secret: \(secret)",
                ]
            }
            // Unbuffered, so whoever reads a pipe (scripts, `make run | tee`) sees it at once.
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        try await app.runService()
    }

    /// Creates the first seller from `admin.password` when there is none, and says how to log in.
    private func firstAdmin(_ services: AppServices) async throws -> @Sendable (Int) -> String {
        let configuration = services.configuration, database = services.database
        if try await database.adminCount() == 0, let password = configuration.adminPassword {
            guard password.count >= PasswordHasher.minimumLength else {
                throw ValidationError("admin.password must have at least \(PasswordHasher.minimumLength) characters")
            }
            _ = try await database.createAdmin(
                username: configuration.adminUsername, passwordHash: try await services.passwords.hash(password))
        }
        let host = configuration.httpHost, token = services.setupToken.value
        let baseURL = configuration.baseURL.map { _ in configuration.publicURL }
        return { port in
            // The public address when there is one: the seller opens the link from elsewhere.
            let base = baseURL ?? "http://\(host):\(port)"
            guard let token else { return "Seller login: \(base)/admin/login" }
            return "No seller account yet. Create it in the browser (this link works once):\n"
                + "  \(base)/admin/setup?token=\(token)"
        }
    }
}
