import Foundation
import Imaging
import StoreCore
import TestSupport
import Testing

@Suite("Importing a batch of pay codes")
struct PayCodeImporterTests {
    struct Setup {
        let folder: URL
        let database: AppDatabase
        let uploads: URL
        let importer: PayCodeImporter

        init() throws {
            folder = try Fixtures.temporaryDirectory()
            database = try AppDatabase.open(path: folder.appendingPathComponent("store.sqlite").path)
            uploads = folder.appendingPathComponent("Uploads")
            importer = PayCodeImporter(
                database: database, blobs: FileBlobStore(root: uploads), limits: UploadLimits())
        }
    }

    /// A batch as an upload would bring it: (name, fixture).
    static func batch(_ files: [(String, String)]) throws -> [BatchEntry] {
        let reader = BatchReader(limits: UploadLimits())
        return try files.flatMap { name, fixture in reader.entries(name: name, data: try Fixtures.data(fixture)) }
    }

    @Test("a mixed batch gives one correct result per file")
    func mixedBatch() async throws {
        // setup
        let setup = try Setup()
        let unknownPayload = try QRRenderer().renderPNG("https://example.com/pay/123")
        var entries = try Self.batch([
            ("wechat_0.99.png", "png_gray8.png"), ("alipay_1.00.jpg", "jpeg_baseline.jpg"),
            ("batch.zip", "batch.zip"), ("wechat_0.95.png", "no_qr.png"),
            ("wechat_0.94.gif", "not_supported.gif"), ("wechat_0.93.png", "bomb_30000x30000.png"),
            ("wechat_0.90.jpg", "jpeg_progressive.jpg"), ("photo.png", "inverted.png"),
            ("wechat_0.92.png", "multiple.png"), ("wechat_0.91.png", "corrupt_damaged.png"),
        ])
        entries.append(BatchEntry(name: "0.97.png", data: unknownPayload))
        // MUT
        let results = try await setup.importer.importBatch(entries, hints: FileNameHints())
        // validate
        let summary = results.map { "\($0.file) \($0.status.rawValue) \($0.reason?.rawValue ?? "")" }
        #expect(
            summary == [
                "wechat_0.99.png imported ", "alipay_1.00.jpg imported ",
                "batch.zip/codes/wechat_0.99.png duplicate ", "batch.zip/codes/alipay-1.00.jpg duplicate ",
                "batch.zip/codes/sub/0.98.png imported ", "wechat_0.95.png rejected no_qr",
                "wechat_0.94.gif rejected unsupported_format", "wechat_0.93.png rejected too_large",
                "wechat_0.90.jpg rejected type_conflict", "photo.png rejected no_amount",
                "wechat_0.92.png rejected multiple_qr", "wechat_0.91.png rejected corrupt",
                "0.97.png rejected no_type",
            ])
        #expect(results[0].type == .wechat && results[0].amount == Money(fen: 99))
        #expect(results[0].payload == Fixtures.wechatPayload)
        #expect(results[2].id == results[0].id)
        #expect(results[4].type == .wechat && results[4].amount == Money(fen: 98))
        #expect(results[12].payload == "https://example.com/pay/123")
        #expect(results.filter { $0.status == .rejected }.allSatisfy { !($0.message ?? "").isEmpty })
        let stored = try await setup.database.payCodes()
        #expect(stored.count == 3)
        #expect(
            Set(stored.map(\.payload)) == [
                Fixtures.wechatPayload, Fixtures.alipayPayload, Fixtures.otherPayload,
            ])
    }

    @Test("the original is kept byte for byte and a clean PNG is rendered beside it")
    func storage() async throws {
        let setup = try Setup()
        let results = try await setup.importer.importBatch(
            try Self.batch([("alipay_1.00.jpg", "jpeg_baseline.jpg")]), hints: FileNameHints())
        #expect(results.first?.status == .imported)
        let code = try #require(try await setup.database.payCodes().first)
        let blobs = FileBlobStore(root: setup.uploads)
        let original = try blobs.read(kind: .original, digest: code.originalDigest, fileExtension: "jpg")
        #expect(original == (try Fixtures.data("jpeg_baseline.jpg")))
        let rendered = try blobs.read(kind: .rendered, digest: code.renderedDigest, fileExtension: "png")
        #expect(ImageFormat.detect(rendered) == .png)
        #expect(try QRCodeReader().payloads(in: rendered) == [Fixtures.alipayPayload])
        #expect(code.originalName == "alipay_1.00.jpg" && code.originalFormat == "jpeg")
    }

    @Test("the form's type and amount fill what the name does not say")
    func formHints() async throws {
        let setup = try Setup()
        let unknownPayload = try QRRenderer().renderPNG("https://example.com/pay/456")
        let results = try await setup.importer.importBatch(
            [BatchEntry(name: "IMG_0001.png", data: unknownPayload)],
            hints: FileNameHints(type: .alipay, amount: Money(fen: 95)))
        #expect(results.first?.status == .imported)
        #expect(results.first?.type == .alipay && results.first?.amount == Money(fen: 95))
    }

    @Test("hostile ZIP names never reach the file system")
    func hostileZip() async throws {
        let setup = try Setup()
        let results = try await setup.importer.importBatch(
            try Self.batch([("hostile.zip", "hostile.zip")]), hints: FileNameHints())
        #expect(results.map(\.status) == [.imported, .imported, .rejected])
        let everything = FileManager.default.enumerator(atPath: setup.folder.path)?.allObjects as? [String] ?? []
        let files = everything.filter { !$0.hasPrefix("store.sqlite") }.filter {
            var folder: ObjCBool = false
            _ = FileManager.default.fileExists(
                atPath: setup.folder.appendingPathComponent($0).path, isDirectory: &folder)
            return !folder.boolValue
        }
        // Only content-addressed names: Uploads/<kind>/<2 hex>/<64 hex>.<ext>
        let pattern = #/^Uploads/(originals|codes)/[0-9a-f]{2}/[0-9a-f]{64}\.(png|jpg)$/#
        #expect(files.count == 4)
        #expect(files.allSatisfy { $0.wholeMatch(of: pattern) != nil }, "\(files)")
    }

    @Test("scanning reports codes without storing them")
    func scanOnly() async throws {
        let results = await PayCodeImporter.scan(
            try Self.batch([("wechat_0.99.png", "png_gray8.png"), ("x.png", "no_qr.png")]),
            hints: FileNameHints(), maxPixels: 40_000_000)
        #expect(
            results == [
                CodeResult(
                    file: "wechat_0.99.png", status: .ok, type: .wechat, amount: Money(fen: 99),
                    payload: Fixtures.wechatPayload),
                .rejected("x.png", .noQR, detail: ""),
            ])
    }
}

