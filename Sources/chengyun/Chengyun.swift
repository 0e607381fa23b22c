import ArgumentParser
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
}
