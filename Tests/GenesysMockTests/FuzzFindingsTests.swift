import Foundation
import Testing

@testable import GenesysMock

/// Inputs `scripts/fuzz` found, kept as they were found; each now gets the answer its surface gives to any
/// malformed input.
@Suite struct FuzzFindingsTests {
    /// Target `aws-chunked`: a chunk size near Int.max overflowed `offset + size + 2` and trapped, which took the
    /// whole server down on one signed upload. It is now an undecodable body (`400 IncompleteBody`).
    @Test func aChunkSizeNearIntMaxIsAnIncompleteBody() {
        #expect(S3Auth.decodeChunked(Data("7fffffffffffffff\r\n".utf8)) == nil)
        #expect(S3Auth.decodeChunked(Data("ffffffffffffffff\r\nabc\r\n0\r\n\r\n".utf8)) == nil)
        #expect(S3Auth.decodeChunked(Data("3;chunk-signature=00\r\nabc\r\n0;chunk-signature=00\r\n\r\n".utf8)) == Data("abc".utf8))
    }

    /// Target `fast-json`: an object holding a number beyond Double's range was shown in the console with that
    /// number as `0`; it is now shown as sent, like any text the reader does not take.
    @Test func anObjectWithAnUnrepresentableNumberIsShownAsSent() {
        #expect(Console.prettyJSON(Data(#"{"amount": 1e400, "key": "a/b"}"#.utf8)) == nil)
        #expect(Console.prettyJSON(Data(#"{"amount": 1e300}"#.utf8)) == "{\n  \"amount\" : 1e+300\n}")
    }
}
