import ChengyunCore
import Foundation

/// The demo city's data catalog beyond the platform's own datasets: the city sanitation
/// department's waste-sorting points (生活垃圾分类投放点), one a cell in a dozen cells, registered,
/// reviewed and published, with a cleaning pipeline and a first load. The source writes
/// positions in GCJ-02, as Chinese map tools export them, and its own words for the bin type;
/// the pipeline converts both. The centre's big screen holds an approved grant to read it.
public struct DemoDataHub: Sendable {
    let platform: Platform
    static let code = "waste-sorting-points"

    /// The ledger's fields: its code is the key; the position and the last check are indexed.
    public static let fields = [
        DatasetField("code", .string, title: "投放点编号", required: true, key: true),
        DatasetField("name", .string, title: "名称", required: true),
        DatasetField("kind", .string, title: "投放类型", description: "sorted 四分类, kitchen 厨余, recyclable 可回收"),
        DatasetField("bins", .integer, title: "桶数"),
        DatasetField("lon", .lon, title: "经度", unit: "°", required: true),
        DatasetField("lat", .lat, title: "纬度", unit: "°", required: true),
        DatasetField("grid_cell", .string, title: "单元网格", indexed: true),
        DatasetField("phone", .string, title: "管理电话"),
        DatasetField("checked_at", .datetime, title: "最近检查"),
    ]

    /// The department's headers mapped, its words for the bin types turned into codes, the
    /// counts bounded, phones and dates normalised, GCJ-02 to WGS-84, the cell checked, one row a key.
    public static let pipeline = CleaningPipeline(
        columns: [
            "编号": "code", "名称": "name", "类型": "kind", "桶数": "bins", "经度": "lon", "纬度": "lat", "网格": "grid_cell",
            "电话": "phone", "检查时间": "checked_at",
        ],
        steps: [
            .trim,
            .codeList(field: "kind", map: ["四分类": "sorted", "厨余": "kitchen", "可回收": "recyclable"], strict: true),
            .range(field: "bins", min: 1, max: 20), .phone(field: "phone"), .date(field: "checked_at"), .gcj02ToWgs84,
            .exists(field: "grid_cell", in: .gridCell), .dedupe,
        ])

    func build(cells: [DemoCityPlan.CellPlan], owner: Department, city: Area) async throws {
        let handler = Principal(
            kind: .staff, id: "demo-sanitation-data", name: "环卫处数据员", roles: [.handler],
            scope: AreaScope(areaId: city.id, path: city.path), departmentId: owner.id)
        let centre = Principal(
            kind: .staff, id: "demo-centre-data", name: "城运中心数据管理", roles: [.admin],
            scope: AreaScope(areaId: city.id, path: city.path))
        let draft = DatasetDraft(
            code: Self.code, title: "生活垃圾分类投放点", titleEn: "Waste sorting points",
            description: "小区和街面的生活垃圾分类投放点：位置、投放类型、桶数和开放时段。",
            sharingType: .unconditional, openType: .open, updateCycle: .monthly,
            coverage: DatasetCoverage(areaName: city.name), tags: ["垃圾分类", "环卫设施"],
            fields: Self.fields,
            lineage: [LineageLink(.dataset, "grid-cells"), LineageLink(.source, "环卫处分类投放点台账")])
        _ = try await platform.dataCatalog.register(draft, by: handler)
        _ = try await platform.dataCatalog.act(code: Self.code, .submit, note: nil, by: handler)
        _ = try await platform.dataCatalog.act(code: Self.code, .approve, note: "首批目录", by: centre)
        _ = try await platform.datasetLoads.setPipeline(
            code: Self.code, PipelineInput(columns: Self.pipeline.columns, steps: Self.pipeline.steps), by: handler)
        let csv = Self.source(cells: Array(cells.prefix(12)))
        _ = try await platform.datasetLoads.load(
            code: Self.code, format: .csv, source: .upload, dryRun: false,
            chunks: AsyncStream { continuation in
                continuation.yield(Array(csv.utf8))
                continuation.finish()
            }, by: handler)
        // The centre's big screen reads the points by a key: applied for, approved by the owner.
        let application = try await platform.exchange.apply(
            code: Self.code,
            AccessApplicationInput(
                purpose: "城运中心大屏展示各街道生活垃圾分类投放点分布", fields: ["code", "name", "kind", "lon", "lat", "grid_cell"],
                days: 365, system: "城运中心大屏"), by: centre)
        _ = try await platform.exchange.act(id: application.id, .approve, note: "同意，限大屏展示", by: handler)
    }

    /// The department's ledger as it exports it: Chinese headers, GCJ-02 positions, its own words.
    static func source(cells: [DemoCityPlan.CellPlan]) -> String {
        let kinds = ["四分类", "厨余", "可回收"]
        var lines = ["编号,名称,类型,桶数,经度,纬度,网格,电话,检查时间"]
        for (index, cell) in cells.enumerated() {
            let mars = MarsCoordinates.gcj02(fromWGS84: cell.polygon.centroid)
            lines.append(
                "LJ\(String(format: "%03d", index + 1)),\(cell.name)投放点, \(kinds[index % 3]) ,\(2 + index % 4),"
                    + "\(String(format: "%.6f", mars.lon)),\(String(format: "%.6f", mars.lat)),\(cell.code),"
                    + "0512-6\(String(format: "%07d", 5_200_000 + index)),2026/11/\(1 + index % 28) 09:30")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
