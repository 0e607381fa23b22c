import ChengyunStore
import Testing

/// Failed logins under unknown names: one audit summary a minute, with the tally of the rest.
@Suite struct UnknownLoginTallyTests {
    @Test func theFirstOfAMinuteIsWrittenWithTheCountOfTheMinuteBefore() {
        let tally = UnknownLoginTally(windowMillis: 60_000)
        #expect(tally.summary(name: "root", at: 0) == "unknown username root")
        #expect(tally.summary(name: "admin1", at: 10_000) == nil)
        #expect(tally.summary(name: "admin2", at: 59_999) == nil)
        #expect(tally.summary(name: "admin1", at: 30_000) == nil)
        #expect(
            tally.summary(name: "guest", at: 60_000)
                == "unknown username guest; 3 more in the minute before (admin1, admin2)")
        #expect(tally.summary(name: "guest", at: 200_000) == "unknown username guest")
    }
}
