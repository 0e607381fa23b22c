import ChengyunCore
import ChengyunStore
import Hummingbird
import Synchronization

/// A reporter's follow-up (docs/domain.md §2: citizens report, follow their reports and rate satisfaction):
/// a signed-in citizen's own reports; a report made without an account, by its number and the
/// contact left on it; and the rating after closure (回访).
struct ReportsController {
    let platform: Platform
    let throttle: Throttle
    let web: WebSettings
    /// Every citizen's report page draws the grid: read it from the database once a minute.
    let outlines = OutlineCache()

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "me/reports", .citizen,
            RouteDoc(
                "A signed-in citizen's reports, newest first, each with the state of the case it is handled in, the reply once finished, and whether it may be rated.",
                .cases, outcome: "The reports", answers: [.problem(403, "Not a citizen account")])
        ) { _, _, principal in
            JSONBody(Listing(items: try await platform.followUp.mine(by: principal)))
        }
        routes.on(
            .post, "me/reports/{id}/rating", .citizen,
            RouteDoc(
                "Rate one's own report after its case is closed (回访); once.", .cases,
                body: .json(ReportFollowUp.RatingInput.self), outcome: "The report's progress",
                answers: [
                    .problem(403, "Not a citizen account; cross_site_request (cookie-borne write from another site)"),
                    .problem(404, "Not your report"), .problem(409, "not_closed or already_rated"),
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(ReportFollowUp.RatingInput.self, context: context)
            return JSONBody(try await platform.followUp.rate(reportId: try context.id(), input, by: principal))
        }
        // What the public may report: the catalogue's public matters (the citizen portal's picker).
        routes.onPublic(
            .get, "public/matters",
            RouteDoc(
                "The matters the public may report (the catalogue's public, active matters): id, code, name, description and custom fields.",
                .cases, outcome: "The matters")
        ) { _, _ in
            JSONBody(Listing(items: try await platform.matters.all(publicOnly: true).map(PublicMatter.init)))
        }
        // The plain-language categories a citizen reports under, with the matters each covers.
        routes.onPublic(
            .get, "public/categories",
            RouteDoc(
                "The dozen plain-language categories the public reports under (the citizen portal's tiles), each with the public matters it covers, the usual one first; a report may name a category instead of a matter and the learned model proposes the matter.",
                .cases, outcome: "The categories")
        ) { _, _ in
            JSONBody(Listing(items: try await platform.dispatch.publicCategories()))
        }
        // The city's grid as outlines only, for the citizen's map to drop a pin on.
        routes.onPublic(
            .get, "public/grid-cells",
            RouteDoc(
                "The outlines of the city's grid cells (id, name and polygon only), for the citizen portal's map: a report's position is a pin inside one.",
                .cases, outcome: "The outlines")
        ) { [outlines] _, _ in
            if let held = outlines.fresh(at: platform.now()) { return JSONBody(Listing(items: held)) }
            let cells = try await PageRequest.all {
                try await platform.organisation.listGridCells(areaId: nil, page: $0, by: .system)
            }
            let items = cells.map { CellOutline(id: $0.id, name: $0.name, geometry: $0.geometry) }
            outlines.keep(items, at: platform.now())
            return JSONBody(Listing(items: items))
        }
        routes.onPublic(
            .get, "public/reports/{number}",
            RouteDoc(
                "Follow a report made without an account, by its number and the contact left on it.", .cases,
                parameters: [.query("contact", required: true)], outcome: "The report's progress",
                answers: [
                    .problem(400, "No contact"), .problem(404, "No report with this number and contact"),
                    .rateLimited("rate_limited: too many lookups from this address or of this number"),
                ])
        ) { request, context in
            try await checkLookup(context)
            guard let contact = request.query("contact"), !contact.isEmpty else {
                throw Problem.badRequest(
                    "missing_field", "Give the contact left on the report.",
                    errors: [FieldIssue(field: "contact", code: "missing_field", message: "Required.")])
            }
            return JSONBody(try await platform.followUp.find(number: try context.id("number"), contact: contact))
        }
        routes.onPublic(
            .post, "public/reports/{number}/rating",
            RouteDoc(
                "Rate a report made without an account after its case is closed, with the contact left on it; once.",
                .cases, body: .json(ReportFollowUp.RatingInput.self), outcome: "The report's progress",
                answers: [
                    .problem(404, "No report with this number and contact"),
                    .problem(409, "not_closed or already_rated"),
                    .rateLimited("rate_limited: too many lookups from this address or of this number"),
                ])
        ) { request, context in
            try await checkLookup(context)
            let input = try await request.decodeStrict(ReportFollowUp.RatingInput.self, context: context)
            return JSONBody(
                try await platform.followUp.rate(reportId: try context.id("number"), input, by: .anonymousCitizen))
        }
        return routes
    }

    /// Looking a report up by number and contact, per address and per number, so contacts cannot
    /// be guessed at speed against sequential case numbers.
    private func checkLookup(_ context: AppRequestContext) async throws {
        try await throttle.check([
            ("report-lookup:\(context.clientAddress)", web.publicReportsPerMinutePerAddress),
            ("report-lookup-number:\((try? context.id("number")) ?? "")", 10),
        ])
    }
}

/// A public matter as the portal's picker shows it.
struct PublicMatter: Encodable, Sendable {
    var id: String
    var code: String
    var name: String
    var description: String
    var customFields: [CustomField]

    init(_ matter: Matter) {
        id = matter.id
        code = matter.code
        name = matter.name
        description = matter.description
        customFields = matter.customFields
    }
}

/// A grid cell as the public sees it: where it is, nothing of who works it.
struct CellOutline: Encodable, Sendable {
    var id: String
    var name: String
    var geometry: GeoPolygon
}

/// The grid outlines last read, for a minute.
final class OutlineCache: Sendable {
    private let held = Mutex<(at: Int64, items: [CellOutline])?>(nil)
    func fresh(at now: Int64) -> [CellOutline]? {
        held.withLock { $0.flatMap { now - $0.at < 60_000 ? $0.items : nil } }
    }
    func keep(_ items: [CellOutline], at now: Int64) { held.withLock { $0 = (now, items) } }
}
