import ChengyunCore
import ChengyunStore
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// The router with every route and middleware; tests drive it directly.
public func buildRouter(
    platform: Platform, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    web: WebSettings = WebSettings(), readiness: Readiness = Readiness(), watch: ShutdownWatch = ShutdownWatch()
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    // Outermost, so requests that end in a problem response are counted too.
    router.add(middleware: HTTPMetricsMiddleware(registry: registry))
    router.add(middleware: SecurityHeadersMiddleware())
    let proxies = ForwardedFor(trusted: web.trustedProxies.compactMap(AddressRange.init))
    router.add(middleware: ForwardedForMiddleware(forwardedFor: proxies))
    if web.traceRequests { router.add(middleware: RequestTracingMiddleware(proxies: proxies)) }
    router.add(middleware: ProblemMiddleware())
    if let web = Bundle.module.url(forResource: "Web", withExtension: nil) {
        router.add(
            middleware: FileMiddleware(
                web.path, cacheControl: .init([(.text, [.noCache])]),
                searchForIndexHtml: true))
    }
    router.add(middleware: AuthMiddleware(auth: platform.auth))
    SystemController(platform: platform, registry: registry, web: web, readiness: readiness).register(on: router)
    // One process on SQLite counts in memory; the nodes of a city on PostgreSQL count together.
    let limiter: any RateLimits =
        platform.pool.backend == .postgres
        ? ResilientRateLimits(shared: SharedRateLimits(pool: platform.pool), logger: Logger(label: "chengyun"))
        : RateLimiter()
    let throttle = Throttle(limiter: limiter, now: platform.now)
    let api = router.group("api/v1")
    OperationBook.under("api/v1") {
        api.addRoutes(SessionController(platform: platform, web: web, throttle: throttle).routes())
        api.addRoutes(AreasController(platform: platform).routes())
        api.addRoutes(GridCellsController(platform: platform).routes())
        api.addRoutes(DepartmentsController(platform: platform).routes())
        api.addRoutes(UsersController(platform: platform).routes())
        api.addRoutes(APIKeysController(platform: platform).routes())
        api.addRoutes(AuditController(platform: platform).routes())
        api.addRoutes(ClusterController(platform: platform).routes())
        api.addRoutes(CategoriesController(platform: platform).routes())
        api.addRoutes(MattersController(platform: platform).routes())
        api.addRoutes(CasesController(platform: platform, throttle: throttle, web: web).routes())
        api.addRoutes(DispatchController(platform: platform).routes())
        api.addRoutes(EvaluationController(platform: platform).routes())
        api.addRoutes(AttachmentsController(platform: platform).routes())
        api.addRoutes(DevicesController(platform: platform).routes())
        api.addRoutes(VideoController(platform: platform).routes())
        api.addRoutes(DatasetsController(platform: platform).routes())
        api.addRoutes(DatasetRecordsController(platform: platform, throttle: throttle).routes())
        api.addRoutes(DatasetPushKeysController(platform: platform).routes())
        api.addRoutes(DatasetPullsController(platform: platform).routes())
        api.addRoutes(ServicesController(platform: platform).routes())
        api.addRoutes(AccessApplicationsController(platform: platform).routes())
        api.addRoutes(SubscriptionsController(platform: platform).routes())
        api.addRoutes(TelemetryController(platform: platform).routes())
        api.addRoutes(AlarmsController(platform: platform).routes())
        let streams = StreamSlots(limit: web.streamsPerPrincipal)
        watch.count("liveStreams") { streams.total }
        api.addRoutes(MonitoringStreamController(platform: platform, slots: streams).routes())
        api.addRoutes(CockpitController(platform: platform).routes())
        api.addRoutes(IndicatorsController(platform: platform).routes())
        api.addRoutes(SupervisionController(platform: platform).routes())
        api.addRoutes(PatrolController(platform: platform).routes())
        api.addRoutes(EmergencyController(platform: platform).routes())
        api.addRoutes(PlansController(platform: platform).routes())
        api.addRoutes(IncidentsController(platform: platform).routes())
        api.addRoutes(RiskMapController(platform: platform).routes())
        api.addRoutes(ComprehensiveController(platform: platform).routes())
        api.addRoutes(ReportsController(platform: platform, throttle: throttle, web: web).routes())
    }
    OperationBook.under("") { router.addRoutes(CKANController(platform: platform, limiter: limiter).routes()) }
    OperationBook.under("ngsi-ld/v1") {
        router.group("ngsi-ld/v1").add(middleware: ProblemMiddleware(type: ContextProblems.type))
            .addRoutes(ContextBrokerController(platform: platform).routes())
    }
    OperationBook.under(platform.settings.open311.basePath) {
        router.group(RouterPath(platform.settings.open311.basePath))
            .addRoutes(
                Open311Controller(
                    platform: platform, limiter: limiter, perAddressPerMinute: web.open311PerMinutePerAddress
                )
                .routes())
    }
    return router
}

