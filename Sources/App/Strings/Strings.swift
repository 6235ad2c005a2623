import Foundation

/// The language tables, one JSON file per language in `strings.path` (`zh-CN.json`, `en.json`):
/// nested objects of texts, so that a template reads `{{t.pay.exactly}}` and code reads
/// `text("pay.exactly", in: .en)`. Texts may hold `{name}` placeholders.
public struct Strings: Sendable {
    /// Each language's tree, as loaded.
    private let tables: [Language: [String: any Sendable]]

    /// Loads every language's file from `directory`; a missing or broken file stops start-up.
    public init(directory: String) throws {
        var tables: [Language: [String: any Sendable]] = [:]
        for language in Language.allCases {
            let url = URL(fileURLWithPath: directory).appendingPathComponent("\(language.rawValue).json")
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw StringsError.missingFile(url.path)
            }
            guard let tree = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw StringsError.notATable(url.path)
            }
            tables[language] = Self.sendable(tree)
        }
        self.tables = tables
    }

    /// The whole table of `language`, for templates.
    func table(_ language: Language) -> [String: Any] { tables[language] ?? [:] }

    /// The text under the dotted `key` in `language`, with `{name}` replaced from `values`.
    /// A missing key shows as itself (a test keeps both files complete).
    func text(_ key: String, in language: Language, _ values: [String: String] = [:]) -> String {
        var node: Any? = tables[language]
        for part in key.split(separator: ".") { node = (node as? [String: any Sendable])?[String(part)] }
        var text = node as? String ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// Every dotted key of `language`'s table.
    func keys(_ language: Language) -> Set<String> {
        func walk(_ node: [String: any Sendable], _ prefix: String) -> [String] {
            node.flatMap { key, value -> [String] in
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                if let child = value as? [String: any Sendable] { return walk(child, path) }
                return [path]
            }
        }
        return Set(walk(tables[language] ?? [:], ""))
    }

    private static func sendable(_ tree: [String: Any]) -> [String: any Sendable] {
        tree.compactMapValues { value -> (any Sendable)? in
            if let child = value as? [String: Any] { return sendable(child) }
            return value as? String
        }
    }
}

/// A language file that cannot be used.
public enum StringsError: Error, CustomStringConvertible {
    case missingFile(String)
    case notATable(String)

    public var description: String {
        switch self {
        case .missingFile(let path): "no language file at \(path) (strings.path)"
        case .notATable(let path): "\(path) is not a JSON object of texts"
        }
    }
}
