/// `GET requests` filters as GeoReport v2 defines them: a list of ids overrides everything else;
/// otherwise service codes, a date range of at most 90 days (the most recent 90 days by default)
/// and statuses. At most 1000 requests are returned. An empty parameter counts as absent.
public struct Open311Query: Equatable, Sendable {
    public static let maxDays: Int64 = 90
    public static let maxResults = 1000
    static let dayMillis: Int64 = 86_400_000

    public var ids: [String]?
    public var serviceCodes: [String] = []
    public var from: Int64 = 0
    /// Exclusive end.
    public var to: Int64 = 0
    /// nil: both open and closed.
    public var open: Bool?

    public init(ids: [String]? = nil, serviceCodes: [String] = [], from: Int64, to: Int64, open: Bool? = nil) {
        self.ids = ids
        self.serviceCodes = serviceCodes
        self.from = from
        self.to = to
        self.open = open
    }

    /// Reads the query parameters; every problem found is reported, not just the first.
    public static func parse(_ parameters: [String: String], now: Int64) throws(Open311Errors) -> Open311Query {
        func value(_ name: String) -> String? {
            guard let raw = parameters[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func list(_ name: String) -> [String] {
            (value(name) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
        }
        if value("service_request_id") != nil {
            let ids = list("service_request_id")
            guard ids.count <= maxResults else {
                throw Open311Errors([
                    Open311Error.badRequest(
                        "too_many_ids", "Ask for at most \(maxResults) service_request_id values at once.")
                ])
            }
            return Open311Query(ids: ids, from: 0, to: 0)
        }
        var errors: [Open311Error] = []
        func date(_ name: String) -> Int64? {
            guard let text = value(name) else { return nil }
            guard text.contains("T"), let millis = Instant.parse(text) else {
                errors.append(
                    Open311Error.badRequest(
                        "invalid_\(name)",
                        "\(name) must be a W3C date and time with its time zone, such as 2026-11-01T00:00:00+08:00."))
                return nil
            }
            return millis
        }
        let start = date("start_date"), end = date("end_date")
        let span = maxDays * dayMillis
        var query = Open311Query(serviceCodes: list("service_code"), from: now - span, to: now + 1)
        switch (start, end) {
        case let (start?, end?):
            query.from = start
            query.to = end + 1
            if end < start {
                errors.append(Open311Error.badRequest("invalid_date_range", "end_date is before start_date."))
            } else if end - start > span {
                errors.append(
                    Open311Error.badRequest(
                        "date_range_too_long", "start_date and end_date may not span more than \(maxDays) days."))
            }
        case let (start?, nil): (query.from, query.to) = (start, start + span + 1)
        case let (nil, end?): (query.from, query.to) = (end - span, end + 1)
        case (nil, nil): break
        }
        let statuses = Set(list("status").map { $0.lowercased() })
        if !statuses.isSubset(of: ["open", "closed"]) {
            errors.append(
                Open311Error.badRequest("invalid_status", "status is open, closed, or both separated by a comma."))
        } else if statuses.count == 1 {
            query.open = statuses.contains("open")
        }
        guard errors.isEmpty else { throw Open311Errors(errors) }
        return query
    }
}

/// One or more Open311 errors of the same answer.
public struct Open311Errors: Error, Equatable, Sendable {
    public var errors: [Open311Error]
    public init(_ errors: [Open311Error]) { self.errors = errors }
    public init(_ error: Open311Error) { self.errors = [error] }
    /// The HTTP status of the answer: the first error's.
    public var status: Int { errors.first?.status ?? 400 }
}

extension Open311Errors {
    /// The case loop's refusal in Open311's terms: one error per field issue.
    public init(domain error: DomainError) {
        let status =
            switch error.kind {
            case .forbidden, .unauthenticated: 403
            case .notFound: 404
            default: 400
            }
        if error.issues.isEmpty {
            self.init(Open311Error(status, error.code.rawValue, error.message))
        } else {
            self.init(error.issues.map { Open311Error(status, $0.code.rawValue, "\($0.field): \($0.message)") })
        }
    }
}
