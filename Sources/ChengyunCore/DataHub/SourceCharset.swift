import Foundation

/// The character sets a source is read in. UTF-8 unless the sender says otherwise; Chinese
/// government systems often export GBK or GB2312, both contained in GB 18030 (GB 18030-2005,
/// the national standard), which is how they are read.
public enum SourceCharset: String, Sendable, Equatable, CaseIterable {
    case utf8 = "UTF-8"
    case gb18030 = "GB18030"

    /// The charset a name means (`charset=` of a Content-Type, say); nil for one not read.
    public static func named(_ name: String) -> SourceCharset? {
        switch name.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")).lowercased() {
        case "utf-8", "utf8", "us-ascii", "ascii": .utf8
        case "gb18030", "gbk", "gb2312", "gb_2312-80", "cp936", "x-gbk", "euc-cn", "csgb2312": .gb18030
        default: nil
        }
    }

    /// The `charset` parameter of a Content-Type: `.success(nil)` when it names none, a failure
    /// carrying the name when it names one not read.
    public static func of(contentType: String?) -> Result<SourceCharset?, UnknownCharset> {
        for parameter in (contentType ?? "").split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "charset" else { continue }
            guard let charset = named(pair[1]) else { return .failure(UnknownCharset(name: pair[1])) }
            return .success(charset)
        }
        return .success(nil)
    }

    public struct UnknownCharset: Error, Equatable {
        public var name: String
        public init(name: String) { self.name = name }
    }

    public static let accepted = "UTF-8 (the default), GBK, GB2312 or GB18030"
}

/// GB 18030 bytes to UTF-8, a chunk at a time. A line break is never part of a GB 18030
/// character (its trailing bytes are 0x30–0x39 and 0x40–0xFE), so each chunk is decoded up to its
/// last line break and the rest carried to the next; bytes that are not GB 18030 stop the source
/// with the line they are on.
public struct GB18030Transcoder: Sendable {
    /// kCFStringEncodingGB_18030_2000 as a String.Encoding.
    static let encoding = String.Encoding(rawValue: 0x8000_0632)
    /// The longest stretch without a line break carried: a CSV cell's limit and then some.
    public static let maxCarried = 4 << 20

    private var carried: [UInt8] = []
    private var line = 1

    public init() {}

    public mutating func feed(_ bytes: some Collection<UInt8>) throws -> [UInt8] {
        carried.append(contentsOf: bytes)
        guard let cut = carried.lastIndex(where: { $0 == 0x0A || $0 == 0x0D }) else {
            if carried.count > Self.maxCarried { throw SourceError.cellTooLong(line: line) }
            return []
        }
        let whole = Array(carried[...cut])
        carried.removeFirst(cut + 1)
        return try decode(whole)
    }

    /// What is left at the end of the source.
    public mutating func finish() throws -> [UInt8] {
        defer { carried = [] }
        return try decode(carried)
    }

    private mutating func decode(_ bytes: [UInt8]) throws -> [UInt8] {
        let breaks = bytes.count { $0 == 0x0A }
        defer { line += breaks }
        if bytes.allSatisfy({ $0 < 0x80 }) { return bytes }
        if let text = String(data: Data(bytes), encoding: Self.encoding) { return Array(text.utf8) }
        var at = line
        for piece in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if String(data: Data(piece), encoding: Self.encoding) == nil { break }
            at += 1
        }
        throw SourceError.badEncoding(line: at, charset: SourceCharset.gb18030.rawValue)
    }
}

/// A source's chunks read in `charset` and handed on as UTF-8 (UTF-8 passes through as it is;
/// the readers check it).
public struct TranscodedChunks<Base: AsyncSequence>: AsyncSequence where Base.Element == [UInt8] {
    public typealias Element = [UInt8]
    let base: Base
    let charset: SourceCharset

    public init(_ base: Base, charset: SourceCharset) { (self.base, self.charset) = (base, charset) }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var transcoder: GB18030Transcoder?
        var ended = false

        public mutating func next() async throws -> [UInt8]? {
            guard var transcoder else { return try await base.next() }
            defer { self.transcoder = transcoder }
            while !ended {
                guard let chunk = try await base.next() else {
                    ended = true
                    let rest = try transcoder.finish()
                    return rest.isEmpty ? nil : rest
                }
                let out = try transcoder.feed(chunk)
                if !out.isEmpty { return out }
            }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), transcoder: charset == .gb18030 ? GB18030Transcoder() : nil)
    }
}
