import Testing
@Test func placeholderZenodoEmulatorTests() { #expect(Bool(true)) }
