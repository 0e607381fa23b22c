import ChengyunCore
import Foundation
import Testing

/// A record feed by hand: positions order by version then ordinal, a new follower starts after
/// every change of the version loaded, ids are stable per subscription and change, a change's
/// body carries its record, and a POST's answer moves the cursor as a delivery's state moves.
@Suite struct RecordFeedTests {
    typealias Position = RecordFeed.Position

    @Test func positionsOrderByVersionThenOrdinal() {
        let sorted = [
            Position(version: 2, ordinal: 1), Position(version: 1, ordinal: 9), Position(version: 1, ordinal: 2),
        ]
        .sorted()
        #expect(
            sorted == [.init(version: 1, ordinal: 2), .init(version: 1, ordinal: 9), .init(version: 2, ordinal: 1)])
        let start = Position.after(version: 4)
        #expect(start > Position(version: 4, ordinal: 1_000_000) && start < Position(version: 5, ordinal: 1))
        #expect(Position.after(version: 0) < Position(version: 1, ordinal: 1))
    }

    @Test func anIdBeginsWithTheChangeAndNamesTheSubscription() {
        let made = Identifier.make(at: 1_796_486_370_000)
        let change = RecordFeed.Change(id: made, position: .init(version: 12, ordinal: 3), key: "LJ001", at: 1)
        #expect(RecordFeed.deliveryId(subscriptionId: "S1", change) == made + ".S1")
        #expect(
            RecordFeed.deliveryId(subscriptionId: "S2", change) != RecordFeed.deliveryId(subscriptionId: "S1", change))
        // Pruned with the deliveries made at its time: its id sorts within that millisecond's bounds.
        #expect(RecordFeed.deliveryId(subscriptionId: "S1", change) >= Identifier.floor(at: 1_796_486_370_000))
        #expect(RecordFeed.deliveryId(subscriptionId: "S1", change) < Identifier.floor(at: 1_796_486_370_001))
    }

    @Test func aChangeCarriesItsRecordOrNull() throws {
        let change = RecordFeed.Change(
            id: "C1", position: .init(version: 7, ordinal: 2), key: "LJ\"01", at: 1_796_486_370_000)
        let body = RecordFeed.body(dataset: "bins", change: change, record: #"{"bins":3}"#)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(parsed["topic"] as? String == "records" && parsed["dataset"] as? String == "bins")
        #expect(
            parsed["version"] as? Int == 7 && parsed["ordinal"] as? Int == 2 && parsed["key"] as? String == "LJ\"01")
        #expect((parsed["record"] as? [String: Any])?["bins"] as? Int == 3)
        #expect((parsed["at"] as? NSNumber)?.int64Value == 1_796_486_370_000)
        let gone = RecordFeed.body(dataset: "bins", change: change, record: nil)
        #expect(try JSONSerialization.jsonObject(with: Data(gone.utf8)) as? [String: Any] != nil)
        #expect(gone.contains(#""record":null"#))
    }

    @Test func anAnswerMovesTheCursorAsItMovesADelivery() {
        let last = Position(version: 3, ordinal: 40)
        #expect(RecordFeed.outcome(status: 204, attempts: 5, last: last, at: 100) == .advanced(to: last))
        #expect(RecordFeed.outcome(status: 503, attempts: 1, last: last, at: 100) == .retry(at: 1_100))
        #expect(RecordFeed.outcome(status: nil, attempts: 3, last: last, at: 100) == .retry(at: 4_100))
        #expect(
            RecordFeed.outcome(status: 500, attempts: WebhookPolicy.maxAttempts, last: last, at: 100)
                == .deadLettered(to: last))
    }

    /// For every answer and attempt: the cursor advances exactly when a delivery would be
    /// delivered, dead-letters exactly when it would be dead, and otherwise waits as it would.
    @Test func theOutcomeFollowsTheDeliveryPolicyForEveryAnswer() {
        let last = Position(version: 1, ordinal: 1)
        for status in [nil, 100, 200, 204, 299, 300, 302, 400, 404, 410, 429, 500, 503] as [Int?] {
            for attempts in 1...(WebhookPolicy.maxAttempts + 2) {
                let policy = WebhookPolicy.after(status: status, attempts: attempts, at: 50)
                let outcome = RecordFeed.outcome(status: status, attempts: attempts, last: last, at: 50)
                switch policy.0 {
                case .delivered: #expect(outcome == .advanced(to: last))
                case .dead: #expect(outcome == .deadLettered(to: last))
                default: #expect(outcome == .retry(at: policy.nextAttemptAt))
                }
            }
        }
    }

    /// A position's token reads back as the position for any place (the start after a version,
    /// whose ordinal is the largest, included); anything else is no position.
    @Test func aTokenReadsBackAsItsPosition() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<1_000 {
            let position = Position(
                version: Int64.random(in: 0...Int64.max, using: &rng),
                ordinal: Int64.random(in: 0...Int64.max, using: &rng))
            #expect(Position(token: position.token) == position)
        }
        #expect(Position(token: Position.after(version: 7).token) == .after(version: 7))
        for bad in ["", "1", "1.", ".2", "1.2.3", "-1.2", "1.-2", "a.b", "1.2 ", "99999999999999999999.1"] {
            #expect(Position(token: bad) == nil, "\(bad)")
        }
    }

    /// A cursor before the horizon (the furthest change pruned) may have missed changes; at it or
    /// after it, or with nothing pruned, it has missed none.
    @Test func aCursorBeforeTheHorizonHasMissedChanges() {
        let horizon = Position(version: 4, ordinal: 10)
        #expect(RecordFeed.missed(after: .init(version: 4, ordinal: 9), horizon: horizon))
        #expect(RecordFeed.missed(after: .after(version: 3), horizon: horizon))
        #expect(!RecordFeed.missed(after: horizon, horizon: horizon))
        #expect(!RecordFeed.missed(after: .init(version: 5, ordinal: 0), horizon: horizon))
        #expect(!RecordFeed.missed(after: .init(version: 0, ordinal: 0), horizon: nil))
    }
}
