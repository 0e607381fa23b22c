import ChengyunCore
import Foundation
import Testing

/// Trimming a load's cells: the same answer as Foundation's `whitespacesAndNewlines` (which a
/// load used before), for every kind of white space at either end and none in the middle.
@Suite struct WhiteSpaceTests {
    @Test func cellsTrimAsFoundationTrims() {
        #expect(" LJ001 ".trimmingWhiteSpace == "LJ001")
        #expect("\u{3000}四分类\u{3000}".trimmingWhiteSpace == "四分类")
        #expect("\u{00A0}\t 12 \r\n".trimmingWhiteSpace == "12")
        #expect("  ".trimmingWhiteSpace.isEmpty && "".trimmingWhiteSpace.isEmpty)
        #expect("东 园".trimmingWhiteSpace == "东 园")
        #expect(
            "\u{200B}x\u{FEFF}".trimmingWhiteSpace == "x\u{FEFF}", "a zero-width space is, a byte-order mark is not")
    }

    @Test func anyTextTrimsAsFoundationTrims() {
        let pieces = [
            " ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2003}", "\u{2028}",
            "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{200B}", "\u{FEFF}", "\u{200C}", "a", "投", "1", "-", "é",
            "🙂",
        ]
        var random = SplitMix64(seed: 2026)
        for _ in 0..<2_000 {
            let text = (0..<Int(random.next() % 7)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                .joined()
            #expect(
                text.trimmingWhiteSpace == text.trimmingCharacters(in: .whitespacesAndNewlines),
                "\(Array(text.unicodeScalars))")
        }
    }
}

extension WhiteSpaceTests {
    /// Every character to past the last white space (U+3000), and a few beyond, alone at the end.
    @Test func theSpelledOutListIsFoundations() {
        for value in Array(UInt32(0)...0x3100) + [0xFEFF, 0xFF10, 0x1F642] {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "x" + String(scalar)
            #expect(
                text.trimmingWhiteSpace == text.trimmingCharacters(in: .whitespacesAndNewlines),
                "U+\(String(value, radix: 16))")
        }
    }
}
