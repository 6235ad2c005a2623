internal import CQREncode
public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Draws a payload as a clean QR code with libqrencode (error correction level M).
public struct QRRenderer: Sendable {
    /// Pixels per module.
    public var moduleSize: Int
    /// The quiet zone around the symbol, in modules.
    public var margin: Int

    public init(moduleSize: Int = 8, margin: Int = 4) {
        precondition(moduleSize > 0 && margin >= 0)
        self.moduleSize = moduleSize
        self.margin = margin
    }

    /// The code as a gray picture: black modules on white.
    public func render(_ payload: String) throws(ImagingError) -> GrayImage {
        guard !payload.isEmpty else { throw .qrencode("empty payload") }
        guard let code = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            throw .qrencode(String(cString: strerror(errno)))
        }
        defer { QRcode_free(code) }
        let modules = Int(code.pointee.width)
        let side = (modules + 2 * margin) * moduleSize
        var pixels = [UInt8](repeating: 255, count: side * side)
        for row in 0..<modules {
            for column in 0..<modules where code.pointee.data[row * modules + column] & 1 == 1 {
                let left = (column + margin) * moduleSize, top = (row + margin) * moduleSize
                for y in top..<(top + moduleSize) {
                    let start = y * side + left
                    pixels.replaceSubrange(
                        start..<(start + moduleSize), with: repeatElement(0, count: moduleSize))
                }
            }
        }
        return GrayImage(width: side, height: side, pixels: pixels)
    }

    /// The code as an 8-bit grayscale PNG file.
    public func renderPNG(_ payload: String) throws(ImagingError) -> Data {
        try PNGCodec.encode(render(payload))
    }
}
