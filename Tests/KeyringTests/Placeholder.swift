import Testing
@Test func placeholderKeyringTests() { #expect(Bool(true)) }