/// The composition root: opens and migrates the database, builds the demo city when asked and
/// the database is empty, and returns the application ready to run.
public func buildApplication(
    _ config: AppConfig, logger: Logger? = nil,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), readiness: Readiness = Readiness(),
    watch: ShutdownWatch = ShutdownWatch()
) async throws
    -> some ApplicationProtocol
{
    var logger = logger ?? Logger(label: "chengyun")
    logger.logLevel = config.logLevel
    // A mistyped network would otherwise leave /metrics open without a word.
    if let bad = config.web.metricsNetworks.first(where: { AddressRange($0) == nil }) {
        throw ConfigurationError(
            description: "chengyun.metrics.networks: \(bad) is not a network (CIDR, e.g. 127.0.0.0/8).")
    }
    if let bad = config.web.trustedProxies.first(where: { AddressRange($0) == nil }) {
        throw ConfigurationError(
            description: "chengyun.proxy.trustedNetworks: \(bad) is not a network (CIDR, e.g. 127.0.0.1/32).")
    }
    let pool = try await openDatabase(config.databaseLocation, logger: logger)
    do {
        let applied = try await Migrator().migrate(pool)
        if !applied.isEmpty { logger.info("applied migrations", metadata: ["versions": "\(applied.map(\.version))"]) }
        var platform = Platform(pool: pool, settings: try await config.settingsWithAuditKeys(pool))
        if let url = config.databaseReplicaURL {
            platform = platform.with(
                replica: try await openReplica(
                    url, primary: pool, primaryLocation: config.databaseLocation,
                    maxLagMillis: config.replicaMaxLagMillis, logger: logger))
        }
        // A node takes its rule shards before it serves (or builds the demo city's readings), so its
        // first batches are judged here rather than queued for the round that would take them.
        await platform.shards.step(platform, logger: logger)
        if config.demo {
            let demo = DemoCity(platform: platform)
            if try await demo.isNeeded() {
                logger.info("building the demo city")
                let credentials = try await demo.build()
                let path = try DemoCity.write(credentials, toDirectory: config.dataDirectory)
                // Written unbuffered, so the credentials show at once even when stdout is a file.
                FileHandle.standardOutput.write(
                    Data((credentials.text + "\n(also written to \(path), readable by you only)\n").utf8))
            }
        }
        return buildApplication(
            config, platform: platform, logger: logger, registry: registry, readiness: readiness, watch: watch)
    } catch {
        await pool.close()
        throw error
    }
}

