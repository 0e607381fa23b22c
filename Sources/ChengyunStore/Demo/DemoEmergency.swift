import ChengyunCore
import Foundation
import Synchronization

/// The demo city's emergency command: the three shipped plans (gas leak, urban flooding, fire), a
/// street grid for nearest dispatch by road, 15 hazard sources on the risk map (a gas monitor at
/// each gas site), 300 resources across kinds spread over the city, each its department's (ten
/// fire engines tracked live by their vehicle terminals; every depot stocked), a gas leak three
/// days ago worked from report to review, and a fire drill yesterday. The incidents run on a
/// clock of their own, so their reviews show real minutes.
struct DemoEmergency {
    let platform: Platform
    let staff: DemoStaff
    let areasByCode: [String: Area]
    let departmentsByCode: [String: Department]

    static let planFiles = ["demo-plan-gas-leak", "demo-plan-urban-flood", "demo-plan-fire"]

    /// Kind, capabilities, code prefix, name, how many, and the city department whose crews they
    /// are (fire brigade D3205012, medical centre D3205014, drainage D3205007, gas company D3205008,
    /// emergency management D3205013, power company D3205009). Each gas van GV-n goes out with the
    /// gas repair team GT-n (registered first).
    static let fleet: [(ResourceKind, [String], String, String, Int, String)] = [
        (.vehicle, ["fire", "rescue"], "FE", "消防车", 40, "D3205012"),
        (.vehicle, ["medical"], "AM", "救护车", 30, "D3205014"),
        (.vehicle, ["drainage"], "PT", "排水泵车", 40, "D3205007"),
        (.team, ["gas"], "GT", "燃气抢修队", 20, "D3205008"), (.vehicle, ["gas"], "GV", "燃气抢修车", 20, "D3205008"),
        (.team, ["rescue"], "RT", "应急救援队", 30, "D3205013"), (.shelter, ["shelter"], "SH", "应急避难场所", 60, "D3205013"),
        (.depot, ["materials"], "DP", "应急物资储备库", 20, "D3205013"),
        (.equipment, ["power"], "GE", "移动发电机", 40, "D3205009"),
    ]

