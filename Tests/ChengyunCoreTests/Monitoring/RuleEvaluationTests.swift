import ChengyunCore
import Foundation
import Testing

/// Each condition type judged on hand-made readings, and laws that hold for any sequence.
@Suite struct RuleEvaluationTests {
    static let minute: Int64 = 60_000

    private func run(
        _ condition: RuleCondition, severity: AlarmSeverity = .yellow,
        _ readings: [(minute: Int64, values: [String: Double], position: GeoPoint?)]
    ) -> [AlarmEdge] {
        var engine = RuleEngine()
        let rule = AlarmRule(id: "r", name: "r", kindCode: "k", condition: condition, severity: severity)
        return readings.flatMap { reading in
            engine.observe(
                deviceId: "d",
                Observation(
                    at: reading.minute * Self.minute,
                    values: reading.values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                    position: reading.position), rules: [rule]
            ).map(\.edge)
        }
    }

    private func values(_ metric: String, _ series: [(Int64, Double)]) -> [(
        minute: Int64, values: [String: Double], position: GeoPoint?
    )] {
        series.map { ($0.0, [metric: $0.1], nil) }
    }

    @Test func thresholdBelowWithDurationAndHysteresis() {
        // Pressure below 0.2 (yellow) / 0.14 (orange) for two minutes, released 0.01 above.
        let low = RuleCondition.threshold(
            .init(
                metric: "p", direction: .below, levels: [.init(0.2, .yellow), .init(0.14, .orange)],
                hysteresis: 0.01, forSeconds: 120))
        let edges = run(
            low,
            values(
                "p", [(0, 0.3), (1, 0.19), (2, 0.18), (3, 0.13), (4, 0.205), (5, 0.215), (6, 0.1), (7, 0.1), (8, 0.1)]))
        // 0.19 at 1 starts the wait; at 3 (two minutes on) it holds at the level reached then (orange);
        // 0.205 is inside the release band; 0.215 releases; 0.1 from 6 holds at 8.
        #expect(edges == [.raise(.orange), .change(.yellow), .clear, .raise(.orange)])
    }

    @Test func rateStuckAndNoData() {
        let burst = RuleCondition.rate(.init(metric: "p", maxChangePerMinute: 0.05))
        #expect(
            run(burst, severity: .red, values("p", [(0, 0.4), (1, 0.38), (3, 0.2), (4, 0.2)])) == [
                .raise(.red), .clear,
            ])

