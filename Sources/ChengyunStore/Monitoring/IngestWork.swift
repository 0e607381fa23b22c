import ChengyunCore

/// One batch on its way in: each line checked against the device directory (known device, a
/// key allowed to write it, metrics of its kind, a believable time), its values laid out as rows —
/// or, for a device whose shard another node judges (`RuleShards`), set aside for that node's queue.
struct IngestWork {
    struct Accepted {
        var device: Device
        var at: Int64
        var metrics: [String]
        var firstRow: Int
        var position: GeoPoint?
    }

    let memory: MonitoringMemory
    let now: Int64
    let future: Int64
    var rows: [(series: Int64, at: Int64, value: Double)] = []
    var accepted: [Accepted] = []
    var newSeries: [TelemetryRepository.Series] = []
    var report = IngestReport()
    /// Whether this node judges a shard now.
    let owns: (Int) -> Bool
    /// Good lines of other nodes' shards, by shard, and their values.
    var forwarded: [Int: [IncomingReading]] = [:]
    var forwardedValues = 0
    /// The shards of the lines judged here.
    var touched: Set<Int> = []

    init(
        resolving batch: [IncomingReading], by actor: Principal, memory: MonitoringMemory, now: Int64, future: Int64,
        owns: @escaping (Int) -> Bool = { _ in true }
    ) {
        self.memory = memory
        self.now = now
        self.future = future
        self.owns = owns
        for reading in batch { resolve(reading, by: actor) }
    }

    private mutating func resolve(_ reading: IncomingReading, by actor: Principal) {
        func reject(_ code: ErrorCode, _ message: String) {
            report.rejected.append(
                RejectedReading(line: reading.line, device: reading.device, code: code, message: message))
        }
        guard let device = memory.devicesByCode[reading.device] else {
            return reject(.unknownDevice, "No device is registered with code \(reading.device).")
        }
        guard memory.mayWrite(actor, device) else {
            return reject("not_your_device", "This key may not write readings for \(reading.device).")
        }
        guard let kind = memory.kinds[device.kindCode] else {
            return reject("unknown_kind", "The device's kind is gone.")
        }
        if let unknown = reading.values.first(where: { kind.metric($0.metric) == nil }) {
            return reject("unknown_metric", "A \(kind.code) device has no metric \(unknown.metric).")
        }
        guard reading.at >= TelemetryService.earliest, reading.at <= now + future else {
            return reject("invalid_time", "The reading's time is before 2000 or ahead of the server's clock.")
        }
        var metrics = reading.values.map(\.metric)
        var values = reading.values.map(\.value)
        var position: GeoPoint?
        if let lon = reading.lon, let lat = reading.lat {
            guard kind.tracksPosition else {
                return reject("invalid_position", "Only vehicles send positions; \(kind.code) devices stay put.")
            }
            position = GeoPoint(lon: lon, lat: lat)
            metrics += ["lon", "lat"]
            values += [lon, lat]
        }
        for index in metrics.indices.dropFirst() where metrics[..<index].contains(metrics[index]) {
            return reject("duplicate_metric", "A metric appears twice in one reading.")
        }
        let shard = RuleShards.shard(ofDevice: device.code)
        guard owns(shard) else {
            forwarded[shard, default: []].append(reading)
            forwardedValues += metrics.count
            return
        }
        touched.insert(shard)
        let first = rows.count
        for (metric, value) in zip(metrics, values) {
            rows.append((series(device.id, metric, shard: shard), reading.at, value))
        }
        accepted.append(Accepted(device: device, at: reading.at, metrics: metrics, firstRow: first, position: position))
    }

    /// The series of a device's metric, numbered now if it is new. New numbers go into the memory
    /// at once (later lines of the batch share them) and are taken back by `forgetNewSeries` if
    /// the batch fails.
    private mutating func series(_ deviceId: String, _ metric: String, shard: Int) -> Int64 {
        if let id = memory.series[deviceId]?[metric] { return id }
        let id = memory.numbering.take(shard: shard)
        memory.series[deviceId, default: [:]][metric] = id
        newSeries.append(.init(id: id, deviceId: deviceId, metric: metric))
        return id
    }

    func forgetNewSeries() {
        for series in newSeries { memory.series[series.deviceId]?[series.metric] = nil }
        memory.numbering.giveBack(newSeries.map(\.id))
    }
}
