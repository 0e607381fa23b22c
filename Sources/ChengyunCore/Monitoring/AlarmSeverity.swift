/// The four-colour warning scale (红橙黄蓝), most severe first.
public enum AlarmSeverity: String, Codable, CaseIterable, Sendable, Comparable {
    case red, orange, yellow, blue

    /// Blue 1 … red 4: higher is more severe.
    public var rank: Int {
        switch self {
        case .blue: 1
        case .yellow: 2
        case .orange: 3
        case .red: 4
        }
    }

    public static func < (a: AlarmSeverity, b: AlarmSeverity) -> Bool { a.rank < b.rank }
}
