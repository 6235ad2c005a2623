/// An 8-bit grayscale picture: rows top to bottom, no padding, 0 is black.
public struct GrayImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let pixels: [UInt8]

    /// Wraps `pixels`, which must hold exactly `width * height` bytes.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height)
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The picture with black and white swapped.
    public func inverted() -> GrayImage {
        GrayImage(width: width, height: height, pixels: pixels.map { 255 - $0 })
    }

    /// The gray level at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> UInt8 { pixels[y * width + x] }

    /// Half the size in each direction, each pixel the mean of a 2×2 block.
    public func halved() -> GrayImage {
        let newWidth = width / 2, newHeight = height / 2
        guard newWidth > 0, newHeight > 0 else { return self }
        var out = [UInt8](repeating: 0, count: newWidth * newHeight)
        pixels.withUnsafeBufferPointer { src in
            for y in 0..<newHeight {
                let top = 2 * y * width, bottom = top + width
                for x in 0..<newWidth {
                    let sum =
                        Int(src[top + 2 * x]) + Int(src[top + 2 * x + 1])
                        + Int(src[bottom + 2 * x]) + Int(src[bottom + 2 * x + 1])
                    out[y * newWidth + x] = UInt8((sum + 2) / 4)
                }
            }
        }
        return GrayImage(width: newWidth, height: newHeight, pixels: out)
    }

    /// The picture as it should be shown for an EXIF orientation (1…8); other values change nothing.
    public func oriented(_ orientation: Int) -> GrayImage {
        let (outWidth, outHeight, out) = Orientation.apply(
            orientation, to: pixels, width: width, height: height, channels: 1)
        return GrayImage(width: outWidth, height: outHeight, pixels: out)
    }
}
