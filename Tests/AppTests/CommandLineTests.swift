import Foundation
import StoreCore
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("The qrstore command", .serialized)
struct CommandLineTests {
    /// A temporary folder holding copies of fixtures under the given names.
    static func folder(_ files: [(String, String)]) throws -> URL {
        let folder = try Fixtures.temporaryDirectory()
        for (name, fixture) in files {
            try FileManager.default.copyItem(at: Fixtures.url(fixture), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    @Test("codes scan prints one JSON line per file and exits 1 when any is rejected")
    func scan() throws {
        // setup
        let folder = try Self.folder([
            ("wechat_0.99.png", "png_gray8.png"), ("photo.png", "inverted.png"),
            ("alipay-1.00.jpg", "not_supported.gif"),
        ])
        // MUT
        let outcome = try QRStoreProcess.run(
            ["codes", "scan", "wechat_0.99.png", "photo.png", "alipay-1.00.jpg"], in: folder)
        // validate
        #expect(outcome.status == 1)
        let lines = try outcome.jsonLines()
        #expect(lines.count == 3)
        #expect(lines[0]["file"] as? String == "wechat_0.99.png")
        #expect(lines[0]["status"] as? String == "ok")
        #expect(lines[0]["payload"] as? String == Fixtures.wechatPayload)
        #expect(lines[0]["type"] as? String == "wechat" && lines[0]["amount"] as? String == "0.99")
        #expect(lines[1]["status"] as? String == "rejected" && lines[1]["reason"] as? String == "no_amount")
        #expect(lines[1]["payload"] as? String == Fixtures.wechatPayload)
        #expect(lines[2]["reason"] as? String == "unsupported_format")
        #expect(outcome.standardOutput.contains(#""payload":"wxp://"#), "slashes are not escaped")
    }

    @Test("codes scan exits 0 when every file is a pay code, with --amount for the batch")
    func scanAllGood() throws {
        let folder = try Self.folder([("a.jpg", "jpeg_progressive.jpg")])
        let outcome = try QRStoreProcess.run(["codes", "scan", "--amount", "2", "a.jpg"], in: folder)
        #expect(outcome.status == 0)
        let line = try #require(try outcome.jsonLines().first)
        #expect(line["type"] as? String == "alipay" && line["amount"] as? String == "2.00")
    }

    @Test("codes import refuses --amount for more than one image")
    func amountForOneImage() throws {
        let folder = try Self.folder([("a.png", "png_gray8.png"), ("b.jpg", "jpeg_baseline.jpg")])
        let outcome = try QRStoreProcess.run(["codes", "import", "--amount", "0.99", "a.png", "b.jpg"], in: folder)
        #expect(outcome.status != 0 && outcome.standardError.contains("--amount is for a single image"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("qrstore.sqlite").path))
    }

    @Test("codes import stores folders and ZIPs, and a second run finds duplicates")
    func importTwice() async throws {
        let folder = try Self.folder([("batch.zip", "batch.zip"), ("more", "png_gray8.png")])
        let arguments = ["codes", "import", "--database-path", "data/store.sqlite", "batch.zip"]
        let first = try QRStoreProcess.run(arguments, in: folder)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(try first.jsonLines().map { $0["status"] as? String } == ["imported", "imported", "imported"])
        #expect(try first.jsonLines().allSatisfy { $0["id"] is Int })
        let second = try QRStoreProcess.run(arguments, in: folder)
        #expect(try second.jsonLines().map { $0["status"] as? String } == ["duplicate", "duplicate", "duplicate"])
        let database = try AppDatabase.open(path: folder.appendingPathComponent("data/store.sqlite").path)
        #expect(try await database.payCodes().count == 3)
        let uploads = folder.appendingPathComponent("Uploads/codes").path
        #expect(FileManager.default.fileExists(atPath: uploads))
    }

    @Test("channels add prints a new secret once; codes import --channel --generic puts generic codes on it")
    func channelsAndGenericImport() async throws {
        let folder = try Self.folder([("any.png", "png_gray8.png")])
        let database = ["--database-path", "store.sqlite"]
        let added = try QRStoreProcess.run(["channels", "add", "second phone"] + database, in: folder)
        #expect(added.status == 0, "\(added.standardError)")
        let secret = try #require(added.standardOutput.firstMatch(of: #/listener secret: (\S{32})/#)).1
        #expect(added.standardOutput.hasPrefix("channel 2: second phone"))
        let imported = try QRStoreProcess.run(
            ["codes", "import", "--channel", "2", "--generic", "any.png"] + database, in: folder)
        #expect(imported.status == 0, "\(imported.standardError)")
        #expect(try imported.jsonLines().first?["amount"] == nil)
        let list = try QRStoreProcess.run(["channels", "list"] + database, in: folder)
        #expect(list.standardOutput.contains("2\tsecond phone\ton\t"))
        #expect(list.standardOutput.contains("+1 generic"))
        #expect(!list.standardOutput.contains(String(secret)))
        let renewed = try QRStoreProcess.run(["channels", "secret", "2"] + database, in: folder)
        let newSecret = try #require(renewed.standardOutput.firstMatch(of: #/listener secret: (\S{32})/#)).1
        #expect(newSecret != secret)
        let noChannel = try QRStoreProcess.run(["codes", "import", "--channel", "9", "any.png"] + database, in: folder)
        #expect(noChannel.status != 0 && noChannel.standardError.contains("no channel 9"))
        let store = try AppDatabase.open(path: folder.appendingPathComponent("store.sqlite").path)
        let codes = try await store.payCodes()
        #expect(codes.count == 1 && codes[0].channelId == 2 && codes[0].isGeneric)
        #expect(try await store.channel(id: 2)?.secret == String(newSecret))
    }

    @Test("bad options are refused with a clear message and nothing is written")
    func badOptions() throws {
        let folder = try Self.folder([("wechat_0.99.png", "png_gray8.png")])
        let badType = try QRStoreProcess.run(["codes", "import", "--type", "paypal", "wechat_0.99.png"], in: folder)
        #expect(badType.status != 0)
        #expect(badType.standardError.contains("--type must be wechat or alipay"))
        let badAmount = try QRStoreProcess.run(["codes", "scan", "--amount", "1.001", "wechat_0.99.png"], in: folder)
        #expect(badAmount.standardError.contains("--amount must be a positive amount"))
        let badConfig = try QRStoreProcess.run(
            ["codes", "import", "wechat_0.99.png"], in: folder, environment: ["QRSTORE_UPLOAD_MAX_PIXELS": "lots"])
        #expect(badConfig.standardError.contains("QRSTORE_UPLOAD_MAX_PIXELS"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("qrstore.sqlite").path))
    }

    @Test("backup copies the database, and refuses a missing database or an existing file")
    func backup() async throws {
        let folder = try Self.folder([("wechat_0.99.png", "png_gray8.png")])
        let missing = try QRStoreProcess.run(["backup", "copy.sqlite"], in: folder)
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("there is no database at qrstore.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("qrstore.sqlite").path))

        _ = try QRStoreProcess.run(["codes", "import", "wechat_0.99.png"], in: folder)
        let copied = try QRStoreProcess.run(["backup", "copy.sqlite"], in: folder)
        #expect(copied.status == 0, "\(copied.standardError)")
        let copy = try AppDatabase.open(path: folder.appendingPathComponent("copy.sqlite").path)
        #expect(try await copy.payCodes().map(\.payload) == [Fixtures.wechatPayload])

        let again = try QRStoreProcess.run(["backup", "copy.sqlite"], in: folder)
        #expect(again.status != 0 && again.standardError.contains("already exists"))
    }

    @Test("admin create and passwd take the password from standard input and store only a bcrypt hash")
    func adminAccounts() async throws {
        let folder = try Fixtures.temporaryDirectory()
        let created = try QRStoreProcess.run(
            ["admin", "create", "--username", "shop"], in: folder, input: "first password\n")
        #expect(created.status == 0, "\(created.standardError)")
        let database = try AppDatabase.open(path: folder.appendingPathComponent("qrstore.sqlite").path)
        let first = try #require(try await database.admin(username: "shop"))
        #expect(first.passwordHash.hasPrefix("$2") && !first.passwordHash.contains("first password"))

        let again = try QRStoreProcess.run(
            ["admin", "create", "--username", "SHOP"], in: folder, input: "another one\n")
        #expect(again.status != 0 && again.standardError.contains("already exists"))
        let short = try QRStoreProcess.run(["admin", "create", "--username", "x"], in: folder, input: "short\n")
        #expect(short.status != 0 && short.standardError.contains("at least 8 characters"))

        let changed = try QRStoreProcess.run(
            ["admin", "passwd", "--username", "shop"], in: folder, input: "second password\n")
        #expect(changed.status == 0)
        #expect(try await database.admin(username: "shop")?.passwordHash != first.passwordHash)
        let unknown = try QRStoreProcess.run(
            ["admin", "passwd", "--username", "nobody"], in: folder, input: "whatever1\n")
        #expect(unknown.standardError.contains("no seller account named nobody"))
    }

    @Test("serve answers /healthz and prints the listener secret on first start only")
    func serve() async throws {
        let folder = try Fixtures.temporaryDirectory()
        func startAndCheck(environment: [String: String] = [:]) async throws -> String {
            let server = try ServerProcess(in: folder, environment: environment)
            defer { server.stop(SIGINT) }
            let (status, body) = try await server.request("/healthz")
            #expect(status == 200 && body == "ok\n")
            return server.banner
        }
        let first = try await startAndCheck()
        #expect(first.contains("No seller account yet. Create it in the browser"))
        #expect(try first.firstMatch(of: #/admin/setup\?token=[0-9A-Za-z_-]{42}/#) != nil)
        let secret = try #require(first.firstMatch(of: #/listener secret: (\S{32})/#)).1
        let database = try AppDatabase.open(path: folder.appendingPathComponent("qrstore.sqlite").path)
        #expect(try await database.channel(id: 1)?.secret == String(secret))
        let second = try await startAndCheck(environment: ["QRSTORE_ADMIN_PASSWORD": "from the environment"])
        #expect(!second.contains("listener secret"))
        #expect(second.contains("Seller login: http://127.0.0.1:"))
        #expect(try await database.admin(username: "admin") != nil)
    }
}
