import ChengyunCore
import Foundation
import SQLKit

/// Who loads into a dataset — its owner, or the system that feeds it through a push key — and the
/// push keys themselves: made by the owner for one dataset, each with its own lifetime and rate,
/// listed and revoked by the owner, every step audited. A push key loads (`data:push`) and does
/// nothing else: it reads nothing that is not public, and no other dataset is there for it.
extension DatasetLoadService {
    /// The longest a push key lives, in days: a system's key is renewed at least once a year.
    public static let pushKeyMaxDays = 365
    /// Loads a minute a push key may send when its maker named no rate.
    public static let pushKeyDefaultPerMinute = 60
    /// Push keys in force a dataset may have at once (one a feeding system, with room to rotate).
    public static let pushKeysAtMost = 20

    static let notOwner = DomainError(
        .forbidden, code: "not_dataset_owner", "Only the owning department loads and cleans its data.")

    /// A registered dataset the caller owns (staff of its department, an administrator over its
    /// area), in whatever state: what its push keys are listed and revoked by.
    func ownerOf(_ code: String, by actor: Principal, on db: any SQLDatabase, locking: Bool = false) async throws
        -> Dataset
    {
        let catalog = platform.dataCatalog
        guard actor.kind == .staff else { throw DomainError.outOfScope() }
        let dataset = try await catalog.visible(code, to: actor, locking: locking, on: db)
        guard catalog.standing(of: actor, over: dataset).contains(.owner), dataset.origin == .registered else {
            throw Self.notOwner
        }
        return dataset
    }

    /// A dataset the caller may load into now: theirs, registered, not withdrawn, with a record
    /// key. A push key finds only the dataset it was made for, and only while its row says it is in
    /// force — read again each time, the last when the load's transaction begins, so a load still
    /// arriving when the key is revoked or expires does not commit (one already writing finishes).
    func owned(_ code: String, by actor: Principal, on db: any SQLDatabase, locking: Bool = false) async throws
        -> Dataset
    {
        let dataset: Dataset
        if actor.kind == .key {
            guard actor.keyScopes.contains(.dataPush),
                let key = try await APIKeyRepository().find(id: actor.id, on: db),
                key.revokedAt == nil, (key.expiresAt ?? .max) > platform.now(), let pushed = key.datasetId,
                let found = try await platform.dataCatalog.datasets.find(code: code, locking: locking, on: db),
                found.id == pushed, found.origin == .registered
            else { throw DomainError.notFound("Dataset \(code)") }
            dataset = found
        } else {
            dataset = try await ownerOf(code, by: actor, on: db, locking: locking)
        }
        try Self.requireLoadable(dataset)
        return dataset
    }

    /// Refuses a dataset that takes no loads now.
    static func requireLoadable(_ dataset: Dataset) throws {
        guard dataset.state != .withdrawn else {
            throw DomainError(.conflict, code: "dataset_withdrawn", "A withdrawn dataset takes no loads.")
        }
        guard dataset.service == nil else {
            throw DomainError(.conflict, code: "is_service", "A service answers its callers; it takes no loads.")
        }
        guard dataset.fields.contains(where: \.key) else {
            throw DomainError(.conflict, code: "no_key", "A dataset is loaded by its record key: mark its key fields.")
        }
    }

