/// An RFC 4180 reader: quoted fields, doubled quotes, commas and line breaks inside quotes, CRLF
/// or LF line ends, a leading byte-order mark. Yields each record with the line it started on.
public struct CSVReader: Sequence, IteratorProtocol {
    private var characters: [Character]
    private var index = 0
    private var line = 1

    public init(_ text: String) {
        var characters = Array(text)
        if characters.first == "\u{FEFF}" { characters.removeFirst() }
        self.characters = characters
    }

    public struct Record: Equatable, Sendable {
        public var line: Int
        public var fields: [String]
    }

    public mutating func next() -> Record? {
        guard index < characters.count else { return nil }
        let start = line
        var fields: [String] = []
        var field = ""
        var quoted = false
        while index < characters.count {
            let c = characters[index]
            index += 1
            if quoted {
                if c == "\"" {
                    if index < characters.count && characters[index] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                line += 1
                fields.append(field)
                return Record(line: start, fields: fields)
            } else {
                field.append(c)
            }
        }
        fields.append(field)
        return Record(line: start, fields: fields)
    }
}
