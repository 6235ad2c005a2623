import App
import ArgumentParser
import Configuration
import Foundation

/// Where the configuration comes from, shared by every command.
struct ConfigOptions: ParsableArguments {
    @Option(help: "The JSON configuration file (a missing file is skipped).")
    var config = ProcessInfo.processInfo.environment["QRSTORE_CONFIG"] ?? "Config/qrstore.json"

    @Option(help: "The SQLite database file (database.path).")
    var databasePath: String?

    @Option(help: "The folder for uploaded and rendered images (uploads.path).")
    var uploadsPath: String?

    /// The configuration with these options, the environment, the file and the defaults;
    /// `extraArguments` are further `--key value` flags.
    func load(extraArguments: [String] = []) async throws -> AppConfiguration {
        var arguments = extraArguments
        if let databasePath { arguments += ["--database-path", databasePath] }
        if let uploadsPath { arguments += ["--uploads-path", uploadsPath] }
        let reader = try await AppConfiguration.reader(
            arguments: arguments, environment: ProcessInfo.processInfo.environment, filePath: config)
        do {
            return try AppConfiguration(reader: reader)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
