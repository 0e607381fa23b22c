/// The resources of Open311 GeoReport v2 (docs/domain.md §9), with the spec's field names. A service is
/// a public matter of the catalogue; a service request is a case.
public struct Open311Service: Equatable, Sendable {
    public var code: String
    public var name: String
    public var description: String
    /// Whether the service has attributes (a definition worth fetching).
    public var metadata: Bool
    public var keywords: [String]
    /// The major category's name.
    public var group: String

    public init(code: String, name: String, description: String, metadata: Bool, keywords: [String], group: String) {
        self.code = code
        self.name = name
        self.description = description
        self.metadata = metadata
        self.keywords = keywords
        self.group = group
    }

    public var document: Open311Document {
        .object([
            ("service_code", .text(code)), ("service_name", .text(name)), ("description", .text(description)),
            ("metadata", .bool(metadata)), ("type", .text("realtime")),
            ("keywords", .text(keywords.joined(separator: ","))),
            ("group", .text(group)),
        ])
    }

    /// A matter's custom fields as the service definition's attributes, in their order.
    public static func definition(code: String, fields: [CustomField]) -> Open311Document {
        let attributes = fields.enumerated().map { index, field -> Open311Document in
            .object([
                ("variable", .bool(true)), ("code", .text(field.key)), ("datatype", .text(field.datatype.rawValue)),
                ("required", .bool(field.required)), ("datatype_description", .text(field.datatypeDescription)),
                ("order", .number(Double(index + 1))), ("description", .text(field.label)),
                (
                    "values",
                    .list(
                        element: "value",
                        field.values.map { .object([("key", .text($0.key)), ("name", .text($0.name))]) })
                ),
            ])
        }
        return .object([("service_code", .text(code)), ("attributes", .list(element: "attribute", attributes))])
    }
}

extension CustomField {
    /// What a client should put in an attribute of this type.
    public var datatypeDescription: String {
        switch datatype {
        case .string: "A short text."
        case .text: "A longer text."
        case .number: "A number, such as 3 or 2.5."
        case .datetime: "A date and time in ISO 8601 with its time zone, such as 2026-11-22T09:30:00+08:00."
        case .singleValueList: "One of the keys listed in values."
        case .multiValueList: "One or more of the keys listed in values, each sent as attribute[code][]."
        }
    }
}

/// A service request as GET requests shows it.
public struct Open311Request: Equatable, Sendable {
    public var id: String
    public var open: Bool
    public var statusNotes: String?
    public var serviceName: String
    public var serviceCode: String
    public var description: String
    public var agencyResponsible: String?
    public var serviceNotice: String?
    public var requested: Int64
    public var updated: Int64
    public var expected: Int64?
    public var address: String?
    public var lat: Double
    public var long: Double
    public var mediaURL: String?

    public init(
        id: String, open: Bool, statusNotes: String?, serviceName: String, serviceCode: String, description: String,
        agencyResponsible: String?, serviceNotice: String?, requested: Int64, updated: Int64, expected: Int64?,
        address: String?, lat: Double, long: Double, mediaURL: String?
    ) {
        self.id = id
        self.open = open
        self.statusNotes = statusNotes
        self.serviceName = serviceName
        self.serviceCode = serviceCode
        self.description = description
        self.agencyResponsible = agencyResponsible
        self.serviceNotice = serviceNotice
        self.requested = requested
        self.updated = updated
        self.expected = expected
        self.address = address
        self.lat = lat
        self.long = long
        self.mediaURL = mediaURL
    }

    /// Dates in the spec's W3C form, at the city's offset from UTC.
    public func document(utcOffsetMinutes: Int) -> Open311Document {
        func date(_ millis: Int64?) -> Open311Document {
            millis.map { .text(EpochMillis.iso8601($0, utcOffsetMinutes: utcOffsetMinutes)) } ?? .null
        }
        return .object([
            ("service_request_id", .text(id)), ("status", .text(open ? "open" : "closed")),
            ("status_notes", .optional(statusNotes)),
            ("service_name", .text(serviceName)), ("service_code", .text(serviceCode)),
            ("description", .text(description)),
            ("agency_responsible", .optional(agencyResponsible)), ("service_notice", .optional(serviceNotice)),
            ("requested_datetime", date(requested)), ("updated_datetime", date(updated)),
            ("expected_datetime", date(expected)),
            ("address", .optional(address)), ("address_id", .null), ("zipcode", .null),
            ("lat", .number(lat)), ("long", .number(long)), ("media_url", .optional(mediaURL)),
        ])
    }
}

/// What POST requests answers: the new request's id, or a token while intake is asynchronous.
public struct Open311Receipt: Equatable, Sendable {
    public var serviceRequestId: String?
    public var token: String?
    public var serviceNotice: String?
    public var accountId: String?

    public init(serviceRequestId: String?, token: String?, serviceNotice: String?, accountId: String?) {
        self.serviceRequestId = serviceRequestId
        self.token = token
        self.serviceNotice = serviceNotice
        self.accountId = accountId
    }

    public var document: Open311Document {
        var fields: [(String, Open311Document)] = []
        if let serviceRequestId { fields.append(("service_request_id", .text(serviceRequestId))) }
        if let token { fields.append(("token", .text(token))) }
        fields.append(("service_notice", .optional(serviceNotice)))
        fields.append(("account_id", .optional(accountId)))
        return .list(element: "request", [.object(fields)])
    }
}

/// An Open311 error: the HTTP status as its code and a description that starts with our stable
/// error code (`service_code_missing: …`), so clients can match on it.
public struct Open311Error: Error, Equatable, Sendable {
    public var status: Int
    public var code: String
    public var description: String

    public init(_ status: Int, _ code: String, _ description: String) {
        self.status = status
        self.code = code
        self.description = description
    }

    // GeoReport v2 answers errors with the HTTP status and puts it in each error's `code`.
    public static func badRequest(_ code: String, _ description: String) -> Open311Error {
        .init(400, code, description)
    }
    public static func forbidden(_ code: String, _ description: String) -> Open311Error {
        .init(403, code, description)
    }
    public static func notFound(_ code: String, _ description: String) -> Open311Error { .init(404, code, description) }

    public static func documents(_ errors: [Open311Error]) -> Open311Document {
        .list(
            element: "error",
            errors.map {
                .object([("code", .number(Double($0.status))), ("description", .text("\($0.code): \($0.description)"))])
            })
    }
}
