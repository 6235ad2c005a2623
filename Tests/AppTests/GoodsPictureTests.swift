import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StoreCore
import TestSupport
import Testing

@testable import App

@Suite("Goods pictures over HTTP")
struct GoodsPictureTests {
    static func put(_ client: any TestClientProtocol, _ goods: Goods, _ data: Data) async throws -> TestResponse {
        var headers = AdminAPITests.auth
        headers[.contentType] = "image/jpeg"
        return try await client.execute(
            uri: "/admin/api/goods/\(goods.id)/picture", method: .put, headers: headers, body: ByteBuffer(data: data))
    }

    @Test("a picture sent through the API is re-encoded, shown on the store front and product page, and cached")
    func apiUpload() async throws {
        let shop = try await Shop.make()
        try await TestServices.test(shop.services) { client in
            let uploaded = try Fixtures.data("photo.jpg")
            #expect(try await Self.put(client, shop.goods, uploaded).status == .noContent)
            let goods = try Shop.json(
                try await client.execute(
                    uri: "/admin/api/goods/\(shop.goods.id)", method: .get, headers: AdminAPITests.auth))
            let path = try #require(goods["picture"] as? String)
            #expect(path.hasPrefix("/goods/\(shop.goods.id)/picture.jpg?v="))

            let picture = try await client.execute(uri: path, method: .get)
            #expect(picture.status == .ok)
            #expect(picture.headers[.contentType] == "image/jpeg")
            #expect(picture.headers[.cacheControl] == "public, max-age=31536000, immutable")
            // A shared cache may keep it: it must carry no cookie of this visitor's.
            #expect(picture.headers[values: .setCookie].isEmpty)
            let served = Data(buffer: picture.body)
            #expect(served.starts(with: [0xFF, 0xD8, 0xFF]) && served != uploaded)
            // An old address still finds the picture, but is not kept for long.
            let old = try await client.execute(uri: "/goods/\(shop.goods.id)/picture.jpg?v=old", method: .get)
            #expect(old.status == .ok && old.headers[.cacheControl] == "public, max-age=300")

            let front = String(buffer: try await client.execute(uri: "/", method: .get).body)
            let product = String(buffer: try await client.execute(uri: "/goods/\(shop.goods.id)", method: .get).body)
            let escaped = path.replacingOccurrences(of: "=", with: "&#61;")
            #expect(front.contains(path) || front.contains(escaped))
            #expect(product.contains(#"class="picture""#))

            // Removed: no picture on the pages, and its address answers 404.
            let removed = try await client.execute(
                uri: "/admin/api/goods/\(shop.goods.id)/picture", method: .delete, headers: AdminAPITests.auth)
            #expect(removed.status == .noContent)
            #expect(try await client.execute(uri: path, method: .get).status == .notFound)
            let after = String(buffer: try await client.execute(uri: "/goods/\(shop.goods.id)", method: .get).body)
            #expect(!after.contains(#"class="picture""#))
        }
    }

    @Test("the seller's page uploads a PNG with the page's token, and replaces the earlier picture")
    func pageUpload() async throws {
        let shop = try await Shop.make()
        try await TestServices.addSeller(shop.services)
        try await TestServices.test(shop.services) { client in
            #expect(try await Self.put(client, shop.goods, try Fixtures.data("photo.jpg")).status == .noContent)
            let first = try #require(try await shop.services.database.goods(id: shop.goods.id)?.pictureDigest)
            var seller = Browser(client)
            _ = try await seller.logIn()
            let page = String(buffer: try await seller.get("/admin/goods/\(shop.goods.id)/edit").body)
            #expect(page.contains(#"id="picture""#) && page.contains("picture.jpg?v"))
            let answer = try await seller.upload(
                "/admin/goods/\(shop.goods.id)/picture", files: [("logo.png", try Fixtures.data("png_rgb8.png"))])
            #expect(answer.status == .seeOther || answer.status == .found)
            let second = try #require(try await shop.services.database.goods(id: shop.goods.id)?.pictureDigest)
            #expect(second != first)
            // Without the token, nothing changes.
            let (contentType, body) = Multipart.body(files: [("x.png", try Fixtures.data("png_gray8.png"))])
            let forged = try await client.execute(
                uri: "/admin/goods/\(shop.goods.id)/picture", method: .post, headers: [.contentType: contentType],
                body: body)
            #expect(forged.status == .forbidden)
            #expect(try await shop.services.database.goods(id: shop.goods.id)?.pictureDigest == second)
            // Removed from the page: the goods show none.
            let removed = try await seller.post("/admin/goods/\(shop.goods.id)/picture/delete", form: [])
            #expect(removed.status == .seeOther || removed.status == .found)
            #expect(try await shop.services.database.goods(id: shop.goods.id)?.pictureDigest == nil)
        }
    }

    @Test("what is not a picture, an empty body or too large a file is refused, and the picture stays")
    func refused() async throws {
        let shop = try await Shop.make(amounts: [100], ["upload.maxFileBytes": .int(200_000)])
        try await TestServices.test(shop.services) { client in
            #expect(try await Self.put(client, shop.goods, try Fixtures.data("png_rgb8.png")).status == .noContent)
            let kept = try await shop.services.database.goods(id: shop.goods.id)?.pictureDigest
            let gif = try await Self.put(client, shop.goods, try Fixtures.data("not_supported.gif"))
            #expect(gif.status == .unprocessableContent)
            #expect((try Shop.json(gif)["message"] as? String)?.contains("PNG or JPEG") == true)
            #expect(try await Self.put(client, shop.goods, Data()).status == .badRequest)
            let large = try await Self.put(client, shop.goods, Data(repeating: 0xFF, count: 300_000))
            #expect(large.status == .contentTooLarge)
            #expect(try await shop.services.database.goods(id: shop.goods.id)?.pictureDigest == kept)
            // Disabled goods show no picture either.
            _ = try await shop.services.database.setGoodsEnabled(id: shop.goods.id, false)
            let hidden = try await client.execute(uri: "/goods/\(shop.goods.id)/picture.jpg", method: .get)
            #expect(hidden.status == .notFound)
        }
    }
}
