import Foundation
import DocumentCodecs
import RecordingsDomain
import Testing

/// The manifest and custody file written piece by piece are JSON any reader takes whole, with every object.
@Suite struct StreamedJSONTests {
    static func object(_ n: Int, key: String? = nil) -> Manifest.Object {
        .init(key: key ?? "p/o\(n).json", size: n, etag: "e\(n)", sha256: "s\(n)", conversationId: "c\(n)", recordingId: "r\(n)")
    }

    static func manifestText(_ objects: [Manifest.Object]) throws -> Data {
        let request = ExportRequest(storage: .init(bucketName: "b-1", region: "eu-west-2", prefix: "p/"),
                                    filter: .init(mediaTypes: ["whatsapp"]))
        var out = StreamedJSON.head(try StreamedJSON.manifestMembers(
            jobId: "j", caseId: nil, bucket: "b-1", prefix: "p/", dateCreated: "2023-01-01T00:00:00.000Z",
            dateCompleted: "2023-01-01T00:00:01.000Z", request: request), arrayName: "objects")
        for (i, o) in objects.enumerated() { out += StreamedJSON.element(StreamedJSON.line(o), first: i == 0) }
        let counts = Manifest.Counts(conversations: 1, recordings: 1, exportedRecordings: 1, failedRecordings: 0, skippedRecordings: 0,
                                     objects: objects.count)
        return out + StreamedJSON.tail(empty: objects.isEmpty, trailing: [("counts", try CanonicalJSON.data(counts))])
    }

    @Test(arguments: [0, 1, 3])
    func aStreamedManifestDecodesToTheSameManifest(count: Int) throws {
        let objects = (0..<count).map { Self.object($0) }
        let decoded = try JSONDecoder().decode(Manifest.self, from: try Self.manifestText(objects))
        #expect(decoded.objects == objects)
        #expect(decoded.counts.objects == count)
        #expect(decoded.prefix == "p/")
        #expect(decoded.caseId == nil)
    }

    @Test func keysWithQuotesBackslashesAndControlCharactersSurvive() throws {
        let odd = Self.object(1, key: "p/a \"quoted\" \\ back\tslash\u{1}/caf\u{E9}.json")
        let decoded = try JSONDecoder().decode(Manifest.self, from: try Self.manifestText([odd]))
        #expect(decoded.objects.first?.key == odd.key)
    }

    @Test func linesAreCanonicalJSONAndElementsAppendAsBytes() throws {
        let objects = [Self.object(0), Self.object(12_345, key: "p/a \"q\" \\ \t\u{1}/caf\u{E9}/x.json")]
        var appended: [UInt8] = []
        for (i, o) in objects.enumerated() {
            #expect(StreamedJSON.line(o) == (try CanonicalJSON.data(o)))
            StreamedJSON.appendElement(o, first: i == 0, into: &appended)
        }
        #expect(Data(appended) == StreamedJSON.element(StreamedJSON.line(objects[0]), first: true)
                + StreamedJSON.element(StreamedJSON.line(objects[1]), first: false))
        let entries = [CustodyFile.Entry(seq: 1, time: "t", event: "e", prevHash: "p", hash: "h", record: "{\"k\":\"a/b\\n\"}"),
                       CustodyFile.Entry(seq: 9_000_000_001, time: "t2", event: "e2", prevHash: "h", hash: "h2", record: "")]
        appended = []
        for (i, e) in entries.enumerated() {
            #expect(StreamedJSON.line(e) == (try CanonicalJSON.data(e)))
            StreamedJSON.appendElement(e, first: i == 0, into: &appended)
        }
        #expect(Data(appended) == StreamedJSON.element(StreamedJSON.line(entries[0]), first: true)
                + StreamedJSON.element(StreamedJSON.line(entries[1]), first: false))
    }

    @Test func aStreamedCustodyFileDecodes() throws {
        let entries = (1...3).map { CustodyFile.Entry(seq: Int64($0), time: "t", event: "e", prevHash: "p\($0)", hash: "h\($0)",
                                                      record: "{\"seq\":\($0)}") }
        var text = StreamedJSON.head(try StreamedJSON.custodyMembers(jobId: "j", caseId: "LH-1", bucket: "b-1", manifestKey: "k",
                                                                     manifestSha256: "m"), arrayName: "entries")
        for (i, e) in entries.enumerated() { text += StreamedJSON.element(StreamedJSON.line(e), first: i == 0) }
        text += StreamedJSON.tail(empty: false)
        let decoded = try JSONDecoder().decode(CustodyFile.self, from: text)
        #expect(decoded.entries == entries)
        #expect(decoded.algorithm == CustodyFile.algorithmDescription)
        #expect(decoded.manifestSha256 == "m")
    }
}

