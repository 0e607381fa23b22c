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
    /// What warnings, reminders and automatic orders say.
    let wording: SupervisionWording
    /// Indicator warnings whose indicator has a case rule open cases through it.
    var indicatorCases: IndicatorCases { IndicatorCases(platform: platform) }

    public init(platform: Platform, notifier: (any Notifier)? = nil, wording: SupervisionWording = .chinese) {
        self.platform = platform
        self.wording = wording
        let log = notifier ?? LogNotifier()
        self.notifier = platform.settings.webhookURL.map { FanOutNotifier([log, WebhookNotifier(url: $0)]) } ?? log
    }

    // MARK: Policy

    public func policy() async throws -> SupervisionPolicy { try await platform.policy(SupervisionPolicy.self) }

    func policy(on db: any SQLDatabase) async throws -> SupervisionPolicy {
        try await platform.policy(SupervisionPolicy.self, on: db)
    }

    public func setPolicy(_ policy: SupervisionPolicy, by actor: Principal) async throws -> SupervisionPolicy {
        try await platform.setPolicy(policy, by: actor)
    }

    /// A leader orders a case or a patrol task sped up (in their scope), with an optional note in the letter.
    public func issue(_ input: NewSupervisionOrder, by actor: Principal) async throws -> SupervisionOrder {
        let now = platform.now()
        guard (input.caseId == nil) != (input.taskId == nil) else {
            throw DomainError.validation([
                FieldIssue(field: "caseId", code: "one_subject", message: "Give a caseId or a taskId, not both.")
            ])
        }
        let (order, published) = try await platform.pool.transaction { db in
            let subject = try await openSubject(caseId: input.caseId, taskId: input.taskId, by: actor, on: db)
            let order = try await issueOrder(
                on: subject, note: input.note,
                issuer: Supervision.Issuer(id: actor.id, name: actor.name, automatic: false), at: now,
                in: try await context(on: db), on: db)
            return (order, try await EventOutbox().append([.supervision(order)], at: now, on: db))
        }
        platform.monitoring.events.committed(published)
        await notifier.notify(
            recipients: order.departmentIds + [order.assigneeId].compactMap { $0 },
            subject: wording.orderSubject.render(["orderNumber": order.number]), text: order.letter)
        return order
    }

    /// The open case or patrol task a leader names, by id or number, in their scope (checked
    /// before its state, so a record outside the scope says nothing of itself).
    private func openSubject(caseId: String?, taskId: String?, by actor: Principal, on db: any SQLDatabase)
        async throws -> any Supervisable
    {
        if let taskId {
            let task = try actor.found(
                try await PatrolRepository().task(id: taskId, on: db), "Patrol task", in: \.areaPath)
            guard task.state.isOpen else {
                throw DomainError(
                    .conflict, code: "invalid_state",
                    "The task is \(task.state.rawValue); only open tasks are supervised.")
            }
            return task
        }
        let record = try actor.found(
            try await CaseRepository().find(idOrNumber: caseId ?? "", on: db), "Case", in: \.areaPath)
        guard record.state.isOpen else {
            throw DomainError(
                .conflict, code: "invalid_state",
                "The case is \(record.state.rawValue); only open cases are supervised.")
        }
        let names = try await DepartmentRepository().names(on: db)
        return SupervisedCase(
            record, matter: try await MatterRepository().find(id: record.matterId, on: db),
            departmentNames: record.departmentIds.compactMap { names[$0] })
    }

    /// Numbers, stores and audits an order on a subject.
    func issueOrder(
        on subject: any Supervisable, note: String?, issuer: Supervision.Issuer, at now: Int64,
        in context: SupervisionContext, on db: any SQLDatabase
    ) async throws -> SupervisionOrder {
        let number = try await repository.nextNumber(
            day: LocalDate(dayNumber: context.calendar.localDayNumber(now)), on: db)
        let order = Supervision.order(
            on: subject, note: note, issuer: issuer, at: now, in: context, id: Identifier.make(), number: number)
        try await repository.insert(order, on: db)
        try await platform.auditLog.append(
            .init(
                actor: issuer.automatic
                    ? .system : Principal(kind: .staff, id: issuer.id, name: issuer.name, scope: nil),
                action: "supervision.issue", targetType: subject.subject.targetType, targetId: subject.subject.id,
                summary: "\(number) \(issuer.automatic ? "automatic" : "by \(issuer.name)")"), at: now, on: db)
        return order
    }

    /// The calendar, the policy and the wording a judgement runs on.
    func context(on db: any SQLDatabase) async throws -> SupervisionContext {
        SupervisionContext(
            calendar: try await CalendarRepository().current(on: db), policy: try await policy(on: db), wording: wording
        )
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
        let (order, published) = try await platform.write(
            actor, response == nil ? "supervision.read" : "supervision.respond", target: "supervisionOrder",
            summary: { (o: (SupervisionOrder, [SequencedEvent])) in (o.0.id, "\(o.0.number) \(o.0.state.rawValue)") }
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
                order.response = text
                order.respondedAt = now
                order.respondedBy = actor.id
                order.state = .responded
            }
            try await repository.update(order, on: db)
            return (order, try await EventOutbox().append([.supervision(order)], at: now, on: db))
        }
        platform.monitoring.events.committed(published)
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
            let order = try actor.found(try await repository.order(id: id, on: db), "Supervision order", in: \.areaPath)
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
        case .alarm, .device, .incident: return true
        // The review queue's, as the queue itself (`VideoController.readers`).
        case .detection: return actor.has(anyOf: [.intake, .supervisor, .leader, .admin])
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

extension SupervisionPolicy: StoredPolicy {
    static let settingKey = "supervision.policy"
    static let changeAction = "supervision.policy"
    static var standard: SupervisionPolicy { SupervisionPolicy() }
}
