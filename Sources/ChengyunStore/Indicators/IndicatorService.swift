import ChengyunCore
import Foundation
import SQLKit

/// One indicator as a page shows it: its definition, the period worked out, value and colour.
public struct IndicatorReading: Codable, Equatable, Sendable {
    public var indicator: Indicator
    public var periodStart: Int64
    public var periodEnd: Int64
    public var value: Double?
    public var colour: AlarmSeverity?
}

/// The whole tree for one area at one instant.
public struct IndicatorReport: Codable, Equatable, Sendable {
    public var areaId: String
    public var at: Int64
    public var readings: [IndicatorReading]
}

/// An indicator's forecast with its back-tested error beside it.
public struct IndicatorForecast: Codable, Equatable, Sendable {
    public struct Point: Codable, Equatable, Sendable {
        public var periodStart: Int64
        public var value: Double
    }
    public var code: String
    public var areaId: String
    public var history: [IndicatorValue]
    public var points: [Point]
    public var backtest: Backtest?
    public var parameters: HoltWinters.Parameters?
}

/// City vital signs (城市体征): the tree (an administrator's, else the shipped default), its values
/// computed for an area and a period from case statistics, telemetry and imported figures, their
/// history, and forecasts.
public struct IndicatorService: Sendable {
    let platform: Platform
    let repository = IndicatorRepository()
    static let treeKey = "indicators.tree"

    struct Shipped: Codable { var indicators: [Indicator] }

    /// The tree shipped with the platform (clean, tidy, orderly, safe, people satisfied).
    public static func defaultTree() throws -> [Indicator] { try shipped.get() }

    private static let shipped = Result { try ShippedFile.read("default-indicators", as: Shipped.self).indicators }

    public func tree() async throws -> [Indicator] {
        try await platform.pool.read { try await tree(on: $0) }
    }

    func tree(on db: any SQLDatabase) async throws -> [Indicator] {
        try await SettingsRepository().get(Self.treeKey, as: [Indicator].self, on: db) ?? Self.defaultTree()
    }

    /// Replaces the whole tree once it checks out (levels, parents, formulas, thresholds, loops).
    public func setTree(_ indicators: [Indicator], by actor: Principal) async throws -> [Indicator] {
        _ = try IndicatorTree(indicators)
        return try await platform.saveSetting(
            indicators, as: Self.treeKey, action: "indicators.tree",
            summary: "indicator tree replaced (\(indicators.count) indicators)", by: actor
        ) { db in
            var validator = Validator()
            for (index, indicator) in indicators.enumerated() {
                guard let rule = indicator.caseRule else { continue }
                if (try? await platform.cases.resolveMatter(id: nil, code: rule.matterCode, on: db)) == nil {
                    validator.add(
                        FieldIssue(
                            field: "[\(index)].caseRule.matterCode", code: "unknown_matter",
                            message: "No matter \(rule.matterCode)."))
                }
            }
            try validator.finish()
        }
    }

    /// The area a request is about: the one named (within the caller's scope) or the caller's own.
    public func area(_ areaId: String?, by actor: Principal, on db: any SQLDatabase) async throws -> Area {
        guard let id = areaId ?? actor.scope?.areaId, let area = try await AreaRepository().find(id: id, on: db) else {
            throw DomainError.notFound("Area")
        }
        try actor.requireScope(area.path)
        return area
    }

