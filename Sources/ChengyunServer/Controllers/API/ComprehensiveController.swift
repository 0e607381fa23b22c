import ChengyunCore
import ChengyunStore
import Foundation
import Hummingbird

/// The comprehensive evaluation (综合评价) over HTTP: the scheme, the areas ranked (JSON or CSV),
/// and an area's score over time.
struct ComprehensiveController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "evaluation/scheme", EvaluationController.readers,
            RouteDoc(
                "The comprehensive evaluation scheme: indicators of the tree and their weights (default: clean, tidy, orderly, safe, people satisfied, 20 each)",
                .evaluation)
        ) { _, _, _ in
            JSONBody(try await platform.comprehensive.scheme())
        }
        routes.on(
            .put, "evaluation/scheme", .platformAdmin,
            RouteDoc(
                "Replace the scheme; indicators must be in the tree and weights above zero", .evaluation,
                body: .json(EvaluationScheme.self),
                answers: [
                    .problem(
                        403,
                        "Role not allowed or area outside the caller's scope; cross_site_request (cookie-borne write from another site); platform_admin_required (an administrator below the whole platform)"
                    )
                ])
        ) { request, context, principal in
            let scheme = try await request.decodeStrict(EvaluationScheme.self, context: context)
            return JSONBody(try await platform.comprehensive.setScheme(scheme, by: principal))
        }
        routes.on(
            .get, "evaluation/comprehensive", EvaluationController.readers,
            RouteDoc(
                "The comprehensive evaluation (综合评价): the child areas scored by the scheme's weighted mean of their indicator values, ranked",
                .evaluation,
                parameters: [
                    .query("areaId", .string, "the area whose child areas are compared (default the caller's)"),
                    .query("at", .integer(), "epoch ms; default now"),
                ], alsoShared: [.notFound])
        ) { request, _, principal in
            JSONBody(
                try await platform.forReads.comprehensive.evaluate(
                    areaId: request.query("areaId"), at: try request.queryInstant("at"), by: principal))
        }
        routes.on(
            .get, "evaluation/comprehensive.csv", EvaluationController.readers,
            RouteDoc(
                "The same ranking as CSV (UTF-8 with BOM): rank, area, score, each indicator", .evaluation,
                parameters: [
                    .query("areaId", .string, "the area whose child areas are compared (default the caller's)"),
                    .query("at", .integer(), "epoch ms; default now"),
                ], success: .ok(.csv, "OK"), alsoShared: [.notFound])
        ) { request, _, principal in
            let report = try await platform.forReads.comprehensive.evaluate(
                areaId: request.query("areaId"), at: try request.queryInstant("at"), by: principal)
            let codes = report.scheme.items.map(\.indicatorCode)
            var text = CSV.byteOrderMark + CSV.line(["rank", "area_code", "area", "score"] + codes)
            let number = { (value: Double?) in value.map { String(format: "%.2f", $0) } ?? "" }
            for row in report.rows {
                text += CSV.line(
                    [row.rank.map(String.init) ?? "", row.areaCode, row.name, number(row.score)]
                        + codes.map { number(row.values[$0] ?? nil) })
            }
            return Response(
                status: .ok, headers: CSV.headers(filename: "comprehensive-evaluation.csv"),
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        routes.on(
            .get, "evaluation/comprehensive/trend", EvaluationController.readers,
            RouteDoc(
                "An area's score per kept period of the scheme's indicators, oldest first", .evaluation,
                parameters: [.query("areaId"), .query("limit", .integer(minimum: 1, maximum: 1000))],
                alsoShared: [.notFound])
        ) { request, _, principal in
            JSONBody(
                Listing(
                    items: try await platform.forReads.comprehensive.trend(
                        areaId: request.query("areaId"),
                        limit: min(max(try request.queryInt("limit") ?? 90, 1), 1000), by: principal)))
        }
        return routes
    }

}
