@testable import ChengyunStore
import ChengyunCore
import ChengyunTestSupport
import SQLKit
import Testing

/// The evaluation counts whole days from `stage_daily` and the edges from the stages themselves;
/// for any period that must equal counting every stage.
@Suite struct StageCountTests {
    struct Key: Hashable {
        var actor: String?
        var department: String?
        var stage: CaseStage
        var endedBy: String?
    }

    static func totals(_ counts: [EvaluationRepository.StageCount]) -> [Key: [Int]] {
        var result: [Key: [Int]] = [:]
        for c in counts {
            let key = Key(actor: c.actorId, department: c.departmentId, stage: c.stage, endedBy: c.endedBy)
            let old = result[key] ?? [0, 0]
            result[key] = [old[0] + c.count, old[1] + c.onTime]
        }
        return result
    }

    @Test(arguments: TestBackend.available) func dailyCountsAgreeWithTheStagesForAnyPeriod(backend: TestBackend)
        async throws
    {
        let (platform, _) = try await DemoFixture.shared.platform(backend)
        let now = EpochMillis.now()
        var rng = SplitMix64(seed: 6)
        try await platform.pool.read { db in
            // One snapshot for both counts: other tests take case steps on the shared demo city
            // meanwhile, and on PostgreSQL each statement would otherwise see the newest commits.
            try await db.raw(backend == .postgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN").run()
            do {
                try await Self.compare(db, now: now, rng: &rng)
                try await db.raw("COMMIT").run()
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    static func compare(_ db: any SQLDatabase, now: Int64, rng: inout SplitMix64) async throws {
        do {
            let repository = EvaluationRepository()
            let total = try await repository.rawStageCounts(from: 0, to: now + 86_400_000, on: db).reduce(0) {
                $0 + $1.count
            }
            #expect(total > 1000, "the demo month has finished stages to count")
            for _ in 0..<25 {
                let a = now - 32 * 86_400_000 + Int64(rng.next() % (33 * 86_400_000))
                let b = a + Int64(rng.next() % (20 * 86_400_000))
                let mixed = try await repository.stageCounts(from: a, to: b, utcOffsetMinutes: 480, on: db)
                let raw = try await repository.rawStageCounts(from: a, to: b, on: db)
                #expect(Self.totals(mixed) == Self.totals(raw), "period \(a)…\(b)")
            }
        }
    }
}
