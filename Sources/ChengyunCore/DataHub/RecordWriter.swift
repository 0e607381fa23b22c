/// A dataset's records written out: JSON objects, CSV rows and GeoJSON features, by the
/// fields' types (booleans as true/false, datetimes as ISO 8601 in China time, geometry as
/// GeoJSON). Built as text, a record at a time, so an export streams.
public enum RecordWriter {
    public static func object(_ fields: [DatasetField], _ values: [FieldValue]) -> String {
        "{" + zip(fields, values).map { "\(quoted($0.name)):\(json($0, $1))" }.joined(separator: ",") + "}"
    }

    public static func json(_ field: DatasetField, _ value: FieldValue) -> String {
        switch (field.type, value) {
        case (_, .null): "null"
        case (.boolean, .integer(let flag)): flag == 0 ? "false" : "true"
        case (.datetime, .integer(let millis)): quoted(EpochMillis.iso8601(millis))
        case (.geometry, .text(let geometry)): geometry
        case (_, .text(let text)): quoted(text)
        case (_, .integer(let number)): String(number)
        case (_, .number(let number)): number.isFinite ? String(number) : "null"
        }
    }

    public static func cell(_ field: DatasetField, _ value: FieldValue) -> String {
        switch (field.type, value) {
        case (_, .null): ""
        case (.boolean, .integer(let flag)): flag == 0 ? "false" : "true"
        case (.datetime, .integer(let millis)): EpochMillis.iso8601(millis)
        default: value.text ?? ""
        }
    }

    /// A GeoJSON feature: the geometry field's shape, else a point from longitude and latitude,
    /// else none; the other fields as properties.
    public static func feature(_ fields: [DatasetField], _ values: [FieldValue]) -> String {
        var geometry = "null"
        if let index = fields.firstIndex(where: { $0.type == .geometry }), case .text(let shape) = values[index] {
            geometry = shape
        } else if let lon = fields.firstIndex(where: { $0.type == .lon }),
            let lat = fields.firstIndex(where: { $0.type == .lat }), case .number(let x) = values[lon],
            case .number(let y) = values[lat]
        {
            geometry = "{\"type\":\"Point\",\"coordinates\":[\(x),\(y)]}"
        }
        let properties = zip(fields, values).filter { $0.0.type != .geometry }
            .map { "\(quoted($0.0.name)):\(json($0.0, $0.1))" }.joined(separator: ",")
        return "{\"type\":\"Feature\",\"geometry\":\(geometry),\"properties\":{\(properties)}}"
    }

    public static func quoted(_ text: String) -> String { JSONText.quoted(text) }
}
