import StoreCore
import Testing

@Suite("Type and amount from file names")
struct FileNameHintsTests {
    @Test(
        "names that say type and amount, or the amount alone",
        arguments: [
            ("wechat_0.99.png", PayType.wechat, 99), ("alipay-1.00.PNG", .alipay, 100),
            ("zfb 2.jpeg", .alipay, 200), ("WX0.95.jpg", .wechat, 95), ("weixin_1.png", .wechat, 100),
            ("ali-0.90.JPG", .alipay, 90), ("codes/sub/alipay_0.98.png", .alipay, 98),
            (#"C:\codes\wechat_0.97.png"#, .wechat, 97),
        ])
    func typed(_ name: String, type: PayType, fen: Int) {
        #expect(FileNameHints(fileName: name) == FileNameHints(type: type, amount: Money(fen: fen)))
    }

    @Test("the amount alone", arguments: ["0.99.jpg", "0.99", "folder/0.990.png"])
    func amountOnly(_ name: String) {
        #expect(FileNameHints(fileName: name) == FileNameHints(amount: Money(fen: 99)))
    }

    @Test(
        "names that say nothing usable",
        arguments: [
            "IMG_1234.jpg", "photo.png", "wechat.png", "paypal_0.99.png", "wechat_1.001.png",
            "wechat_-1.png", "", "wechat_0.99_copy.png",
        ])
    func nothing(_ name: String) {
        #expect(FileNameHints(fileName: name) == FileNameHints())
    }
}
