import ChengyunCore

/// The latest value of one metric of a device.
public struct LatestValue: Codable, Sendable, Equatable {
    public var metric: String
    public var at: Int64
    public var value: Double
    /// Since when the value has not changed.
    public var since: Int64
}

/// A downsampled stretch of one metric.
public struct SeriesAnswer: Codable, Sendable, Equatable {
    public var deviceId: String
    public var metric: String
    public var from: Int64
    public var to: Int64
    public var bucketSeconds: Int
    public var buckets: [Bucket]

    public struct Bucket: Codable, Sendable, Equatable {
        public var start: Int64
        public var min: Double
        public var max: Double
        public var avg: Double
        public var last: Double
        public var count: Int64
    }
}

/// Folds readings (and hourly rollups) into fixed buckets counted from `from`.
struct Downsampler {
    let from: Int64
    let bucketMillis: Int64
    private var open: [Int64: (min: Double, max: Double, sum: Double, count: Int64, lastAt: Int64, last: Double)] = [:]

    init(from: Int64, bucketMillis: Int64) { (self.from, self.bucketMillis) = (from, bucketMillis) }

    mutating func add(at: Int64, value: Double) {
        add(hourStart: at, min: value, max: value, sum: value, count: 1, lastAt: at, last: value)
    }

    mutating func add(
        hourStart at: Int64, min low: Double, max high: Double, sum: Double, count: Int64, lastAt: Int64, last: Double
    ) {
        let start = from + (at - from) / bucketMillis * bucketMillis
        if var bucket = open[start] {
            bucket.min = Swift.min(bucket.min, low)
            bucket.max = Swift.max(bucket.max, high)
            bucket.sum += sum
            bucket.count += count
            if lastAt >= bucket.lastAt { (bucket.lastAt, bucket.last) = (lastAt, last) }
            open[start] = bucket
        } else {
            open[start] = (low, high, sum, count, lastAt, last)
        }
    }

    var buckets: [SeriesAnswer.Bucket] {
        open.keys.sorted().map { start in
            let b = open[start]!
            return SeriesAnswer.Bucket(
                start: start, min: b.min, max: b.max, avg: b.sum / Double(b.count), last: b.last, count: b.count)
        }
    }
}
