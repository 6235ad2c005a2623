import Foundation
import Hummingbird
import HummingbirdTesting
import StoreCore
import Testing

@Suite("Goods pages and the store front")
struct GoodsPagesTests {
    /// Services with a logged-in browser.
    static func withSeller(_ body: @escaping @Sendable (inout Browser, AppDatabase) async throws -> Void) async throws {
        let services = try await TestServices.make()
        try await TestServices.addSeller(services)
        try await TestServices.test(services) { client in
            var browser = Browser(client)
            _ = try await browser.logIn()
            try await body(&browser, services.database)
        }
    }

    @Test("a seller creates goods, which the store front lists and links with a nanoid")
    func create() async throws {
        try await Self.withSeller { browser, database in
            let created = try await browser.post(
                "/admin/goods",
                form: [
                    ("name", "E-book"), ("price", "1.0"), ("description", "Line one\nLine two"),
                    ("delivery", "https://example.com/download"), ("enabled", "on"),
                ])
            #expect(created.status == .seeOther)
            let goods = try #require(try await database.goodsList().first)
            #expect(goods.id.count == 21 && goods.price == Money(fen: 100))
            #expect(created.headers[.location] == "/admin/goods/\(goods.id)/edit?saved=1")
            let edit = String(buffer: try await browser.get("/admin/goods/\(goods.id)/edit?saved=1").body)
            #expect(edit.contains("Saved.") && edit.contains("/goods/\(goods.id)") && edit.contains("Copy link"))
            let front = String(buffer: try await browser.get("/").body)
            #expect(front.contains("E-book") && front.contains("/goods/\(goods.id)") && front.contains("1.00"))
            let page = String(buffer: try await browser.get("/goods/\(goods.id)").body)
            #expect(page.contains("Line one\nLine two"))
            #expect(!page.contains("example.com/download"), "the delivery is only shown once paid")
        }
    }

    @Test("names and descriptions are shown escaped everywhere")
    func escaping() async throws {
        try await Self.withSeller { browser, database in
            _ = try await browser.post(
                "/admin/goods",
                form: [
                    ("name", "<script>alert(1)</script>"), ("price", "2"),
                    ("description", "<img src=x onerror=alert(2)>"), ("enabled", "on"),
                ])
            let goods = try #require(try await database.goodsList().first)
            #expect(goods.name == "<script>alert(1)</script>")
            for path in ["/", "/goods/\(goods.id)", "/admin/goods", "/admin/goods/\(goods.id)/edit", "/admin/coverage"]
            {
                let html = String(buffer: try await browser.get(path).body)
                #expect(!html.contains("<script>alert(1)"), "\(path)")
                #expect(!html.contains("<img src=x"), "\(path)")
            }
            let front = String(buffer: try await browser.get("/").body)
            #expect(front.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }

    @Test(
        "bad input is refused with the reason and nothing is saved",
        arguments: [
            ("", "1.00", "Give the goods a name."), ("A", "1.001", "Write the price like 1.00"),
            ("A", "-1", "Write the price like 1.00"), ("A", "abc", "Write the price like 1.00"),
            ("A", "0", "The price must be at least 0.01."),
            (String(repeating: "n", count: 201), "1", "longer than 200"),
        ])
    func badInput(_ name: String, _ price: String, _ message: String) async throws {
        try await Self.withSeller { browser, database in
            let response = try await browser.post("/admin/goods", form: [("name", name), ("price", price)])
            #expect(response.status == .unprocessableContent)
            #expect(String(buffer: response.body).contains(message))
            #expect(try await database.goodsList().isEmpty)
        }
    }

    @Test("edits are saved; disabled goods leave the store front and their page")
    func editAndDisable() async throws {
        try await Self.withSeller { browser, database in
            let goods = try await database.createGoods(GoodsDraft(name: "Old", price: Money(fen: 100)))
            let saved = try await browser.post(
                "/admin/goods/\(goods.id)", form: [("name", "New"), ("price", "0.50"), ("enabled", "on")])
            #expect(saved.status == .seeOther)
            #expect(try await database.goods(id: goods.id)?.name == "New")
            #expect(try await database.goods(id: goods.id)?.price == Money(fen: 50))
            #expect(try await browser.post("/admin/goods/\(goods.id)/disable", form: []).status == .seeOther)
            #expect(!String(buffer: try await browser.get("/").body).contains("New"))
            let page = try await browser.get("/goods/\(goods.id)")
            #expect(page.status == .notFound)
            #expect(String(buffer: page.body).contains("not for sale"))
            #expect(try await browser.post("/admin/goods/\(goods.id)/enable", form: []).status == .seeOther)
            #expect(try await browser.get("/goods/\(goods.id)").status == .ok)
            #expect(try await browser.get("/admin/goods/\(String(repeating: "x", count: 21))/edit").status == .notFound)
        }
    }

    @Test("unknown pages answer 404 as a page, and static files are served")
    func notFoundAndStatic() async throws {
        try await TestServices.test(try await TestServices.make()) { client in
            let missing = try await client.execute(uri: "/no/such/page", method: .get)
            #expect(missing.status == .notFound)
            #expect(String(buffer: missing.body).contains("<h1>404"))
            let traversal = try await client.execute(uri: "/goods/../../etc/passwd", method: .get)
            #expect([.badRequest, .notFound].contains(traversal.status))
            #expect(!String(buffer: traversal.body).contains("root:"))
            let staticTraversal = try await client.execute(uri: "/static/../Package.swift", method: .get)
            #expect([.badRequest, .notFound].contains(staticTraversal.status))
            let css = try await client.execute(uri: "/static/css/site.css", method: .get)
            #expect(css.status == .ok && String(buffer: css.body).contains(":root"))
            let hash = try await client.execute(uri: "/static/js/hash-links.js", method: .get)
            #expect(String(buffer: hash.body).contains("location.replace"))
        }
    }
}
