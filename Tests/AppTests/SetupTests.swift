import Foundation
import Hummingbird
import HummingbirdTesting
import StoreCore
import Testing

@testable import App

@Suite("First start in the browser")
struct SetupTests {
    static func services(token: SetupToken) async throws -> AppServices {
        let base = try await TestServices.make()
        return AppServices(
            configuration: base.configuration, database: base.database, pages: base.pages,
            listenerSecret: TestServices.listenerSecret, passwords: PasswordHasher(cost: 4), setupToken: token)
    }

    @Test("the set-up link makes the first seller account once, logs in, and is refused afterwards")
    func setupOnce() async throws {
        let token = SetupToken.make()
        let services = try await Self.services(token: token)
        let link = "/admin/setup?token=\(token.value!)"
        try await TestServices.test(services) { client in
            var browser = Browser(client)
            #expect(try await browser.get("/admin/setup?token=wrong").status == .notFound)
            #expect(try await browser.get("/admin/setup").status == .notFound)
            let form = try await browser.get(link)
            #expect(form.status == .ok && String(buffer: form.body).contains("Create the seller account"))
            let blank = try await browser.post(
                "/admin/setup",
                form: [
                    ("token", token.value!), ("username", "   "), ("password", "long enough 1"),
                    ("repeated", "long enough 1"),
                ])
            #expect(blank.status == .unprocessableContent && token.value != nil, "a typo does not use the link up")
            let short = try await browser.post(
                "/admin/setup",
                form: [("token", token.value!), ("username", "shop"), ("password", "short"), ("repeated", "short")])
            #expect(short.status == .unprocessableContent)
            let differ = try await browser.post(
                "/admin/setup",
                form: [
                    ("token", token.value!), ("username", "shop"), ("password", "long enough 1"),
                    ("repeated", "long enough 2"),
                ])
            #expect(String(buffer: differ.body).contains("The two passwords differ."))
            let made = try await browser.post(
                "/admin/setup",
                form: [
                    ("token", token.value!), ("username", "shop"), ("password", "long enough 1"),
                    ("repeated", "long enough 1"),
                ])
            #expect(made.status == .seeOther && made.headers[.location] == "/admin")
            #expect(try await browser.get("/admin").status == .ok, "logged in")
            #expect(try await services.database.admin(username: "shop") != nil)
            #expect(try await browser.get(link).status == .notFound, "used up")
            var stranger = Browser(client)
            let again = try await stranger.post(
                "/admin/setup",
                form: [
                    ("token", "anything"), ("username", "evil"), ("password", "long enough 1"),
                    ("repeated", "long enough 1"),
                ])
            #expect(again.status == .notFound)
            #expect(try await services.database.adminCount() == 1)
        }
    }

    @Test("with a seller account already there the link is refused even with the right token")
    func refusedWithAccount() async throws {
        let token = SetupToken.make()
        let services = try await Self.services(token: token)
        try await TestServices.addSeller(services)
        try await TestServices.test(services) { client in
            let answer = try await client.execute(uri: "/admin/setup?token=\(token.value!)", method: .get)
            #expect(answer.status == .notFound)
        }
    }

    @Test("the first account is made only while there is none, checked in the same transaction")
    func onlyFirst() async throws {
        let database = try AppDatabase.inMemory()
        _ = try await database.createAdmin(username: "made-by-cli", passwordHash: "$2b$04$x")
        await #expect(throws: AdminError.notFirst) {
            _ = try await database.createAdmin(username: "from-link", passwordHash: "$2b$04$y", onlyFirst: true)
        }
        #expect(try await database.adminCount() == 1)
    }
}
