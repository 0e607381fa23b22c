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
        routes.on(.get, "evaluation/scheme", EvaluationController.readers) { _, _, _ in
            JSONBody(try await platform.comprehensive.scheme())
        }
        routes.on(.put, "evaluation/scheme", .platformAdmin) { request, context, principal in
            let scheme = try await request.decodeStrict(EvaluationScheme.self, context: context)
            return JSONBody(try await platform.comprehensive.setScheme(scheme, by: principal))
        }
        routes.on(.get, "evaluation/comprehensive", EvaluationController.readers) { request, _, principal in
            JSONBody(
                try await platform.comprehensive.evaluate(
                    areaId: request.query("areaId"), at: try request.queryInstant("at"), by: principal))
        }
        routes.on(.get, "evaluation/comprehensive.csv", EvaluationController.readers) { request, _, principal in
            let report = try await platform.comprehensive.evaluate(
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
        routes.on(.get, "evaluation/comprehensive/trend", EvaluationController.readers) { request, _, principal in
            JSONBody(
                Listing(
                    items: try await platform.comprehensive.trend(
                        areaId: request.query("areaId"),
                        limit: min(max(try request.queryInt("limit") ?? 90, 1), 1000), by: principal)))
        }
        return routes
    }

}
