import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import SQLKit
import Testing

@Suite struct DemoCityTests {
    static func count(_ table: String, _ platform: Platform) async throws -> Int {
        try await platform.pool.read {
            try await $0.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()?
                .decode(column: "n", as: Int.self) ?? -1
        }
    }

    /// Counts exactly, so it builds a city of its own: other tests add devices, users and alarms to
    /// the shared demo while this one reads (AccessTests, ScopeTests, AttachmentTests).
    @Test(arguments: TestBackend.available) func theDemoCityHasEverythingTheIssueAsksFor(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let credentials = try await DemoCity(platform: platform).build()
            try await Self.checkEverythingTheIssueAsksFor(platform, credentials)
        }
    }

    private static func checkEverythingTheIssueAsksFor(_ platform: Platform, _ credentials: DemoCity.Credentials)
        async throws
    {
        #expect(try await Self.count("areas", platform) == 56)
        #expect(try await Self.count("grid_cells", platform) == 420)
        // A lamp pole per cell, a manhole cover in every third, an environment station per street, a
        // gas monitor at each of the 4 gas hazard sources, a vehicle terminal in 10 fire engines, a
        // camera in 4 cells (DemoVideo) with a detection each to review.
        #expect(try await Self.count("devices", platform) == 420 + 140 + 12 + 4 + 10 + 4)
        #expect(try await Self.count("video_detections", platform) == 4)
        // A day of readings; the alarms the demo data is made to raise (DemoTelemetry).
        let open = try await PageRequest.all {
            try await platform.alarms.list(.init(open: true), page: $0, by: .system)
        }
        #expect(
            Set(open.map(\.ruleId)) == [
                "environment.pm25", "environment.pm10", "lamp_pole.lamp_failure", "lamp_pole.offline",
                "manhole_cover.opened", "manhole_cover.tilted", "manhole_cover.battery_low",
            ])
        let openedAlarm = open.first { $0.ruleId == "manhole_cover.opened" }
        #expect(openedAlarm?.caseId != nil, "the opened cover opens a case: \(openedAlarm?.caseError ?? "-")")
        // The lamp pole made to fall silent, and the 14 emergency devices that have not reported yet.
        #expect(
            try await platform.devices.list(kindCode: nil, state: .offline, page: PageRequest(), by: .system).items
                .count == 1 + 14)
        #expect(try await Self.count("departments", platform) == 23)
        // The 12 listed accounts, an inspector for each of the other 10 streets, a handler for each of the other 19 departments.
        #expect(try await Self.count("users", platform) == 41)
        // Emergency command: three plans, 300 resources all back at base, a gas leak worked to its
        // review and a drill, both closed.
        #expect(try await platform.plans.list().map(\.code) == ["fire", "gas-leak", "urban-flood"])
        let fleet = try await platform.emergency.list(kind: nil, status: nil, capability: nil, by: .system)
        #expect(fleet.count == 300 && fleet.allSatisfy { $0.status == .available })
        let incidents = try await platform.incidents.list(status: .closed, drill: nil, by: .system)
        #expect(incidents.map(\.drill).sorted { !$0 && $1 } == [false, true])
        let leak = try #require(incidents.first { !$0.drill })
        let review = try await platform.incidents.review(leak.id, by: .system)
        #expect(
            review.tasks.count == 8 && review.tasksDone == 8
                && review.resources.allSatisfy { $0.assigned == $0.requested })
        #expect(try await Self.count("citizens", platform) == 1)
        #expect(try await Self.count("api_keys", platform) == 1)
        #expect(try await Self.count("minor_categories", platform) == 52)
        let roles = Set(credentials.accounts.flatMap(\.roles))
        #expect(roles == Set(Role.allCases), "a demo user for every role")
        for account in credentials.accounts {
            let login = try await platform.auth.loginStaff(username: account.username, password: account.password)
            #expect(login.principal.roles == Set(account.roles))
        }
        #expect(try await platform.auth.authenticate(apiKey: credentials.apiKey)?.keyScopes == Set(KeyScope.general))
        #expect(try await platform.auditLog.verify(platform.pool).firstBreak == nil)
    }

    @Test(arguments: TestBackend.available) func theDemoCityHasCasesInEveryState(backend: TestBackend) async throws {
        let (platform, _) = try await DemoFixture.shared.platform(backend)
        var filter = CaseRepository.Filter(scopePath: nil)
        for state in CaseState.allCases {
            filter.states = [state]
            let found = try await platform.cases.search(filter, page: PageRequest(limit: 500), by: .system).items
            #expect(found.count >= 5, "only \(found.count) cases are \(state.rawValue)")
        }
        filter.states = []
        let all = try await platform.cases.search(filter, page: PageRequest(limit: 500), by: .system).items
        #expect(all.count >= 300)
        #expect(Set(all.map(\.source)).isSuperset(of: [.inspector, .citizen, .hotline, .machine]))
        let closed = try #require(all.first { $0.state == .closed })
        let detail = try await platform.cases.detail(id: closed.id, by: .system)
        #expect(detail.events.first?.action == "report" && detail.events.last?.action == "close")
        #expect(detail.events.map(\.at) == detail.events.map(\.at).sorted(), "history runs forward in time")
    }

    @Test(arguments: TestBackend.available) func theDemoIsBuiltOnlyIntoAnEmptyDatabase(backend: TestBackend)
        async throws
    {
        let (platform, _) = try await DemoFixture.shared.platform(backend)
        #expect(try await DemoCity(platform: platform).isNeeded() == false)
        await #expect(throws: DemoCity.AlreadyPopulated.self) { try await DemoCity(platform: platform).build() }
    }

    /// Point-in-polygon on the demo grid: every cell's centroid locates to that cell, and points
    /// outside the city locate to none.
    @Test(arguments: TestBackend.available) func everyDemoCellIsFoundFromItsCentroid(backend: TestBackend) async throws
    {
        let (platform, _) = try await DemoFixture.shared.platform(backend)
        var page = PageRequest(limit: 500)
        var cells: [GridCell] = []
        while true {
            let result = try await platform.organisation.listGridCells(areaId: nil, page: page, by: .system)
            cells += result.items
            guard let next = result.nextCursor else { break }
            page = try PageRequest(cursor: next, limit: "500")
        }
        #expect(cells.count == 420)
        for cell in cells {
            let found = try await platform.organisation.locate(cell.geometry.centroid, by: .system)
            #expect(found?.code == cell.code)
        }
        #expect(try await platform.organisation.locate(GeoPoint(lon: 121.5, lat: 31.2), by: .system) == nil)
    }

    @Test(arguments: TestBackend.available) func listsPageWithCursors(backend: TestBackend) async throws {
        let (platform, _) = try await DemoFixture.shared.platform(backend)
        var seen: [String] = []
        var page = PageRequest(limit: 100)
        var pages = 0
        while true {
            let result = try await platform.organisation.listGridCells(areaId: nil, page: page, by: .system)
            seen += result.items.map(\.id)
            pages += 1
            guard let next = result.nextCursor else { break }
            page = try PageRequest(cursor: next, limit: "100")
        }
        #expect(pages == 5)
        #expect(seen.count == 420)
        #expect(Set(seen).count == 420)
        #expect(seen == seen.sorted())
        #expect(throws: DomainError.self) { try PageRequest(cursor: "!!!", limit: "10") }
        #expect(throws: DomainError.self) { try PageRequest(cursor: nil, limit: "0") }
    }
}
