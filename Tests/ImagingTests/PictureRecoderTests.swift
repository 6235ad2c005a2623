import Foundation
import TestSupport
import Testing

@testable import Imaging

@Suite("Goods pictures")
struct PictureRecoderTests {
    /// A JPEG's pixels, as the recoder wrote them.
    private func decoded(_ jpeg: Data) throws -> RGBImage { try JPEGCodec.decodeRGB(jpeg, maxPixels: 10_000_000) }

    @Test("colour survives: a red and blue picture comes back red and blue, shrunk to fit 800 px")
    func colour() throws {
        var pixels: [UInt8] = []
        for _ in 0..<600 {
            for x in 0..<1600 { pixels += x < 800 ? [220, 20, 30] : [20, 40, 200] }
        }
        let original = try JPEGCodec.encode(RGBImage(width: 1600, height: 600, pixels: pixels), quality: 95)
        let (jpeg, width, height) = try PictureRecoder().recode(original)
        #expect(width == 800 && height == 300)
        let picture = try decoded(jpeg)
        #expect(picture.width == 800 && picture.height == 300)
        let (r, g, b) = picture[100, 150]
        #expect(r > 180 && g < 70 && b < 80)
        let (r2, g2, b2) = picture[700, 150]
        #expect(r2 < 70 && g2 < 90 && b2 > 160)
    }

    @Test(
        "PNG of every kind, and JPEG of every kind, become a fresh JPEG",
        arguments: [
            "png_rgb8.png", "png_rgb16.png", "png_palette8.png", "png_gray1.png", "png_gray1_interlaced.png",
            "jpeg_baseline.jpg", "jpeg_progressive.jpg", "jpeg_gray.jpg", "jpeg_cmyk_adobe.jpg", "photo.jpg",
        ])
    func formats(_ name: String) throws {
        let original = try Fixtures.data(name)
        let (jpeg, width, height) = try PictureRecoder().recode(original)
        #expect(jpeg.starts(with: [0xFF, 0xD8, 0xFF]))
        #expect(jpeg != original)
        #expect(max(width, height) <= 800)
        let picture = try decoded(jpeg)
        #expect(picture.width == width && picture.height == height)
    }

    @Test("transparency becomes white, and an EXIF orientation is applied to the pixels")
    func transparencyAndOrientation() throws {
        let transparent = try decoded(try PictureRecoder().recode(try Fixtures.data("png_palette_trns.png")).jpeg)
        let (r, g, b) = transparent[0, 0]
        #expect(r > 240 && g > 240 && b > 240)
        // Stored 300 × 600 with orientation 6: served 600 × 300, with no orientation left to apply.
        let (jpeg, width, height) = try PictureRecoder().recode(try Fixtures.data("jpeg_exif_orientation6.jpg"))
        #expect(width == 600 && height == 300)
        #expect(ExifOrientation.read(fromJPEG: jpeg) == 1)
        #expect(try decoded(jpeg)[595, 295].0 < 64)
    }

    @Test(
        "what is not a picture, or too large a one, is refused from its header",
        arguments: [
            "not_supported.gif", "not_supported.svg", "corrupt_header.jpg", "corrupt_damaged.png",
            "bomb_30000x30000.png", "bomb_65500x65500.jpg",
        ])
    func refused(_ name: String) throws {
        #expect(throws: ImagingError.self) { try PictureRecoder().recode(try Fixtures.data(name)) }
    }
}
