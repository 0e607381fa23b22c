/// A dataset of the data catalog (资源目录): what the data is, who owns it, on what terms it is
/// shared, how often it changes, where and when it covers, its fields and where it comes from.
/// Metadata only; the records are the dataset's own store (the platform's tables for its own data).
public struct Dataset: Codable, Equatable, Sendable {
    public var id: String
    /// The dataset's name in URLs and in CKAN (`package_show?id=…`): lower-case, digits, `_` and `-`.
    public var code: String
    public var title: String
    public var titleEn: String?
    public var description: String
    /// The department that owns and answers for the data; nil for the operation centre itself
    /// (the platform's own datasets).
    public var ownerDepartmentId: String?
    public var ownerName: String
    /// The owner's code (the department's; `operation-centre` for the centre).
    public var ownerCode: String
    /// The owner's area path: who may see and edit the dataset before it is published.
    public var areaPath: String
    public var origin: DatasetOrigin
    public var state: DatasetState
    public var version: Int
    public var sharingType: SharingType
    /// 共享条件 for conditional sharing, the basis (依据) for not sharing.
    public var sharingCondition: String?
    public var openType: OpenType
    public var updateCycle: UpdateCycle
    public var coverage: DatasetCoverage
    public var tags: [String]
    public var fields: [DatasetField]
    public var lineage: [LineageLink]
    /// For an external service (服务注册): where the gateway sends its calls. Nil for data.
    public var service: ServiceEndpoint?
    /// The last review's or withdrawal's note.
    public var reviewNote: String?
    public var submittedBy: String?
    /// Who changed the draft since its last review: none of them approves it (four eyes).
    public var editors: [String]?
    /// For the platform's own datasets: the version of the shipped file last installed.
    public var shippedVersion: Int?
    public var createdBy: String
    public var createdAt: Int64
    public var updatedAt: Int64
    public var publishedAt: Int64?

    public init(
        id: String, code: String, title: String, titleEn: String? = nil, description: String,
        ownerDepartmentId: String?, ownerName: String, ownerCode: String, areaPath: String, origin: DatasetOrigin,
        state: DatasetState = .draft, version: Int = 1, sharingType: SharingType, sharingCondition: String? = nil,
        openType: OpenType, updateCycle: UpdateCycle, coverage: DatasetCoverage = .init(), tags: [String] = [],
        fields: [DatasetField], lineage: [LineageLink] = [], createdBy: String, createdAt: Int64
    ) {
        (self.id, self.code, self.title, self.titleEn, self.description) = (id, code, title, titleEn, description)
        (self.ownerDepartmentId, self.ownerName, self.ownerCode) = (ownerDepartmentId, ownerName, ownerCode)
        self.areaPath = areaPath
        (self.origin, self.state, self.version) = (origin, state, version)
        (self.sharingType, self.sharingCondition, self.openType) = (sharingType, sharingCondition, openType)
        (self.updateCycle, self.coverage, self.tags, self.fields) = (updateCycle, coverage, tags, fields)
        self.lineage = lineage
        (self.createdBy, self.createdAt, self.updatedAt) = (createdBy, createdAt, createdAt)
    }
}

/// Whether the platform registers the dataset itself (its own tables) or a department did.
public enum DatasetOrigin: String, Codable, CaseIterable, Sendable {
    case platform, registered
}

/// 共享类型, as the national guide for government information resource catalogues defines it.
public enum SharingType: String, Codable, CaseIterable, Sendable {
    /// 无条件共享: any department may use it.
    case unconditional
    /// 有条件共享: shared on the conditions stated, by application.
    case conditional
    /// 不予共享: not shared, on the basis stated.
    case none
}

/// 开放类型: whether the public may have the data (metadata is public once published regardless).
public enum OpenType: String, Codable, CaseIterable, Sendable {
    case open, conditional, closed
}

/// 更新周期.
public enum UpdateCycle: String, Codable, CaseIterable, Sendable {
    case realTime = "real_time"
    case hourly, daily, weekly, monthly, quarterly, yearly, irregular
}

/// Where and when the data covers: a bounding box in WGS-84 degrees and a time range, each optional.
public struct DatasetCoverage: Codable, Equatable, Sendable {
    public var areaName: String?
    /// west, south, east, north.
    public var bbox: [Double]?
    public var from: Int64?
    public var to: Int64?

    public init(areaName: String? = nil, bbox: [Double]? = nil, from: Int64? = nil, to: Int64? = nil) {
        (self.areaName, self.bbox, self.from, self.to) = (areaName, bbox, from, to)
    }
}

/// One field of a dataset's records.
public struct DatasetField: Codable, Equatable, Sendable {
    public var name: String
    public var type: FieldType
    public var title: String
    public var description: String?
    public var unit: String?
    public var required: Bool
    /// Part of the record key: loads upsert by it, de-duplication compares it.
    public var key: Bool
    /// Queried by often enough to be worth an index (the key, the position and the first
    /// datetime are indexed anyway).
    public var indexed: Bool?

    public init(
        _ name: String, _ type: FieldType, title: String, description: String? = nil, unit: String? = nil,
        required: Bool = false, key: Bool = false, indexed: Bool? = nil
    ) {
        (self.name, self.type, self.title, self.description) = (name, type, title, description)
        (self.unit, self.required, self.key, self.indexed) = (unit, required, key, indexed)
    }
}

public enum FieldType: String, Codable, CaseIterable, Sendable {
    case string, integer, number, boolean, date, datetime, lon, lat, geometry
}

/// Where a dataset's data comes from (血缘): another dataset of the catalog, or a source outside it
/// (a channel, a department's system, a sensor network).
public struct LineageLink: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable { case dataset, source }
    public var kind: Kind
    /// The dataset's code, or the source's name.
    public var ref: String
    public var note: String?

    public init(_ kind: Kind, _ ref: String, note: String? = nil) {
        (self.kind, self.ref, self.note) = (kind, ref, note)
    }
}