    /// A push key for the system that feeds the dataset; its secret is shown this once.
    public func issuePushKey(code: String, _ input: NewPushKey, by actor: Principal) async throws -> IssuedAPIKey {
        var validator = Validator()
        validator.checkName(input.name)
        validator.check(
            (1...Self.pushKeyMaxDays).contains(input.days ?? 1), "days", "invalid_value",
            "A push key lives 1 to \(Self.pushKeyMaxDays) days.")
        validator.check(
            (1...6_000).contains(input.ratePerMinute ?? 1), "ratePerMinute", "invalid_value",
            "A push key sends 1 to 6000 loads a minute.")
        try validator.finish()
        let now = platform.now()
        return try await platform.write(
            actor, "dataset.push_key", target: "dataset",
            summary: { (code, "push key \($0.key.prefix) \($0.key.name) until \($0.key.expiresAt ?? 0)") }
        ) { db in
            // Staff only (never a key), locked: two keys made at once are counted one after the other.
            let dataset = try await ownerOf(code, by: actor, on: db, locking: true)
            try Self.requireLoadable(dataset)
            let keys = APIKeyRepository()
            let inForce = try await keys.list(datasetId: dataset.id, on: db).filter {
                $0.revokedAt == nil && ($0.expiresAt ?? .max) > now
            }
            guard inForce.count < Self.pushKeysAtMost else {
                throw DomainError(
                    .conflict, code: "too_many_push_keys",
                    "At most \(Self.pushKeysAtMost) push keys in force a dataset; revoke one first.")
            }
            let material = APIKeyMaterial.generate()
            var key = APIKey(
                id: Identifier.make(at: now), name: input.name, prefix: material.prefix, scopes: [.dataPush],
                areaId: try await areaId(of: dataset, on: db), areaPath: dataset.areaPath, createdBy: actor.id,
                createdAt: now, rateLimitPerMinute: input.ratePerMinute ?? Self.pushKeyDefaultPerMinute)
            key.datasetId = dataset.id
            key.expiresAt = now + Int64(input.days ?? Self.pushKeyMaxDays) * 86_400_000
            try await keys.insert(key, secretHash: material.secretHash, on: db)
            return IssuedAPIKey(key: key, secret: material.presented)
        }
    }

    /// The area a dataset's path ends in: where its keys are listed among the platform's.
    private func areaId(of dataset: Dataset, on db: any SQLDatabase) async throws -> String {
        guard let id = dataset.areaPath.split(separator: "/").last.map(String.init),
            try await AreaRepository().find(id: id, on: db) != nil
        else { throw DomainError(.conflict, code: "no_owner", "A push key is made for a department's dataset.") }
        return id
    }

    /// The dataset's push keys, newest first, revoked and expired ones too (its owner's, in any
    /// state of the dataset: a withdrawn dataset's keys are still there to see and revoke).
    public func pushKeys(code: String, by actor: Principal) async throws -> [APIKey] {
        try await platform.pool.read { db in
            let dataset = try await ownerOf(code, by: actor, on: db)
            return try await APIKeyRepository().list(datasetId: dataset.id, on: db)
        }
    }

    /// Revokes one of the dataset's push keys at once: a load still arriving with it does not
    /// commit, and the next is refused. A key revoked before is answered as it stands, nothing
    /// written.
    public func revokePushKey(code: String, id: String, by actor: Principal) async throws -> APIKey {
        let keys = APIKeyRepository()
        let found = try await platform.pool.read { db in
            let dataset = try await ownerOf(code, by: actor, on: db)
            guard let key = try await keys.find(id: id, on: db), key.datasetId == dataset.id else {
                throw DomainError.notFound("Push key \(id)")
            }
            return key
        }
        guard found.revokedAt == nil else { return found }
        return try await platform.write(
            actor, "dataset.push_key_revoke", target: "dataset", summary: { (code, "push key \($0.prefix) revoked") }
        ) { db in
            let dataset = try await ownerOf(code, by: actor, on: db)
            guard var key = try await keys.find(id: id, on: db), key.datasetId == dataset.id else {
                throw DomainError.notFound("Push key \(id)")
            }
            if key.revokedAt == nil {
                let now = platform.now()
                try await keys.revoke(id: id, at: now, on: db)
                key.revokedAt = now
            }
            return key
        }
    }
}

/// A push key asked for: the feeding system's name, how many days it lives (at most 365, the
/// default), and how many loads a minute it may send (default 60).
public struct NewPushKey: StrictInput {
    public var name: String
    public var days: Int?
    public var ratePerMinute: Int?
    public enum CodingKeys: String, CodingKey, CaseIterable { case name, days, ratePerMinute }
    public typealias Fields = CodingKeys
    public init(name: String, days: Int? = nil, ratePerMinute: Int? = nil) {
        (self.name, self.days, self.ratePerMinute) = (name, days, ratePerMinute)
    }
}
