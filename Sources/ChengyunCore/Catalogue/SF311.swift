/// How San Francisco's 311 requests (data/sf311) map onto Chengyun: their categories
/// onto docs/domain.md §4 matters, their work queues onto departments. Shared by `bench routing` and the
/// Open311 replay, so both read the data the same way.
public enum SF311 {
    /// SF311 categories as docs/domain.md §4 matters; the rest share one catch-all matter.
    public static let matterCodes: [String: String] = [
        "Street and Sidewalk Cleaning": "E0104", "Graffiti Public Property": "E0201",
        "Graffiti Private Property": "E0202",
        "Illegal Postings": "E0201", "Abandoned Vehicle": "E0107", "Sewer Issues": "E0404", "Streetlights": "C0118",
        "Street Defects": "E0306", "Sidewalk or Curb": "E0306", "Tree Maintenance": "C0402", "Sign Repair": "C0209",
        "Temporary Sign Request": "C0209", "Litter Receptacles": "C0305", "Rec and Park Requests": "C0405",
        "MUNI Feedback": "C0203",
        "Blocked Street or SideWalk": "E0507", "Catch Basin Maintenance": "C0104", "Noise Report": "E0301",
        "Color Curb": "E0505",
    ]

    /// The department behind an SF311 work queue: "DPW Ops Queue" → DPW, "Recology_Abandoned" →
    /// Recology, "zzRPD Urban Forestry Queue - DO NOT USE" → RPD, "PG and E - Streetlights Queue" → PG&E.
    public static func department(of queue: String) -> String {
        if queue.hasPrefix("PG and E") { return "PG&E" }
        var owner = String(
            queue.split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "-" }).first ?? Substring(queue))
        if owner.hasPrefix("zz") { owner.removeFirst(2) }
        return owner.uppercased()
    }
}
