internal import CTesseract
import Foundation

/// Reads printed text in part of a gray picture with Tesseract (its C API). It owns one
/// Tesseract handle, which is not thread-safe and slow to make: keep it, one per thread, and use
/// it for many pictures.
public final class TextRecognizer {
    private let handle: OpaquePointer

    /// What a region reads as: the text, and Tesseract's mean confidence (0…100).
    public struct Reading: Sendable, Equatable {
        public let text: String
        public let confidence: Int
    }

    /// A recognizer for `language` (a traineddata name, `eng`) that reads each region as one line
    /// of text. No character whitelist: with Tesseract 5's LSTM it drops the confidence of
    /// whatever it reads to 0; the reader of the amount picks the characters instead.
    public init(language: String = "eng") throws(ImagingError) {
        guard let handle = TessBaseAPICreate() else { throw .ocr("TessBaseAPICreate failed") }
        guard TessBaseAPIInit3(handle, nil, language) == 0 else {
            TessBaseAPIDelete(handle)
            throw .ocr("Tesseract has no \(language) data (install tesseract-ocr-\(language))")
        }
        TessBaseAPISetPageSegMode(handle, PSM_SINGLE_LINE)
        // No dictionary: amounts are not words.
        _ = TessBaseAPISetVariable(handle, "load_system_dawg", "0")
        _ = TessBaseAPISetVariable(handle, "load_freq_dawg", "0")
        self.handle = handle
    }

    deinit {
        TessBaseAPIEnd(handle)
        TessBaseAPIDelete(handle)
    }

    /// The text in `image`'s rectangle at (`x`, `y`), `width` × `height` (the whole picture by default).
    public func read(
        _ image: GrayImage, x: Int = 0, y: Int = 0, width: Int? = nil, height: Int? = nil
    ) -> Reading {
        let width = min(width ?? image.width, image.width - x), height = min(height ?? image.height, image.height - y)
        guard x >= 0, y >= 0, width > 0, height > 0 else { return Reading(text: "", confidence: 0) }
        // Tesseract reads dark text on light: a dark theme's region is inverted first.
        let source = Self.isDark(image, x: x, y: y, width: width, height: height) ? image.inverted() : image
        return source.pixels.withUnsafeBufferPointer { pixels in
            TessBaseAPISetImage(
                handle, pixels.baseAddress, Int32(source.width), Int32(source.height), 1, Int32(source.width))
            TessBaseAPISetRectangle(handle, Int32(x), Int32(y), Int32(width), Int32(height))
            guard let text = TessBaseAPIGetUTF8Text(handle) else { return Reading(text: "", confidence: 0) }
            defer { TessDeleteText(text) }
            let reading = Reading(
                text: String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines),
                confidence: Int(TessBaseAPIMeanTextConf(handle)))
            TessBaseAPIClear(handle)
            return reading
        }
    }

    /// Whether the region's mean gray is below the middle: light text on a dark background.
    static func isDark(_ image: GrayImage, x: Int, y: Int, width: Int, height: Int) -> Bool {
        var sum = 0
        image.pixels.withUnsafeBufferPointer { pixels in
            for row in y..<(y + height) {
                for column in x..<(x + width) { sum += Int(pixels[row * image.width + column]) }
            }
        }
        return sum < 128 * width * height
    }
}
