import ArgumentParser
import ChengyunStore
import Foundation

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring data in from files.", subcommands: [Hotline.self, ImportAirQuality.self])

    struct Hotline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import 12345 hotline work orders from CSV (matter_code, description, lon, lat, address, urgency, reporter_name, reporter_contact, hotline_id)."
        )
        @OptionGroup var storage: StorageOptions
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let report = try await withPlatform(storage) { platform, _ in
                try await HotlineImport(platform: platform).run(csv: text, by: .system)
            }
            for line in report.lines where line.code != nil {
                print(
                    "line \(line.line): \(line.code!) — \(line.message ?? "")"
                        + (line.issues.map { " " + $0.map { "\($0.field): \($0.message)" }.joined(separator: "; ") }
                            ?? ""))
            }
            print("accepted \(report.accepted), merged as duplicates \(report.merged), rejected \(report.rejected)")
            if report.rejected > 0 { throw ExitCode(1) }
        }
    }
}