        let stuck = RuleCondition.stuck(metric: "v", minutes: 30)
        #expect(
            run(stuck, values("v", [(0, 5), (10, 5), (29, 5), (30, 5), (40, 5), (41, 6), (71, 6)])) == [
                .raise(.yellow), .clear, .raise(.yellow),
            ])

        var engine = RuleEngine()
        let offline = AlarmRule(id: "o", name: "o", kindCode: "k", condition: .noData(minutes: 180), severity: .orange)
        _ = engine.observe(deviceId: "d", Observation(at: 0, values: [("v", 1)]), rules: [offline])
        // Exactly three hours: not yet.
        #expect(engine.silence(deviceId: "d", now: 180 * Self.minute, rules: [offline]).isEmpty)
        #expect(
            engine.silence(deviceId: "d", now: 181 * Self.minute, rules: [offline]).map(\.edge) == [.raise(.orange)])
        // Still silent, already raised.
        #expect(engine.silence(deviceId: "d", now: 240 * Self.minute, rules: [offline]).isEmpty)
        #expect(
            engine.observe(deviceId: "d", Observation(at: 241 * Self.minute, values: [("v", 1)]), rules: [offline]).map(
                \.edge) == [.clear])
        // A gap the clock never looked at (readings sent late): recorded when it passed three hours.
        let late = engine.observe(
            deviceId: "d", Observation(at: 600 * Self.minute, values: [("v", 1)]), rules: [offline])
        #expect(
            late.map(\.edge) == [.raise(.orange), .clear] && late.map(\.at) == [421 * Self.minute, 600 * Self.minute])
    }

    @Test func geofenceAndComposite() throws {
        let site = try GeoPolygon(rings: [
            [
                GeoPoint(lon: 120, lat: 31), GeoPoint(lon: 120.01, lat: 31), GeoPoint(lon: 120.01, lat: 31.01),
                GeoPoint(lon: 120, lat: 31.01),
            ]
        ])
        let inside = GeoPoint(lon: 120.005, lat: 31.005), outside = GeoPoint(lon: 120.05, lat: 31.05)
        // Stopped outside the disposal site for five minutes.
        let dumping = RuleCondition.geofence(.init(zones: [site], alarmWhen: .outside, stoppedOnly: true, minutes: 5))
        let track: [(minute: Int64, values: [String: Double], position: GeoPoint?)] = [
            (0, ["speed": 40], outside), (1, ["speed": 0], outside), (4, ["speed": 0], outside),
            (6, ["speed": 0], outside),
            (7, ["speed": 30], outside), (8, ["speed": 0], inside), (20, ["speed": 0], inside),
        ]
        #expect(run(dumping, severity: .orange, track) == [.raise(.orange), .clear])

        // Uncovered while moving: both parts must hold.
        let uncovered = RuleCondition.all([
            .threshold(.init(metric: "covered", direction: .below, levels: [.init(0.5, .blue)])),
            .threshold(.init(metric: "speed", levels: [.init(5, .blue)])),
        ])
        let drive: [(minute: Int64, values: [String: Double], position: GeoPoint?)] = [
            (0, ["covered": 0, "speed": 0], nil), (1, ["speed": 20], nil), (2, ["covered": 1], nil),
            (3, ["covered": 0], nil), (4, ["speed": 2], nil),
        ]
        #expect(run(uncovered, severity: .orange, drive) == [.raise(.orange), .clear, .raise(.orange), .clear])
        let either = RuleCondition.any([
            .threshold(.init(metric: "a", levels: [.init(1, .blue)])),
            .threshold(.init(metric: "b", levels: [.init(1, .blue)])),
        ])
        #expect(
            run(either, [(0, ["a": 2], nil), (1, ["b": 2], nil), (2, ["a": 0], nil), (3, ["b": 0], nil)]) == [
                .raise(.yellow), .clear,
            ])
    }

    @Test func lateAndRepeatedReadingsAreNotJudged() {
        let high = RuleCondition.threshold(.init(metric: "v", levels: [.init(10, .red)]))
        // The reading at minute 1 arrives after minute 2's and is kept out of judgement.
        #expect(run(high, values("v", [(0, 1), (2, 1), (1, 50), (2, 50), (3, 20)])) == [.raise(.red)])
    }

    /// For any sequence of readings, a threshold rule's edges alternate raise / clear (with
    /// regrades only while raised), and it holds at the end exactly when the last value is
    /// beyond a level or within the hysteresis band of the level held.
    @Test func thresholdEdgesAlternateForAnySequence() {
        var random = SplitMix64(seed: 2026)
        let levels: [RuleCondition.Level] = [
            .init(75, .blue), .init(115, .yellow), .init(150, .orange), .init(250, .red),
        ]
        let condition = RuleCondition.threshold(.init(metric: "pm25", levels: levels, hysteresis: 5))
        for _ in 0..<200 {
            let series = (0..<Int64(50)).map { ($0, Double(Int.random(in: 0...300, using: &random))) }
            let edges = run(condition, values("pm25", series))
            var open = false
            for edge in edges {
                switch edge {
                case .raise: #expect(!open); open = true
                case .change: #expect(open)
                case .clear: #expect(open); open = false
                }
            }
            // Reference: the same semantics written out plainly.
            var level: Int? = nil
            for (_, v) in series {
                let reached = levels.lastIndex { v >= $0.value }
                if let current = level {
                    let kept = levels[...current].lastIndex { v > $0.value - 5 }
                    let next = max(reached ?? -1, kept ?? -1)
                    level = next < 0 ? nil : next
                } else {
                    level = reached
                }
            }
            #expect(open == (level != nil))
        }
    }

    @Test func conditionsRoundTripAsJSONAndRefuseUnknownFields() throws {
        let condition = RuleCondition.any([
            .noData(minutes: 30), .stuck(metric: "v", minutes: 60),
            .rate(.init(metric: "v", maxChangePerMinute: 2)),
        ])
        let data = try JSONEncoder().encode(condition)
        #expect(try JSONDecoder().decode(RuleCondition.self, from: data) == condition)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RuleCondition.self, from: Data(#"{"type":"noData","minutes":30,"minute":5}"#.utf8))
        }
    }
}
