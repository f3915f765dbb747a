import Backend
import Testing
import TestSupport

@Suite struct PhiloxGeneratorTests {
    @Test(arguments: TestDevice.all)
    func hostDrawsEqualADeviceUniformFillOfTheSameStream(_ testDevice: TestDevice) throws {
        let stream = RandomStream(seed: 0xDEAD_BEEF_1234, offset: 77)
        let fill = try poisonedTensor([11], on: testDevice.device)
        try testDevice.device.uniform(fill, low: 0, high: 1, stream: stream)
        var generator = PhiloxGenerator(stream: stream)
        let host = (0..<11).map { _ in generator.nextUnitFloat() }
        #expect(host == (try fill.toArray()))
    }

    @Test func wordsFollowTheCounterAndTheKey() {
        var generator = PhiloxGenerator(seed: 0)
        let words = (0..<8).map { _ in generator.nextWord() }
        let first = Philox.block(key: SIMD2(0, 0), counter: SIMD4(0, 0, 0, 0))
        let second = Philox.block(key: SIMD2(0, 0), counter: SIMD4(1, 0, 0, 0))
        #expect(words == [first[0], first[1], first[2], first[3], second[0], second[1], second[2], second[3]])
        var wide = PhiloxGenerator(seed: 0)
        #expect(wide.next() == UInt64(first[0]) | UInt64(first[1]) << 32)
    }

    @Test func shufflesArePermutationsFixedByTheStream() {
        var values = Array(0..<50)
        var generator = PhiloxGenerator(seed: 3, offset: 1)
        generator.shuffle(&values)
        #expect(values.sorted() == Array(0..<50))
        #expect(values != Array(0..<50))
        var again = Array(0..<50)
        var same = PhiloxGenerator(seed: 3, offset: 1)
        same.shuffle(&again)
        #expect(again == values)
        var other = Array(0..<50)
        var otherGenerator = PhiloxGenerator(seed: 3, offset: 2)
        otherGenerator.shuffle(&other)
        #expect(other != values)
    }

    @Test func indicesStayBelowTheBoundAndCoverIt() {
        var generator = PhiloxGenerator(seed: 9)
        let draws = (0..<600).map { _ in generator.nextIndex(below: 6) }
        #expect(Set(draws) == Set(0..<6))
        #expect(generator.nextIndex(below: 1) == 0)
        #expect(generator.nextIndex(below: 0) == 0)
        let floats = (0..<100).map { _ in generator.nextFloat(in: -2...3) }
        #expect(floats.allSatisfy { $0 >= -2 && $0 < 3 })
    }
}
