import ChengyunCore
import Foundation
import Testing

/// Character sets by name and Content-Type, GB 18030 decoded across every chunk boundary, the
/// line of bytes that are not in the charset, and CSV that is not UTF-8.
@Suite struct SourceCharsetTests {
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    @Test func namesAndContentTypes() {
        #expect(SourceCharset.named("GBK") == .gb18030 && SourceCharset.named("\"gb2312\"") == .gb18030)
        #expect(SourceCharset.named("utf-8") == .utf8 && SourceCharset.named("Shift_JIS") == nil)
        #expect(SourceCharset.named("ISO-8859-1") == .windows1252 && SourceCharset.named("cp1252") == .windows1252)
        #expect(SourceCharset.of(contentType: "text/csv") == .success(nil))
        #expect(SourceCharset.of(contentType: nil) == .success(nil))
        #expect(SourceCharset.of(contentType: "text/csv; header=present; charset=GBK") == .success(.gb18030))
        #expect(SourceCharset.of(contentType: "text/csv;charset=UTF-8") == .success(.utf8))
        #expect(SourceCharset.of(contentType: "text/csv; charset=big5") == .failure(.init(name: "big5")))
    }

    @Test func gb18030DecodesTheSameWhereverTheChunksSplit() throws {
        // Two-byte characters, a four-byte one (€ is 0xA2E3; U+0080 is 0x81308130), CR LF and a bare CR.
        let text = "编号,名称\r\nLJ001,东园投放点 €\u{80}\nLJ002,西园\r末行"
        let bytes = try #require(text.data(using: Self.gb18030)).map { $0 }
        for size in 1...9 {
            var transcoder = SourceTranscoder(.gb18030)
            var out: [UInt8] = []
            for start in stride(from: 0, to: bytes.count, by: size) {
                out += try transcoder.feed(bytes[start..<min(start + size, bytes.count)])
            }
            out += try transcoder.finish()
            #expect(String(decoding: out, as: UTF8.self) == text, "chunks of \(size)")
        }
    }

    @Test func singleByteSetsDecodeEachChunk() throws {
        var latin1 = SourceTranscoder(.windows1252)
        #expect(try latin1.feed([0x4A, 0xFC]) + latin1.feed([0x72, 0x67]) + latin1.finish() == Array("Jürg".utf8))
        var windows = SourceTranscoder(.windows1252)
        #expect(try windows.feed([0x80, 0x20, 0x35]) == Array("€ 5".utf8))
    }

    @Test func gb18030CutsWhereNoCharacterCanBeAndCarriesNoMore() throws {
        // One long line of Chinese and commas, no line break: decoded as it comes, not at the end.
        let text = String(repeating: "东园,西园,", count: 2_000)
        let bytes = try #require(text.data(using: Self.gb18030)).map { $0 }
        var transcoder = SourceTranscoder(.gb18030)
        var out: [UInt8] = []
        var emptyAnswers = 0
        for start in stride(from: 0, to: bytes.count, by: 1_000) {
            let part = try transcoder.feed(bytes[start..<min(start + 1_000, bytes.count)])
            if part.isEmpty { emptyAnswers += 1 }
            out += part
        }
        out += try transcoder.finish()
        #expect(String(decoding: out, as: UTF8.self) == text && emptyAnswers == 0)
        // Past the limit with nowhere to cut: a record too long, not a cell.
        var endless = SourceTranscoder(.gb18030)
        let chinese = try #require(String(repeating: "东", count: 1 << 20).data(using: Self.gb18030)).map { $0 }
        _ = try endless.feed(chinese)
        #expect(throws: SourceError.elementTooLong(line: 1)) {
            _ = try endless.feed(chinese + chinese + chinese)
        }
    }

    @Test func bytesNotInTheCharsetNameTheirLine() throws {
        var transcoder = SourceTranscoder(.gb18030)
        let good = try #require("甲\n乙\n".data(using: Self.gb18030)).map { $0 }
        #expect(try transcoder.feed(good) == Array("甲\n乙\n".utf8))
        #expect(throws: SourceError.badEncoding(line: 4, charset: "GB18030")) {
            _ = try transcoder.feed(Array("ok\n".utf8) + [0xFF, 0x41, 0x0A])
        }
        var ending = SourceTranscoder(.gb18030)
        _ = try ending.feed([0x41, 0xC4]) // the first half of 你, and then the source ends
        #expect(throws: SourceError.badEncoding(line: 1, charset: "GB18030")) { _ = try ending.finish() }
    }

    @Test func csvThatIsNotUTF8StopsAtItsRow() throws {
        var reader = CSVRowReader()
        var rows: [[String]] = []
        let gbk = try #require("名称\n东园\n".data(using: Self.gb18030)).map { $0 }
        #expect(throws: SourceError.badEncoding(line: 1, charset: "UTF-8")) {
            try reader.feed(gbk) { cells, _ in rows.append(cells) }
        }
        #expect(rows.isEmpty)
        var utf8 = CSVRowReader()
        try utf8.feed(Array("名称\n东园\n".utf8)) { cells, _ in rows.append(cells) }
        #expect(rows == [["名称"], ["东园"]])
    }

    @Test func aWholeFileReadsInItsCharsetOrNamesTheLineThatIsNot() throws {
        let gbk = try #require("编号,名称\n1,东园\n".data(using: Self.gb18030))
        #expect(try SourceCharset.gb18030.text(of: gbk) == "编号,名称\n1,东园\n")
        #expect(try SourceCharset.utf8.text(of: Array("编号\n".utf8)) == "编号\n")
        // Line 1 is ASCII, the same in both: the first line that is not UTF-8 is the second.
        let mixed = Array("id,name\n".utf8) + Array(try #require("东园".data(using: Self.gb18030))) + [0x0A]
        #expect(throws: SourceError.badEncoding(line: 2, charset: "UTF-8")) {
            _ = try SourceCharset.utf8.text(of: mixed)
        }
        #expect(throws: SourceError.badEncoding(line: 2, charset: "GB18030")) {
            _ = try SourceCharset.gb18030.text(of: Array("ok\n".utf8) + [0xFF, 0x41, 0x0A])
        }
    }
}
