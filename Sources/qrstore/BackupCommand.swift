import ArgumentParser
import Foundation
import StoreCore

/// `qrstore backup FILE`: a consistent copy of the database, safe while the server runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the database consistently, even while the server runs.")

    @OptionGroup var options: ConfigOptions

    @Argument(help: "The file to write; it must not exist yet.")
    var file: String

    func run() async throws {
        let configuration = try await options.load()
        guard FileManager.default.fileExists(atPath: configuration.databasePath) else {
            throw ValidationError("there is no database at \(configuration.databasePath)")
        }
        guard !FileManager.default.fileExists(atPath: file) else {
            throw ValidationError("\(file) already exists; choose a new file name")
        }
        try await AppDatabase.open(path: configuration.databasePath).backup(to: file)
        print("Backed up \(configuration.databasePath) to \(file)")
    }
}
