/// A stable error code: the `code` of a problem document, a field issue or a refused line.
/// Codes that code compares against are named constants here, so the place that throws one and
/// the place that matches it cannot drift apart; any other code still reads as a string literal.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }

    /// Some fields of the input are not valid (422, with one issue per field).
    public static let validationFailed: ErrorCode = "validation_failed"
    public static let notFound: ErrorCode = "not_found"
    public static let outOfScope: ErrorCode = "out_of_scope"
    /// The record changed between reading and writing it (the step is retried, then refused).
    public static let concurrentUpdate: ErrorCode = "concurrent_update"
    /// A telemetry line or rule named a device the platform does not know.
    public static let unknownDevice: ErrorCode = "unknown_device"
    /// An emergency resource was asked to do what its status does not allow (assigned while not
    /// available, say).
    public static let resourceUnavailable: ErrorCode = "resource_unavailable"
}
