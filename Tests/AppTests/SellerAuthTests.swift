import Foundation
import Hummingbird
import HummingbirdTesting
import StoreCore
import TestSupport
import Testing

@testable import App

@Suite("Seller login, sessions and CSRF")
struct SellerAuthTests {
    @Test(
        "seller pages send strangers to the login page, which brings them back",
        arguments: [
            "/admin", "/admin/goods", "/admin/goods/new", "/admin/codes", "/admin/codes/upload", "/admin/coverage",
        ])
    func redirects(_ path: String) async throws {
        try await TestServices.test(try await TestServices.make()) { client in
            let response = try await client.execute(uri: path, method: .get)
            #expect(response.status == .seeOther)
            let location = try #require(response.headers[.location])
            #expect(location.hasPrefix("/admin/login?next="))
            #expect(location.removingPercentEncoding?.hasSuffix(path) == true)
        }
    }

    @Test("logging in opens the seller pages and logging out closes them")
    func logInAndOut() async throws {
        let services = try await TestServices.make()
        try await TestServices.addSeller(services)
        try await TestServices.test(services) { client in
            var browser = Browser(client)
            _ = try await browser.get("/admin/login")
            let login = try await browser.post(
                "/admin/login",
                form: [("username", "seller"), ("password", TestServices.password), ("next", "/admin/goods")])
            #expect(login.status == .seeOther)
            #expect(login.headers[.location] == "/admin/goods")
            let cookie = try #require(login.headers[values: .setCookie].first { $0.hasPrefix("qrstore_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(try await browser.get("/admin").status == .ok)
            let logout = try await browser.post("/admin/logout", form: [])
            #expect(logout.headers[.location] == "/admin/login")
            #expect(try await browser.get("/admin").status == .seeOther)
        }
    }

    @Test(
        "a login's next page is only ever on this site",
        arguments: [
            ("/admin/codes", "/admin/codes"), ("https://evil.example/admin", "/admin"), ("//evil.example", "/admin"),
            ("/admin\\@evil", "/admin"), ("/goods/x", "/admin"),
        ])
    func safeNext(_ next: String, _ expected: String) {
        #expect(LoginController.safeNext(next) == expected)
    }

