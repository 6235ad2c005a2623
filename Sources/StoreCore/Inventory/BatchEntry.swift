public import Foundation
import Imaging
import ZIPFoundation

/// One file of a batch: its name as the seller knows it (a ZIP entry reads `batch.zip/a/b.png`),
/// and its bytes, or why it was refused before any decoding.
public struct BatchEntry: Sendable {
    public var name: String
    public var content: Result<Data, Refusal>

    /// A refusal with its reason code and detail.
    public struct Refusal: Error, Sendable, Equatable {
        public var reason: Rejection
        public var detail: String
    }

    public init(name: String, data: Data) {
        self.name = name
        content = .success(data)
    }

    public init(name: String, refused reason: Rejection, detail: String) {
        self.name = name
        content = .failure(Refusal(reason: reason, detail: detail))
    }
}

/// Turns uploads, files, folders and ZIPs into batch entries, enforcing the upload limits.
/// ZIP entries are read into memory: an entry's name is a label, never a path.
public struct BatchReader: Sendable {
    public var limits: UploadLimits

    public init(limits: UploadLimits) {
        self.limits = limits
    }

    /// The entries of one uploaded file: itself, or a ZIP's images.
    public func entries(name: String, data: Data) -> [BatchEntry] {
        guard data.count <= limits.maxFileBytes else {
            return [BatchEntry(name: name, refused: .tooLarge, detail: tooBig(data.count))]
        }
        return ImageFormat.detect(data) == .zip
            ? zipEntries(name: name, data: data) : [BatchEntry(name: name, data: data)]
    }

    /// The entries under the files and folders at `paths`; folders are walked, dot-files skipped.
    public func entries(paths: [String]) -> [BatchEntry] {
        paths.flatMap { path -> [BatchEntry] in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                return [BatchEntry(name: path, refused: .corrupt, detail: "no such file")]
            }
            guard isFolder.boolValue else { return fileEntries(URL(fileURLWithPath: path), name: path) }
            let folder = URL(fileURLWithPath: path)
            let walker = FileManager.default.enumerator(
                at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                options: [.skipsHiddenFiles])
            let files = (walker?.allObjects as? [URL] ?? [])
                .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
                .sorted { $0.path < $1.path }
            return files.flatMap { fileEntries($0, name: $0.path) }
        }
    }

    private func fileEntries(_ url: URL, name: String) -> [BatchEntry] {
        let size = (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
        // Refused from its size, before reading it.
        guard size <= limits.maxFileBytes else {
            return [BatchEntry(name: name, refused: .tooLarge, detail: tooBig(size))]
        }
        do {
            return entries(name: name, data: try Data(contentsOf: url))
        } catch {
            return [BatchEntry(name: name, refused: .corrupt, detail: "cannot read the file")]
        }
    }

    private func zipEntries(name: String, data: Data) -> [BatchEntry] {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            return [BatchEntry(name: name, refused: .corrupt, detail: "not a readable ZIP archive")]
        }
        var result: [BatchEntry] = []
        var fileCount = 0, totalBytes = 0
        for entry in archive where entry.type == .file && !Self.isSkipped(entry.path) {
            let label = "\(name)/\(entry.path)"
            fileCount += 1
            guard fileCount <= limits.maxZipEntries else {
                result.append(
                    BatchEntry(
                        name: name, refused: .tooLarge,
                        detail: "more than \(limits.maxZipEntries) files in one ZIP; the rest were not read"))
                break
            }
            guard entry.uncompressedSize <= UInt64(limits.maxFileBytes) else {
                result.append(
                    BatchEntry(name: label, refused: .tooLarge, detail: tooBig(Int(entry.uncompressedSize))))
                continue
            }
            result.append(extract(entry, from: archive, label: label, totalBytes: &totalBytes))
        }
        return result
    }

    /// Inflates one entry, counting the bytes really produced, since a header may lie.
    private func extract(
        _ entry: Entry, from archive: Archive, label: String, totalBytes: inout Int
    )
        -> BatchEntry
    {
        var bytes = Data()
        var overLimit: String?
        let limits = self.limits
        let startTotal = totalBytes
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                if bytes.count + chunk.count > limits.maxFileBytes {
                    overLimit = tooBig(bytes.count + chunk.count)
                } else if startTotal + bytes.count + chunk.count > limits.maxZipBytes {
                    overLimit = "the ZIP holds more than \(limits.maxZipBytes / 1_048_576) MB uncompressed"
                }
                if overLimit != nil { throw CocoaError(.fileReadTooLarge) }
                bytes.append(chunk)
            }
        } catch {
            return BatchEntry(
                name: label, refused: overLimit == nil ? .corrupt : .tooLarge,
                detail: overLimit ?? "the ZIP entry is damaged")
        }
        totalBytes += bytes.count
        if ImageFormat.detect(bytes) == .zip {
            return BatchEntry(name: label, refused: .unsupportedFormat, detail: "a ZIP inside a ZIP is not opened")
        }
        return BatchEntry(name: label, data: bytes)
    }

    /// macOS resource forks, dot-files and anything inside a dot-folder.
    static func isSkipped(_ path: String) -> Bool {
        let parts = path.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        return parts.first == "__MACOSX" || parts.contains(where: { $0.hasPrefix(".") && $0 != "." && $0 != ".." })
    }

    private func tooBig(_ size: Int) -> String {
        "\(size) bytes; the limit is \(limits.maxFileBytes) bytes (upload.maxFileBytes)"
    }
}
