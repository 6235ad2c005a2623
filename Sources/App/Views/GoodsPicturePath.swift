import StoreCore

extension Goods {
    /// What the picture's address carries to change with the picture.
    static func pictureVersion(of digest: String) -> String { String(digest.prefix(12)) }

    /// The picture's public address, nil without one.
    var picturePath: String? {
        pictureDigest.map { "/goods/\(id)/picture.jpg?v=\(Goods.pictureVersion(of: $0))" }
    }
}
