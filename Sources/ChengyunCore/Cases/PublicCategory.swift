/// The plain-language categories a citizen reports under (公众上报分类) instead of the catalogue's
/// hundred matters with their codes: each names the matters it covers, the usual one first. The
/// learned model (`MatterSuggester`) picks among them from the citizen's own words; the intake
/// operator confirms or corrects. Names and icons are the web page's; codes are stable.
public struct PublicCategory: Codable, Equatable, Sendable {
    public var code: String
    public var matterCodes: [String]

    public init(code: String, matterCodes: [String]) {
        self.code = code
        self.matterCodes = matterCodes
    }

    public static func find(_ code: String) -> PublicCategory? { standard.first { $0.code == code } }

    public static let standard: [PublicCategory] = [
        PublicCategory(code: "garbage", matterCodes: ["E0102", "E0103", "E0104", "C0305", "E0105", "E0304"]),
        PublicCategory(code: "roads", matterCodes: ["E0306", "E0401", "C0211", "C0205", "C0208"]),
        PublicCategory(
            code: "manholes",
            matterCodes: ["C0103", "C0101", "C0102", "C0104", "C0105", "C0106", "C0107", "C0110", "C0111"]),
        PublicCategory(code: "flooding", matterCodes: ["E0111", "E0404", "E0402"]),
        PublicCategory(code: "lights", matterCodes: ["C0118", "C0116"]),
        PublicCategory(code: "traffic", matterCodes: ["C0214", "C0209", "C0213", "C0203", "C0201"]),
        PublicCategory(code: "trading", matterCodes: ["E0501", "E0504", "E0510"]),
        PublicCategory(code: "parking", matterCodes: ["E0505", "E0506", "E0107"]),
        PublicCategory(code: "ads", matterCodes: ["E0201", "E0202", "C0307"]),
        PublicCategory(code: "construction", matterCodes: ["E0302", "E0301", "E0307"]),
        PublicCategory(code: "greenery", matterCodes: ["C0402", "C0405", "C0401"]),
        PublicCategory(code: "facilities", matterCodes: ["C0301", "C0121", "C0126", "C0113", "E0507"]),
    ]
}