public func buildApplication(
    _ config: AppConfig, platform: Platform, logger: Logger,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), readiness: Readiness = Readiness(),
    watch: ShutdownWatch = ShutdownWatch()
) -> some ApplicationProtocol {
    // Singleton work runs on the leading node only, each tick once, writing through the fence.
    let leading = platform.fenced()
    var singletons: [Periodic] = [
        Periodic.readingRetention(leading, logger: logger), Periodic.readingFolder(leading, logger: logger),
        Periodic.indicatorClock(leading, logger: logger), Periodic.warningClock(leading, logger: logger),
        Periodic.riskClock(leading, logger: logger), Periodic.attachmentCleanup(leading, logger: logger),
        Periodic.clusterPrune(leading, logger: logger), Periodic.dispatchTraining(leading, logger: logger),
        Periodic.dataHubPrune(leading, logger: logger),
        Periodic.webhookDispatch(leading, logger: logger), Periodic.datasetPulls(leading, logger: logger),
        Periodic.contextNotifications(leading, logger: logger),
        Periodic.auditAnchor(
            leading, file: AuditAnchorFile(path: platform.settings.auditAnchorPath ?? config.auditAnchorPath),
            logger: logger),
    ]
    if platform.pool.backend == .postgres { singletons.append(Periodic.rateBucketPrune(leading, logger: logger)) }
    if platform.settings.open311.asyncIntake { singletons.append(Periodic.open311Intake(leading, logger: logger)) }
    if let every = config.clusterProbeMillis {
        singletons.append(Periodic.clusterProbe(leading, every: .milliseconds(every), logger: logger))
    }
    for index in singletons.indices { singletons[index].singleton = leading }
    // Shut down in reverse order: the clocks' last flush and the lead handed back before the
    // database closes.
    var services: [any Service] = [
        DatabaseCloser(pool: platform.pool), DatabaseCloser(pool: platform.replica),
        ClusterMember(
            platform: platform, address: config.clusterAddress ?? "\(config.host):\(config.port)",
            readiness: readiness, logger: logger),
        Periodic.lastReadingFlush(platform, logger: logger), Periodic.accessLogFlush(platform, logger: logger),
        // Every node judges its own rule shards: their telemetry queue and no-data rules.
        InboxDrain(platform: platform, logger: logger), Periodic.silenceCheck(platform, logger: logger),
    ]
    if let replica = platform.replica {
        services.append(Periodic.replicaWatch(replica, now: platform.now, registry: registry, logger: logger))
    }
    services += singletons
    return Application(
        router: buildRouter(
            platform: platform, registry: registry, web: config.web, readiness: readiness, watch: watch),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "chengyun"),
        services: services.map { watch.watched($0) },
        onServerRunning: { channel in
            logger.info("Chengyun is serving", metadata: ["address": "\(channel.localAddress?.description ?? "?")"])
        },
        logger: logger)
}

/// Closes the database when the service group shuts down. First in the list, so on a graceful
/// shutdown (SIGTERM) it goes last, after the clocks and the folder have stopped. Cancelled
/// instead, every service stops at once: closing waits for the statement in flight on each
/// connection, and a service still running gets an error, not a half-written turn (a turn is
/// one transaction, and nothing is acknowledged before its commit).
struct DatabaseCloser: Service {
    let pool: (any DatabasePool)?
    func run() async throws {
        try? await gracefulShutdown()
        await pool?.close()
    }
}

/// The read replica's pool over `primary`: a PostgreSQL standby beside a PostgreSQL primary,
/// holding the same database; its schema is the primary's unless it names one.
func openReplica(
    _ url: String, primary: any DatabasePool, primaryLocation: String, maxLagMillis: Int64, logger: Logger
) async throws -> ReplicaPool {
    guard case .postgres(let mine) = try DatabaseLocation(primaryLocation), primary.backend == .postgres,
        case .postgres(var settings) = try DatabaseLocation(url)
    else {
        throw ConfigurationError(
            description: "chengyun.database.replicaUrl: a read replica is a PostgreSQL standby of a PostgreSQL primary."
        )
    }
    settings.schema = settings.schema ?? mine.schema
    guard settings.database == mine.database, settings.schema == mine.schema else {
        throw ConfigurationError(
            description:
                "chengyun.database.replicaUrl: the standby's database and schema must be the primary's (\(mine.database), \(mine.schema ?? "no schema"))."
        )
    }
    guard (100...600_000).contains(maxLagMillis) else {
        throw ConfigurationError(description: "chengyun.database.replicaMaxLagMillis: from 100 to 600000.")
    }
    let replica = try await PostgresDatabasePool(settings: settings, logger: logger, readOnly: true)
    return ReplicaPool(primary: primary, replica: replica, maxLagMillis: maxLagMillis, logger: logger)
}

/// A setting the server cannot run with.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
}
