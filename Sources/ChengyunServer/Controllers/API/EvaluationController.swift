import ChengyunCore
import ChengyunStore
import Hummingbird

/// The performance evaluation of any period (docs/domain.md §6), as JSON or as CSV per group.
struct EvaluationController {
    let platform: Platform
    static let readers = Access.staff([.leader, .admin, .supervisor])

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "evaluation", Self.readers,
            RouteDoc(
                "Performance evaluation of a period (docs/domain.md §6): figures, combined scores and grades for inspectors, intake operators, supervisors, dispatchers, departments, districts and streets, ranked",
                .evaluation,
                parameters: [
                    .query("from", .integer(), "epoch ms; default 30 days ago"),
                    .query("to", .integer(), "epoch ms; default now"),
                ])
        ) { request, _, principal in
            let (from, to) = try period(request)
            return JSONBody(try await platform.forReads.evaluation.evaluate(from: from, to: to, by: principal))
        }
        routes.on(
            .get, "evaluation/weights", Self.readers,
            RouteDoc(
                "The combined-score weights and volume-score bands in force (an administrator's, else the configured defaults)",
                .evaluation)
        ) { _, _, _ in
            JSONBody(try await platform.evaluation.weights())
        }
        routes.on(
            .put, "evaluation/weights", .platformAdmin,
            RouteDoc(
                "Replace the weights and volume bands: each role's weights add up to 100; evaluations from now on use them",
                .evaluation, body: .json(EvaluationWeights.self),
                answers: [
                    .problem(
                        403,
                        "Role not allowed; cross_site_request (cookie-borne write from another site); platform_admin_required (an administrator below the whole platform)"
                    )
                ])
        ) { request, context, principal in
            let weights = try await request.decodeStrict(EvaluationWeights.self, context: context)
            return JSONBody(try await platform.evaluation.setWeights(weights, by: principal))
        }
        routes.on(
            .get, "evaluation.csv", Self.readers,
            RouteDoc(
                "One group of the evaluation as CSV", .evaluation,
                parameters: [
                    .query("from", .integer(), "epoch ms; default 30 days ago"),
                    .query("to", .integer(), "epoch ms; default now"),
                    .query(
                        "group",
                        .choice(
                            [
                                "inspectors", "intakeOperators", "supervisors", "dispatchers", "departments",
                                "districts", "streets",
                            ], default: "departments")),
                ], success: .ok(.csv, "CSV (UTF-8 with BOM)"), answers: [.problem(400, "Unknown group")])
        ) { request, _, principal in
            let (from, to) = try period(request)
            let name = request.query("group") ?? "departments"
            let report = try await platform.forReads.evaluation.evaluate(from: from, to: to, by: principal)
            guard let rows = report.group(name) else {
                throw Problem.badRequest(
                    "invalid_parameter",
                    "group is one of inspectors, intakeOperators, supervisors, dispatchers, departments, districts, streets."
                )
            }
            let figures = Array(Set(rows.flatMap(\.figures.keys))).sorted()
            var text = CSV.byteOrderMark + CSV.line(["id", "name"] + figures + ["score", "grade"])
            for row in rows {
                let values = figures.map { key in (row.figures[key] ?? nil).map { String(format: "%.2f", $0) } ?? "" }
                text += CSV.line(
                    [row.id, row.name] + values + [
                        row.score.map { String(format: "%.2f", $0) } ?? "", row.grade?.rawValue ?? "",
                    ])
            }
            return Response(
                status: .ok, headers: CSV.headers(filename: "evaluation-\(name).csv"),
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        return routes
    }

    /// `from` and `to` in epoch milliseconds; by default the last 30 days.
    private func period(_ request: Request) throws -> (Int64, Int64) {
        let now = platform.now()
        var validator = Validator()
        let from = request.query("from").map { Int64($0) } ?? .some(now - 30 * 86_400_000)
        let to = request.query("to").map { Int64($0) } ?? .some(now)
        validator.check(from != nil, "from", "invalid_value", "from is epoch milliseconds.")
        validator.check(to != nil, "to", "invalid_value", "to is epoch milliseconds.")
        try validator.finish()
        return (from!, to!)
    }
}

import Foundation
