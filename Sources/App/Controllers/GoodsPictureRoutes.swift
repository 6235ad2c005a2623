import Foundation
import Hummingbird
import NIOCore
import StoreCore

/// Goods pictures over HTTP: the buyer's `GET /goods/{id}/picture.jpg`, and the seller's
/// upload and removal, from the goods page (multipart) and the JSON API (the raw file).
struct GoodsPictureRoutes {
    let services: AppServices

    /// The public picture. Its address carries the digest, so a browser may keep it for good.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let goods = try await services.database.goods(id: try context.parameters.require("id")), goods.enabled,
            let digest = goods.pictureDigest
        else { throw LocalizedFailure(.notFound, "errors.notFound") }
        guard let jpeg = try? await services.blobs.pictureJPEG(digest: digest) else {
            throw LocalizedFailure(.notFound, "errors.notFound")
        }
        let current = request.uri.queryParameters["v"].map(String.init) == Goods.pictureVersion(of: digest)
        return Response(
            status: .ok,
            headers: [
                .contentType: "image/jpeg",
                .cacheControl: current ? "public, max-age=31536000, immutable" : "public, max-age=300",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: jpeg)))
    }

    /// The seller's page form: the first file of a multipart upload.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let goods = try await services.goods(context)
        let form = try await UploadedForm.read(request, maxBytes: services.configuration.upload.maxFileBytes + 65536)
        guard let file = form.files.first, !file.data.isEmpty else {
            throw LocalizedFailure(.badRequest, "messages.noPicture")
        }
        try await replace(goods, with: file.data, context: context)
        return .redirect(to: "/admin/goods/\(goods.id)/edit?saved=1", type: .normal)
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let goods = try await services.goods(context)
        try? await services.pictures.remove(goodsId: goods.id, now: services.clock.now())
        return .redirect(to: "/admin/goods/\(goods.id)/edit?saved=1", type: .normal)
    }

    /// `PUT /admin/api/goods/{id}/picture` with the PNG or JPEG as the body.
    @Sendable func put(_ request: Request, context: AppRequestContext) async throws -> Response {
        let goods = try await services.goods(context)
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: services.configuration.upload.maxFileBytes)
        } catch is NIOTooManyBytesError {
            throw LocalizedFailure(
                .contentTooLarge, "messages.pictureTooLarge",
                ["mb": "\(services.configuration.upload.maxFileBytes / 1_048_576)"])
        }
        guard body.readableBytes > 0 else { throw LocalizedFailure(.badRequest, "messages.noPicture") }
        try await replace(goods, with: Data(buffer: body), context: context)
        return Response(status: .noContent)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let goods = try await services.goods(context)
        try? await services.pictures.remove(goodsId: goods.id, now: services.clock.now())
        return Response(status: .noContent)
    }

    private func replace(_ goods: Goods, with data: Data, context: AppRequestContext) async throws {
        do {
            let digest = try await services.pictures.replace(goodsId: goods.id, with: data, now: services.clock.now())
            context.logger.info("goods \(goods.id): new picture \(digest.prefix(12))")
        } catch PictureError.unreadable(let detail) {
            throw LocalizedFailure(.unprocessableContent, "messages.badPicture", ["detail": detail])
        } catch PictureError.noSuchGoods {
            throw LocalizedFailure(.notFound, "messages.noSuchGoods")
        }
    }
}
