import Foundation
import Imaging
import Testing

@Suite("Rendering QR codes")
struct QRRendererTests {
    @Test(
        "render → PNG → load → scan gives the payload back",
        arguments: [
            "wxp://f2f0Xq3JrJb7V2cO6Gmkp1b9QxY0Z3oN5cE",
            "https://qr.alipay.com/fkx17342kqtlbezmj0mvw3a",
            "HTTPS://QR.ALIPAY.COM/FKX0", "付款码 ünïcode",
        ])
    func roundTrip(_ payload: String) throws {
        let png = try QRRenderer().renderPNG(payload)
        #expect(ImageFormat.detect(png) == .png)
        #expect(try QRCodeReader().payloads(in: png) == [payload])
    }

    @Test("module size and margin set the picture's size")
    func geometry() throws {
        let renderer = QRRenderer(moduleSize: 3, margin: 2)
        // A short payload fits version 1: 21 modules.
        let image = try renderer.render("wxp://a")
        #expect(image.width == (21 + 4) * 3 && image.height == image.width)
        #expect(image[0, 0] == 255)
        // The finder pattern's corner module is black.
        #expect(image[2 * 3, 2 * 3] == 0)
        let decoded = try ImageLoader().load(renderer.renderPNG("wxp://a"))
        #expect(decoded == image)
    }

    @Test("payloads libqrencode cannot encode are refused")
    func refused() {
        #expect(throws: ImagingError.qrencode("empty payload")) { try QRRenderer().render("") }
        let tooLong = String(repeating: "x", count: 4000)
        #expect(throws: ImagingError.self) { try QRRenderer().render(tooLong) }
    }
}