    func build(cells: [DemoCityPlan.CellPlan], now: Int64) async throws {
        for file in Self.planFiles {
            _ = try await platform.plans.importPlan(try ShippedFile.read(file, as: EmergencyPlan.self), by: .system)
        }
        _ = try await platform.roads.load(Self.streets(over: cells), by: .system)
        var rng = SplitMix64(seed: 22)
        for (kind, capabilities, prefix, name, count, department) in Self.fleet {
            for n in 1...count {
                let cell = cells[Int(rng.next() % UInt64(cells.count))]
                let at = cell.polygon.interiorPoint
                let number = String(format: "%03d", n)
                // The first ten fire engines carry a vehicle terminal: their positions are live.
                let tracker = prefix == "FE" && n <= 10 ? "VT-FE-\(number)" : nil
                if let tracker {
                    _ = try await platform.devices.register(
                        NewDevice(
                            code: tracker, kindCode: "vehicle_terminal", name: "\(name) \(n) 号车载终端", lon: at.lon,
                            lat: at.lat, departmentId: departmentsByCode[department]?.id), by: .system)
                }
                _ = try await platform.emergency.register(
                    NewEmergencyResource(
                        code: "\(prefix)-\(number)", name: "\(name) \(n) 号", kind: kind, capabilities: capabilities,
                        lon: at.lon, lat: at.lat, areaId: areasByCode[cell.communityCode]?.id,
                        departmentId: departmentsByCode[department]?.id, teamId: prefix == "GV" ? "GT-\(number)" : nil,
                        trackerDevice: tracker),
                    by: .system)
            }
        }
        // Every depot holds sandbags, life jackets, tents and drinking water.
        for n in 1...20 {
            for (material, unit, quantity) in Self.stock {
                _ = try await platform.depots.restock(
                    RestockInput(material: material, unit: unit, quantity: quantity),
                    depot: "DP-\(String(format: "%03d", n))", by: .system)
            }
        }
        let cellsByIndex = cells.sorted { $0.code < $1.code }
        for (n, (code, name, category, level)) in Self.hazards.enumerated() {
            let at = cellsByIndex[(n * 37 + 11) % cellsByIndex.count].polygon.interiorPoint
            // The forests spread over the cells around them.
            let d = 0.006
            let area =
                category == "forest_fire"
                ? try GeoPolygon(rings: [
                    [
                        GeoPoint(lon: at.lon - d, lat: at.lat - d), GeoPoint(lon: at.lon + d, lat: at.lat - d),
                        GeoPoint(lon: at.lon + d, lat: at.lat + d), GeoPoint(lon: at.lon - d, lat: at.lat + d),
                    ]
                ]) : nil
            _ = try await platform.risk.addHazard(
                NewHazardSource(
                    code: code, name: name, category: category, lon: at.lon, lat: at.lat, inherentLevel: level,
                    area: area), by: .system)
            // Gas sites are watched by a gas monitor: its alarms count in the cell's gas risk.
            if category == "gas" {
                _ = try await platform.devices.register(
                    NewDevice(
                        code: "GM-\(code)", kindCode: "gas", name: "\(name)燃气监测仪", lon: at.lon, lat: at.lat,
                        departmentId: departmentsByCode["D3205008"]?.id), by: .system)
            }
        }
        let day: Int64 = 86_400_000
        let gusu = cells.filter { $0.communityCode.hasPrefix("320508") }
        try await respond(
            NewIncident(
                title: "人民路燃气管道泄漏", incidentType: "gas_leak",
                lon: gusu[3].polygon.interiorPoint.lon, lat: gusu[3].polygon.interiorPoint.lat,
                address: "姑苏区人民路施工工地", facts: ["evacuated": 40, "casualties": 0]),
            plan: "gas-leak", level: .iii, summary: "泄漏点已封堵，疏散群众 40 人全部返回，无人员伤亡。", from: now - 3 * day,
            rng: &rng)
        try await respond(
            NewIncident(
                title: "实验小学消防演练", incidentType: "fire",
                lon: gusu[10].polygon.interiorPoint.lon, lat: gusu[10].polygon.interiorPoint.lat,
                address: "姑苏区实验小学", facts: ["trapped": 0], drill: true),
            plan: "fire", level: .iv, summary: "演练结束，各组按时到位。", from: now - day, rng: &rng)
        _ = try await platform.risk.recomputeAll()
    }

    /// What each depot holds: material, unit, quantity.
    static let stock: [(String, String, Double)] = [
        ("sandbag", "袋", 2_000), ("life_jacket", "件", 300), ("tent", "顶", 50), ("drinking_water", "箱", 500),
    ]

    /// Hazard sources across the city (code, name, category, inherent level).
    static let hazards: [(String, String, String, AlarmSeverity)] = [
        ("HZ-G01", "人民路加油站", "gas", .orange), ("HZ-G02", "干将路加气站", "gas", .orange),
        ("HZ-G03", "液化石油气储配站", "gas", .red), ("HZ-G04", "燃气调压站", "gas", .yellow),
        ("HZ-W01", "精细化工厂", "work_safety", .red), ("HZ-W02", "危险化学品仓库", "work_safety", .red),
        ("HZ-W03", "金属加工厂", "work_safety", .yellow), ("HZ-F01", "下穿隧道（南门）", "flood", .orange),
        ("HZ-F02", "下穿隧道（北环）", "flood", .orange), ("HZ-F03", "低洼老旧小区", "flood", .yellow),
        ("HZ-S01", "石路商业综合体", "fire_safety", .orange), ("HZ-S02", "观前街老街区", "fire_safety", .red),
        ("HZ-S03", "批发市场", "fire_safety", .yellow), ("HZ-L01", "虎丘山林", "forest_fire", .orange),
        ("HZ-L02", "上方山森林公园", "forest_fire", .red),
    ]

