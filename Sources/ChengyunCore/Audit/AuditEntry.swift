import Crypto
import Foundation

/// One line of the hash-chained audit log. `hash` covers every other field and the previous
/// entry's hash, so changing, inserting or deleting a stored entry breaks the chain.
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

    public static let genesisHash = String(repeating: "0", count: 64)

    public init(seq: Int64, id: String, at: Int64, actorKind: String, actorId: String, actorName: String,
                action: String, targetType: String, targetId: String, summary: String, prevHash: String) {
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
        self.hash = ""
        self.hash = computedHash
    }

    /// SHA-256 over a length-prefixed encoding of the fields, so no two field lists collide.
    public var computedHash: String {
        var data = Data()
        for field in [String(seq), id, String(at), actorKind, actorId, actorName, action, targetType, targetId,
                      summary, prevHash] {
            let bytes = Data(field.utf8)
            data.append(contentsOf: String(bytes.count).utf8)
            data.append(0x3A)
            data.append(bytes)
        }
        return Hex.string(SHA256.hash(data: data))
    }
}

/// Where a chain first breaks, if it does.
public struct AuditBreak: Equatable, Sendable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case hashMismatch = "hash_mismatch"          // the entry's fields were changed
        case linkMismatch = "link_mismatch"          // prev_hash does not match the entry before
        case sequenceGap = "sequence_gap"            // an entry is missing
        case headMismatch = "head_mismatch"          // entries after the recorded head are missing
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
    public private(set) var checked: Int64 = 0
    public private(set) var firstBreak: AuditBreak?

    public init() {}

    public mutating func feed(_ entry: AuditEntry) {
        guard firstBreak == nil else { return }
        if entry.seq != expectedSeq {
            firstBreak = AuditBreak(seq: expectedSeq, reason: .sequenceGap)
        } else if entry.prevHash != lastHash {
            firstBreak = AuditBreak(seq: entry.seq, reason: .linkMismatch)
        } else if entry.computedHash != entry.hash {
            firstBreak = AuditBreak(seq: entry.seq, reason: .hashMismatch)
        } else {
            checked += 1
            expectedSeq += 1
            lastHash = entry.hash
        }
    }

    /// Compares the end of the walk with the head the store keeps beside the log, which catches
    /// entries deleted from the end.
    public mutating func finish(headSeq: Int64, headHash: String) {
        guard firstBreak == nil else { return }
        if headSeq != expectedSeq - 1 || headHash != lastHash {
            firstBreak = AuditBreak(seq: expectedSeq, reason: .headMismatch)
        }
    }
}
