import ChengyunCore
import SQLKit

/// The alarm life (docs/domain.md §7) as people see it: lists, acknowledge, clear by hand, link to a case.
/// Changes go through the monitoring gate, so the engine's view of open alarms stays exact.
public struct AlarmService: Sendable {
    let platform: Platform
    let alarms = AlarmRepository()

    public func list(_ filter: AlarmRepository.Filter, page: PageRequest, by actor: Principal) async throws -> Page<
        Alarm
    > {
        try await platform.pool.read {
            try await alarms.list(scopePath: actor.listScope, filter: filter, page: page, on: $0)
        }
    }

    public func alarm(id: String, by actor: Principal) async throws -> Alarm {
        try actor.found(
            try await platform.pool.read({ try await alarms.find(id: id, on: $0) }), "Alarm", in: \.areaPath)
    }

    public func acknowledge(id: String, note: String?, by actor: Principal) async throws -> Alarm {
        try await change(id: id, action: "alarm.acknowledge", by: actor) { alarm in
            guard alarm.state == .raised || alarm.state == .suppressed else {
                throw DomainError(
                    .conflict, code: "invalid_state",
                    "Only a raised alarm can be acknowledged; this one is \(alarm.state.rawValue).")
            }
            alarm.state = .acknowledged
            alarm.acknowledgedAt = platform.now()
            alarm.acknowledgedBy = actor.id
        }
    }

    /// Clears an open alarm by hand; the rule raises a new one only after its condition has
    /// cleared and come back.
    public func clear(id: String, note: String?, by actor: Principal) async throws -> Alarm {
        try await change(id: id, action: "alarm.clear", by: actor) { alarm in
            guard alarm.isOpen else {
                throw DomainError(.conflict, code: "invalid_state", "The alarm is already cleared.")
            }
            alarm.state = .cleared
            alarm.clearedAt = platform.now()
            alarm.clearedBy = actor.id
        }
    }

    /// Links an alarm to a case: by hand (a case the caller may see), or by the rule's case.
    public func link(alarmId: String, caseId: String?, failure: String? = nil, by actor: Principal) async throws
        -> Alarm
    {
        if let caseId, actor.id != Principal.system.id {
            _ = try await platform.cases.detail(id: caseId, by: actor) // exists and is in the caller's scope
        }
        return try await change(id: alarmId, action: "alarm.link_case", by: actor) { alarm in
            (alarm.caseId, alarm.caseError) = (caseId ?? alarm.caseId, caseId == nil ? failure : nil)
        }
    }

    /// A change made on the alarm as stored; taken again (up to three times) when the rule engine
    /// or another person changed it between the read and the write.
    private func change(id: String, action: String, by actor: Principal, _ edit: (inout Alarm) throws -> Void)
        async throws -> Alarm
    {
        try await AlarmChangedMeanwhile.retrying { try await changeOnce(id: id, action: action, by: actor, edit) }
    }

    private func changeOnce(id: String, action: String, by actor: Principal, _ edit: (inout Alarm) throws -> Void)
        async throws -> Alarm
    {
        let now = platform.now()
        let (alarm, published) = try await platform.monitoring.write(
            platform, actor, action, target: "alarm",
            summary: { (o: (Alarm, [SequencedEvent])) in
                (o.0.id, "\(o.0.ruleName) \(o.0.deviceCode) \(o.0.state.rawValue)")
            }
        ) { db, memory in
            var book = AlarmBook(open: memory.openAlarms, now: now)
            var alarm = try actor.found(try await alarms.find(id: id, on: db), "Alarm", in: \.areaPath)
            let was = alarm.updatedAt
            try edit(&alarm)
            alarm.updatedAt = AlarmBook.version(after: was, at: now)
            book.record(alarm, was: was)
            try await book.save(on: db)
            memory.openAlarms = book.open
            // The node judging the alarm's device (maybe another) reads open alarms again.
            try await EventOutbox().signal(.alarmsChanged, at: now, on: db)
            return (alarm, try await EventOutbox().append([.alarm(alarm)], at: now, on: db))
        }
        platform.monitoring.events.committed(published)
        return alarm
    }
}
