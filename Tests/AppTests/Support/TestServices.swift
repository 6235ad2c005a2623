import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StoreCore
import TestSupport

@testable import App

/// Services for one test: an in-memory database, a fresh uploads folder, the real templates,
/// an API token, cheap bcrypt, and a clock that stands still until the test moves it.
enum TestServices {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let apiToken = "test-api-token-0123456789"
    static let password = "correct horse battery"
    /// The specification's test-vector secret.
    static let listenerSecret = "k3Y-example-Secret-0123456789ab"

    static func make(
        _ overrides: [String: ConfigContent] = [:], clock: ManualClock = ManualClock(),
        database: AppDatabase? = nil, mailer: Mailer? = nil
    ) async throws -> AppServices {
        var values = AppConfiguration.defaults
        let settings: [String: ConfigContent] = [
            "templates.path": .string(repository.appendingPathComponent("Templates").path),
            "static.path": .string(repository.appendingPathComponent("Static").path),
            "strings.path": .string(repository.appendingPathComponent("Config/strings").path),
            // The tests read English texts; the language tests set their own.
            "site.language": .string("en"),
            "uploads.path": .string(try Fixtures.temporaryDirectory().path),
            "admin.apiToken": .string(apiToken),
            // Router tests come from one address; the tests of these limits set their own.
            "order.maxSlotsPerAddress": .int(10_000),
            "order.createRatePerMinute": .int(10_000),
        ].merging(overrides) { $1 }
        for (key, content) in settings {
            values[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(content, isSecret: false)
        }
        let configuration = try AppConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: values)))
        let database = try database ?? AppDatabase.inMemory()
        // Channel 1 listens with the test vectors' secret, as `listener.secret` would set it.
        _ = try await database.firstChannelSecret(configured: listenerSecret)
        let services = AppServices(
            configuration: configuration, database: database,
            pages: try await PageRenderer(
                directory: configuration.templatesPath, strings: try Strings(directory: configuration.stringsPath),
                siteName: configuration.siteName, siteNotice: configuration.siteNotice),
            listenerSecret: listenerSecret,
            passwords: PasswordHasher(cost: 4), clock: clock, mailer: mailer)
        try await services.reloadChannelKeys()
        return services
    }

    /// Runs `body` against the router of `services`.
    static func test(
        _ services: AppServices, _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await Application(router: buildRouter(services: services)).test(.router, body)
    }

    /// A seller account with the test password.
    static func addSeller(_ services: AppServices, username: String = "seller") async throws {
        _ = try await services.database.createAdmin(
            username: username, passwordHash: try await services.passwords.hash(password))
    }
}

/// A test client that keeps cookies as a browser does and sends the CSRF token with forms.
struct Browser {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    /// The CSRF token the site gave this browser.
    var csrfToken: String? { cookies["qrstore_csrf"] }

    mutating func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(uri, method: .get, headers: headers, body: nil)
    }

    /// Posts an urlencoded form; the CSRF field is added unless `csrf` is nil.
    mutating func post(_ uri: String, form: [(String, String)], csrf: String?? = .none) async throws -> TestResponse {
        if csrfToken == nil { _ = try await get("/") }
        var fields = form
        if let token = csrf ?? csrfToken { fields.append(("_csrf", token)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(
            uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body))
    }

    /// Posts files as the upload page's script does, with the CSRF header.
    mutating func upload(
        _ uri: String, files: [(String, Data)], fields: [(String, String)] = []
    ) async throws
        -> TestResponse
    {
        if csrfToken == nil { _ = try await get("/") }
        let (contentType, body) = Multipart.body(files: files, fields: fields)
        var headers: HTTPFields = [.contentType: contentType, .accept: "text/html"]
        headers[HTTPField.Name("X-CSRF-Token")!] = csrfToken
        return try await send(uri, method: .post, headers: headers, body: body)
    }

    /// Logs in with the test password.
    mutating func logIn(
        username: String = "seller", password: String = TestServices.password
    ) async throws
        -> TestResponse
    {
        _ = try await get("/admin/login")
        return try await post("/admin/login", form: [("username", username), ("password", password)])
    }

    mutating func send(
        _ uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?
    ) async throws
        -> TestResponse
    {
        var headers = headers
        if !cookies.isEmpty {
            headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            cookies[String(pair[0])] = String(pair[1])
        }
        return response
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}

/// `multipart/form-data` bodies for upload tests.
enum Multipart {
    static func body(files: [(String, Data)], fields: [(String, String)] = []) -> (String, ByteBuffer) {
        let boundary = "qrstore-test-\(UUID().uuidString)"
        var body = ByteBuffer()
        for (name, value) in fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for (fileName, data) in files {
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n")
            body.writeBytes(data)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        return ("multipart/form-data; boundary=\(boundary)", body)
    }
}
