import App
import Configuration
import Foundation
import StoreCore
import TestSupport
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    static let shippedFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Config/qrstore.json").path

    static func load(
        arguments: [String] = [], environment: [String: String] = [:], file: String = "/nonexistent.json"
    ) async throws -> AppConfiguration {
        try AppConfiguration(
            reader: await AppConfiguration.reader(arguments: arguments, environment: environment, filePath: file))
    }

    @Test("the shipped Config/qrstore.json holds exactly the built-in defaults")
    func shippedDefaults() async throws {
        let file = try await FileProvider<JSONSnapshot>(filePath: .init(Self.shippedFile))
        let fromFile = try AppConfiguration(reader: ConfigReader(provider: file))
        let builtIn = try AppConfiguration(
            reader: ConfigReader(provider: InMemoryProvider(values: AppConfiguration.defaults)))
        #expect(fromFile == builtIn)
        // And no key in the file that the program does not know.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.shippedFile)))
        var keys: Set<String> = []
        func walk(_ value: Any, _ path: String) {
            guard let object = value as? [String: Any] else {
                keys.insert(path)
                return
            }
            for (key, child) in object { walk(child, path.isEmpty ? key : "\(path).\(key)") }
        }
        walk(json, "")
        #expect(keys == Set(AppConfiguration.defaults.keys.map { $0.components.joined(separator: ".") }))
    }

    @Test("defaults hold without any file; no secret has a default")
    func defaults() async throws {
        let configuration = try await Self.load()
        #expect(configuration.httpHost == "127.0.0.1" && configuration.httpPort == 8080)
        #expect(configuration.orderTTL == 300 && configuration.orderLateGrace == 120)
        #expect(configuration.discountMax == Money(fen: 10) && configuration.discountMode == .onConflict)
        #expect(configuration.upload == UploadLimits())
        #expect(configuration.listenerSecret == nil)
        #expect(configuration.adminPassword == nil && configuration.adminAPIToken == nil)
    }

    @Test(
        "QRSTORE_ names follow the keys' dots and camel humps",
        arguments: [
            ("http.port", "QRSTORE_HTTP_PORT"), ("admin.apiToken", "QRSTORE_ADMIN_API_TOKEN"),
            ("order.lateGrace", "QRSTORE_ORDER_LATE_GRACE"), ("http.baseURL", "QRSTORE_HTTP_BASE_URL"),
            ("upload.maxFileBytes", "QRSTORE_UPLOAD_MAX_FILE_BYTES"),
            ("http.trustedProxies", "QRSTORE_HTTP_TRUSTED_PROXIES"),
        ])
    func environmentNames(_ key: String, _ name: String) {
        #expect(AppConfiguration.environmentName(of: key) == name)
    }

    @Test("every key is read from the environment variable of that name")
    func environmentReachesEveryKey() async throws {
        let keys = AppConfiguration.defaults.keys.map { $0.components.joined(separator: ".") }
        for key in keys
        where (key.hasPrefix("order.") || key.hasPrefix("listener.") || key.hasPrefix("upload."))
            && key != "listener.protocolA" && key != "order.requireOnlineListener"
        {
            let configuration = try await Self.load(
                environment: [AppConfiguration.environmentName(of: key): "7"])
            let values = [
                configuration.orderTTL, configuration.orderLateGrace, configuration.orderMaxPendingPerBuyer,
                configuration.orderMaxSlotsPerAddress, configuration.orderCreateRatePerMinute,
                configuration.listenerClockSkew, configuration.listenerOfflineAfter,
                configuration.listenerDuplicateWindow,
                configuration.upload.maxFileBytes, configuration.upload.maxPixels,
                configuration.upload.maxZipEntries, configuration.upload.maxZipBytes, configuration.maxRequestBytes,
            ]
            #expect(values.filter { $0 == 7 }.count == 1, "\(key)")
        }
        let secrets = try await Self.load(environment: [
            "QRSTORE_ADMIN_API_TOKEN": "token", "QRSTORE_LISTENER_SECRET": "secret-of-16-chars",
            "QRSTORE_HTTP_BASE_URL": "https://pay.example.com", "QRSTORE_DISCOUNT_MAX": "0.05",
            "QRSTORE_HTTP_TRUSTED_PROXIES": "127.0.0.1",
        ])
        #expect(secrets.adminAPIToken == "token" && secrets.listenerSecret == "secret-of-16-chars")
        #expect(secrets.baseURL == "https://pay.example.com" && secrets.discountMax == Money(fen: 5))
        #expect(secrets.trustedProxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["1.2.3.4"]) == "1.2.3.4")
    }

    @Test("flags beat the environment, which beats the file, which beats the defaults")
    func precedence() async throws {
        let folder = try Fixtures.temporaryDirectory()
        let file = folder.appendingPathComponent("config.json")
        try Data(#"{"http": {"port": 7001, "host": "0.0.0.0"}, "order": {"ttl": 60}}"#.utf8).write(to: file)
        let configuration = try await Self.load(
            arguments: ["--http-port", "7003"], environment: ["QRSTORE_HTTP_PORT": "7002", "QRSTORE_ORDER_TTL": "30"],
            file: file.path)
        #expect(configuration.httpPort == 7003)
        #expect(configuration.orderTTL == 30)
        #expect(configuration.httpHost == "0.0.0.0")
        #expect(configuration.orderLateGrace == 120)
    }

    @Test(
        "bad values are refused, naming the key and its variable",
        arguments: [
            ("QRSTORE_HTTP_PORT", "abc", "http.port"), ("QRSTORE_DISCOUNT_MAX", "0.5.5", "discount.max"),
            ("QRSTORE_DISCOUNT_MAX", "1.00", "discount.max"), ("QRSTORE_DISCOUNT_MODE", "sometimes", "discount.mode"),
            ("QRSTORE_ORDER_TTL", "0", "order.ttl"), ("QRSTORE_UPLOAD_MAX_PIXELS", "-5", "upload.maxPixels"),
            ("QRSTORE_HTTP_TRUSTED_PROXIES", "nginx", "http.trustedProxies"),
            ("QRSTORE_LISTENER_SECRET", "short-secret", "listener.secret"),
        ])
    func badValues(_ variable: String, _ value: String, _ key: String) async throws {
        do {
            _ = try await Self.load(environment: [variable: value])
            Issue.record("\(variable)=\(value) was accepted")
        } catch let error as ConfigurationError {
            #expect(error.key == key)
            #expect(error.description.contains(variable))
        }
    }

    @Test("mail is off without mail.host; with it, the port follows the security and the keys are checked")
    func mail() async throws {
        #expect(try await Self.load().mail == nil)
        let starttls = try await Self.load(environment: [
            "QRSTORE_MAIL_HOST": "smtp.example.com", "QRSTORE_MAIL_FROM": "小店 <shop@example.com>",
            "QRSTORE_MAIL_USERNAME": "shop", "QRSTORE_MAIL_PASSWORD": "secret",
        ])
        #expect(starttls.mail?.smtp.port == 587 && starttls.mail?.smtp.security == .starttls)
        #expect(starttls.mail?.smtp.username == "shop" && starttls.mail?.from == "小店 <shop@example.com>")
        let tls = try await Self.load(environment: [
            "QRSTORE_MAIL_HOST": "smtp.example.com", "QRSTORE_MAIL_FROM": "shop@example.com",
            "QRSTORE_MAIL_SECURITY": "tls",
        ])
        #expect(tls.mail?.smtp.port == 465)
        let schedule = try await Self.load(environment: ["QRSTORE_OUTBOX_RETRY_SCHEDULE": "1, 2,3"])
        #expect(schedule.outboxRetrySchedule == RetrySchedule(delays: [1, 2, 3]))
        #expect(try await Self.load().outboxRetrySchedule == .standard)

        let refusals: [([String: String], String)] = [
            (["QRSTORE_MAIL_HOST": "smtp.example.com"], "mail.from"),
            (["QRSTORE_MAIL_HOST": "smtp.example.com", "QRSTORE_MAIL_FROM": "not an address"], "mail.from"),
            (
                ["QRSTORE_MAIL_HOST": "h", "QRSTORE_MAIL_FROM": "a@example.com", "QRSTORE_MAIL_SECURITY": "ssl"],
                "mail.security"
            ),
            (
                [
                    "QRSTORE_MAIL_HOST": "h", "QRSTORE_MAIL_FROM": "a@example.com", "QRSTORE_MAIL_SECURITY": "none",
                    "QRSTORE_MAIL_USERNAME": "shop",
                ], "mail.username"
            ),
            (["QRSTORE_OUTBOX_RETRY_SCHEDULE": "15,soon"], "outbox.retrySchedule"),
            (["QRSTORE_OUTBOX_RETRY_SCHEDULE": "0"], "outbox.retrySchedule"),
        ]
        for (environment, key) in refusals {
            do {
                _ = try await Self.load(environment: environment)
                Issue.record("\(environment) was accepted")
            } catch let error as ConfigurationError {
                #expect(error.key == key, "\(environment)")
            }
        }
    }
}
