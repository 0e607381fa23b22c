/// A dataset's records described as a JSON Schema (draft 2020-12), from its fields: what a
/// consumer reads and what a load is checked against.
public struct DatasetSchema: Encodable, Equatable, Sendable {
    public struct Property: Encodable, Equatable, Sendable {
        public var type: String
        public var format: String?
        public var title: String
        public var description: String?
        public var minimum: Double?
        public var maximum: Double?
        public var unit: String?

        enum CodingKeys: String, CodingKey {
            case type, format, title, description, minimum, maximum
            case unit = "x-unit"
        }
    }

    public var schema = "https://json-schema.org/draft/2020-12/schema"
    public var id: String
    public var title: String
    public var type = "object"
    public var properties: [String: Property]
    public var required: [String]
    /// The fields of the record key, in order.
    public var key: [String]
    public var additionalProperties = false

    enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case id = "$id"
        case title, type, properties, required
        case key = "x-key"
        case additionalProperties
    }

    public init(_ dataset: Dataset, id: String) {
        self.id = id
        title = dataset.title
        properties = Dictionary(uniqueKeysWithValues: dataset.fields.map { ($0.name, Self.property($0)) })
        required = dataset.fields.filter(\.required).map(\.name)
        key = dataset.fields.filter(\.key).map(\.name)
    }

    static func property(_ field: DatasetField) -> Property {
        var property = Property(
            type: "string", title: field.title, description: field.description, unit: field.unit)
        switch field.type {
        case .string: break
        case .integer, .number, .boolean: property.type = field.type.rawValue
        case .date: property.format = "date"
        case .datetime: property.format = "date-time"
        case .lon: (property.type, property.minimum, property.maximum) = ("number", -180, 180)
        case .lat: (property.type, property.minimum, property.maximum) = ("number", -90, 90)
        case .geometry:
            property.type = "object"
            property.format = "geojson-geometry"
        }
        return property
    }
}
