public import Foundation

/// Runs the built `qrstore` executable, as a user would from a shell.
public struct QRStoreProcess {
    /// What one run printed and how it ended.
    public struct Outcome: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String

        /// The standard output's lines, parsed as JSON objects.
        public func jsonLines() throws -> [[String: Any]] {
            try standardOutput.split(separator: "\n").map { line in
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            }
        }
    }

    /// The executable beside the test bundle, in the same build folder.
    public static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("qrstore")
    }

    /// Runs `qrstore arguments…` in `directory` to the end, with `input` on standard input.
    public static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:], input: String = ""
    ) throws -> Outcome {
        let process = try start(arguments, in: directory, environment: environment)
        process.input.fileHandleForWriting.write(Data(input.utf8))
        try process.input.fileHandleForWriting.close()
        let output = process.output.fileHandleForReading.readDataToEndOfFile()
        let errors = process.errors.fileHandleForReading.readDataToEndOfFile()
        process.process.waitUntilExit()
        return Outcome(
            status: process.process.terminationStatus,
            standardOutput: String(decoding: output, as: UTF8.self),
            standardError: String(decoding: errors, as: UTF8.self))
    }

    /// A started process with its output pipes.
    public struct Running {
        public let process: Process
        public let input: Pipe
        public let output: Pipe
        public let errors: Pipe
    }

    /// Starts `qrstore arguments…` in `directory`; the environment has no `QRSTORE_` variables
    /// but those in `environment`.
    public static func start(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:]
    ) throws -> Running {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment
            .filter { !$0.key.hasPrefix("QRSTORE_") }
            .merging(environment) { $1 }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return Running(process: process, input: input, output: output, errors: errors)
    }
}
