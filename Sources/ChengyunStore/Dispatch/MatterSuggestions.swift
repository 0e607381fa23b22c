import ChengyunCore
import Foundation
import SQLKit

/// A public category with the matters a citizen may be reporting under it.
public struct PublicCategoryView: Codable, Sendable, Equatable {
    public var code: String
    public var matters: [MatterSummary]
}

public struct MatterSummary: Codable, Sendable, Equatable {
    public var id: String
    public var code: String
    public var name: String
    /// Custom fields a report of it must fill in (a citizen's category report fills in none, so
    /// such a matter is proposed only when the report carries them).
    public var requiredFields: [String]
}

/// One matter the learned model suggests, with its probability among those asked about.
public struct SuggestedMatter: Codable, Sendable, Equatable {
    public var matter: MatterSummary
    public var confidence: Double
}

/// The learned model's matters for a description, best first.
public struct MatterSuggestions: Codable, Sendable, Equatable {
    /// The model version asked; nil before the first training.
    public var modelVersion: Int?
    /// How often that version's suggester named the right matter on the newer 30 % it was not
    /// trained on; nil with too few lessons.
    public var heldOutAccuracy: Double?
    public var suggestions: [SuggestedMatter]
}

/// Matters from words (智能识别事项): for the 12345 operator as they type, and for a citizen's
/// report under a plain-language category, where the proposal is recorded on the report's first
/// history line for the intake operator to confirm or correct at acceptance.
extension DispatchService {
    /// The categories with their public, active matters (those with none left out).
    public func publicCategories() async throws -> [PublicCategoryView] {
        let matters = try await platform.matters.all(publicOnly: true).filter(\.active)
        let byCode = Dictionary(matters.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        return PublicCategory.standard.compactMap { category in
            let listed = category.matterCodes.compactMap { byCode[$0] }.map(Self.summary)
            return listed.isEmpty ? nil : PublicCategoryView(code: category.code, matters: listed)
        }
    }

    /// Up to three active matters for `text`, among a public category's when one is named.
    public func suggestMatters(text: String, category: String?) async throws -> MatterSuggestions {
        let scope = try category.map { try Self.category($0) }
        return try await platform.pool.read { db in
            let matters = try await MatterRepository().all(on: db).filter(\.active)
            let byCode = Dictionary(matters.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            guard let (version, model) = try await current(on: db) else {
                return MatterSuggestions(modelVersion: nil, heldOutAccuracy: nil, suggestions: [])
            }
            let among = scope?.matterCodes.filter { byCode[$0]?.isPublic == true } ?? Array(byCode.keys)
            return MatterSuggestions(
                modelVersion: version, heldOutAccuracy: model.matters.heldOutAccuracy,
                suggestions: model.matters.suggest(text, among: among).compactMap { suggestion in
                    byCode[suggestion.matterCode].map {
                        SuggestedMatter(matter: Self.summary($0), confidence: suggestion.confidence)
                    }
                })
        }
    }

    /// The matter a citizen's report under `category` is filed under: the model's best among the
    /// category's public matters, else the category's usual one; with the facts of the proposal
    /// for the report's history line.
    func propose(_ category: String, text: String, fields: [String: String]?, on db: any SQLDatabase) async throws
        -> (matter: Matter, detail: [String: String])
    {
        let category = try Self.category(category)
        let matters = try await MatterRepository().all(on: db).filter {
            $0.active && $0.isPublic && $0.requiredFieldIssues(fields).isEmpty
        }
        let byCode = Dictionary(matters.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let among = category.matterCodes.filter { byCode[$0] != nil }
        guard let usual = among.first.flatMap({ byCode[$0] }) else {
            throw DomainError.validation([
                FieldIssue(field: "category", code: "unknown_category", message: "This category offers no matter now.")
            ])
        }
        var detail = ["category": category.code]
        if let (version, model) = try await current(on: db),
            let best = model.matters.suggest(text, among: among).first, let matter = byCode[best.matterCode]
        {
            detail["proposedBy"] = "model v\(version)"
            detail["confidence"] = String(best.confidence)
            return (matter, detail)
        }
        detail["proposedBy"] = "category"
        return (usual, detail)
    }

    private static func category(_ code: String) throws -> PublicCategory {
        guard let category = PublicCategory.find(code) else {
            throw DomainError.validation([
                FieldIssue(
                    field: "category", code: "unknown_category",
                    message: "Name a category of GET /api/v1/public/categories.")
            ])
        }
        return category
    }

    private static func summary(_ matter: Matter) -> MatterSummary {
        MatterSummary(
            id: matter.id, code: matter.code, name: matter.name,
            requiredFields: matter.customFields.filter(\.required).map(\.key))
    }
}
