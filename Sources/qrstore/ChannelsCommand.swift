import App
import ArgumentParser
import Foundation
import StoreCore

/// `qrstore channels`: the store's payees, for scripts; a secret is printed once, when made.
struct ChannelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels", abstract: "List channels, add one, or give one a new listener secret.",
        subcommands: [List.self, Add.self, Secret.self])

    /// `qrstore channels list`: one line per channel.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the channels with their codes.")

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let database = try AppDatabase.open(path: try await options.load().databasePath)
            for summary in try await database.channelSummaries() {
                let channel = summary.channel
                let codes = PayType.allCases.map { type in
                    "\(type.rawValue) \(summary.fixedCodes[type] ?? 0)+\(summary.genericCodes[type] ?? 0) generic"
                }
                print(
                    "\(channel.id ?? 0)\t\(channel.name)\t\(channel.enabled ? "on" : "off")\t"
                        + "\(codes.joined(separator: ", "))\tlast seen \(channel.lastSeenAt.map { "\($0)" } ?? "never")"
                )
            }
        }
    }

    /// `qrstore channels add NAME`: a new channel and its secret.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a channel; prints its id and secret.")

        @OptionGroup var options: ConfigOptions

        @Argument(help: "The channel's name, e.g. \"second phone\".")
        var name: String

        func run() async throws {
            let database = try AppDatabase.open(path: try await options.load().databasePath)
            do {
                let channel = try await database.createChannel(name: name, now: Date())
                print("channel \(channel.id ?? 0): \(channel.name)\n  listener secret: \(channel.secret)")
            } catch let error as ChannelError {
                throw ValidationError(error.description)
            }
        }
    }

    /// `qrstore channels secret ID`: a new secret for a channel.
    struct Secret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a channel a new listener secret and print it (a running server takes it within seconds).")

        @OptionGroup var options: ConfigOptions

        @Argument(help: "The channel's id.")
        var id: Int64

        func run() async throws {
            let configuration = try await options.load()
            if id == 1, configuration.listenerSecret != nil {
                throw ValidationError("channel 1's secret is set by listener.secret; change it there")
            }
            let database = try AppDatabase.open(path: configuration.databasePath)
            do {
                print("channel \(id)\n  listener secret: \(try await database.replaceChannelSecret(id: id))")
            } catch let error as ChannelError {
                throw ValidationError(error.description)
            }
        }
    }
}
