import ChengyunCore
import Foundation
import SQLKit

/// Indicator warnings: each recorded computation raises, moves or settles one warning per
/// indicator and area, and a warning whose indicator has a case rule opens a case.
extension SupervisionService {
    /// Raises, moves or settles each indicator's warning for the area of a recorded computation:
    /// one open warning per indicator and area, at the indicator's colour.
    public func judge(_ report: IndicatorReport) async throws {
        let now = platform.now()
        var events: [MonitoringEvent] = []
        let published = try await platform.pool.transaction { db -> [SequencedEvent] in
            guard let area = try await AreaRepository().find(id: report.areaId, on: db) else { return [] }
            for reading in report.readings {
                let key = "indicator:\(area.id):\(reading.indicator.code)"
                let existing = try await repository.openWarning(key: key, on: db)
                let detail = wording.indicatorDetail.render(
                    [
                        "area": area.name, "value": reading.value.map { String(format: "%.2f", $0) } ?? "—",
                        "unit": reading.indicator.unit,
                    ], blank: "")
                switch (reading.colour, existing) {
                case (nil, nil):
                    continue
                case (nil, var open?):
                    open.resolvedAt = now
                    open.updatedAt = now
                    open.detail = detail
                    try await repository.update(open, on: db)
                    events.append(.warning(open))
                case (let colour?, var open?):
                    guard open.level != colour || open.detail != detail else { continue }
                    let worse = open.level < colour
                    open.level = colour
                    open.detail = detail
                    open.updatedAt = now
                    try await repository.update(open, on: db)
                    if worse { events.append(.warning(open)) }
                case (let colour?, nil):
                    let warning = Warning(
                        id: Identifier.make(), key: key, kind: .indicator, level: colour, targetType: "indicator",
                        targetId: reading.indicator.code, areaPath: area.path, departmentId: nil,
                        title: reading.indicator.name, detail: detail, raisedAt: now, updatedAt: now)
                    try await repository.insert(warning, on: db)
                    events.append(.warning(warning))
                }
            }
            return try await EventOutbox().append(events, at: now, on: db)
        }
        platform.monitoring.events.committed(published)
        var raised: [Warning] = []
        let subscriptions = (try? await platform.pool.read { try await allSubscriptions(on: $0) }) ?? []
        for case .warning(let warning) in events where warning.resolvedAt == nil {
            raised.append(warning)
            await notifier.notify(
                recipients: [warning.areaPath] + Self.subscribers(of: warning, among: subscriptions),
                subject: wording.indicatorSubject.render(["title": warning.title]), text: warning.detail)
        }
        let rules = Dictionary(
            report.readings.compactMap { r in r.indicator.caseRule.map { (r.indicator.code, $0) } },
            uniquingKeysWith: { a, _ in a })
        if !rules.isEmpty { await indicatorCases.open(for: raised, rules: rules) }
    }

    /// Notes on a warning the case it opened, or why none could be.
    func attach(warningId: String, outcome: Result<String, any Error>) async throws {
        let now = platform.now()
        let published: [SequencedEvent] = try await platform.pool.transaction { db in
            guard var warning = try await repository.warning(id: warningId, on: db) else { return [] }
            switch outcome {
            case .success(let caseId): warning.caseId = caseId
            case .failure(let error as DomainError):
                warning.detail += wording.noCase.render(["reason": "\(error.code) \(error.message)"])
            case .failure(let error):
                warning.detail += wording.noCase.render(["reason": String(loggedError(error).prefix(300))])
            }
            warning.updatedAt = now
            try await repository.update(warning, on: db)
            return try await EventOutbox().append([.warning(warning)], at: now, on: db)
        }
        platform.monitoring.events.committed(published)
    }

}
