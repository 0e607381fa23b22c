import ChengyunCore
import SQLKit

/// The intake checks around a report: the open cases it may repeat, scored (智能合并线索), and the
/// signs that it may be invalid (无效事件监测). The decisions are `DuplicateScore` and
/// `IntakeScreening`; this loads their facts.
extension CaseService {
    /// Open cases of the same or a related matter near `record` within the rule's window, scored
    /// against it, best first (none when the rule is off). `record` itself is left out. Only
    /// free-text fields (a plate number) tell two objects apart: a list choice or a count is one
    /// reporter's estimate and may differ for the same thing.
    func scoredDuplicates(of record: Case, on db: any SQLDatabase) async throws -> [(match: DuplicateMatch, case: Case)]
    {
        let rule = platform.settings.duplicates
        guard rule.mode != .off else { return [] }
        var nearby: [DuplicateCandidate] = []
        for code in rule.relations.related(to: record.matterCode) {
            guard let matter = MatterCode(code) else { continue }
            nearby += try await cases.nearbyOpen(
                kind: matter.kind, majorCode: matter.majorCode, minorCode: matter.minorCode,
                keys: rule.searchKeys(around: record.position), reportedAfter: record.reportedAt - rule.windowMillis,
                on: db)
        }
        let close = nearby.filter {
            $0.id != record.id && $0.state != .merged
                && $0.position.distance(to: record.position) <= rule.distanceMetres
                && abs($0.reportedAt - record.reportedAt) <= rule.windowMillis
        }
        let found = try await cases.find(ids: close.map(\.id), on: db)
        let byId = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var keys: [String: Set<String>] = [:]
        for matterId in Set(found.map(\.matterId) + [record.matterId]) {
            keys[matterId] = Set(
                try await matters.find(id: matterId, on: db)?.customFields.filter { $0.datatype == .string }.map(\.key)
                    ?? [])
        }
        func probe(_ c: Case) -> DuplicateProbe {
            var probe = c.duplicateProbe
            probe.customFields = probe.customFields.filter { keys[c.matterId]?.contains($0.key) ?? false }
            return probe
        }
        let matches = DuplicateScore.matches(probe(record), among: found.map { ($0.id, probe($0)) }, rule: rule)
        return matches.compactMap { match in byId[match.caseId].map { (match, $0) } }
    }

    /// The invalid-report flags of a new report from a person (machines' reports are not screened).
    func screen(_ record: Case, on db: any SQLDatabase) async throws -> [IntakeFlag] {
        guard [CaseSource.citizen, .hotline, .intake].contains(record.source) else { return [] }
        let now = record.reportedAt
        let intake = IntakeRepository()
        // A citizen with an account is known by it; everyone else by the contact they left.
        let account = record.reporterKind == Principal.Kind.citizen.rawValue ? record.reporterId : nil
        let prior = try await intake.priorReports(
            reporterId: account, contact: record.reporterContact,
            since: now - IntakeScreening.rejectionWindowMillis, on: db)
        return IntakeScreening.flags(
            description: record.description, priorReports: prior,
            departmentFound: try await hasDepartment(record, at: now, on: db), at: now)
    }

    /// Whether a routing rule covers the case's matter in its area, or a case of the matter was
    /// closed in the area above it in the last year.
    func hasDepartment(_ record: Case, at now: Int64, on db: any SQLDatabase) async throws -> Bool {
        if try await platform.matters.route(matterId: record.matterId, areaPath: record.areaPath, on: db) != nil {
            return true
        }
        return try await IntakeRepository().closedBefore(
            matterId: record.matterId, under: Self.parentPath(of: record.areaPath), since: now - 365 * 86_400_000,
            on: db)
    }

    /// After the intake operator moved a report to another matter, `no_department` is asked again.
    func recheckDepartment(of record: Case, on db: any SQLDatabase) async throws {
        let now = platform.now()
        let missing = !(try await hasDepartment(record, at: now, on: db))
        try await IntakeRepository().set(.noDepartment, present: missing, caseId: record.id, at: now, on: db)
    }

    /// The area above `path` ("/a/b/c/" → "/a/b/"); the path itself at the top.
    static func parentPath(of path: String) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if parts.count > 1 { parts.removeLast() }
        return "/" + parts.joined(separator: "/") + (parts.isEmpty ? "" : "/")
    }
}
