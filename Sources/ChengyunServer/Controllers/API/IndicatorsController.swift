import ChengyunCore
import ChengyunStore
import Hummingbird

/// City vital signs over HTTP: the tree with its values now (or at an instant), a computation
/// kept as history, figures put in for imported indicators, history and forecasts.
struct IndicatorsController {
    let platform: Platform
    static let readers = Access.staff([.leader, .admin, .supervisor, .dispatcher])

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(.get, "indicators", Self.readers) { request, _, principal in
            JSONBody(
                try await platform.indicators.compute(
                    areaId: request.query("areaId"), at: try request.queryInstant("at"),
                    record: false, by: principal))
        }
        routes.on(.post, "indicators/compute", .staff([.leader, .admin, .supervisor])) { request, _, principal in
            JSONBody(
                try await platform.indicators.compute(
                    areaId: request.query("areaId"), at: try request.queryInstant("at"),
                    record: true, by: principal))
        }
        routes.on(.get, "indicators/tree", Self.readers) { _, _, _ in
            JSONBody(IndicatorTreeBody(indicators: try await platform.indicators.tree()))
        }
        routes.on(.put, "indicators/tree", .platformAdmin) { request, context, principal in
            let input = try await request.decodeStrict(IndicatorTreeInput.self, context: context)
            return JSONBody(
                IndicatorTreeBody(indicators: try await platform.indicators.setTree(input.indicators, by: principal)))
        }
        routes.on(.post, "indicators/{code}/values", .staff([.admin])) { request, context, principal in
            let code = try context.parameters.require("code")
            let input = try await request.decodeStrict(ImportedFiguresInput.self, context: context)
            return JSONBody(
                Listing(items: try await platform.indicators.importValues(code: code, input.items, by: principal)))
        }
        routes.on(.post, "indicators/{code}/values.csv", .staff([.admin])) { request, context, principal in
            var request = request
            return JSONBody(
                try await platform.indicators.importCSV(
                    code: try context.parameters.require("code"), csv: try await request.csvText(),
                    by: principal))
        }
        routes.on(.get, "indicators/{code}/history", Self.readers) { request, context, principal in
            let code = try context.parameters.require("code")
            return JSONBody(
                Listing(
                    items: try await platform.indicators.history(
                        code: code, areaId: request.query("areaId"),
                        limit: try request.queryInt("limit") ?? 400, by: principal)))
        }
        routes.on(.get, "indicators/{code}/forecast", Self.readers) { request, context, principal in
            let code = try context.parameters.require("code")
            return JSONBody(
                try await platform.indicators.forecast(
                    code: code, areaId: request.query("areaId"),
                    horizon: try request.queryInt("horizon") ?? 7, by: principal))
        }
        // Case volume per major category, forecast a week or two ahead (the same seasonal model).
        routes.on(.get, "cases/forecast", Self.readers) { request, _, principal in
            JSONBody(
                try await platform.indicators.caseVolume(
                    category: request.query("category") ?? "E01", days: try request.queryInt("days") ?? 120,
                    horizon: try request.queryInt("horizon") ?? 7, by: principal))
        }
        return routes
    }

    struct IndicatorTreeBody: Encodable, Sendable { var indicators: [Indicator] }
}
