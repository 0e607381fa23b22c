import ChengyunCore
import ChengyunServer
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every row of the San Francisco 311 sample goes in through `POST requests` at the time it was
/// opened, and every one comes back out of `GET requests` as a case — or a recorded duplicate of
/// an open case of the same service within 50 m — with the right service and position.
@Suite struct Open311ReplayTests {
    struct Row {
        var opened: Int64; var code: String; var lat: Double; var long: Double; var address: String;
        var details: String; var media: String?
    }

    @Test(arguments: TestBackend.available) func everySF311RowBecomesACase(backend: TestBackend) async throws {
        guard let directory = dataDirectory() else {
            Issue.record("The repository's data/ folder is missing (data/sf311/cases_sample.csv).")
            return
        }
        let rows = try Self.rows(String(contentsOfFile: directory + "/sf311/cases_sample.csv", encoding: .utf8))
        #expect(rows.count == 4984)
        let clock = TestClock(rows[0].opened)
        try await withPlatform(backend, clock: clock) { platform in
            let key = try await Self.sanFrancisco(platform)
            try await testApplication(platform).test(.router) { client in
                var posted: [(row: Row, id: String, lat: Double, long: Double)] = []
                // The newest case at each address, as the platform will find it (unless two share the instant).
                var seen: [String: (opened: Int64, lat: Double, long: Double, tied: Bool)] = [:]
                var byAddress = 0
                for (index, row) in rows.enumerated() {
                    clock.set(row.opened)
                    var form = [
                        ("api_key", key), ("service_code", row.code), ("address_string", row.address),
                        ("description", row.details),
                    ]
                    // Every fifth row whose address the city has seen comes without coordinates.
                    var lat = row.lat, long = row.long
                    if index % 5 == 0, let known = seen[row.address.lowercased()], !known.tied {
                        (lat, long) = (known.lat, known.long)
                        byAddress += 1
                    } else {
                        form += [("lat", "\(row.lat)"), ("long", "\(row.long)")]
                    }
                    if let media = row.media { form.append(("media_url", media)) }
                    let answer = try await client.open311(.post, "requests.json", form: form)
                    let id = try #require(
                        answer.list.first?["service_request_id"] as? String, "row \(index + 2): \(answer.text)")
                    posted.append((row, id, lat, long))
                    let previous = seen[row.address.lowercased()]
                    seen[row.address.lowercased()] = (row.opened, lat, long, previous?.opened == row.opened)
                }
                #expect(byAddress > 100, "placed by address alone: \(byAddress)")

                var merged = 0
                for start in stride(from: 0, to: posted.count, by: 200) {
                    let batch = posted[start..<min(start + 200, posted.count)]
                    let answer = try await client.open311(
                        .get, "requests.json?service_request_id=" + batch.map(\.id).joined(separator: ","))
                    let byId = Dictionary(
                        uniqueKeysWithValues: answer.list.map { ($0["service_request_id"] as! String, $0) })
                    for item in batch {
                        let request = try #require(byId[item.id], "\(item.id) is listed")
                        #expect(request["service_code"] as? String == item.row.code)
                        #expect(
                            request["lat"] as? Double == item.lat && request["long"] as? Double == item.long,
                            "\(item.id)")
                        #expect(request["media_url"] as? String == item.row.media)
                        if (request["status_notes"] as? String)?.contains("merged into") == true { merged += 1 }
                    }
                }
                // Each duplicate names an open case of its service, within 50 m, reported within the week before it.
                let all = try await platform.pool.read { db in
                    try await db.select().column("id").column("kind").column("major_code").column("minor_code").column(
                        "state"
                    )
                    .column("duplicate_of").column("duplicate_count").column("lon").column("lat").column("reported_at")
                    .from("cases").all()
                    .map { row in
                        Stored(
                            id: try row.decode(column: "id", as: String.self),
                            code: try row.decode(column: "kind", as: CaseKind.self).letter
                                + (try row.decode(column: "major_code", as: String.self))
                                + (try row.decode(column: "minor_code", as: String.self)),
                            state: try row.decode(column: "state", as: CaseState.self),
                            duplicateOf: try row.decode(column: "duplicate_of", as: String?.self),
                            duplicateCount: try row.decode(column: "duplicate_count", as: Int.self),
                            position: GeoPoint(
                                lon: try row.decode(column: "lon", as: Double.self),
                                lat: try row.decode(column: "lat", as: Double.self)),
                            reportedAt: try row.decode(column: "reported_at", as: Int64.self))
                    }
                }
                #expect(all.count == rows.count)
                let cases = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
                let duplicates = all.filter { $0.state == .merged }
                #expect(duplicates.count == merged && merged > 0, "merged: \(merged)")
                for duplicate in duplicates {
                    let original = try #require(duplicate.duplicateOf.flatMap { cases[$0] })
                    #expect(original.code == duplicate.code && original.state != .merged)
                    #expect(original.position.distance(to: duplicate.position) <= 50)
                    #expect(
                        duplicate.reportedAt - original.reportedAt <= 7 * 86_400_000
                            && duplicate.reportedAt >= original.reportedAt)
                    #expect(original.duplicateCount > 0)
                }
                #expect(all.filter { $0.state != .merged }.map(\.duplicateCount).reduce(0, +) == merged)
            }
        }
    }

    struct Stored {
        var id, code: String; var state: CaseState; var duplicateOf: String?; var duplicateCount: Int;
        var position: GeoPoint; var reportedAt: Int64
    }

    static func rows(_ text: String) throws -> [Row] {
        var reader = CSVReader(text)
        guard let header = reader.next()?.fields else { return [] }
        let column = Dictionary(header.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        func value(_ fields: [String], _ name: String) -> String {
            guard let index = column[name], index < fields.count, fields[index] != "NA" else { return "" }
            return fields[index]
        }
        return reader.compactMap { record -> Row? in
            let f = record.fields
            guard let opened = Instant.parse(value(f, "Opened") + "-08:00"), let lat = Double(value(f, "Lat")),
                let long = Double(value(f, "Long"))
            else { return nil }
            let media = value(f, "Media.URL")
            return Row(
                opened: opened, code: SF311.matterCodes[value(f, "Category")] ?? "E0599", lat: lat, long: long,
                address: value(f, "Address"),
                details: value(f, "Request.Details").isEmpty ? value(f, "Category") : value(f, "Request.Details"),
                media: media.hasPrefix("http") ? media : nil)
        }
        .sorted { $0.opened < $1.opened }
    }

    /// San Francisco as a city of 99 grid cells, the default catalogue plus a catch-all matter
    /// for the requests no national category fits, and a key for the replaying app.
    static func sanFrancisco(_ platform: Platform) async throws -> String {
        var tree = try CategoryRepository.defaultTree()
        tree.minors.append(
            MinorCategory(kind: .event, majorCode: "05", code: "99", name: "其他城市管理问题", nameEn: "Other requests"))
        _ = try await platform.catalogue.importTree(tree, by: .system)
        _ = try await platform.matters.importCatalogue(try MatterService.defaultCatalogue(), by: .system)
        let template = try #require(try await platform.matters.all().first { $0.code == "E0104" })
        var other = MatterInput(template)
        (other.majorCode, other.minorCode, other.name, other.customFields) = ("05", "99", "其他城市管理问题", [])
        _ = try await platform.matters.create(other, by: .system)
        let org = platform.organisation
        let city = try await org.createArea(
            NewArea(code: "660100", name: "旧金山市", level: .city, parentId: nil), by: .system)
        let district = try await org.createArea(
            NewArea(code: "660101", name: "San Francisco County", level: .district, parentId: city.id), by: .system)
        let street = try await org.createArea(
            NewArea(code: "660101001", name: "Civic Center", level: .street, parentId: district.id), by: .system)
        let community = try await org.createArea(
            NewArea(code: "660101001001", name: "Downtown", level: .community, parentId: street.id), by: .system)
        let (west, south, width, height) = (-122.52, 37.70, 0.019, 0.0128)
        for x in 0..<9 {
            for y in 0..<11 {
                let lon = west + Double(x) * width, lat = south + Double(y) * height
                let square = try GeoPolygon(rings: [
                    [
                        GeoPoint(lon: lon, lat: lat), GeoPoint(lon: lon + width, lat: lat),
                        GeoPoint(lon: lon + width, lat: lat + height), GeoPoint(lon: lon, lat: lat + height),
                    ]
                ])
                _ = try await org.createGridCell(
                    NewGridCell(
                        code: GridCellCode(community: community.code, sequence: x * 11 + y + 1).value,
                        name: "SF-\(x)-\(y)", geometry: square), by: .system)
            }
        }
        return try await platform.people.createAPIKey(
            NewAPIKey(
                name: "SF311 replay", scopes: [.open311Submit], areaId: city.id,
                rateLimitPerMinute: 100_000), by: .system
        ).secret
    }
}
