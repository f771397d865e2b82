import Foundation
import GenesysMock
import RecordingsDomain
import Testing

/// CompleteMultipartUpload's rules: the part list, its checks against the stored parts, and the ETag.
@Suite struct S3MultipartRulesTests {
    static let big = S3MultipartRules.minimumPartSize
    static let stored: [Int: (size: Int, etag: String)] = [1: (big, "aa"), 2: (big, "bb"), 3: (10, "cc")]

    @Test func theETagIsTheMD5OfThePartsMD5sThenTheirCount() {
        // md5(md5("a") ‖ md5("b")), as S3 computes it.
        let etag = S3MultipartRules.etag(partMD5s: ["0cc175b9c0f1b6a831c399e269772661", "92eb5ffee6ae2fec3ad71c777531578f"])
        #expect(etag == "96e024ba2074fe77e8e965ba43a704be-2")
    }

    @Test func theListIsReadWithQuotedETagsInAnyCase() throws {
        let body = Data("""
            <CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Part><ETag>&quot;AA&quot;</ETag><PartNumber>1</PartNumber></Part><Part><PartNumber> 3 </PartNumber><ETag>"cc"</ETag></Part>
            </CompleteMultipartUpload>
            """.utf8)
        #expect(try S3MultipartRules.parseComplete(body).get() == [.init(number: 1, etag: "aa"), .init(number: 3, etag: "cc")])
        #expect(throws: S3BodyError.self) { try S3MultipartRules.parseComplete(Data("<CompleteMultipartUpload/>".utf8)).get() }
        #expect(throws: S3BodyError.self) {
            try S3MultipartRules.parseComplete(Data("<CompleteMultipartUpload><Part><ETag>x</ETag></Part></CompleteMultipartUpload>".utf8)).get()
        }
    }

    @Test func aGoodListPassesAndEachFaultHasItsCode() {
        func code(_ parts: [(Int, String)]) -> String? {
            S3MultipartRules.problem(parts.map { .init(number: $0.0, etag: $0.1) }, stored: Self.stored)?.code
        }
        #expect(code([(1, "aa"), (2, "bb"), (3, "cc")]) == nil)
        #expect(code([(1, "aa"), (3, "cc")]) == nil, "gaps in the numbering are allowed")
        #expect(code([(2, "bb"), (1, "aa")]) == "InvalidPartOrder")
        #expect(code([(1, "aa"), (1, "aa")]) == "InvalidPartOrder")
        #expect(code([(1, "aa"), (4, "dd")]) == "InvalidPart")
        #expect(code([(1, "zz")]) == "InvalidPart")
        #expect(code([(3, "cc"), (4, "dd")]) == "InvalidPart")
        #expect(S3MultipartRules.problem([.init(number: 3, etag: "cc"), .init(number: 5, etag: "ee")],
                                         stored: [3: (10, "cc"), 5: (10, "ee")])?.code == "EntityTooSmall")
    }
}
