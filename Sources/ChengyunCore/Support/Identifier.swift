import Foundation

/// App-generated identifiers: 26-character, time-ordered (ULID layout: 48-bit millisecond time,
/// 80 random bits, Crockford base32). Time order lets the API page by id without a second sort key.
public enum Identifier {
    public static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    public static func make(at millis: Int64 = EpochMillis.now()) -> String {
        var rng = SystemRandomNumberGenerator()
        return make(at: millis, using: &rng)
    }

    /// Ten characters of time, then sixteen random (80 bits from two draws: a draw from the
    /// system generator is a system call, and the outbox makes ids by the thousand).
    public static func make(at millis: Int64, using rng: inout some RandomNumberGenerator) -> String {
        let high: UInt64 = rng.next(), low: UInt64 = rng.next()
        return String(unsafeUninitializedCapacity: 26) { buffer in
            var time = UInt64(max(0, millis))
            for index in stride(from: 9, through: 0, by: -1) {
                buffer[index] = alphabetBytes[Int(time & 31)]
                time >>= 5
            }
            var bits = high
            for index in 10..<22 {
                buffer[index] = alphabetBytes[Int(bits & 31)]
                bits >>= 5
            }
            bits = low
            for index in 22..<26 {
                buffer[index] = alphabetBytes[Int(bits & 31)]
                bits >>= 5
            }
            return 26
        }
    }

    private static let alphabetBytes = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A generator of identifiers at one instant that sort in the order they were made (the
    /// random part drawn once, the last four characters counting), for rows written together
    /// whose order matters: an activation's tasks in the plan's step order.
    public static func sequence(at millis: Int64) -> () -> String {
        let base = Array(make(at: millis).prefix(22))
        var count = 0
        return {
            var chars = base
            var n = count
            var tail: [Character] = []
            for _ in 0..<4 {
                tail.append(alphabet[n & 31])
                n >>= 5
            }
            chars += tail.reversed()
            count += 1
            return String(chars)
        }
    }

    /// The smallest identifier of the millisecond `millis`: every identifier made before it sorts
    /// below (what a pruning by time asks the primary key for).
    public static func floor(at millis: Int64) -> String {
        String(make(at: millis).prefix(10)) + String(repeating: "0", count: 16)
    }

    /// Whether `text` has the shape of an identifier this module makes.
    public static func isWellFormed(_ text: String) -> Bool {
        text.count == 26 && text.allSatisfy { alphabet.contains($0) }
    }
}

/// UTC epoch milliseconds, the one time representation stored and sent by the platform.
public enum EpochMillis {
    public static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// A seeded generator for deterministic data (the demo city, property tests).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
