import ChengyunCore
import Testing

@Suite struct IdentifierTests {
    @Test func identifiersAreWellFormed() {
        let id = Identifier.make()
        #expect(id.count == 26)
        #expect(Identifier.isWellFormed(id))
        #expect(!Identifier.isWellFormed("not-an-id"))
    }

    /// Property: ids made at later milliseconds sort after earlier ones, whatever their random part.
    @Test func identifiersSortByTime() {
        var rng = SplitMix64(seed: 7)
        var millis: Int64 = 1_700_000_000_000
        var previous = Identifier.make(at: millis, using: &rng)
        for _ in 0..<5000 {
            millis += Int64(rng.next() % 10_000) + 1
            let next = Identifier.make(at: millis, using: &rng)
            #expect(previous < next)
            previous = next
        }
    }

    @Test func aSequenceSortsInTheOrderItWasMade() {
        let next = Identifier.sequence(at: 1_780_000_000_000)
        let ids = (0..<2_000).map { _ in next() }
        #expect(ids == ids.sorted() && Set(ids).count == ids.count)
        #expect(ids.allSatisfy(Identifier.isWellFormed))
        #expect(ids[0].prefix(10) == Identifier.make(at: 1_780_000_000_000).prefix(10))
        #expect(ids[33].suffix(4) == "0011", "33 is 1·32 + 1")
    }

    @Test func splitMixIsDeterministic() {
        var a = SplitMix64(seed: 1), b = SplitMix64(seed: 1)
        #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
    }
}

@Suite struct CSVReaderTests {
    @Test func quotedFieldsCommasAndLineBreaks() {
        let text = "\u{FEFF}a,b,c\r\n1,\"two, three\",\"say \"\"hi\"\"\"\n\"multi\nline\",,x\n"
        let records = Array(CSVReader(text))
        #expect(
            records.map(\.fields) == [["a", "b", "c"], ["1", "two, three", "say \"hi\""], ["multi\nline", "", "x"]])
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(Array(CSVReader("x,y")).map(\.fields) == [["x", "y"]], "no final line break")
        #expect(Array(CSVReader("")).isEmpty)
    }

    @Test func isoTimesCarryTheOffset() {
        #expect(EpochMillis.iso8601(0) == "1970-01-01T08:00:00+08:00")
        #expect(EpochMillis.iso8601(1_795_500_000_000) == "2026-11-24T14:00:00+08:00")
        #expect(EpochMillis.iso8601(0, utcOffsetMinutes: -300) == "1969-12-31T19:00:00-05:00")
    }
}
