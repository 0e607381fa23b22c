import ChengyunCore
import Testing

/// Sources read as they arrive: the rows or objects come out the same however the bytes are cut.
@Suite struct SourceReadersTests {
    private func csvRows(_ text: String, chunk: Int) throws -> [([String], Int)] {
        var reader = CSVRowReader()
        var rows: [([String], Int)] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            try reader.feed(bytes[start..<min(start + chunk, bytes.count)]) { rows.append(($0, $1)) }
            start += chunk
        }
        try reader.finish { rows.append(($0, $1)) }
        return rows
    }

    @Test func csvQuotesAndLinesWhateverTheChunks() throws {
        let text = "\u{FEFF}编号,名称,备注\r\nA1,\"东园, 北门\",\"他说\"\"好\"\"\"\n\nA2,西园,\"两行\n备注\"\nA3,,末行"
        let expected: [([String], Int)] = [
            (["编号", "名称", "备注"], 1), (["A1", "东园, 北门", "他说\"好\""], 2), (["A2", "西园", "两行\n备注"], 4),
            (["A3", "", "末行"], 6),
        ]
        for chunk in [1, 2, 3, 7, 1000] {
            let rows = try csvRows(text, chunk: chunk)
            #expect(rows.map(\.0) == expected.map(\.0), "chunks of \(chunk)")
            #expect(rows.map(\.1) == expected.map(\.1), "lines, chunks of \(chunk)")
        }
        #expect(throws: SourceError.unclosedQuote(line: 2)) { try csvRows("a\n\"open,x\n", chunk: 4) }
        // Only EF BB BF is a byte-order mark: a header starting with a full-width character keeps it.
        #expect(try csvRows("（编号）,x\n1,2", chunk: 1).map(\.0) == [["（编号）", "x"], ["1", "2"]])
        // A lone carriage return ends a line; a quote inside an unquoted cell is a character.
        #expect(try csvRows("a,b\r1,5\"寸\r2,3", chunk: 2).map(\.0) == [["a", "b"], ["1", "5\"寸"], ["2", "3"]])
    }

    private func elements(_ text: String, _ layout: JSONElementSplitter.Layout, chunk: Int) throws -> [String] {
        var splitter = JSONElementSplitter(layout)
        var found: [String] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            try splitter.feed(bytes[start..<min(start + chunk, bytes.count)]) { bytes, _ in
                found.append(String(decoding: bytes, as: UTF8.self))
            }
            start += chunk
        }
        try splitter.finish()
        return found
    }

    @Test func jsonArraysLinesAndFeatureCollections() throws {
        let array = #"[{"a":1,"b":"x}"}, {"a":[2,{"c":3}]}]"#
        let lines = "{\"a\":1}\n{\"a\":\"\\\"}\"}\n"
        let collection =
            #"{"type":"FeatureCollection","bbox":[1,2,3,4],"features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[120.6,31.3]},"properties":{"n":"]"}}],"name":"x"}"#
        for chunk in [1, 5, 1000] {
            #expect(try elements(array, .array, chunk: chunk) == [#"{"a":1,"b":"x}"}"#, #"{"a":[2,{"c":3}]}"#])
            #expect(try elements(lines, .lines, chunk: chunk) == [#"{"a":1}"#, "{\"a\":\"\\\"}\"}"])
            let features = try elements(collection, .featureCollection, chunk: chunk)
            #expect(features.count == 1 && features[0].hasSuffix(#""properties":{"n":"]"}}"#))
        }
        #expect(throws: SourceError.self) { try elements(#"[{"a":1}, 5]"#, .array, chunk: 3) }
        #expect(throws: SourceError.self) { try elements(#"[{"a":1}"#, .array, chunk: 3) }
        let values = JSONRecord.values(
            Array(
                #"{"type":"Feature","geometry":{"type":"Point","coordinates":[120.6,31.3]},"properties":{"n":"东","k":2,"ok":true,"x":null}}"#
                    .utf8), feature: true)
        #expect(values?["lon"] == "120.6" && values?["lat"] == "31.3" && values?["n"] == "东" && values?["k"] == "2")
        #expect(
            values?["ok"] == "true" && values?["x"] == nil
                && values?["geometry"]?.hasPrefix(#"{"coordinates":"#) == true)
    }
}
