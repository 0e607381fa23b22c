import ChengyunCore
import ChengyunStore
import Foundation
import SQLKit

/// The risk map over `cells` grid cells and five categories: every cell from scratch, and the
/// incremental recompute after one alarm (the cell it touched, every category) against that
/// from-scratch baseline in the same run. Cells, hazards, devices and alarms are written straight
/// into the tables (the registry's own checks are not what is measured).
enum BenchRisk {
    static func measure(cells count: Int, alarms rounds: Int, database: String?) async throws -> [String: Any] {
        let scratch = BenchDatabase(postgres: database)
        defer { scratch.remove() }
        let (pool, platform, now) = try await scratch.benchCity()
        return try await scratch.closing(pool) { () async throws -> [String: Any] in
            let area = try await BenchCity.city(platform)
            let side = Int(Double(count).squareRoot().rounded(.up))
            var random = SplitMix64(seed: 27)
            let levels: [AlarmSeverity] = [.blue, .yellow, .orange, .red]
            let categories = try await platform.risk.categories()
            var devices: [(id: String, cell: String)] = []
            try await pool.transaction { db in
                for n in 0..<count {
                    let (x, y) = (Double(n % side) * 0.001, Double(n / side) * 0.001)
                    let cell = String(format: "BC%06d", n)
                    try await db.raw(
                        """
                        INSERT INTO grid_cells (id, code, name, area_id, area_path, geometry, area_square_metres,
                            min_lon, min_lat, max_lon, max_lat, created_at, updated_at)
                        VALUES (\(bind: cell), \(bind: cell), \(bind: cell), \(bind: area.id), \(bind: area.path), '{}', 10000,
                            \(bind: 121 + x), \(bind: 31 + y), \(bind: 121.001 + x), \(bind: 31.001 + y), \(bind: now), \(bind: now))
                        """
                    ).run()
                    // Every other cell a hazard of some category; every fourth a gas detector.
                    if n % 2 == 0 {
                        let level = levels[Int(random.next() % 4)]
                        try await db.raw(
                            """
                            INSERT INTO hazard_sources (id, code, name, category, lon, lat, grid_cell_id, area_path,
                                inherent_level, inherent_rank, created_at, updated_at)
                            VALUES (\(bind: "H\(n)"), \(bind: "H\(n)"), 'hazard', \(bind: categories[n / 2 % categories.count].code),
                                \(bind: 121 + x), \(bind: 31 + y), \(bind: cell), \(bind: area.path), \(bind: level.rawValue),
                                \(bind: level.rank), \(bind: now), \(bind: now))
                            """
                        ).run()
                        try await db.raw(
                            """
                            INSERT INTO hazard_cells (hazard_id, grid_cell_id, category, inherent_rank)
                            VALUES (\(bind: "H\(n)"), \(bind: cell), \(bind: categories[n / 2 % categories.count].code),
                                \(bind: level.rank))
                            """
                        ).run()
                    }
                    if n % 4 == 0 {
                        let device = "D\(n)"
                        try await db.raw(
                            """
                            INSERT INTO devices (id, code, kind_code, name, lon, lat, grid_cell_id, area_id, area_path, state,
                                created_at, updated_at)
                            VALUES (\(bind: device), \(bind: device), 'gas', 'gas detector', \(bind: 121 + x), \(bind: 31 + y),
                                \(bind: cell), \(bind: area.id), \(bind: area.path), 'online', \(bind: now), \(bind: now))
                            """
                        ).run()
                        devices.append((device, cell))
                    }
                }
            }
            let full = try await BenchTiming.once { try await platform.risk.recomputeAll() }
            var incremental = Latencies()
            var judged = 0
            for round in 0..<rounds {
                let device = devices[Int(random.next() % UInt64(devices.count))]
                let at = now + Int64(round + 1) * 1000
                try await pool.transaction { db in
                    try await db.raw(
                        """
                        INSERT INTO alarms (id, rule_id, rule_name, device_id, device_code, kind_code, area_path, lon, lat,
                            severity, state, detail, raised_at, updated_at)
                        VALUES (\(bind: "A\(round)"), \(bind: "bench.\(round)"), 'leak', \(bind: device.id), \(bind: device.id),
                            'gas', \(bind: area.path), 121, 31, 'red', 'raised', 'gas leak', \(bind: at), \(bind: at))
                        """
                    ).run()
                }
                let outcome = try await BenchTiming.timed(&incremental) {
                    try await platform.risk.follow(since: at - 1)
                }
                judged = max(judged, outcome.cells)
            }
            guard judged == 1 else { throw BenchFailure("an alarm's recompute judged \(judged) cells") }
            return [
                "risk_cells": count, "risk_categories": categories.count,
                "risk_full_ms": BenchResult.rounded(full.ms, 1),
                "risk_full_changes": full.value.changes.count, "risk_incremental_samples": incremental.count,
                "risk_incremental_p50_ms": BenchResult.rounded(incremental.milliseconds(at: 50), 3),
                "risk_incremental_p95_ms": BenchResult.rounded(incremental.milliseconds(at: 95), 3),
            ]
        }
    }
}
