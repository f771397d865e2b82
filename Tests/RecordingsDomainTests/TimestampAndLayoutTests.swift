import Foundation
import RecordingsDomain
import Testing

@Suite("times and object keys")
struct TimestampAndLayoutTests {
    @Test("accepted input forms all mean the same instant",
          arguments: ["2023-03-26T01:30:00Z", "2023-03-26T01:30:00.000Z", "2023-03-26T01:30:00+00:00", "2023-03-26T01:30:00",
                      "2023-03-26T02:30:00+01:00", "2023-03-25T20:30:00-0500", "2023-03-26T01:30Z"])
    func inputs(_ text: String) throws {
        let d = try #require(Timestamp.parse(text))
        #expect(Timestamp.format(d) == "2023-03-26T01:30:00.000Z")
    }

    @Test("refused input", arguments: ["", "2023-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2023-01-01", "2023-01-01T24:00:00Z",
                                       "2023-01-01T00:00:00Zjunk", "2023-01-01T00:00:00+25:00", "yesterday",
                                       "0000-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
    func refused(_ text: String) { #expect(Timestamp.parse(text) == nil) }

    @Test func leapDaysAndMillisecondsRoundTrip() throws {
        let d = try #require(Timestamp.parse("2024-02-29T23:59:59.987Z"))
        #expect(Timestamp.format(d) == "2024-02-29T23:59:59.987Z")
        #expect(Timestamp.format(millis: 0) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(millis: -1) == "1969-12-31T23:59:59.999Z")
    }

    @Test func transcriptKeysArePartitionedByConversationStartInUTCZeroPadded() throws {
        let start = try #require(Timestamp.parse("2023-03-26T00:40:12.815Z"))
        let key = ObjectLayout.transcriptKey(prefix: "cases/LH-2023-001/", orgId: "org-1", conversationStart: start,
                                             conversationId: "c-1", recordingId: "r-1")
        #expect(key == "cases/LH-2023-001/org-1/year=2023/month=03/day=26/hour=00/conversation_id=c-1/r-1.json")
        #expect(ObjectLayout.sidecarKey(transcriptKey: key) == key + "_metadata.json")
        #expect(ObjectLayout.manifestKey(prefix: nil, jobId: "j") == "exports/j/manifest.json")
        #expect(ObjectLayout.custodyKey(prefix: "p/", jobId: "j") == "p/exports/j/chain-of-custody.json")
    }
}
