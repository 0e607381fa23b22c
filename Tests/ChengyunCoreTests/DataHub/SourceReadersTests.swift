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

    /// Rows, or the error, as a reader fed `chunk` bytes at a time gives them: through a pointer
    /// (`contiguous`) or a byte at a time through a generic collection.
    private func csvOutcome(_ bytes: [UInt8], chunk: Int, contiguous: Bool) -> String {
        var reader = CSVRowReader()
        var rows: [String] = []
        do {
            var start = 0
            while start < bytes.count {
                let piece = bytes[start..<min(start + chunk, bytes.count)]
                if contiguous {
                    try reader.feed(piece) { rows.append("\($1):\($0)") }
                } else {
                    try reader.feed(piece.lazy.map { $0 }) { rows.append("\($1):\($0)") }
                }
                start += chunk
            }
            try reader.finish { rows.append("\($1):\($0)") }
        } catch {
            rows.append("\(error)")
        }
        return rows.joined(separator: "|")
    }

    /// Plain runs read at once give what a byte at a time gives, for any text cut anywhere.
    @Test func runsReadAtOnceReadAsBytesOneByOne() {
        let pieces = [",", "\"", "\r", "\n", "\r\n", "a", "东园", "\"\"", " ", "\u{FEFF}", "12.5"]
        var random = SplitMix64(seed: 23)
        for _ in 0..<1_500 {
            let text = (0..<Int(random.next() % 24)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                .joined()
            let bytes = Array(text.utf8)
            let chunk = 1 + Int(random.next() % 9)
            #expect(
                csvOutcome(bytes, chunk: chunk, contiguous: true) == csvOutcome(bytes, chunk: chunk, contiguous: false),
                "\(text.debugDescription) in chunks of \(chunk)")
        }
    }

    /// A cell's limit holds to the byte either way: at most 1 MB, and the row after a longer one refused.
    @Test func theCellLimitHoldsToTheByte() {
        for extra in [0, 1, 2] {
            let cell = [UInt8](repeating: UInt8(ascii: "x"), count: CSVRowReader.maxCellBytes + extra)
            for tail in ["", "\n", "\nb,c\n"] {
                let bytes = Array("a,".utf8) + cell + Array(tail.utf8)
                let fast = csvOutcome(bytes, chunk: 1 << 18, contiguous: true)
                #expect(
                    fast == csvOutcome(bytes, chunk: 1 << 18, contiguous: false),
                    "extra \(extra), tail \(tail.debugDescription)")
                #expect(
                    fast.contains("cellTooLong") == (extra == 2 || (extra == 1 && !tail.isEmpty)),
                    "\(extra) \(tail.debugDescription): \(fast.suffix(40))")
            }
        }
    }
}
