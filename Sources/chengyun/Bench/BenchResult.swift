import ArgumentParser
import Foundation
import Histogram

/// One bench's figures: printed as one JSON line (`bench` first, the rest by name) and gathered
/// by `bench all` into one report. Every bench names its baseline's method in one line.
struct BenchResult: @unchecked Sendable {
    let bench: String
    /// JSON values only: numbers, strings, booleans, arrays and dictionaries of them.
    var figures: [String: Any]

    init(_ bench: String, baselineMethod: String, _ figures: [String: Any]) {
        self.bench = bench
        self.figures = figures.merging(["baseline_method": baselineMethod]) { a, _ in a }
    }

    var object: [String: Any] { figures.merging(["bench": bench]) { a, _ in a } }

    var json: String {
        let data =
            (try? JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        let rest = String(decoding: data, as: UTF8.self).dropFirst()
        return #"{"bench":"\#(bench)""# + (rest == "}" ? "}" : "," + rest)
    }

    /// `value` rounded to `digits` decimals, for figures that should not print 0.30000000000000004.
    static func rounded(_ value: Double, _ digits: Int = 2) -> Double {
        let scale = pow(10, Double(digits))
        return (value * scale).rounded() / scale
    }
}

/// A bench that could not measure what it says: a non-zero exit with the reason, never a 0
/// printed as a figure.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }

    /// `value` when it is a finite number above zero; otherwise the run failed.
    static func positive(_ value: Double?, _ what: String) throws -> Double {
        guard let value, value.isFinite, value > 0 else {
            throw BenchFailure("\(what): no measurement (\(value.map { "\($0)" } ?? "nothing parsed"))")
        }
        return value
    }
}

/// Latencies in an HDR histogram (microsecond resolution, three significant digits): the
/// percentiles are read from it with the number of samples beside them, so a p99 of 40
/// samples shows as such.
struct Latencies {
    private var histogram = Histogram<UInt64>(
        highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)

    mutating func record(milliseconds: Double) {
        _ = histogram.record(UInt64(min(3_600_000_000, max(0, (milliseconds * 1000).rounded()))))
    }

    var count: Int { Int(histogram.totalCount) }

    /// Takes in another histogram's samples (a loop's, into a phase's).
    mutating func merge(_ other: Latencies) { histogram.add(other.histogram) }

    /// The value at `percentile` (0–100) in milliseconds.
    func milliseconds(at percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1000 }

    var meanMilliseconds: Double { histogram.mean / 1000 }

    /// `<prefix>_p50_ms`, `<prefix>_p99_ms` and `<prefix>_samples`; fails when nothing was recorded.
    func figures(_ prefix: String) throws -> [String: Any] {
        guard count > 0 else { throw BenchFailure("\(prefix) latency: no samples") }
        return [
            "\(prefix)_p50_ms": BenchResult.rounded(milliseconds(at: 50)),
            "\(prefix)_p99_ms": BenchResult.rounded(milliseconds(at: 99)),
            "\(prefix)_samples": count,
        ]
    }
}
