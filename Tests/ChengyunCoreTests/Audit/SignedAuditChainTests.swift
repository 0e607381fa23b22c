import ChengyunCore
import Crypto
import Testing

/// The chain signed with HMAC keys kept outside the database: only a key holder can rewrite it,
/// keys rotate without breaking older entries, and anchors catch what even a key holder changes.
@Suite struct SignedAuditChainTests {
    /// `count` entries; the key used for each comes from `keyFor(seq)` (nil: a plain entry).
    func chain(_ count: Int, keys: AuditKeyring, keyFor: (Int) -> String? = { _ in "k1" }) -> [AuditEntry] {
        var entries: [AuditEntry] = []
        var previous = AuditEntry.genesisHash
        for seq in 1...count {
            let signing = keyFor(seq).flatMap { id in keys.key(id).map { (id: id, key: $0) } }
            let entry = AuditEntry(
                seq: Int64(seq), id: "id\(seq)", at: Int64(seq) * 1000, actorKind: "staff", actorId: "u1",
                actorName: "admin", action: "area.create", targetType: "area", targetId: "a\(seq)",
                summary: "entry \(seq)", prevHash: previous, signedWith: signing)
            entries.append(entry)
            previous = entry.hash
        }
        return entries
    }

    func verify(_ entries: [AuditEntry], keys: AuditKeyring?, anchors: [Int64: String] = [:]) -> AuditBreak? {
        var verifier = AuditChainVerifier(keys: keys, anchors: anchors)
        for entry in entries { verifier.feed(entry) }
        verifier.finish(headSeq: entries.last?.seq ?? 0, headHash: entries.last?.hash ?? AuditEntry.genesisHash)
        return verifier.firstBreak
    }

    @Test func aSignedChainVerifiesOnlyWithItsKey() {
        let keys = AuditKeyring.generate(at: 0)
        let entries = chain(6, keys: keys)
        #expect(entries.allSatisfy { $0.keyId == "k1" && $0.hash != $0.computedHash })
        #expect(verify(entries, keys: keys) == nil)
        #expect(verify(entries, keys: nil) == AuditBreak(seq: 1, reason: .unknownKey))
        #expect(
            verify(entries, keys: AuditKeyring.generate(at: 0)) == AuditBreak(seq: 1, reason: .hashMismatch),
            "another k1")
    }

    /// What the issue describes: whoever can write the database rewrites an entry and recomputes
    /// every hash after it. Without the key they can only write plain or wrongly keyed hashes.
    @Test func rewritingTheChainWithoutTheKeyIsFound() {
        let keys = AuditKeyring.generate(at: 0)
        var plain = chain(6, keys: keys)
        var forger = AuditKeyring.generate(at: 0)
        forger.current = "k1"
        var forged = plain
        for index in 2..<6 {
            plain[index].summary = "rewritten"
            plain[index].keyId = nil
            plain[index].prevHash = plain[index - 1].hash
            plain[index].hash = plain[index].computedHash
            forged[index].summary = "rewritten"
            forged[index].prevHash = forged[index - 1].hash
            forged[index].hash = forged[index].hash(signedWith: forger.key("k1")!)
        }
        #expect(verify(plain, keys: keys) == AuditBreak(seq: 3, reason: .unsignedEntry))
        #expect(verify(forged, keys: keys) == AuditBreak(seq: 3, reason: .hashMismatch))
        // Even the whole chain rewritten as plain entries is refused: entries after the key's time must be signed.
        let allPlain = chain(6, keys: keys, keyFor: { _ in nil })
        #expect(verify(allPlain, keys: keys) == AuditBreak(seq: 1, reason: .unsignedEntry))
        // …and so is one whose times were moved back to before the key existed: the sequence
        // number the key file records settles it.
        let later = AuditKeyring.generate(at: 1_000_000, fromSeq: 2)
        #expect(
            verify(chain(6, keys: later, keyFor: { _ in nil }), keys: later)
                == AuditBreak(seq: 2, reason: .unsignedEntry))
    }

    @Test func olderPlainEntriesAndRotatedKeysStillVerify() {
        var keys = AuditKeyring.generate(at: 3000, fromSeq: 3)
        keys.rotate(at: 5000)
        #expect(keys.current == "k2" && keys.keys.count == 2 && keys.signedSince == 3000)
        // Entries 1–2 before any key (plain), 3–4 under k1, 5–6 under k2.
        let entries = chain(6, keys: keys, keyFor: { $0 < 3 ? nil : $0 < 5 ? "k1" : "k2" })
        #expect(verify(entries, keys: keys) == nil)
        var dropped = keys
        dropped.keys["k1"] = nil
        #expect(verify(entries, keys: dropped) == AuditBreak(seq: 3, reason: .unknownKey))
    }

    @Test func anchorsCatchWhatEvenAKeyHolderChanges() {
        let keys = AuditKeyring.generate(at: 0)
        let original = chain(6, keys: keys)
        let anchors: [Int64: String] = [4: original[3].hash]
        var rewritten = original
        for index in 1..<6 {
            if index == 1 { rewritten[index].summary = "rewritten by the key holder" }
            rewritten[index].prevHash = rewritten[index - 1].hash
            rewritten[index].hash = rewritten[index].hash(signedWith: keys.key("k1")!)
        }
        #expect(verify(rewritten, keys: keys) == nil, "with the key the rewrite is self-consistent…")
        #expect(
            verify(rewritten, keys: keys, anchors: anchors) == AuditBreak(seq: 4, reason: .anchorMismatch),
            "…but not with the anchor")
        #expect(
            verify(Array(original.prefix(3)), keys: keys, anchors: anchors)
                == AuditBreak(seq: 4, reason: .anchorMismatch),
            "entries removed past an anchor")
    }
}
