import Testing

@Test func skillFolderExists() { #expect(Bool(true)) }
