import ChengyunCore
import Testing

/// A waste-sorting-point ledger through an eight-step pipeline, each outcome worked out by hand.
@Suite struct RecordCleanerTests {
    static let fields = [
        DatasetField("code", .string, title: "编号", required: true, key: true),
        DatasetField("name", .string, title: "名称", required: true), DatasetField("kind", .string, title: "类型"),
        DatasetField("bins", .integer, title: "桶数"), DatasetField("lon", .lon, title: "经度", required: true),
        DatasetField("lat", .lat, title: "纬度", required: true), DatasetField("grid_cell", .string, title: "网格"),
        DatasetField("phone", .string, title: "电话"), DatasetField("checked_at", .datetime, title: "检查时间"),
    ]
    static let pipeline = CleaningPipeline(
        columns: [
            "编号": "code", "名称": "name", "类型": "kind", "桶数": "bins", "经度": "lon", "纬度": "lat", "网格": "grid_cell",
            "电话": "phone", "检查时间": "checked_at",
        ],
        steps: [
            .trim, .codeList(field: "kind", map: ["四分类": "sorted", "厨余": "kitchen"], strict: true),
            .range(field: "bins", min: 1, max: 20), .phone(field: "phone"), .date(field: "checked_at"), .gcj02ToWgs84,
            .exists(field: "grid_cell", in: .gridCell), .dedupe,
        ])

    @Test func eachStepCorrectsOrRefuses() throws {
        var cleaner = try RecordCleaner(
            fields: Self.fields, pipeline: Self.pipeline, references: [.gridCell: ["C1", "C2"]])
        #expect(cleaner.header(["编号", "名称", "类型", "桶数", "经度", "纬度", "网格", "电话", "检查时间", "备注"]) == ["备注"])
        // The Shanghai test point's GCJ-02 position (MarsCoordinatesTests).
        let good = [
            " LJ001 ", "东园投放点", " 四分类 ", "3", "121.531541859215", "31.17530398364597", "C1", "+86 138-0000-1234",
            "2026/11/5 9:30", "x",
        ]
        guard case .success(let record) = cleaner.clean(cells: good, line: 2) else {
            Issue.record("the good row is refused")
            return
        }
        #expect(record.key == "LJ001" && record.corrected)
        #expect(
            record.values[0] == .text("LJ001") && record.values[2] == .text("sorted") && record.values[3] == .integer(3)
        )
        guard case .number(let lon) = record.values[4], case .number(let lat) = record.values[5] else {
            Issue.record("no position")
            return
        }
        #expect(abs(lon - 121.5272106) < 1e-7 && abs(lat - 31.1774276) < 1e-7)
        #expect(record.values[7] == .text("13800001234"))
        // 2026-11-05 09:30 China time is 01:30 UTC.
        #expect(record.values[8] == .integer(1_793_842_200_000))

