import App
import ArgumentParser
import Foundation
import Hummingbird
import Logging
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
        let (secret, created) = try database.listenerSecret(configured: configuration.listenerSecret)
        let host = configuration.httpHost
        let app = buildApplication(configuration: configuration, database: database, logger: logger) { port in
            var lines = ["QRStore is running at http://\(host):\(port)"]
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
}
