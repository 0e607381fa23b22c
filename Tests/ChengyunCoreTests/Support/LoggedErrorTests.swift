import ChengyunCore
import Testing

@Suite struct LoggedErrorTests {
    struct Failure: Error, CustomDebugStringConvertible, CustomStringConvertible {
        var description: String { "Generic description to prevent accidental leakage" }
        var debugDescription: String {
            "connect postgres://chengyun:s3cret!@db.example:5432/chengyun failed: relation \"x\" does not exist; Authorization: Bearer abc.DEF-123; X-API-Key: k_999"
        }
    }

    @Test func theLogGetsTheCauseWithoutTheSecrets() {
        let text = loggedError(Failure())
        #expect(text.contains("relation \"x\" does not exist"), "the real reason, not the generic sentence")
        #expect(text.contains("postgres://chengyun:****@db.example:5432"))
        #expect(text.contains("Bearer ****") && text.contains("X-API-Key: ****"))
        #expect(!text.contains("s3cret") && !text.contains("abc.DEF") && !text.contains("k_999"))
        #expect(maskSecrets("no secrets here: 42") == "no secrets here: 42")
    }
}
