import ArgumentParser
import ChengyunServer
import ChengyunStore
import Foundation
import Logging

struct OpenAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi",
        abstract: "Print the OpenAPI document generated from the routes' declarations (or write it with --output).")

    @Option(help: "The file to write, e.g. Sources/ChengyunServer/OpenAPI/openapi.json; standard output when absent.")
    var output: String?

    func run() async throws {
        // The routes are built on a platform; an empty database in a temporary folder does.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chengyun-openapi-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pool = try await openDatabase(directory + "/routes.sqlite", logger: Logger(label: "chengyun"))
        let data: Data
        do {
            data = try OpenAPIGenerator.data(platform: Platform(pool: pool, settings: PlatformSettings()))
            await pool.close()
        } catch {
            await pool.close()
            throw error
        }
        if let output {
            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
