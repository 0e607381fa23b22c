import Foundation

/// Why a row was refused: the line, the field, a stable reason and the value's words.
public struct CleaningRefusal: Codable, Equatable, Sendable, Error {
    public enum Reason: String, Codable, Sendable, Error {
        case required, notInteger = "not_integer", notNumber = "not_number", notBoolean = "not_boolean"
        case notDate = "not_date", notGeometry = "not_geometry", outOfRange = "out_of_range"
        case noMatch = "no_match", notInCodeList = "not_in_code_list", invalidPhone = "invalid_phone"
        case unknownReference = "unknown_reference", duplicateKey = "duplicate_key", malformed
        case keyTooLong = "key_too_long"
    }
    public var line: Int
    public var field: String?
    public var reason: Reason
    public var detail: String

    /// `detail` quotes the value, cut to 200 characters: a report lists a thousand refusals.
    public init(line: Int, field: String?, reason: Reason, detail: String) {
        (self.line, self.field, self.reason) = (line, field, reason)
        self.detail = detail.count > 200 ? String(detail.prefix(200)) + "…" : detail
    }
}

/// A row that passed: its key and its values in the dataset's field order.
public struct CleanRecord: Equatable, Sendable {
    public var key: String
    public var values: [FieldValue]
    public var corrected: Bool

    public init(key: String, values: [FieldValue], corrected: Bool) {
        (self.key, self.values, self.corrected) = (key, values, corrected)
    }
}

/// Runs a dataset's pipeline over rows, one at a time (a load streams; nothing holds the file).
/// Values stay text through the steps and are converted to the fields' types last.
public struct RecordCleaner {
    public let fields: [DatasetField]
    private let steps: [Compiled]
    private let keyIndexes: [Int]
    /// Each field's type and whether it is required, by position (read for every value).
    private let types: [FieldType], required: [Bool]
    private let lonIndex: Int?, latIndex: Int?, geometryIndexes: [Int]
    private let columns: [String: String]
    private let fieldIndex: [String: Int]
    /// Source column position → field position, from the header.
    private var positions: [Int?] = []
    /// A record key's longest (the index behind it has a limit on PostgreSQL).
    public static let maxKeyBytes = 512
    /// Keys seen in this load (FNV-1a hashes, to keep memory small) and their first line.
    private var seen: [UInt64: Int] = [:]

    private enum Compiled {
        case trim, required([Int]), range(Int, Double?, Double?), pattern(Int, Regex<AnyRegexOutput>)
        case codeList(Int, [String: String], Set<String>?), phone(Int), date(Int, dateOnly: Bool), gcj02
        case exists(Int, Set<String>), dedupe
    }

