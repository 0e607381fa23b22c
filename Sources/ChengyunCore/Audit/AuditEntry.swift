import Crypto
import Foundation

/// One line of the hash-chained audit log. `hash` covers every other field and the previous
/// entry's hash, so changing, inserting or deleting a stored entry breaks the chain. Entries
/// written with an `AuditKeyring` are signed: `hash` is an HMAC-SHA-256 under the key named by
/// `keyId`, which only the key's holder can recompute. Entries without a key id (from before
/// keys, or from a platform run without one) are plain SHA-256.
public struct AuditEntry: Codable, Equatable, Sendable {
    public var seq: Int64
    public var id: String
    public var at: Int64
    public var actorKind: String
    public var actorId: String
    public var actorName: String
    public var action: String
    public var targetType: String
    public var targetId: String
    public var summary: String
    public var prevHash: String
    public var hash: String
    /// The key `hash` was signed with; nil for a plain SHA-256 entry.
    public var keyId: String?

    public static let genesisHash = String(repeating: "0", count: 64)

    public init(
        seq: Int64, id: String, at: Int64, actorKind: String, actorId: String, actorName: String,
        action: String, targetType: String, targetId: String, summary: String, prevHash: String,
        signedWith signing: (id: String, key: SymmetricKey)? = nil
    ) {
        self.seq = seq
        self.id = id
        self.at = at
        self.actorKind = actorKind
        self.actorId = actorId
        self.actorName = actorName
        self.action = action
        self.targetType = targetType
        self.targetId = targetId
        self.summary = summary
        self.prevHash = prevHash
        self.keyId = signing?.id
        self.hash = ""
        self.hash = signing.map { hash(signedWith: $0.key) } ?? computedHash
    }

    /// A length-prefixed encoding of the fields (the key id too, when there is one), so no two
    /// field lists collide.
    var encoded: Data {
        var data = Data()
        for field in [
            String(seq), id, String(at), actorKind, actorId, actorName, action, targetType, targetId,
            summary, prevHash,
        ] + (keyId.map { [$0] } ?? []) {
            let bytes = Data(field.utf8)
            data.append(contentsOf: String(bytes.count).utf8)
            data.append(0x3A)
            data.append(bytes)
        }
        return data
    }

    /// Plain SHA-256 of the fields: what an unsigned entry's hash is.
    public var computedHash: String { Hex.string(SHA256.hash(data: encoded)) }

    /// HMAC-SHA-256 of the fields under `key`: what a signed entry's hash is.
    public func hash(signedWith key: SymmetricKey) -> String {
        Hex.string(HMAC<SHA256>.authenticationCode(for: encoded, using: key))
    }
}

/// Where a chain first breaks, if it does.
public struct AuditBreak: Equatable, Sendable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case hashMismatch = "hash_mismatch" // the entry's fields were changed
        case linkMismatch = "link_mismatch" // prev_hash does not match the entry before
        case sequenceGap = "sequence_gap" // an entry is missing
        case headMismatch = "head_mismatch" // entries after the recorded head are missing
        case unknownKey = "unknown_key" // signed with a key the verifier does not hold
        case unsignedEntry = "unsigned_entry" // a plain entry where only signed ones may be
        case anchorMismatch = "anchor_mismatch" // differs from a head hash anchored outside the database
    }
    public var seq: Int64
    public var reason: Reason
    public init(seq: Int64, reason: Reason) {
        self.seq = seq
        self.reason = reason
    }
    public var description: String { "audit chain broken at seq \(seq): \(reason.rawValue)" }
}

/// Walks entries in order and reports the first broken link. Keeps only the last entry, so it
/// can check a log of any length streamed from the store.
public struct AuditChainVerifier: Sendable {
    private var expectedSeq: Int64 = 1
    private var lastHash = AuditEntry.genesisHash
    private let keys: AuditKeyring?
    /// Head hashes recorded outside the database (seq → hash): the entry there must have it.
    private let anchors: [Int64: String]
    /// Once a signed entry has been seen, every later one must be signed too.
    private var signedSeen = false
    public private(set) var checked: Int64 = 0
    public private(set) var firstBreak: AuditBreak?

    public init(keys: AuditKeyring? = nil, anchors: [Int64: String] = [:]) {
        self.keys = keys
        self.anchors = anchors
    }

    public mutating func feed(_ entry: AuditEntry) {
        guard firstBreak == nil else { return }
        let expected: String?
        var reason = AuditBreak.Reason.hashMismatch
        if let keyId = entry.keyId {
            expected = keys?.key(keyId).map { entry.hash(signedWith: $0) }
            if expected == nil { reason = .unknownKey }
        } else if signedSeen || (keys?.signedFromSeq).map({ entry.seq >= $0 }) == true
            || (keys?.signedSince).map({ entry.at >= $0 }) == true
        {
            // A plain entry after signing began: someone rewrote it without the key. (The
            // sequence number settles it even when the entry's time was moved back.)
            expected = nil
            reason = .unsignedEntry
        } else {
            expected = entry.computedHash
        }
        if entry.seq != expectedSeq {
            firstBreak = AuditBreak(seq: expectedSeq, reason: .sequenceGap)
        } else if entry.prevHash != lastHash {
            firstBreak = AuditBreak(seq: entry.seq, reason: .linkMismatch)
        } else if expected != entry.hash {
            firstBreak = AuditBreak(seq: entry.seq, reason: reason)
        } else if let anchored = anchors[entry.seq], anchored != entry.hash {
            firstBreak = AuditBreak(seq: entry.seq, reason: .anchorMismatch)
        } else {
            if entry.keyId != nil { signedSeen = true }
            checked += 1
            expectedSeq += 1
            lastHash = entry.hash
        }
    }

    /// Compares the end of the walk with the head the store keeps beside the log, which catches
    /// entries deleted from the end.
    public mutating func finish(headSeq: Int64, headHash: String) {
        guard firstBreak == nil else { return }
        if let last = anchors.keys.max(), last > expectedSeq - 1 {
            // An anchor names an entry the log no longer has: entries were removed from its end.
            firstBreak = AuditBreak(seq: last, reason: .anchorMismatch)
        } else if headSeq != expectedSeq - 1 || headHash != lastHash {
            firstBreak = AuditBreak(seq: expectedSeq, reason: .headMismatch)
        }
    }
}
