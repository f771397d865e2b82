import Foundation
import DocumentCodecs
import RecordingsDomain
import Testing

/// The hand-written conversation JSON is byte for byte what JSONEncoder writes, so data seeded before and
/// after it are the same.
@Suite struct ConversationJSONTests {
    @Test func generatedConversationsMatchJSONEncoderByteForByte() throws {
        let generator = ConversationGenerator(seed: 7, orgId: "c0269c73-d0b8-4863-831c-beffe2a01d8f")
        for index in 0..<300 {
            let c = generator.conversation(index)
            #expect(ConversationJSON.string(c) == (try CanonicalJSON.string(c)), "conversation \(index)")
        }
    }

    @Test func awkwardTextMatchesToo() throws {
        var c = ConversationGenerator(seed: 1, orgId: "o").conversation(0)
        c.messages[0].text = "quote \" backslash \\ slash / tab \t newline \n bell \u{7} nul \u{0} <script>é 😕"
        c.messages[0].stickers = [.init(id: "s1", url: "https://x.invalid/a")]
        c.participants[0].userId = nil
        c.participants[0].externalContactId = nil
        c.messages[1].text = nil
        #expect(ConversationJSON.string(c) == (try CanonicalJSON.string(c)))
        let decoded = try JSONDecoder().decode(Conversation.self, from: Data(ConversationJSON.string(c).utf8))
        #expect(decoded == c)
    }
}

/// Seeding is deterministic across versions: a data folder seeded by an earlier build gets nothing new when
/// seeded again with the same seed. The digest was taken from conversations seeded before the generator was
/// made faster.
@Suite struct ConversationGeneratorStabilityTests {
    @Test func theFirstThousandConversationsOfSeedOneAreUnchanged() {
        let generator = ConversationGenerator(seed: 1, orgId: "c0269c73-d0b8-4863-831c-beffe2a01d8f")
        var all = Data()
        for index in 0..<1000 { all += Data(ConversationJSON.string(generator.conversation(index)).utf8) }
        #expect(Digest.sha256Hex(all) == "f43748daa2dd4e1e68a9d830df80525f5ef00aa2a3b8c5598629313421003a55")
    }
}

/// The hand-written transcript, sidecar and audit records are byte for byte what JSONEncoder writes, so an
/// export resumed by a newer build finds the very bytes an older one wrote under held keys.
@Suite struct FastJSONTests {
    @Test func transcriptsAndSidecarsMatchJSONEncoderByteForByte() throws {
        let generator = ConversationGenerator(seed: 3, orgId: "c0269c73-d0b8-4863-831c-beffe2a01d8f")
        for index in 0..<200 {
            let c = generator.conversation(index)
            let doc = c.recording(exportedDate: index % 2 == 0 ? nil : "2023-05-01T00:00:00.000Z")
            #expect(doc.prettyData == (try CanonicalJSON.data(doc, pretty: true)), "transcript \(index)")
            let sidecar = RecordingSidecar(conversation: c, jobId: "job-\(index)", caseId: index % 3 == 0 ? nil : "LH-1")
            #expect(sidecar.prettyData == (try CanonicalJSON.data(sidecar, pretty: true)), "sidecar \(index)")
        }
    }

    @Test func awkwardValuesMatchToo() throws {
        let value = JSONValue.object([
            "B": .int(-3), "a": .array([]), "aB": .object([:]), "a_c": .null, "ab": .bool(true), "x/y": .string("q\"\\/\u{1B}\u{7F}é\n"),
            "nested": .array([.object(["k": .array([.int(1), .string("")])])]), "d": .double(2.5),
        ])
        #expect(FastJSON.data(value, pretty: true) == (try CanonicalJSON.data(value, pretty: true)))
        #expect(FastJSON.data(value) == (try CanonicalJSON.data(value)))
    }
}

/// The export's writers agree with JSONEncoder byte for byte, and its reader with JSONDecoder value for value: held
/// keys are compared byte for byte when an export resumes, so a faster renderer must write the same bytes.
@Suite struct DirectRenderingTests {
    static func awkward() -> Conversation {
        var c = ConversationGenerator(seed: 1, orgId: "o").conversation(0)
        c.messages[0].text = "quote \" backslash \\ slash / tab \t newline \n bell \u{7} nul \u{0} <script>é 😕 \u{2028}"
        c.messages[0].stickers = [.init(id: "s1", url: "https://x.invalid/a")]
        c.messages[0].media = []
        c.participants[0].userId = nil
        c.participants[0].externalContactId = nil
        c.participants[0].name = ""
        c.messages[1].text = nil
        return c
    }

    static func conversations() -> [Conversation] {
        let generator = ConversationGenerator(seed: 11, orgId: "c0269c73-d0b8-4863-831c-beffe2a01d8f")
        return (0..<400).map(generator.conversation) + [awkward()]
    }

