import ArgumentParser

@main
struct ChengyunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chengyun",
        abstract: "Chengyun (城运): the city operations management service platform.",
        version: "0.1.0",
        subcommands: [
            Serve.self, Migrate.self, Demo.self, Setup.self, UserCommand.self, AuditCommand.self, Backup.self,
            Restore.self,
            Import.self, Bench.self,
        ],
        defaultSubcommand: Serve.self)
}
