/// Helpers that turn values into words that sound right when spoken.
public enum SpokenText {
    /// "milk", "milk and eggs", "milk, eggs and bread".
    public static func list(_ items: [String], conjunction: String = "and") -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items[items.count - 1]
        }
    }

    /// "1 item", "3 items" (or a custom plural).
    public static func count(_ n: Int, _ singular: String, plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }

    /// A number without a needless ".0": 2 → "2", 2.5 → "2.5".
    public static func number(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
