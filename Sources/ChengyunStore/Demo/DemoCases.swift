import ChengyunCore
import Foundation

/// Fills the demo city with a month of cases in every state. Each case follows a script of real
/// steps (report, accept, verify, file, dispatch, side paths, complete, check, close) taken by the
/// demo's own users through `CaseService`, on a simulated clock that replays the last 30 days in
/// time order — so histories, stage records, deadlines and the audit log all read as they would
/// in a live centre.
struct DemoCases {
    let platform: Platform
    let staff: DemoStaff
    let citizen: Principal
    let machine: Principal

    /// The final state each script aims for, and how many cases end there.
    static let targets: [(CaseState, Int)] = [
        (.reported, 18), (.verifying, 16), (.filing, 22), (.dispatching, 18), (.handling, 60), (.suspended, 10),
        (.checking, 24), (.closing, 18), (.closed, 140), (.rejected, 10), (.cancelled, 10), (.merged, 12),
    ]

    /// The matters people report most, weighted.
    static let common: [(String, Int)] = [
        ("E0102", 10), ("E0104", 6), ("E0505", 8), ("E0501", 5), ("E0201", 5), ("E0504", 4), ("E0507", 3), ("E0111", 2),
        ("E0306", 3), ("E0302", 2), ("C0118", 4), ("C0101", 3), ("C0102", 2), ("C0103", 2), ("C0305", 3), ("C0405", 2),
        ("C0209", 1), ("E0506", 3), ("E0510", 2), ("C0301", 1),
    ]

    static let roads = [
        "人民路", "干将路", "十全街", "平江路", "观前街", "凤凰街", "东环路", "西环路", "三香路", "金鸡湖大道",
        "吴中大道", "宝带路", "相城大道", "阳澄湖路", "石湖路", "友新路",
    ]

    struct Step {
        var at: Int64
        var script: Int
        var input: CaseActionInput?
        var actor: Principal
    }

    func build(now: Int64) async throws {
        let clock = SimulatedClock(now - 30 * 86_400_000)
        let simulated = Platform(pool: platform.pool, settings: platform.settings, now: { clock.now })
        var rng = SplitMix64(seed: 2026)
        let matters = Dictionary(uniqueKeysWithValues: try await platform.matters.all().map { ($0.code, $0) })
        let cells = try await allCells()
        let calendar = try await platform.matters.calendar()

        // Scripts: a report and the steps after it, each at its own time.
        var reports: [(at: Int64, report: NewReport, actor: Principal, target: CaseState)] = []
        var steps: [Step] = []
        for (target, count) in Self.targets {
            for _ in 0..<count {
                let matter = matters[Self.pick(Self.common, &rng)]!
                let cell = cells[Int(rng.next() % UInt64(cells.count))]
                // Closed and refused cases come from the whole month; open ones from the last days.
                let span: Int64 = [.closed, .rejected, .cancelled].contains(target) ? 27 : 3
                let start = now - (span + 1) * 86_400_000 + Int64(rng.next() % UInt64(span * 86_400_000))
                let at = Self.daytime(start, calendar: calendar, &rng)
                var (report, actor) = reportFor(matter, cell: cell, &rng)
                if [.reported, .verifying].contains(target) && actor.roles.contains(.inspector) {
                    // Inspectors' reports skip acceptance and verification; these come from citizens.
                    actor = citizen
                    report.reporterContact = "137" + String(10_000_000 + rng.next() % 89_999_999)
                }
                if target == .merged,
                    let original = reports.last(where: { $0.target == .handling || $0.target == .dispatching })
                {
                    // A second report of an open problem, a few metres from the first.
                    report = original.report
                    report.lon += 0.00005
                    actor = citizen
                    report.reporterContact = "139" + String(10_000_000 + rng.next() % 89_999_999)
                    reports.append((original.at + 3_600_000, report, actor, target))
                    continue
                }
                let script = reports.count
                reports.append((at, report, actor, target))
                steps += self.steps(
                    for: script, target: target, source: source(of: actor, report), matter: matter,
                    cell: cell, from: at, now: now, &rng)
            }
        }
        var events: [(at: Int64, index: Int, isReport: Bool)] = reports.enumerated().map {
            ($0.element.at, $0.offset, true)
        }
        events += steps.enumerated().map { ($0.element.at, $0.offset, false) }
        events.sort { ($0.at, $0.isReport ? 0 : 1, $0.index) < ($1.at, $1.isReport ? 0 : 1, $1.index) }

        var caseIds: [Int: String] = [:]
        for event in events where event.at < now {
            clock.now = event.at
            if event.isReport {
                let entry = reports[event.index]
                var report = entry.report
                // Citizens do not set urgency: the operation centre does.
                if entry.actor.kind == .citizen { report.urgency = nil }
                let outcome = try await simulated.cases.report(report, by: entry.actor)
                if outcome.case.state != .merged { caseIds[event.index] = outcome.case.id }
            } else {
                let step = steps[event.index]
                guard let id = caseIds[step.script], let input = step.input else { continue }
                do {
                    _ = try await simulated.cases.act(caseId: id, input, by: step.actor)
                } catch let error as DomainError where error.kind == .conflict || error.kind == .forbidden {
                    // A script that no longer fits (its case went elsewhere) stops there.
                    caseIds[step.script] = nil
                }
            }
        }
    }

