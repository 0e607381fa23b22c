import Foundation
import Synchronization

/// App-generated identifiers: 26-character, time-ordered (ULID layout: 48-bit millisecond time,
/// 80 random bits, Crockford base32). Time order lets the API page by id without a second sort key.
public enum Identifier {
    public static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// The last instant made and its random part.
    private static let last = Mutex<(millis: Int64, random: UInt128)>((-1, 0))

    /// A new identifier at `millis`. Within one process, identifiers made at the same millisecond
    /// sort in the order they were made (ULID's monotonic rule: the random part counts up), so
    /// rows written one after another in the same millisecond — an incident's log lines, an
    /// activation's tasks — read back in their order.
    public static func make(at millis: Int64 = EpochMillis.now()) -> String {
        let random = last.withLock { state -> UInt128 in
            if state.millis == millis {
                state.random = (state.random &+ 1) & mask
            } else {
                var rng = SystemRandomNumberGenerator()
                // The top bit clear leaves room to count up without wrapping.
                state = (millis, (UInt128(rng.next()) << 64 | UInt128(rng.next())) & (mask >> 1))
            }
            return state.random
        }
        var chars = timeCharacters(millis)
        for shift in stride(from: 75, through: 0, by: -5) { chars.append(alphabet[Int((random >> shift) & 31)]) }
        return String(chars)
    }

    private static let mask: UInt128 = (1 << 80) - 1

    private static func timeCharacters(_ millis: Int64) -> [Character] {
        var chars = [Character](repeating: "0", count: 10)
        var time = UInt64(max(0, millis))
        for index in stride(from: 9, through: 0, by: -1) {
            chars[index] = alphabet[Int(time & 31)]
            time >>= 5
        }
        return chars
    }

    public static func make(at millis: Int64, using rng: inout some RandomNumberGenerator) -> String {
        var chars = timeCharacters(millis)
        for _ in 10..<26 { chars.append(alphabet[Int(rng.next() & 31)]) }
        return String(chars)
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
