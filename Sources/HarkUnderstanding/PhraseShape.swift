/// Whether the words a wildcard took name a thing ("oat milk", "new brighton", "paper towels") or are the rest of
/// a sentence ("to talk to mom", "me chinese food", "on this week's weather report", "ideas for dinner that are
/// mexican"). A wildcard is a place for a name; a clause there means the template caught a sentence it was not
/// written for, so the match explains those words no better than not matching them (``MatchSession``), and the
/// dialog asks back instead of acting.
///
/// The test is closed-class words only — pronouns, auxiliary and modal verbs, question words, a leading
/// preposition or infinitive "to", a relative "that"/"which"/"who" — so it needs no dictionary and no list of
/// products, and holds for any skill's wildcard.
public enum PhraseShape {
    /// Personal pronouns: a thing's name does not contain one ("me chinese food", "complaint … i bought").
    static let pronouns: Set<String> = [
        "i", "me", "you", "he", "him", "she", "her", "it", "we", "us", "they", "them", "myself", "yourself",
        "i'm", "you're", "it's", "i'd", "i'll", "i've",
    ]
    /// Auxiliary and modal verbs: they make a clause ("… that are mexican", "… has less traffic").
    static let auxiliaries: Set<String> = [
        "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "have", "has", "had", "can",
        "could", "will", "would", "should", "shall", "may", "might", "must", "not",
    ]
    /// Words that open a question or a relative clause.
    static let clauseOpeners: Set<String> = [
        "what", "who", "whom", "whose", "where", "when", "why", "how", "which", "that", "if", "whether", "because",
    ]
    /// Words a name does not start with: prepositions and the infinitive "to" ("to talk to mom", "on this week's
    /// weather report").
    static let badStarts: Set<String> = [
        "to", "on", "in", "at", "from", "for", "with", "about", "of", "by", "into", "onto", "off", "than", "so",
        "and", "or", "but", "this", "these", "those", "there", "here",
    ]

    /// English closed-class words — articles, pronouns, possessives, prepositions, conjunctions, auxiliaries, question
    /// words, polite fillers — that say nothing about which skill is meant (``IntentClassifier``'s function words).
    public static let functionWords: Set<String> = pronouns.union(auxiliaries).union(clauseOpeners).union(badStarts)
        .union([
            "a", "an", "the", "my", "your", "our", "their", "his", "its", "mine", "please", "kindly", "hey", "hi", "ok",
            "okay", "um", "uh", "er", "just", "also", "too", "very", "really", "then", "now", "up", "out", "over",
            "under", "as", "like", "get", "got", "let", "let's", "me", "some", "any", "no", "yes", "is", "what's",
            "that's", "there's", "want", "would", "need", "tell", "give", "show",
        ])

    /// True when `words` (normalised, lower case) read as a clause rather than a name.
    public static func isClause<Words: Collection>(_ words: Words) -> Bool where Words.Element == String {
        guard let first = words.first else { return false }
        if badStarts.contains(first) { return true }
        return words.contains { pronouns.contains($0) || auxiliaries.contains($0) || clauseOpeners.contains($0) }
    }
}
