import App
import ArgumentParser
import Foundation
import StoreCore

/// `qrstore codes`: read and import pay-code images without the server.
struct CodesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes",
        abstract: "Scan or import pay-code images.",
        subcommands: [Scan.self, Import.self])

    /// The files of a batch, and the type and amount given for all of them.
    struct BatchArguments: ParsableArguments {
        @OptionGroup var options: ConfigOptions

        @Option(help: "The wallet when the code and file name do not say: wechat or alipay.")
        var type: String?

        @Option(help: "The amount of a single image, e.g. 0.99, instead of its file name's.")
        var amount: String?

        @Flag(help: "Accept codes whose payload is not a payment address (a buyer could not pay them).")
        var allowAnyPayload = false

        @Flag(help: "Generic codes (通用收款码): no amount, the buyer types it; they serve every amount.")
        var generic = false

        @Argument(help: "Image files, folders or ZIPs.")
        var paths: [String]

        /// The configuration, the checked hints, then the entries: bad options fail before any file is read.
        func read() async throws -> (AppConfiguration, FileNameHints, [BatchEntry]) {
            let configuration = try await options.load()
            var hints = FileNameHints(allowAnyPayload: allowAnyPayload, generic: generic)
            if let type {
                guard let payType = PayType(word: type) else {
                    throw ValidationError("--type must be wechat or alipay, not \(type)")
                }
                hints.type = payType
            }
            if let amount {
                guard let money = Money(parsing: amount), money.fen > 0 else {
                    throw ValidationError("--amount must be a positive amount like 0.99, not \(amount)")
                }
                hints.amount = money
            }
            let reader = BatchReader(limits: configuration.upload), paths = self.paths
            let entries = try await ImagingPool.run { reader.entries(paths: paths) }
            if hints.amount != nil, entries.count != 1 {
                throw ValidationError(
                    "--amount is for a single image, and these paths hold \(entries.count); "
                        + "name the files like wechat_0.99.png instead")
            }
            return (configuration, hints, entries)
        }
    }

    /// `qrstore codes scan FILE…`: decode and print one JSON line per file; nothing is stored.
    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode images and print one JSON line per file (exit 1 if any is rejected).")

        @OptionGroup var batch: BatchArguments

        func run() async throws {
            let (configuration, hints, entries) = try await batch.read()
            try JSONLines.print(
                await PayCodeImporter.scan(entries, hints: hints, maxPixels: configuration.upload.maxPixels))
        }
    }

    /// `qrstore codes import PATH…`: add images, folders and ZIPs to the inventory.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import images into the inventory; one JSON line per file (exit 1 if any is rejected).")

        @OptionGroup var batch: BatchArguments

        @Option(help: "The channel the codes belong to (qrstore channels list).")
        var channel: Int64 = 1

        func run() async throws {
            let (configuration, hints, entries) = try await batch.read()
            let database = try AppDatabase.open(path: configuration.databasePath)
            guard try await database.channel(id: channel) != nil else {
                throw ValidationError("there is no channel \(channel); see qrstore channels list")
            }
            let importer = PayCodeImporter(
                database: database, blobs: FileBlobStore(root: URL(fileURLWithPath: configuration.uploadsPath)),
                limits: configuration.upload)
            try JSONLines.print(try await importer.importBatch(entries, hints: hints, channelId: channel))
        }
    }
}

/// Prints results as JSON lines and fails the command when any file was rejected.
enum JSONLines {
    static func print(_ results: [CodeResult]) throws {
        let encoder = JSONEncoder()
        // Sorted keys: the same line for the same result, easy to diff and grep.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for result in results {
            Swift.print(String(decoding: try encoder.encode(result), as: UTF8.self))
        }
        if results.contains(where: { $0.status == .rejected }) { throw ExitCode.failure }
    }
}