    /// The demo city's streets: a grid about 400 m apart over the city, every fifth street a
    /// primary road and every other one between a secondary, each street passing through every
    /// crossing so the grid is joined.
    static func streets(over cells: [DemoCityPlan.CellPlan]) -> RoadNetworkInput {
        let points = cells.map(\.polygon.interiorPoint)
        let step = 0.004
        let west = (points.map(\.lon).min() ?? 0) - step, east = (points.map(\.lon).max() ?? 0) + step
        let south = (points.map(\.lat).min() ?? 0) - step, north = (points.map(\.lat).max() ?? 0) + step
        let columns = Int(((east - west) / step).rounded(.up)), rows = Int(((north - south) / step).rounded(.up))
        func roadClass(_ line: Int) -> String {
            line % 5 == 0 ? "primary" : line % 2 == 0 ? "secondary" : "residential"
        }
        var features: [RoadFeature] = []
        for row in 0...rows {
            let lat = south + Double(row) * step
            features.append(
                RoadFeature(
                    lines: [(0...columns).map { GeoPoint(lon: west + Double($0) * step, lat: lat) }],
                    roadClass: roadClass(row)))
        }
        for column in 0...columns {
            let lon = west + Double(column) * step
            features.append(
                RoadFeature(
                    lines: [(0...rows).map { GeoPoint(lon: lon, lat: south + Double($0) * step) }],
                    roadClass: roadClass(column)))
        }
        return RoadNetworkInput(features: features, name: "苏州示范城区路网")
    }

    /// Works an incident from report to review on a clock starting at `start`: resources assigned
    /// against the requests, each task accepted and finished by a handler of its department as it
    /// is released, a situation report, the crews back at base, the close.
    private func respond(
        _ report: NewIncident, plan: String, level: ResponseLevel, summary: String, from start: Int64,
        rng: inout SplitMix64
    ) async throws {
        let clock = DemoClock(start)
        let past = Platform(pool: platform.pool, settings: platform.settings, now: { clock.now })
        let incident = try await past.incidents.open(report, by: staff.intake)
        clock.advance(minutes: 3)
        var board = try await past.incidents.activate(
            PlanActivationInput(plan: plan, level: level), on: incident.id, by: staff.supervisor)
        let scene = incident.scene
        for request in board.requests {
            clock.advance(minutes: 1)
            let nearest = try await past.emergency.nearest(
                to: scene, kind: request.kind, capability: request.capability, count: request.quantity,
                by: staff.dispatcher)
            for suggestion in nearest {
                _ = try await past.incidents.assign(
                    IncidentResourceInput(resourceId: suggestion.resourceId, requestId: request.id), on: incident.id,
                    by: staff.dispatcher)
                _ = try await past.emergency.apply(
                    ResourceEventInput(event: .depart), to: suggestion.resourceId, by: staff.dispatcher)
            }
        }
        while true {
            board = try await past.incidents.board(incident.id, by: staff.supervisor)
            let ready = board.tasks.filter { $0.status == .assigned }
            if ready.isEmpty { break }
            for task in ready {
                clock.advance(minutes: 1 + Int64(rng.next() % 5))
                try await owner(of: task, reports: .accept, on: incident, past)
            }
            for task in ready {
                clock.advance(minutes: 3 + Int64(rng.next() % 12))
                try await owner(of: task, reports: .complete, on: incident, past)
            }
        }
        clock.advance(minutes: 5)
        _ = try await past.incidents.record(
            IncidentLogInput(kind: .situation, text: "现场处置完毕，警戒解除。"), on: incident.id, by: staff.supervisor)
        // A team's members move with it (`TeamStep`).
        let onIncident = Set(board.resources.map(\.id))
        for resource in board.resources where !(resource.teamId.map(onIncident.contains) ?? false) {
            for event in [ResourceEvent.arrive, .leave, .returnToBase] {
                _ = try await past.emergency.apply(
                    ResourceEventInput(event: event), to: resource.id, by: staff.dispatcher)
            }
        }
        clock.advance(minutes: 10)
        _ = try await past.incidents.close(IncidentCloseInput(summary: summary), on: incident.id, by: staff.supervisor)
    }

    private func owner(of task: IncidentTask, reports event: IncidentTaskEvent, on incident: Incident, _ past: Platform)
        async throws
    {
        let owner = task.departmentIds.compactMap { staff.handlers[$0] }.first ?? staff.supervisor
        _ = try await past.incidents.report(
            IncidentTaskEventInput(event: event), task: task.id, on: incident.id, by: owner)
    }
}

/// The clock a demo incident runs on.
final class DemoClock: Sendable {
    private let value: Mutex<Int64>
    init(_ start: Int64) { value = Mutex(start) }
    var now: Int64 { value.withLock { $0 } }
    func advance(minutes: Int64) { value.withLock { $0 += minutes * 60_000 } }
}
