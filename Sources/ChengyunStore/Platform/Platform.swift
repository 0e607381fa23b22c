import Foundation
import ChengyunCore
import SQLKit

/// Settings the services read; all configurable.
public struct PlatformSettings: Sendable {
    public var passwordPolicy = PasswordPolicy()
    public var lockout = LockoutPolicy()
    /// bcrypt work factor; 10 is about 60 ms a hash on this class of machine.
    public var bcryptCost = 10
    public var sessionMillis: Int64 = 12 * 60 * 60 * 1000
    /// When a new report is merged into an open case (docs/domain.md §3: 50 m by default).
    public var duplicates = DuplicateRule()
    /// Dispatch filed cases at once when a routing rule names their departments.
    public var autoDispatch = true
    /// An incident activated at this level or graver puts its area in wartime (平战结合).
    public var wartimeFromLevel: ResponseLevel = .ii
    public var caseNumbers = CaseNumberPattern.standard
    public var evaluation = EvaluationWeights()
    /// Where uploaded files live (content-addressed), and what may be uploaded.
    public var attachmentDirectory = "./chengyun-data/attachments"
    public var attachments = AttachmentPolicy()
    public var telemetry = TelemetrySettings()
    public var open311 = Open311Settings()
    /// How long the data hub keeps deliveries and its access log (`DataHubPruning`).
    public var dataHubRetention = DataHubRetention()
    /// Where warning and supervision reminders are POSTed as JSON, besides the log; nil: the log only.
    public var webhookURL: URL?
    /// The keys that sign the audit chain, loaded from a file outside the database
    /// (`AuditKeyFile`); nil writes plain SHA-256 entries.
    public var auditKeys: AuditKeyring?
    /// The file the audit chain's head is anchored in (`AuditAnchorFile`); verifying checks it.
    public var auditAnchorPath: String?

    public init() {}
}

/// The composition of storage, settings and clock that every service works on.
public struct Platform: Sendable {
    public private(set) var pool: any DatabasePool
    public let settings: PlatformSettings
    public let now: @Sendable () -> Int64
    /// The monitoring engine's live memory and event fan-out, shared by every copy of the platform.
    public let monitoring: MonitoringHub
    /// Failed logins under unknown names, tallied between their audit summaries.
    public let unknownLogins: UnknownLoginTally
    /// The road network nearest dispatch uses, built once per load.
    public let roadNetworks: RoadNetworkCache
    /// The newest learned dispatch model this node has read.
    public let dispatchModels: DispatchModelCache
    /// This node's part in leading the cluster (one node always leads on SQLite).
    public let cluster: Leadership
    /// The rule shards this node judges (all of them outside a cluster).
    public let shards: ShardOwnership
    /// The unmetered access-log entries this node holds until they are written together.
    public let accessLogBuffer = AccessLogBuffer()
    /// Raised when this node commits webhook work (a load's deliveries or record-feed changes),
    /// so the leading node's webhook loop sends it at once (`WorkSignal`).
    public let webhookWork = WorkSignal()
    /// Set once this node has found its shipped platform datasets in the catalog: a binary ships
    /// one catalog, so the check is not made again on every read of a dataset's records.
    public let platformDatasetsInstalled = OnceFlag()
    /// A read replica for the read-only routes, when one is configured (`forReads`).
    public private(set) var replica: ReplicaPool?

    public init(
        pool: any DatabasePool, settings: PlatformSettings = PlatformSettings(),
        now: @escaping @Sendable () -> Int64 = { EpochMillis.now() }
    ) {
        self.pool = pool
        self.settings = settings
        self.now = now
        let node = Identifier.make()
        shards = ShardOwnership(nodeId: node)
        monitoring = MonitoringHub(pool: pool, now: now, shards: shards)
        unknownLogins = UnknownLoginTally()
        roadNetworks = RoadNetworkCache()
        dispatchModels = DispatchModelCache()
        cluster = Leadership(nodeId: node, lock: pool.leaseLock())
    }

    /// The platform singleton work runs on: the same memory and services, writing only while this
    /// node leads under the epoch it holds (`FencedPool`).
    public func fenced() -> Platform {
        var copy = self
        copy.pool = FencedPool(base: pool, leadership: cluster)
        return copy
    }

