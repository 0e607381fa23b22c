/// Rows out of a CSV file fed in chunks as it arrives (RFC 4180: quoted cells may hold commas,
/// quotes doubled and line breaks; a UTF-8 byte-order mark first is dropped; CRLF, LF or a lone
/// CR ends a line). Nothing but the row being read is held, and it is bounded: a cell at most
/// 1 MB, a row at most 1,000 cells.
public struct CSVRowReader: Sendable {
    public static let maxCellBytes = 1 << 20
    public static let maxCells = 1_000
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private var cell: [UInt8] = []
    private var row: [String] = []
    private var quoted = false
    private var quoteSeen = false
    private var rowHasContent = false
    private var afterCR = false
    /// The file's first bytes while they may still be a byte-order mark.
    private var opening: [UInt8] = []
    private var opened = false
    /// The line the row being read started on (1-based, counting line breaks inside quotes).
    private var line = 1
    private var rowLine = 1

    public init() {}

    /// Feeds bytes; hands each complete row (with the line it started on) to `emit`.
    public mutating func feed(_ bytes: some Collection<UInt8>, _ emit: ([String], Int) throws -> Void) throws {
        // Contiguous bytes (a chunk as it arrives) are read through a pointer, not a generic iterator.
        let read: Void? = try bytes.withContiguousStorageIfAvailable { buffer in
            var index = 0
            while index < buffer.count {
                // A run of plain bytes outside quotes goes into the cell at once, when it fits
                // within the limits a byte at a time would check.
                if opened, !quoted, !afterCR {
                    var end = index
                    while end < buffer.count, !Self.endsPlainRun(buffer[end]) { end += 1 }
                    if end > index, cell.count + (end - index) <= Self.maxCellBytes, row.count <= Self.maxCells {
                        cell.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index..<end]))
                        quoteSeen = false
                        rowHasContent = true
                        index = end
                        continue
                    }
                }
                try feed(buffer[index], emit)
                index += 1
            }
        }
        if read == nil { for byte in bytes { try feed(byte, emit) } }
    }

    /// A quote, a comma or a line break: the bytes a plain run stops at.
    private static func endsPlainRun(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }

    private mutating func feed(_ byte: UInt8, _ emit: ([String], Int) throws -> Void) throws {
        guard !opened else { return try take(byte, emit) }
        opening.append(byte)
        if Self.byteOrderMark.starts(with: opening) {
            if opening.count == 3 {
                opening.removeAll()
                opened = true
            }
            return
        }
        opened = true
        let held = opening
        opening.removeAll()
        for early in held { try take(early, emit) }
    }

    private mutating func take(_ byte: UInt8, _ emit: ([String], Int) throws -> Void) throws {
        if cell.count > Self.maxCellBytes || row.count > Self.maxCells { throw SourceError.cellTooLong(line: rowLine) }
        if quoted {
            if byte == UInt8(ascii: "\"") {
                quoted = false
                quoteSeen = true
            } else {
                if byte == UInt8(ascii: "\n") { line += 1 }
                cell.append(byte)
            }
            return
        }
        if afterCR {
            afterCR = false
            if byte != UInt8(ascii: "\n") { try endLine(emit) }
        }
        switch byte {
        case UInt8(ascii: "\""):
            if quoteSeen {
                cell.append(byte) // a doubled quote inside a quoted cell
                quoted = true
            } else if cell.isEmpty {
                quoted = true // a quote opens a cell only at its start; elsewhere it is a character
            } else {
                cell.append(byte)
            }
            quoteSeen = false
            rowHasContent = true
        case UInt8(ascii: ","):
            try endCell()
        case UInt8(ascii: "\r"):
            afterCR = true
        case UInt8(ascii: "\n"):
            try endLine(emit)
        default:
            cell.append(byte)
            quoteSeen = false
            rowHasContent = true
        }
    }

    /// The last row when the file does not end with a line break.
    public mutating func finish(_ emit: ([String], Int) throws -> Void) throws {
        if !opened {
            opened = true
            let held = opening
            opening.removeAll()
            for early in held { try take(early, emit) }
        }
        if quoted { throw SourceError.unclosedQuote(line: rowLine) }
        try endRow(emit)
    }

    private mutating func endLine(_ emit: ([String], Int) throws -> Void) throws {
        try endRow(emit)
        line += 1
        rowLine = line
    }

    private mutating func endCell() throws {
        // Bytes that are not UTF-8 (a GBK file not said to be one) stop the source: read as
        // UTF-8 they would be kept as replacement characters, the data lost.
        guard let text = String(validating: cell, as: UTF8.self) else {
            throw SourceError.badEncoding(line: rowLine, charset: SourceCharset.utf8.rawValue)
        }
        row.append(text)
        cell.removeAll(keepingCapacity: true)
        quoteSeen = false
        rowHasContent = true
    }

    private mutating func endRow(_ emit: ([String], Int) throws -> Void) throws {
        defer { rowHasContent = false }
        guard rowHasContent || !cell.isEmpty else { return } // blank lines are skipped
        try endCell()
        let done = row
        row.removeAll(keepingCapacity: true)
        try emit(done, rowLine)
    }
}

