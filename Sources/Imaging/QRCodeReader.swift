public import Foundation

/// Reads the QR payloads of an image file: first from a reduced picture, which is enough for
/// nearly every photo and screenshot and much faster, then at full resolution only when needed.
public struct QRCodeReader {
    /// The shorter side of the first, reduced picture stays at least this long.
    public static let previewShortSide = 500

    private let loader: ImageLoader
    private let scanner = QRScanner()

    public init(loader: ImageLoader = ImageLoader()) {
        self.loader = loader
    }

    /// The distinct payloads found in the file; empty when it holds no QR code.
    public func payloads(in data: Data) throws(ImagingError) -> [String] {
        let preview = try loader.load(data, keepingShortSideAtLeast: Self.previewShortSide)
        let found = try scanner.scan(preview)
        let (width, height) = try loader.size(of: data)
        guard found.isEmpty, preview.width * preview.height < width * height else { return found }
        return try scanner.scan(loader.load(data))
    }
}
