import Crypto
import Foundation

/// Lower-case hex MD5 of a string's UTF-8 bytes: what the peers' signatures are made of. MD5 is
/// their wire format, not a choice.
enum MD5Hex {
    static func of(_ text: String) -> String {
        Insecure.MD5.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
