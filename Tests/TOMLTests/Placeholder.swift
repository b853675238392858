import Testing
@Test func placeholderTOMLTests() { #expect(Bool(true)) }
