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

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .names(let value): try container.encode(value)
        case .package(let value): try container.encode(value)
        case .search(let value): try container.encode(value)
        case .organizations(let value): try container.encode(value)
        case .resource(let value): try container.encode(value)
        case .status(let value): try container.encode(value)
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

/// A dataset's one resource here: the JSON Schema of its records.
struct CKANResource: Encodable {
    var id: String
    var packageId: String
    var name = "数据结构 / record schema"
    var description = "JSON Schema (draft 2020-12) of the dataset's records"
    var format = "JSON"
    var mimetype = "application/schema+json"
    var url: String
    var state = "active"
    var datastoreActive = false
    var created: String
    var lastModified: String

    static func id(of dataset: Dataset) -> String { dataset.id + "-schema" }
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

    init(_ dataset: Dataset, schemaURL: String) {
        (id, name, title, notes) = (dataset.id, dataset.code, dataset.title, dataset.description)
        version = String(dataset.version)
        (licenseId, licenseTitle) =
            dataset.openType == .open ? ("other-open", "开放 / open") : ("other-closed", "不开放或有条件开放 / not open")
        organization = CKANOrganization(dataset, count: 0)
        ownerOrg = organization.id
        (author, maintainer) = (dataset.ownerName, dataset.ownerName)
        let published = dataset.publishedAt ?? dataset.updatedAt
        metadataCreated = EpochMillis.iso8601(dataset.createdAt)
        metadataModified = EpochMillis.iso8601(max(published, dataset.updatedAt))
        tags = dataset.tags.map { CKANTag(name: $0, displayName: $0) }
        numTags = tags.count
        resources = [
            CKANResource(
                id: CKANResource.id(of: dataset), packageId: dataset.id, url: schemaURL,
                created: metadataCreated, lastModified: metadataModified)
        ]
        numResources = 1
        extras = Self.extras(dataset)
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
