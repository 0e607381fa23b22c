import ChengyunCore
import ChengyunStore
import Configuration
import Foundation
import Logging

/// Everything `chengyun serve` can be told, from flags, `CHENGYUN_*` environment variables or a
/// JSON config file (in that order of precedence).
public struct AppConfig: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var dataDirectory = "./chengyun-data"
    /// `sqlite:PATH`, a file path, or `postgres://…`; nil means `<dataDirectory>/chengyun.sqlite`.
    public var databaseURL: String?
    /// A PostgreSQL hot standby the read-only routes may read from (`ReplicaPool`); nil: none.
    public var databaseReplicaURL: String?
    /// Reads go back to the primary while the replica trails it by more than this.
    public var replicaMaxLagMillis: Int64 = 5_000
    /// Build the demo city when the database is empty.
    public var demo = false
    public var logLevel = Logger.Level.info
    public var settings = PlatformSettings()
    public var web = WebSettings()
    /// The audit keyring's file (outside the database) and the file head hashes are anchored in.
    public var auditKeyFile: String?
    public var auditAnchorFile: String?
    /// Where other nodes and the operator reach this node (`GET /api/v1/cluster`); nil: host:port.
    public var clusterAddress: String?
    /// Runs the cluster probe job every so many milliseconds (an operator's check that each tick of
    /// a singleton job runs once across the nodes: `cluster_probe_runs`); nil: off.
    public var clusterProbeMillis: Int?
    /// At a graceful shutdown, how long `/healthz` answers 503 before the server stops taking
    /// requests (for a load balancer's health check; nginx needs none).
    public var drainSeconds = 0
    /// After the drain, how long the services have to stop before they are cancelled.
    public var shutdownSeconds = 15

    public init() {}

    public var auditKeyPath: String {
        auditKeyFile ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("audit-keys.json").path
    }

    public var auditAnchorPath: String {
        auditAnchorFile ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("audit-anchors.txt").path
    }

    /// The settings with the audit keyring loaded from its file, made there first if there is
    /// none (signing from the chain's next entry on).
    public func settingsWithAuditKeys(_ pool: any DatabasePool) async throws -> PlatformSettings {
        var settings = settings
        settings.auditKeys = try AuditKeyFile(path: auditKeyPath).loadOrCreate(
            at: EpochMillis.now(),
            nextSeq: try await AuditRepository.nextSeq(pool))
        settings.auditAnchorPath = auditAnchorPath
        return settings
    }

    public var databaseLocation: String {
        databaseURL ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("chengyun.sqlite").path
    }

    /// Reads the `chengyun.*` keys. Environment: `CHENGYUN_HOST`, `CHENGYUN_PORT`,
    /// `CHENGYUN_DATA_DIR`, `CHENGYUN_DATABASE_URL`, `CHENGYUN_DATABASE_REPLICA_URL`,
    /// `CHENGYUN_DATABASE_REPLICA_MAX_LAG_MILLIS`, `CHENGYUN_LOG_LEVEL`,
    /// `CHENGYUN_PASSWORD_MIN_LENGTH`, `CHENGYUN_LOCKOUT_MAX_FAILURES`, `CHENGYUN_LOCKOUT_MINUTES`,
    /// `CHENGYUN_BCRYPT_COST`, `CHENGYUN_SESSION_HOURS`, `CHENGYUN_ATTACHMENTS_DIR`,
    /// `CHENGYUN_ATTACHMENTS_MAX_MEGABYTES`, `CHENGYUN_TELEMETRY_RAW_DAYS`,
    /// `CHENGYUN_TELEMETRY_ROLLUP_DAYS` (0 keeps rollups for ever), `CHENGYUN_OPEN311_BASE_PATH`,
    /// `CHENGYUN_OPEN311_JURISDICTION_ID`, `CHENGYUN_OPEN311_ASYNC_INTAKE`,
    /// `CHENGYUN_OPEN311_RATE_LIMIT_PER_MINUTE`, `CHENGYUN_CLUSTER_ADDRESS`, `CHENGYUN_CLUSTER_PROBE_MILLIS`, `CHENGYUN_CLUSTER_DRAIN_SECONDS`,
    /// `CHENGYUN_PROXY_TRUSTED_NETWORKS`.
    public init(reader: ConfigReader) {
        let config = reader.scoped(to: "chengyun")
        host = config.string(forKey: "host", default: host)
        port = config.int(forKey: "port", default: port)
        dataDirectory = config.string(forKey: "dataDir", default: dataDirectory)
        databaseURL = config.string(forKey: "database.url")
        databaseReplicaURL = config.string(forKey: "database.replicaUrl").flatMap { $0.isEmpty ? nil : $0 }
        replicaMaxLagMillis = Int64(max(0, config.int(forKey: "database.replicaMaxLagMillis", default: 5_000)))
        demo = config.bool(forKey: "demo", default: false)
        logLevel = config.string(forKey: "logLevel").flatMap(Logger.Level.init(rawValue:)) ?? logLevel
        settings.passwordPolicy.minLength = config.int(
            forKey: "password.minLength", default: settings.passwordPolicy.minLength)
        settings.lockout.maxFailures = config.int(forKey: "lockout.maxFailures", default: settings.lockout.maxFailures)
        settings.lockout.lockMillis = Int64(config.int(forKey: "lockout.minutes", default: 15)) * 60_000
        settings.bcryptCost = config.int(forKey: "bcrypt.cost", default: settings.bcryptCost)
        settings.sessionMillis = Int64(config.int(forKey: "session.hours", default: 12)) * 3_600_000
        settings.attachmentDirectory =
            config.string(forKey: "attachments.dir")
            ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("attachments").path
        settings.attachments.maxBytes = config.int(forKey: "attachments.maxMegabytes", default: 10) * 1_048_576
        settings.attachments.dailyQuotaBytes =
            max(1, config.int(forKey: "attachments.dailyQuotaMegabytes", default: 200)) * 1_048_576
        settings.attachments.dailyKeyQuotaBytes =
            max(1, config.int(forKey: "attachments.dailyKeyQuotaMegabytes", default: 4096)) * 1_048_576
        settings.telemetry.rawRetentionDays = max(
            1, config.int(forKey: "telemetry.rawDays", default: settings.telemetry.rawRetentionDays))
        settings.dataHubRetention.deliveryDays = max(
            1, config.int(forKey: "datahub.deliveryDays", default: settings.dataHubRetention.deliveryDays))
        settings.dataHubRetention.accessLogDays = max(
            1, config.int(forKey: "datahub.accessLogDays", default: settings.dataHubRetention.accessLogDays))
        let rollupDays = config.int(forKey: "telemetry.rollupDays", default: 0)
        settings.telemetry.rollupRetentionDays = rollupDays > 0 ? rollupDays : nil
        settings.telemetry.foldRows = max(
            1, config.int(forKey: "telemetry.foldRows", default: settings.telemetry.foldRows))
        settings.telemetry.foldEveryMillis =
            Int64(max(1, config.int(forKey: "telemetry.foldSeconds", default: 300))) * 1000
        let base = config.string(forKey: "open311.basePath", default: settings.open311.basePath)
            .trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        settings.open311.basePath = base.isEmpty ? settings.open311.basePath : base
        settings.open311.jurisdictionId = config.string(
            forKey: "open311.jurisdictionId", default: settings.open311.jurisdictionId)
        settings.open311.asyncIntake = config.bool(forKey: "open311.asyncIntake", default: settings.open311.asyncIntake)
        settings.open311.rateLimitPerMinute = max(
            1, config.int(forKey: "open311.rateLimitPerMinute", default: settings.open311.rateLimitPerMinute))
        settings.webhookURL = config.string(forKey: "notify.webhookURL").flatMap { $0.isEmpty ? nil : URL(string: $0) }
        auditKeyFile = config.string(forKey: "audit.keyFile").flatMap { $0.isEmpty ? nil : $0 }
        auditAnchorFile = config.string(forKey: "audit.anchorFile").flatMap { $0.isEmpty ? nil : $0 }
        web.secureCookie = config.bool(forKey: "web.secureCookie", default: web.secureCookie)
        web.loginsPerMinutePerAddress = max(
            1, config.int(forKey: "limits.loginsPerMinutePerAddress", default: web.loginsPerMinutePerAddress))
        web.loginsPerMinutePerAccount = max(
            1, config.int(forKey: "limits.loginsPerMinutePerAccount", default: web.loginsPerMinutePerAccount))
        web.registrationsPerMinutePerAddress = max(
            1,
            config.int(
                forKey: "limits.registrationsPerMinutePerAddress",
                default: web.registrationsPerMinutePerAddress))
        web.publicReportsPerMinutePerAddress = max(
            1,
            config.int(
                forKey: "limits.publicReportsPerMinutePerAddress",
                default: web.publicReportsPerMinutePerAddress))
        web.open311PerMinutePerAddress = max(
            1, config.int(forKey: "limits.open311PerMinutePerAddress", default: web.open311PerMinutePerAddress))
        web.streamsPerPrincipal = max(
            1, config.int(forKey: "limits.streamsPerPrincipal", default: web.streamsPerPrincipal))
        web.metricsNetworks = config.string(forKey: "metrics.networks", default: "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        web.metricsKey = config.string(forKey: "metrics.key").flatMap { $0.isEmpty ? nil : $0 }
        web.trustedProxies = config.string(forKey: "proxy.trustedNetworks", default: "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        clusterAddress = config.string(forKey: "cluster.address").flatMap { $0.isEmpty ? nil : $0 }
        clusterProbeMillis = config.int(forKey: "cluster.probeMillis").flatMap { $0 > 0 ? $0 : nil }
        drainSeconds = max(0, config.int(forKey: "cluster.drainSeconds", default: 0))
        shutdownSeconds = max(1, config.int(forKey: "cluster.shutdownSeconds", default: 15))
        // Export traces by OTLP/HTTP (`CHENGYUN_TRACING_OTLP`; off by default; see `Traces`).
        web.traceRequests = config.bool(forKey: "tracing.otlp", default: false)
    }

    /// Flags first, then the environment, then the config file if one is named.
    public static func load(overrides: [String: ConfigContent], configFile: String?) async throws -> AppConfig {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(
                values: Dictionary(
                    uniqueKeysWithValues: overrides.map {
                        (
                            AbsoluteConfigKey(["chengyun"] + $0.key.split(separator: ".").map(String.init)),
                            ConfigValue($0.value, isSecret: false)
                        )
                    })),
            EnvironmentVariablesProvider(),
        ]
        if let configFile {
            providers.append(try await FileProvider<JSONSnapshot>(filePath: .init(configFile)))
        }
        return AppConfig(reader: ConfigReader(providers: providers))
    }
}
