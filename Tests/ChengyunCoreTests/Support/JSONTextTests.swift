import ChengyunCore
import Foundation
import Testing

/// JSON string literals written by hand: plain text is kept as it is, and whatever needs an escape
/// gets one, so every string reads back as itself through a JSON parser.
@Suite struct JSONTextTests {
    @Test func plainTextIsKeptAsItIs() {
        #expect(JSONText.quoted("01M95BMN88.12.3") == #""01M95BMN88.12.3""#)
        #expect(JSONText.quoted("东园投放点 — 四分类") == "\"东园投放点 — 四分类\"", "a dash shares U+2028's lead byte")
    }

    @Test func whatNeedsAnEscapeGetsOne() {
        #expect(JSONText.quoted("a\"b\\c") == #""a\"b\\c""#)
        #expect(JSONText.quoted("l1\nl2\r\t") == #""l1\nl2\r\t""#)
        #expect(JSONText.quoted("\u{1}x\u{1F}") == #""\u0001x\u001f""#)
        #expect(JSONText.quoted("a\u{2028}b\u{2029}") == #""a\u2028b\u2029""#)
    }

    /// For strings built from every kind of character: the literal parses back to the string.
    @Test func everyStringReadsBackAsItself() throws {
        let pieces = ["a", "Z9", "东", "—", "\"", "\\", "\n", "\u{0}", "\u{1F}", "\u{2028}", "\u{2029}", "😀", " "]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement()! }.joined()
            let parsed =
                try JSONSerialization.jsonObject(
                    with: Data(("[" + JSONText.quoted(text) + "]").utf8)) as? [String]
            #expect(parsed == [text], "\(Array(text.unicodeScalars))")
        }
    }
}