    @Test("a wrong password is refused, and five failures lock the address out")
    func rateLimit() async throws {
        let services = try await TestServices.make()
        try await TestServices.addSeller(services)
        try await TestServices.test(services) { client in
            var browser = Browser(client)
            for _ in 1...5 {
                let response = try await browser.logIn(password: "wrong password")
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("Wrong username or password."))
            }
            let locked = try await browser.logIn()
            #expect(locked.status == .tooManyRequests)
            #expect(Int(locked.headers[.retryAfter] ?? "") ?? 0 > 800)
            #expect(String(buffer: locked.body).contains("Too many failed logins"))
        }
    }

    @Test("an unknown username gets the same answer as a wrong password")
    func unknownUser() async throws {
        try await TestServices.test(try await TestServices.make()) { client in
            var browser = Browser(client)
            let response = try await browser.logIn(username: "nobody")
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("Wrong username or password."))
        }
    }

    @Test("forms without the CSRF token, or with another one, are refused with 403")
    func csrf() async throws {
        let services = try await TestServices.make()
        try await TestServices.addSeller(services)
        try await TestServices.test(services) { client in
            var browser = Browser(client)
            #expect(try await browser.logIn().status == .seeOther)
            let missing = try await browser.post(
                "/admin/goods", form: [("name", "A"), ("price", "1.00")], csrf: .some(nil))
            #expect(missing.status == .forbidden)
            #expect(String(buffer: missing.body).contains("Reload the page"))
            let wrong = try await browser.post(
                "/admin/goods", form: [("name", "A"), ("price", "1.00")], csrf: String(repeating: "a", count: 42))
            #expect(wrong.status == .forbidden)
            #expect(try await services.database.goodsList().isEmpty)
            // Logging in needs the token too.
            var stranger = Browser(client)
            let login = try await stranger.post(
                "/admin/login", form: [("username", "seller"), ("password", TestServices.password)], csrf: .some(nil))
            #expect(login.status == .forbidden)
        }
    }

    @Test("the seller API needs the configured bearer token")
    func apiToken() async throws {
        try await TestServices.test(try await TestServices.make()) { client in
            let none = try await client.execute(uri: "/admin/api/goods", method: .get)
            #expect(none.status == .unauthorized)
            #expect(String(buffer: none.body).contains(#""error":"unauthorized""#))
            let wrong = try await client.execute(
                uri: "/admin/api/goods", method: .get, headers: [.authorization: "Bearer nope"])
            #expect(wrong.status == .unauthorized)
            let right = try await client.execute(
                uri: "/admin/api/goods", method: .get, headers: [.authorization: "Bearer \(TestServices.apiToken)"])
            #expect(right.status == .ok)
        }
        // Without a configured token the API is off, whatever is sent.
        try await TestServices.test(try await TestServices.make(["admin.apiToken": .string("")])) { client in
            let off = try await client.execute(
                uri: "/admin/api/goods", method: .get, headers: [.authorization: "Bearer "])
            #expect(off.status == .unauthorized)
            #expect(String(buffer: off.body).contains("admin.apiToken"))
        }
    }

    @Test("cookies are Secure when the store is served over https")
    func secureCookies() async throws {
        let services = try await TestServices.make(["http.baseURL": .string("https://pay.example.com")])
        try await TestServices.addSeller(services)
        try await TestServices.test(services) { client in
            var browser = Browser(client)
            let page = try await browser.get("/admin/login")
            let csrf = try #require(page.headers[values: .setCookie].first { $0.hasPrefix("qrstore_csrf=") })
            #expect(csrf.contains("Secure") && csrf.contains("HttpOnly") && csrf.contains("SameSite=Strict"))
            let login = try await browser.logIn()
            let session = try #require(login.headers[values: .setCookie].first { $0.hasPrefix("qrstore_session=") })
            #expect(session.contains("Secure") && session.contains("SameSite=Lax"))
        }
    }

    @Test(
        "each seller page opens for a logged-in seller",
        arguments: [
            ("/admin", "Overview"), ("/admin/goods", "Goods"), ("/admin/goods/new", "New goods"),
            ("/admin/codes", "Pay codes"), ("/admin/codes/upload", "Upload pay codes"), ("/admin/coverage", "Coverage"),
        ])
    func pagesOpen(_ path: String, _ heading: String) async throws {
        let services = try await TestServices.make()
        try await TestServices.addSeller(services)
        try await TestServices.test(services) { client in
            var browser = Browser(client)
            _ = try await browser.logIn()
            let page = try await browser.get(path)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains(heading) && html.contains("Log out"))
            #expect(html.contains(browser.csrfToken ?? "missing"), "the logout form carries the token")
        }
    }

    @Test("the login throttle forgets failures after its window")
    func throttleWindow() async {
        let clock = ManualClock()
        let throttle = FailureThrottle(maxFailures: 2, window: 60, clock: clock)
        await throttle.recordFailure(for: "a")
        await throttle.recordFailure(for: "a")
        clock.advance(by: 10)
        #expect(await throttle.retryAfter(for: "a") == 50)
        #expect(await throttle.retryAfter(for: "b") == nil)
        clock.advance(by: 51)
        #expect(await throttle.retryAfter(for: "a") == nil)
    }

    @Test("a throttle remembers a bounded number of addresses, however many fail")
    func throttleBounded() async {
        let throttle = FailureThrottle(maxFailures: 2, window: 60, capacity: 100, clock: ManualClock())
        for address in 0..<1000 { await throttle.recordFailure(for: "10.0.\(address / 256).\(address % 256)") }
        #expect(await throttle.count <= 100)
        // The latest addresses are the ones kept.
        await throttle.recordFailure(for: "10.0.3.231")
        #expect(await throttle.retryAfter(for: "10.0.3.231") != nil)
    }
}
