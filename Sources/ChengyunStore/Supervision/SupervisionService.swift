import ChengyunCore
import Foundation
import SQLKit

/// Warnings and supervision (预警督办): a sweep raises a yellow warning when a case's running
/// stage has used its warning threshold, red once overdue, and an automatic supervision order
/// when it is overdue past the policy's allowance; leaders issue orders by hand; recipients read
/// and answer them; an unanswered order past its deadline warns in turn. Every change goes to the
/// live stream and to the notifier.
public struct SupervisionService: Sendable {
    let platform: Platform
    let notifier: any Notifier
    let repository = SupervisionRepository()
    static let policyKey = "supervision.policy"

    public init(platform: Platform, notifier: (any Notifier)? = nil) {
        self.platform = platform
        let log = notifier ?? LogNotifier()
        self.notifier = platform.settings.webhookURL.map { FanOutNotifier([log, WebhookNotifier(url: $0)]) } ?? log
    }

    // MARK: Policy

    public func policy() async throws -> SupervisionPolicy {
        try await platform.pool.read { try await policy(on: $0) }
    }

    func policy(on db: any SQLDatabase) async throws -> SupervisionPolicy {
        try await SettingsRepository().get(Self.policyKey, as: SupervisionPolicy.self, on: db) ?? SupervisionPolicy()
    }

    public func setPolicy(_ policy: SupervisionPolicy, by actor: Principal) async throws -> SupervisionPolicy {
        try policy.validate()
        let now = platform.now()
        return try await platform.write(
            actor, "supervision.policy", target: "settings",
            summary: { _ in (Self.policyKey, "supervision policy changed") }
        ) { db in
            try await SettingsRepository().put(Self.policyKey, policy, at: now, by: actor.id, on: db)
            return policy
        }
    }

    // MARK: The sweep

    /// What a sweep changed.
    public struct SweepReport: Equatable, Sendable {
        public var raised = 0
        public var escalated = 0
        public var resolved = 0
        public var ordersIssued = 0
        public init(raised: Int = 0, escalated: Int = 0, resolved: Int = 0, ordersIssued: Int = 0) {
            (self.raised, self.escalated, self.resolved, self.ordersIssued) = (
                raised, escalated, resolved, ordersIssued
            )
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
    }

    /// Judges every open case's running stage, every open patrol task and every unanswered order at `now`.
    public func sweep(at now: Int64? = nil) async throws -> SweepReport {
        let now = now ?? platform.now()
        var ledger = SweepLedger()
        try await platform.pool.transaction { db in
            let calendar = try await CaseService(platform: platform).calendar(on: db)
            let policy = try await policy(on: db)
            ledger.subscriptions = try await allSubscriptions(on: db)
            try await sweepCases(at: now, policy: policy, calendar: calendar, ledger: &ledger, on: db)
            try await sweepPatrolTasks(at: now, policy: policy, calendar: calendar, ledger: &ledger, on: db)
            // Unanswered orders near or past their deadline warn in turn.
            for order in try await repository.orders(scope: "/", unansweredOnly: true, limit: 100_000, on: db) {
                let level = order.level(at: now, warningFraction: policy.deadlineWarningFraction)
                guard level != .normal else { continue }
                let about = order.caseNumber.map { "案件 \($0)" } ?? "巡查任务 \(order.taskNumber ?? "")"
                try await raise(
                    Warning(
                        id: Identifier.make(), key: "order:\(order.id)", kind: .supervisionOverdue,
                        level: level == .red ? .red : .yellow,
                        targetType: "supervisionOrder", targetId: order.id, areaPath: order.areaPath,
                        departmentId: order.departmentIds.first,
                        title: "督办 \(order.number) \(level == .red ? "逾期未回复" : "即将到期")",
                        detail:
                            "\(about)，期限 \(Instant.format(order.deadline, utcOffsetMinutes: calendar.utcOffsetMinutes))",
                        raisedAt: now, updatedAt: now),
                    recipients: order.departmentIds + [order.assigneeId].compactMap { $0 }, ledger: &ledger, on: db)
            }
            // Whatever is no longer near or past its limit is settled.
            for kind in [Warning.Kind.caseStage, .patrolTask, .supervisionOverdue] {
                for var warning in try await repository.openWarnings(kind: kind, on: db)
                where !ledger.current.contains(warning.key) {
                    (warning.resolvedAt, warning.updatedAt) = (now, now)
                    try await repository.update(warning, on: db)
                    ledger.report.resolved += 1
                    ledger.events.append(.warning(warning))
                }
            }
        }
        platform.monitoring.events.publish(ledger.events)
        for reminder in ledger.reminders {
            await notifier.notify(recipients: reminder.recipients, subject: reminder.subject, text: reminder.text)
        }
        return ledger.report
    }

