import Foundation
import Imaging
import TestSupport
import Testing

@Suite("Reading printed amounts with Tesseract")
struct TextRecognizerTests {
    @Test(
        "one recognizer reads the amount of labels drawn by Pillow, light and dark",
        arguments: [("amount_label_yen.png", "0.99"), ("amount_label_dark.png", "12.50")])
    func readsLabels(name: String, amount: String) throws {
        let recognizer = try TextRecognizer()
        let image = try ImageLoader().load(try Fixtures.data(name))
        let reading = recognizer.read(image)
        #expect(reading.text.contains(amount), "\(reading)")
        #expect(reading.confidence >= 60, "\(reading)")
    }

    @Test("a region without text reads no digits, and a region outside the picture reads nothing")
    func emptyRegions() throws {
        let recognizer = try TextRecognizer()
        let image = try ImageLoader().load(try Fixtures.data("amount_label_yen.png"))
        // A blank corner may read as a stray mark, never as digits.
        let corner = recognizer.read(image, x: 0, y: 0, width: 20, height: 20)
        #expect(!corner.text.contains { $0.isNumber })
        let outside = recognizer.read(image, x: image.width, y: 0)
        #expect(outside.text.isEmpty && outside.confidence == 0)
    }

    @Test("zbar says where the code is: the rectangle lies inside the picture and around its middle")
    func symbolBounds() throws {
        let image = try ImageLoader().load(try Fixtures.data("png_gray8.png"))
        let symbol = try #require(try QRScanner().symbols(in: image).first)
        #expect(symbol.minX >= 0 && symbol.minY >= 0 && symbol.maxX <= image.width && symbol.maxY <= image.height)
        #expect(symbol.maxX - symbol.minX > image.width / 4 && symbol.maxY - symbol.minY > image.height / 4)
        #expect(symbol.minX < image.width / 2 && symbol.maxX > image.width / 2)
    }
}
