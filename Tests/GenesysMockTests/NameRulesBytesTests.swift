import Foundation
import GenesysMock
import RecordingsDomain
import Testing

/// The one-pass bucket-name and key checks answer as the plain versions they replaced, on every input.
@Suite struct NameRulesBytesTests {
    /// The rules as first written: clear, and too slow for every object of an export.
    static func plainIsBucketName(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard (3...63).contains(b.count) else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
        guard alnum(b[0]), alnum(b[b.count - 1]) else { return false }
        guard b.allSatisfy({ alnum($0) || $0 == 46 || $0 == 45 }) else { return false }
        guard !s.contains("..") else { return false }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) { return false }
        return true
    }

    static func plainKeyProblem(_ key: String) -> String? {
        let bytes = key.utf8
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        if bytes.isEmpty { return "the key is empty" }
        if bytes.count > 1024 { return "the key is longer than 1024 bytes" }
        if bytes.first == slash { return "the key starts with '/'" }
        if bytes.last == slash { return "the key ends with '/'" }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "the key contains a control character or NUL" }
        for segment in bytes.split(separator: slash, omittingEmptySubsequences: false) {
            if segment.isEmpty { return "the key has an empty segment ('//')" }
            if segment.count <= 2, segment.allSatisfy({ $0 == dot }) { return "the key has a '\(String(decoding: segment, as: UTF8.self))' segment" }
            if segment.count > 255 { return "a segment of the key is longer than 255 bytes" }
        }
        if bytes.contains(UInt8(ascii: "%")), let decoded = SinkPath.encodedTraversal(key) { return "the key has an encoded '\(decoded)' segment" }
        return nil
    }

    static let bucketNames = ["abc", "ab", "a.b.c", "1.2.3.4", "1.2.3.4a", "01.2.3.4", "1.2.3", "1.2.3.4.5", "a..b", "a-b", "-ab", "ab-",
                              "Abc", "a_b", "legal-discovery-eu", "192.168.1.1", "1.2.3.x", "1.2..3", "a.1.2.3", String(repeating: "a", count: 63),
                              String(repeating: "a", count: 64), "é-bucket", "abc.", ".abc", "a.-b", "9.9.9.9"]

    @Test func bucketNamesAreJudgedAsBefore() {
        var rng = ConversationGenerator.Random(state: 20261130)
        let alphabet = Array("ab19.-_A".utf8)
        var names = Self.bucketNames
        for _ in 0..<5_000 {
            let n = Int.random(in: 1...12, using: &rng)
            names.append(String(decoding: (0..<n).map { _ in alphabet.randomElement(using: &rng)! }, as: UTF8.self))
        }
        for name in names { #expect(NameRules.isBucketName(name) == Self.plainIsBucketName(name), "\(name)") }
    }

    @Test func keysAreJudgedAsBefore() {
        var rng = ConversationGenerator.Random(state: 20261130)
        let alphabet: [String] = ["a", "b", "/", ".", "%", "2e", "\u{1}", "\u{7F}", "é", " "]
        var keys = ["", "/a", "a/", "a//b", "./a", "a/../b", "a/.../b", "a/..", ".", "..", "...", "a/.b", "%2e%2e/x", "a/%2E./b",
                    String(repeating: "x", count: 256), String(repeating: "x", count: 255) + "/y", String(repeating: "k", count: 1025),
                    "recordings/2023/01/01/c/r.json", "a\u{0}b", "caf\u{E9}/x"]
        for _ in 0..<5_000 {
            keys.append((0..<Int.random(in: 1...10, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined())
        }
        for key in keys { #expect(SinkPath.keyProblem(key) == Self.plainKeyProblem(key), "\(key.debugDescription)") }
    }
}

