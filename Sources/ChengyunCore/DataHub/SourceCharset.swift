import Foundation

/// The character sets a source is read in. UTF-8 unless the sender says otherwise; Chinese
/// government systems often export GBK or GB2312, both contained in GB 18030 (GB 18030-2005,
/// the national standard), which is how they are read. Western servers often label what they
/// send ISO-8859-1 by default and mean windows-1252, its superset, which is how the WHATWG
/// Encoding Standard reads that label and how it is read here.
public enum SourceCharset: String, Sendable, Equatable, CaseIterable {
    case utf8 = "UTF-8"
    case gb18030 = "GB18030"
    case windows1252 = "windows-1252"

    /// The charset a name means (`charset=` of a Content-Type, say); nil for one not read.
    public static func named(_ name: String) -> SourceCharset? {
        switch name.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")).lowercased() {
        case "utf-8", "utf8", "us-ascii", "ascii": .utf8
        case "gb18030", "gbk", "gb2312", "gb_2312-80", "cp936", "x-gbk", "euc-cn", "csgb2312": .gb18030
        case "windows-1252", "cp1252", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "us-latin1":
            .windows1252
        default: nil
        }
    }

    /// Foundation's name for it.
    var encoding: String.Encoding {
        switch self {
        case .utf8: .utf8
        // kCFStringEncodingGB_18030_2000 as a String.Encoding.
        case .gb18030: String.Encoding(rawValue: 0x8000_0632)
        case .windows1252: .windowsCP1252
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

    public static let accepted = "UTF-8 (the default), GBK, GB2312, GB18030, ISO-8859-1 or windows-1252"

    /// A whole file's bytes read in this charset, or `SourceError.badEncoding` with the first
    /// line that is not in it.
    public func text(of bytes: some Collection<UInt8>) throws -> String {
        if self == .utf8 {
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            var line = 1
            for piece in Array(bytes).split(separator: 0x0A, omittingEmptySubsequences: false) {
                if String(validating: piece, as: UTF8.self) == nil { break }
                line += 1
            }
            throw SourceError.badEncoding(line: line, charset: rawValue)
        }
        var transcoder = SourceTranscoder(self)
        let utf8 = try transcoder.feed(bytes) + transcoder.finish()
        return String(decoding: utf8, as: UTF8.self)
    }
}

/// A source's bytes in a character set to UTF-8, a chunk at a time. A single-byte set decodes each
/// chunk as it is. In GB 18030 every byte of a multibyte character is 0x30 or above (trailing
/// bytes 0x30–0x39 and 0x40–0xFE), so each chunk is decoded up to its last byte below 0x30 — a
/// comma, a quote, a space, a line break — and the rest carried to the next; bytes that are not in
/// the set stop the source with the line they are on (lines counted by line feed).
public struct SourceTranscoder: Sendable {
    /// The longest stretch carried without a place to cut: a record's limit.
    public static let maxCarried = 4 << 20

    let charset: SourceCharset
    private var carried: [UInt8] = []
    private var line = 1

    public init(_ charset: SourceCharset) { self.charset = charset }

    public mutating func feed(_ bytes: some Collection<UInt8>) throws -> [UInt8] {
        guard charset == .gb18030 else { return try decode(Array(bytes)) }
        // What was carried holds no place to cut: only the new bytes are looked at.
        let before = carried.count
        carried.append(contentsOf: bytes)
        guard let cut = carried[before...].lastIndex(where: { $0 < 0x30 }) else {
            if carried.count > Self.maxCarried { throw SourceError.elementTooLong(line: line) }
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
        if let text = String(data: Data(bytes), encoding: charset.encoding) { return Array(text.utf8) }
        var at = line
        for piece in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if String(data: Data(piece), encoding: charset.encoding) == nil { break }
            at += 1
        }
        throw SourceError.badEncoding(line: at, charset: charset.rawValue)
    }
}

/// A source's chunks read in `charset` and handed on as UTF-8 (UTF-8 passes through as it is;
/// the CSV reader checks it, and a JSON record that is not UTF-8 is refused on its own).
public struct TranscodedChunks<Base: AsyncSequence>: AsyncSequence where Base.Element == [UInt8] {
    public typealias Element = [UInt8]
    let base: Base
    let charset: SourceCharset

    public init(_ base: Base, charset: SourceCharset) { (self.base, self.charset) = (base, charset) }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var transcoder: SourceTranscoder?
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
        AsyncIterator(base: base.makeAsyncIterator(), transcoder: charset == .utf8 ? nil : SourceTranscoder(charset))
    }
}
