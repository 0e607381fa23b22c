import ChengyunCore
import Foundation
import SQLKit

/// The sweep: every supervised subject (each open case's running stage, each open patrol task,
/// each task under way in an active incident)
/// warns near and past its limit and earns an automatic order once overdue past the policy's
/// allowance; unanswered orders warn in turn; whatever is back within its limits is settled.
/// The decisions are `Supervision`'s in Core; this loads the facts and saves the outcome.
extension SupervisionService {
    /// What a sweep changed.
    public struct SweepReport: Equatable, Sendable {
        public var raised = 0
        public var escalated = 0
        public var resolved = 0
        public var ordersIssued = 0
        public init(raised: Int = 0, escalated: Int = 0, resolved: Int = 0, ordersIssued: Int = 0) {
            self.raised = raised
            self.escalated = escalated
            self.resolved = resolved
            self.ordersIssued = ordersIssued
        }
    }

    /// What one sweep has done so far: counts, live events, reminders to send once committed, and
    /// the keys still warning (any other open warning of the swept kinds is settled).
    struct SweepLedger {
        var report = SweepReport()
        var events: [MonitoringEvent] = []
        var reminders: [(recipients: [String], subject: String, text: String)] = []
        var current = Set<String>()
        /// Everyone's warning subscriptions, read once at the start of the sweep.
        var subscriptions: [WarningSubscription] = []
        /// The paths of the areas in wartime, where subscriptions hear every level.
        var wartime: [String] = []
    }

    /// The kinds of warning the sweep owns (indicator warnings are judged per computation).
    static let sweptKinds: [Warning.Kind] = [.caseStage, .patrolTask, .incidentTask, .supervisionOverdue]

    /// Judges every supervised subject and every unanswered order at `now`.
    public func sweep(at now: Int64? = nil) async throws -> SweepReport {
        let now = now ?? platform.now()
        var ledger = SweepLedger()
        let published = try await platform.pool.transaction { db -> [SequencedEvent] in
            let context = try await context(on: db)
            ledger.subscriptions = try await allSubscriptions(on: db)
            ledger.wartime = try await ModeService.wartimePaths(on: db)
            for subject in try await supervised(on: db) {
                guard let warning = Supervision.warning(for: subject, at: now, in: context, id: Identifier.make())
                else { continue }
                try await raise(warning, recipients: subject.recipients, ledger: &ledger, on: db)
                guard Supervision.isPastAllowance(subject, at: now, in: context),
                    try await !repository.hasUnansweredOrder(on: subject.subject, on: db)
                else { continue }
                let order = try await issueOrder(
                    on: subject, note: nil, issuer: .rules(wording), at: now, in: context, on: db)
                ledger.report.ordersIssued += 1
                ledger.events.append(.supervision(order))
                ledger.reminders.append(
                    (subject.recipients, wording.orderSubject.render(["orderNumber": order.number]), order.letter))
            }
            for order in try await repository.orders(scope: "/", unansweredOnly: true, limit: 100_000, on: db) {
                guard let warning = Supervision.warning(for: order, at: now, in: context, id: Identifier.make())
                else { continue }
                let recipients = order.departmentIds + [order.assigneeId].compactMap { $0 }
                try await raise(warning, recipients: recipients, ledger: &ledger, on: db)
            }
            for kind in Self.sweptKinds {
                for var warning in try await repository.openWarnings(kind: kind, on: db)
                where !ledger.current.contains(warning.key) {
                    warning.resolvedAt = now
                    warning.updatedAt = now
                    try await repository.update(warning, on: db)
                    ledger.report.resolved += 1
                    ledger.events.append(.warning(warning))
                }
            }
            return try await EventOutbox().append(ledger.events, at: now, on: db)
        }
        platform.monitoring.events.committed(published)
        for reminder in ledger.reminders {
            await notifier.notify(recipients: reminder.recipients, subject: reminder.subject, text: reminder.text)
        }
        return ledger.report
    }

    /// Everything the sweep watches: open cases with a running stage clock, open patrol tasks, and
    /// the tasks under way in active incidents.
    func supervised(on db: any SQLDatabase) async throws -> [any Supervisable] {
        let matters = Dictionary(uniqueKeysWithValues: try await MatterRepository().all(on: db).map { ($0.id, $0) })
        let departments = try await DepartmentRepository().names(on: db)
        var filter = CaseRepository.Filter(scopePath: "/")
        filter.states = CaseState.allCases.filter { $0.isOpen && $0.stage != nil }
        let cases = try await CaseRepository().queue(filter, limit: 100_000, on: db).map { record in
            SupervisedCase(
                record, matter: matters[record.matterId],
                departmentNames: record.departmentIds.compactMap { departments[$0] })
        }
        let tasks = try await PatrolRepository().tasks(scope: "/", openOnly: true, limit: 100_000, on: db)
        let incidentTasks = try await IncidentRepository().supervisedTasks(on: db)
        return cases.filter(\.isRunning) + tasks + incidentTasks
    }

    /// Raises a warning for its key, or moves the open one to its new level and detail; a new or
    /// worse warning goes to the live stream and to the recipients and subscribers.
    func raise(_ warning: Warning, recipients: [String], ledger: inout SweepLedger, on db: any SQLDatabase) async throws
    {
        ledger.current.insert(warning.key)
        if var existing = try await repository.openWarning(key: warning.key, on: db) {
            guard existing.level < warning.level || existing.detail != warning.detail || existing.title != warning.title
            else { return }
            let escalated = existing.level < warning.level
            existing.level = warning.level
            existing.title = warning.title
            existing.detail = warning.detail
            existing.updatedAt = warning.updatedAt
            try await repository.update(existing, on: db)
            guard escalated else { return }
            ledger.report.escalated += 1
            ledger.events.append(.warning(existing))
            ledger.reminders.append(
                (
                    recipients + Self.subscribers(of: existing, among: ledger.subscriptions, wartime: ledger.wartime),
                    wording.subject(of: existing), existing.detail
                ))
        } else {
            try await repository.insert(warning, on: db)
            ledger.report.raised += 1
            ledger.events.append(.warning(warning))
            ledger.reminders.append(
                (
                    recipients + Self.subscribers(of: warning, among: ledger.subscriptions, wartime: ledger.wartime),
                    wording.subject(of: warning), warning.detail
                ))
        }
    }
}