@Suite("What a pay code must be")
struct PayCodeRulesTests {
    @Test("an empty file is corrupt, and an amount of 0 is no amount")
    func emptyAndZero() async throws {
        let setup = try PayCodeImporterTests.Setup()
        let results = try await setup.importer.importBatch(
            [BatchEntry(name: "wechat_0.99.png", data: Data())]
                + (try PayCodeImporterTests.batch([("wechat_0.00.png", "png_gray8.png"), ("0.png", "png_gray8.png")])),
            hints: FileNameHints())
        #expect(results.map(\.reason) == [.corrupt, .noAmount, .noAmount])
        #expect(results[0].message?.contains("empty") == true)
        #expect(try await setup.database.payCodes().isEmpty)
    }

    @Test(
        "a payload that cannot take money is refused unless the batch accepts any payload",
        arguments: ["hello", "13800138000", "WIFI:S:cafe;T:WPA;P:secret;;", "wxp:/broken", "https://"])
    func notAPayCode(_ payload: String) async throws {
        let setup = try PayCodeImporterTests.Setup()
        let entry = BatchEntry(name: "wechat_0.99.png", data: try QRRenderer().renderPNG(payload))
        let refused = try await setup.importer.importBatch([entry], hints: FileNameHints())
        #expect(refused.first?.reason == .notAPayCode && refused.first?.payload == payload)
        let accepted = try await setup.importer.importBatch([entry], hints: FileNameHints(allowAnyPayload: true))
        #expect(accepted.first?.status == .imported)
    }

    @Test(
        "wallet schemes and web addresses can take money",
        arguments: [
            "wxp://f2f0abc", "https://qr.alipay.com/fkx123", "HTTPS://QR.ALIPAY.COM/FKX123", "alipays://platformapi/x",
            "https://example.com/pay/1",
        ])
    func payCodes(_ payload: String) {
        #expect(PayloadKind.canTakeMoney(payload))
    }

    @Test("the clean rendering that buyers are shown scans back to the stored payload")
    func renderingScansBack() async throws {
        let setup = try PayCodeImporterTests.Setup()
        let results = try await setup.importer.importBatch(
            try PayCodeImporterTests.batch([("alipay_0.99.jpg", "photo.jpg")]), hints: FileNameHints())
        let id = try #require(results.first?.id)
        let code = try #require(try await setup.database.payCode(id: id))
        let rendered = try FileBlobStore(root: setup.uploads).read(
            kind: .rendered, digest: code.renderedDigest, fileExtension: "png")
        #expect(try QRCodeReader().payloads(in: rendered) == [code.payload])
    }
}
