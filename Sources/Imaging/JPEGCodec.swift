internal import CJPEGShim
public import Foundation

/// JPEG through libjpeg-turbo, by way of the C shim that owns every setjmp.
enum JPEGCodec {
    /// Width and height from the frame header; no pixel memory is allocated.
    static func size(of data: Data) throws(ImagingError) -> (width: Int, height: Int) {
        var info = qrs_jpeg_info()
        let status = data.withUnsafeBytes { bytes in
            qrs_jpeg_read_info(bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count, &info)
        }
        guard status == QRS_JPEG_OK else { throw .jpeg(message(of: info)) }
        return (Int(info.width), Int(info.height))
    }

    /// Decodes baseline, progressive, grayscale and (Adobe) CMYK JPEGs to gray, scaled down by
    /// `scaleDenominator` (1, 2, 4 or 8) in the DCT, and turned upright by the EXIF orientation.
    static func decodeGray(_ data: Data, maxPixels: Int, scaleDenominator: Int = 1) throws(ImagingError) -> GrayImage {
        let (width, height, pixels) = try decode(data, maxPixels: maxPixels, scale: scaleDenominator, channels: 1)
        return GrayImage(width: width, height: height, pixels: pixels).oriented(ExifOrientation.read(fromJPEG: data))
    }

    /// Decodes the same JPEGs to RGB, scaled the same way, as stored: the caller applies the
    /// EXIF orientation.
    static func decodeRGB(_ data: Data, maxPixels: Int, scaleDenominator: Int = 1) throws(ImagingError) -> RGBImage {
        let (width, height, pixels) = try decode(data, maxPixels: maxPixels, scale: scaleDenominator, channels: 3)
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The scaled size and `channels` bytes a pixel (1: gray, 3: RGB), the size checked from the
    /// header before anything is allocated.
    private static func decode(
        _ data: Data, maxPixels: Int, scale: Int, channels: Int
    ) throws(ImagingError) -> (Int, Int, [UInt8]) {
        let (fullWidth, fullHeight) = try size(of: data)
        guard fullWidth * fullHeight <= maxPixels else {
            throw .tooManyPixels(width: fullWidth, height: fullHeight, limit: maxPixels)
        }
        // libjpeg rounds scaled sizes up (jdiv_round_up).
        let width = (fullWidth + scale - 1) / scale, height = (fullHeight + scale - 1) / scale
        var info = qrs_jpeg_info()
        var status = QRS_JPEG_OK
        let pixels = [UInt8](unsafeUninitializedCapacity: width * height * channels) { buffer, count in
            buffer.initialize(repeating: 0)
            count = width * height * channels
            status = data.withUnsafeBytes { bytes in
                let source = bytes.bindMemory(to: UInt8.self).baseAddress
                return channels == 1
                    ? qrs_jpeg_decode_gray(
                        source, bytes.count, UInt64(maxPixels), UInt32(scale), buffer.baseAddress, width, height, &info)
                    : qrs_jpeg_decode_rgb(
                        source, bytes.count, UInt64(maxPixels), UInt32(scale), buffer.baseAddress, width, height, &info)
            }
        }
        switch status {
        case QRS_JPEG_OK: return (width, height, pixels)
        case QRS_JPEG_TOO_MANY_PIXELS: throw .tooManyPixels(width: fullWidth, height: fullHeight, limit: maxPixels)
        case QRS_JPEG_UNSUPPORTED_COLOR_SPACE: throw .jpeg("unsupported colour space \(info.color_space)")
        case QRS_JPEG_BUFFER_MISMATCH: throw .jpeg("scaled size differs from \(width)×\(height)")
        default: throw .jpeg(message(of: info))
        }
    }

    /// Encodes an RGB picture as a baseline JPEG of `quality` (1…100).
    static func encode(_ picture: RGBImage, quality: Int) throws(ImagingError) -> Data {
        var info = qrs_jpeg_info()
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let status = picture.pixels.withUnsafeBufferPointer { pixels in
            qrs_jpeg_encode_rgb(
                pixels.baseAddress, picture.width, picture.height, Int32(quality), &output, &size, &info)
        }
        defer { qrs_jpeg_free(output) }
        guard status == QRS_JPEG_OK, let output else { throw .jpeg(message(of: info)) }
        return Data(bytes: output, count: Int(size))
    }

    private static func message(of info: qrs_jpeg_info) -> String {
        withUnsafeBytes(of: info.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }
}
