public import Foundation

/// A file format recognised by its first bytes; the file name is never consulted.
public enum ImageFormat: String, Sendable, Equatable, CaseIterable {
    case png, jpeg
    case gif, webp, bmp, tiff, heic, avif, pdf, svg, zip, text
    case unknown

    /// Whether the loader can decode this format.
    public var isSupported: Bool { self == .png || self == .jpeg }

    /// Names the format of `data` from its signature.
    public static func detect(_ data: Data) -> ImageFormat {
        let head = [UInt8](data.prefix(32))
        func starts(_ bytes: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + bytes.count && Array(head[offset..<offset + bytes.count]) == bytes
        }
        func ascii(_ text: String, at offset: Int = 0) -> Bool { starts(Array(text.utf8), at: offset) }

        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if ascii("GIF87a") || ascii("GIF89a") { return .gif }
        if ascii("RIFF") && ascii("WEBP", at: 8) { return .webp }
        if ascii("BM") { return .bmp }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if ascii("ftyp", at: 4) {
            return ascii("avif", at: 8) || ascii("avis", at: 8) ? .avif : .heic
        }
        if ascii("%PDF") { return .pdf }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) { return .zip }
        return textFormat(of: data)
    }

    /// SVG and other text: UTF-8 without control characters in the first kilobyte.
    private static func textFormat(of data: Data) -> ImageFormat {
        guard !data.isEmpty else { return .unknown }
        let sample = String(decoding: data.prefix(1024), as: UTF8.self)
        // When the file is longer, its last sampled character may have been cut in two.
        let checked = sample.unicodeScalars.dropLast(data.count > 1024 ? 1 : 0)
        let isText = !checked.contains { scalar in
            scalar == "\u{FFFD}" || (scalar.value < 0x20 && !"\t\n\r".unicodeScalars.contains(scalar))
        }
        guard isText else { return .unknown }
        return sample.range(of: "<svg", options: .caseInsensitive) != nil ? .svg : .text
    }
}
