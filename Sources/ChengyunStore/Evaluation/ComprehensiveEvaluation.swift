import ChengyunCore
import SQLKit

/// One area's comprehensive evaluation: its score, its rank among the areas compared, and the
/// values of the scheme's indicators it was scored from.
public struct ComprehensiveRow: Codable, Equatable, Sendable {
    public var areaId: String
    public var areaCode: String
    public var name: String
    public var score: Double?
    public var rank: Int?
    public var values: [String: Double?]
}

public struct ComprehensiveReport: Codable, Equatable, Sendable {
    public var at: Int64
    public var scheme: EvaluationScheme
    public var rows: [ComprehensiveRow]
}

/// One period of an area's score, from the kept indicator history.
public struct ComprehensiveTrendPoint: Codable, Equatable, Sendable {
    public var periodStart: Int64
    public var score: Double?
}

/// The comprehensive evaluation (综合评价): the areas under the caller's area (districts of a city,
/// streets of a district) scored by the administrator's scheme over the indicator tree, ranked;
/// and an area's score over time from the indicator history.
public struct ComprehensiveEvaluationService: Sendable {
    let platform: Platform
    static let schemeKey = "evaluation.scheme"

    public func scheme() async throws -> EvaluationScheme {
        try await platform.pool.read {
            try await SettingsRepository().get(Self.schemeKey, as: EvaluationScheme.self, on: $0)
        } ?? .standard
    }

    public func setScheme(_ scheme: EvaluationScheme, by actor: Principal) async throws -> EvaluationScheme {
        try scheme.validate(known: Set(try await platform.indicators.tree().map(\.code)))
        return try await platform.saveSetting(
            scheme, as: Self.schemeKey, action: "evaluation.scheme", summary: "evaluation scheme changed", by: actor)
    }

    /// Scores the child areas of `areaId` (default the caller's area) at an instant, best first.
    public func evaluate(areaId: String?, at instant: Int64?, by actor: Principal) async throws -> ComprehensiveReport {
        let at = instant ?? platform.now()
        let scheme = try await scheme()
        let (parent, children) = try await platform.pool.read { db in
            let parent = try await platform.indicators.area(areaId, by: actor, on: db)
            let children = try await AreaRepository().list(
                .init(scopePath: parent.path, parentId: parent.id), page: PageRequest(limit: PageRequest.maxLimit),
                on: db
            ).items
            return (parent, children)
        }
        var rows: [ComprehensiveRow] = []
        for area in children.isEmpty ? [parent] : children {
            let report = try await platform.indicators.compute(areaId: area.id, at: at, record: false, by: actor)
            var values: [String: Double?] = [:]
            for reading in report.readings { values[reading.indicator.code] = .some(reading.value) }
            let chosen = Dictionary(
                uniqueKeysWithValues: scheme.items.map { ($0.indicatorCode, values[$0.indicatorCode] ?? nil) })
            rows.append(
                ComprehensiveRow(
                    areaId: area.id, areaCode: area.code, name: area.name,
                    score: scheme.score(chosen).map { ($0 * 10).rounded() / 10 },
                    rank: nil, values: chosen))
        }
        rows.sort { ($0.score ?? -.infinity, $1.areaCode) > ($1.score ?? -.infinity, $0.areaCode) }
        var rank = 0
        for index in rows.indices where rows[index].score != nil {
            rank += 1
            rows[index].rank = rank
        }
        return ComprehensiveReport(at: at, scheme: scheme, rows: rows)
    }

    /// An area's score per kept period of the scheme's indicators, oldest first.
    public func trend(areaId: String?, limit: Int, by actor: Principal) async throws -> [ComprehensiveTrendPoint] {
        let scheme = try await scheme()
        var byPeriod: [Int64: [String: Double?]] = [:]
        for item in scheme.items {
            for value in try await platform.indicators.history(
                code: item.indicatorCode, areaId: areaId, limit: limit, by: actor)
            {
                byPeriod[value.periodStart, default: [:]][item.indicatorCode] = value.value
            }
        }
        return byPeriod.keys.sorted().suffix(limit).map { start in
            ComprehensiveTrendPoint(
                periodStart: start, score: scheme.score(byPeriod[start] ?? [:]).map { ($0 * 10).rounded() / 10 })
        }
    }
}

extension Platform {
    public var comprehensive: ComprehensiveEvaluationService { ComprehensiveEvaluationService(platform: self) }
}

extension EvaluationScheme: StrictInput {
    public enum Fields: String, CodingKey, CaseIterable { case items }
}