    /// Works the tree out for an area at an instant (each indicator over its own period) and,
    /// when `record` is set, keeps the computed values as history.
    public func compute(areaId: String?, at instant: Int64? = nil, record: Bool, by actor: Principal) async throws
        -> IndicatorReport
    {
        let at = instant ?? platform.now()
        let work = { (db: any SQLDatabase) async throws -> IndicatorReport in
            let area = try await area(areaId, by: actor, on: db)
            let indicators = try await tree(on: db)
            let checked = try IndicatorTree(indicators)
            let offset = Int64(try await CalendarRepository().current(on: db).utcOffsetMinutes) * 60_000
            var base: [String: Double?] = [:]
            var periods: [String: (start: Int64, end: Int64)] = [:]
            for indicator in indicators {
                let period = indicator.period.bounds(containing: at, utcOffsetMillis: offset)
                periods[indicator.code] = period
                base[indicator.code] = try await baseValue(indicator, area: area, period: period, now: at, on: db)
            }
            let results = try checked.compute(base: base)
            let byCode = Dictionary(uniqueKeysWithValues: indicators.map { ($0.code, $0) })
            let readings = results.map { result in
                IndicatorReading(
                    indicator: byCode[result.code]!, periodStart: periods[result.code]!.start,
                    periodEnd: periods[result.code]!.end,
                    value: result.value, colour: result.colour)
            }
            if record {
                for reading in readings {
                    if case .imported = reading.indicator.source { continue }
                    try await repository.save(
                        IndicatorValue(
                            code: reading.indicator.code, areaId: area.id, periodStart: reading.periodStart,
                            periodEnd: reading.periodEnd, value: reading.value, colour: reading.colour,
                            source: "computed", recordedAt: platform.now()), on: db)
                }
            }
            return IndicatorReport(areaId: area.id, at: at, readings: readings)
        }
        guard record else { return try await platform.pool.read(work) }
        let report = try await platform.write(
            actor, "indicators.compute", target: "area",
            summary: { (report: IndicatorReport) in (report.areaId, "indicators computed for \(report.at)") }, work)
        // A recorded figure past a threshold warns (in-app, the live stream, the notifier).
        if instant == nil { try await platform.supervision.judge(report) }
        return report
    }

    private func baseValue(
        _ indicator: Indicator, area: Area, period: (start: Int64, end: Int64), now: Int64,
        on db: any SQLDatabase
    ) async throws -> Double? {
        switch indicator.source {
        case .formula: return nil
        case .cases(let measure, let prefix):
            return try await repository.caseMeasure(
                measure, matterPrefix: prefix, scope: area.path, from: period.start, to: period.end,
                now: now, on: db)
        case .telemetry(let kind, let metric, let aggregate):
            return try await repository.telemetryAggregate(
                kind: kind, metric: metric, aggregate: aggregate, scope: area.path,
                from: period.start, to: period.end, on: db)
        case .imported:
            return try await repository.latestImported(
                code: indicator.code, areaId: area.id, notAfter: period.start, on: db)?.value
        }
    }

    /// One figure put in for an imported indicator.
    public struct ImportedFigure: Codable, Sendable {
        public var areaId: String
        /// Any instant in the period the figure is for.
        public var at: Int64
        public var value: Double
        public init(areaId: String, at: Int64, value: Double) {
            self.areaId = areaId
            self.at = at
            self.value = value
        }
    }

    /// Puts in figures of an imported indicator (population, built-up area…), one per area and period.
    public func importValues(code: String, _ figures: [ImportedFigure], by actor: Principal) async throws
        -> [IndicatorValue]
    {
        let now = platform.now()
        return try await platform.write(
            actor, "indicators.import", target: "indicator",
            summary: { (saved: [IndicatorValue]) in (code, "\(saved.count) figures imported") }
        ) { db in
            guard let indicator = try await tree(on: db).first(where: { $0.code == code }) else {
                throw DomainError.notFound("Indicator")
            }
            guard case .imported = indicator.source else {
                throw DomainError(.conflict, code: "not_imported", "\(code) is computed, not imported.")
            }
            var validator = Validator()
            for (index, figure) in figures.enumerated() {
                validator.check(figure.value.isFinite, "items[\(index)].value", "invalid_value", "A finite number.")
            }
            try validator.finish()
            let offset = Int64(try await CalendarRepository().current(on: db).utcOffsetMinutes) * 60_000
            var saved: [IndicatorValue] = []
            for figure in figures {
                let area = try await area(figure.areaId, by: actor, on: db)
                let period = indicator.period.bounds(containing: figure.at, utcOffsetMillis: offset)
                let value = IndicatorValue(
                    code: code, areaId: area.id, periodStart: period.start, periodEnd: period.end, value: figure.value,
                    colour: indicator.colour(of: figure.value), source: "imported", recordedAt: now)
                try await repository.save(value, on: db)
                saved.append(value)
            }
            return saved
        }
    }

