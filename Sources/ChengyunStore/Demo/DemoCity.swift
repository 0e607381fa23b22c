import ChengyunCore
import Foundation

/// Builds the demo city through the same services an administrator uses, so every record is
/// validated and audited. The layout is deterministic; passwords and the key are random and
/// reported once.
public struct DemoCity: Sendable {
    public struct Account: Sendable, Equatable {
        public var username: String
        public var password: String
        public var roles: [Role]
        public var area: String
        public var note: String
    }

    public struct Credentials: Sendable {
        public var accounts: [Account]
        public var citizenPhone: String
        public var citizenPassword: String
        public var apiKey: String

        /// The text printed at creation and written to `demo-credentials.txt`.
        public var text: String {
            var lines = [
                "Chengyun demo city (苏州市) — credentials, shown once", "",
                "Staff accounts (log in at /):",
            ]
            for account in accounts {
                let roles = account.roles.map(\.rawValue).joined(separator: ",")
                lines.append(
                    "  \(account.username.padding(toLength: 26, withPad: " ", startingAt: 0)) "
                        + "\(account.password)  roles=\(roles)  area=\(account.area)  \(account.note)")
            }
            lines += [
                "", "Citizen account: phone \(citizenPhone)  password \(citizenPassword)", "",
                "Machine / Open311 API key (header X-API-Key): \(apiKey)", "",
            ]
            return lines.joined(separator: "\n")
        }
    }

    public struct AlreadyPopulated: Error, CustomStringConvertible {
        public init() {}
        public var description: String {
            "The database already holds areas; the demo city is built only into an empty one."
        }
    }

    let platform: Platform
    public init(platform: Platform) { self.platform = platform }

    public func isNeeded() async throws -> Bool {
        try await platform.pool.read { try await AreaRepository().count(on: $0) } == 0
    }

