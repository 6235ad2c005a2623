public import Foundation

/// The committed test images in `Tests/Fixtures/images`, made by `Tests/Fixtures/make_fixtures.py`.
public enum Fixtures {
    /// The folder holding the images.
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/images")

    /// The WeChat payload most fixtures carry.
    public static let wechatPayload = "wxp://f2f0Xq3JrJb7V2cO6Gmkp1b9QxY0Z3oN5cE"
    /// The Alipay payload of the JPEG fixtures.
    public static let alipayPayload = "https://qr.alipay.com/fkx17342kqtlbezmj0mvw3a"
    /// The second payload of `multiple.png`.
    public static let otherPayload = "wxp://f2f1AnotherCodeForMultiple000"

    /// The file's path.
    public static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The file's bytes.
    public static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    /// Each fixture's expected payload, from `expected.json`: a string, a list, or nothing.
    public static func expectedPayloads() throws -> [String: [String]] {
        let raw = try JSONSerialization.jsonObject(with: data("expected.json")) as? [String: Any] ?? [:]
        return raw.mapValues { value in
            if let one = value as? String { return [one] }
            return value as? [String] ?? []
        }
    }

    /// A fresh, empty temporary folder.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("qrstore-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
