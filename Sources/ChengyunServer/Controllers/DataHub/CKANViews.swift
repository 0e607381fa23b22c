import ChengyunCore
import ChengyunStore
import Foundation

/// CKAN's action answer (encoded with snake_case keys, as CKAN spells them): `{"help", "success", "result"}` or `{"help", "success": false, "error"}`.
struct CKANAnswer: Encodable {
    var help: String
    var success: Bool
    var result: CKANResult?
    var error: CKANError?
}

struct CKANError: Encodable {
    var type: String
    var message: String

    enum CodingKeys: String, CodingKey {
        case type = "__type"
        case message
    }
}

/// What an action answers.
enum CKANResult: Encodable {
    case names([String])
    case package(CKANPackage)
    case search(CKANSearch)
    case organizations([CKANOrganization])
    case resource(CKANResource)
    case status(CKANStatus)
    case datastore(CKANDatastore)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .names(let value): try container.encode(value)
        case .package(let value): try container.encode(value)
        case .search(let value): try container.encode(value)
        case .organizations(let value): try container.encode(value)
        case .resource(let value): try container.encode(value)
        case .status(let value): try container.encode(value)
        case .datastore(let value): try container.encode(value)
        }
    }
}

struct CKANStatus: Encodable {
    var ckanVersion = "2.10.4"
    var siteTitle = "Chengyun 城运 data catalog"
    var siteUrl: String
    var siteDescription = "城市运行管理服务平台资源目录 / the city operation platform's data catalog"
    var localeDefault = "zh_Hans_CN"
    var extensions: [String] = []
}

struct CKANSearch: Encodable {
    var count: Int
    var results: [CKANPackage]
    var sort = "name asc"
    var facets: [String: Int] = [:]
    var searchFacets: [String: Int] = [:]
}

struct CKANOrganization: Encodable, Equatable {
    var id: String
    var name: String
    var title: String
    var displayName: String
    var type = "organization"
    var isOrganization = true
    var state = "active"
    var packageCount: Int

    /// The organisation a dataset's owner is: its department, or the operation centre.
    init(_ dataset: Dataset, count: Int) {
        id = dataset.ownerDepartmentId ?? DataCatalogService.centreCode
        name = Self.slug(dataset.ownerCode)
        (title, displayName, packageCount) = (dataset.ownerName, dataset.ownerName, count)
    }

    /// A CKAN name: lower-case letters, digits, `-` and `_`.
    static func slug(_ code: String) -> String {
        String(code.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "-" })
    }
}

struct CKANTag: Encodable {
    var name: String
    var displayName: String
}

struct CKANExtra: Encodable {
    var key: String
    var value: String
}

/// A dataset's resources here: the JSON Schema of its records, and for a registered dataset its
/// records (in the DataStore, for `datastore_search`).
struct CKANResource: Encodable {
    var id: String
    var packageId: String
    var name: String
    var description: String
    var format = "JSON"
    var mimetype: String
    var url: String
    var state = "active"
    var datastoreActive: Bool
    var created: String
    var lastModified: String
}

