/// Why one file of a batch did not become a pay code; the raw values are the API's reason codes.
public enum Rejection: String, Sendable, Codable, Equatable, CaseIterable {
    case unsupportedFormat = "unsupported_format"
    case corrupt
    case tooLarge = "too_large"
    case noQR = "no_qr"
    case multipleQR = "multiple_qr"
    case typeConflict = "type_conflict"
    case noType = "no_type"
    case noAmount = "no_amount"
    /// The amounts given disagree: a generic code named or entered with an amount.
    case amountConflict = "amount_conflict"
    case notAPayCode = "not_a_pay_code"

    /// What the seller should read.
    public var explanation: String {
        switch self {
        case .unsupportedFormat: "Not a PNG or JPEG image."
        case .corrupt: "The image file is damaged and could not be read."
        case .tooLarge: "The file is too large."
        case .noQR: "No QR code was found in the image."
        case .multipleQR: "The image holds more than one different QR code; upload one per image."
        case .typeConflict: "The QR code's wallet differs from the one given by the file name or form."
        case .noType: "Cannot tell WeChat from Alipay: put wechat_ or alipay_ in the file name, or choose a type."
        case .noAmount: "No amount: name the file like wechat_0.99.png, or enter the amount."
        case .amountConflict:
            "The amounts disagree: a generic code has no amount, but the file name or form gives one."
        case .notAPayCode:
            "The QR code holds no payment address, so a buyer could not pay with it. Tick \"accept any payload\" if it really is one."
        }
    }
}
