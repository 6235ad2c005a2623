public import Foundation

/// Turns PNG and JPEG files into gray pictures, refusing oversized ones from the header alone.
public struct ImageLoader: Sendable {
    /// The most pixels (width × height) a file may announce.
    public var maxPixels: Int

    public init(maxPixels: Int = 40_000_000) {
        self.maxPixels = maxPixels
    }

    /// The full-resolution picture in `data`.
    public func load(_ data: Data) throws(ImagingError) -> GrayImage {
        try load(data, keepingShortSideAtLeast: nil)
    }

    /// The picture reduced by a power of two (JPEG in the DCT, PNG by averaging) while its shorter
    /// side stays at least `minimum` pixels; full resolution when `minimum` is nil.
    public func load(
        _ data: Data, keepingShortSideAtLeast minimum: Int?
    ) throws(ImagingError)
        -> GrayImage
    {
        switch ImageFormat.detect(data) {
        case .png:
            var image = try PNGCodec.decodeGray(data, maxPixels: maxPixels)
            while let minimum, min(image.width, image.height) / 2 >= minimum {
                image = image.halved()
            }
            return image
        case .jpeg:
            var denominator = 1
            if let minimum {
                let (width, height) = try JPEGCodec.size(of: data)
                while denominator < 8, min(width, height) / (denominator * 2) >= minimum {
                    denominator *= 2
                }
            }
            return try JPEGCodec.decodeGray(data, maxPixels: maxPixels, scaleDenominator: denominator)
        case let other:
            throw .unsupportedFormat(other)
        }
    }

    /// Width and height as the header states them, before any decoding.
    public func size(of data: Data) throws(ImagingError) -> (width: Int, height: Int) {
        switch ImageFormat.detect(data) {
        case .png: try PNGCodec.size(of: data)
        case .jpeg: try JPEGCodec.size(of: data)
        case let other: throw .unsupportedFormat(other)
        }
    }
}
