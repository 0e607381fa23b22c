import ChengyunStore
import Testing

/// How a database URL is read: PostgreSQL's settings from its query, each bad one refused by name.
@Suite struct DatabaseLocationTests {
    @Test func aPostgresURLGivesItsSettings() throws {
        guard
            case .postgres(let settings) = try DatabaseLocation(
                "postgres://city:secret@db.example:6543/ops?sslmode=require&schema=north&lease_timeout=20&prepared_statements=false&pool_size=4"
            )
        else {
            Issue.record("expected PostgreSQL")
            return
        }
        #expect(settings.host == "db.example" && settings.port == 6543 && settings.database == "ops")
        #expect(settings.username == "city" && settings.password == "secret")
        #expect(settings.tlsMode == "require" && settings.schema == "north" && settings.leaseTimeout == 20)
        #expect(!settings.preparedStatements && settings.poolSize == 4)
    }

    @Test func defaultsAreThoseTheREADMEGives() throws {
        guard case .postgres(let settings) = try DatabaseLocation("postgresql://db.example/ops") else {
            Issue.record("expected PostgreSQL")
            return
        }
        #expect(settings.port == 5432 && settings.username == "postgres" && settings.password == nil)
        #expect(settings.tlsMode == "prefer" && settings.schema == nil && settings.leaseTimeout == 3)
        #expect(settings.preparedStatements && settings.poolSize == 16)
    }

    @Test(arguments: [
        "sslmode=always", "schema=a;b", "lease_timeout=0", "lease_timeout=61", "lease_timeout=2.5",
        "prepared_statements=no", "pool_size=0", "pool_size=101", "pool_size=many",
    ])
    func badSettingsAreRefused(query: String) {
        #expect(throws: DatabaseLocation.InvalidLocation.self) {
            try DatabaseLocation("postgres://db.example/ops?" + query)
        }
    }
}
