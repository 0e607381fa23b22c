import Foundation

/// One step of a dataset's cleaning pipeline (清洗规则), declared as data beside the dataset:
/// `{"op":"trim"}`, `{"op":"range","field":"power","min":0,"max":400}` … Steps run in the order
/// given, each on every row, before the values are converted to the fields' types; the first
/// step a row fails refuses it, with the step's reason.
public enum CleaningStep: Equatable, Sendable {
    /// Spaces (full-width ones too) off both ends of every value; an empty value is no value.
    case trim
    /// These fields must have a value (beyond the fields the dataset itself requires).
    case required([String])
    /// A number within bounds.
    case range(field: String, min: Double?, max: Double?)
    /// Text matching a regular expression (whole value).
    case pattern(field: String, regex: String)
    /// Dictionary mapping (字典映射): a source's codes or words to the dataset's; with `strict`,
    /// a value neither in the map nor among its targets is refused.
    case codeList(field: String, map: [String: String], strict: Bool)
    /// A Chinese telephone number to digits only: mobile 1xxxxxxxxxx, landline 0 + area code +
    /// number, or a short service number; +86 and separators dropped.
    case phone(field: String)
    /// Dates and times in the common Chinese ways (2026/12/5, 2026年12月5日 8:30, 20261205) to
    /// ISO 8601; times without a zone are China Standard Time.
    case date(field: String)
    /// The position's longitude and latitude fields, and every position of each geometry field,
    /// from GCJ-02 to WGS-84.
    case gcj02ToWgs84
    /// The value must be the code of a grid cell or an area the platform has (a cross-check).
    case exists(field: String, in: Reference)
    /// A second row with the same record key in one load is refused, naming the first.
    case dedupe

    public enum Reference: String, Codable, CaseIterable, Sendable {
        case gridCell = "grid_cell"
        case area
    }
}

extension CleaningStep: Codable {
    enum CodingKeys: String, CodingKey { case op, field, fields, min, max, regex, map, strict, `in` }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let op = try c.decode(String.self, forKey: .op)
        let field = { try c.decode(String.self, forKey: .field) }
        switch op {
        case "trim": self = .trim
        case "required": self = .required(try c.decode([String].self, forKey: .fields))
        case "range":
            self = .range(
                field: try field(), min: try c.decodeIfPresent(Double.self, forKey: .min),
                max: try c.decodeIfPresent(Double.self, forKey: .max))
        case "pattern": self = .pattern(field: try field(), regex: try c.decode(String.self, forKey: .regex))
        case "code_list":
            self = .codeList(
                field: try field(), map: try c.decode([String: String].self, forKey: .map),
                strict: try c.decodeIfPresent(Bool.self, forKey: .strict) ?? false)
        case "phone": self = .phone(field: try field())
        case "date": self = .date(field: try field())
        case "gcj02_to_wgs84": self = .gcj02ToWgs84
        case "exists": self = .exists(field: try field(), in: try c.decode(Reference.self, forKey: .in))
        case "dedupe": self = .dedupe
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .op, in: c,
                debugDescription:
                    "op is one of trim, required, range, pattern, code_list, phone, date, gcj02_to_wgs84, exists, dedupe"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(op, forKey: .op)
        switch self {
        case .trim, .gcj02ToWgs84, .dedupe: break
        case .required(let fields): try c.encode(fields, forKey: .fields)
        case .range(let field, let min, let max):
            try c.encode(field, forKey: .field)
            try c.encodeIfPresent(min, forKey: .min)
            try c.encodeIfPresent(max, forKey: .max)
        case .pattern(let field, let regex):
            try c.encode(field, forKey: .field)
            try c.encode(regex, forKey: .regex)
        case .codeList(let field, let map, let strict):
            try c.encode(field, forKey: .field)
            try c.encode(map, forKey: .map)
            try c.encode(strict, forKey: .strict)
        case .phone(let field), .date(let field): try c.encode(field, forKey: .field)
        case .exists(let field, let reference):
            try c.encode(field, forKey: .field)
            try c.encode(reference, forKey: .in)
        }
    }

    public var op: String {
        switch self {
        case .trim: "trim"
        case .required: "required"
        case .range: "range"
        case .pattern: "pattern"
        case .codeList: "code_list"
        case .phone: "phone"
        case .date: "date"
        case .gcj02ToWgs84: "gcj02_to_wgs84"
        case .exists: "exists"
        case .dedupe: "dedupe"
        }
    }

    /// The fields a step names.
    var fields: [String] {
        switch self {
        case .trim, .gcj02ToWgs84, .dedupe: []
        case .required(let fields): fields
        case .range(let field, _, _), .pattern(let field, _), .codeList(let field, _, _), .phone(let field),
            .date(let field), .exists(let field, _):
            [field]
        }
    }
}

/// A dataset's pipeline: the source's columns mapped to fields, and the steps.
public struct CleaningPipeline: Codable, Equatable, Sendable {
    /// Source column → field name; a column named as a field needs no entry.
    public var columns: [String: String]
    public var steps: [CleaningStep]

    public init(columns: [String: String] = [:], steps: [CleaningStep] = []) {
        self.columns = columns
        self.steps = steps
    }

    /// What is wrong with the pipeline for these fields.
    public func issues(for fields: [DatasetField]) -> [FieldIssue] {
        var validator = Validator()
        let byName = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0) })
        validator.check(steps.count <= 50, "steps", "too_many", "At most 50 steps.")
        for (source, field) in columns.sorted(by: { $0.key < $1.key }) {
            validator.check(byName[field] != nil, "columns.\(source)", "unknown_field", "No field \(field).")
        }
        for (index, step) in steps.enumerated() {
            let at = "steps[\(index)]"
            for name in step.fields {
                validator.check(byName[name] != nil, at, "unknown_field", "No field \(name).")
            }
            switch step {
            case .range(let field, let min, let max):
                validator.check(
                    [.integer, .number, .lon, .lat].contains(byName[field]?.type), at, "not_numeric",
                    "A range applies to a number field.")
                validator.check(min != nil || max != nil, at, "no_bounds", "Give min, max or both.")
                if let min, let max { validator.check(min <= max, at, "min_above_max", "min is at most max.") }
            case .pattern(_, let regex):
                validator.check(
                    (try? Regex(regex)) != nil, at, "invalid_regex", "The pattern is not a regular expression.")
            case .codeList(_, let map, _):
                validator.check(!map.isEmpty && map.count <= 10_000, at, "invalid_map", "1–10,000 entries.")
            case .date(let field):
                validator.check(
                    [.date, .datetime].contains(byName[field]?.type), at, "not_temporal",
                    "A date step applies to a date or datetime field.")
            case .gcj02ToWgs84:
                let (lons, lats) = (fields.filter { $0.type == .lon }.count, fields.filter { $0.type == .lat }.count)
                validator.check(
                    (lons == 1 && lats == 1) || (lons == 0 && lats == 0 && fields.contains { $0.type == .geometry }),
                    at, "no_position", "The dataset has one longitude and one latitude field, or a geometry field.")
            case .dedupe:
                validator.check(fields.contains(where: \.key), at, "no_key", "De-duplication compares the record key.")
            case .trim, .required, .phone, .exists: break
            }
        }
        return validator.issues
    }
}
