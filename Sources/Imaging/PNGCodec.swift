internal import CPNG
public import Foundation

/// PNG through libpng's simplified API, whose setjmp stays inside libpng.
enum PNGCodec {
    /// Width and height from the IHDR chunk; no pixel memory is allocated.
    static func size(of data: Data) throws(ImagingError) -> (width: Int, height: Int) {
        try withImage(data) { image throws(ImagingError) in
            (Int(image.pointee.width), Int(image.pointee.height))
        }
    }

    /// Decodes any PNG (every colour type and depth, palette, tRNS, alpha, Adam7) to 8-bit gray,
    /// compositing transparency over white.
    static func decodeGray(_ data: Data, maxPixels: Int) throws(ImagingError) -> GrayImage {
        let (width, height, pixels) = try decode(
            data, maxPixels: maxPixels, format: UInt32(PNG_FORMAT_GRAY), channels: 1)
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// Decodes any PNG to 8-bit RGB, compositing transparency over white.
    static func decodeRGB(_ data: Data, maxPixels: Int) throws(ImagingError) -> RGBImage {
        let (width, height, pixels) = try decode(
            data, maxPixels: maxPixels, format: UInt32(PNG_FORMAT_RGB), channels: 3)
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The size and the pixels in libpng's simplified `format` of `channels` bytes a pixel.
    private static func decode(
        _ data: Data, maxPixels: Int, format: UInt32, channels: Int
    ) throws(ImagingError) -> (Int, Int, [UInt8]) {
        try withImage(data) { image throws(ImagingError) in
            let width = Int(image.pointee.width), height = Int(image.pointee.height)
            guard width * height <= maxPixels else {
                throw .tooManyPixels(width: width, height: height, limit: maxPixels)
            }
            image.pointee.format = format
            var white = png_color(red: 255, green: 255, blue: 255)
            var failure: String?
            let pixels = [UInt8](unsafeUninitializedCapacity: width * height * channels) { buffer, count in
                if png_image_finish_read(image, &white, buffer.baseAddress, Int32(width * channels), nil) == 0 {
                    failure = message(of: image)
                    buffer.initialize(repeating: 0)
                }
                count = width * height * channels
            }
            if let failure { throw .png(failure) }
            return (width, height, pixels)
        }
    }

    /// Encodes a gray picture as an 8-bit grayscale PNG.
    static func encode(_ picture: GrayImage) throws(ImagingError) -> Data {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(picture.width)
        image.height = UInt32(picture.height)
        image.format = UInt32(PNG_FORMAT_GRAY)
        defer { png_image_free(&image) }
        return try withBytes(of: picture.pixels) { pixels throws(ImagingError) in
            var size = 0
            // The first call measures, the second writes.
            guard png_image_write_to_memory(&image, nil, &size, 0, pixels.baseAddress, 0, nil) != 0
            else { throw .png(message(of: &image)) }
            var output = Data(count: size)
            let written = output.withUnsafeMutableBytes { out in
                png_image_write_to_memory(&image, out.baseAddress, &size, 0, pixels.baseAddress, 0, nil)
            }
            guard written != 0 else { throw .png(message(of: &image)) }
            return output.prefix(size)
        }
    }

    /// Runs `body` on an image whose header has been read; the image is freed afterwards.
    private static func withImage<T>(
        _ data: Data, _ body: (UnsafeMutablePointer<png_image>) throws(ImagingError) -> T
    ) throws(ImagingError) -> T {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        return try withBytes(of: data) { bytes throws(ImagingError) in
            guard png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count) != 0 else {
                throw .png(message(of: &image))
            }
            return try body(&image)
        }
    }

    private static func message(of image: UnsafeMutablePointer<png_image>) -> String {
        withUnsafeBytes(of: image.pointee.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }
}
