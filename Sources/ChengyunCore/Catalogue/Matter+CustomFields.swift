/// A report's custom fields (自定义字段) checked against the matter that declares them.
extension Matter {
    /// The required fields `values` leaves empty (a case moved to this matter keeps the fields of
    /// its old one; only these are asked of it).
    public func requiredFieldIssues(_ values: [String: String]?) -> [FieldIssue] {
        customFields.filter { $0.required && (values?[$0.key] ?? "").isEmpty }.map {
            FieldIssue(
                field: "customFields.\($0.key)", code: "required", message: "\($0.label) is required for \(name).")
        }
    }

    /// Every problem with `values` at once: a required field missing, a field the matter does not
    /// have, a value outside its list, not a number or not a date and time.
    public func customFieldIssues(_ values: [String: String]?) -> [FieldIssue] {
        var validator = Validator()
        requiredFieldIssues(values).forEach { validator.add($0) }
        for (key, value) in values ?? [:] {
            guard let field = customFields.first(where: { $0.key == key }) else {
                validator.add(
                    FieldIssue(
                        field: "customFields.\(key)", code: "unknown_field", message: "\(name) has no field \(key)."))
                continue
            }
            let known = field.values.map(\.key)
            switch field.datatype {
            case .singleValueList:
                validator.check(
                    known.contains(value), "customFields.\(key)", "invalid_value",
                    "Choose one of: \(known.joined(separator: ", ")).")
            case .multiValueList:
                let chosen = value.split(separator: ",").map(String.init)
                validator.check(
                    !chosen.isEmpty && chosen.allSatisfy(known.contains), "customFields.\(key)", "invalid_value",
                    "Choose from: \(known.joined(separator: ", ")), separated by commas.")
            case .number:
                validator.check(Double(value) != nil, "customFields.\(key)", "invalid_value", "A number.")
            case .datetime:
                validator.check(
                    Instant.parse(value) != nil, "customFields.\(key)", "invalid_value",
                    "A date and time in ISO 8601 with its time zone.")
            default:
                break
            }
        }
        return validator.issues
    }
}
