import ChengyunCore
import Foundation
import SQLKit

/// Intake (上报) from every channel: the matter, the grid cell, the number and the open cases
/// it may repeat are looked up here; what the report becomes is `CaseIntake`'s decision.
extension CaseService {
    public func report(_ input: NewReport, by actor: Principal) async throws -> ReportOutcome {
        try await platform.write(
            actor, "case.report", target: "case",
            summary: { ($0.case.id, "\($0.case.number) \($0.case.matterCode) via \($0.case.source.rawValue)") }
        ) { db in
            try await report(input, by: actor, on: db)
        }
    }

    func report(_ input: NewReport, by actor: Principal, on db: any SQLDatabase) async throws -> ReportOutcome {
        let now = platform.now()
        // A citizen who named a plain-language category gets the matter the model proposes.
        var proposal: (matter: Matter, detail: [String: String])?
        if input.matterId == nil, input.matterCode == nil, let category = input.category {
            proposal = try await platform.dispatch.propose(
                category, text: input.description, fields: input.customFields, on: db)
        }
        let matter: Matter
        if let proposed = proposal?.matter {
            matter = proposed
        } else {
            matter = try await resolveMatter(id: input.matterId, code: input.matterCode, on: db)
        }
        let source = try CaseIntake.source(of: input, by: actor)
        let issues = CaseIntake.issues(of: input, matter: matter, source: source, by: actor)
        if !issues.isEmpty { throw DomainError.validation(issues) }
        let point = GeoPoint(lon: input.lon, lat: input.lat)
        guard let cell = try await GridCellRepository().locate(point, on: db) else {
            throw DomainError.validation([
                FieldIssue(field: "lon", code: "outside_grid", message: "No grid cell of the city holds this position.")
            ])
        }
        if actor.kind != .citizen { try actor.requireScope(cell.areaPath) }
        let calendar = try await CalendarRepository().current(on: db)
        let record = CaseIntake.newCase(
            input, id: Identifier.make(at: now), number: try await nextNumber(for: matter, at: now, on: calendar, db),
            matter: matter, cell: cell, source: source, by: actor, at: now, on: calendar)
        let duplicates = try await scoredDuplicates(of: record, on: db)
        let target = platform.settings.duplicates.mergeTarget(duplicates.map(\.match))
        let original = target.flatMap { target in duplicates.first { $0.case.id == target.caseId }?.case }
        let flags = original == nil ? try await screen(record, on: db) : []
        var filing = CaseIntake.file(
            record, mergingInto: original, attachments: input.attachments ?? [], by: actor, at: now)
        if var detail = proposal?.detail {
            detail["matter"] = matter.code
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            filing.event.detail = String(decoding: try encoder.encode(detail), as: UTF8.self)
        }
        try await cases.insert(filing.record, on: db)
        try await recordStep(filing.event, of: filing.record, on: db)
        try await platform.files.link(
            input.attachments ?? [], to: filing.record.id, phase: .before, eventSeq: 1, by: actor, on: db)
        if let absorbed = filing.absorbed, let original {
            try await save(absorbed, replacing: original, on: db)
            return ReportOutcome(
                case: filing.record, mergedInto: absorbed.original, possibleDuplicates: [], duplicateMatches: [],
                intakeFlags: [])
        }
        try await cases.add(filing.reporter, on: db)
        try await IntakeRepository().insert(flags, caseId: filing.record.id, at: now, on: db)
        // Staff see whole cases: only those of their own scope (the public get numbers only).
        let shown = duplicates.filter { actor.kind != .staff || actor.canSee(path: $0.case.areaPath) }
        return ReportOutcome(
            case: filing.record, mergedInto: nil, possibleDuplicates: shown.map(\.case),
            duplicateMatches: shown.map(\.match), intakeFlags: flags)
    }

    /// The case number of the day for a matter: the format's prefix and the next of its sequence.
    private func nextNumber(for matter: Matter, at now: Int64, on calendar: WorkCalendar, _ db: any SQLDatabase)
        async throws -> String
    {
        let date = LocalDate(dayNumber: calendar.localDayNumber(now))
        let format = platform.settings.caseNumbers
        let prefix = format.format(
            kind: matter.kind, major: matter.majorCode, minor: matter.minorCode, date: date, sequence: 0)
        return format.format(
            kind: matter.kind, major: matter.majorCode, minor: matter.minorCode, date: date,
            sequence: try await cases.nextSequence(prefix: prefix, on: db))
    }
}
