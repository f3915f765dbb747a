import Testing
@testable import Tuning
@Test func placeholder() {}
