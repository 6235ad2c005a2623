/// The languages every page, message and email exists in.
public enum Language: String, Sendable, CaseIterable {
    case zhCN = "zh-CN"
    case en

    /// The language a browser asks for first among ours (`Accept-Language`, by weight), if any.
    public static func preferred(byAcceptLanguage header: String) -> Language? {
        var best: (language: Language, weight: Double)?
        for (index, part) in header.split(separator: ",").enumerated() {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased(), let language = Language(tag: tag) else { continue }
            let weight =
                pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            // Equal weights keep the header's order.
            let adjusted = weight - Double(index) * 1e-6
            if weight > 0, adjusted > (best?.weight ?? -1) { best = (language, adjusted) }
        }
        return best?.language
    }

    /// `zh`, `zh-cn`, `zh-hans`, `zh-tw` … are Chinese (the only Chinese we have); `en-*` English.
    init?(tag: String) {
        if tag == "zh" || tag.hasPrefix("zh-") {
            self = .zhCN
        } else if tag == "en" || tag.hasPrefix("en-") {
            self = .en
        } else {
            return nil
        }
    }

    /// The other language, for the switch in the header.
    var other: Language { self == .zhCN ? .en : .zhCN }
}
