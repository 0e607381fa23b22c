import ChengyunCore
@testable import ChengyunServer
import Foundation
import Logging
import Testing

/// Problem documents as they leave the API: a refusal that knows where a reader may go on says
/// so as `nextCursor`, and one that does not carries no such member.
@Suite struct ProblemTests {
    private func document(_ error: DomainError) throws -> [String: Any] {
        let problem = Problem.from(error, logger: Logger(label: "test"))
        let data = try JSONEncoder().encode(problem)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func aRefusalNamesWhereToGoOnWhenItKnows() throws {
        var pruned = DomainError(.conflict, code: "changes_pruned", "Changes after this cursor were pruned.")
        pruned.nextCursor = "Mi4y"
        let named = try document(pruned)
        #expect(named["status"] as? Int == 409 && named["code"] as? String == "changes_pruned")
        #expect(named["nextCursor"] as? String == "Mi4y")
        let plain = try document(DomainError(.conflict, code: "subscription_cancelled", "Cancelled."))
        #expect(plain["code"] as? String == "subscription_cancelled" && plain["nextCursor"] == nil)
    }
}
