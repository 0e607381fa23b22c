import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ChengyunServer

/// The document is generated from the routes' declarations, and its schemas are checked against
/// the Swift types that read the bodies and against what the routes really answer.
@Suite struct OpenAPISchemaTests {
    @Test func theCommittedDocumentIsTheGeneratedOne() async throws {
        let (platform, _) = try await DemoFixture.shared.platform(.sqlite)
        let generated = try OpenAPIGenerator.data(platform: platform)
        #expect(
            generated == (try OpenAPIDocument.data()),
            "openapi.json is not what the routes declare: run `swift run chengyun openapi --output Sources/ChengyunServer/OpenAPI/openapi.json`"
        )
    }

    /// Each JSON body's schema lists exactly the fields its Swift type takes, and examples made
    /// from the schema (the required fields alone, and every field) decode into that type.
    @Test func bodySchemasAreTheTypesThatReadThem() async throws {
        let (platform, _) = try await DemoFixture.shared.platform(.sqlite)
        let check = SchemaCheck(document: try JSONValue.read(OpenAPIDocument.data()))
        var probed = Set<String>()
        for entry in try OpenAPIGenerator.declarations(platform: platform) {
            guard case .json(let name, let probe?) = entry.doc.body else { continue }
            probed.insert(name)
            let schema = check.resolve(.object(["$ref": .string("#/components/schemas/\(name)")]))
            let properties = Set(schema["properties"]?.object?.keys.map { $0 } ?? [])
            #expect(
                properties == probe.fields,
                "\(entry.method) \(entry.path): \(name) lists \(properties.sorted()), the type takes \(probe.fields.sorted())"
            )
            // Every branch of every choice (each kind of rule condition, say), required fields alone
            // and every field.
            for (full, branch) in [false, true].flatMap({ full in (0..<7).map { (full, $0) } }) {
                let example = check.example(schema, full: full, branch: branch)
                #expect(
                    check.problems(example, schema).isEmpty, "\(name): the example \(example) breaks its own schema")
                do {
                    try probe.decode(Data(example.description.utf8))
                } catch {
                    let fields = full ? "every field" : "the required fields"
                    Issue.record(
                        "\(entry.method) \(entry.path): \(fields) of \(name) (\(example)) do not decode: \(error)")
                }
            }
        }
        #expect(probed.count > 30, "\(probed.count) body types probed")
    }

    /// What the demo city's routes answer an administrator fits the schemas the document gives.
    @Test func answersFitTheirSchemas() async throws {
        let (platform, _) = try await DemoFixture.shared.platform(.sqlite)
        let entries = try OpenAPIGenerator.declarations(platform: platform)
        let document = try JSONValue.read(OpenAPIDocument.data())
        let check = SchemaCheck(document: document)
        try await withDemoClient(.sqlite) { client, credentials, _ in
            let admin = try await client.login("admin", credentials.password(of: "admin"))
            var firstIds: [String: String] = [:]
            var checked = 0
            // Lists before the records they name, so `{id}` can be filled from a list's first item.
            for entry in entries.sorted(by: { $0.path.count < $1.path.count }) where entry.method == .get {
                let roles = entry.access?.roles ?? []
                guard roles.contains("admin") || roles.contains("authenticated"),
                    !entry.doc.parameters.contains(where: \.required),
                    let schema = document["paths"]?[entry.path]?["get"]?["responses"]?["200"]?["content"]?[
                        "application/json"]?["schema"]
                else { continue }
                var path = entry.path
                if path.hasSuffix("/{id}") {
                    guard let id = firstIds[String(path.dropLast(5))] else { continue }
                    path = String(path.dropLast(4)) + id
                }
                guard !path.contains("{") else { continue }
                let answer = try await client.call(.get, path, token: admin)
                #expect(answer.status == .ok, "GET \(path): \(answer.status) \(answer.text.prefix(300))")
                guard answer.status == .ok else { continue }
                let value = try JSONValue.read(answer.body)
                let problems = check.problems(value, schema)
                #expect(problems.isEmpty, "GET \(path) answers outside its schema: \(problems.prefix(8))")
                if let id = value["items"]?.array?.first?["id"]?.string { firstIds[entry.path] = id }
                checked += 1
            }
            #expect(checked > 40, "\(checked) answers checked")
        }
    }
}
