import ArgumentParser
import ChengyunStore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Audit log tools.",
                                                    subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check the audit log's hash chain; report the first broken link.")
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let verifier = try await withPlatform(storage) { platform, _ in try await AuditRepository().verify(platform.pool) }
            if let broken = verifier.firstBreak {
                print("BROKEN: \(broken) (\(verifier.checked) entries verified before it)")
                throw ExitCode(2)
            }
            print("Audit chain intact: \(verifier.checked) entries.")
        }
    }
}