        func refused(_ change: (inout [String]) -> Void, line: Int) -> (String?, CleaningRefusal.Reason)? {
            var cells = good
            cells[0] = "LJ\(line)"
            change(&cells)
            guard case .failure(let refusal) = cleaner.clean(cells: cells, line: line) else { return nil }
            #expect(refusal.line == line)
            return (refusal.field, refusal.reason)
        }
        #expect(refused({ $0[2] = "厨房" }, line: 3)! == ("kind", .notInCodeList))
        #expect(refused({ $0[3] = "30" }, line: 4)! == ("bins", .outOfRange))
        #expect(refused({ $0[7] = "12" }, line: 5)! == ("phone", .invalidPhone))
        #expect(refused({ $0[6] = "C9" }, line: 6)! == ("grid_cell", .unknownReference))
        #expect(refused({ $0[1] = "  " }, line: 7)! == ("name", .required))
        #expect(refused({ $0[8] = "2026-02-30 10:00" }, line: 8)! == ("checked_at", .notDate))
        #expect(refused({ $0[3] = "三" }, line: 9)! == ("bins", .notNumber))
        #expect(refused({ $0.removeLast() }, line: 12)! == (nil, .malformed))
        // Digits alone are a compact date and time in China, never epoch milliseconds.
        var compact = good
        compact[0] = "LJ013"
        compact[8] = "20261105093000"
        guard case .success(let stamped) = cleaner.clean(cells: compact, line: 13) else {
            Issue.record("a compact date is refused")
            return
        }
        #expect(stamped.values[8] == .integer(1_793_842_200_000))
        // The first row's key again.
        guard case .failure(let repeated) = cleaner.clean(cells: good, line: 10) else {
            Issue.record("a repeated key is kept")
            return
        }
        #expect(repeated.reason == .duplicateKey && repeated.detail == "same key as line 2")
        // A row already in canonical forms is still corrected: the code list and the datum.
        var plain = cleaner
        guard
            case .success(let clean) = plain.clean(
                cells: [
                    "LJ100", "北园", "厨余", "2", "121.5", "31.2", "C2", "13800001234", "2026-11-05T09:30:00+08:00", "",
                ],
                line: 11)
        else {
            Issue.record("a clean row is refused")
            return
        }
        #expect(clean.corrected, "the code list maps 厨余 and the position moves to WGS-84")
    }

    @Test func theReportCountsAndListsRefusals() {
        var report = LoadReport()
        let kept = CleanRecord(key: "a", values: [], corrected: false)
        report.count(.success(kept))
        report.count(.success(CleanRecord(key: "b", values: [], corrected: true)))
        for line in 0..<1_005 {
            report.count(.failure(CleaningRefusal(line: line, field: nil, reason: .malformed, detail: "")))
        }
        #expect(report.rowsIn == 1_007 && report.kept == 2 && report.corrected == 1 && report.refused == 1_005)
        #expect(report.refusals.count == LoadReport.listedRefusals)
    }

    @Test func aPipelineNamesFieldsTheDatasetHas() {
        let bad = CleaningPipeline(
            columns: ["x": "nope"],
            steps: [
                .range(field: "name", min: 1, max: nil), .pattern(field: "code", regex: "(["), .date(field: "bins"),
                .range(field: "bins", min: nil, max: nil),
            ])
        #expect(
            bad.issues(for: Self.fields).map(\.code) == [
                "unknown_field", "not_numeric", "invalid_regex", "not_temporal", "no_bounds",
            ])
        #expect(Self.pipeline.issues(for: Self.fields).isEmpty)
    }

    /// Phones and dates as Chinese sources write them, each through its step alone.
    @Test(arguments: [
        ("+86 138-0000-1234", "13800001234"), ("１３８００００１２３４", "13800001234"), ("（0512）6522-0001", "051265220001"),
        ("０５１２－６５２２０００１", "051265220001"),
        ("＋86\u{3000}138—0000—1234", "13800001234"), ("①３８００００１２３４", nil),
        ("0086 13800001234", "13800001234"), ("12345", "12345"), ("110", "110"), ("一三八", nil), ("13x00001234", nil),
        ("12", nil), ("23800001234", nil),
    ])
    func phones(_ text: String, _ expected: String?) throws {
        #expect(try cleaned(["phone": text], .phone(field: "phone"), field: 7) == expected.map(FieldValue.text))
    }

    @Test(arguments: [
        ("2026/11/5 9:30", "2026-11-05T09:30:00+08:00"), ("2026年11月5日", "2026-11-05T00:00:00+08:00"),
        ("2026.11.05 08:30:15", "2026-11-05T08:30:15+08:00"), ("20261105", "2026-11-05T00:00:00+08:00"),
        ("20261105083000", "2026-11-05T08:30:00+08:00"), ("2026-11-05T09:30:00Z", "2026-11-05T09:30:00Z"),
        ("2026/2/30", nil), ("2026/11/5 24:00", nil), ("1793842200000", nil), ("2026/11/5 上午", nil),
        ("99999999999999999999/1/1", nil),
    ])
    func dates(_ text: String, _ expected: String?) throws {
        let value = try cleaned(["checked_at": text], .date(field: "checked_at"), field: 8)
        #expect(value == expected.flatMap(Instant.parse).map(FieldValue.integer))
    }

    /// The field's value after one step over a row holding `cells` (nil when the row is refused).
    private func cleaned(_ cells: [String: String], _ step: CleaningStep, field: Int) throws -> FieldValue? {
        var cleaner = try RecordCleaner(fields: Self.fields, pipeline: CleaningPipeline(columns: [:], steps: [step]))
        var named = ["code": "LJ1", "name": "点", "kind": "sorted", "bins": "1", "lon": "120.6", "lat": "31.3"]
        named.merge(cells) { $1 }
        guard case .success(let record) = cleaner.clean(named: named, line: 2) else { return nil }
        return record.values[field]
    }
}
