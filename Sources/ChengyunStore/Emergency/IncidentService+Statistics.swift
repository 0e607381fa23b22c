import ChengyunCore
import SQLKit

extension IncidentService {
    /// The emergency statistics of the incidents in the caller's scope reported within the
    /// period, drills counted apart from real incidents.
    public func statistics(from: Int64, to: Int64, by actor: Principal) async throws -> IncidentStatistics {
        guard from < to else {
            throw DomainError.validation([
                FieldIssue(field: "from", code: "invalid_value", message: "from comes before to.")
            ])
        }
        return try await platform.pool.read { db in
            let reported = try await incidents.reported(scope: actor.listScope, from: from, to: to, on: db)
            // Large periods are read in slices, so the IN list stays well inside both backends' limits.
            var tasks: [String: [IncidentTask]] = [:]
            for start in stride(from: 0, to: reported.count, by: 500) {
                let slice = reported[start..<min(start + 500, reported.count)].map(\.id)
                tasks.merge(try await incidents.tasks(ofIncidents: slice, on: db)) { a, _ in a }
            }
            return IncidentStatistics(
                from: from, to: to,
                reviewed: reported.map {
                    ($0, IncidentReview(incident: $0, tasks: tasks[$0.id] ?? [], requests: []))
                })
        }
    }
}
