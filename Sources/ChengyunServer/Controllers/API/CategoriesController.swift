import ChengyunCore
import ChengyunStore
import Hummingbird

/// The category catalogue: read by anyone logged in (citizens pick a category when reporting),
/// imported by administrators.
struct CategoriesController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(.get, "categories", .authenticated, RouteDoc("The major/minor category catalogue", .catalogue)) {
            _, _, _ in
            JSONBody(try await platform.catalogue.tree())
        }
        routes.on(
            .post, "categories/import", .platformAdmin,
            RouteDoc(
                "Add or rename categories from a catalogue file", .catalogue, body: .json(CategoryImport.self),
                answers: [
                    .problem(
                        403,
                        "Role not allowed or record outside the caller's area scope; cross_site_request (cookie-borne write from another site); platform_admin_required (an administrator below the whole platform)"
                    )
                ])
        ) { request, context, principal in
            let tree = try await request.decodeStrict(CategoryImport.self, context: context)
            return JSONBody(
                try await platform.catalogue.importTree(
                    CategoryTree(majors: tree.majors, minors: tree.minors),
                    by: principal))
        }
        return routes
    }

    struct CategoryImport: StrictInput {
        var majors: [MajorCategory]
        var minors: [MinorCategory]
        /// The catalogue file's own header fields are accepted and ignored.
        var version: String?
        var source: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case majors, minors, version, source }
        typealias Fields = CodingKeys
    }
}
