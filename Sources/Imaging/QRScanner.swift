internal import CZBar

/// Finds QR codes in gray pictures with libzbar. It owns a zbar image scanner, which is not
/// thread-safe: use one per task.
public final class QRScanner {
    private let scanner: OpaquePointer

    /// A scanner for QR codes only, which also tries the inverted picture (light on dark).
    public init() {
        guard let scanner = zbar_image_scanner_create() else {
            fatalError("zbar_image_scanner_create failed: out of memory")
        }
        // Every other symbology off, so a barcode beside the QR code is never reported.
        zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0)
        zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1)
        zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_TEST_INVERTED, 1)
        self.scanner = scanner
    }

    deinit {
        zbar_image_scanner_destroy(scanner)
    }

    /// A QR code found in a picture: its payload, and the rectangle around the points zbar located
    /// it by (for finding the amount printed above or below it).
    public struct Symbol: Sendable, Equatable {
        public let payload: String
        public let minX: Int, minY: Int, maxX: Int, maxY: Int
    }

    /// The distinct payloads of the QR codes in `image`, in the order zbar reports them.
    public func scan(_ image: GrayImage) throws(ImagingError) -> [String] {
        try symbols(in: image).map(\.payload)
    }

    /// The distinct QR codes in `image` with where they are, in the order zbar reports them.
    public func symbols(in image: GrayImage) throws(ImagingError) -> [Symbol] {
        guard let zbarImage = zbar_image_create() else { throw .zbar }
        defer { zbar_image_destroy(zbarImage) }
        zbar_image_set_format(zbarImage, Self.y800)
        zbar_image_set_size(zbarImage, UInt32(image.width), UInt32(image.height))
        // zbar does not copy the pixels: scan and read the symbols while the buffer is pinned.
        return try withBytes(of: image.pixels) { pixels throws(ImagingError) in
            zbar_image_set_data(zbarImage, pixels.baseAddress, UInt(pixels.count), nil)
            guard zbar_scan_image(scanner, zbarImage) >= 0 else { throw .zbar }
            var found: [Symbol] = []
            var symbol = zbar_image_first_symbol(zbarImage)
            while let current = symbol {
                if let data = zbar_symbol_get_data(current) {
                    let length = Int(zbar_symbol_get_data_length(current))
                    let payload = data.withMemoryRebound(to: UInt8.self, capacity: length) {
                        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                    }
                    let points = (0..<zbar_symbol_get_loc_size(current)).map {
                        (Int(zbar_symbol_get_loc_x(current, $0)), Int(zbar_symbol_get_loc_y(current, $0)))
                    }
                    if !found.contains(where: { $0.payload == payload }) {
                        found.append(
                            Symbol(
                                payload: payload, minX: points.map(\.0).min() ?? 0, minY: points.map(\.1).min() ?? 0,
                                maxX: points.map(\.0).max() ?? image.width, maxY: points.map(\.1).max() ?? image.height)
                        )
                    }
                }
                symbol = zbar_symbol_next(current)
            }
            return found
        }
    }

    /// The fourcc "Y800": 8-bit gray (zbar_fourcc is a macro Swift cannot import).
    private static let y800: UInt = Array("Y800".utf8).reversed().reduce(0) { $0 << 8 | UInt($1) }
}
