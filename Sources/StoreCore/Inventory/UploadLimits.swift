/// Caps on what one upload or import may bring in.
public struct UploadLimits: Sendable, Equatable {
    /// The largest single file, or ZIP entry once uncompressed.
    public var maxFileBytes: Int
    /// The most pixels an image may announce.
    public var maxPixels: Int
    /// The most files one ZIP may hold.
    public var maxZipEntries: Int
    /// The most bytes all of one ZIP's entries may add up to, uncompressed.
    public var maxZipBytes: Int

    public init(
        maxFileBytes: Int = 10 * 1024 * 1024, maxPixels: Int = 40_000_000,
        maxZipEntries: Int = 1000, maxZipBytes: Int = 200 * 1024 * 1024
    ) {
        self.maxFileBytes = maxFileBytes
        self.maxPixels = maxPixels
        self.maxZipEntries = maxZipEntries
        self.maxZipBytes = maxZipBytes
    }
}
