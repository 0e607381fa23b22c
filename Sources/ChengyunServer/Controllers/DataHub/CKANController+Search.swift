import ChengyunCore
import ChengyunStore
import Foundation

/// The CKAN door's searches: packages, organizations, and a dataset's records.
extension CKANController {
    func search(_ parameters: CKANParameters, host: String) async throws -> CKANSearch {
        var query = published
        let text = parameters.values["q"] ?? ""
        query.text = text == "*:*" ? nil : text
        for clause in CKANParameters.clauses(parameters.values["fq"] ?? "") {
            let parts = clause.split(separator: ":", maxSplits: 1).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"+"))
            }
            guard parts.count == 2 else { throw CKANFailure.searchQuery("fq clause \(clause) is not field:value") }
            switch parts[0] {
            case "tags":
                query.tags.append(parts[1])
            case "organization", "owner_org":
                guard let owner = try await organizations().first(where: { $0.name == parts[1] || $0.id == parts[1] })
                else { return CKANSearch(count: 0, results: []) }
                query.ownerDepartmentId = owner.id
            case "dataset_type", "type":
                guard parts[1] == "dataset" else { return CKANSearch(count: 0, results: []) }
            default:
                throw CKANFailure.searchQuery(
                    "fq field \(parts[0]) is not searchable here (tags, organization, dataset_type)")
            }
        }
        // CKAN clamps rows to its rows_max rather than refusing.
        let rows = min(try parameters.int("rows", default: 10), Self.maxRows)
        let start = try parameters.int("start", default: 0)
        let found = try await platform.dataCatalog.search(query, offset: start, limit: rows, by: nil)
        return CKANSearch(count: found.count, results: found.datasets.map { CKANPackage($0, host: host) })
    }

    /// Every published dataset's name from `offset` (package_list without a limit: all of them).
    func allNames(from offset: Int) async throws -> [String] {
        var names: [String] = []
        var start = offset
        while true {
            let page = try await platform.dataCatalog.search(published, offset: start, limit: Self.maxRows, by: nil)
            names += page.datasets.map(\.code)
            guard page.datasets.count == Self.maxRows else { return names }
            start += Self.maxRows
        }
    }

    /// The owners of published datasets, with how many each has.
    func organizations() async throws -> [CKANOrganization] {
        var counts: [String: (Dataset, Int)] = [:]
        var offset = 0
        while true {
            let page = try await platform.dataCatalog.search(published, offset: offset, limit: Self.maxRows, by: nil)
            for dataset in page.datasets {
                let key = dataset.ownerDepartmentId ?? DataCatalogService.centreCode
                counts[key] = (dataset, (counts[key]?.1 ?? 0) + 1)
            }
            guard page.datasets.count == Self.maxRows else { break }
            offset += Self.maxRows
        }
        return counts.values.map { CKANOrganization($0.0, count: $0.1) }.sorted { $0.name < $1.name }
    }

    /// A registered dataset's records, as CKAN's DataStore serves a resource's: open datasets to
    /// anyone, others to whoever may read them (a grant's key); `filters` a JSON object of field
    /// values, `limit` up to 1000 (100), `offset`.
    func datastore(_ parameters: CKANParameters, by principal: Principal?) async throws -> CKANDatastore {
        let id = try parameters.required("resource_id")
        let code = id.hasSuffix("-records") ? String(id.dropLast("-records".count)) : id
        var filters: [String: String] = [:]
        if let text = parameters.values["filters"], !text.isEmpty {
            guard let object = try? JSONDecoder().decode([String: CKANScalar].self, from: Data(text.utf8)) else {
                throw CKANFailure(.conflict, "Validation Error", "filters: a JSON object of field values")
            }
            filters = object.compactMapValues(\.text)
        }
        let limit = min(try parameters.int("limit", default: 100), Self.maxRows)
        let offset = try parameters.int("offset", default: 0)
        let dataset = try await platform.dataCatalog.published(codeOrId: code)
        let window: (total: Int, fields: [DatasetField], records: [[FieldValue]])
        do {
            window = try await platform.datasetRecords.window(
                code: dataset.code, .init(equals: filters, limit: limit), offset: offset, by: principal)
        } catch let error as DomainError where error.kind == .forbidden || error.code == "platform_dataset" {
            throw CKANFailure(.forbidden, "Authorization Error", "Access denied: \(error.message)")
        }
        return CKANDatastore(
            resourceId: dataset.id + "-records",
            fields: window.fields.map { CKANDatastore.Field(id: $0.name, type: CKANDatastore.type(of: $0.type)) },
            records: window.records.map { row in
                Dictionary(uniqueKeysWithValues: zip(window.fields, row).map { ($0.name, CKANDatastore.cell($0, $1)) })
            }, total: window.total, limit: limit, offset: offset)
    }
}
