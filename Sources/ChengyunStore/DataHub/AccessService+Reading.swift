import ChengyunCore
import Logging
import SQLKit

/// The applications lists, the access log, and reading by a grant: which grant lets a caller
/// read a dataset, and the meter each read passes.
extension AccessService {
    /// Which applications a list shows the caller.
    public enum View: String, Codable, CaseIterable, Sendable {
        /// Their department's (or their own, without one).
        case mine
        /// Those awaiting a decision the caller may give.
        case awaiting
        /// Every application on the datasets they stand over.
        case overseen
    }

    public func list(_ view: View, state: AccessState?, page: PageRequest, by actor: Principal) async throws
        -> Page<AccessApplication>
    {
        try await platform.pool.read { db in
            let owned = try await ownedDatasetIds(of: actor, on: db)
            let filter: AccessApplicationRepository.Filter =
                switch view {
                case .mine: .consumer(departmentId: actor.departmentId, applicantId: actor.id)
                case .awaiting: .awaiting(owned: owned, centre: isCentre(actor))
                case .overseen: .datasets(isCentre(actor) ? nil : owned)
                }
            return try await applications.list(filter, state: state, page: page, on: db)
        }
    }

    public func application(id: String, by actor: Principal) async throws -> AccessApplication {
        try await platform.pool.read { try await visible(id, to: actor, on: $0).0 }
    }

    /// The access log of one grant, newest first: its consumer, the dataset's owner and the centre.
    public func log(id: String, page: PageRequest, by actor: Principal) async throws -> Page<AccessLogEntry> {
        try await platform.pool.read { db in
            let (application, _) = try await visible(id, to: actor, on: db)
            return try await usage.list(
                datasetId: application.datasetId, applicationId: application.id, page: page, on: db)
        }
    }

    /// A dataset's access log, newest first, every consumer: its owner and the centre.
    public func log(code: String, page: PageRequest, by actor: Principal) async throws -> Page<AccessLogEntry> {
        // What this node holds is written first (another node's within its second).
        await flushHeld()
        return try await platform.pool.read { db in
            let dataset = try await platform.dataCatalog.visible(code, to: actor, on: db)
            guard !platform.dataCatalog.standing(of: actor, over: dataset).isEmpty else {
                throw DomainError(
                    .forbidden, code: "not_dataset_owner", "A dataset's owner and the centre read its log.")
            }
            return try await usage.list(datasetId: dataset.id, applicationId: nil, page: page, on: db)
        }
    }

    /// Today's use of a grant against its limits.
    public func usage(id: String, by actor: Principal) async throws -> AccessUsage {
        try await platform.pool.read { db in
            let (application, _) = try await visible(id, to: actor, on: db)
            let offset = try await CalendarRepository().current(on: db).utcOffsetMinutes
            let used = try await usage.used(
                applicationId: application.id, AccessMeter(at: platform.now(), utcOffsetMinutes: offset), on: db)
            return AccessUsage(
                usedThisMinute: used.minute, ratePerMinute: application.ratePerMinute, usedToday: used.day,
                dailyQuota: application.dailyQuota)
        }
    }

    // MARK: Reading by a grant

    /// The grant in force that lets `actor` read `dataset`: a dataset key's own (which must be for
    /// this dataset), or one its department holds. Nil when there is none.
    func grant(for actor: Principal, on dataset: Dataset, on db: any SQLDatabase) async throws -> AccessApplication? {
        let now = platform.now()
        // A grant holds while the dataset is published and shared on some terms.
        guard dataset.state == .published, dataset.sharingType != .none else { return nil }
        if actor.kind == .key, let grantId = actor.grantId {
            guard let grant = try await applications.find(id: grantId, on: db), grant.datasetId == dataset.id,
                grant.isActive(at: now)
            else { return nil }
            return grant
        }
        guard actor.kind == .staff, let department = actor.departmentId else { return nil }
        return try await applications.activeGrant(datasetId: dataset.id, departmentId: department, at: now, on: db)
    }

