/// Compares a secret without letting a failed `#expect` print either value: the test suite's
/// own output must never show a token, not even a made-up one.
func sameSecret(_ actual: String, _ expected: String) -> Bool { actual == expected }