/// The line readers (the only readers of manifest object lines, custody entry lines and audit records) read what
/// JSONDecoder reads, in any spacing and member order, and refuse what is not such a line.
@Suite struct ExportLineReaderTests {
    @Test func manifestAndCustodyLinesReadAsJSONDecoderReadsThem() throws {
        let object = Manifest.Object(key: "p/a \"q\" \\ é\u{1}.json", size: 42, etag: "e", sha256: "s", conversationId: "c", recordingId: "r")
        let line = StreamedJSON.line(object)
        #expect(Manifest.Object.line(line) == object)
        #expect(Manifest.Object.line(line) == (try JSONDecoder().decode(Manifest.Object.self, from: line)))
        let entry = CustodyFile.Entry(seq: 7, time: "t", event: "object.written", prevHash: "p", hash: "h",
                                      record: "{\"key\":\"a/b\",\"seq\":7,\"sha256\":\"ab\"}")
        #expect(CustodyFile.Entry.line(StreamedJSON.line(entry)) == entry)
        let reordered = #"{ "size" : 42, "recordingId":"r", "extra": {"n": [1.5, true]}, "key":"k", "etag":"x", "etag":"e", "sha256":"s", "conversationId":"c" }"#
        #expect(Manifest.Object.line(Data(reordered.utf8)) == Manifest.Object(key: "k", size: 42, etag: "e", sha256: "s", conversationId: "c", recordingId: "r"))
    }

    @Test(arguments: [
        #"{"key":"k","size":42.0,"etag":"e","sha256":"s","conversationId":"c","recordingId":"r"}"#,
        #"{"key":"k","size":"42","etag":"e","sha256":"s","conversationId":"c","recordingId":"r"}"#,
        #"{"key":"k","size":42,"etag":"e","sha256":"s","conversationId":"c"}"#,
        #"{"key":"k","size":42,"etag":"e","sha256":"s","conversationId":"c","recordingId":"r","key":null}"#,
        #"{"key":"k","size":42,"etag":"e","sha256":"s","conversationId":"c","recordingId":"r"} x"#,
        #"{"key":"k","size":42,"etag":"e","sha256":"s","conversationId":"c","recordingId":"\ud83d"}"#,
        "[1]", "{", "",
    ])
    func whatIsNotAManifestLineIsRefused(line: String) {
        #expect(Manifest.Object.line(Data(line.utf8)) == nil)
        #expect(CustodyFile.Entry.line(Data(line.utf8)) == nil)
    }

    @Test func auditRecordsGiveTheMembersTheCheckReads() {
        #expect(AuditRecordFields(record: #"{"bucket":"b","key":"a/b","request":{"x":[1,{}]},"seq":7,"sha256":"ab"}"#)
                == AuditRecordFields(seq: 7, key: "a/b", sha256: "ab"))
        // A member of another type counts as absent; the last of duplicates wins.
        #expect(AuditRecordFields(record: #"{"seq":"7","key":1,"sha256":"ab","sha256":null}"#) == AuditRecordFields(seq: nil, key: nil, sha256: nil))
        #expect(AuditRecordFields(record: #"{"seq":1.5,"seq":8}"#) == AuditRecordFields(seq: 8, key: nil, sha256: nil))
        for bad in ["", "[]", #"{"seq":7"#, #"{"seq":7} {}"#, #"{"a":"\x"}"#] { #expect(AuditRecordFields(record: bad) == nil, "\(bad)") }
    }
}