/// A dataset as CKAN's `package_show` shows one; the catalog's terms ride in `extras`.
struct CKANPackage: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, name, title, notes, version, type, state
        case isPrivate = "private"
        case licenseId, licenseTitle, ownerOrg, organization, author, maintainer, metadataCreated, metadataModified
        case tags, numTags, resources, numResources, extras
    }

    var id: String
    var name: String
    var title: String
    var notes: String
    var version: String
    var type = "dataset"
    var state = "active"
    var isPrivate = false
    var licenseId: String
    var licenseTitle: String
    var ownerOrg: String
    var organization: CKANOrganization
    var author: String
    var maintainer: String
    var metadataCreated: String
    var metadataModified: String
    var tags: [CKANTag]
    var numTags: Int
    var resources: [CKANResource]
    var numResources: Int
    var extras: [CKANExtra]

    init(_ dataset: Dataset, host: String) {
        (id, name, title, notes) = (dataset.id, dataset.code, dataset.title, dataset.description)
        version = String(dataset.version)
        (licenseId, licenseTitle) =
            dataset.openType == .open ? ("other-open", "开放 / open") : ("other-closed", "不开放或有条件开放 / not open")
        organization = CKANOrganization(dataset, count: 0)
        ownerOrg = organization.id
        (author, maintainer) = (dataset.ownerName, dataset.ownerName)
        let published = dataset.publishedAt ?? dataset.updatedAt
        metadataCreated = Self.time(dataset.createdAt)
        metadataModified = Self.time(max(published, dataset.updatedAt))
        tags = dataset.tags.map { CKANTag(name: $0, displayName: $0) }
        numTags = tags.count
        resources = [
            CKANResource(
                id: dataset.id + "-schema", packageId: dataset.id, name: "数据结构 / record schema",
                description: "JSON Schema (draft 2020-12) of the dataset's records",
                mimetype: "application/schema+json",
                url: "http://\(host)/api/v1/public/datasets/\(dataset.code)/schema", datastoreActive: false,
                created: metadataCreated, lastModified: metadataModified)
        ]
        if dataset.service != nil {
            // A service's resource is its gateway, called by grant; it has no records in the DataStore.
            resources.append(
                CKANResource(
                    id: dataset.id + "-service", packageId: dataset.id, name: "服务 / service",
                    description: "The service, called through the platform's gateway by an approved access application",
                    format: "API", mimetype: "application/json",
                    url: "http://\(host)/api/v1/services/\(dataset.code)/call/", datastoreActive: false,
                    created: metadataCreated, lastModified: metadataModified))
        } else if dataset.origin == .registered {
            resources.append(
                CKANResource(
                    id: dataset.id + "-records", packageId: dataset.id, name: "数据 / records",
                    description:
                        "The records, by datastore_search (open datasets) or GET /api/v1/datasets/{code}/records",
                    mimetype: "application/json",
                    url: "http://\(host)/api/3/action/datastore_search?resource_id=\(dataset.id)-records",
                    datastoreActive: true, created: metadataCreated, lastModified: metadataModified))
        }
        numResources = resources.count
        extras = Self.extras(dataset)
    }

    /// CKAN's own timestamps: UTC without an offset, to the microsecond
    /// (`2026-12-05T00:44:27.000000`) — its validators refuse an offset.
    static func time(_ millis: Int64) -> String {
        let text = EpochMillis.iso8601(millis, utcOffsetMinutes: 0)
        let fraction = String(format: "%03d", Int(((millis % 1000) + 1000) % 1000))
        return String(text.dropLast(6)) + ".\(fraction)000"
    }

    static func extras(_ dataset: Dataset) -> [CKANExtra] {
        var extras = [
            CKANExtra(key: "sharing_type", value: dataset.sharingType.rawValue),
            CKANExtra(key: "open_type", value: dataset.openType.rawValue),
            CKANExtra(key: "update_cycle", value: dataset.updateCycle.rawValue),
            CKANExtra(key: "origin", value: dataset.origin.rawValue),
        ]
        if let condition = dataset.sharingCondition { extras.append(.init(key: "sharing_condition", value: condition)) }
        if let title = dataset.titleEn { extras.append(.init(key: "title_en", value: title)) }
        if let box = dataset.coverage.bbox, box.count == 4 {
            let ring = [[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[3]], [box[0], box[1]]]
            let coordinates = ring.map { "[\($0[0]),\($0[1])]" }.joined(separator: ",")
            extras.append(.init(key: "spatial", value: "{\"type\":\"Polygon\",\"coordinates\":[[\(coordinates)]]}"))
        }
        if let from = dataset.coverage.from {
            extras.append(.init(key: "temporal_start", value: EpochMillis.iso8601(from)))
        }
        if let to = dataset.coverage.to { extras.append(.init(key: "temporal_end", value: EpochMillis.iso8601(to))) }
        let lineage = dataset.lineage.map { "\($0.kind.rawValue):\($0.ref)" }.joined(separator: "; ")
        if !lineage.isEmpty { extras.append(.init(key: "lineage", value: lineage)) }
        return extras
    }
}

/// `datastore_search`'s answer: the fields with CKAN's type names and the records.
struct CKANDatastore: Encodable {
    struct Field: Encodable {
        var id: String
        var type: String
    }
    var resourceId: String
    var fields: [Field]
    var records: [[String: CKANScalarOut]]
    var total: Int
    var limit: Int
    var offset: Int

    static func type(of type: FieldType) -> String {
        switch type {
        case .string, .date, .geometry: "text"
        case .integer: "int"
        case .number, .lon, .lat: "numeric"
        case .boolean: "bool"
        case .datetime: "timestamp"
        }
    }

    static func cell(_ field: DatasetField, _ value: FieldValue) -> CKANScalarOut {
        switch (field.type, value) {
        case (_, .null): .null
        case (.boolean, .integer(let flag)): .flag(flag != 0)
        case (.datetime, .integer(let millis)): .text(CKANPackage.time(millis))
        case (_, .integer(let number)): .whole(number)
        case (_, .number(let number)): .real(number)
        case (_, .text(let text)): .text(text)
        }
    }
}

/// A record's value as CKAN's DataStore gives it.
enum CKANScalarOut: Encodable {
    case null, flag(Bool), whole(Int64), real(Double), text(String)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .flag(let value): try container.encode(value)
        case .whole(let value): try container.encode(value)
        case .real(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }
}
