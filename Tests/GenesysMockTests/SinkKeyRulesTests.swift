import GenesysMock
import Testing

/// Keys that could reach outside a bucket folder are refused, whether written plainly or percent-encoded.
@Suite struct SinkKeyRulesTests {
    @Test(arguments: ["%2e%2e/x", "%2E%2E/x", "a/%2e./b", "a/.%2e", "%2e/x", "%252e%252e/x", "a/%2e%2e%2fb", "a%2f%2e%2e%2fb"])
    func anEncodedDotSegmentIsRefused(_ key: String) {
        #expect(SinkPath.keyProblem(key) != nil, "\(key) should be refused")
    }

    @Test(arguments: ["a/b.txt", "100%.txt", "a%20b/c", "%2e%2ex/y", "x.%2e%2e", "cases/LH-1/..data"])
    func ordinaryKeysWithPercentOrDotsAreAccepted(_ key: String) {
        #expect(SinkPath.keyProblem(key) == nil, "\(key) should be accepted")
    }
}
