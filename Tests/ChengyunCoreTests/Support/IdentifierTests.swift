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

    @Test func splitMixIsDeterministic() {
        var a = SplitMix64(seed: 1), b = SplitMix64(seed: 1)
        #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
    }
}
