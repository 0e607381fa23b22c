import ChengyunCore
import ChengyunStore
import Hummingbird

/// The category catalogue: read by anyone logged in (citizens pick a category when reporting),
/// imported by administrators.
struct CategoriesController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(.get, "categories", .authenticated) { _, _, _ in
            JSONBody(try await platform.catalogue.tree())
        }
        routes.on(.post, "categories/import", .platformAdmin) { request, context, principal in
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
