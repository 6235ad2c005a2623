public import Foundation

/// `withUnsafeBytes` that keeps a typed error, which the standard `rethrows` version erases.
func withBytes<Bytes: ContiguousBytes, T>(
    of bytes: Bytes, _ body: (UnsafeRawBufferPointer) throws(ImagingError) -> T
) throws(ImagingError) -> T {
    try bytes.withUnsafeBytes { raw in Result { () throws(ImagingError) in try body(raw) } }.get()
}