    /// The kept values of an indicator for an area, oldest first.
    public func history(code: String, areaId: String?, limit: Int = 400, by actor: Principal) async throws
        -> [IndicatorValue]
    {
        try await platform.pool.read { db in
            let area = try await area(areaId, by: actor, on: db)
            guard try await tree(on: db).contains(where: { $0.code == code }) else {
                throw DomainError.notFound("Indicator")
            }
            return try await repository.history(
                code: code, areaId: area.id, before: .max, limit: min(max(limit, 1), 5_000), on: db)
        }
    }

    /// The next `horizon` periods from the kept history by the method its back-test favours: every
    /// method run from up to a year of rolling origins over the history (docs/domain.md §8).
    public func forecast(code: String, areaId: String?, horizon: Int, by actor: Principal) async throws
        -> IndicatorForecast
    {
        let tree = try await tree()
        guard let indicator = tree.first(where: { $0.code == code }) else { throw DomainError.notFound("Indicator") }
        let history = try await self.history(code: code, areaId: areaId, limit: Self.forecastHistory, by: actor)
        let step = (history.last.map { $0.periodEnd - $0.periodStart }) ?? 0
        let series = Self.regular(history)
        var setup = indicator.period.forecastSetup
        setup.periods = setup.periods.filter { series.count >= HoltWinters.minimumLength(periods: [$0]) + $0 }
        var forecast = IndicatorForecast(
            code: code, areaId: history.first?.areaId ?? areaId ?? "", history: history, points: [], backtest: nil,
            parameters: nil)
        guard !setup.periods.isEmpty, let last = history.last else { return forecast }
        let horizon = min(max(horizon, 1), setup.periods.min()! * 2)
        guard let test = Backtest.run(series, setup: setup, horizon: horizon, origins: Self.backtestOrigins) else {
            return forecast
        }
        forecast.backtest = test
        if test.method == .holtWinters {
            forecast.parameters =
                HoltWinters.fit(Array(series.suffix(setup.fitWindow)), periods: setup.periods)?.parameters
        }
        forecast.points = (Backtest.forecast(series, method: test.method, setup: setup, horizon: horizon) ?? [])
            .enumerated().map { index, value in
                .init(periodStart: last.periodStart + Int64(index + 1) * step, value: value)
            }
        return forecast
    }

    /// A year of daily origins, and the history they need before them.
    static let backtestOrigins = 365
    static let forecastHistory = 12_000

    /// The history as a regular series (one slot per period, nil where a period has no value).
    static func regular(_ history: [IndicatorValue]) -> [Double?] {
        guard let first = history.first, let last = history.last, first.periodEnd > first.periodStart else { return [] }
        let step = first.periodEnd - first.periodStart
        guard step < 28 * 86_400_000 else { return history.map(\.value) } // months differ in length: take them in order
        var slots = [Double?](repeating: nil, count: Int((last.periodStart - first.periodStart) / step) + 1)
        for value in history { slots[Int((value.periodStart - first.periodStart) / step)] = value.value }
        return slots
    }
}

/// PUT /indicators: the whole tree.
public struct IndicatorTreeInput: StrictInput {
    public var indicators: [Indicator]
    public enum CodingKeys: String, CodingKey, CaseIterable { case indicators }
    public typealias Fields = CodingKeys
}

/// POST /indicators/{code}/values: figures for an imported indicator.
public struct ImportedFiguresInput: StrictInput {
    public var items: [IndicatorService.ImportedFigure]
    public enum CodingKeys: String, CodingKey, CaseIterable { case items }
    public typealias Fields = CodingKeys
}
