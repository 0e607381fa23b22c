import ChengyunCore
import Foundation
import Testing

/// The duplicate decision on the few columns read for every candidate near a new report.
@Suite struct DuplicateRuleTests {
    private let now: Int64 = 1_800_000_000_000
    private let day: Int64 = 86_400_000
    private let here = GeoPoint(lon: 120.6, lat: 31.3)

    /// A candidate `metres` north of `here`, reported `daysAgo` before now.
    private func candidate(
        _ id: String, metres: Double, daysAgo: Int64 = 1, state: CaseState = .handling,
        minor: String = "02"
    ) -> DuplicateCandidate {
        DuplicateCandidate(
            id: id, kind: .event, majorCode: "01", minorCode: minor, state: state,
            position: GeoPoint(lon: here.lon, lat: here.lat + metres / 111_195), reportedAt: now - daysAgo * day)
    }

    @Test func onlyOpenCasesOfTheSameMinorCategoryNearbyAndRecentCountNearestFirst() {
        let rule = DuplicateRule() // 50 m, 7 days
        let candidates = [
            candidate("far", metres: 60), candidate("near", metres: 10), candidate("nearer", metres: 3),
            candidate("old", metres: 5, daysAgo: 8), candidate("closed", metres: 5, state: .closed),
            candidate("merged", metres: 5, state: .merged), candidate("other minor", metres: 5, minor: "03"),
            candidate("edge", metres: 49.9),
        ]
        let found = rule.duplicates(among: candidates, of: .event, major: "01", minor: "02", at: here, reportedAt: now)
        #expect(found.map(\.id) == ["nearer", "near", "edge"])
    }

    @Test func anErrorCodeIsAPlainStringOnTheWire() {
        let code = ErrorCode.concurrentUpdate
        #expect(code.rawValue == "concurrent_update" && code == "concurrent_update")
        let encoded = String(
            decoding: try! JSONEncoder().encode(FieldIssue(field: "f", code: .unknownDevice, message: "m")),
            as: UTF8.self)
        #expect(encoded.contains(#""code":"unknown_device""#), "a code is a plain string in JSON: \(encoded)")
    }
}
