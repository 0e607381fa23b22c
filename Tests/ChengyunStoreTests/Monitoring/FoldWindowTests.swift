import ChengyunCore
import ChengyunTestSupport
import SQLKit
import Testing

@testable import ChengyunStore

/// The fold's windows (`RecentReadings.window`): taken one after another they hold every waiting
/// reading exactly once and in time order, each ends between two times (the fold drops what is
/// before its end), none but the last is under the limit, and a remainder within the slack goes
/// with the window before it instead of making a small window of its own.
@Suite struct FoldWindowTests {
    @Test(arguments: TestBackend.available) func windowsCoverEveryReadingOnceAndEndBetweenTimes(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            var random = SplitMix64(seed: 18)
            for round in 0..<12 {
                try await platform.pool.transaction { try await $0.raw("DELETE FROM readings_recent").run() }
                // Up to 40 times, each with 1–9 series (a batch stamps many readings alike).
                var rows: [RecentReadings.Row] = []
                for at in 1...Int64.random(in: 1...40, using: &random) {
                    for series in 1...Int64.random(in: 1...9, using: &random) {
                        rows.append((series, at * 1_000, Double(round)))
                    }
                }
                try await insert(rows, platform)
                let limit = Int.random(in: 1...30, using: &random)
                let windows = try await windows(limit: limit, before: 1_000_000, platform)

                let expected = rows.sorted { ($0.at, $0.series) < ($1.at, $1.series) }
                #expect(windows.flatMap(\.rows).map(\.at) == expected.map(\.at), "round \(round), limit \(limit)")
                #expect(
                    windows.flatMap(\.rows).map(\.series) == expected.map(\.series), "round \(round), limit \(limit)")
                for (index, window) in windows.enumerated() {
                    #expect(
                        window.rows.allSatisfy { $0.at < window.end }, "nothing at or after a window's end is in it")
                    if index + 1 < windows.count {
                        #expect(
                            window.rows.count >= limit,
                            "round \(round): window \(index) of \(windows.count) is under the limit \(limit)")
                        #expect(window.end == windows[index + 1].rows.first?.at, "the next window starts at the end")
                    } else {
                        #expect(window.end == 1_000_000, "the last window ends where asked")
                    }
                }
            }
        }
    }

    @Test(arguments: TestBackend.available) func aSmallRemainderJoinsTheWindowBeforeIt(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            // One series, a reading a time, a limit of 80: the slack is 20 more.
            try await insert((1...100).map { (1, Int64($0), 0) }, platform)
            #expect(try await windows(limit: 80, before: 1_000, platform).map(\.rows.count) == [100])
            try await insert([(1, 101, 0)], platform)
            #expect(try await windows(limit: 80, before: 1_000, platform).map(\.rows.count) == [80, 21])
        }
    }

    // MARK: Steps

    private func insert(_ rows: [RecentReadings.Row], _ platform: Platform) async throws {
        try await platform.pool.transaction { db in
            for row in rows {
                try await db.raw(
                    "INSERT INTO readings_recent (series_id, at, value) VALUES (\(bind: row.series), \(bind: row.at), \(bind: row.value))"
                ).run()
            }
        }
    }

    private func windows(limit: Int, before: Int64, _ platform: Platform) async throws -> [(
        rows: [RecentReadings.Row], end: Int64
    )] {
        var found: [(rows: [RecentReadings.Row], end: Int64)] = []
        var from: Int64 = 0
        while from < before {
            let window = try await platform.pool.read {
                try await RecentReadings().window(from: from, before: before, limit: limit, on: $0)
            }
            found.append(window)
            guard window.end > from else {
                Issue.record("a window from \(from) ends at \(window.end): the fold would not move on")
                break
            }
            from = window.end
        }
        return found
    }
}
