import Testing
@Test func placeholderZenDoTests() { #expect(Bool(true)) }
