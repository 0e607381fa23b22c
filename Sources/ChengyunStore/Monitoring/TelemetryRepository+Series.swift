import ChengyunCore
import SQLKit

extension TelemetryRepository {
    /// The series of many devices at once (the NGSI-LD door's page of devices), 500 devices a query.
    func series(deviceIds: [String], on db: any SQLDatabase) async throws -> [Series] {
        var found: [Series] = []
        for chunk in deviceIds.chunks(of: 500) {
            found += try await db.select().columns("id", "device_id", "metric").from("series")
                .where("device_id", .in, chunk).all(decoding: Series.self, with: rowDecoder)
        }
        return found
    }
}