    /// Compiles the pipeline for the fields; `references` holds the codes an `exists` step checks.
    public init(
        fields: [DatasetField], pipeline: CleaningPipeline, references: [CleaningStep.Reference: Set<String>] = [:]
    ) throws {
        let issues = pipeline.issues(for: fields)
        if !issues.isEmpty { throw DomainError.validation(issues) }
        let index = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($1.name, $0) })
        self.fields = fields
        fieldIndex = index
        columns = pipeline.columns
        keyIndexes = fields.indices.filter { fields[$0].key }
        (types, required) = (fields.map(\.type), fields.map(\.required))
        lonIndex = fields.firstIndex { $0.type == .lon }
        latIndex = fields.firstIndex { $0.type == .lat }
        geometryIndexes = fields.indices.filter { fields[$0].type == .geometry }
        steps = try pipeline.steps.map { step -> Compiled in
            switch step {
            case .trim: .trim
            case .required(let names): .required(names.compactMap { index[$0] })
            case .range(let field, let min, let max): .range(index[field]!, min, max)
            case .pattern(let field, let regex): .pattern(index[field]!, try Regex(regex))
            case .codeList(let field, let map, let strict):
                .codeList(index[field]!, map, strict ? Set(map.values) : nil)
            case .phone(let field): .phone(index[field]!)
            case .date(let field): .date(index[field]!, dateOnly: fields[index[field]!].type == .date)
            case .gcj02ToWgs84: .gcj02
            case .exists(let field, let reference): .exists(index[field]!, references[reference] ?? [])
            case .dedupe: .dedupe
            }
        }
    }

    /// Reads the source's header: which column is which field (mapped, or named as the field).
    /// Returns the columns that feed no field.
    public mutating func header(_ names: [String]) -> [String] {
        positions = names.map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            return fieldIndex[columns[trimmed] ?? trimmed]
        }
        return zip(names, positions).filter { $0.1 == nil }.map(\.0)
    }

    /// One row's cells in the header's order.
    public mutating func clean(cells: [String], line: Int) -> Result<CleanRecord, CleaningRefusal> {
        guard cells.count == positions.count else {
            return .failure(
                CleaningRefusal(
                    line: line, field: nil, reason: .malformed,
                    detail: "\(cells.count) cells where the header has \(positions.count)"))
        }
        var values = [String?](repeating: nil, count: fields.count)
        for (position, cell) in zip(positions, cells) {
            if let position { values[position] = cell }
        }
        return clean(values, line: line)
    }

    /// One record given by field name (JSON and GeoJSON sources), through the column map.
    public mutating func clean(named: [String: String], line: Int) -> Result<CleanRecord, CleaningRefusal> {
        var values = [String?](repeating: nil, count: fields.count)
        for (name, value) in named {
            if let position = fieldIndex[columns[name] ?? name] { values[position] = value }
        }
        return clean(values, line: line)
    }

    /// The names among these that feed no field.
    public func unmapped(_ names: some Sequence<String>) -> [String] {
        names.filter { fieldIndex[columns[$0] ?? $0] == nil }
    }

    private mutating func clean(_ start: [String?], line: Int) -> Result<CleanRecord, CleaningRefusal> {
        var values = start
        let fields = fields
        let refuse = { (field: Int?, reason: CleaningRefusal.Reason, detail: String) in
            Result<CleanRecord, CleaningRefusal>.failure(
                CleaningRefusal(line: line, field: field.map { fields[$0].name }, reason: reason, detail: detail))
        }
        for step in steps {
            switch step {
            case .trim:
                for i in values.indices {
                    guard let value = values[i] else { continue }
                    let trimmed = value.trimmingWhiteSpace
                    values[i] = trimmed.isEmpty ? nil : trimmed
                }
            case .required(let indexes):
                if let missing = indexes.first(where: { (values[$0] ?? "").isEmpty }) {
                    return refuse(missing, .required, "no value")
                }
            case .range(let i, let min, let max):
                guard let text = values[i], !text.isEmpty else { continue }
                guard let number = Double(text) else { return refuse(i, .notNumber, text) }
                if let min, number < min { return refuse(i, .outOfRange, "\(text) < \(min)") }
                if let max, number > max { return refuse(i, .outOfRange, "\(text) > \(max)") }
            case .pattern(let i, let regex):
                guard let text = values[i], !text.isEmpty else { continue }
                if (try? regex.wholeMatch(in: text)) == nil { return refuse(i, .noMatch, text) }
            case .codeList(let i, let map, let allowed):
                guard let text = values[i], !text.isEmpty else { continue }
                if let mapped = map[text] {
                    values[i] = mapped
                } else if let allowed, !allowed.contains(text) {
                    return refuse(i, .notInCodeList, text)
                }
            case .phone(let i):
                guard let text = values[i], !text.isEmpty else { continue }
                guard let phone = Self.phone(text) else { return refuse(i, .invalidPhone, text) }
                values[i] = phone
            case .date(let i, let dateOnly):
                guard let text = values[i], !text.isEmpty else { continue }
                guard let date = TemporalText.normalised(text, dateOnly: dateOnly) else {
                    return refuse(i, .notDate, text)
                }
                values[i] = date
            case .gcj02:
                // Shapes too: a Chinese map source's polygons are as far off as its points.
                for i in geometryIndexes {
                    guard let text = values[i], !text.isEmpty else { continue }
                    guard let shifted = GeoJSONPositions.map(text, MarsCoordinates.wgs84(fromGCJ02:)) else {
                        return refuse(i, .notGeometry, String(text.prefix(80)))
                    }
                    values[i] = shifted
                }
                guard let lonIndex, let latIndex, let lonText = values[lonIndex], let latText = values[latIndex] else {
                    continue
                }
                guard let lon = Double(lonText), let lat = Double(latText) else {
                    return refuse(Double(lonText) == nil ? lonIndex : latIndex, .notNumber, "\(lonText), \(latText)")
                }
                let wgs = MarsCoordinates.wgs84(fromGCJ02: GeoPoint(lon: lon, lat: lat))
                // Outside China nothing moves: the text stays as written, not counted a correction.
                if wgs != GeoPoint(lon: lon, lat: lat) {
                    (values[lonIndex], values[latIndex]) = (String(wgs.lon), String(wgs.lat))
                }
            case .exists(let i, let codes):
                guard let text = values[i], !text.isEmpty else { continue }
                if !codes.contains(text) { return refuse(i, .unknownReference, text) }
            case .dedupe:
                break // after conversion: the key is made of converted values
            }
        }
        var typed = [FieldValue](repeating: .null, count: fields.count)
        for i in typed.indices {
            switch FieldValue.parse(values[i], as: types[i]) {
            case .failure(let reason): return refuse(i, reason, values[i] ?? "")
            case .success(let value):
                if value == .null, required[i] { return refuse(i, .required, "no value") }
                typed[i] = value
            }
        }
        let key = keyIndexes.map { typed[$0].text ?? "" }.joined(separator: "\u{1F}")
        if key.utf8.count > Self.maxKeyBytes {
            return refuse(keyIndexes.first, .keyTooLong, "the key is over \(Self.maxKeyBytes) bytes")
        }
        if steps.contains(where: { if case .dedupe = $0 { true } else { false } }) {
            let hash = Self.fnv1a(key)
            if let first = seen[hash] { return refuse(keyIndexes.first, .duplicateKey, "same key as line \(first)") }
            seen[hash] = line
        }
        // An empty cell and no value are the same; any other change is a correction.
        let corrected = zip(start, values).contains { ($0 ?? "").isEmpty ? !($1 ?? "").isEmpty : $0 != $1 }
        return .success(CleanRecord(key: key, values: typed, corrected: corrected))
    }

    /// China's prefixes a number may carry: 0086, or 86 before an 11-digit mobile number.
    private static let internationalPrefix = Array("0086".utf8), countryPrefix = Array("86".utf8)

    /// Digits only; +86 dropped; a mobile, a landline with its area code, or a short service number.
    /// Full-width digits (as Chinese input methods type them) read as digits; spaces, hyphens and
    /// dashes, plus signs and brackets, of either width, are dropped; any other character refuses
    /// the number.
    static func phone(_ text: String) -> String? {
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39: digits.append(UInt8(scalar.value))
            case 0xFF10...0xFF19: digits.append(UInt8(scalar.value - 0xFF10 + 0x30))
            case 0x20, 0x2D, 0x2B, 0x28, 0x29, 0x3000, 0xFF0D, 0xFF0B, 0xFF08, 0xFF09, 0x2010...0x2015, 0x2212: continue
            default: return nil
            }
        }
        if digits.starts(with: Self.internationalPrefix) {
            digits.removeFirst(4)
        } else if digits.starts(with: Self.countryPrefix), digits.count == 13 {
            digits.removeFirst(2)
        }
        guard let first = digits.first else { return nil }
        let mobile =
            digits.count == 11 && first == UInt8(ascii: "1")
            && (UInt8(ascii: "3")...UInt8(ascii: "9")).contains(digits[1])
        let landline = (10...12).contains(digits.count) && first == UInt8(ascii: "0")
        let short = (3...6).contains(digits.count) && (first == UInt8(ascii: "1") || first == UInt8(ascii: "9"))
        return mobile || landline || short ? String(decoding: digits, as: UTF8.self) : nil
    }

    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
