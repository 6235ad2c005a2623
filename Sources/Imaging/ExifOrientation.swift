public import Foundation

/// Reads the EXIF orientation tag (0x0112) from a JPEG's APP1 segment, without libjpeg.
public enum ExifOrientation {
    /// The orientation 1…8, or 1 when the file has none or it cannot be read.
    public static func read(fromJPEG data: Data) -> Int {
        let bytes = [UInt8](data.prefix(128 * 1024))
        var offset = 2
        // Walk the marker segments up to the start of scan.
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            if marker == 0xDA || marker == 0xD9 { break }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { break }
            let body = Array(bytes[(offset + 4)..<(offset + 2 + length)])
            if marker == 0xE1, body.starts(with: Array("Exif\0\0".utf8)),
                let orientation = orientation(inTIFF: Array(body.dropFirst(6)))
            {
                return orientation
            }
            offset += 2 + length
        }
        return 1
    }

    /// Finds tag 0x0112 in IFD0 of a TIFF structure.
    private static func orientation(inTIFF tiff: [UInt8]) -> Int? {
        guard tiff.count >= 8 else { return nil }
        let littleEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            return littleEndian
                ? Int(tiff[at]) | Int(tiff[at + 1]) << 8 : Int(tiff[at]) << 8 | Int(tiff[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let high = u16(littleEndian ? at + 2 : at), let low = u16(littleEndian ? at : at + 2)
            else { return nil }
            return high << 16 | low
        }
        guard let ifd = u32(4), let count = u16(ifd) else { return nil }
        for index in 0..<count {
            let entry = ifd + 2 + index * 12
            guard let tag = u16(entry) else { return nil }
            if tag == 0x0112, let value = u16(entry + 8), (1...8).contains(value) { return value }
        }
        return nil
    }
}
