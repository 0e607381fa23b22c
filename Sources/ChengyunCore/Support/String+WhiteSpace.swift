extension String {
    /// The text without white space at either end, as Foundation's `whitespacesAndNewlines` trims
    /// it: Unicode's White_Space (the ideographic space U+3000 and the no-break space among them)
    /// and the zero-width space U+200B, which text pasted from web pages carries.
    /// Text with none to trim comes back as it is, without a copy: a load trims every cell, and
    /// nearly all are already clean.
    public var trimmingWhiteSpace: String {
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last else { return self }
        if first < 0x80, last < 0x80, !Self.isASCIISpace(first), !Self.isASCIISpace(last) { return self }
        let scalars = unicodeScalars
        var (start, end) = (scalars.startIndex, scalars.endIndex)
        while start < end, Self.isWhiteSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, Self.isWhiteSpace(scalars[scalars.index(before: end)]) {
            end = scalars.index(before: end)
        }
        return start == scalars.startIndex && end == scalars.endIndex ? self : String(scalars[start..<end])
    }

    /// Foundation's `whitespacesAndNewlines`, spelled out: its lookup is slow, and a load asks it
    /// of every cell that ends in a character past ASCII.
    static func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// Tab, line feed, vertical tab, form feed, carriage return and space.
    static func isASCIISpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
}
