import Foundation
import TestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `qrstore serve` as a real process on a free port, over a database folder the test owns.
// Only immutable properties; the process is signalled and waited on, never mutated.
final class ServerProcess: @unchecked Sendable {
    let running: QRStoreProcess.Running
    let port: Int
    /// Everything the server printed to standard output up to its banner.
    let banner: String

    /// Starts the server in `folder` with `arguments` added, and waits for its banner.
    init(in folder: URL, arguments: [String] = [], environment: [String: String] = [:]) throws {
        let repository = TestServices.repository
        running = try QRStoreProcess.start(
            [
                "serve", "--http-port", "0", "--templates-path", repository.appendingPathComponent("Templates").path,
                "--static-path", repository.appendingPathComponent("Static").path, "--strings-path",
                repository.appendingPathComponent("Config/strings").path,
            ] + arguments, in: folder, environment: environment)
        var banner = ""
        let reader = running.output.fileHandleForReading
        while !(banner.contains("running at") && banner.hasSuffix("\n")) {
            let chunk = reader.availableData
            guard !chunk.isEmpty else { break }
            banner += String(decoding: chunk, as: UTF8.self)
        }
        self.banner = banner
        guard let match = banner.firstMatch(of: #/http://127\.0\.0\.1:(\d+)/#), let port = Int(match.1) else {
            running.process.terminate()
            throw ServerProcessError.noBanner(banner)
        }
        self.port = port
    }

    enum ServerProcessError: Error { case noBanner(String) }

    /// A request to the server: status and body.
    func request(
        _ path: String, method: String = "GET", json: String? = nil, headers: [String: String] = [:],
        timeout: TimeInterval = 10
    ) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!, timeoutInterval: timeout)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(json.utf8)
        }
        let (body, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: body, as: UTF8.self))
    }

    /// Sends `signal` and waits for the process to end; returns how long that took.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM) -> Duration {
        let started = ContinuousClock.now
        kill(running.process.processIdentifier, signal)
        running.process.waitUntilExit()
        return ContinuousClock.now - started
    }

    /// What the server logged on standard error so far (only once it has ended).
    func errorOutput() -> String {
        String(decoding: running.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    deinit {
        if running.process.isRunning {
            kill(running.process.processIdentifier, SIGKILL)
            running.process.waitUntilExit()
        }
    }
}
