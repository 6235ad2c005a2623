import App
import ArgumentParser
import Foundation
import StoreCore

#if canImport(Glibc)
    import Glibc
#endif

/// `qrstore admin`: seller accounts.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Create seller accounts and change their passwords.",
        subcommands: [Create.self, Passwd.self])

    /// `qrstore admin create --username U`: the password comes from standard input or a prompt.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a seller account.")

        @OptionGroup var options: ConfigOptions

        @Option(help: "The account's name.")
        var username: String

        func run() async throws {
            let configuration = try await options.load()
            let password = try PasswordInput.read(confirm: true)
            let database = try AppDatabase.open(path: configuration.databasePath)
            do {
                _ = try await database.createAdmin(
                    username: username, passwordHash: try await PasswordHasher().hash(password))
            } catch let error as AdminError {
                throw ValidationError(error.description)
            }
            print("Created the seller account \(username). Log in at /admin/login.")
        }
    }

    /// `qrstore admin passwd --username U`: sets a new password.
    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a seller account's password.")

        @OptionGroup var options: ConfigOptions

        @Option(help: "The account's name.")
        var username: String

        func run() async throws {
            let configuration = try await options.load()
            let database = try AppDatabase.open(path: configuration.databasePath)
            guard try await database.admin(username: username) != nil else {
                throw ValidationError("there is no seller account named \(username)")
            }
            let password = try PasswordInput.read(confirm: true)
            _ = try await database.setAdminPassword(
                username: username, passwordHash: try await PasswordHasher().hash(password))
            print("Changed the password of \(username).")
        }
    }
}

/// A new password: asked twice without echo at a terminal, else the first line of standard input.
enum PasswordInput {
    static func read(confirm: Bool) throws -> String {
        let password: String
        if isatty(STDIN_FILENO) == 1 {
            password = prompt("New password: ")
            if confirm, prompt("Repeat it: ") != password { throw ValidationError("the two passwords differ") }
        } else {
            password = readLine(strippingNewline: true) ?? ""
        }
        guard password.count >= PasswordHasher.minimumLength else {
            throw ValidationError("a password needs at least \(PasswordHasher.minimumLength) characters")
        }
        return password
    }

    private static func prompt(_ text: String) -> String {
        guard let entered = getpass(text) else { return "" }
        return String(cString: entered)
    }
}
