import ChengyunCore
import ChengyunStore

/// A small city for case tests: 姑苏区 with two streets (平江, 沧浪), one community and one grid
/// cell in each, a city and a district sanitation department, the default matters, and a
/// rule sending exposed garbage (E0102) in 姑苏区 to the district's sanitation unit.
public struct CaseFixture: Sendable {
    public var city: Area, district: Area, streetA: Area, streetB: Area
    public var cellA: GridCell, cellB: GridCell
    public var citySanitation: Department, districtSanitation: Department
    public var garbage: Matter, dirtyRoad: Matter, roadCollapse: Matter

    /// Positions inside cell A (平江) and cell B (沧浪).
    public static let pointA = GeoPoint(lon: 120.6005, lat: 31.3004)
    public static let pointB = GeoPoint(lon: 120.6105, lat: 31.3004)

    public static func make(_ platform: Platform) async throws -> CaseFixture {
        let org = platform.organisation
        _ = try await platform.catalogue.importTree(try CategoryRepository.defaultTree(), by: .system)
        _ = try await platform.matters.importCatalogue(try MatterService.defaultCatalogue(), by: .system)
        let city = try await org.createArea(
            NewArea(code: "320500", name: "苏州市", level: .city, parentId: nil), by: .system)
        let district = try await org.createArea(
            NewArea(code: "320508", name: "姑苏区", level: .district, parentId: city.id), by: .system)
        let streetA = try await org.createArea(
            NewArea(code: "320508001", name: "平江街道", level: .street, parentId: district.id), by: .system)
        let streetB = try await org.createArea(
            NewArea(code: "320508002", name: "沧浪街道", level: .street, parentId: district.id), by: .system)
        let communityA = try await org.createArea(
            NewArea(code: "320508001001", name: "东园社区", level: .community, parentId: streetA.id), by: .system)
        let communityB = try await org.createArea(
            NewArea(code: "320508002001", name: "西园社区", level: .community, parentId: streetB.id), by: .system)
        // 300 m × 100 m cells, wide enough to hold reports some tens of metres apart.
        func square(_ lon: Double) throws -> GeoPolygon {
            try GeoPolygon(rings: [
                [
                    GeoPoint(lon: lon, lat: 31.3), GeoPoint(lon: lon + 0.00315, lat: 31.3),
                    GeoPoint(lon: lon + 0.00315, lat: 31.3009), GeoPoint(lon: lon, lat: 31.3009),
                ]
            ])
        }
        let cellA = try await org.createGridCell(
            NewGridCell(code: "32050800100101", name: "东园第1网格", geometry: try square(120.6)), by: .system)
        let cellB = try await org.createGridCell(
            NewGridCell(code: "32050800200101", name: "西园第1网格", geometry: try square(120.61)), by: .system)
        let citySanitation = try await org.createDepartment(
            NewDepartment(
                code: "D-CITY-SAN", name: "市环卫处", kind: .sanitation,
                areaId: city.id, phone: nil), by: .system)
        let districtSanitation = try await org.createDepartment(
            NewDepartment(
                code: "D-GUSU-SAN", name: "姑苏区环卫所", kind: .sanitation,
                areaId: district.id, phone: nil), by: .system)
        let matters = try await platform.matters.all()
        let garbage = matters.first { $0.code == "E0102" }!
        _ = try await platform.matters.addRule(
            NewRoutingRule(
                matterId: garbage.id, areaId: district.id,
                departmentIds: [districtSanitation.id]), by: .system)
        return CaseFixture(
            city: city, district: district, streetA: streetA, streetB: streetB, cellA: cellA, cellB: cellB,
            citySanitation: citySanitation, districtSanitation: districtSanitation, garbage: garbage,
            dirtyRoad: matters.first { $0.code == "E0104" }!, roadCollapse: matters.first { $0.code == "E0401" }!)
    }

    /// A staff principal of `role`, scoped to `area`.
    public func staff(_ role: Role, in area: Area? = nil, department: Department? = nil) -> Principal {
        let area = area ?? city
        return Principal(
            kind: .staff, id: "u-\(role.rawValue)-\(area.code)", name: role.rawValue, roles: [role],
            scope: AreaScope(areaId: area.id, path: area.path), departmentId: department?.id)
    }

    /// A staff principal of `role` behind a real account named `username` — for what judges the
    /// account as it stands now (a subscription's owner).
    public func account(
        _ platform: Platform, _ username: String, _ role: Role, in area: Area? = nil, department: Department? = nil
    ) async throws -> Principal {
        let user = try await platform.people.createUser(
            NewUser(
                username: username, displayName: username, password: "Chengyun-2026!", roles: [role],
                areaId: (area ?? city).id, departmentId: department?.id), by: .system)
        return .staff(user)
    }

    public var citizen: Principal { Principal(kind: .citizen, id: "citizen-1", name: "市民", scope: nil) }
}
