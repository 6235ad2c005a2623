public import Foundation

/// Makes a seller's picture safe to show: decoded (PNG or JPEG), turned upright, shrunk to fit
/// `maxSide`, and written anew as a JPEG, so nothing of the uploaded file but its pixels is served.
public struct PictureRecoder: Sendable {
    /// The most pixels the uploaded file may announce.
    public var maxPixels: Int
    /// The longest side of the picture served.
    public var maxSide: Int
    public var quality: Int

    public init(maxPixels: Int = 40_000_000, maxSide: Int = 800, quality: Int = 85) {
        self.maxPixels = maxPixels
        self.maxSide = maxSide
        self.quality = quality
    }

    /// The new JPEG and its size.
    public func recode(_ data: Data) throws(ImagingError) -> (jpeg: Data, width: Int, height: Int) {
        let picture: RGBImage
        switch ImageFormat.detect(data) {
        case .png:
            picture = try PNGCodec.decodeRGB(data, maxPixels: maxPixels).shrunk(toFit: maxSide)
        case .jpeg:
            // A large photo is decoded at a half, a quarter or an eighth in the DCT, as long as its
            // long side stays above `maxSide`; it is turned upright once small.
            let (width, height) = try JPEGCodec.size(of: data)
            var denominator = 1
            while denominator < 8, max(width, height) / (denominator * 2) >= maxSide { denominator *= 2 }
            picture = try JPEGCodec.decodeRGB(data, maxPixels: maxPixels, scaleDenominator: denominator)
                .shrunk(toFit: maxSide).oriented(ExifOrientation.read(fromJPEG: data))
        case let other: throw .unsupportedFormat(other)
        }
        return (try JPEGCodec.encode(picture, quality: quality), picture.width, picture.height)
    }
}
