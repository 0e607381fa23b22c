import ChengyunCore
import Foundation
import Testing

/// Devices and alarms as NGSI-LD entities, rendered byte for byte; geo-queries with distances
/// worked out by hand; subscription documents read, refused and matched.
@Suite struct ContextEntityTests {
    static let device = Device(
        id: "d1", code: "ENV-A", kindCode: "environment", name: "平江环境站", componentCode: nil, lon: 120.6, lat: 31.3,
        gridCellId: nil, areaId: "a", areaPath: "/a/", departmentId: nil, state: .online, lastReadingAt: 1_500,
        createdAt: 0, updatedAt: 0)

    static let alarm = Alarm(
        id: "al1", ruleId: "r", ruleName: "PM2.5 超标", deviceId: "d1", deviceCode: "ENV-A", kindCode: "environment",
        areaPath: "/a/", lon: 120.6, lat: 31.3, severity: .blue, state: .acknowledged, detail: "pm25 = 80",
        metric: "pm25", value: 80, raisedAt: 1_000, acknowledgedAt: 2_000, acknowledgedBy: "someone", updatedAt: 2_000)

    @Test func aDeviceWithItsReadings() {
        let entity = ContextEntity.device(
            Self.device,
            readings: [
                ContextReading(metric: "pm25", value: 80, at: 1_500), ContextReading(metric: "name", value: 1, at: 1),
            ])
        #expect(
            entity.json(.keyValues, withContext: false)
                == #"{"id":"urn:ngsi-ld:Device:ENV-A","type":"Device","name":"平江环境站","deviceCategory":"environment","deviceState":"online","location":{"type":"Point","coordinates":[120.6,31.3]},"controlledProperty":["pm25"],"dateLastValueReported":"1970-01-01T00:00:01.500Z","pm25":80}"#
        )
        #expect(
            entity.json(.normalized, attributes: ["pm25", "dateLastValueReported"], withContext: true)
                == #"{"id":"urn:ngsi-ld:Device:ENV-A","type":"Device","dateLastValueReported":{"type":"Property","value":{"@type":"DateTime","@value":"1970-01-01T00:00:01.500Z"}},"pm25":{"type":"Property","value":80,"observedAt":"1970-01-01T00:00:01.500Z"},"@context":"https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"}"#
        )
    }

    @Test func anAlarmNamesItsDeviceAndNoPerson() {
        let json = ContextEntity.alarm(Self.alarm).json(.normalized, withContext: false)
        #expect(json.contains(#""device":{"type":"Relationship","object":"urn:ngsi-ld:Device:ENV-A"}"#))
        #expect(json.contains(#""alarmState":{"type":"Property","value":"acknowledged"}"#))
        #expect(!json.contains("someone") && !json.contains("caseId"))
        #expect(ContextEntity.changedAttributes(of: Self.alarm) == ["alarmState", "dateAcknowledged"])
    }

    @Test func urns() {
        #expect(ContextEntityType.parse(id: "urn:ngsi-ld:Device:ENV:1")! == (.device, "ENV:1"))
        #expect(ContextEntityType.parse(id: "urn:ngsi-ld:Alarm:") == nil)
        #expect(ContextEntityType.parse(id: "urn:ngsi-ld:Vehicle:1") == nil)
        #expect(ContextEntityType.parse(id: "ENV-A") == nil)
        #expect(NGSILD.dateTime(-1) == "1969-12-31T23:59:59.999Z")
    }

    @Test func geoQueries() throws {
        let centre = GeoPoint(lon: 120.6, lat: 31.3)
        // 0.001° of latitude is 111.2 m on a sphere of 6,371,008.8 m.
        let north = GeoPoint(lon: 120.6, lat: 31.301)
        let near = try ContextGeoQuery.parse(
            georel: "near;maxDistance==112", geometry: "Point", coordinates: "[120.6, 31.3]")
        #expect(near.matches(north) && near.matches(centre))
        #expect(
            try !ContextGeoQuery.parse(georel: "near;maxDistance==111", geometry: "Point", coordinates: "[120.6,31.3]")
                .matches(north))
        #expect(
            try !ContextGeoQuery.parse(georel: "near;minDistance==112", geometry: "Point", coordinates: "[120.6,31.3]")
                .matches(north))
        let box = try #require(near.boundingBox)
        #expect(box.contains(north) && !box.contains(GeoPoint(lon: 120.6, lat: 31.302)))
        // A circle across ±180° or over a pole is not boxed (the scan reads every candidate).
        #expect(
            try ContextGeoQuery.parse(georel: "near;maxDistance==5000", geometry: "Point", coordinates: "[179.99,0]")
                .boundingBox == nil)
        #expect(
            try ContextGeoQuery.parse(georel: "near;maxDistance==200000", geometry: "Point", coordinates: "[10,89]")
                .boundingBox == nil)
        let square = "[[[120.59,31.29],[120.61,31.29],[120.61,31.31],[120.59,31.31],[120.59,31.29]]]"
        #expect(try ContextGeoQuery.parse(georel: "within", geometry: "Polygon", coordinates: square).matches(north))
        #expect(try !ContextGeoQuery.parse(georel: "disjoint", geometry: "Polygon", coordinates: square).matches(north))
        #expect(
            try ContextGeoQuery.parse(georel: "equals", geometry: "Point", coordinates: "[120.6,31.3]").matches(centre))
        for (georel, geometry, coordinates) in [
            ("near", "Point", "[1,2]"), ("near;maxDistance==-1", "Point", "[1,2]"), ("within", "Point", "[1,2]"),
            ("near;maxDistance==5", "Polygon", square), ("near;maxDistance==5", "Point", "[200,2]"),
            ("overlaps", "Polygon", square), ("within", "Polygon", "[[[0,0],[1,1]]]"),
            ("near;far==1", "Point", "[1,2]"),
        ] {
            #expect(throws: ContextQueryError.self, "\(georel) \(coordinates)") {
                try ContextGeoQuery.parse(georel: georel, geometry: geometry, coordinates: coordinates)
            }
        }
    }

    @Test func subscriptionDocuments() throws {
        let read = { (json: String) in try ContextSubscription.read(Data(json.utf8)) }
        let watched = try read(
            #"{"type":"Subscription","entities":[{"type":"Alarm"}],"watchedAttributes":["alarmState"],"q":"severity%3D%3D%22blue%22","notification":{"format":"keyValues","attributes":["alarmState"],"endpoint":{"uri":"http://127.0.0.1:9/n"}},"@context":"https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"}"#
        )
        #expect(watched.q == #"severity=="blue""# && watched.types == [.alarm] && watched.accept == "application/json")
        let entity = ContextEntity.alarm(Self.alarm)
        #expect(watched.matches(entity, changed: ["alarmState"]) && watched.matches(entity, changed: nil))
        #expect(!watched.matches(entity, changed: ["description"]))
        #expect(!watched.matches(ContextEntity.device(Self.device, readings: []), changed: nil))
        #expect(
            watched.notification(id: "n1", subscriptionId: "s1", entities: [entity], at: 0)
                == #"{"id":"urn:ngsi-ld:Notification:n1","type":"Notification","subscriptionId":"urn:ngsi-ld:Subscription:s1","notifiedAt":"1970-01-01T00:00:00.000Z","data":[{"id":"urn:ngsi-ld:Alarm:al1","type":"Alarm","alarmState":"acknowledged"}]}"#
        )
        let byId = try read(
            #"{"entities":[{"id":"urn:ngsi-ld:Device:ENV-A"}],"notification":{"endpoint":{"uri":"https://x.test/n","accept":"application/ld+json"}}}"#
        )
        #expect(byId.types == [.device] && byId.matches(ContextEntity.device(Self.device, readings: []), changed: nil))

        for bad in [
            #"{"entities":[{"type":"Alarm"}],"throttling":5,"notification":{"endpoint":{"uri":"http://x.test"}}}"#,
            #"{"id":"urn:x","entities":[{"type":"Alarm"}],"notification":{"endpoint":{"uri":"http://x.test"}}}"#,
            #"{"entities":[{"type":"Vehicle"}],"notification":{"endpoint":{"uri":"http://x.test"}}}"#,
            #"{"entities":[{"type":"Alarm"}],"notification":{"endpoint":{"uri":"ftp://x.test"}}}"#,
            #"{"entities":[{"type":"Alarm"}],"q":"a>>1","notification":{"endpoint":{"uri":"http://x.test"}}}"#,
            #"{"notification":{"endpoint":{"uri":"http://x.test"}}}"#, #"{"entities":[{"type":"Alarm"}]}"#, "[]",
            #"{"entities":[{"type":"Alarm"}],"isActive":false,"notification":{"endpoint":{"uri":"http://x.test"}}}"#,
        ] {
            #expect(throws: DomainError.self, "\(bad)") { try read(bad) }
        }
    }

    /// `timeInterval`: whole seconds in range, with entities and without `watchedAttributes`;
    /// due once its interval is over (less half a sweep's tick), never matching a change.
    @Test func periodicSubscriptions() throws {
        let read = { (json: String) in try ContextSubscription.read(Data(json.utf8)) }
        let periodic = try read(
            #"{"entities":[{"type":"Device"}],"q":"pm25>50","timeInterval":60,"notification":{"format":"keyValues","endpoint":{"uri":"http://127.0.0.1:9/p"}}}"#
        )
        #expect(periodic.timeInterval == 60)
        #expect(!periodic.matches(ContextEntity.device(Self.device, readings: []), changed: nil))
        #expect(periodic.document(id: "s1", active: true, withContext: false).contains(#""timeInterval":60"#))
        #expect(periodic.isDue(lastNotifiedAt: nil, at: 0, tick: 2_000))
        #expect(!periodic.isDue(lastNotifiedAt: 10_000, at: 68_999, tick: 2_000))
        #expect(periodic.isDue(lastNotifiedAt: 10_000, at: 69_000, tick: 2_000))
        #expect(periodic.isDue(lastNotifiedAt: 10_000, at: 70_000, tick: 2_000))
        let query = try periodic.query(offset: 1000, limit: 1000)
        #expect(query.types == [.device] && query.offset == 1000 && query.selectors?.count == 1 && query.ids == nil)
        let named = try read(
            #"{"entities":[{"id":"urn:ngsi-ld:Device:ENV-A"},{"id":"urn:ngsi-ld:Device:ENV-B"}],"timeInterval":60,"notification":{"endpoint":{"uri":"http://x.test"}}}"#
        )
        #expect(try named.query(offset: 0, limit: 10).ids == ["urn:ngsi-ld:Device:ENV-A", "urn:ngsi-ld:Device:ENV-B"])
        #expect(query.q == (try ContextQuery.parse("pm25>50")))
        let onChange = try read(#"{"entities":[{"type":"Alarm"}],"notification":{"endpoint":{"uri":"http://x.test"}}}"#)
        #expect(!onChange.isDue(lastNotifiedAt: nil, at: 0, tick: 2_000))
        let both = periodic.notification(
            id: "n2", subscriptionId: "s1",
            entities: [ContextEntity.device(Self.device, readings: []), ContextEntity.alarm(Self.alarm)], at: 0)
        let data = try #require(
            (try JSONSerialization.jsonObject(with: Data(both.utf8)) as? [String: Any])?["data"] as? [[String: Any]])
        #expect(data.count == 2)

        for bad in [
            #"{"entities":[{"type":"Device"}],"timeInterval":5,"notification":{"endpoint":{"uri":"http://x.test"}}}"#,
            #"{"entities":[{"type":"Device"}],"timeInterval":90000,"notification":{"endpoint":{"uri":"http://x.test"}}}"#,
            #"{"entities":[{"type":"Device"}],"timeInterval":60.5,"notification":{"endpoint":{"uri":"http://x.test"}}}"#,
            #"{"entities":[{"type":"Device"}],"timeInterval":"60","notification":{"endpoint":{"uri":"http://x.test"}}}"#,
            #"{"entities":[{"type":"Device"}],"watchedAttributes":["pm25"],"timeInterval":60,"notification":{"endpoint":{"uri":"http://x.test"}}}"#,
            #"{"watchedAttributes":["pm25"],"timeInterval":60,"notification":{"endpoint":{"uri":"http://x.test"}}}"#,
        ] {
            #expect(throws: DomainError.self, "\(bad)") { try read(bad) }
        }
    }

    /// A standing order's reader: the owner's scope and the order's area, whichever is narrower.
    @Test func narrowedPrincipals() {
        let city = Principal(kind: .staff, id: "u1", name: "u1", scope: AreaScope(areaId: "c", path: "/c/"))
        #expect(city.narrowed(to: "/c/d/")?.scope?.path == "/c/d/")
        #expect(city.narrowed(to: "/c/") == city)
        let street = Principal(kind: .staff, id: "u2", name: "u2", scope: AreaScope(areaId: "s", path: "/c/d/s/"))
        #expect(street.narrowed(to: "/c/") == street)
        #expect(street.narrowed(to: "/c/e/") == nil)
        #expect(Principal.anonymousCitizen.narrowed(to: "/") == nil)
    }
}
