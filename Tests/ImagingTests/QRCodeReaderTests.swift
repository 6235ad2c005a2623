import Foundation
import Imaging
import TestSupport
import Testing

@Suite("Reading QR codes from image files")
struct QRCodeReaderTests {
    /// Every PNG and JPEG variant the generator writes, with the one payload it carries.
    static let readable = [
        "png_gray1.png", "png_gray2.png", "png_gray4.png", "png_gray8.png", "png_gray16.png",
        "png_gray1_interlaced.png", "png_rgb8.png", "png_rgb16.png", "png_rgb8_interlaced.png",
        "png_palette1.png", "png_palette2.png", "png_palette4.png", "png_palette8.png",
        "png_palette_trns.png", "png_gray_trns.png", "png_gray_alpha8.png", "png_rgba8.png",
        "png_rgba8_interlaced.png", "png_rgba16.png",
        "jpeg_baseline.jpg", "jpeg_progressive.jpg", "jpeg_gray.jpg", "jpeg_cmyk_adobe.jpg",
        "jpeg_exif_orientation6.jpg",
        "inverted.png", "qr_and_ean13.png", "same_twice.png", "photo.jpg", "photo_small_code.jpg",
    ]

    @Test("reads the single payload of each variant", arguments: readable)
    func readsVariant(_ name: String) throws {
        // setup
        let expected = try #require(try Fixtures.expectedPayloads()[name])
        // MUT
        let payloads = try QRCodeReader().payloads(in: Fixtures.data(name))
        // validate
        #expect(payloads == expected)
    }

    @Test("the generator's list of expectations covers every readable fixture")
    func expectationsCoverFixtures() throws {
        let expected = try Fixtures.expectedPayloads()
        for name in Self.readable {
            #expect(expected[name]?.count == 1, "\(name)")
        }
    }

    @Test("two different codes in one picture are both reported")
    func multiple() throws {
        let payloads = try QRCodeReader().payloads(in: Fixtures.data("multiple.png"))
        #expect(Set(payloads) == [Fixtures.wechatPayload, Fixtures.otherPayload])
    }

    @Test("a picture without a code yields no payload")
    func noCode() throws {
        #expect(try QRCodeReader().payloads(in: Fixtures.data("no_qr.png")).isEmpty)
    }

    @Test(
        "other formats are refused by their signature, whatever their name",
        arguments: [
            ("not_supported.gif", ImageFormat.gif), ("not_supported.webp", .webp),
            ("not_supported.bmp", .bmp), ("not_supported.tiff", .tiff), ("not_supported.svg", .svg),
            ("not_supported.txt", .text),
        ])
    func unsupported(_ name: String, format: ImageFormat) throws {
        let data = try Fixtures.data(name)
        #expect(throws: ImagingError.unsupportedFormat(format)) {
            try QRCodeReader().payloads(in: data)
        }
    }

    @Test(
        "damaged PNG files fail with libpng's reason",
        arguments: [
            "corrupt_truncated.png", "corrupt_damaged.png",
        ])
    func damagedPNG(_ name: String) throws {
        let data = try Fixtures.data(name)
        let error = #expect(throws: ImagingError.self) { try QRCodeReader().payloads(in: data) }
        guard case .png(let message) = error else {
            Issue.record("expected a libpng error, got \(String(describing: error))")
            return
        }
        #expect(!message.isEmpty)
    }

    @Test("a JPEG cut inside its header fails with libjpeg's reason")
    func damagedJPEGHeader() throws {
        let data = try Fixtures.data("corrupt_header.jpg")
        let error = #expect(throws: ImagingError.self) { try QRCodeReader().payloads(in: data) }
        guard case .jpeg(let message) = error else {
            Issue.record("expected a libjpeg error, got \(String(describing: error))")
            return
        }
        #expect(!message.isEmpty)
    }

    @Test("a JPEG cut in its data decodes partially: the lost rows hide the code")
    func truncatedJPEG() throws {
        let payloads = try QRCodeReader().payloads(in: Fixtures.data("corrupt_truncated.jpg"))
        #expect(payloads.isEmpty)
    }

    @Test(
        "pixel bombs are refused from the header",
        arguments: [
            ("bomb_30000x30000.png", 30000), ("bomb_65500x65500.jpg", 65500),
        ])
    func bombs(_ name: String, side: Int) throws {
        let data = try Fixtures.data(name)
        #expect(throws: ImagingError.tooManyPixels(width: side, height: side, limit: 40_000_000)) {
            try QRCodeReader().payloads(in: data)
        }
    }

    @Test("the pixel limit is the configured one")
    func configuredLimit() throws {
        let data = try Fixtures.data("photo.jpg")
        let reader = QRCodeReader(loader: ImageLoader(maxPixels: 1_000_000))
        #expect(throws: ImagingError.tooManyPixels(width: 2000, height: 1500, limit: 1_000_000)) {
            try reader.payloads(in: data)
        }
    }
}
