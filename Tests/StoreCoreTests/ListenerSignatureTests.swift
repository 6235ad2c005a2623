import StoreCore
import Testing

@Suite("Listener signatures")
struct ListenerSignatureTests {
    let signature = ListenerSignature(secret: "k3Y-example-Secret-0123456789ab")

    @Test("protocol A matches the specification's test vectors")
    func protocolA() {
        #expect(
            signature.settingSign(apiURL: "http://pay.example.com/addons/pay/") == "70d96caa9f0bfe1ca895006b51f2b61f")
        #expect(signature.notifySign(price: "0.99", type: "wechat") == "c40c29b464ec10d2f41f116fa464dcf3")
        #expect(signature.notifySign(price: "0.990", type: "alipay") == "28b24d1d0a88efa86c75f63c978f250f")
    }

    @Test("protocol B matches the specification's test vectors")
    func protocolB() {
        #expect(signature.heartSign(t: "1700000000123") == "29ca60eeb8cb663d1fe675e49f2404d6")
        #expect(signature.pushSign(type: "1", price: "0.99", t: "1700000000123") == "a18394bbc57ecb31e8d85b74d9742fff")
    }

    @Test("signatures are over the raw strings, so a reformatted price does not match")
    func rawStrings() {
        #expect(
            signature.notifySign(price: "0.99", type: "wechat") != signature.notifySign(price: "0.990", type: "wechat"))
        #expect(ListenerSignature.matches("C40C29B464EC10D2F41F116FA464DCF3", "c40c29b464ec10d2f41f116fa464dcf3"))
        #expect(!ListenerSignature.matches("c40c29b464ec10d2f41f116fa464dcf", "c40c29b464ec10d2f41f116fa464dcf3"))
    }
}
