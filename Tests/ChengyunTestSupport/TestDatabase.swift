import ChengyunCore
import ChengyunStore
import Foundation
import Logging

/// The storage backends a test run covers: SQLite always, PostgreSQL when
/// `CHENGYUN_TEST_POSTGRES_URL` names a server (`.ci/run` always sets it).
public enum TestBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public var description: String { rawValue }

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["CHENGYUN_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The backends to run storage tests on.
    public static var available: [TestBackend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// A name the machine resolves to the cloud's metadata address, 169.254.169.254
    /// (`CHENGYUN_TEST_METADATA_NAME`, which `.ci/run` writes into /etc/hosts); nil when unset,
    /// which `BackendTests` makes a failure under CI.
    public static var metadataName: String? {
        ProcessInfo.processInfo.environment["CHENGYUN_TEST_METADATA_NAME"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A hot standby of the `postgresURL` server (`.ci/replica.sh`), for the read-replica tests.
    public static var replicaURL: String? {
        ProcessInfo.processInfo.environment["CHENGYUN_TEST_REPLICA_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// A fresh, empty database for one test: a new SQLite file, or a new PostgreSQL schema that is
/// dropped afterwards.
public struct TestDatabase: Sendable {
    public let backend: TestBackend
    public let location: String
    public let cleanup: @Sendable () async -> Void

    public static func make(_ backend: TestBackend) async throws -> TestDatabase {
        let token = Identifier.make().lowercased()
        switch backend {
        case .sqlite:
            let directory = NSTemporaryDirectory() + "chengyun-test-" + token
            return TestDatabase(backend: backend, location: "sqlite:\(directory)/test.sqlite") {
                try? FileManager.default.removeItem(atPath: directory)
            }
        case .postgres:
            guard let url = TestBackend.postgresURL else { throw MissingPostgres() }
            let schema = "t_" + token
            // Many tests share two cores: a lease connection slow to answer under that load is not
            // the lost lease a test means to cause.
            let location = url + (url.contains("?") ? "&" : "?") + "schema=\(schema)&lease_timeout=60"
            return TestDatabase(backend: backend, location: location) {
                guard let pool = try? await openDatabase(url, logger: quietLogger) else { return }
                _ = try? await pool.read { try await $0.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run() }
                await pool.close()
            }
        }
    }

    public struct MissingPostgres: Error, CustomStringConvertible {
        public var description: String { "CHENGYUN_TEST_POSTGRES_URL is not set." }
    }

    public func open() async throws -> any DatabasePool {
        try await openDatabase(location, logger: quietLogger)
    }
}

public let quietLogger: Logger = {
    var logger = Logger(label: "chengyun-test")
    logger.logLevel = .critical
    return logger
}()

/// Settings for tests: real bcrypt at its lowest cost, so tests stay fast.
public func testSettings() -> PlatformSettings {
    var settings = PlatformSettings()
    settings.bcryptCost = 4
    // Every test platform signs its audit chain, as a served one does.
    settings.auditKeys = AuditKeyring.generate(at: 0)
    settings.attachmentDirectory = NSTemporaryDirectory() + "chengyun-files-" + Identifier.make().lowercased()
    return settings
}

/// A controllable clock for lockout and session expiry tests.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64
    public init(_ start: Int64 = 1_780_000_000_000) { value = start }
    public var now: Int64 { lock.withLock { value } }
    public func advance(minutes: Int64) { advance(millis: minutes * 60_000) }
    public func advance(millis: Int64) { lock.withLock { value += millis } }
    public func set(_ instant: Int64) { lock.withLock { value = instant } }
}

/// Runs `body` with a migrated platform on a fresh database of `backend`, then removes it.
public func withPlatform<T>(
    _ backend: TestBackend, clock: TestClock? = nil, migrate: Bool = true,
    settings: PlatformSettings = testSettings(),
    _ body: (Platform) async throws -> T
) async throws -> T {
    let database = try await TestDatabase.make(backend)
    let pool = try await database.open()
    let now: @Sendable () -> Int64
    if let clock { now = { clock.now } } else { now = { EpochMillis.now() } }
    let platform = Platform(pool: pool, settings: settings, now: now)
    do {
        if migrate { try await Migrator().migrate(pool) }
        let result = try await body(platform)
        await pool.close()
        await database.cleanup()
        return result
    } catch {
        await pool.close()
        await database.cleanup()
        throw error
    }
}

/// Runs `body` with two pools on one fresh, migrated database — two nodes of a city, as far as
/// the database can tell — then closes both and removes it.
public func withTwoPools<T>(
    _ backend: TestBackend, _ body: (any DatabasePool, any DatabasePool) async throws -> T
) async throws -> T {
    let database = try await TestDatabase.make(backend)
    let poolA = try await database.open()
    let poolB = try await database.open()
    func close() async {
        await poolA.close()
        await poolB.close()
        await database.cleanup()
    }
    do {
        try await Migrator().migrate(poolA)
        let result = try await body(poolA, poolB)
        await close()
        return result
    } catch {
        await close()
        throw error
    }
}

/// Two nodes on one database, each a `Platform` with its own pool, on one clock (the given one, or
/// the wall clock); their leases (lead and rule shards) are handed back at the end.
public func withTwoNodes(
    _ backend: TestBackend, clock: TestClock? = nil, _ body: (Platform, Platform) async throws -> Void
) async throws {
    try await withTwoPools(backend) { poolA, poolB in
        let now: @Sendable () -> Int64
        if let clock { now = { clock.now } } else { now = { EpochMillis.now() } }
        let a = Platform(pool: poolA, settings: testSettings(), now: now)
        let b = Platform(pool: poolB, settings: testSettings(), now: now)
        try await body(a, b)
        for node in [a, b] {
            await node.cluster.resign()
            await node.shards.resign(node)
        }
    }
}

/// The demo city built once per backend and shared by read-only tests. The build task itself is
/// cached, so tests that ask at the same time wait for the one build.
public actor DemoFixture {
    public static let shared = DemoFixture()
    private var builds: [TestBackend: Task<(Platform, DemoCity.Credentials), any Error>] = [:]

    public func platform(_ backend: TestBackend) async throws -> (Platform, DemoCity.Credentials) {
        if let build = builds[backend] { return try await build.value }
        let build = Task {
            Self.removeStaleDemos()
            let database = try await TestDatabase.make(backend)
            let pool = try await database.open()
            try await Migrator().migrate(pool)
            let platform = Platform(pool: pool, settings: testSettings())
            return (platform, try await DemoCity(platform: platform).build())
        }
        builds[backend] = build
        return try await build.value
    }

    /// The shared demo lives as long as the test process, so its folder is left behind when the
    /// process ends; earlier runs' folders (a day old, well past any run) are removed here.
    private static func removeStaleDemos() {
        let temporary = NSTemporaryDirectory()
        let dayAgo = Date().addingTimeInterval(-86_400)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        where name.hasPrefix("chengyun-test-") || name.hasPrefix("chengyun-files-") {
            let path = temporary + "/" + name
            if let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                modified < dayAgo
            {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }
}

extension DemoCity.Credentials {
    public func password(of username: String) -> String {
        accounts.first { $0.username == username }?.password ?? ""
    }
}

/// The real data sets the tests read: the repository's own `data/` folder (see its README for
/// sources and licences), or a larger copy named by `CHENGYUN_SHARED_DATA`. nil when neither is
/// there — callers fail with a clear message rather than skip.
public func dataDirectory(file: String = #filePath) -> String? {
    if let configured = ProcessInfo.processInfo.environment["CHENGYUN_SHARED_DATA"], !configured.isEmpty {
        return FileManager.default.fileExists(atPath: configured) ? configured : nil
    }
    var root = URL(fileURLWithPath: file)
    while root.pathComponents.count > 1
        && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path)
    {
        root.deleteLastPathComponent()
    }
    let candidate = root.appendingPathComponent("data").path
    return FileManager.default.fileExists(atPath: candidate + "/beijing-air") ? candidate : nil
}

/// The schema steps before `version`, for tests of a later step on an older schema. Today's code
/// writes their fixtures and signs its audit entries, so the audit log gets today's shape
/// (step 20) up front, and the subscriptions (step 44) that each case step is offered to.
public func migrations(before version: Int) -> [Migration] {
    Migrations.all.filter { $0.version < version || [20, 44].contains($0.version) }
}