/// The objects of a JSON source fed in chunks: the elements of a top-level array, one object per
/// line (NDJSON), or a GeoJSON FeatureCollection's features. Each element's bytes are handed on
/// whole, with the line it starts on; nothing else is held.
public struct JSONElementSplitter: Sendable {
    public enum Layout: Sendable { case array, lines, featureCollection }
    private let layout: Layout
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var element: [UInt8] = []
    private var inElement = false
    private var elementLine = 1
    private var line = 1
    /// For a FeatureCollection: the last key read at depth 1 and whether its array is the features.
    private var key: [UInt8] = []
    private var readingKey = false
    private var inFeatures = false
    public static let maxElementBytes = 4 << 20

    public init(_ layout: Layout) { self.layout = layout }

    /// The depth (inside how many brackets) at which elements start.
    private var elementDepth: Int { layout == .lines ? 0 : (layout == .array ? 1 : 2) }

    public mutating func feed(_ bytes: some Collection<UInt8>, _ emit: ([UInt8], Int) throws -> Void) throws {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") { line += 1 }
            if inElement {
                element.append(byte)
                if element.count > Self.maxElementBytes { throw SourceError.elementTooLong(line: elementLine) }
            }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    readingKey = false
                } else if readingKey {
                    key.append(byte)
                }
                continue
            }
            let between = !inElement && depth == elementDepth && (layout != .featureCollection || inFeatures)
            switch byte {
            case UInt8(ascii: "\""):
                if between { throw SourceError.malformedJSON(line: line) }
                inString = true
                if layout == .featureCollection, depth == 1 {
                    readingKey = true
                    key.removeAll()
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if between {
                    guard byte == UInt8(ascii: "{") else { throw SourceError.malformedJSON(line: line) }
                    inElement = true
                    element = [byte]
                    elementLine = line
                }
                if layout == .featureCollection, depth == 1, byte == UInt8(ascii: "[") {
                    inFeatures = key == Array("features".utf8)
                }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth < 0 { throw SourceError.malformedJSON(line: line) }
                if layout == .featureCollection, depth == 1, byte == UInt8(ascii: "]") { inFeatures = false }
                if inElement, depth == elementDepth {
                    try emit(element, elementLine)
                    element.removeAll(keepingCapacity: true)
                    inElement = false
                }
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"), UInt8(ascii: ","):
                break
            default:
                if between { throw SourceError.malformedJSON(line: line) }
            }
        }
    }

    public func finish() throws {
        if depth != 0 || inString || inElement { throw SourceError.malformedJSON(line: line) }
    }
}

/// A source that cannot be read on: the load stops and changes nothing.
public enum SourceError: Error, Equatable, Sendable {
    case cellTooLong(line: Int)
    case unclosedQuote(line: Int)
    case elementTooLong(line: Int)
    case malformedJSON(line: Int)
    case badEncoding(line: Int, charset: String)

    public var code: ErrorCode {
        switch self {
        case .cellTooLong, .elementTooLong: "source_too_long"
        case .unclosedQuote: "unclosed_quote"
        case .malformedJSON: "malformed_json"
        case .badEncoding: "invalid_encoding"
        }
    }

    public var message: String {
        switch self {
        case .cellTooLong(let line): "The row starting on line \(line) has a cell over 1 MB or over 1,000 cells."
        case .unclosedQuote(let line): "A quoted cell opened on line \(line) is never closed."
        case .elementTooLong(let line): "A record starting on line \(line) is over 4 MB."
        case .malformedJSON(let line): "The JSON is not well formed (near line \(line))."
        case .badEncoding(let line, let charset):
            "Line \(line) is not \(charset). Name the file's character set in its Content-Type (text/csv; charset=GBK, say): \(SourceCharset.accepted)."
        }
    }
}
