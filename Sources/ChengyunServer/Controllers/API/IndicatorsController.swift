import ChengyunCore
import ChengyunStore
import Hummingbird

/// City vital signs over HTTP: the tree with its values now (or at an instant), a computation
/// kept as history, figures put in for imported indicators, history and forecasts.
struct IndicatorsController {
    let platform: Platform
    static let readers = Access.staff([.leader, .admin, .supervisor, .dispatcher])

    /// The tree worked out for the request's `areaId` and `at`; `record` keeps the values as history.
    private func compute(_ request: Request, record: Bool, by principal: Principal) async throws -> IndicatorReport {
        try await platform.indicators.compute(
            areaId: request.query("areaId"), at: try request.queryInstant("at"), record: record, by: principal)
    }

    /// The area and the moment an indicator is worked out for.
    static let areaAndInstant: [RouteParameter] = [
        .query("areaId", .string, "an area within the caller's scope; default the caller's own"),
        .query("at", .integer(), "epoch ms (or ISO 8601) inside the periods wanted; default now"),
    ]

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "indicators", Self.readers,
            RouteDoc(
                "The indicator tree worked out now (or at `at`) for an area: each indicator over its own period, with value and colour; nothing is kept",
                .indicators,
                parameters: Self.areaAndInstant, answers: [.problem(404, "not_found (area)")])
        ) { request, _, principal in
            JSONBody(try await compute(request, record: false, by: principal))
        }
        routes.on(
            .post, "indicators/compute", .staff([.leader, .admin, .supervisor]),
            RouteDoc(
                "Work the tree out and keep the values as history (the schedule does this every 15 minutes for the city and its districts)",
                .indicators,
                parameters: Self.areaAndInstant, answers: [.problem(404, "not_found (area)")])
        ) { request, _, principal in
            JSONBody(try await compute(request, record: true, by: principal))
        }
        routes.on(
            .get, "indicators/tree", Self.readers,
            RouteDoc(
                "The indicator tree in force (an administrator's, else the shipped default: clean, tidy, orderly, safe, people satisfied)",
                .indicators)
        ) { _, _, _ in
            JSONBody(IndicatorTreeBody(indicators: try await platform.indicators.tree()))
        }
        routes.on(
            .put, "indicators/tree", .platformAdmin,
            RouteDoc(
                "Replace the whole tree; refused with the field that is wrong (levels, parents, thresholds out of order, formulas that do not read — line and column — or name unknown indicators, loops)",
                .indicators, body: .json(IndicatorTreeInput.self),
                answers: [
                    .problem(
                        403,
                        "Role not allowed or area outside the caller's scope; cross_site_request (cookie-borne write from another site); platform_admin_required (an administrator below the whole platform)"
                    )
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(IndicatorTreeInput.self, context: context)
            return JSONBody(
                IndicatorTreeBody(indicators: try await platform.indicators.setTree(input.indicators, by: principal)))
        }
        routes.on(
            .post, "indicators/{code}/values", .staff([.admin]),
            RouteDoc(
                "Put in figures of an imported indicator (population, built-up area…): one per area and period, replacing what was there",
                .indicators, parameters: [.path("code", "indicator code, e.g. city.clean.pm25")],
                body: .json(ImportedFiguresInput.self),
                answers: [.problem(409, "not_imported: the indicator is computed")])
        ) { request, context, principal in
            let code = try context.parameters.require("code")
            let input = try await request.decodeStrict(ImportedFiguresInput.self, context: context)
            return JSONBody(
                Listing(items: try await platform.indicators.importValues(code: code, input.items, by: principal)))
        }
        routes.on(
            .post, "indicators/{code}/values.csv", .staff([.admin]),
            RouteDoc(
                "Figures of an imported indicator from a file: CSV with the header area_code,at,value (at: a date, ISO 8601 or epoch ms); good lines are kept, each bad line is reported. The file is UTF-8, or in the charset its Content-Type names (text/csv; charset=GBK: GBK, GB2312, GB18030, windows-1252).",
                .indicators, body: .csv,
                answers: [.problem(400, "Not in its charset (invalid_encoding)"), .problem(409, "not_imported")],
                alsoShared: [.unsupportedMediaType])
        ) { request, context, principal in
            var request = request
            return JSONBody(
                try await platform.indicators.importCSV(
                    code: try context.parameters.require("code"), csv: try await request.csvText(),
                    by: principal))
        }
        routes.on(
            .get, "indicators/{code}/history", Self.readers,
            RouteDoc(
                "An indicator's kept values for an area, oldest first", .indicators,
                parameters: [
                    .path("code", "indicator code, e.g. city.clean.pm25"),
                    .query("areaId", .string, "an area within the caller's scope; default the caller's own"),
                    .query("limit", .integer(minimum: 1, maximum: 5000)),
                ])
        ) { request, context, principal in
            let code = try context.parameters.require("code")
            return JSONBody(
                Listing(
                    items: try await platform.indicators.history(
                        code: code, areaId: request.query("areaId"),
                        limit: try request.queryInt("limit") ?? 400, by: principal)))
        }
        routes.on(
            .get, "indicators/{code}/forecast", Self.readers,
            RouteDoc(
                "A seasonal (Holt-Winters) forecast from the history — daily and weekly cycles for hourly indicators, weekly for daily ones — with its back-tested MAPE beside the seasonal-naive baseline",
                .indicators,
                parameters: [
                    .path("code", "indicator code, e.g. city.clean.pm25"),
                    .query("areaId", .string, "an area within the caller's scope; default the caller's own"),
                    .query("horizon", .integer(minimum: 1), "periods ahead (default 7, at most two shortest cycles)"),
                ])
        ) { request, context, principal in
            let code = try context.parameters.require("code")
            return JSONBody(
                try await platform.forReads.indicators.forecast(
                    code: code, areaId: request.query("areaId"),
                    horizon: try request.queryInt("horizon") ?? 7, by: principal))
        }
        // Case volume per major category, forecast a week or two ahead (the same seasonal model).
        routes.on(
            .get, "cases/forecast", Self.readers,
            RouteDoc(
                "Reports per day of one major category in the caller's area over the last days, and the next days forecast with a weekly seasonal model, with its back-tested MAPE beside the seasonal-naive baseline",
                .indicators,
                parameters: [
                    .query("category", .pattern("^[EC][0-9]{2}$"), "default E01"),
                    .query("days", .integer(minimum: 28, maximum: 730), "history, default 120"),
                    .query("horizon", .integer(minimum: 1, maximum: 14), "default 7"),
                ])
        ) { request, _, principal in
            JSONBody(
                try await platform.forReads.indicators.caseVolume(
                    category: request.query("category") ?? "E01", days: try request.queryInt("days") ?? 120,
                    horizon: try request.queryInt("horizon") ?? 7, by: principal))
        }
        return routes
    }

    struct IndicatorTreeBody: Encodable, Sendable { var indicators: [Indicator] }
}