    private func allCells() async throws -> [GridCell] {
        try await PageRequest.all { try await platform.organisation.listGridCells(areaId: nil, page: $0, by: .system) }
    }

    private func reportFor(_ matter: Matter, cell: GridCell, _ rng: inout SplitMix64) -> (NewReport, Principal) {
        let centre = cell.geometry.centroid
        let point = GeoPoint(
            lon: centre.lon + (Double(rng.next() % 200) - 100) * 0.000002,
            lat: centre.lat + (Double(rng.next() % 200) - 100) * 0.000002)
        var fields: [String: String] = [:]
        for field in matter.customFields where field.required || rng.next() % 2 == 0 {
            switch field.datatype {
            case .singleValueList, .multiValueList:
                fields[field.key] = field.values[Int(rng.next() % UInt64(field.values.count))].key
            case .number: fields[field.key] = String(1 + rng.next() % 6)
            default: fields[field.key] = "苏E" + String(10_000 + rng.next() % 89_999)
            }
        }
        let road = Self.roads[Int(rng.next() % UInt64(Self.roads.count))]
        let address = "\(road)\(1 + rng.next() % 300)号附近"
        var report = NewReport(
            matterId: matter.id, description: "\(address)发现\(matter.name)，请尽快处理。", lon: point.lon,
            lat: point.lat, address: address, urgency: rng.next() % 8 == 0 ? .urgent : .normal,
            customFields: fields.isEmpty ? nil : fields)
        let roll = rng.next() % 10
        let street = staff.inspector(for: cell.areaPath)
        if roll < 4, let street { return (report, street) }
        if roll < 6 { return (report, citizen) }
        if roll < 9 || !matter.autoAccept {
            report.source = .hotline
            report.reporterName = ["张先生", "李女士", "王先生", "陈女士", "刘先生"][Int(rng.next() % 5)]
            report.reporterContact = "138" + String(10_000_000 + rng.next() % 89_999_999)
            return (report, staff.intake)
        }
        return (report, machine)
    }

    private func source(of actor: Principal, _ report: NewReport) -> CaseSource {
        if actor.kind == .citizen { return .citizen }
        if actor.kind == .key { return .machine }
        return actor.roles.contains(.inspector) ? .inspector : (report.source ?? .intake)
    }

