import ArgumentParser

/// The `qrstore` command: the server, and the seller's offline tools.
@main
struct QRStore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qrstore",
        abstract: "A self-hosted storefront that matches personal QR payments to orders.",
        subcommands: [
            ServeCommand.self, AdminCommand.self, CodesCommand.self, ChannelsCommand.self, MerchantsCommand.self,
            BackupCommand.self,
        ],
        defaultSubcommand: ServeCommand.self)
}
