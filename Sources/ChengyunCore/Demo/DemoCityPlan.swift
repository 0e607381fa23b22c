/// The layout of the demo city: a deterministic, realistic-looking city of 3 districts,
/// 12 streets, 40 communities and 420 grid cells around Suzhou. Grid cells are quadrilaterals on
/// one jittered lattice, so neighbouring cells share their edges exactly and tile each street.
public struct DemoCityPlan: Sendable {
    public struct AreaPlan: Sendable {
        public var code: String
        public var name: String
        public var level: AreaLevel
        public var parentCode: String?
    }

    public struct CellPlan: Sendable {
        public var code: String
        public var name: String
        public var communityCode: String
        public var polygon: GeoPolygon
    }

    public struct DepartmentPlan: Sendable {
        public var code: String
        public var name: String
        public var kind: DepartmentKind
        public var areaCode: String
        public var phone: String
    }

    public var areas: [AreaPlan] = []
    public var cells: [CellPlan] = []
    public var departments: [DepartmentPlan] = []

    /// Lattice spacing: about 100 m in each direction at latitude 31.3° (a 10,000 m² cell).
    static let origin = GeoPoint(lon: 120.560, lat: 31.275)
    static let stepLon = 0.00105
    static let stepLat = 0.0009
    static let columnsPerStreet = 5
    static let rowsPerStreet = 7

    public static let districts: [(code: String, name: String, streets: [String])] = [
        ("320508", "姑苏区", ["平江街道", "沧浪街道", "双塔街道", "金阊街道"]),
        ("320506", "吴中区", ["长桥街道", "越溪街道", "郭巷街道", "横泾街道"]),
        ("320507", "相城区", ["元和街道", "太平街道", "黄桥街道", "北桥街道"]),
    ]

    static let communityNames = [
        "东园", "西园", "南苑", "北苑", "桃花坞", "观前", "石路", "枫桥", "金鸡湖", "白塘",
        "青云", "新民", "和平", "幸福", "长春", "景德",
    ]

    public init() {
        areas.append(AreaPlan(code: "320500", name: "苏州市", level: .city, parentCode: nil))
        var communityIndex = 0
        for (d, district) in Self.districts.enumerated() {
            areas.append(AreaPlan(code: district.code, name: district.name, level: .district, parentCode: "320500"))
            for (s, streetName) in district.streets.enumerated() {
                let streetCode = district.code + padded3(s + 1)
                areas.append(AreaPlan(code: streetCode, name: streetName, level: .street, parentCode: district.code))
                // Four streets of each district have 4 communities; alternating ones have 3.
                let rowSplits = (d * 4 + s) % 3 == 0 ? [2, 2, 2, 1] : [3, 2, 2]
                let columnBase = (d * 2 + s % 2) * Self.columnsPerStreet
                var rowBase = (s / 2) * Self.rowsPerStreet
                for (c, rows) in rowSplits.enumerated() {
                    let communityCode = streetCode + padded3(c + 1)
                    let communityName =
                        Self.communityNames[communityIndex % Self.communityNames.count]
                        + (communityIndex >= Self.communityNames.count ? "二" : "") + "社区"
                    communityIndex += 1
                    areas.append(
                        AreaPlan(
                            code: communityCode, name: communityName, level: .community,
                            parentCode: streetCode))
                    var sequence = 1
                    for row in rowBase..<(rowBase + rows) {
                        for column in columnBase..<(columnBase + Self.columnsPerStreet) {
                            let code = GridCellCode(community: communityCode, sequence: sequence).value
                            cells.append(
                                CellPlan(
                                    code: code, name: "\(communityName)第\(sequence)网格",
                                    communityCode: communityCode,
                                    polygon: Self.cellPolygon(column: column, row: row)))
                            sequence += 1
                        }
                    }
                    rowBase += rows
                }
            }
        }
        departments = Self.departmentPlans()
    }

    /// A lattice vertex, moved by up to 12% of a step in a way fixed by its position, so shared
    /// vertices move together and the tiling stays exact.
    public static func vertex(column: Int, row: Int) -> GeoPoint {
        var rng = SplitMix64(seed: UInt64(bitPattern: Int64(column &* 73_856_093 ^ row &* 19_349_663)))
        let dx = (Double(rng.next() % 1000) / 1000 - 0.5) * 0.24
        let dy = (Double(rng.next() % 1000) / 1000 - 0.5) * 0.24
        return GeoPoint(
            lon: origin.lon + (Double(column) + dx) * stepLon,
            lat: origin.lat + (Double(row) + dy) * stepLat)
    }

    static func cellPolygon(column: Int, row: Int) -> GeoPolygon {
        let ring = [
            vertex(column: column, row: row), vertex(column: column + 1, row: row),
            vertex(column: column + 1, row: row + 1), vertex(column: column, row: row + 1),
        ]
        // Neighbouring vertices move by at most 24% of a step together, so the quadrilateral is always simple.
        return try! GeoPolygon(rings: [ring])
    }

    static func departmentPlans() -> [DepartmentPlan] {
        let city: [(String, DepartmentKind)] = [
            ("苏州市市容环境卫生管理处", .sanitation), ("苏州市市政设施管理处", .municipal),
            ("苏州市园林和绿化管理局", .landscaping), ("苏州市城市管理综合行政执法支队", .enforcement),
            ("苏州市公安局交通警察支队", .traffic), ("苏州市自来水有限公司", .water),
            ("苏州市排水管理处", .drainage), ("苏州港华燃气有限公司", .gas),
            ("国网苏州供电公司", .power), ("苏州市住房和城乡建设局", .housing),
            ("苏州市生态环境局", .environment), ("苏州市消防救援支队", .emergency),
            ("苏州市应急管理局", .emergency), ("苏州市急救中心", .other),
        ]
        var plans = city.enumerated().map { index, entry in
            DepartmentPlan(
                code: "D3205" + padded3(index + 1), name: entry.0, kind: entry.1,
                areaCode: "320500", phone: "0512-6" + padded3(100 + index) + "0000")
        }
        let perDistrict: [(String, DepartmentKind)] = [
            ("环境卫生管理所", .sanitation), ("城市管理行政执法大队", .enforcement),
            ("市政工程管理所", .municipal),
        ]
        for district in districts {
            for (index, entry) in perDistrict.enumerated() {
                plans.append(
                    DepartmentPlan(
                        code: "D" + district.code + padded3(index + 1),
                        name: district.name + entry.0, kind: entry.1, areaCode: district.code,
                        phone: "0512-6" + String(district.code.suffix(3)) + padded3(index + 1) + "0"))
            }
        }
        return plans
    }
}

/// Zero-padded three-digit number (1 → "001").
func padded3(_ value: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
}
