/// Why an image could not be read, scanned or rendered; each case names the library it comes from.
public enum ImagingError: Error, Equatable, Sendable {
    /// The signature is not PNG or JPEG.
    case unsupportedFormat(ImageFormat)
    /// The header announces more pixels than allowed; nothing was allocated.
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// libpng's simplified API refused the stream, with its message.
    case png(String)
    /// libjpeg called its error exit, with its message.
    case jpeg(String)
    /// libqrencode could not encode the payload (its errno text).
    case qrencode(String)
    /// libzbar could not scan the picture.
    case zbar
    /// Tesseract could not start, with the reason.
    case ocr(String)
}

extension ImagingError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unsupportedFormat(let format): "unsupported format (\(format.rawValue))"
        case .tooManyPixels(let width, let height, let limit):
            "\(width)×\(height) is more than \(limit) pixels"
        case .png(let message): "libpng: \(message)"
        case .jpeg(let message): "libjpeg: \(message)"
        case .qrencode(let message): "libqrencode: \(message)"
        case .zbar: "libzbar could not scan the image"
        case .ocr(let message): "tesseract: \(message)"
        }
    }
}
