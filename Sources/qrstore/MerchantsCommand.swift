import App
import ArgumentParser
import Foundation
import StoreCore

/// `qrstore merchants`: the shops that pay through the store, for scripts; a key is printed
/// once, when made.
struct MerchantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merchants", abstract: "List merchants, add one, or give one a new key.",
        subcommands: [List.self, Add.self, Key.self])

    /// `qrstore merchants list`: one line per merchant, without its key.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the merchants.")

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let database = try AppDatabase.open(path: try await options.load().databasePath)
            for merchant in try await database.merchants() {
                print(
                    "\(merchant.pid)\t\(merchant.name)\t\(merchant.enabled ? "on" : "off")\t"
                        + "notify \(merchant.notifyUrl ?? "-")\thosts \(merchant.notifyHosts.joined(separator: ","))")
            }
        }
    }

    /// `qrstore merchants add NAME`: a new merchant, its pid and key.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a merchant; prints its pid and key.")

        @OptionGroup var options: ConfigOptions

        @Argument(help: "The merchant's name, e.g. \"my dujiaoka shop\".")
        var name: String

        @Option(help: "Only notify URLs on these hosts are accepted (comma-separated).")
        var notifyHosts: String?

        func run() async throws {
            let database = try AppDatabase.open(path: try await options.load().databasePath)
            do {
                let merchant = try await database.createMerchant(
                    name: name, notifyHosts: notifyHosts.map { [$0] } ?? [], now: Date())
                print("merchant \(merchant.pid): \(merchant.name)\n  key: \(merchant.key)")
            } catch let error as MerchantError {
                throw ValidationError(error.description)
            }
        }
    }

    /// `qrstore merchants key PID`: a new key for a merchant.
    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a merchant a new key and print it (the old one stops working at once).")

        @OptionGroup var options: ConfigOptions

        @Argument(help: "The merchant's pid.")
        var pid: Int64

        func run() async throws {
            let database = try AppDatabase.open(path: try await options.load().databasePath)
            do {
                print("merchant \(pid)\n  key: \(try await database.replaceMerchantKey(pid: pid))")
            } catch let error as MerchantError {
                throw ValidationError(error.description)
            }
        }
    }
}
