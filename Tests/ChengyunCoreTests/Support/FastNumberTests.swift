import ChengyunCore
import Testing

@Suite struct FastNumberTests {
    private func double(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { FastNumber.double($0) }
    }

    /// Whatever the path taken, the value equals the standard library's.
    @Test func parsesExactlyAsTheStandardLibrary() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<20_000 {
            let value = Double.random(in: -1e6...1e6, using: &random)
            for text in [
                String(value), String(format: "%.2f", value), String(format: "%.1f", value), String(Int(value)),
            ] {
                #expect(double(text) == Double(text), "\(text)")
            }
        }
        for text in ["0", "-0.5", "+3", "1e3", "35.2", "0.000000000000000000001", "12345678901234567890", ".5", "5."] {
            #expect(double(text) == Double(text), "\(text)")
        }
        for text in ["", "-", "abc", "1.2.3", "nan", "inf", "1,5"] { #expect(double(text) == nil, "\(text)") }
    }

    @Test func instantsInEveryAcceptedShape() {
        #expect(Instant.parse("1795000000000") == 1_795_000_000_000)
        #expect(Instant.parse("2026-11-22T08:30:00+08:00") == Instant.parse("2026-11-22T00:30:00Z"))
        #expect(Instant.parse("2026-11-22T00:30:00.250Z") == Instant.parse("2026-11-22T00:30:00Z")! + 250)
        #expect(Instant.parse("1970-01-01T00:00:00Z") == 0)
        for bad in ["2026-11-22T08:30:00", "2026-02-30T00:00:00Z", "yesterday", "2026-11-22 08:30:00+0800"] {
            #expect(Instant.parse(bad) == nil, "\(bad)")
        }
    }
}
