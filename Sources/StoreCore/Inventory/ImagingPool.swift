public import Foundation
import NIOPosix

/// The threads that decode, scan and render images, one per core: image work blocks, so it
/// never runs on Swift's cooperative threads.
public enum ImagingPool {
    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, ProcessInfo.processInfo.activeProcessorCount))
        pool.start()
        return pool
    }()

    /// Runs `work` on one of the imaging threads and returns its result.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        try await pool.runIfActive(work)
    }
}

extension BlobStore {
    /// The rendered code under `digest`, read on the imaging threads (file reads block).
    public func renderedPNG(digest: String) async throws -> Data {
        try await ImagingPool.run {
            Result(catching: { try self.read(kind: .rendered, digest: digest, fileExtension: "png") })
        }.get()
    }

    /// The goods picture under `digest`, read on the imaging threads.
    public func pictureJPEG(digest: String) async throws -> Data {
        try await ImagingPool.run {
            Result(catching: { try self.read(kind: .picture, digest: digest, fileExtension: "jpg") })
        }.get()
    }
}
