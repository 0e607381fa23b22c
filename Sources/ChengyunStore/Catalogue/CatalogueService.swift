import ChengyunCore

/// The major/minor category catalogue.
public struct CatalogueService: Sendable {
    let platform: Platform
    let categories = CategoryRepository()

    public func tree() async throws -> CategoryTree {
        try await platform.pool.read { try await categories.tree(on: $0) }
    }

    /// Adds or renames categories from a catalogue file (the default one, or an admin's import).
    public func importTree(_ tree: CategoryTree, by actor: Principal) async throws -> CategoryTree {
        let issues = tree.issues()
        if !issues.isEmpty { throw DomainError.validation(issues) }
        return try await platform.write(
            actor, "catalogue.import", target: "catalogue",
            summary: { ("categories", "\($0.majors.count) majors, \($0.minors.count) minors") }
        ) { db in
            try await categories.merge(tree, on: db)
            return try await categories.tree(on: db)
        }
    }
}