    /// The steps that take a case from its report to `target`.
    private func steps(
        for script: Int, target: CaseState, source: CaseSource, matter: Matter, cell: GridCell,
        from start: Int64, now: Int64, _ rng: inout SplitMix64
    ) -> [Step] {
        var steps: [Step] = []
        var at = start
        let inspector = staff.inspector(for: cell.areaPath) ?? staff.supervisor
        func step(_ input: CaseActionInput, by actor: Principal, after minutes: ClosedRange<Int>) {
            at += Int64(minutes.lowerBound + Int(rng.next() % UInt64(minutes.count))) * 60_000
            steps.append(Step(at: at, script: script, input: input, actor: actor))
        }
        var state = source.initialState(autoAccept: matter.autoAccept && source == .machine)
        if state == target { return steps }
        if state == .reported {
            step(CaseActionInput(.accept), by: staff.intake, after: 5...40)
            state = .verifying
            if target == .verifying { return steps }
        }
        if state == .verifying {
            step(CaseActionInput(.verify, note: "现场核实属实", verified: true), by: inspector, after: 20...90)
            state = .filing
            if target == .filing { return steps }
        }
        if target == .rejected {
            step(CaseActionInput(.reject, note: "不属于城市管理范围"), by: staff.supervisor, after: 10...40)
            return steps
        }
        if target == .filing { return steps }
        let department = staff.department(for: matter, at: cell.areaPath)
        if target == .cancelled {
            step(CaseActionInput(.cancel, note: "重复上报，作废"), by: staff.supervisor, after: 10...40)
            return steps
        }
        // Filing dispatches at once where a routing rule exists; a dispatch step covers the rest.
        let routed = department != nil
        step(CaseActionInput(.file), by: staff.supervisor, after: 10...45)
        if !routed {
            if target == .dispatching { return steps }
            step(
                CaseActionInput(.dispatch, departmentIds: [staff.fallbackDepartment]), by: staff.dispatcher,
                after: 10...60)
        } else if target == .dispatching {
            // Keep it waiting for a dispatcher: the department sends it back.
            let handler = staff.handler(of: department!)
            step(CaseActionInput(.requestReturn, note: "非本单位职责，申请退回"), by: handler, after: 30...90)
            step(CaseActionInput(.approveReturn), by: staff.dispatcher, after: 10...40)
            return steps
        }
        let handler = staff.handler(of: department ?? staff.fallbackDepartment)
        if target == .handling {
            switch rng.next() % 4 {
            case 0: step(CaseActionInput(.requestExtension, note: "需协调物业", minutes: 240), by: handler, after: 60...180)
            case 1:
                step(CaseActionInput(.requestExtension, note: "材料未到", minutes: 120), by: handler, after: 60...180)
                step(CaseActionInput(.approveExtension), by: staff.dispatcher, after: 10...60)
            default: break
            }
            return steps
        }
        if target == .suspended {
            step(CaseActionInput(.requestSuspension, note: "需等待管线迁改"), by: handler, after: 60...240)
            step(CaseActionInput(.approveSuspension), by: staff.dispatcher, after: 10...60)
            return steps
        }
        step(CaseActionInput(.complete, note: "已处置完毕，附处置后照片"), by: handler, after: 60...600)
        if rng.next() % 6 == 0 {
            step(CaseActionInput(.fail, note: "现场仍未整改到位，返工"), by: inspector, after: 30...180)
            step(CaseActionInput(.complete, note: "返工完成"), by: handler, after: 60...300)
        }
        // Half the checks are sent to the street's inspector by name (派遣核查); the rest any of them takes.
        if let assigned = staff.inspector(for: cell.areaPath), rng.next() % 2 == 0 {
            step(CaseActionInput(.assign, inspectorId: assigned.id), by: staff.intake, after: 5...60)
        }
        if target == .checking { return steps }
        step(CaseActionInput(.pass, note: "核查通过"), by: inspector, after: 30...240)
        if target == .closing { return steps }
        step(CaseActionInput(.close), by: staff.supervisor, after: 10...120)
        return steps
    }

    static func pick(_ weighted: [(String, Int)], _ rng: inout SplitMix64) -> String {
        var roll = Int(rng.next() % UInt64(weighted.reduce(0) { $0 + $1.1 }))
        for (value, weight) in weighted {
            if roll < weight { return value }
            roll -= weight
        }
        return weighted[0].0
    }

    /// Moves an instant to the daytime of its local day (07:00–20:00 Beijing), as reports come in.
    static func daytime(_ instant: Int64, calendar: WorkCalendar, _ rng: inout SplitMix64) -> Int64 {
        let day = Int64(calendar.localDayNumber(instant))
        let minute = Int64(7 * 60 + Int(rng.next() % (13 * 60)))
        return day * 86_400_000 + minute * 60_000 - Int64(calendar.utcOffsetMinutes) * 60_000
    }
}

/// The demo's staff as principals, for the scripts above.
struct DemoStaff {
    var intake: Principal
    var supervisor: Principal
    var dispatcher: Principal
    var inspectors: [(path: String, principal: Principal)]
    var handlers: [String: Principal]
    var rules: [RoutingRule]
    var fallbackDepartment: String

    func inspector(for path: String) -> Principal? {
        inspectors.first { path.hasPrefix($0.path) }?.principal
    }

    /// Where auto-dispatch sends the case, exactly as `CaseService` resolves it.
    func department(for matter: Matter, at path: String) -> String? {
        RoutingRule.resolve(rules, matterId: matter.id, areaPath: path)?.departmentIds.first
    }

    func handler(of departmentId: String) -> Principal {
        handlers[departmentId] ?? supervisor
    }
}

/// A clock the demo moves by hand.
final class SimulatedClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64
    init(_ start: Int64) { value = start }
    var now: Int64 {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
