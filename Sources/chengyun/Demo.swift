import ArgumentParser
import ChengyunStore

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Build the demo city (苏州市: 3 districts, 12 streets, 40 communities, 420 grid cells) into an empty database."
    )

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        try await withPlatform(storage) { platform, config in
            let credentials = try await DemoCity(platform: platform).build()
            let path = try DemoCity.write(credentials, toDirectory: config.dataDirectory)
            print(credentials.text)
            print("(also written to \(path), readable by you only)")
        }
    }
}