    /// Each open case's running stage: yellow from its matter's threshold, red overdue, and an
    /// automatic order once overdue past the policy's allowance.
    private func sweepCases(
        at now: Int64, policy: SupervisionPolicy, calendar: WorkCalendar, ledger: inout SweepLedger,
        on db: any SQLDatabase
    ) async throws {
        let matters = Dictionary(uniqueKeysWithValues: try await MatterRepository().all(on: db).map { ($0.id, $0) })
        var filter = CaseRepository.Filter(scopePath: "/")
        filter.states = CaseState.allCases.filter { $0.isOpen && $0.stage != nil }
        for record in try await CaseRepository().queue(filter, limit: 100_000, on: db) {
            guard let clock = record.stageClock, let stage = record.state.stage, !clock.isSuspended else { continue }
            let matter = matters[record.matterId]
            let fraction = clock.fractionUsed(at: now, on: calendar)
            let level = ClockLevel(
                fractionUsed: fraction, warningThreshold: matter?.warningThreshold(for: stage) ?? 0.8)
            guard level != .normal else { continue }
            let overdueMinutes = record.stageDeadline.map { max(0, now - $0) / 60_000 } ?? 0
            let detail =
                level == .red
                ? "\(stage.rawValue) 环节已超时 \(LetterTemplate.duration(minutes: overdueMinutes))"
                : "\(stage.rawValue) 环节已用时 \(Int(fraction * 100))%"
            try await raise(
                Warning(
                    id: Identifier.make(), key: "case:\(record.id):\(stage.rawValue)", kind: .caseStage,
                    level: level == .red ? .red : .yellow, targetType: "case", targetId: record.id,
                    areaPath: record.areaPath,
                    departmentId: stage == .handle ? record.departmentIds.first : nil,
                    title: "\(record.number) \(matter?.name ?? record.matterCode)", detail: detail, raisedAt: now,
                    updatedAt: now),
                recipients: record.departmentIds, ledger: &ledger, on: db)
            // Overdue past the allowance, and nobody has been ordered yet: supervision starts.
            if level == .red, overdueMinutes > Int64(policy.autoSuperviseAfterMinutes),
                try await repository.orders(scope: "/", caseId: record.id, unansweredOnly: true, limit: 1, on: db)
                    .isEmpty
            {
                let order = try await makeOrder(
                    for: record, stage: stage, overdueMinutes: overdueMinutes, matter: matter, note: nil,
                    issuer: (id: "system", name: "预警规则"), automatic: true, policy: policy,
                    calendar: calendar, now: now, on: db)
                ledger.report.ordersIssued += 1
                ledger.events.append(.supervision(order))
                ledger.reminders.append((order.departmentIds, "督办 \(order.number)", order.letter))
            }
        }
    }

    /// Raises a warning for its key, or moves the open one to its new level and detail; a new or
    /// worse warning goes to the live stream and to the recipients and subscribers.
    func raise(_ warning: Warning, recipients: [String], ledger: inout SweepLedger, on db: any SQLDatabase) async throws
    {
        ledger.current.insert(warning.key)
        let colour = warning.level == .red ? "红色" : "黄色"
        if var existing = try await repository.openWarning(key: warning.key, on: db) {
            guard existing.level < warning.level || existing.detail != warning.detail || existing.title != warning.title
            else { return }
            let escalated = existing.level < warning.level
            (existing.level, existing.title, existing.detail, existing.updatedAt) = (
                warning.level, warning.title, warning.detail, warning.updatedAt
            )
            try await repository.update(existing, on: db)
            if escalated {
                ledger.report.escalated += 1
                ledger.events.append(.warning(existing))
                ledger.reminders.append(
                    (
                        recipients + Self.subscribers(of: existing, among: ledger.subscriptions),
                        "\(colour)预警 \(existing.title)", existing.detail
                    ))
            }
        } else {
            try await repository.insert(warning, on: db)
            ledger.report.raised += 1
            ledger.events.append(.warning(warning))
            ledger.reminders.append(
                (
                    recipients + Self.subscribers(of: warning, among: ledger.subscriptions),
                    "\(colour)预警 \(warning.title)", warning.detail
                ))
        }
    }

