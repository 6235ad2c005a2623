import Foundation
import Imaging
import TestSupport
import Testing

@Suite("Loading pictures")
struct ImageLoaderTests {
    @Test(
        "transparent pixels are composited over white",
        arguments: [
            "png_palette_trns.png", "png_gray_trns.png", "png_gray_alpha8.png", "png_rgba8.png",
            "png_rgba16.png",
        ])
    func transparencyOverWhite(_ name: String) throws {
        // The quiet zone is transparent black in these files.
        let image = try ImageLoader().load(Fixtures.data(name))
        #expect(image[0, 0] == 255)
        #expect(image[image.width - 1, image.height - 1] == 255)
    }

    @Test("an EXIF orientation of 6 turns the stored picture upright")
    func exifOrientation() throws {
        let data = try Fixtures.data("jpeg_exif_orientation6.jpg")
        #expect(ExifOrientation.read(fromJPEG: data) == 6)
        let image = try ImageLoader().load(data)
        // Stored 300 × 600; upright 600 × 300 with the black block at the bottom right.
        #expect(image.width == 600 && image.height == 300)
        #expect(image[595, 295] < 64)
        #expect(image[595, 5] > 192)
    }

    @Test("a JPEG without EXIF has orientation 1")
    func noExif() throws {
        #expect(ExifOrientation.read(fromJPEG: try Fixtures.data("jpeg_baseline.jpg")) == 1)
    }

    @Test("CMYK is turned into gray: black modules dark, paper light")
    func cmyk() throws {
        let image = try ImageLoader().load(Fixtures.data("jpeg_cmyk_adobe.jpg"))
        #expect(image[2, 2] > 230)
        let darkest = try #require(image.pixels.min())
        #expect(darkest < 30)
    }

    @Test("large JPEGs are reduced in the DCT while the short side stays long enough")
    func jpegReduction() throws {
        let data = try Fixtures.data("photo.jpg")
        let loader = ImageLoader()
        #expect(try loader.size(of: data) == (2000, 1500))
        let preview = try loader.load(data, keepingShortSideAtLeast: 500)
        #expect(preview.width == 1000 && preview.height == 750)
        let full = try loader.load(data)
        #expect(full.width == 2000 && full.height == 1500)
    }

    @Test("large PNGs are halved while the short side stays long enough")
    func pngReduction() throws {
        let image = try ImageLoader().load(Fixtures.data("multiple.png"), keepingShortSideAtLeast: 100)
        #expect(image.width == 300 && image.height == 150)
    }

    @Test("halving averages each 2×2 block")
    func halving() {
        let image = GrayImage(width: 4, height: 2, pixels: [0, 4, 8, 8, 0, 4, 200, 0])
        #expect(image.halved() == GrayImage(width: 2, height: 1, pixels: [2, 54]))
    }

    @Test("each EXIF orientation maps the corners as the standard says", arguments: 1...8)
    func orientations(_ orientation: Int) {
        // A 2 × 1 picture: a (left) = 10, b (right) = 20.
        let image = GrayImage(width: 2, height: 1, pixels: [10, 20]).oriented(orientation)
        let expected: [Int: (Int, Int, [UInt8])] = [
            1: (2, 1, [10, 20]), 2: (2, 1, [20, 10]), 3: (2, 1, [20, 10]), 4: (2, 1, [10, 20]),
            5: (1, 2, [10, 20]), 6: (1, 2, [10, 20]), 7: (1, 2, [20, 10]), 8: (1, 2, [20, 10]),
        ]
        let (width, height, pixels) = expected[orientation]!
        #expect(image == GrayImage(width: width, height: height, pixels: pixels))
    }

    @Test("formats are told apart by their first bytes")
    func detection() throws {
        #expect(ImageFormat.detect(try Fixtures.data("png_gray8.png")) == .png)
        #expect(ImageFormat.detect(try Fixtures.data("jpeg_gray.jpg")) == .jpeg)
        #expect(ImageFormat.detect(try Fixtures.data("batch.zip")) == .zip)
        #expect(ImageFormat.detect(Data()) == .unknown)
        #expect(ImageFormat.detect(Data([0x00, 0x01, 0xFE, 0xFF])) == .unknown)
        #expect(ImageFormat.detect(Data("....ftypheic".utf8)) == .heic)
        #expect(ImageFormat.detect(Data([0x00])) == .unknown)
        #expect(ImageFormat.detect(Data([0x61, 0x62, 0xFF, 0x63])) == .unknown)
        // A long text whose 1024-byte sample ends inside a multi-byte character.
        #expect(ImageFormat.detect(Data((String(repeating: "a", count: 1023) + "付款").utf8)) == .text)
    }
}
