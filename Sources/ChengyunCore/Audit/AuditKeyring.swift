import Crypto
import Foundation

/// The keys that sign the audit chain. With plain SHA-256 whoever can write the database can
/// rewrite the whole chain and recompute every hash; with HMAC-SHA-256 under a key kept outside
/// the database (a file of its own, or a secret store) they cannot. Each entry names the key it
/// was signed with, so a key can be rotated: new entries take the current key, old ones keep
/// verifying under theirs.
public struct AuditKeyring: Codable, Equatable, Sendable {
    /// The id of the key new entries are signed with.
    public var current: String
    /// Key id → the secret, base64 (32 random bytes).
    public var keys: [String: String]
    /// Key id → when it was made (epoch ms). Entries from the first key's time on must be signed.
    public var since: [String: Int64]
    /// The first entry the keys sign (the chain's next sequence number when the first key was
    /// made): every entry from it on must be signed, whatever time it claims.
    public var signedFromSeq: Int64?

    public init(current: String, keys: [String: String], since: [String: Int64], signedFromSeq: Int64? = nil) {
        self.current = current
        self.keys = keys
        self.since = since
        self.signedFromSeq = signedFromSeq
    }

    /// A keyring with one new random key, signing from entry `fromSeq` on.
    public static func generate(at now: Int64, fromSeq: Int64 = 1) -> AuditKeyring {
        AuditKeyring(current: "k1", keys: ["k1": Self.randomSecret()], since: ["k1": now], signedFromSeq: fromSeq)
    }

    /// Adds a new random key and makes it current; the old ones stay for verifying. Returns its id.
    @discardableResult
    public mutating func rotate(at now: Int64) -> String {
        var number = keys.count + 1
        while keys["k\(number)"] != nil { number += 1 }
        let id = "k\(number)"
        keys[id] = Self.randomSecret()
        since[id] = now
        current = id
        return id
    }

    public func key(_ id: String) -> SymmetricKey? {
        keys[id].flatMap { Data(base64Encoded: $0) }.map { SymmetricKey(data: $0) }
    }

    /// The current key with its id, for signing.
    public var signing: (id: String, key: SymmetricKey)? { key(current).map { (current, $0) } }

    /// From when on every entry must be signed: the oldest key's time.
    public var signedSince: Int64? { since.values.min() }

    static func randomSecret() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }
}
