import ArgumentParser
import ChengyunCore
import ChengyunServer

@main
struct ChengyunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chengyun",
        abstract: "Chengyun (城运): the city operations management service platform.",
        version: Chengyun.version,
        subcommands: [
            Serve.self, Migrate.self, Demo.self, Setup.self, UserCommand.self, AuditCommand.self, Backup.self,
            Restore.self,
            Import.self, Bench.self, OpenAPICommand.self,
        ],
        defaultSubcommand: Serve.self)

    /// ArgumentParser's own `main`, except that a PostgreSQL error is shown by its reflection,
    /// secrets masked (`loggedError`): its description is a generic sentence that names no cause.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: String(reflecting: type(of: error)).hasPrefix("PostgresNIO.") ? Shown(error) : error)
        }
    }

    private struct Shown: Error, CustomStringConvertible {
        let description: String
        init(_ error: any Error) { description = loggedError(error) }
    }
}
