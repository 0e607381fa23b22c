import Foundation

/// One line of a telemetry batch: a device's values at one time (and, for vehicles, where).
public struct IncomingReading: Sendable {
    public var line: Int
    public var device: String
    public var at: Int64
    public var values: [(metric: String, value: Double)]
    public var lon: Double?
    public var lat: Double?

    public init(
        line: Int, device: String, at: Int64, values: [(metric: String, value: Double)], lon: Double? = nil,
        lat: Double? = nil
    ) {
        self.line = line
        self.device = device
        self.at = at
        self.values = values
        self.lon = lon
        self.lat = lat
    }
}

/// A line of a batch that was refused, with why; the rest of the batch is kept.
public struct RejectedReading: Codable, Sendable, Equatable {
    public var line: Int
    public var device: String?
    public var code: ErrorCode
    public var message: String

    public init(line: Int, device: String?, code: ErrorCode, message: String) {
        self.line = line
        self.device = device
        self.code = code
        self.message = message
    }
}

/// Reads telemetry in the three shapes `POST /api/v1/telemetry` takes.
///
/// JSON (an array, or one object per line for NDJSON): `{"device", "at", "metric", "value"}` or
/// `{"device", "at", "values": {metric: value, …}}`, with `lon`/`lat` for vehicles. `at` is epoch
/// milliseconds or ISO 8601 with a zone.
///
/// CSV with a header: `device,at,metric,value[,lon,lat]` (one value a line), or `device,at` plus a
/// column per metric (a line carries several; empty or `NA` cells are absent values).
public enum TelemetryParser {
    public typealias Outcome = Result<IncomingReading, RejectedReading>

    // MARK: JSON

    public static func reading(json object: Any, line: Int) -> Outcome {
        guard let fields = object as? [String: Any] else {
            return reject(line, nil, "invalid_json", "Each reading is a JSON object.")
        }
        let device = fields["device"] as? String
        if let unknown = fields.keys.first(where: { !jsonFields.contains($0) }) {
            return reject(line, device, "unknown_field", "A reading has no field \(unknown).")
        }
        guard let device, !device.isEmpty else {
            return reject(line, nil, "missing_field", "device (the device's code) is required.")
        }
        let at: Int64?
        switch fields["at"] {
        case let text as String: at = Instant.parse(text)
        case let number as NSNumber where number.doubleValue == number.doubleValue.rounded(): at = number.int64Value
        default: at = nil
        }
        guard let at else {
            return reject(line, device, "invalid_time", "at is epoch milliseconds or ISO 8601 with a time zone.")
        }
        var values: [(metric: String, value: Double)] = []
        if let metric = fields["metric"] {
            guard let metric = metric as? String, let value = number(fields["value"]) else {
                return reject(line, device, "invalid_value", "metric is a name and value a number.")
            }
            values.append((metric, value))
        }
        if let map = fields["values"] {
            guard let map = map as? [String: Any] else {
                return reject(line, device, "invalid_value", "values maps metric names to numbers.")
            }
            for (metric, raw) in map.sorted(by: { $0.key < $1.key }) {
                guard let value = number(raw) else {
                    return reject(line, device, "invalid_value", "\(metric) is not a finite number.")
                }
                values.append((metric, value))
            }
        }
        guard !values.isEmpty else {
            return reject(line, device, "no_values", "A reading carries metric and value, or values.")
        }
        let lon = fields["lon"].map(number), lat = fields["lat"].map(number)
        if lon != nil || lat != nil {
            guard let lon = lon ?? nil, let lat = lat ?? nil, GeoPoint(lon: lon, lat: lat).isValid else {
                return reject(line, device, "invalid_position", "lon and lat together, in degrees.")
            }
        }
        return .success(
            IncomingReading(line: line, device: device, at: at, values: values, lon: lon ?? nil, lat: lat ?? nil))
    }

    static let jsonFields: Set<String> = ["device", "at", "metric", "value", "values", "lon", "lat"]

    /// A JSON number (flags may be sent as true / false: 1 / 0).
    private static func number(_ raw: Any?) -> Double? {
        guard let number = raw as? NSNumber else { return nil }
        let value = number.doubleValue
        return value.isFinite ? value : nil
    }

    // MARK: CSV

    /// The columns of a CSV batch, from its header line.
    public struct CSVLayout: Sendable {
        var device = -1, at = -1, metric = -1, value = -1, lon = -1, lat = -1
        var metricColumns: [(index: Int, metric: String)] = []
        var columnCount = 0

        public init(header: String) throws(RejectedReading) {
            let names = header.split(separator: ",", omittingEmptySubsequences: false)
                .map {
                    $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                        .lowercased()
                }
            columnCount = names.count
            for (index, name) in names.enumerated() {
                switch name {
                case "device": device = index
                case "at", "time": at = index
                case "metric": metric = index
                case "value": value = index
                case "lon": lon = index
                case "lat": lat = index
                default: if !name.isEmpty { metricColumns.append((index, name)) }
                }
            }
            guard device >= 0, at >= 0 else {
                throw RejectedReading(
                    line: 1, device: nil, code: "missing_column", message: "The header names device and at.")
            }
            guard (metric >= 0) == (value >= 0), metric >= 0 || !metricColumns.isEmpty else {
                throw RejectedReading(
                    line: 1, device: nil, code: "missing_column",
                    message: "The header has metric and value, or a column per metric.")
            }
            if metric >= 0 { metricColumns = [] }
        }
    }

