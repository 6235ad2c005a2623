import Foundation
import Hummingbird
import Mustache

/// Renders the mustache templates of `Templates/` into HTML responses, in the request's language.
/// `{{…}}` escapes HTML, so user text is safe wherever a template shows it; `{{t.…}}` is a text
/// of the language tables.
public struct PageRenderer: Sendable {
    private let library: MustacheLibrary
    /// The language tables, for templates and for messages.
    public let strings: Strings
    /// The shop's name and announcement in force.
    let site: LiveSetting<SiteIdentity>

    /// Loads every `.mustache` file under `directory`; a template in a folder is named by its
    /// path, e.g. `admin/login`.
    public init(directory: String, strings: Strings, siteName: String? = nil, siteNotice: String? = nil) async throws {
        guard FileManager.default.fileExists(atPath: directory) else {
            throw PageRendererError.missingTemplates(directory)
        }
        library = try await MustacheLibrary(directory: directory)
        self.strings = strings
        site = LiveSetting(SiteIdentity(name: siteName, notice: siteNotice))
    }

    /// The shop's name: `site.name`, else "商店" / "Store".
    func siteName(in language: Language) -> String {
        site.current.name ?? strings.text("layout.store", in: language)
    }

    /// The page `template` showing `view`, inside the layout described by `chrome`.
    func render(_ template: String, _ view: Any, chrome: Chrome) throws -> Response {
        let page: [String: Any] = [
            "chrome": chrome, "view": view, "t": strings.table(chrome.language),
            "site": ["name": siteName(in: chrome.language), "notice": site.current.notice].compactMapValues { $0 },
        ]
        guard let html = library.render(page, withTemplate: template) else {
            throw PageRendererError.unknownTemplate(template)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}

/// Templates that cannot be found.
public enum PageRendererError: Error, CustomStringConvertible {
    case missingTemplates(String)
    case unknownTemplate(String)

    public var description: String {
        switch self {
        case .missingTemplates(let path): "no templates folder at \(path) (templates.path)"
        case .unknownTemplate(let name): "no template named \(name)"
        }
    }
}

/// What the layout around every page needs.
struct Chrome {
    let title: String
    let csrfToken: String
    /// True on seller pages, which show the seller's menu.
    let seller: Bool
    /// A one-line message at the top of the page, e.g. after saving.
    let notice: String?
    let language: Language
    /// The address of this page in the other language.
    let switchLanguage: String

    init(title: String, context: AppRequestContext, seller: Bool = false, notice: String? = nil) {
        self.title = title
        self.csrfToken = context.csrfToken
        self.seller = seller
        self.notice = notice
        language = context.language
        let back = context.requestPath.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        switchLanguage = "/lang/\(context.language.other.rawValue)?back=\(back)"
    }
}

// Mustache finds a name by reflection unless the value names its children itself; the layout
// and the buyer's busiest pages do, which keeps reflection off their path.
extension Chrome: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "csrfToken": self.csrfToken
        case "seller": self.seller
        case "notice": self.notice
        case "lang": self.language.rawValue
        case "switchLanguage": self.switchLanguage
        default: nil
        }
    }
}

/// The error page.
struct ErrorView {
    let status: Int
    let reason: String
    let message: String
}

/// JSON answers with the API's conventions: camelCase keys, ISO 8601 UTC times.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func encode(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
