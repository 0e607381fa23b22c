import ChengyunCore
import Foundation
import SQLKit

/// Major and minor categories.
public struct CategoryRepository: Sendable {
    public init() {}

    public func tree(on db: any SQLDatabase) async throws -> CategoryTree {
        let majors = try await db.select().column("*").from("major_categories").orderBy("kind").orderBy("code")
            .all(decoding: MajorCategory.self, with: rowDecoder)
        let minors = try await db.select().column("*").from("minor_categories").orderBy("kind").orderBy("major_code")
            .orderBy("code").all(decoding: MinorCategory.self, with: rowDecoder)
        return CategoryTree(majors: majors, minors: minors)
    }

    /// Adds categories that are missing and renames those that exist; removes none, since cases
    /// refer to them.
    public func merge(_ tree: CategoryTree, on db: any SQLDatabase) async throws {
        for major in tree.majors {
            let exists =
                try await db.select().column("code").from("major_categories")
                .where("kind", .equal, major.kind.rawValue).where("code", .equal, major.code).first() != nil
            if exists {
                try await db.update("major_categories").set("name", to: major.name).set("name_en", to: major.nameEn)
                    .where("kind", .equal, major.kind.rawValue).where("code", .equal, major.code).run()
            } else {
                try await db.insert(into: "major_categories").model(major, with: rowEncoder).run()
            }
        }
        for minor in tree.minors {
            let exists =
                try await db.select().column("code").from("minor_categories")
                .where("kind", .equal, minor.kind.rawValue).where("major_code", .equal, minor.majorCode)
                .where("code", .equal, minor.code).first() != nil
            if exists {
                try await db.update("minor_categories").set("name", to: minor.name).set("name_en", to: minor.nameEn)
                    .where("kind", .equal, minor.kind.rawValue).where("major_code", .equal, minor.majorCode)
                    .where("code", .equal, minor.code).run()
            } else {
                try await db.insert(into: "minor_categories").model(minor, with: rowEncoder).run()
            }
        }
    }

    /// The default catalogue shipped with the product (docs/domain.md §4), a versioned file.
    public static func defaultTree() throws -> CategoryTree {
        try ShippedFile.read("default-categories", as: CategoryTree.self)
    }
}
