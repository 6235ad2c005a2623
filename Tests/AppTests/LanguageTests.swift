import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StoreCore
import TestSupport
import Testing

@testable import App

@Suite("Two languages")
struct LanguageTests {
    static func strings() throws -> Strings {
        try Strings(directory: TestServices.repository.appendingPathComponent("Config/strings").path)
    }

    @Test("every key of the language tables exists in both languages, and none is empty")
    func completeTables() throws {
        let strings = try Self.strings()
        let chinese = strings.keys(.zhCN), english = strings.keys(.en)
        #expect(chinese.subtracting(english).isEmpty, "missing in en.json: \(chinese.subtracting(english).sorted())")
        #expect(english.subtracting(chinese).isEmpty, "missing in zh-CN.json: \(english.subtracting(chinese).sorted())")
        for key in chinese {
            #expect(!strings.text(key, in: .zhCN).isEmpty && !strings.text(key, in: .en).isEmpty, "\(key)")
        }
    }

    @Test("every text a template or the code names is in the tables")
    func namedKeysExist() throws {
        let keys = try Self.strings().keys(.zhCN)
        var named = Set<String>()
        let folders = ["Templates", "Sources/App"]
        for folder in folders {
            let root = TestServices.repository.appendingPathComponent(folder)
            for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)! {
                guard ["mustache", "swift"].contains(url.pathExtension) else { continue }
                let text = try String(contentsOf: url, encoding: .utf8)
                for match in text.matches(of: #/\{\{t\.([a-zA-Z.]+)\}\}/#) { named.insert(String(match.1)) }
                // `text("pay.exactly"…` and `LocalizedFailure(.notFound, "errors.notFound"…`
                let inCode =
                    #/(?:text\(|\.\w+, )"((?:errors|pay|goods|storefront|error|language|admin|messages|lookup|input|upload|email|channelProblems|merchantProblems)\.[a-zA-Z]+)"/#
                for match in text.matches(of: inCode) { named.insert(String(match.1)) }
            }
        }
        #expect(!named.isEmpty)
        #expect(named.subtracting(keys).isEmpty, "not in the tables: \(named.subtracting(keys).sorted())")
    }

    @Test(
        "Accept-Language picks the language by weight; other languages fall back",
        arguments: [
            ("zh-CN,zh;q=0.9,en;q=0.8", Language.zhCN), ("en-US,en;q=0.9", .en), ("fr-FR,en;q=0.5,zh;q=0.4", .en),
            ("en;q=0.2, zh-TW;q=0.8", .zhCN), ("zh-Hans", .zhCN), ("de", nil), ("", nil), ("*", nil),
        ])
    func negotiation(_ header: String, _ expected: Language?) {
        #expect(Language.preferred(byAcceptLanguage: header) == expected)
    }

