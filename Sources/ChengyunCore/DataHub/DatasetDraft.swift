import Foundation

/// What an owner writes when registering or editing a dataset: everything but its state,
/// version and history.
public struct DatasetDraft: Codable, Equatable, Sendable {
    public var code: String
    public var title: String
    public var titleEn: String?
    public var description: String
    /// The owning department; the caller's own when omitted.
    public var ownerDepartmentId: String?
    public var sharingType: SharingType
    public var sharingCondition: String?
    public var openType: OpenType
    public var updateCycle: UpdateCycle
    public var coverage: DatasetCoverage?
    public var tags: [String]?
    public var fields: [DatasetField]
    public var lineage: [LineageLink]?
    /// Registers an external service rather than data: its endpoint.
    public var service: ServiceEndpoint?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case code, title, titleEn, description, ownerDepartmentId, sharingType, sharingCondition, openType
        case updateCycle, coverage, tags, fields, lineage, service
    }

    public init(
        code: String, title: String, titleEn: String? = nil, description: String, ownerDepartmentId: String? = nil,
        sharingType: SharingType, sharingCondition: String? = nil, openType: OpenType, updateCycle: UpdateCycle,
        coverage: DatasetCoverage? = nil, tags: [String]? = nil, fields: [DatasetField], lineage: [LineageLink]? = nil,
        service: ServiceEndpoint? = nil
    ) {
        (self.code, self.title, self.titleEn, self.description) = (code, title, titleEn, description)
        (self.ownerDepartmentId, self.sharingType, self.sharingCondition) = (
            ownerDepartmentId, sharingType, sharingCondition
        )
        (self.openType, self.updateCycle, self.coverage) = (openType, updateCycle, coverage)
        (self.tags, self.fields, self.lineage, self.service) = (tags, fields, lineage, service)
    }

    /// The draft of a dataset as it stands (to edit it).
    public init(_ dataset: Dataset) {
        self.init(
            code: dataset.code, title: dataset.title, titleEn: dataset.titleEn, description: dataset.description,
            ownerDepartmentId: dataset.ownerDepartmentId, sharingType: dataset.sharingType,
            sharingCondition: dataset.sharingCondition, openType: dataset.openType, updateCycle: dataset.updateCycle,
            coverage: dataset.coverage, tags: dataset.tags, fields: dataset.fields, lineage: dataset.lineage,
            service: dataset.service)
    }

    /// The metadata's own rules; that the owner and the lineage's datasets exist is the store's to check.
    public func issues() -> [FieldIssue] {
        var validator = Validator()
        validator.check(
            Self.isName(code, first: { $0.isLowercase || $0.isNumber }, length: 2...100), "code", "invalid_code",
            "2–100 characters: lower-case letters, digits, - and _.")
        validator.checkName(title, field: "title", max: 200)
        validator.check((titleEn ?? "").count <= 200, "titleEn", "too_long", "At most 200 characters.")
        service?.check(&validator)
        validator.check(description.count <= 4000, "description", "too_long", "At most 4000 characters.")
        let condition = (sharingCondition ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        validator.check(
            sharingType == .unconditional || !condition.isEmpty, "sharingCondition", "required",
            "Conditional sharing states its conditions; not sharing states its basis.")
        validator.check(condition.count <= 1000, "sharingCondition", "too_long", "At most 1000 characters.")
        validator.check(
            openType != .open || sharingType == .unconditional, "openType", "open_needs_sharing",
            "Data open to the public is shared unconditionally among departments too.")
        validator.check(
            sharingType != .none || openType == .closed, "openType", "unshared_is_closed",
            "Data not shared among departments is not open to the public.")
        let tags = (tags ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        validator.check(tags.count <= 20, "tags", "too_many", "At most 20 tags.")
        validator.check(
            tags.allSatisfy(Self.isTag), "tags", "invalid_tag",
            "Each tag has 2–40 characters: letters, digits, spaces, -, _ and . (as CKAN takes them).")
        validator.check(Set(tags.map { $0.lowercased() }).count == tags.count, "tags", "duplicate", "Each tag once.")
        checkFields(&validator)
        checkCoverage(&validator)
        let lineage = lineage ?? []
        validator.check(lineage.count <= 50, "lineage", "too_many", "At most 50 links.")
        validator.check(
            lineage.allSatisfy { (1...200).contains($0.ref.count) && ($0.note ?? "").count <= 500 }, "lineage",
            "invalid_link", "Each link names its source in 1–200 characters, with a note of at most 500.")
        validator.check(
            !lineage.contains { $0.kind == .dataset && $0.ref == code }, "lineage", "self_reference",
            "A dataset does not come from itself.")
        return validator.issues
    }

    private func checkFields(_ validator: inout Validator) {
        validator.check((1...200).contains(fields.count), "fields", "invalid_count", "1–200 fields.")
        let names = fields.map(\.name)
        validator.check(Set(names).count == names.count, "fields", "duplicate", "Each field name once.")
        for (index, field) in fields.enumerated() {
            validator.check(
                Self.isName(field.name, first: \.isLowercase, length: 1...60) && !field.name.contains("-"),
                "fields[\(index)].name", "invalid_name", "1–60 characters: lower-case letters, digits and _.")
            validator.checkName(field.title, field: "fields[\(index)].title", max: 100)
            validator.check(
                !field.key || field.required, "fields[\(index)].required", "key_required",
                "A field of the record key is required.")
            validator.check(
                (field.description ?? "").count <= 500 && (field.unit ?? "").count <= 20, "fields[\(index)]",
                "too_long", "A description of at most 500 characters, a unit of at most 20.")
        }
    }

    private func checkCoverage(_ validator: inout Validator) {
        guard let coverage else { return }
        validator.check((coverage.areaName ?? "").count <= 100, "coverage.areaName", "too_long", "At most 100.")
        if let box = coverage.bbox {
            let valid =
                box.count == 4 && box.allSatisfy(\.isFinite) && box[0] < box[2] && box[1] < box[3]
                && (-180...180).contains(box[0]) && (-180...180).contains(box[2])
                && (-90...90).contains(box[1]) && (-90...90).contains(box[3])
            validator.check(
                valid, "coverage.bbox", "invalid_bbox", "West, south, east, north in WGS-84 degrees, west < east.")
        }
        if let from = coverage.from, let to = coverage.to {
            validator.check(from <= to, "coverage.to", "before_from", "The coverage ends after it starts.")
        }
    }

    /// A tag CKAN takes: 2–40 of letters (any script), digits, spaces, `-`, `_` and `.`.
    static func isTag(_ tag: String) -> Bool {
        (2...40).contains(tag.count)
            && tag.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) || " -_.".unicodeScalars.contains($0)
            }
    }

    /// Lower-case ASCII letters, digits, `_` and `-`, starting as `first` says.
    static func isName(_ text: String, first: (Character) -> Bool, length: ClosedRange<Int>) -> Bool {
        guard let head = text.first, length.contains(text.count), first(head) else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}
