/// A working period within a day, in minutes after local midnight, written {"start":"08:30","end":"12:00"}.
public struct WorkPeriod: Equatable, Hashable, Sendable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    public init?(start: String, end: String) {
        guard let s = Self.minutes(start), let e = Self.minutes(end) else { return nil }
        self.init(start: s, end: e)
    }

    public var minutes: Int { end - start }

    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 1440
        else { return nil }
        return h * 60 + m
    }

    static func text(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}

extension WorkPeriod: Codable {
    enum CodingKeys: String, CodingKey { case start, end }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let start = try container.decode(String.self, forKey: .start),
            end = try container.decode(String.self, forKey: .end)
        guard let period = WorkPeriod(start: start, end: end) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "Expected times as HH:MM, got \(start)–\(end)."))
        }
        self = period
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.text(start), forKey: .start)
        try container.encode(Self.text(end), forKey: .end)
    }
}
