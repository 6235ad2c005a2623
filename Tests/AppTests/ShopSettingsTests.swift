import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StoreCore
import TestSupport
import Testing

@testable import App

@Suite("Shop settings on the settings page")
struct ShopSettingsTests {
    @Test("name, notice, discount and order lifetime saved on the page are in force at once, and after a restart")
    func saveAndApply() async throws {
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("store.sqlite").path
        let shop = try await Shop.make(
            ["site.name": .string("Configured name"), "discount.mode": .string("always")],
            database: try AppDatabase.open(path: file))
        try await TestServices.addSeller(shop.services)
        try await TestServices.test(shop.services) { client in
            var seller = Browser(client)
            _ = try await seller.logIn()
            var page = String(buffer: try await seller.get("/admin/settings").body)
            #expect(page.contains(#"name="name" value="Configured name""#))
            #expect(page.contains(#"name="orderTTL" value="300""#))
            let saved = try await seller.post(
                "/admin/settings/shop",
                form: [("name", "小林的店"), ("notice", "今日上新"), ("discountMax", "0.05"), ("orderTTL", "120")])
            #expect(saved.status == .seeOther || saved.status == .found)
            page = String(buffer: try await seller.get("/admin/settings?saved=1").body)
            #expect(page.contains(#"name="discountMax" value="0.05""#) && page.contains("Saved"))

            let front = String(buffer: try await client.execute(uri: "/", method: .get).body)
            #expect(front.contains("小林的店") && front.contains("今日上新") && !front.contains("Configured name"))
            // New orders live 120 s and are at most 0.05 below the price.
            for index in 0..<6 {
                let order = try Shop.json(try await Shop.order(client, goods: shop.goods.id, buyer: "buyer-\(index)"))
                let amountText = try #require(order["amount"] as? String)
                let amount = try #require(Money(parsing: amountText))
                #expect(amount.fen >= 95 && amount.fen <= 100)
                let expires = try #require(order["expiresAt"] as? String)
                #expect(ISO8601DateFormatter().date(from: expires) == shop.clock.now().addingTimeInterval(120))
            }
        }
        // A new start of the same database keeps them.
        let restarted = try await TestServices.make(database: shop.services.database)
        try await restarted.applySavedSettings()
        #expect(restarted.pages.site.current == .init(name: "小林的店", notice: "今日上新"))
        #expect(restarted.orderRules.current == .init(discountMax: Money(fen: 5), orderTTL: 120))
    }

    @Test("values out of range are refused with the reason, and nothing is saved")
    func refused() async throws {
        let services = try await TestServices.make()
        try await TestServices.addSeller(services)
        try await TestServices.test(services) { client in
            var seller = Browser(client)
            _ = try await seller.logIn()
            let cases: [([(String, String)], String)] = [
                ([("discountMax", "0.5x"), ("orderTTL", "300")], "from 0.00 to 0.99"),
                ([("discountMax", "1.00"), ("orderTTL", "300")], "from 0.00 to 0.99"),
                ([("discountMax", "0.10"), ("orderTTL", "10")], "from 60 to 3600"),
                ([("discountMax", "0.10"), ("orderTTL", "ten")], "from 60 to 3600"),
            ]
            for (fields, reason) in cases {
                let answer = try await seller.post(
                    "/admin/settings/shop",
                    form: [("name", String(repeating: "x", count: 10)), ("notice", "")] + fields)
                #expect(answer.status == .unprocessableContent)
                #expect(String(buffer: answer.body).contains(reason))
            }
            let long = try await seller.post(
                "/admin/settings/shop",
                form: [
                    ("name", String(repeating: "长", count: 61)), ("notice", ""), ("discountMax", "0.10"),
                    ("orderTTL", "300"),
                ])
            #expect(long.status == .unprocessableContent)
            // A form without the page's token changes nothing.
            let forged = try await seller.post(
                "/admin/settings/shop",
                form: [("name", "x"), ("notice", ""), ("discountMax", "0.10"), ("orderTTL", "300")],
                csrf: .some(nil))
            #expect(forged.status == .forbidden)
        }
        #expect(try await services.database.shopSettings() == ShopSettings())
    }
}