    public func build() async throws -> Credentials {
        guard try await isNeeded() else { throw AlreadyPopulated() }
        let system = Principal.system
        let plan = DemoCityPlan()
        _ = try await platform.catalogue.importTree(try CategoryRepository.defaultTree(), by: system)

        var areasByCode: [String: Area] = [:]
        for area in plan.areas {
            let created = try await platform.organisation.createArea(
                NewArea(
                    code: area.code, name: area.name, level: area.level,
                    parentId: area.parentCode.flatMap { areasByCode[$0]?.id }), by: system)
            areasByCode[area.code] = created
        }
        for cell in plan.cells {
            _ = try await platform.organisation.createGridCell(
                NewGridCell(code: cell.code, name: cell.name, geometry: cell.polygon), by: system)
        }
        var departmentsByKind: [String: Department] = [:]
        var departments: [Department] = []
        for department in plan.departments {
            guard let area = areasByCode[department.areaCode] else { continue }
            let created = try await platform.organisation.createDepartment(
                NewDepartment(
                    code: department.code, name: department.name, kind: department.kind, areaId: area.id,
                    phone: department.phone), by: system)
            departmentsByKind["\(department.areaCode)/\(department.kind.rawValue)"] = created
            departments.append(created)
        }

        _ = try await platform.matters.importCatalogue(try MatterService.defaultCatalogue(), by: system)
        try await addRoutingRules(areasByCode: areasByCode, departments: departmentsByKind)

        let people: [(String, String, [Role], String, String?, String)] = [
            ("admin", "系统管理员", [.admin], "320500", nil, "city administrator"),
            ("leader", "王市长", [.leader], "320500", nil, "city leader: cockpit, supervision"),
            ("supervisor", "李值班长", [.supervisor], "320500", nil, "shift supervisor: files and closes cases"),
            ("dispatcher", "张派遣员", [.dispatcher], "320500", nil, "dispatcher"),
            ("intake", "赵受理员", [.intake], "320500", nil, "intake operator (12345, citizens)"),
            ("leader.gusu", "陈区长", [.leader], "320508", nil, "姑苏区 district leader"),
            ("inspector.pingjiang", "刘监督员", [.inspector], "320508001", nil, "平江街道 street inspector"),
            ("inspector.canglang", "孙监督员", [.inspector], "320508002", nil, "沧浪街道 street inspector"),
            ("handler.sanitation", "周处置员", [.handler], "320500", "320500/sanitation", "city sanitation department"),
            ("handler.municipal", "吴处置员", [.handler], "320500", "320500/municipal", "municipal facilities"),
            ("handler.gusu.sanitation", "郑处置员", [.handler], "320508", "320508/sanitation", "姑苏区 sanitation"),
            ("handler.gas", "钱抢修队长", [.handler], "320500", "320500/gas", "gas company repair team leader (phone)"),
        ]
        var accounts: [Account] = []
        for (username, name, roles, areaCode, departmentKey, note) in people {
            guard let area = areasByCode[areaCode] else { continue }
            let password = Self.randomPassword()
            _ = try await platform.people.createUser(
                NewUser(
                    username: username, displayName: name, password: password, roles: roles, areaId: area.id,
                    departmentId: departmentKey.flatMap { departmentsByKind[$0]?.id }), by: system)
            accounts.append(
                Account(
                    username: username, password: password, roles: roles,
                    area: "\(area.name) \(area.code)", note: note))
        }
        let citizenPassword = Self.randomPassword()
        let citizen = try await platform.people.registerCitizen(
            NewCitizen(
                phone: "13800000000", displayName: "市民小王",
                password: citizenPassword))
        let key = try await platform.people.createAPIKey(
            NewAPIKey(
                name: "demo gateway and Open311 app", scopes: KeyScope.general,
                areaId: areasByCode["320500"]!.id), by: system)
        try await DemoDevices(platform: platform).build(cells: plan.cells, departments: departmentsByKind)
        try await DemoVideo(platform: platform).build(cells: plan.cells)
        if let sanitation = departmentsByKind["320500/sanitation"], let city = areasByCode["320500"] {
            try await DemoDataHub(platform: platform).build(cells: plan.cells, owner: sanitation, city: city)
        }
        let staff = try await fieldStaff(areasByCode: areasByCode, departments: departments)
        try await DemoCases(platform: platform, staff: staff, citizen: .citizen(citizen), machine: .key(key.key))
            .build(now: platform.now())
        try await DemoTelemetry(platform: platform).build(now: platform.now(), gateway: .key(key.key))
        try await DemoIndicators(platform: platform).build(now: platform.now())
        try await DemoEmergency(
            platform: platform, staff: staff, areasByCode: areasByCode,
            departmentsByCode: Dictionary(departments.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        )
        .build(cells: plan.cells, now: platform.now())
        return Credentials(
            accounts: accounts, citizenPhone: "13800000000", citizenPassword: citizenPassword,
            apiKey: key.secret)
    }

    /// An inspector for every street and a handler for every department, beside the listed
    /// accounts, so every case in the demo is worked by someone entitled to (their passwords are
    /// random and not printed: set one with `chengyun user passwd`).
    private func fieldStaff(areasByCode: [String: Area], departments: [Department]) async throws -> DemoStaff {
        var existing = try await platform.people.listUsers(
            role: nil, departmentId: nil, page: PageRequest(limit: 500), by: .system
        ).items
        for street in areasByCode.values where street.level == .street {
            if !existing.contains(where: { $0.roles.contains(.inspector) && $0.areaId == street.id }) {
                existing.append(
                    try await platform.people.createUser(
                        NewUser(
                            username: "inspector.\(street.code)", displayName: "\(street.name)监督员",
                            password: Self.randomPassword(),
                            roles: [.inspector], areaId: street.id), by: .system))
            }
        }
        for department in departments where !existing.contains(where: { $0.departmentId == department.id }) {
            existing.append(
                try await platform.people.createUser(
                    NewUser(
                        username: "handler.\(department.code.lowercased())", displayName: "\(department.name)处置员",
                        password: Self.randomPassword(), roles: [.handler], areaId: department.areaId,
                        departmentId: department.id), by: .system))
        }
        let principal = { (username: String) in Principal.staff(existing.first { $0.username == username }!) }
        let inspectors = existing.filter { $0.roles.contains(.inspector) }.map {
            (path: $0.areaPath, principal: Principal.staff($0))
        }
        var handlers: [String: Principal] = [:]
        for user in existing where user.roles.contains(.handler) {
            if let id = user.departmentId, handlers[id] == nil { handlers[id] = .staff(user) }
        }
        return DemoStaff(
            intake: principal("intake"), supervisor: principal("supervisor"), dispatcher: principal("dispatcher"),
            inspectors: inspectors, handlers: handlers, rules: try await platform.matters.rules(by: .system),
            fallbackDepartment: departments.first { $0.code == "D3205004" }?.id ?? departments[0].id)
    }

    /// City-wide rules per matter, district overrides for everyday matters, and a fallback to the
    /// city's enforcement detachment for anything without a rule.
    private func addRoutingRules(areasByCode: [String: Area], departments: [String: Department]) async throws {
        guard let city = areasByCode["320500"], let fallback = departments["320500/enforcement"] else { return }
        _ = try await platform.matters.addRule(
            NewRoutingRule(matterId: nil, areaId: city.id, departmentIds: [fallback.id]),
            by: .system)
        for matter in try await platform.matters.all() {
            if let department = departments["320500/\(DemoRouting.cityKind(for: matter).rawValue)"] {
                _ = try await platform.matters.addRule(
                    NewRoutingRule(
                        matterId: matter.id, areaId: city.id,
                        departmentIds: [department.id]), by: .system)
            }
            guard let kind = DemoRouting.districtKind(for: matter) else { continue }
            for district in DemoCityPlan.districts {
                if let area = areasByCode[district.code],
                    let department = departments["\(district.code)/\(kind.rawValue)"]
                {
                    _ = try await platform.matters.addRule(
                        NewRoutingRule(
                            matterId: matter.id, areaId: area.id,
                            departmentIds: [department.id]), by: .system)
                }
            }
        }
    }

    /// 14 characters from four classes, so it always meets the password policy.
    public static func randomPassword() -> String {
        var rng = SystemRandomNumberGenerator()
        let lower = Array("abcdefghijkmnpqrstuvwxyz"), upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ"),
            digits = Array("23456789")
        var chars: [Character] = [
            lower.randomElement(using: &rng)!, upper.randomElement(using: &rng)!,
            digits.randomElement(using: &rng)!, "-",
        ]
        let all = lower + upper + digits
        while chars.count < 14 { chars.append(all.randomElement(using: &rng)!) }
        return String(chars.shuffled(using: &rng))
    }

    /// Writes the credentials file readable by its owner only.
    public static func write(_ credentials: Credentials, toDirectory directory: String) throws -> String {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("demo-credentials.txt").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        FileManager.default.createFile(
            atPath: path, contents: Data(credentials.text.utf8),
            attributes: [.posixPermissions: 0o600])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }
}
