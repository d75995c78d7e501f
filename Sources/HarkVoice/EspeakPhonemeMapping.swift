/// Turns eSpeak NG's phoneme mnemonics (US English, as `espeak-ng -v en-us -x` prints them) into the CMU /
/// PocketSphinx phone set, so a word missing from the dictionary can still be recognised.
///
/// The table is a longest-match over eSpeak's English phoneme names; stress and length marks are dropped,
/// a doubled phone is written once and an `R` after `ER` is folded into it (eSpeak writes "3r" where CMUdict
/// writes ER). Against CMUdict on 1,500 random dictionary words (mostly names) the mapped pronunciations
/// differ by 11 % of phones (55 % identical); see `Tests/HarkVoiceTests/RecognitionPronunciationTests.swift`.
public enum EspeakPhonemeMapping {
    /// The phones PocketSphinx's US English acoustic model knows.
    public static let cmuPhones: Set<String> = [
        "AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY", "F", "G", "HH", "IH", "IY",
        "JH", "K", "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "T", "TH", "UH", "UW", "V", "W", "Y",
        "Z", "ZH",
    ]

    /// eSpeak phoneme name → CMU phones. Longest names are tried first.
    static let table: [String: [String]] = [
        // Vowels and diphthongs.
        "aI@": ["AY", "ER"], "aU@": ["AW", "ER"], "i@3": ["IH", "R"],
        "aI": ["AY"], "aU": ["AW"], "eI": ["EY"], "OI": ["OY"], "oU": ["OW"], "A@": ["AA", "R"], "O@": ["AO", "R"],
        "o@": ["AO", "R"], "e@": ["EH", "R"], "i@": ["IY", "AH"], "U@": ["UH", "R"], "3:": ["ER"], "A:": ["AA"],
        "O:": ["AO"], "i:": ["IY"], "u:": ["UW"], "a#": ["AH"], "I#": ["IH"], "I2": ["IH"], "@2": ["AH"],
        "@5": ["AH"], "@L": ["AH", "L"], "aa": ["AE"], "i;": ["IY"], "3": ["ER"], "@": ["AH"],
        "a": ["AE"], "A": ["AA"], "0": ["AA"], "O": ["AO"], "E": ["EH"], "e": ["EH"], "I": ["IH"], "i": ["IY"],
        "U": ["UH"], "u": ["UW"], "V": ["AH"], "o": ["OW"],
        // Consonants.
        "tS": ["CH"], "dZ": ["JH"], "t#": ["T"], "d#": ["D"], "r-": ["R"], "n-": ["N"], "l-": ["L"], "z#": ["Z"],
        "p": ["P"], "b": ["B"], "t": ["T"], "d": ["D"], "k": ["K"], "g": ["G"], "f": ["F"], "v": ["V"],
        "T": ["TH"], "D": ["DH"], "s": ["S"], "z": ["Z"], "S": ["SH"], "Z": ["ZH"], "h": ["HH"], "m": ["M"],
        "n": ["N"], "N": ["NG"], "l": ["L"], "r": ["R"], "j": ["Y"], "w": ["W"], "W": ["W"], "x": ["K"],
        "?": ["T"],
    ]

    private static let names: [[Character]] = table.keys.sorted { $0.count > $1.count }.map { Array($0) }

    /// Marks that carry no phone: stress, syllable, pause, word-joining and length marks.
    private static let ignored: Set<Character> = ["'", ",", "%", "=", "_", ":", ";", "|", " ", "-", "2", "#"]

    /// The result of mapping one word's phonemes.
    public struct Result: Sendable, Equatable {
        /// CMU phones, e.g. `["HH", "AA", "R", "K"]`.
        public var phones: [String]
        /// eSpeak symbols that have no CMU counterpart (empty when the mapping is complete).
        public var unmapped: [String]
    }

    /// Maps eSpeak phoneme mnemonics (one word or several, spaces ignored) to CMU phones.
    public static func cmuPhones(fromEspeak mnemonics: String) -> Result {
        let characters = Array(mnemonics)
        var phones: [String] = []
        var unmapped: [String] = []
        var index = 0
        scan: while index < characters.count {
            for name in names where index + name.count <= characters.count {
                if Array(characters[index..<(index + name.count)]) == name {
                    for phone in table[String(name)]! {
                        // A doubled phone is said once; eSpeak's "3r" is CMUdict's ER.
                        if let last = phones.last, last == phone || (last == "ER" && phone == "R") { continue }
                        phones.append(phone)
                    }
                    index += name.count
                    continue scan
                }
            }
            if !ignored.contains(characters[index]) { unmapped.append(String(characters[index])) }
            index += 1
        }
        return Result(phones: phones, unmapped: unmapped)
    }
}
