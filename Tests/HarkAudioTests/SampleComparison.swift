/// Where two long arrays first differ, or nil when they are equal.
///
/// `#expect(a == b)` on long arrays makes Swift Testing diff them when they differ, which takes minutes
/// for 100 000 samples; this says what is wrong at once.
func firstDifference<T: Equatable>(_ actual: [T], _ expected: [T]) -> String? {
    guard actual.count == expected.count else { return "\(actual.count) elements, expected \(expected.count)" }
    guard let index = actual.indices.first(where: { actual[$0] != expected[$0] }) else { return nil }
    let differing = actual.indices.count { actual[$0] != expected[$0] }
    return "\(differing) of \(actual.count) differ; first at [\(index)]: \(actual[index]), expected \(expected[index])"
}