    @Test func transcriptsAndSidecarsAreJSONEncodersBytes() throws {
        for (i, c) in Self.conversations().enumerated() {
            let doc = c.recording(exportedDate: i % 2 == 0 ? nil : "2023-05-01T00:00:00.000Z")
            #expect(doc.prettyData == (try CanonicalJSON.data(doc, pretty: true)), "transcript \(i)")
            let sidecar = RecordingSidecar(conversation: c, jobId: "job-\(i)", caseId: i % 3 == 0 ? nil : "LH-\(i)")
            #expect(sidecar.prettyData == (try CanonicalJSON.data(sidecar, pretty: true)), "sidecar \(i)")
        }
        var empty = Self.awkward()
        empty.messages = []
        empty.participants = []
        #expect(empty.recording(exportedDate: nil).prettyData == (try CanonicalJSON.data(empty.recording(exportedDate: nil), pretty: true)))
        let sidecar = RecordingSidecar(conversation: empty, jobId: "j", caseId: nil)
        #expect(sidecar.prettyData == (try CanonicalJSON.data(sidecar, pretty: true)))
    }

    /// Fixed bytes, apart from JSONEncoder: the digest was taken when the writers became one each (and JSONEncoder
    /// wrote the same bytes), so neither they nor a newer Foundation can drift unseen.
    @Test func theExportedBytesOfTheseConversationsAreUnchanged() {
        var all = Data()
        for (i, c) in Self.conversations().enumerated() {
            all += c.recording(exportedDate: i % 2 == 0 ? nil : "2023-05-01T00:00:00.000Z").prettyData
            all += RecordingSidecar(conversation: c, jobId: "job-\(i)", caseId: i % 3 == 0 ? nil : "LH-\(i)").prettyData
            all += Data(ConversationJSON.string(c).utf8)
        }
        #expect(Digest.sha256Hex(all) == "d049342f46d59c95ae2d5e60f75a179605d431fcbe57db039391f4517b4c4bbb")
    }

    @Test func theReaderReadsStoredConversationsAsJSONDecoderDoes() throws {
        for c in Self.conversations() {
            let stored = ConversationJSON.string(c)
            #expect(Conversation.stored(stored) == c)
            #expect(Conversation.stored(stored) == (try JSONDecoder().decode(Conversation.self, from: Data(stored.utf8))))
        }
        // Hand-written documents: spaces, escapes JSONEncoder never writes, surrogate pairs, nulls for optionals.
        let text = #"""
         { "id":"c1", "orgId":"o", "messengerType":"whatsapp", "startTime":"2023-01-01T00:00:00Z", "endTime":"2023-01-01T00:01:00Z",
           "queue":{"id":"q","name":"Q \u00e9 \/ \ud83d\ude15"}, "recordingId":"r",
           "participants":[{"id":"p","purpose":"customer","name":"N","address":"+44","userId":null}],
           "messages":[{"id":"m","participantId":"p","timestamp":"2023-01-01T00:00:01Z","text":null,
                        "media":[{"id":"x","url":"u","mediaType":"image/png","contentLength":12,"name":"a.png"}]}], "extra": [1.5e3, true] }
        """#
        let decoded = try JSONDecoder().decode(Conversation.self, from: Data(text.utf8))
        #expect(Conversation.stored(text) == decoded)
        #expect(decoded.queue.name == "Q é / 😕")
        // Anything that is not such a conversation is refused.
        for bad in ["", "{", #"{"id":1}"#, #"{"id":"c1"} x"#, #"["a"]"#, #"{"a":"\ud83d"}"#, #"{"a":"\x"}"#, "{\"a\":\"\u{1}\"}",
                    #"{"id":"c1","orgId":"o","messengerType":"w","startTime":"s","endTime":"e","queue":{"id":"q","name":"n"},"recordingId":"r","participants":[],"messages":[{"id":"m","participantId":"p","timestamp":"t","media":[{"id":"x","url":"u","mediaType":"m","contentLength":1.5,"name":"n"}]}]}"#] {
            #expect(Conversation.stored(bad) == nil, "\(bad)")
        }
        #expect(FastJSONReader.parse(#"{"a":[1,-2,3.25,1e2,"",{}],"b":{"c":null,"d":false}}"#)
                == .object(["a": .array([.int(1), .int(-2), .double(3.25), .double(100), .string(""), .object([:])]),
                            "b": .object(["c": .null, "d": .bool(false)])]))
        for bad in ["01", "1.", "-", "[1,]", #"{"a" 1}"#, "tru", "[1] [2]", #""\u12""#] { #expect(FastJSONReader.parse(bad) == nil, "\(bad)") }
    }
}
