import ChengyunCore
import Testing

@Suite struct AuditChainTests {
    func chain(_ count: Int) -> [AuditEntry] {
        var entries: [AuditEntry] = []
        var previous = AuditEntry.genesisHash
        for seq in 1...count {
            let entry = AuditEntry(
                seq: Int64(seq), id: "id\(seq)", at: Int64(seq) * 1000, actorKind: "staff",
                actorId: "u1", actorName: "admin", action: "area.create", targetType: "area",
                targetId: "a\(seq)", summary: "entry \(seq)", prevHash: previous)
            entries.append(entry)
            previous = entry.hash
        }
        return entries
    }

    func verify(_ entries: [AuditEntry], head: (Int64, String)? = nil) -> AuditChainVerifier {
        var verifier = AuditChainVerifier()
        for entry in entries { verifier.feed(entry) }
        let head = head ?? (entries.last?.seq ?? 0, entries.last?.hash ?? AuditEntry.genesisHash)
        verifier.finish(headSeq: head.0, headHash: head.1)
        return verifier
    }

    @Test func anUntouchedChainVerifies() {
        let verifier = verify(chain(10))
        #expect(verifier.firstBreak == nil)
        #expect(verifier.checked == 10)
    }

    @Test func changingAFieldIsFoundAtThatEntry() {
        var entries = chain(10)
        entries[4].summary = "entry 5, edited"
        #expect(verify(entries).firstBreak == AuditBreak(seq: 5, reason: .hashMismatch))
    }

    @Test func rehashingAChangedEntryBreaksTheNextLink() {
        var entries = chain(10)
        entries[4].summary = "forged"
        entries[4].hash = entries[4].computedHash
        #expect(verify(entries).firstBreak == AuditBreak(seq: 6, reason: .linkMismatch))
    }

    @Test func deletingAnEntryInTheMiddleIsAGap() {
        var entries = chain(10)
        entries.remove(at: 3)
        #expect(
            verify(entries, head: (10, chain(10).last!.hash)).firstBreak == AuditBreak(seq: 4, reason: .sequenceGap))
    }

    @Test func deletingTheLastEntriesDisagreesWithTheHead() {
        let full = chain(10)
        let truncated = Array(full.prefix(8))
        #expect(verify(truncated, head: (10, full.last!.hash)).firstBreak == AuditBreak(seq: 9, reason: .headMismatch))
    }

    /// Property: changing any one field of any one entry is detected, at that entry.
    @Test(arguments: 0..<11) func everyFieldIsCovered(field: Int) {
        for index in [0, 3, 7] {
            var entries = chain(8)
            switch field {
            case 0: entries[index].id += "x"
            case 1: entries[index].at += 1
            case 2: entries[index].actorKind = "key"
            case 3: entries[index].actorId += "x"
            case 4: entries[index].actorName += "x"
            case 5: entries[index].action += "x"
            case 6: entries[index].targetType += "x"
            case 7: entries[index].targetId += "x"
            case 8: entries[index].summary += "x"
            case 9: entries[index].prevHash = "f" + entries[index].prevHash.dropFirst()
            default: entries[index].hash = String(entries[index].hash.reversed())
            }
            let broken = verify(entries).firstBreak
            #expect(broken?.seq == Int64(index + 1), "field \(field) at entry \(index + 1)")
        }
    }
}
