import Crypto
public import Foundation

/// Where uploaded originals and rendered codes live, addressed by the SHA-256 of their bytes.
public protocol BlobStore: Sendable {
    /// Stores `data` (idempotent) and returns its digest in lower-case hex.
    func store(_ data: Data, kind: BlobKind, fileExtension: String) throws -> String
    /// The bytes stored under `digest`.
    func read(kind: BlobKind, digest: String, fileExtension: String) throws -> Data
}

/// The kinds of stored file.
public enum BlobKind: String, Sendable {
    /// The seller's image, exactly as uploaded.
    case original = "originals"
    /// The clean PNG re-rendered from the payload, which buyers see.
    case rendered = "codes"
    /// A goods picture, re-encoded as JPEG by the store.
    case picture = "pictures"
}

/// Blobs as files under a root folder: `originals/ab/abcdef….png`. Paths are made only from
/// digests this type computed, never from anything a user sent.
public struct FileBlobStore: BlobStore {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    public func store(_ data: Data, kind: BlobKind, fileExtension: String) throws -> String {
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let url = location(kind: kind, digest: digest, fileExtension: fileExtension)
        guard !FileManager.default.fileExists(atPath: url.path) else { return digest }
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Written whole to a temporary name, then renamed: a reader never sees half a file.
        try data.write(to: url, options: .atomic)
        return digest
    }

    public func read(kind: BlobKind, digest: String, fileExtension: String) throws -> Data {
        guard digest.count == 64, digest.allSatisfy(\.isHexDigit) else {
            throw CocoaError(.fileReadInvalidFileName)
        }
        return try Data(contentsOf: location(kind: kind, digest: digest, fileExtension: fileExtension))
    }

    private func location(kind: BlobKind, digest: String, fileExtension: String) -> URL {
        root.appendingPathComponent(kind.rawValue)
            .appendingPathComponent(String(digest.prefix(2)))
            .appendingPathComponent("\(digest).\(fileExtension)")
    }
}
