public import Foundation
public import Imaging

/// The outcome of reading one file as a pay code, before anything is stored.
public enum Inspection: Sendable, Equatable {
    case accepted(AcceptedCode)
    /// The reason, the detail behind it (a library's message, the sizes), and the payload when
    /// the code was read but its type or amount is missing or in conflict.
    case rejected(Rejection, detail: String, payload: String? = nil)
}

/// A file that reads as exactly one pay code, with the clean rendering buyers are shown.
public struct AcceptedCode: Sendable, Equatable {
    public var payload: String
    public var type: PayType
    /// Nil for a generic code.
    public var amount: Money?
    public var format: ImageFormat
    /// The PNG re-rendered from the payload, already scanned back to the same payload.
    public var rendered: Data
}

/// Reads one file as a pay code with the rules of the spec's inventory section: one QR code
/// that can take money, a type from the payload, the name or the form, an amount from the form
/// or the name, and a clean rendering that scans back to the same payload. Blocking work: run
/// it on `ImagingPool`.
public struct CodeInspector {
    private let reader: QRCodeReader
    private let renderer: QRRenderer

    public init(maxPixels: Int, renderer: QRRenderer = QRRenderer()) {
        reader = QRCodeReader(loader: ImageLoader(maxPixels: maxPixels))
        self.renderer = renderer
    }

    /// Inspects `data`, named `name`; `hints` are what the form says for the whole batch.
    public func inspect(name: String, data: Data, hints: FileNameHints) -> Inspection {
        guard !data.isEmpty else { return .rejected(.corrupt, detail: "the file is empty (0 bytes)") }
        let payloads: [String]
        do {
            payloads = try reader.payloads(in: data)
        } catch {
            return Self.rejection(for: error)
        }
        guard let payload = payloads.first else { return .rejected(.noQR, detail: "") }
        guard payloads.count == 1 else {
            return .rejected(.multipleQR, detail: payloads.joined(separator: "\n"))
        }
        guard hints.allowAnyPayload || PayloadKind.canTakeMoney(payload) else {
            return .rejected(.notAPayCode, detail: "", payload: payload)
        }
        let named = FileNameHints(fileName: name)
        let claims = [PayType(payload: payload), named.type, hints.type].compactMap { $0 }
        guard let type = claims.first else { return .rejected(.noType, detail: "", payload: payload) }
        guard claims.allSatisfy({ $0 == type }) else {
            let said = Set(claims.map(\.rawValue)).sorted().joined(separator: " and ")
            return .rejected(
                .typeConflict, detail: "the code, file name and form say \(said)", payload: payload)
        }
        // The form's amount is the seller's word for this upload; the name is the fallback. A
        // generic code has none: one that comes with an amount may be a fixed code ticked by
        // mistake, which would make a buyer pay the wrong amount, so it is refused.
        let given = hints.amount ?? named.amount
        if hints.generic, let given {
            return .rejected(.amountConflict, detail: "generic, yet \(given)", payload: payload)
        }
        let amount = hints.generic ? nil : given
        if amount == nil, !hints.generic { return .rejected(.noAmount, detail: "", payload: payload) }
        let rendered: Data
        do {
            rendered = try renderer.renderPNG(payload)
            guard try QRCodeReader().payloads(in: rendered) == [payload] else {
                return .rejected(.corrupt, detail: "the re-rendered code does not scan back", payload: payload)
            }
        } catch {
            return .rejected(.corrupt, detail: "cannot re-render the code: \(error.description)", payload: payload)
        }
        return .accepted(
            AcceptedCode(
                payload: payload, type: type, amount: amount, format: ImageFormat.detect(data), rendered: rendered))
    }

    private static func rejection(for error: ImagingError) -> Inspection {
        switch error {
        case .unsupportedFormat(let format): .rejected(.unsupportedFormat, detail: format.rawValue)
        case .tooManyPixels: .rejected(.tooLarge, detail: error.description)
        case .png, .jpeg, .qrencode, .zbar: .rejected(.corrupt, detail: error.description)
        // Reading the printed amount failed: the amount is not known.
        case .ocr: .rejected(.noAmount, detail: error.description)
        }
    }
}
