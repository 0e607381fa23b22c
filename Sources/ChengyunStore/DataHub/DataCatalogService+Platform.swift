import ChengyunCore
import SQLKit

/// The platform's own data — cases, devices, readings, alarms, indicators, evaluations, grid
/// cells — registered in the catalog by the platform itself, published, with lineage to the
/// channels and datasets it comes from. Shipped as `default-datasets.json`; a newer version in
/// the file replaces the registered metadata.
extension DataCatalogService {
    struct ShippedDataset: Decodable {
        var version: Int
        var dataset: DatasetDraft
    }

    struct ShippedCatalog: Decodable {
        var datasets: [ShippedDataset]
    }

    static let shipped = Result { try ShippedFile.read("default-datasets", as: ShippedCatalog.self).datasets }

    /// Registers the shipped datasets not yet in the catalog and refreshes the metadata of those
    /// whose shipped version is newer (keeping their state: a withdrawal by the centre stands).
    /// Every node may try at once: each dataset is re-read locked, and the first writer wins.
    public func installPlatformDatasets() async throws {
        guard !platform.platformDatasetsInstalled.isSet else { return }
        let shipped = try Self.shipped.get()
        let installed = try await platform.pool.read { try await datasets.all(origin: .platform, on: $0) }
        let versions = Dictionary(installed.map { ($0.code, $0.shippedVersion ?? 0) }, uniquingKeysWith: max)
        let due = shipped.filter { (versions[$0.dataset.code] ?? 0) < $0.version }
        guard !due.isEmpty else { return platform.platformDatasetsInstalled.set() }
        let now = platform.now()
        try await platform.pool.transaction { db in
            for item in due { try await install(item, at: now, on: db) }
        }
        platform.platformDatasetsInstalled.set()
    }

    private func install(_ item: ShippedDataset, at now: Int64, on db: any SQLDatabase) async throws {
        let current = try await datasets.find(code: item.dataset.code, locking: true, on: db)
        if let current, current.origin != .platform || (current.shippedVersion ?? 0) >= item.version { return }
        var dataset = Self.dataset(
            from: item.dataset, id: current?.id ?? Identifier.make(at: now), owner: nil, origin: .platform,
            by: Principal.system.id, at: current?.createdAt ?? now)
        dataset.shippedVersion = item.version
        if let current {
            (dataset.state, dataset.version, dataset.publishedAt) = (
                current.state, current.version, current.publishedAt
            )
            (dataset.reviewNote, dataset.updatedAt) = (current.reviewNote, now)
            try await datasets.update(dataset, on: db)
        } else {
            (dataset.state, dataset.publishedAt) = (.published, now)
            guard try await datasets.insert(dataset, on: db) else { return }
        }
        try await platform.auditLog.append(
            .init(
                actor: .system, action: current == nil ? "dataset.install" : "dataset.refresh", targetType: "dataset",
                targetId: dataset.code, summary: "\(dataset.title), shipped v\(item.version)"), at: now, on: db)
    }
}
