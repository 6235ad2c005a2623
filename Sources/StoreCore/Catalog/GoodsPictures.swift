public import Foundation
import Imaging

/// Goods pictures: every upload is decoded and written anew as a JPEG on the imaging threads,
/// and only that JPEG is kept and served.
public struct GoodsPictures: Sendable {
    let database: AppDatabase
    let blobs: any BlobStore
    let recoder: PictureRecoder

    /// Uploads announcing more than `maxPixels` are refused from their header.
    public init(database: AppDatabase, blobs: any BlobStore, maxPixels: Int) {
        self.database = database
        self.blobs = blobs
        recoder = PictureRecoder(maxPixels: maxPixels)
    }

    /// Makes `data` the picture of goods `id` and returns its digest; a file that is not a PNG
    /// or JPEG, or is too large, throws the imaging error and changes nothing.
    public func replace(goodsId id: String, with data: Data, now: Date) async throws -> String {
        let (recoder, blobs) = (recoder, blobs)
        let digest = try await ImagingPool.run {
            Result { () throws -> String in
                let jpeg: Data
                do {
                    jpeg = try recoder.recode(data).jpeg
                } catch {
                    throw PictureError.unreadable("\(error)")
                }
                return try blobs.store(jpeg, kind: .picture, fileExtension: "jpg")
            }
        }.get()
        guard try await database.setGoodsPicture(id: id, digest: digest, now: now) else {
            throw PictureError.noSuchGoods
        }
        return digest
    }

    /// Takes the picture off goods `id` (the file stays, as blobs are shared by content).
    public func remove(goodsId id: String, now: Date) async throws {
        guard try await database.setGoodsPicture(id: id, digest: nil, now: now) else { throw PictureError.noSuchGoods }
    }
}

/// Why a picture was not taken.
public enum PictureError: Error, Equatable {
    case noSuchGoods
    /// Not a PNG or JPEG, damaged, or too many pixels; the imaging library's words.
    case unreadable(String)
}