    /// Counts one read by `grant` against its rate and quota and logs it; throws 429 when a limit
    /// is used up (the refusal is logged too).
    func admit(_ grant: AccessApplication, by actor: Principal, operation: String) async throws {
        let now = platform.now()
        let outcome = try await platform.pool.transaction { db -> (AccessOutcome, AccessMeter) in
            let offset = try await CalendarRepository().current(on: db).utcOffsetMinutes
            let meter = AccessMeter(at: now, utcOffsetMinutes: offset)
            let outcome = try await usage.take(grant, meter, on: db)
            try await usage.log(
                AccessLogEntry(
                    id: Identifier.make(at: now), datasetId: grant.datasetId, applicationId: grant.id,
                    consumer: grant.system.map { "\(grant.consumer) · \($0)" } ?? grant.consumer,
                    callerKind: actor.kind.rawValue, callerId: actor.id, operation: operation, outcome: outcome, at: now
                ),
                on: db)
            return (outcome, meter)
        }
        switch outcome.0 {
        case .admitted: return
        case .rateLimited:
            var error = DomainError(
                .tooMany, code: "rate_limited", "The grant allows \(grant.ratePerMinute) requests a minute.")
            error.retryAfterSeconds = Int((outcome.1.minuteLeft + 999) / 1000)
            throw error
        case .quotaExhausted:
            var error = DomainError(
                .tooMany, code: "quota_exhausted", "The grant's \(grant.dailyQuota) requests for today are used up.")
            error.retryAfterSeconds = Int((outcome.1.dayLeft + 999) / 1000)
            throw error
        }
    }

    /// Logs a read or call made without a grant (nothing to meter): who, as their department or
    /// the centre. Held and written with others (`AccessLogBuffer`), not in a commit of its own.
    func logUnmetered(datasetId: String, by actor: Principal, operation: String) async {
        let now = platform.now()
        let entry = AccessLogEntry(
            id: Identifier.make(at: now), datasetId: datasetId, applicationId: nil,
            consumer: isCentre(actor) ? "centre" : actor.kind.rawValue, callerKind: actor.kind.rawValue,
            callerId: actor.id, operation: operation, outcome: .admitted, at: now)
        if platform.accessLogBuffer.add(.init(entry: entry, departmentId: actor.departmentId)) {
            await flushHeld()
        }
    }

    /// `flushUnmetered` for a caller whose own work succeeded: a failed write is logged (the
    /// entries stay held for the next try), not the caller's error.
    func flushHeld() async {
        do { try await flushUnmetered() } catch {
            Self.logger.warning("access log not written yet", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    static let logger = Logger(label: "chengyun.exchange")

    /// Writes the unmetered entries this node holds, in one transaction, each consumer named by
    /// its department as it is called now; held again if the write fails. Returns how many.
    @discardableResult
    public func flushUnmetered() async throws -> Int {
        let (held, dropped) = platform.accessLogBuffer.take()
        if dropped > 0 {
            Self.logger.error(
                "access log entries dropped while the database was out", metadata: ["count": "\(dropped)"])
        }
        guard !held.isEmpty else { return 0 }
        do {
            try await platform.pool.transaction { db in
                var names: [String: String] = [:]
                for id in Set(held.compactMap(\.departmentId)) {
                    names[id] = try await DepartmentRepository().find(id: id, on: db)?.name
                }
                try await usage.log(
                    held.map { one in
                        var entry = one.entry
                        if let name = one.departmentId.flatMap({ names[$0] }) { entry.consumer = name }
                        return entry
                    }, on: db)
            }
        } catch {
            platform.accessLogBuffer.putBack(held)
            throw error
        }
        platform.accessLogBuffer.written()
        return held.count
    }

    // MARK: Standing

    func isCentre(_ actor: Principal) -> Bool {
        actor.kind == .staff && actor.roles.contains(.admin) && actor.hasPlatformScope
    }

    /// The datasets whose owner stage the caller decides (AccessLifecycle.deciderStanding's rule:
    /// its department's, and an area administrator's below the whole platform).
    func ownedDatasetIds(of actor: Principal, on db: any SQLDatabase) async throws -> [String] {
        guard actor.kind == .staff, actor.has(anyOf: [.handler, .admin]) else { return [] }
        let areaAdmin = actor.roles.contains(.admin) && !actor.hasPlatformScope ? actor.scope?.path : nil
        guard areaAdmin != nil || actor.departmentId != nil else { return [] }
        let query = db.select().column("id").from("datasets").where { owned in
            if let path = areaAdmin {
                owned.where { area in
                    area.where("owner_department_id", .isNot, SQLLiteral.null)
                        .where(SQLIdentifier("area_path"), .like, SQLBind(path + "%"))
                }
            }
            if let department = actor.departmentId { owned.orWhere("owner_department_id", .equal, department) }
            return owned
        }
        return try await query.all().map { try $0.decode(column: "id", as: String.self) }
    }
}

/// A grant's use in the current minute and city day, against its limits.
public struct AccessUsage: Codable, Equatable, Sendable {
    public var usedThisMinute: Int
    public var ratePerMinute: Int
    public var usedToday: Int
    public var dailyQuota: Int
}