    // MARK: Indicators

    /// Raises, moves or settles each indicator's warning for the area of a recorded computation:
    /// one open warning per indicator and area, at the indicator's colour.
    public func judge(_ report: IndicatorReport) async throws {
        let now = platform.now()
        var events: [MonitoringEvent] = []
        try await platform.pool.transaction { db in
            guard let area = try await AreaRepository().find(id: report.areaId, on: db) else { return }
            for reading in report.readings {
                let key = "indicator:\(area.id):\(reading.indicator.code)"
                let existing = try await repository.openWarning(key: key, on: db)
                let detail =
                    "\(area.name)：\(reading.value.map { String(format: "%.2f", $0) } ?? "—") \(reading.indicator.unit)"
                switch (reading.colour, existing) {
                case (nil, nil):
                    continue
                case (nil, var open?):
                    (open.resolvedAt, open.updatedAt, open.detail) = (now, now, detail)
                    try await repository.update(open, on: db)
                    events.append(.warning(open))
                case (let colour?, var open?):
                    guard open.level != colour || open.detail != detail else { continue }
                    let worse = open.level < colour
                    (open.level, open.detail, open.updatedAt) = (colour, detail, now)
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
        }
        platform.monitoring.events.publish(events)
        var raised: [Warning] = []
        let subscriptions = (try? await platform.pool.read { try await allSubscriptions(on: $0) }) ?? []
        for case .warning(let warning) in events where warning.resolvedAt == nil {
            raised.append(warning)
            await notifier.notify(
                recipients: [warning.areaPath] + Self.subscribers(of: warning, among: subscriptions),
                subject: "指标预警 \(warning.title)", text: warning.detail)
        }
        let rules = Dictionary(
            report.readings.compactMap { r in r.indicator.caseRule.map { (r.indicator.code, $0) } },
            uniquingKeysWith: { a, _ in a })
        if !rules.isEmpty { await IndicatorCases(platform: platform).open(for: raised, rules: rules) }
    }

    /// Notes on a warning the case it opened, or why none could be.
    func attach(warningId: String, outcome: Result<String, any Error>) async throws {
        let now = platform.now()
        let updated: Warning? = try await platform.pool.transaction { db in
            guard var warning = try await repository.warning(id: warningId, on: db) else { return nil }
            switch outcome {
            case .success(let caseId): warning.caseId = caseId
            case .failure(let error as DomainError):
                warning.detail += "（未能立案 / no case: \(error.code) \(error.message)）"
            case .failure(let error): warning.detail += "（未能立案 / no case: \(error)）"
            }
            warning.updatedAt = now
            try await repository.update(warning, on: db)
            return warning
        }
        if let updated { platform.monitoring.events.publish([.warning(updated)]) }
    }

    // MARK: Orders

    func makeOrder(
        for record: Case, stage: CaseStage?, overdueMinutes: Int64, matter: Matter?, note: String?,
        issuer: (id: String, name: String), automatic: Bool, policy: SupervisionPolicy, calendar: WorkCalendar,
        now: Int64,
        on db: any SQLDatabase
    ) async throws -> SupervisionOrder {
        let deadline = now + Int64(policy.orderDeadlineHours) * 3_600_000
        var departments: [String] = []
        for id in record.departmentIds {
            if let d = try await DepartmentRepository().find(id: id, on: db) { departments.append(d.name) }
        }
        let letter = policy.template.render([
            "caseNumber": record.number, "matter": matter?.name ?? record.matterCode, "address": record.address ?? "",
            "department": departments.joined(separator: "、"),
            "stage": stage.map { Self.stageNames[$0] ?? $0.rawValue } ?? "",
            "overdue": LetterTemplate.duration(minutes: overdueMinutes),
            "deadline": Instant.format(deadline, utcOffsetMinutes: calendar.utcOffsetMinutes),
            "issuer": issuer.name, "note": note ?? "",
        ])
        let number = try await repository.nextNumber(day: LocalDate(dayNumber: calendar.localDayNumber(now)), on: db)
        let order = SupervisionOrder(
            id: Identifier.make(), number: number, caseId: record.id, caseNumber: record.number,
            areaPath: record.areaPath,
            departmentIds: record.departmentIds, issuedBy: issuer.id, issuedByName: issuer.name, automatic: automatic,
            issuedAt: now, deadline: deadline, letter: letter)
        try await repository.insert(order, on: db)
        try await recordIssue(number, on: "case", record.id, issuer: issuer, automatic: automatic, at: now, on: db)
        return order
    }

    /// The audit line of an issued order (a leader's by name, a rule's as the system).
    func recordIssue(
        _ number: String, on targetType: String, _ targetId: String, issuer: (id: String, name: String),
        automatic: Bool,
        at now: Int64, on db: any SQLDatabase
    ) async throws {
        try await platform.auditLog.append(
            .init(
                actor: automatic ? .system : Principal(kind: .staff, id: issuer.id, name: issuer.name, scope: nil),
                action: "supervision.issue", targetType: targetType, targetId: targetId,
                summary: "\(number) \(automatic ? "automatic" : "by \(issuer.name)")"), at: now, on: db)
    }

    static let stageNames: [CaseStage: String] = [
        .accept: "受理", .verify: "核实", .file: "立案", .dispatch: "派遣", .handle: "处置",
        .check: "核查", .close: "结案",
    ]

    /// A leader orders a case or a patrol task sped up (in their scope), with an optional note in the letter.
    public func issue(_ input: NewSupervisionOrder, by actor: Principal) async throws -> SupervisionOrder {
        let now = platform.now()
        guard (input.caseId == nil) != (input.taskId == nil) else {
            throw DomainError.validation([
                FieldIssue(field: "caseId", code: "one_subject", message: "Give a caseId or a taskId, not both.")
            ])
        }
        let order = try await platform.pool.transaction { db in
            let calendar = try await CaseService(platform: platform).calendar(on: db)
            if let taskId = input.taskId {
                guard let task = try await PatrolRepository().task(id: taskId, on: db) else {
                    throw DomainError.notFound("Patrol task")
                }
                try actor.requireScope(task.areaPath)
                guard task.state.isOpen else {
                    throw DomainError(
                        .conflict, code: "invalid_state",
                        "The task is \(task.state.rawValue); only open tasks are supervised.")
                }
                return try await makeOrder(
                    for: task, overdueMinutes: max(0, now - task.deadline) / 60_000, note: input.note,
                    issuer: (actor.id, actor.name), automatic: false, policy: try await policy(on: db),
                    calendar: calendar, now: now, on: db)
            }
            let caseId = input.caseId ?? ""
            var found = try await CaseRepository().find(id: caseId, on: db)
            if found == nil { found = try await CaseRepository().find(number: caseId, on: db) }
            guard let record = found else { throw DomainError.notFound("Case") }
            try actor.requireScope(record.areaPath)
            guard record.state.isOpen else {
                throw DomainError(
                    .conflict, code: "invalid_state",
                    "The case is \(record.state.rawValue); only open cases are supervised.")
            }
            let overdue = record.stageDeadline.map { max(0, now - $0) / 60_000 } ?? 0
            return try await makeOrder(
                for: record, stage: record.state.stage, overdueMinutes: overdue,
                matter: try await MatterRepository().find(id: record.matterId, on: db), note: input.note,
                issuer: (actor.id, actor.name), automatic: false, policy: try await policy(on: db),
                calendar: calendar, now: now, on: db)
        }
        platform.monitoring.events.publish([.supervision(order)])
        await notifier.notify(
            recipients: order.departmentIds + [order.assigneeId].compactMap { $0 }, subject: "督办 \(order.number)",
            text: order.letter)
        return order
    }

    /// Whether `actor` is among those an order is addressed to: a task's inspector, the handlers
    /// of its departments, or (for a case not yet with a department) the case's area staff.
    static func isRecipient(_ actor: Principal, of order: SupervisionOrder) -> Bool {
        guard actor.canSee(path: order.areaPath) else { return false }
        if let assignee = order.assigneeId { return assignee == actor.id }
        if let department = actor.departmentId, order.departmentIds.contains(department) { return true }
        return order.departmentIds.isEmpty && actor.has(anyOf: [.supervisor, .dispatcher, .intake])
    }

    /// A recipient reads the order (the first reading is the receipt) or answers it.
    public func acknowledge(orderId: String, response: String?, by actor: Principal) async throws -> SupervisionOrder {
        let now = platform.now()
        let order = try await platform.write(
            actor, response == nil ? "supervision.read" : "supervision.respond", target: "supervisionOrder",
            summary: { (o: SupervisionOrder) in (o.id, "\(o.number) \(o.state.rawValue)") }
        ) { db in
            guard var order = try await repository.order(id: orderId, on: db) else {
                throw DomainError.notFound("Supervision order")
            }
            guard Self.isRecipient(actor, of: order) else { throw DomainError.outOfScope() }
            if order.readAt == nil { (order.readAt, order.readBy, order.state) = (now, actor.id, .read) }
            if let response {
                guard order.state != .responded else {
                    throw DomainError(.conflict, code: "invalid_state", "The order is answered already.")
                }
                let text = response.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !text.isEmpty, text.count <= 2000 else {
                    throw DomainError.validation([
                        FieldIssue(field: "response", code: "invalid_value", message: "1 to 2000 characters.")
                    ])
                }
                (order.response, order.respondedAt, order.respondedBy, order.state) = (text, now, actor.id, .responded)
            }
            try await repository.update(order, on: db)
            return order
        }
        platform.monitoring.events.publish([.supervision(order)])
        return order
    }

    /// Orders in the caller's scope; a department's people see those addressed to their department,
    /// an inspector those addressed to them.
    public func orders(caseId: String?, taskId: String? = nil, unansweredOnly: Bool, by actor: Principal) async throws
        -> [SupervisionOrder]
    {
        try await platform.pool.read { db in
            let everyone = Self.seesAllOrders(actor)
            let department = everyone ? nil : actor.departmentId
            let assignee = !everyone && department == nil && actor.has(anyOf: [.inspector]) ? actor.id : nil
            if !everyone && department == nil && assignee == nil && !actor.has(anyOf: [.intake]) { return [] }
            return try await repository.orders(
                scope: actor.listScope, caseId: caseId, taskId: taskId, departmentId: department,
                assigneeId: assignee, unansweredOnly: unansweredOnly, limit: 500, on: db)
        }
    }

    public func order(id: String, by actor: Principal) async throws -> SupervisionOrder {
        try await platform.pool.read { db in
            guard let order = try await repository.order(id: id, on: db) else {
                throw DomainError.notFound("Supervision order")
            }
            try actor.requireScope(order.areaPath)
            // The same rule as the list: others' orders are not found, not merely hidden there.
            guard Self.reads(order, by: actor) else { throw DomainError.notFound("Supervision order") }
            return order
        }
    }

    /// Warnings in the caller's scope (a handler: their department's), newest first; or those the
    /// caller's subscriptions match.
    public func warnings(openOnly: Bool, subscribed: Bool = false, by actor: Principal) async throws -> [Warning] {
        try await platform.pool.read { db in
            if subscribed { return try await subscribedWarnings(openOnly: openOnly, by: actor, on: db) }
            return try await repository.warnings(
                scope: actor.listScope, departmentId: Self.warningDepartment(of: actor),
                openOnly: openOnly, limit: 500, on: db)
        }
    }

    /// Whether an order in the caller's scope is one their list shows: the same rule as
    /// `orders(...)`'s query, for one order.
    static func reads(_ order: SupervisionOrder, by actor: Principal) -> Bool {
        if seesAllOrders(actor) { return true }
        if let department = actor.departmentId { return order.departmentIds.contains(department) }
        if actor.has(anyOf: [.inspector]) { return order.assigneeId == actor.id }
        return actor.has(anyOf: [.intake])
    }

    /// Whether a live event may go to `actor`'s stream (the area scope is filtered already).
    public static func mayFollow(_ event: MonitoringEvent, _ actor: Principal) -> Bool {
        switch event {
        case .supervision(let order): return reads(order, by: actor)
        case .warning(let warning):
            guard let department = warningDepartment(of: actor) else { return true }
            return warning.departmentId == department
        case .alarm, .device: return true
        }
    }

    /// Who sees every order in their scope rather than those addressed to them.
    static func seesAllOrders(_ actor: Principal) -> Bool {
        actor.has(anyOf: [.leader, .supervisor, .admin, .dispatcher])
    }

    /// The department a caller's warnings are limited to, through every filter: a handler sees
    /// their department's only; the centre's roles see their whole scope (nil).
    static func warningDepartment(of actor: Principal) -> String? {
        actor.has(anyOf: [.leader, .supervisor, .admin, .dispatcher, .intake, .inspector])
            ? nil : actor.departmentId ?? "#no-department#"
    }
}

extension Platform {
    public var supervision: SupervisionService { SupervisionService(platform: self) }
}
