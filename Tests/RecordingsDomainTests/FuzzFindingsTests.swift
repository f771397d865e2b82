import Foundation
import RecordingsDomain
import Testing

/// Inputs `scripts/fuzz` found (target `fast-json`), kept as they were found, and one found while writing the
/// `verify` target.
@Suite struct FuzzFindingsTests {
    /// A custody file whose entry follows one with seq Int64.max overflowed `seq + 1` and trapped `verify`. It is now a
    /// chain problem like any other seq out of order.
    @Test func anEntryAfterTheLastSeqIsOutOfOrderNotACrash() {
        var chain = CustodyChainCheck()
        let record = #"{"seq":9223372036854775807}"#
        let hash = AuditChain.hash(prevHash: "", record: record)
        chain.add(CustodyFile.Entry(seq: .max, time: "2026-01-01T00:00:00.000Z", event: "job.created", prevHash: "", hash: hash, record: record))
        let next = AuditChain.hash(prevHash: hash, record: record)
        chain.add(CustodyFile.Entry(seq: .max, time: "2026-01-01T00:00:00.000Z", event: "job.created", prevHash: hash, hash: next, record: record))
        #expect(chain.problems == ["chain entry seq 9223372036854775807: out of order after seq 9223372036854775807"])
    }

    /// A number beyond Double's range was read as infinity, which `FastJSON` then wrote as `0`: the console showed
    /// such an object with the number changed. It is refused now, as JSONDecoder refuses it.
    @Test func aNumberBeyondDoubleIsNotJSONTheReaderTakes() {
        let found = #"[1, -0, 1.5e300, -2.25E-3, true, false, null, "\u00e9\ud83d\ude00\n\t\"\\\/", {"a": {"b": [[], {}]}}, 9223372036854775807, 1844674407370955e306]"#
        #expect(FastJSONReader.parse(Array(found.utf8)) == nil)
        #expect(JSONValue.parse(Data(found.utf8)) == nil, "JSONDecoder refuses it too")
        #expect(FastJSONReader.parse(Array("[-1e400]".utf8)) == nil)
        // Large but finite numbers still read, and read back the same once written.
        let large = FastJSONReader.parse(Array("[1.5e300, 18446744073709551616]".utf8))
        #expect(large == .array([.double(1.5e300), .double(18_446_744_073_709_551_616)]))
        #expect(large.map { FastJSONReader.parse(FastJSON.data($0)) } == large)
    }
}
