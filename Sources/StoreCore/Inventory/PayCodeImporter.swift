public import Foundation
public import Imaging

/// Scans batches of pay-code images and adds them to the inventory. The same path serves the
/// upload page, the API and `qrstore codes import`.
public struct PayCodeImporter: Sendable {
    private let database: AppDatabase
    private let blobs: any BlobStore
    private let limits: UploadLimits
    private let now: @Sendable () -> Date

    public init(
        database: AppDatabase, blobs: any BlobStore, limits: UploadLimits,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.blobs = blobs
        self.limits = limits
        self.now = now
    }

    /// Reads every entry without storing anything; `ok` for a valid code.
    public static func scan(
        _ entries: [BatchEntry], hints: FileNameHints, maxPixels: Int
    ) async
        -> [CodeResult]
    {
        let inspections = await inspect(entries, hints: hints, maxPixels: maxPixels)
        return zip(entries, inspections).map { entry, inspection in
            switch inspection {
            case .accepted(let code):
                CodeResult(
                    file: entry.name, status: .ok, type: code.type, amount: code.amount,
                    payload: code.payload)
            case .rejected(let reason, let detail, let payload):
                .rejected(entry.name, reason, detail: detail, payload: payload)
            }
        }
    }

    /// Imports every entry into channel `channelId`; one bad file never stops the rest. Throws
    /// only when storage fails (or there is no such channel).
    public func importBatch(
        _ entries: [BatchEntry], hints: FileNameHints, channelId: Int64 = 1
    ) async throws
        -> [CodeResult]
    {
        guard try await database.channel(id: channelId) != nil else { throw ChannelError.notFound }
        let inspections = await Self.inspect(entries, hints: hints, maxPixels: limits.maxPixels)
        var results: [CodeResult] = []
        for (entry, inspection) in zip(entries, inspections) {
            switch (inspection, entry.content) {
            case (.accepted(let code), .success(let data)):
                results.append(try await store(code, name: entry.name, original: data, channelId: channelId))
            case (.rejected(let reason, let detail, let payload), _):
                results.append(.rejected(entry.name, reason, detail: detail, payload: payload))
            case (.accepted, .failure):
                preconditionFailure("a refused entry cannot be accepted")
            }
        }
        return results
    }

    private func store(
        _ code: AcceptedCode, name: String, original: Data, channelId: Int64
    ) async throws -> CodeResult {
        func result(_ status: CodeResult.Status, _ id: Int64, _ message: String) -> CodeResult {
            CodeResult(
                file: name, status: status, id: id, type: code.type, amount: code.amount,
                payload: code.payload, message: message)
        }
        if let existing = try await database.payCode(payload: code.payload), let id = existing.id {
            return result(.duplicate, id, "Already in the inventory as code \(id).")
        }
        let blobs = self.blobs
        let (originalDigest, renderedDigest) = try await ImagingPool.run {
            Result(catching: {
                (
                    try blobs.store(original, kind: .original, fileExtension: code.format == .png ? "png" : "jpg"),
                    try blobs.store(code.rendered, kind: .rendered, fileExtension: "png")
                )
            })
        }.get()
        let record = PayCode(
            channelId: channelId, type: code.type, amountFen: code.amount?.fen, payload: code.payload,
            originalDigest: originalDigest,
            originalFormat: code.format.rawValue, originalName: name, renderedDigest: renderedDigest,
            enabled: true, lastUsedAt: nil, createdAt: now())
        switch try await database.insertPayCode(record) {
        case .inserted(let id): return result(.imported, id, "Imported as code \(id).")
        case .duplicate(let id): return result(.duplicate, id, "Already in the inventory as code \(id).")
        }
    }

    /// Inspects the entries in parallel on the imaging threads, one zbar scanner per core, in order.
    private static func inspect(
        _ entries: [BatchEntry], hints: FileNameHints, maxPixels: Int
    ) async
        -> [Inspection]
    {
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return await withTaskGroup(of: (Int, Inspection).self) { group in
            var inspections = [Inspection?](repeating: nil, count: entries.count)
            var next = 0
            func submit() {
                let index = next, entry = entries[index]
                next += 1
                group.addTask {
                    switch entry.content {
                    case .failure(let refusal):
                        return (index, .rejected(refusal.reason, detail: refusal.detail))
                    case .success(let data):
                        let inspection = try? await ImagingPool.run {
                            CodeInspector(maxPixels: maxPixels).inspect(name: entry.name, data: data, hints: hints)
                        }
                        return (index, inspection ?? .rejected(.corrupt, detail: "the server is shutting down"))
                    }
                }
            }
            while next < min(width, entries.count) { submit() }
            for await (index, inspection) in group {
                inspections[index] = inspection
                if next < entries.count { submit() }
            }
            return inspections.map { $0! }
        }
    }
}
