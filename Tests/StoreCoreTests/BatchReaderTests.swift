import Foundation
import StoreCore
import TestSupport
import Testing
import ZIPFoundation

@Suite("Reading batches: files, folders and ZIPs")
struct BatchReaderTests {
    let reader = BatchReader(limits: UploadLimits())

    /// A ZIP made in memory from (name, bytes) pairs.
    static func zip(_ files: [(String, Data)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (name, data) in files {
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
        return try #require(archive.data)
    }

    @Test("a ZIP's images are read; __MACOSX, dot-files and folders are skipped")
    func batchZip() throws {
        let entries = reader.entries(name: "batch.zip", data: try Fixtures.data("batch.zip"))
        #expect(
            entries.map(\.name) == [
                "batch.zip/codes/wechat_0.99.png", "batch.zip/codes/alipay-1.00.jpg",
                "batch.zip/codes/sub/0.98.png",
            ])
        let first = try entries[0].content.get()
        #expect(first == (try Fixtures.data("png_gray8.png")))
    }

    @Test("hostile entry names are only labels")
    func hostileNames() throws {
        let entries = reader.entries(name: "hostile.zip", data: try Fixtures.data("hostile.zip"))
        #expect(
            entries.map(\.name) == [
                "hostile.zip/../../wechat_0.99.png", "hostile.zip//etc/wechat_0.98.png",
                "hostile.zip/notes.txt",
            ])
    }

    @Test("the entry count is capped")
    func entryCap() throws {
        let files = (1...5).map { ("\($0).png", Data("x\($0)".utf8)) }
        let reader = BatchReader(limits: UploadLimits(maxZipEntries: 3))
        let entries = reader.entries(name: "many.zip", data: try Self.zip(files))
        #expect(entries.count == 4)
        #expect(entries.prefix(3).allSatisfy { (try? $0.content.get()) != nil })
        guard case .failure(let refusal) = entries[3].content else {
            Issue.record("the fourth entry should be the refusal")
            return
        }
        #expect(refusal.reason == .tooLarge)
        #expect(refusal.detail.contains("more than 3 files"))
    }

    @Test("the uncompressed total is capped")
    func totalCap() throws {
        let files = (1...3).map { ("\($0).png", Data(repeating: UInt8($0), count: 1000)) }
        let reader = BatchReader(limits: UploadLimits(maxZipBytes: 2500))
        let entries = reader.entries(name: "big.zip", data: try Self.zip(files))
        #expect(entries.count == 3)
        #expect((try? entries[1].content.get())?.count == 1000)
        guard case .failure(let refusal) = entries[2].content else {
            Issue.record("the third entry should be over the total")
            return
        }
        #expect(refusal.reason == .tooLarge)
    }

    @Test("an entry larger than a file may be is refused before inflating")
    func entrySize() throws {
        let reader = BatchReader(limits: UploadLimits(maxFileBytes: 100))
        let zipped = try Self.zip([("a.png", Data(repeating: 0, count: 500))])
        let entries = reader.entries(name: "z.zip", data: zipped)
        guard case .failure(let refusal) = entries.first?.content else {
            Issue.record("expected a refusal")
            return
        }
        #expect(refusal.reason == .tooLarge)
    }

    @Test("an entry whose header understates its size is stopped at the limit")
    func lyingHeader() throws {
        var zipped = try Self.zip([("bomb.png", Data(repeating: 0, count: 200_000))])
        // Claim 50 bytes, in the local header (offset 22) and the central directory (offset 24).
        let claimed = withUnsafeBytes(of: UInt32(50).littleEndian) { Data($0) }
        let local = try #require(zipped.range(of: Data([0x50, 0x4B, 0x03, 0x04])))
        zipped.replaceSubrange((local.lowerBound + 22)..<(local.lowerBound + 26), with: claimed)
        let central = try #require(zipped.range(of: Data([0x50, 0x4B, 0x01, 0x02])))
        zipped.replaceSubrange((central.lowerBound + 24)..<(central.lowerBound + 28), with: claimed)
        let reader = BatchReader(limits: UploadLimits(maxFileBytes: 1000))
        let entries = reader.entries(name: "liar.zip", data: zipped)
        #expect(entries.count == 1)
        guard case .failure(let refusal) = entries.first?.content else {
            Issue.record("200 KB came out of an entry limited to 1 KB")
            return
        }
        #expect([.tooLarge, .corrupt].contains(refusal.reason))
    }

    @Test("a ZIP inside a ZIP is not opened; a damaged ZIP is corrupt")
    func nestedAndDamaged() throws {
        let inner = try Self.zip([("a.png", Data("a".utf8))])
        let entries = reader.entries(name: "outer.zip", data: try Self.zip([("inner.zip", inner)]))
        guard case .failure(let refusal) = entries.first?.content else {
            Issue.record("expected a refusal")
            return
        }
        #expect(refusal.reason == .unsupportedFormat)
        let damaged = Data([0x50, 0x4B, 0x03, 0x04]) + Data(repeating: 7, count: 64)
        guard case .failure(let broken) = reader.entries(name: "d.zip", data: damaged).first?.content
        else {
            Issue.record("expected a refusal")
            return
        }
        #expect(broken.reason == .corrupt)
    }

    @Test("folders are walked in name order, skipping dot-files; large files are not read")
    func folders() throws {
        let folder = try Fixtures.temporaryDirectory()
        try Data("a".utf8).write(to: folder.appendingPathComponent("b.png"))
        try Data("b".utf8).write(to: folder.appendingPathComponent("a.png"))
        try Data("c".utf8).write(to: folder.appendingPathComponent(".hidden.png"))
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data(repeating: 1, count: 300).write(to: folder.appendingPathComponent("sub/big.png"))
        let reader = BatchReader(limits: UploadLimits(maxFileBytes: 200))
        let entries = reader.entries(paths: [folder.path, folder.appendingPathComponent("missing.png").path])
        #expect(
            entries.map { URL(fileURLWithPath: $0.name).lastPathComponent } == [
                "a.png", "b.png", "big.png", "missing.png",
            ])
        #expect(throws: BatchEntry.Refusal.self) { try entries[2].content.get() }
        #expect(throws: BatchEntry.Refusal.self) { try entries[3].content.get() }
    }
}
