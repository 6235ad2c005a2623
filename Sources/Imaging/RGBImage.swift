/// An 8-bit RGB picture: rows top to bottom, three bytes a pixel, no padding.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let pixels: [UInt8]

    /// Wraps `pixels`, which must hold exactly `width * height * 3` bytes.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3)
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The red, green and blue levels at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        let at = (y * width + x) * 3
        return (pixels[at], pixels[at + 1], pixels[at + 2])
    }

    /// The picture as it should be shown for an EXIF orientation (1…8).
    public func oriented(_ orientation: Int) -> RGBImage {
        let (outWidth, outHeight, out) = Orientation.apply(
            orientation, to: pixels, width: width, height: height, channels: 3)
        return RGBImage(width: outWidth, height: outHeight, pixels: out)
    }

    /// The picture shrunk to fit in `side` × `side`, each new pixel the mean of the old ones it
    /// covers; itself when it already fits.
    public func shrunk(toFit side: Int) -> RGBImage {
        guard max(width, height) > side else { return self }
        let scale = Double(side) / Double(max(width, height))
        let newWidth = max(1, Int((Double(width) * scale).rounded()))
        let newHeight = max(1, Int((Double(height) * scale).rounded()))
        var out = [UInt8](repeating: 0, count: newWidth * newHeight * 3)
        pixels.withUnsafeBufferPointer { source in
            for y in 0..<newHeight {
                let top = y * height / newHeight, bottom = max(top + 1, (y + 1) * height / newHeight)
                for x in 0..<newWidth {
                    let left = x * width / newWidth, right = max(left + 1, (x + 1) * width / newWidth)
                    var sums = (0, 0, 0)
                    for row in top..<bottom {
                        var at = (row * width + left) * 3
                        for _ in left..<right {
                            sums.0 += Int(source[at])
                            sums.1 += Int(source[at + 1])
                            sums.2 += Int(source[at + 2])
                            at += 3
                        }
                    }
                    let count = (bottom - top) * (right - left), target = (y * newWidth + x) * 3
                    out[target] = UInt8((sums.0 + count / 2) / count)
                    out[target + 1] = UInt8((sums.1 + count / 2) / count)
                    out[target + 2] = UInt8((sums.2 + count / 2) / count)
                }
            }
        }
        return RGBImage(width: newWidth, height: newHeight, pixels: out)
    }
}

/// Turning pixels upright by an EXIF orientation, for pictures of any number of channels.
enum Orientation {
    /// The width, height and pixels of the picture as shown for `orientation` (1…8); other
    /// values change nothing.
    static func apply(
        _ orientation: Int, to pixels: [UInt8], width: Int, height: Int, channels: Int
    ) -> (Int, Int, [UInt8]) {
        guard (2...8).contains(orientation) else { return (width, height, pixels) }
        // Orientations 5…8 swap the axes.
        let swaps = orientation >= 5
        let outWidth = swaps ? height : width, outHeight = swaps ? width : height
        var out = [UInt8](repeating: 0, count: pixels.count)
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                let (sx, sy): (Int, Int)
                switch orientation {
                case 2: (sx, sy) = (width - 1 - x, y)
                case 3: (sx, sy) = (width - 1 - x, height - 1 - y)
                case 4: (sx, sy) = (x, height - 1 - y)
                case 5: (sx, sy) = (y, x)
                case 6: (sx, sy) = (y, height - 1 - x)
                case 7: (sx, sy) = (width - 1 - y, height - 1 - x)
                default: (sx, sy) = (width - 1 - y, x)
                }
                let target = (y * outWidth + x) * channels, source = (sy * width + sx) * channels
                for channel in 0..<channels { out[target + channel] = pixels[source + channel] }
            }
        }
        return (outWidth, outHeight, out)
    }
}
