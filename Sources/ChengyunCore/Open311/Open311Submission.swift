import Foundation

/// A `POST requests` form, read and checked before anything is stored. Unknown parameters are
/// ignored (clients send their own extras); an empty parameter counts as absent.
public struct Open311Submission: Codable, Equatable, Sendable {
    public var serviceCode: String
    public var lat: Double?
    public var long: Double?
    public var addressString: String?
    public var addressId: String?
    public var email: String?
    public var deviceId: String?
    public var accountId: String?
    public var firstName: String?
    public var lastName: String?
    public var phone: String?
    public var description: String?
    public var mediaURL: String?
    /// Attribute code → its values (one, or several for a multi-value list).
    public var attributes: [String: [String]]

    public static let maxDescription = 4000

    public init(
        serviceCode: String, lat: Double? = nil, long: Double? = nil, addressString: String? = nil,
        addressId: String? = nil, email: String? = nil, deviceId: String? = nil, accountId: String? = nil,
        firstName: String? = nil, lastName: String? = nil, phone: String? = nil, description: String? = nil,
        mediaURL: String? = nil, attributes: [String: [String]] = [:]
    ) {
        self.serviceCode = serviceCode
        self.lat = lat
        self.long = long
        self.addressString = addressString
        self.addressId = addressId
        self.email = email
        self.deviceId = deviceId
        self.accountId = accountId
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.description = description
        self.mediaURL = mediaURL
        self.attributes = attributes
    }

    public static func parse(_ pairs: [(name: String, value: String)]) throws(Open311Errors) -> Open311Submission {
        var fields: [String: String] = [:]
        var attributes: [String: [String]] = [:]
        for (name, raw) in pairs {
            let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { continue }
            if name.hasPrefix("attribute["), let close = name.firstIndex(of: "]") {
                let code = String(name[name.index(name.startIndex, offsetBy: 10)..<close])
                if !code.isEmpty { attributes[code, default: []].append(value) }
            } else if fields[name] == nil {
                fields[name] = value
            }
        }
        var errors: [Open311Error] = []
        let code = fields["service_code"] ?? ""
        if code.isEmpty { errors.append(Open311Error.badRequest("service_code_missing", "service_code is required.")) }
        func number(_ name: String, _ range: ClosedRange<Double>) -> Double? {
            guard let text = fields[name] else { return nil }
            guard let value = Double(text), range.contains(value) else {
                errors.append(
                    Open311Error.badRequest(
                        "invalid_\(name)",
                        "\(name) is a number from \(Int(range.lowerBound)) to \(Int(range.upperBound))."))
                return nil
            }
            return value
        }
        let lat = number("lat", -90...90), long = number("long", -180...180)
        if (fields["lat"] == nil) != (fields["long"] == nil) {
            errors.append(Open311Error.badRequest("location_incomplete", "Send lat and long together."))
        } else if fields["lat"] == nil && fields["address_string"] == nil && fields["address_id"] == nil {
            errors.append(
                Open311Error.badRequest("location_missing", "Send lat and long, address_string or address_id."))
        }
        if let email = fields["email"], !(email.contains("@") && email.count <= 254) {
            errors.append(Open311Error.badRequest("invalid_email", "email is not an e-mail address."))
        }
        if let media = fields["media_url"], !Self.isWebURL(media) {
            errors.append(Open311Error.badRequest("invalid_media_url", "media_url is an http or https URL."))
        }
        if let text = fields["description"], text.count > maxDescription {
            errors.append(
                Open311Error.badRequest("description_too_long", "description has at most \(maxDescription) characters.")
            )
        }
        guard errors.isEmpty else { throw Open311Errors(errors) }
        return Open311Submission(
            serviceCode: code, lat: lat, long: long, addressString: fields["address_string"],
            addressId: fields["address_id"], email: fields["email"], deviceId: fields["device_id"],
            accountId: fields["account_id"], firstName: fields["first_name"], lastName: fields["last_name"],
            phone: fields["phone"], description: fields["description"], mediaURL: fields["media_url"],
            attributes: attributes)
    }

    static func isWebURL(_ text: String) -> Bool {
        guard text.count <= 2000, let url = URL(string: text), let scheme = url.scheme?.lowercased() else {
            return false
        }
        return (scheme == "http" || scheme == "https") && url.host?.isEmpty == false
    }

    /// The reporter's name as the case records it.
    public var reporterName: String? {
        let name = [firstName, lastName].compactMap { $0 }.joined(separator: " ")
        return name.isEmpty ? nil : name
    }

    /// How the reporter can be told the outcome: phone, then e-mail.
    public var contact: String? { phone ?? email }
}