    /// The platform with `replica` for the read-only routes to use.
    public func with(replica: ReplicaPool) -> Platform {
        var copy = self
        copy.replica = replica
        return copy
    }

    /// The platform a read-only route uses: its reads from the replica while that is fresh enough,
    /// from the primary otherwise (and always without a replica); writes go to the primary.
    public var forReads: Platform {
        guard let replica else { return self }
        var copy = self
        copy.pool = replica
        return copy
    }

    public var organisation: OrganisationService { OrganisationService(platform: self) }
    public var people: PeopleService { PeopleService(platform: self) }
    public var auth: AuthService { AuthService(platform: self) }
    public var catalogue: CatalogueService { CatalogueService(platform: self) }
    public var dataCatalog: DataCatalogService { DataCatalogService(platform: self) }
    public var datasetLoads: DatasetLoadService { DatasetLoadService(platform: self) }
    public var datasetRecords: DatasetRecordService { DatasetRecordService(platform: self) }
    public var exchange: AccessService { AccessService(platform: self) }
    public var subscriptions: SubscriptionService { SubscriptionService(platform: self) }
    /// The NGSI-LD door's entities: devices with their readings, and alarms.
    public var contextBroker: ContextBrokerService { ContextBrokerService(platform: self) }
    public var webhooks: WebhookDispatcher { WebhookDispatcher(platform: self) }
    public var recordFeeds: RecordFeedDispatcher { RecordFeedDispatcher(platform: self) }
    public var dataHubPruning: DataHubPruning { DataHubPruning(platform: self) }
    public var datasetPulls: DatasetPullService { DatasetPullService(platform: self) }
    public var services: ServiceGateway { ServiceGateway(platform: self) }
    public var matters: MatterService { MatterService(platform: self) }
    public var cases: CaseService { CaseService(platform: self) }
    public var dispatch: DispatchService { DispatchService(platform: self) }
    public var evaluation: EvaluationService { EvaluationService(platform: self) }
    public var files: AttachmentStore { AttachmentStore(platform: self) }
    public var devices: DeviceService { DeviceService(platform: self) }
    public var telemetry: TelemetryService { TelemetryService(platform: self) }
    public var alarms: AlarmService { AlarmService(platform: self) }
    public var alarmRules: AlarmRuleService { AlarmRuleService(platform: self) }
    public var open311: Open311Gateway { Open311Gateway(platform: self) }
    public var cockpit: CockpitService { CockpitService(platform: self) }
    public var indicators: IndicatorService { IndicatorService(platform: self) }
    public var followUp: ReportFollowUp { ReportFollowUp(platform: self) }
    public var emergency: EmergencyService { EmergencyService(platform: self) }
    public var depots: DepotService { DepotService(platform: self) }
    public var plans: PlanService { PlanService(platform: self) }
    public var roads: RoadNetworkService { RoadNetworkService(platform: self) }
    public var modes: ModeService { ModeService(platform: self) }
    public var risk: RiskService { RiskService(platform: self) }
    public var video: VideoService { VideoService(platform: self) }
    public var incidents: IncidentService { IncidentService(platform: self) }
    public var hasher: PasswordHasher { PasswordHasher(cost: settings.bcryptCost) }
    /// The audit log, signing with the platform's keys.
    public var auditLog: AuditRepository { AuditRepository(keys: settings.auditKeys) }

    /// Runs a write and its audit entry in one transaction.
    func write<T>(
        _ actor: Principal, _ action: String, target: String, summary: (T) -> (id: String, text: String),
        _ body: (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let now = now()
        return try await pool.transaction { db in
            try await audited(actor, action, target: target, summary: summary, at: now, on: db) { try await body(db) }
        }
    }

    /// Runs `body` in the caller's transaction and appends its audit entry.
    func audited<T>(
        _ actor: Principal, _ action: String, target: String, summary: (T) -> (id: String, text: String), at now: Int64,
        on db: any SQLDatabase, _ body: () async throws -> T
    ) async throws -> T {
        let result = try await body()
        let (id, text) = summary(result)
        try await auditLog.append(
            .init(actor: actor, action: action, targetType: target, targetId: id, summary: text), at: now, on: db)
        return result
    }
}

extension Principal {
    /// The path prefix lists are limited to; one no path has when the principal has no scope.
    public var listScope: String { scope?.path ?? "#no-scope#" }
}
