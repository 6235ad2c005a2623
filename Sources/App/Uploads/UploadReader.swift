import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import StoreCore

/// The files and text fields of a `multipart/form-data` upload, read whole up to a cap.
struct UploadedForm {
    /// Parts with a file name, in order: the seller's file name and its bytes.
    var files: [(name: String, data: Data)] = []
    /// Parts without a file name: the first value of each field.
    var fields: [String: String] = [:]

    /// Reads `request`, refusing bodies over `maxBytes` and anything not multipart.
    static func read(_ request: Request, maxBytes: Int) async throws -> UploadedForm {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = Self.boundary(in: contentType)
        else {
            throw LocalizedFailure(.unsupportedMediaType, "messages.sendMultipart")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxBytes)
        } catch is NIOTooManyBytesError {
            throw LocalizedFailure(.contentTooLarge, "messages.uploadTooLarge", ["mb": "\(maxBytes / 1_048_576)"])
        }
        var form = UploadedForm()
        var headers = HTTPHeaders()
        var part = ByteBuffer()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in headers.add(name: name, value: value) }
        parser.onBody = { chunk in part.writeBuffer(&chunk) }
        parser.onPartComplete = {
            let disposition = MultipartPart(headers: headers, body: part)
            if let fileName = Self.fileName(headers) {
                form.files.append((fileName, Data(buffer: part)))
            } else if let name = disposition.name, form.fields[name] == nil {
                form.fields[name] = String(buffer: part)
            }
            headers = HTTPHeaders()
            part = ByteBuffer()
        }
        do {
            try parser.execute(body)
        } catch {
            throw LocalizedFailure(.badRequest, "messages.badMultipart")
        }
        return form
    }

    private static func boundary(in contentType: String) -> String? {
        contentType.split(separator: ";").lazy
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.lowercased().hasPrefix("boundary=") }
            .map { String($0.dropFirst("boundary=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
    }

    /// The `filename` of a part's Content-Disposition; only a label, never a path.
    private static func fileName(_ headers: HTTPHeaders) -> String? {
        guard let disposition = headers.first(name: "Content-Disposition") else { return nil }
        for parameter in disposition.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
        where parameter.lowercased().hasPrefix("filename=") {
            let value = parameter.dropFirst("filename=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return value.isEmpty ? "upload" : value
        }
        return nil
    }

    /// The batch's type, amount, "generic" and "accept any payload" fields, checked.
    func hints() throws -> FileNameHints {
        var hints = FileNameHints(
            allowAnyPayload: fields["allowAnyPayload"] == "true", generic: fields["generic"] == "true")
        if let type = fields["type"], !type.isEmpty {
            guard let payType = PayType(word: type) else {
                throw LocalizedFailure(.unprocessableContent, "messages.badType")
            }
            hints.type = payType
        }
        if let amount = fields["amount"], !amount.isEmpty {
            guard let money = Money(parsing: amount), money.fen > 0 else {
                throw LocalizedFailure(.unprocessableContent, "messages.badAmount")
            }
            hints.amount = money
        }
        return hints
    }
}

/// The summary of an imported batch, as the API and the upload page show it.
struct ImportSummary: Codable {
    var imported: Int
    var duplicates: Int
    var rejected: Int
    var results: [CodeResult]

    init(_ results: [CodeResult]) {
        imported = results.count { $0.status == .imported }
        duplicates = results.count { $0.status == .duplicate }
        rejected = results.count { $0.status == .rejected }
        self.results = results
    }
}

extension AppServices {
    /// Imports an uploaded form's files: the same path as `qrstore codes import`; the messages
    /// are in the seller's language.
    func importUpload(_ request: Request, context: AppRequestContext) async throws -> ImportSummary {
        let form = try await UploadedForm.read(request, maxBytes: configuration.maxRequestBytes)
        guard !form.files.isEmpty else {
            throw LocalizedFailure(.unprocessableContent, "messages.noFiles")
        }
        let hints = try form.hints()
        let reader = BatchReader(limits: configuration.upload), files = form.files
        // Unpacking ZIPs is work for the imaging threads too.
        let entries = try await ImagingPool.run { files.flatMap { reader.entries(name: $0.name, data: $0.data) } }
        if hints.amount != nil, entries.count != 1 {
            throw LocalizedFailure(.unprocessableContent, "messages.amountForOneImage", ["count": "\(entries.count)"])
        }
        // The one channel unless the form names another.
        var channelId: Int64 = 1
        if let text = form.fields["channel"], !text.isEmpty {
            guard let id = Int64(text), try await database.channel(id: id) != nil else {
                throw LocalizedFailure(.unprocessableContent, "channelProblems.notFound")
            }
            channelId = id
        }
        return ImportSummary(
            try await importer.importBatch(entries, hints: hints, channelId: channelId).map { localized($0, context) })
    }

    /// The result with its message in the request's language.
    private func localized(_ result: CodeResult, _ context: AppRequestContext) -> CodeResult {
        var result = result
        switch result.status {
        case .imported: result.message = text("upload.imported", context, ["id": "\(result.id ?? 0)"])
        case .duplicate: result.message = text("upload.duplicate", context, ["id": "\(result.id ?? 0)"])
        case .rejected:
            guard let reason = result.reason else { break }
            let explanation = text("rejections.\(reason.rawValue)", context)
            result.message = result.detail.map { "\(explanation) (\($0))" } ?? explanation
        case .ok: break
        }
        return result
    }
}
