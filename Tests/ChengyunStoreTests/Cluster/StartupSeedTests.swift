import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import Foundation
import SQLKit
import Testing

/// Nodes starting together on one database each install what is missing at start (the built-in
/// alarm rules): whoever commits first writes them, the other finds them written — neither fails.
@Suite(.timeLimit(.minutes(5))) struct StartupSeedTests {
    @Test(arguments: TestBackend.available) func twoNodesInstallTheBuiltInRulesOnce(backend: TestBackend) async throws {
        try await withTwoNodes(backend) { a, b in
            for round in 1...5 {
                try await a.pool.transaction { try await $0.raw("DELETE FROM alarm_rules").run() }
                let installed = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for node in [a, b] { group.addTask { try await node.alarmRules.installMissingDefaults() } }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(installed == 1, "round \(round): one node wrote the rules, the other found them")
                let rules = try await a.pool.read { try await AlarmRuleRepository().all(on: $0) }
                #expect(!rules.isEmpty && rules.allSatisfy(\.builtIn))
                #expect(Set(rules.map(\.id)).count == rules.count)
                #expect(try await installs(on: a) == round, "one audit entry a round")
            }
        }
    }

    private func installs(on platform: Platform) async throws -> Int {
        let row = try await platform.pool.read {
            try await $0.raw(
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'alarm_rule.install_defaults'"
            ).first()
        }
        return try #require(row).decode(column: "n", as: Int.self)
    }
}
