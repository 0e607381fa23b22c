import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Testing

@Suite struct OrganisationServiceTests {
    /// A small tree: city 320500 → district 320508 → streets 001 and 002 → one community each.
    struct Tree {
        var city: Area, district: Area, streetA: Area, streetB: Area, communityA: Area, communityB: Area
    }

    static func makeTree(_ platform: Platform) async throws -> Tree {
        let org = platform.organisation
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
        return Tree(
            city: city, district: district, streetA: streetA, streetB: streetB, communityA: communityA,
            communityB: communityB)
    }

    static func square(lon: Double, lat: Double, size: Double = 0.001) throws -> GeoPolygon {
        try GeoPolygon(rings: [
            [
                GeoPoint(lon: lon, lat: lat), GeoPoint(lon: lon + size, lat: lat),
                GeoPoint(lon: lon + size, lat: lat + size), GeoPoint(lon: lon, lat: lat + size),
            ]
        ])
    }

    @Test(arguments: TestBackend.available) func areasFormATreeWithPaths(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let tree = try await Self.makeTree(platform)
            #expect(
                tree.communityA.path == "/\(tree.city.id)/\(tree.district.id)/\(tree.streetA.id)/\(tree.communityA.id)/"
            )
            let streets = try await platform.organisation.listAreas(
                level: .street, parentId: nil, page: PageRequest(), by: .system)
            #expect(streets.items.map(\.code) == ["320508001", "320508002"])
            let children = try await platform.organisation.listAreas(
                level: nil, parentId: tree.streetA.id, page: PageRequest(), by: .system)
            #expect(children.items.map(\.code) == ["320508001001"])
        }
    }

    @Test(arguments: TestBackend.available) func badAreasAreRefusedWithReasons(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let tree = try await Self.makeTree(platform)
            let org = platform.organisation
            await #expect(
                throws: DomainError.validation([
                    FieldIssue(
                        field: "code", code: "code_outside_parent",
                        message: "The code must start with its parent's code 320508.")
                ])
            ) {
                try await org.createArea(
                    NewArea(code: "320506003", name: "x", level: .street, parentId: tree.district.id), by: .system)
            }
            do {
                _ = try await org.createArea(
                    NewArea(code: "320508001", name: "dup", level: .street, parentId: tree.district.id), by: .system)
                Issue.record("a duplicate code was accepted")
            } catch let error as DomainError {
                #expect(error.code == "duplicate_code")
            }
        }
    }

    @Test(arguments: TestBackend.available) func scopeLimitsWhatAStreetUserSeesAndWrites(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let tree = try await Self.makeTree(platform)
            let org = platform.organisation
            let streetA = Principal(
                kind: .staff, id: "u", name: "u", roles: [.admin],
                scope: AreaScope(areaId: tree.streetA.id, path: tree.streetA.path))
            let visible = try await org.listAreas(level: nil, parentId: nil, page: PageRequest(), by: streetA)
            #expect(Set(visible.items.map(\.code)) == ["320508001", "320508001001"])
            await #expect(throws: DomainError.outOfScope()) { try await org.area(id: tree.streetB.id, by: streetA) }
            await #expect(throws: DomainError.outOfScope()) {
                try await org.createArea(
                    NewArea(code: "320508002009", name: "x", level: .community, parentId: tree.streetB.id), by: streetA)
            }
            // Only the platform makes a new root city.
            await #expect(throws: DomainError.outOfScope()) {
                try await org.createArea(NewArea(code: "330100", name: "杭州市", level: .city, parentId: nil), by: streetA)
            }
        }
    }

    @Test(arguments: TestBackend.available) func gridCellsBelongToTheCommunityTheirCodeNames(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let tree = try await Self.makeTree(platform)
            let org = platform.organisation
            let cell = try await org.createGridCell(
                NewGridCell(code: "32050800100101", name: "东园第1网格", geometry: try Self.square(lon: 120.6, lat: 31.3)),
                by: .system)
            #expect(cell.areaId == tree.communityA.id)
            #expect(cell.areaPath == tree.communityA.path)
            let found = try await org.locate(GeoPoint(lon: 120.6005, lat: 31.3005), by: .system)
            #expect(found?.id == cell.id)
            #expect(try await org.locate(GeoPoint(lon: 120.7, lat: 31.3005), by: .system) == nil)

            // Moving the polygon moves the index entry with it.
            _ = try await org.updateGridCell(
                id: cell.id, GridCellChange(name: nil, geometry: try Self.square(lon: 120.7, lat: 31.3)), by: .system)
            #expect(try await org.locate(GeoPoint(lon: 120.6005, lat: 31.3005), by: .system) == nil)
            #expect(try await org.locate(GeoPoint(lon: 120.7005, lat: 31.3005), by: .system)?.id == cell.id)

            try await org.deleteGridCell(id: cell.id, by: .system)
            #expect(try await org.locate(GeoPoint(lon: 120.7005, lat: 31.3005), by: .system) == nil)

            do {
                _ = try await org.createGridCell(
                    NewGridCell(
                        code: "32050899900101", name: "x",
                        geometry: try Self.square(lon: 1, lat: 1)), by: .system)
                Issue.record("a cell of an unknown community was accepted")
            } catch let error as DomainError {
                #expect(error.issues.map(\.code) == ["unknown_community"])
            }
        }
    }

    @Test(arguments: TestBackend.available) func departmentsAreScopedByTheirArea(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let tree = try await Self.makeTree(platform)
            let org = platform.organisation
            let a = try await org.createDepartment(
                NewDepartment(
                    code: "D-A", name: "平江环卫", kind: .sanitation,
                    areaId: tree.streetA.id, phone: nil), by: .system)
            _ = try await org.createDepartment(
                NewDepartment(
                    code: "D-B", name: "沧浪环卫", kind: .sanitation,
                    areaId: tree.streetB.id, phone: nil), by: .system)
            let streetA = Principal(
                kind: .staff, id: "u", name: "u", roles: [.admin],
                scope: AreaScope(areaId: tree.streetA.id, path: tree.streetA.path))
            let listed = try await org.listDepartments(kind: .sanitation, page: PageRequest(), by: streetA)
            #expect(listed.items.map(\.code) == ["D-A"])
            let changed = try await org.updateDepartment(
                id: a.id, DepartmentChange(name: nil, kind: nil, phone: "0512-1", active: false),
                by: streetA)
            #expect(changed.phone == "0512-1")
            #expect(!changed.active)
        }
    }
}
