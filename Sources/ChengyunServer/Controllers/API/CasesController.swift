import ChengyunCore
import ChengyunStore
import Foundation
import Hummingbird

/// The case loop over HTTP: reports from every channel, the steps, queues, search and detail.
struct CasesController {
    let platform: Platform
    let throttle: Throttle
    let web: WebSettings

    static let reporters = Access.any([
        .staff([.inspector, .intake, .supervisor]), .citizen, .key(.casesCreate), .key(.open311Submit),
    ])

    /// What a case search filters on (`filter(_:)` reads them).
    static let searchFilters: [RouteParameter] = [
        .query("state", .string, "comma-separated states"), .query("matterId"),
        .query("areaId", .string, "this area and below"), .query("departmentId"), .query("source"),
        .query("overdue", .boolean, "running stage past its deadline"),
        .query("from", .integer(), "reported at or after (epoch ms)"),
        .query("to", .integer(), "reported before (epoch ms)"),
        .query("q", .string, "text in description, number or address"),
    ]

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        // Staff see the whole outcome; citizens and machine keys a receipt of their own report.
        routes.on(
            .post, "cases", Self.reporters,
            RouteDoc(
                "Report a problem: inspectors, intake operators (intake or hotline), citizens and machine keys; duplicates nearby are merged",
                .cases, body: .json(NewReport.self), status: 201,
                success: .ok(
                    .jsonOneOf(
                        ["ReportOutcome", "PublicReportReceipt"],
                        description: "Staff get the whole outcome; citizens and machine keys a PublicReportReceipt"),
                    "Created", status: 201),
                answers: [
                    .problem(
                        403,
                        "Role not allowed, outside scope (out_of_scope), not the caller's department (not_your_case); cross_site_request (cookie-borne write from another site)"
                    )
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewReport.self, context: context)
            let outcome = try await platform.cases.report(input, by: principal)
            if principal.kind == .staff {
                return try JSONBody(outcome, status: .created).response(from: request, context: context)
            }
            return try JSONBody(outcome.receipt, status: .created).response(from: request, context: context)
        }
        // A citizen without an account reports with a contact, so they can be told the outcome.
        // For the public only: staff and machine keys report through POST /cases.
        routes.onPublic(
            .post, "public/reports",
            RouteDoc(
                "Report without an account (a contact is required; public matters only, no urgency); staff and machine keys are refused",
                .cases, body: .json(NewReport.self), status: 201,
                answers: [
                    .problem(
                        403, "not_public: a staff session or machine key (they report through POST /api/v1/cases)"),
                    .rateLimited("rate_limited: too many reports from this address"),
                ])
        ) { request, context in
            if let principal = context.principal, principal.kind != .citizen {
                throw Problem(
                    status: .forbidden, code: "not_public",
                    detail:
                        "public/reports is for the public; staff and machine keys report through POST /api/v1/cases.")
            }
            try await throttle.check([("public-report:\(context.clientAddress)", web.publicReportsPerMinutePerAddress)])
            let input = try await request.decodeStrict(NewReport.self, context: context)
            return JSONBody(
                try await platform.cases.report(input, by: context.principal ?? .anonymousCitizen).receipt,
                status: .created)
        }
        // 12345 hotline work orders as CSV: good lines become cases, bad ones are listed with reasons.
        routes.on(
            .post, "cases/import", .staff([.intake]),
            RouteDoc(
                "Import 12345 hotline work orders (CSV with a header: matter_code, description, lon, lat; optional address, urgency, reporter_name, reporter_contact, hotline_id). Good lines become cases; each bad line is listed with its reason. The file is UTF-8, or in the charset its Content-Type names (text/csv; charset=GBK: GBK, GB2312, GB18030, windows-1252).",
                .cases, body: .csv, outcome: "Per-line results",
                answers: [
                    .problem(400, "Not in its charset (invalid_encoding)"),
                    .problem(415, "Not text/csv, or a charset not read (unsupported_charset)"),
                    .problem(422, "No header or missing columns"),
                ])
        ) { request, context, principal in
            var request = request
            return JSONBody(
                try await HotlineImport(platform: platform).run(csv: try await request.csvText(), by: principal))
        }
        routes.on(
            .get, "cases", .allStaff,
            RouteDoc(
                "Search cases in scope", .cases,
                parameters: Self.searchFilters + [.query("cursor"), .query("limit", .integer())],
                answers: [
                    .problem(
                        403,
                        "Role not allowed, outside scope (out_of_scope), not the caller's department (not_your_case)")
                ])
        ) { request, _, principal in
            JSONBody(
                try await platform.cases.search(try filter(request), page: try request.pageRequest(), by: principal))
        }
        // Streams the whole search result a page at a time: nothing is buffered whole.
        routes.on(
            .get, "cases.csv", .allStaff,
            RouteDoc(
                "Export a case search as CSV, streamed page by page (same filters as GET /api/v1/cases)", .cases,
                parameters: Self.searchFilters, success: .ok(.csv, "CSV (UTF-8 with BOM)"),
                answers: [.problem(400, "Bad filter")])
        ) { request, _, principal in
            let filter = try filter(request)
            let names = Dictionary(uniqueKeysWithValues: try await platform.matters.all().map { ($0.id, $0.name) })
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: CSV.byteOrderMark + CSV.line(Self.csvColumns)))
                try await PageRequest.forEachPage({ try await platform.cases.search(filter, page: $0, by: principal) })
                { cases in
                    try await writer.write(
                        ByteBuffer(
                            string: cases.map { CSV.line(Self.csvRow($0, matterName: names[$0.matterId])) }.joined()))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: CSV.headers(filename: "cases.csv"), body: body)
        }
        routes.on(
            .get, "cases/queue", .allStaff,
            RouteDoc(
                "What waits for the caller's roles, most urgent and nearest deadline first", .cases,
                answers: [
                    .problem(
                        403,
                        "Role not allowed, outside scope (out_of_scope), not the caller's department (not_your_case)")
                ])
        ) { _, _, principal in
            JSONBody(Listing(items: try await platform.cases.queue(by: principal)))
        }
        // Staff see the whole case; a citizen or a machine key sees its own report's public view.
        routes.on(
            .get, "cases/{id}", .authenticated,
            RouteDoc(
                "A case with its matter version, timeline, stages, reporters, clock and the actions the caller may take (staff); a citizen's or key's own report as ReportProgress",
                .cases, parameters: [.path("id", "Case id (or, for reading, its number)")],
                success: .ok(.jsonOneOf(["CaseDetail", "ReportProgress"], description: nil), "OK"),
                answers: [
                    .problem(
                        403,
                        "Role not allowed, outside scope (out_of_scope), not the caller's department (not_your_case)")
                ], alsoShared: [.validationFailed, .badRequest])
        ) { request, context, principal in
            guard principal.kind == .staff else {
                return try JSONBody(try await platform.followUp.own(id: try context.id(), by: principal)).response(
                    from: request, context: context)
            }
            return try JSONBody(try await platform.cases.detail(id: try context.id(), by: principal)).response(
                from: request, context: context)
        }
        routes.on(
            .post, "cases/{id}/actions", .allStaff,
            RouteDoc(
                "Take one step of the loop", .cases, parameters: [.path("id", "Case id (or, for reading, its number)")],
                body: .json(CaseActionInput.self),
                answers: [
                    .problem(
                        403,
                        "Role not allowed, outside scope (out_of_scope), not the caller's department (not_your_case); cross_site_request (cookie-borne write from another site)"
                    ), .problem(409, "invalid_transition (wrong state) or concurrent_update"),
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(CaseActionInput.self, context: context)
            return JSONBody(try await platform.cases.act(caseId: try context.id(), input, by: principal))
        }
        return routes
    }

    static let csvColumns = [
        "number", "state", "matter_code", "matter", "urgency", "source", "description", "address", "lon", "lat",
        "area_id", "departments", "reported_at", "filed_at", "closed_at", "stage_deadline", "reopen_count",
        "rework_count", "duplicate_of",
    ]

    static func csvRow(_ c: Case, matterName: String?) -> [String] {
        let time = { (value: Int64?) in value.map { EpochMillis.iso8601($0) } ?? "" }
        return [
            c.number, c.state.rawValue, c.matterCode, matterName ?? "", c.urgency.rawValue, c.source.rawValue,
            c.description,
            c.address ?? "", String(c.lon), String(c.lat), c.areaId, c.departmentIds.joined(separator: ";"),
            time(c.reportedAt),
            time(c.filedAt), time(c.closedAt), time(c.stageDeadline), String(c.reopenCount), String(c.reworkCount),
            c.duplicateOf ?? "",
        ]
    }

    /// Search filters from the query string: state (comma-separated), matterId, areaId,
    /// departmentId, source, overdue=true, from/to (epoch ms), q (text).
    private func filter(_ request: Request) throws -> CaseRepository.Filter {
        var filter = CaseRepository.Filter(scopePath: nil)
        var validator = Validator()
        if let states = request.query("state") {
            filter.states = states.split(separator: ",").compactMap { CaseState(rawValue: String($0)) }
            validator.check(
                filter.states.count == states.split(separator: ",").count, "state", "invalid_value",
                "Known states: \(CaseState.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        filter.matterId = request.query("matterId")
        filter.departmentId = request.query("departmentId")
        filter.source = try request.queryEnum("source", CaseSource.self)
        filter.text = request.query("q")
        if request.query("overdue") == "true" { filter.overdueAt = platform.now() }
        for (name, keyPath) in [
            ("from", \CaseRepository.Filter.reportedFrom), ("to", \CaseRepository.Filter.reportedTo),
        ] {
            if let text = request.query(name) {
                let value = Int64(text)
                validator.check(value != nil, name, "invalid_value", "\(name) is epoch milliseconds.")
                filter[keyPath: keyPath] = value
            }
        }
        try validator.finish()
        filter.areaId = request.query("areaId")
        return filter
    }
}

extension HotlineImport.Report: NamedSchema {
    static var schemaName: String { "HotlineImportReport" }
}
