import ArgumentParser
import ChengyunCore
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
        @Option(help: "The file's character set: UTF-8 (the default), GBK, GB2312, GB18030 or windows-1252.")
        var charset = "UTF-8"

        func run() async throws {
            guard let charset = SourceCharset.named(charset) else {
                throw ValidationError("--charset \(charset) is not one read: \(SourceCharset.accepted).")
            }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            var text: String
            do {
                text = try charset.text(of: bytes)
            } catch SourceError.badEncoding(let line, let name) {
                throw ValidationError(
                    "Line \(line) of \(file) is not \(name): name its character set with --charset (GBK, say).")
            } catch let error as SourceError {
                throw ValidationError(error.message)
            }
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
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