    @Test("pages and messages say they vary by language; the error page's title is in the visitor's language")
    func varyAndErrorTitle() async throws {
        try await TestServices.test(try await TestServices.make()) { client in
            let page = try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "zh-CN"])
            #expect(page.headers[.vary] == "Accept-Language, Cookie")
            let missing = try await client.execute(
                uri: "/goods/nothing", method: .get, headers: [.acceptLanguage: "zh-CN"])
            #expect(missing.status == .notFound && missing.headers[.vary] == "Accept-Language, Cookie")
            let html = String(buffer: missing.body)
            #expect(html.contains("<h1>404 · 找不到</h1>") && !html.contains("Not Found"))
            let css = try await client.execute(uri: "/static/css/site.css", method: .get)
            #expect(css.status == .ok && css.headers[.vary] == nil)
        }
    }

    @Test("product and pay pages in Chinese and English, by Accept-Language; site.language when none fits")
    func buyerPages() async throws {
        let shop = try await Shop.make(["site.language": .string("zh-CN")])
        try await TestServices.test(shop.services) { client in
            func page(_ path: String, _ language: String?) async throws -> String {
                var headers: HTTPFields = [:]
                if let language { headers[.acceptLanguage] = language }
                return String(buffer: try await client.execute(uri: path, method: .get, headers: headers).body)
            }
            let goods = "/goods/\(shop.goods.id)"
            let chinese = try await page(goods, "zh-CN,zh;q=0.9")
            #expect(chinese.contains(#"<html lang="zh-CN">"#) && chinese.contains("购买") && chinese.contains("微信支付"))
            let english = try await page(goods, "en-US,en;q=0.9")
            #expect(english.contains(#"<html lang="en">"#) && english.contains(">Buy<") && !english.contains("购买"))
            #expect(try await page(goods, "fr-FR").contains("购买"), "site.language when nothing fits")

            let id = try #require(try Shop.json(try await Shop.order(client, goods: shop.goods.id))["id"] as? String)
            #expect(try await page("/pay/\(id)", "zh-CN").contains("请支付准确金额"))
            #expect(try await page("/pay/\(id)", "en").contains("Pay exactly"))
        }
    }

    @Test("a buyer's JSON refusal speaks the buyer's language")
    func jsonMessages() async throws {
        let shop = try await Shop.make(amounts: [100])
        let big = try await shop.services.database.createGoods(GoodsDraft(name: "Big", price: Money(fen: 5000)))
        try await TestServices.test(shop.services) { client in
            let answer = try await client.execute(
                uri: "/api/orders", method: .post,
                headers: [.contentType: "application/json", .acceptLanguage: "zh-CN"],
                body: ByteBuffer(string: #"{"goods": "\#(big.id)", "type": "wechat"}"#))
            #expect(answer.status == .conflict)
            #expect((try Shop.json(answer)["message"] as? String)?.contains("卖家尚未") == true)
        }
    }

    @Test("the switch in the header keeps the choice in a cookie and goes back, only to this site")
    func languageSwitch() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            let goods = "/goods/\(shop.goods.id)"
            let english = String(buffer: try await client.execute(uri: goods, method: .get).body)
            let back = goods.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(english.contains("/lang/zh-CN?back=\(back)"))
            let switched = try await client.execute(uri: "/lang/zh-CN?back=\(goods)", method: .get)
            #expect(switched.status == .seeOther && switched.headers[.location] == goods)
            let cookie = try #require(switched.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            #expect(cookie == "qrstore_lang=zh-CN")
            let page = try await client.execute(
                uri: goods, method: .get, headers: [.cookie: cookie, .acceptLanguage: "en"])
            #expect(String(buffer: page.body).contains("购买"))
            for back in [
                "//evil.example/x", "https://evil.example/", "/\\evil", "/\t/evil.example", "/\n/evil.example", "/\r/x",
                "/ /x",
            ] {
                let away = try await client.execute(
                    uri: "/lang/en?back=\(back.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                    method: .get)
                #expect(away.headers[.location] == "/", "\(back)")
            }
            #expect(try await client.execute(uri: "/lang/fr", method: .get).status == .notFound)
        }
    }

    @Test("the seller's pages and messages follow the same rule")
    func sellerPages() async throws {
        let services = try await TestServices.make()
        try await TestServices.addSeller(services)
        try await TestServices.test(services) { client in
            var browser = Browser(client)
            _ = try await browser.logIn()
            let chinese = String(
                buffer: try await browser.get("/admin", headers: [.acceptLanguage: "zh-CN"]).body)
            #expect(chinese.contains("概览") && chinese.contains("退出登录") && chinese.contains("等待付款"))
            let english = String(buffer: try await browser.get("/admin", headers: [.acceptLanguage: "en"]).body)
            #expect(english.contains("Overview") && english.contains("Log out"))
            let refused = try await client.execute(
                uri: "/admin/api/goods", method: .get,
                headers: [.authorization: "Bearer wrong", .acceptLanguage: "zh-CN", .accept: "application/json"])
            #expect((try Shop.json(refused)["message"] as? String)?.contains("令牌") == true)
        }
    }

    @Test("site.name names the shop in every title and header, and site.notice is on the store front")
    func shopIdentity() async throws {
        let named = try await Shop.make(["site.name": .string("小林的书店"), "site.notice": .string("今日八折 <b>!</b>")])
        try await TestServices.test(named.services) { client in
            let front = String(buffer: try await client.execute(uri: "/", method: .get).body)
            #expect(front.contains("<title>") && front.contains("· 小林的书店</title>"))
            #expect(front.contains("今日八折 &lt;b&gt;!&lt;/b&gt;"))
            let goods = String(buffer: try await client.execute(uri: "/goods/\(named.goods.id)", method: .get).body)
            #expect(goods.contains("class=\"brand\"") && goods.contains(">小林的书店</a>"))
        }
        let plain = try await Shop.make()
        try await TestServices.test(plain.services) { client in
            let front = String(
                buffer: try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "zh-CN"]).body)
            #expect(front.contains(">商店</a>") && !front.contains("QRStore"))
        }
    }

    @Test(
        "every reason an upload can be refused for has its explanation in both languages; the upload speaks the seller's"
    )
    func rejections() async throws {
        let strings = try Self.strings()
        for reason in Rejection.allCases {
            #expect(strings.keys(.zhCN).contains("rejections.\(reason.rawValue)"), "\(reason)")
        }
        for problem in InvalidGoods.allCases {
            #expect(strings.keys(.zhCN).contains("goodsProblems.\(problem.rawValue)"), "\(problem)")
        }
        for problem in [ChannelError.notFound, .badName, .secretTooShort, .secretTaken, .inUse, .first] {
            #expect(strings.keys(.zhCN).contains("channelProblems.\(problem.key)"), "\(problem)")
        }
        for reason in ListenerNotification.Reason.allCases {
            #expect(strings.keys(.zhCN).contains("admin.unreadReason.\(reason.rawValue)"), "\(reason)")
        }
        for problem in InvalidShopSettings.allCases {
            #expect(strings.keys(.zhCN).contains("settingsProblems.\(problem.rawValue)"), "\(problem)")
        }
        try await TestServices.test(try await TestServices.make()) { client in
            let (contentType, body) = Multipart.body(files: [
                ("wechat_0.99.gif", try Fixtures.data("not_supported.gif"))
            ])
            let answer = try await client.execute(
                uri: "/admin/api/codes", method: .post,
                headers: [
                    .authorization: "Bearer \(TestServices.apiToken)", .contentType: contentType,
                    .acceptLanguage: "zh-CN",
                ], body: body)
            let results = try #require(try Shop.json(answer)["results"] as? [[String: Any]])
            #expect((results.first?["message"] as? String)?.hasPrefix("不是 PNG 或 JPEG 图片。") == true)
            #expect(results.first?["reason"] as? String == "unsupported_format")
        }
    }
}
