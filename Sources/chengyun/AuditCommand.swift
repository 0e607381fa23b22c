import ArgumentParser
import ChengyunCore
import ChengyunStore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Audit log tools.",
        subcommands: [Verify.self, RotateKey.self, Anchor.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check the audit chain against the key file and the anchors outside the database; report the first break."
        )
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let config = try await storage.load()
            // The keys are read, never made here: a missing key file is a failure to verify.
            let keys = try AuditKeyFile(path: config.auditKeyPath).load()
            let anchors = try AuditAnchorFile(path: config.auditAnchorPath).read()
            let verifier = try await withPlatform(storage) { platform, _ in
                try await AuditRepository(keys: keys).verify(platform.pool, anchors: anchors)
            }
            if let broken = verifier.firstBreak {
                print("BROKEN: \(broken) (\(verifier.checked) entries verified before it)")
                throw ExitCode(2)
            }
            print(
                "Audit chain intact: \(verifier.checked) entries, signed with keys \(keys.keys.keys.sorted().joined(separator: ", ")), \(anchors.count) anchors."
            )
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Add a new audit key and sign new entries with it (restart the server to take it up).")
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let config = try await storage.load()
            let file = AuditKeyFile(path: config.auditKeyPath)
            var keys = try file.load()
            let id = keys.rotate(at: EpochMillis.now())
            try file.save(keys)
            print("New audit key \(id) in \(file.path); the older keys stay there for verifying.")
        }
    }

    struct Anchor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the audit chain's head to the anchor file now.")
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let config = try await storage.load()
            let file = AuditAnchorFile(path: config.auditAnchorPath)
            let seq = try await withPlatform(storage) { platform, _ in
                try await file.anchor(platform.pool, at: EpochMillis.now())
            }
            print("Anchored the audit chain at entry \(seq) in \(file.path).")
        }
    }
}
