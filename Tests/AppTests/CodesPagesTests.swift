import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import StoreCore
import TestSupport
import Testing

@Suite("Pay-code pages: upload, list, coverage")
struct CodesPagesTests {
    /// The batch the issue names: good PNG, good JPEG, a ZIP, no QR, a GIF, a bomb, a duplicate.
    static func mixedBatch() throws -> [(String, Data)] {
        [
            ("wechat_0.99.png", try Fixtures.data("png_gray8.png")),
            ("alipay_1.00.jpg", try Fixtures.data("jpeg_baseline.jpg")),
            ("batch.zip", try Fixtures.data("batch.zip")),
            ("wechat_0.97.png", try Fixtures.data("no_qr.png")),
            ("wechat_0.96.gif", try Fixtures.data("not_supported.gif")),
            ("wechat_0.95.png", try Fixtures.data("bomb_30000x30000.png")),
            ("wx-0.99.png", try Fixtures.data("png_rgba8.png")),
        ]
    }

    @Test("a mixed batch upload shows one correct row per file, with thumbnails")
    func upload() async throws {
        try await GoodsPagesTests.withSeller { browser, database in
            let response = try await browser.upload("/admin/codes/upload", files: try Self.mixedBatch())
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            let rows = html.components(separatedBy: "<tr class=\"").dropFirst().map { $0.prefix(while: { $0 != "\"" }) }
            #expect(
                rows == [
                    "imported", "imported", "duplicate", "duplicate", "imported", "rejected", "rejected", "rejected",
                    "duplicate",
                ])
            #expect(html.contains("<strong>3</strong> imported"))
            #expect(html.contains("No QR code was found"))
            #expect(html.contains("Not a PNG or JPEG image"))
            #expect(html.contains("The file is too large"))
            #expect(html.contains("/admin/codes/1/image.png"))
            #expect(try await database.payCodes().count == 3)
            let image = try await browser.get("/admin/codes/1/image.png")
            #expect(image.headers[.contentType] == "image/png")
            #expect(try QRCodeReader().payloads(in: Data(buffer: image.body)) == [Fixtures.wechatPayload])
        }
    }

    @Test("an upload needs the CSRF header")
    func uploadCSRF() async throws {
        try await GoodsPagesTests.withSeller { browser, database in
            let (contentType, body) = Multipart.body(files: [("wechat_0.99.png", try Fixtures.data("png_gray8.png"))])
            let response = try await browser.send(
                "/admin/codes/upload", method: .post, headers: [.contentType: contentType], body: body)
            #expect(response.status == .forbidden)
            #expect(try await database.payCodes().isEmpty)
        }
    }

    @Test("a file over upload.maxFileBytes gets its own refusal; a request over the total is refused whole")
    func sizeCaps() async throws {
        let services = try await TestServices.make([
            "upload.maxFileBytes": .int(5000), "upload.maxRequestBytes": .int(60_000),
        ])
        try await TestServices.addSeller(services)
        try await TestServices.test(services) { client in
            var browser = Browser(client)
            _ = try await browser.logIn()
            let big = Data(repeating: 0x89, count: 6000)
            let mixed = try await browser.upload(
                "/admin/codes/upload",
                files: [("wechat_0.99.png", try Fixtures.data("png_gray8.png")), ("big.png", big)])
            #expect(mixed.status == .ok)
            let html = String(buffer: mixed.body)
            #expect(html.contains("<strong>1</strong> imported"))
            #expect(html.contains("6000 bytes; the limit is 5000 bytes"))
            let huge = try await browser.upload("/admin/codes/upload", files: [("a.png", Data(count: 70_000))])
            #expect(huge.status == .contentTooLarge)
            #expect(String(buffer: huge.body).contains("The upload is larger than"))
            #expect(try await services.database.payCodes().count == 1)
        }
    }

    @Test("an upload with nothing in it, or a bad amount, is refused with a message")
    func badUploads() async throws {
        try await GoodsPagesTests.withSeller { browser, database in
            let empty = try await browser.upload("/admin/codes/upload", files: [], fields: [("type", "wechat")])
            #expect(empty.status == .unprocessableContent)
            #expect(String(buffer: empty.body).contains("Choose at least one image"))
            let badAmount = try await browser.upload(
                "/admin/codes/upload", files: [("a.png", try Fixtures.data("png_gray8.png"))],
                fields: [("amount", "1.001")])
            #expect(badAmount.status == .unprocessableContent)
            let badType = try await browser.upload(
                "/admin/codes/upload", files: [("a.png", try Fixtures.data("png_gray8.png"))],
                fields: [("type", "paypal")])
            #expect(badType.status == .unprocessableContent)
            #expect(try await database.payCodes().isEmpty)
        }
    }

    @Test("the list filters by type, amount and state; codes can be switched off, on and deleted")
    func listAndChange() async throws {
        try await GoodsPagesTests.withSeller { browser, database in
            _ = try await browser.upload("/admin/codes/upload", files: try Self.mixedBatch())
            let wechat = String(buffer: try await browser.get("/admin/codes?type=wechat").body)
            #expect(wechat.contains(Fixtures.wechatPayload) && !wechat.contains(Fixtures.alipayPayload))
            let amount = String(buffer: try await browser.get("/admin/codes?amount=1.00").body)
            #expect(amount.contains(Fixtures.alipayPayload) && !amount.contains(Fixtures.wechatPayload))
            #expect(try await browser.post("/admin/codes/1/disable", form: []).status == .seeOther)
            #expect(try await database.payCode(id: 1)?.enabled == false)
            let off = String(buffer: try await browser.get("/admin/codes?enabled=no").body)
            #expect(off.contains(Fixtures.wechatPayload) && !off.contains(Fixtures.alipayPayload))
            #expect(try await browser.post("/admin/codes/1/enable", form: []).status == .seeOther)
            #expect(try await database.payCode(id: 1)?.enabled == true)
            #expect(try await browser.post("/admin/codes/1/delete", form: []).status == .seeOther)
            #expect(try await database.payCode(id: 1) == nil)
            #expect(try await browser.post("/admin/codes/1/delete", form: []).status == .notFound)
        }
    }

    @Test("the coverage grid shows each price's amounts and marks the gaps")
    func coverage() async throws {
        try await GoodsPagesTests.withSeller { browser, database in
            _ = try await database.createGoods(GoodsDraft(name: "Book", price: Money(fen: 100)))
            _ = try await browser.upload("/admin/codes/upload", files: try Self.mixedBatch())
            let html = String(buffer: try await browser.get("/admin/coverage").body)
            #expect(html.contains("¥ 1.00") && html.contains("Book"))
            // 11 amounts × 2 types = 22 cells; 0.99 and 0.98 have WeChat codes, 1.00 an Alipay one.
            #expect(html.components(separatedBy: "class=\"gap\"").count - 1 == 19)
            #expect(html.contains("19 missing"))
            let dashboard = String(buffer: try await browser.get("/admin").body)
            #expect(dashboard.contains("<strong>19</strong> missing amounts"))
        }
    }
}
