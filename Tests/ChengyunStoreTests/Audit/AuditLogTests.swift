import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import SQLKit
import Testing

@Suite struct AuditLogTests {
    /// Six audited writes: a city, a district and four streets.
    static func someHistory(_ platform: Platform) async throws {
        let city = try await platform.organisation.createArea(
            NewArea(code: "320500", name: "苏州市", level: .city, parentId: nil), by: .system)
        let district = try await platform.organisation.createArea(
            NewArea(code: "320508", name: "姑苏区", level: .district, parentId: city.id), by: .system)
        for street in 1...4 {
            _ = try await platform.organisation.createArea(
                NewArea(
                    code: "32050800\(street)", name: "街道\(street)", level: .street,
                    parentId: district.id), by: .system)
        }
    }

    @Test(arguments: TestBackend.available) func everyWriteIsChained(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            try await Self.someHistory(platform)
            let verifier = try await platform.auditLog.verify(platform.pool)
            #expect(verifier.firstBreak == nil)
            #expect(verifier.checked == 6)
            let entries = try await platform.pool.read {
                try await AuditRepository().list(.init(), beforeSeq: nil, limit: 10, on: $0)
            }
            #expect(entries.map(\.seq) == [6, 5, 4, 3, 2, 1])
            #expect(entries.allSatisfy { $0.action == "area.create" && $0.actorId == "system" })
        }
    }

    @Test(arguments: TestBackend.available) func changingAStoredRowIsDetected(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            try await Self.someHistory(platform)
            try await platform.pool.transaction {
                try await $0.update("audit_log").set("summary", to: "nothing happened").where("seq", .equal, 3).run()
            }
            let verifier = try await platform.auditLog.verify(platform.pool)
            #expect(verifier.firstBreak == AuditBreak(seq: 3, reason: .hashMismatch))
            #expect(verifier.checked == 2)
        }
    }

    @Test(arguments: TestBackend.available) func deletingAStoredRowIsDetected(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            try await Self.someHistory(platform)
            try await platform.pool.transaction { try await $0.delete(from: "audit_log").where("seq", .equal, 4).run() }
            #expect(
                try await platform.auditLog.verify(platform.pool).firstBreak == AuditBreak(seq: 4, reason: .sequenceGap)
            )
        }
    }

    @Test(arguments: TestBackend.available) func deletingTheNewestRowIsDetected(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            try await Self.someHistory(platform)
            try await platform.pool.transaction { try await $0.delete(from: "audit_log").where("seq", .equal, 6).run() }
            #expect(
                try await platform.auditLog.verify(platform.pool).firstBreak
                    == AuditBreak(seq: 6, reason: .headMismatch))
        }
    }

    @Test(arguments: TestBackend.available) func aFailedWriteLeavesNoAuditEntry(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            try await Self.someHistory(platform)
            _ = try? await platform.organisation.createArea(
                NewArea(code: "320500", name: "dup", level: .city, parentId: nil), by: .system)
            let verifier = try await platform.auditLog.verify(platform.pool)
            #expect(verifier.firstBreak == nil)
            #expect(verifier.checked == 6)
        }
    }

    /// Concurrent writers still produce one unbroken chain.
    @Test(arguments: TestBackend.available) func concurrentWritesKeepTheChain(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let city = try await platform.organisation.createArea(
                NewArea(code: "320500", name: "苏州市", level: .city, parentId: nil), by: .system)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 1...40 {
                    group.addTask {
                        let code = "3205" + (index < 10 ? "0" : "") + String(index)
                        _ = try await platform.organisation.createArea(
                            NewArea(code: code, name: "区\(index)", level: .district, parentId: city.id), by: .system)
                    }
                }
                try await group.waitForAll()
            }
            let verifier = try await platform.auditLog.verify(platform.pool)
            #expect(verifier.firstBreak == nil)
            #expect(verifier.checked == 41)
        }
    }
}

/// The stored chain is signed with the platform's key: a database writer who rewrites an entry
/// and recomputes the hashes after it, without the key, is found; the anchor file is checked.
@Suite struct SignedAuditLogTests {
    @Test(arguments: TestBackend.available) func aRewriteWithoutTheKeyIsFound(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            try await AuditLogTests.someHistory(platform)
            let entries = Array(
                try await platform.pool.read {
                    try await platform.auditLog.list(.init(), beforeSeq: nil, limit: 10, on: $0)
                }.reversed())
            #expect(entries.count == 6 && entries.allSatisfy { $0.keyId == "k1" })
            // Rewrite entry 3 and everything after it as an attacker with only database access would.
            var previous = entries[1].hash
            try await platform.pool.transaction { db in
                for var entry in entries[2...] {
                    if entry.seq == 3 { entry.summary = "nothing happened" }
                    entry.prevHash = previous
                    entry.keyId = nil
                    entry.hash = entry.computedHash
                    previous = entry.hash
                    try await db.update("audit_log").set("summary", to: entry.summary).set(
                        "prev_hash", to: entry.prevHash
                    )
                    .set("hash", to: entry.hash).set("key_id", to: SQLLiteral.null).where("seq", .equal, entry.seq)
                    .run()
                }
                try await db.update("audit_head").set("last_hash", to: previous).where("id", .equal, 1).run()
            }
            #expect(
                try await platform.auditLog.verify(platform.pool).firstBreak
                    == AuditBreak(seq: 3, reason: .unsignedEntry))
        }
    }

    @Test func theAnchorFileRecordsTheHeadAndIsChecked() async throws {
        try await withPlatform(.sqlite) { platform in
            try await AuditLogTests.someHistory(platform)
            let file = AuditAnchorFile(
                path: NSTemporaryDirectory() + "chengyun-anchors-\(Identifier.make())/anchors.txt")
            #expect(try await file.anchor(platform.pool, at: platform.now()) == 6)
            let anchors = try file.read()
            #expect(anchors.count == 1 && anchors[6] != nil)
            #expect(try await platform.auditLog.verify(platform.pool, anchors: anchors).firstBreak == nil)
            try await platform.pool.transaction { try await $0.delete(from: "audit_log").where("seq", .equal, 6).run() }
            try await platform.pool.transaction { try await $0.update("audit_head").set("last_seq", to: 5).run() }
            #expect(
                try await platform.auditLog.verify(platform.pool, anchors: anchors).firstBreak?.reason
                    == .anchorMismatch)
        }
    }
}