    /// One CSV line (no line end). Quoted fields are read by the RFC 4180 reader; plain lines,
    /// the usual case, straight from the bytes.
    public static func reading(csv line: UnsafeBufferPointer<UInt8>, number: Int, layout: CSVLayout) -> Outcome {
        if line.contains(UInt8(ascii: "\"")) {
            var reader = CSVReader(String(decoding: line, as: UTF8.self))
            let fields = reader.next()?.fields ?? []
            return fields.map { Array($0.utf8) }.withUnsafeBufferPointers {
                reading(fields: $0, number: number, layout: layout)
            }
        }
        var cells: [UnsafeBufferPointer<UInt8>] = []
        cells.reserveCapacity(layout.columnCount)
        var start = 0
        for index in 0..<line.count where line[index] == UInt8(ascii: ",") {
            cells.append(UnsafeBufferPointer(rebasing: line[start..<index]))
            start = index + 1
        }
        cells.append(UnsafeBufferPointer(rebasing: line[start..<line.count]))
        return reading(fields: cells, number: number, layout: layout)
    }

    private static func reading(fields: [UnsafeBufferPointer<UInt8>], number: Int, layout: CSVLayout) -> Outcome {
        func cell(_ index: Int) -> UnsafeBufferPointer<UInt8>? {
            guard index >= 0, index < fields.count else { return nil }
            let cell = trimmed(fields[index])
            return cell.isEmpty || isNA(cell) ? nil : cell
        }
        guard let deviceCell = cell(layout.device) else {
            return reject(number, nil, "missing_field", "device is empty.")
        }
        let device = String(decoding: deviceCell, as: UTF8.self)
        guard fields.count == layout.columnCount else {
            return reject(
                number, device, "invalid_line",
                "The line has \(fields.count) fields; the header has \(layout.columnCount).")
        }
        guard let atCell = cell(layout.at), let at = Instant.parse(atCell) else {
            return reject(number, device, "invalid_time", "at is epoch milliseconds or ISO 8601 with a time zone.")
        }
        var values: [(metric: String, value: Double)] = []
        if layout.metric >= 0 {
            guard let metricCell = cell(layout.metric), let valueCell = cell(layout.value),
                let value = FastNumber.double(valueCell)
            else {
                return reject(number, device, "invalid_value", "metric is a name and value a number.")
            }
            values.append((String(decoding: metricCell, as: UTF8.self), value))
        } else {
            values.reserveCapacity(layout.metricColumns.count)
            for (index, metric) in layout.metricColumns {
                guard let valueCell = cell(index) else { continue }
                guard let value = FastNumber.double(valueCell) else {
                    return reject(number, device, "invalid_value", "\(metric) is not a number.")
                }
                values.append((metric, value))
            }
            if values.isEmpty { return reject(number, device, "no_values", "The line has no values.") }
        }
        var lon: Double?, lat: Double?
        if layout.lon >= 0 || layout.lat >= 0 {
            let x = cell(layout.lon).flatMap(FastNumber.double), y = cell(layout.lat).flatMap(FastNumber.double)
            if x != nil || y != nil {
                guard let x, let y, GeoPoint(lon: x, lat: y).isValid else {
                    return reject(number, device, "invalid_position", "lon and lat together, in degrees.")
                }
                lon = x
                lat = y
            }
        }
        return .success(IncomingReading(line: number, device: device, at: at, values: values, lon: lon, lat: lat))
    }

    private static func trimmed(_ cell: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var (start, end) = (0, cell.count)
        while start < end, cell[start] == 32 || cell[start] == 13 || cell[start] == 9 { start += 1 }
        while end > start, cell[end - 1] == 32 || cell[end - 1] == 13 || cell[end - 1] == 9 { end -= 1 }
        return UnsafeBufferPointer(rebasing: cell[start..<end])
    }

    private static func isNA(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        cell.count == 2 && (cell[0] | 0x20) == UInt8(ascii: "n") && (cell[1] | 0x20) == UInt8(ascii: "a")
    }

    private static func reject(_ line: Int, _ device: String?, _ code: ErrorCode, _ message: String) -> Outcome {
        .failure(RejectedReading(line: line, device: device, code: code, message: message))
    }
}

extension RejectedReading: Error {}

extension Array where Element == [UInt8] {
    func withUnsafeBufferPointers<R>(_ body: ([UnsafeBufferPointer<UInt8>]) -> R) -> R {
        // Copies kept alive for the call; only used on the rare quoted line.
        let copies = map { bytes -> UnsafeMutableBufferPointer<UInt8> in
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Swift.max(bytes.count, 1))
            _ = buffer.initialize(from: bytes)
            return buffer
        }
        defer { copies.forEach { $0.deallocate() } }
        return body(zip(copies, self).map { UnsafeBufferPointer(rebasing: $0.0[0..<$0.1.count]) })
    }
}
