import Foundation
import GRDB
import StoreCore
import Testing

@Suite("Nanoids")
struct NanoidTests {
    /// Counts its draws and returns a fixed pattern.
    struct CountingGenerator: RandomNumberGenerator {
        var draws = 0
        mutating func next() -> UInt64 {
            draws += 1
            return 0x0123_4567_89AB_CDEF &* UInt64(draws)
        }
    }

    @Test("an id is 21 symbols of the alphabet, from three 64-bit draws")
    func shape() {
        var generator = CountingGenerator()
        let id = Nanoid.make(using: &generator)
        #expect(Nanoid.isWellFormed(id) && generator.draws == 3)
    }

    @Test("ids are distinct and every symbol occurs")
    func spread() {
        let ids = (0..<2000).map { _ in Nanoid.make() }
        #expect(Set(ids).count == ids.count)
        #expect(Set(ids.joined()).count == 64)
    }
}

@Suite("Dates in the database")
struct DatabaseTimeTests {
    @Test("the fast text of a date is GRDB's own, so both compare alike in SQL")
    func sameAsGRDB() {
        var generator = SystemRandomNumberGenerator()
        let samples =
            (0..<2000).map { _ in Date(timeIntervalSince1970: Double.random(in: 0...4_102_444_800, using: &generator)) }
            + [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400.999), Date()]
        for date in samples {
            #expect(DatabaseTime.text(date) == String.fromDatabaseValue(date.databaseValue), "\(date)")
        }
    }
}
