/// The words of a report as the learned models see them: Chinese as overlapping character pairs
/// (a single character alone when it stands alone), and other scripts as lower-cased words split
/// at anything not a letter or digit ("Broken_Limb" → broken, limb). Chinese needs no dictionary
/// this way: "垃圾满溢" gives 垃圾, 圾满, 满溢, and a report sharing 垃圾 shares a feature.
public enum TextTokens {
    public static func of(_ text: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        var han: [Character] = []
        func endWord() {
            if !word.isEmpty { tokens.append(word) }
            word = ""
        }
        func endHan() {
            if han.count == 1 {
                tokens.append(String(han[0]))
            } else if han.count > 1 {
                for i in 0..<(han.count - 1) { tokens.append(String(han[i]) + String(han[i + 1])) }
            }
            han = []
        }
        for character in text {
            if isHan(character) {
                endWord()
                han.append(character)
            } else if character.isLetter || character.isNumber {
                endHan()
                word += character.lowercased()
            } else {
                endWord()
                endHan()
            }
        }
        endWord()
        endHan()
        return tokens
    }

    /// CJK unified ideographs (with extension A and the compatibility block).
    static func isHan(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF: return true
        default: return false
        }
    }
}
