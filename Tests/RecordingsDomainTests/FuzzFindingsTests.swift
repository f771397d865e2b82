import Foundation
import DocumentCodecs
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

    /// Found by `s3-xml`: an element name that is not UTF-8 trapped inside FoundationXML, so one PutObjectTagging or
    /// PutObjectRetention body could stop the server. Such a body is MalformedXML now, before libxml2 sees it.
    @Test func anXMLNameThatIsNotUTF8IsMalformedNotACrash() throws {
        let found = try #require(Data(base64Encoded: "PD94bWwgdmVyc2lvbj0iMS4wIj8+PEX/////////H3Jyb3I+PENvZGU+VGVybWFuZW50UmVkaXJlY3Q8L0NvZGU+PE1lc3NhZ2U+VXNlIDwhW0NEQVRBW3RoZSBlbmRwb2ludF1dPk0vPGVzc2FnZT48RW5kcG9pbnQ+czMuZXUtd2VzdC0yLmFtYXpvbmF3cy5jb208L0VuZHBvaW50PjwvRXJyb3I+"))
        guard case .failure(let error) = S3XMLTree.parse(found) else { Issue.record("parsed"); return }
        #expect(error.code == "MalformedXML")
        for body in ["<Tagging>\u{1}</Tagging>", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Tagging/>"] {
            guard case .failure(let e) = S3XMLTree.parse(Data(body.utf8)) else { Issue.record("parsed \(body)"); continue }
            #expect(e.code == "MalformedXML")
        }
        #expect((try? S3XMLTree.parse(Data(#"<?xml version="1.0" encoding="UTF-8"?><Tagging/>"#.utf8)).get())?.name == "Tagging")
    }
}
