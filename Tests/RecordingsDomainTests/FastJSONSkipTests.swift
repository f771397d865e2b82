import DocumentCodecs
import Foundation
import RecordingsDomain
import Testing

/// Stepping over a value accepts exactly what reading it accepts, and the summary reader reads a stored
/// conversation less its messages.
@Suite struct FastJSONSkipTests {
    static let samples: [[UInt8]] = [
        #"{"a": [1, 2.5, -3e2, true, false, null, "x\n\u00e9\ud83d\ude00"]}"#, "[]", "{}", " \"\" ", "0", "-0.0e+1",
        #"{"a": }"#, "[1,]", #"{"a" 1}"#, "01", "1.", "-", "1e400", #""\ud800""#, #""\udc00x""#, #""\q""#, "\"a\u{1}\"",
        "[1] 2", "nul", "tru", #"{"a": [}"#, String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
        String(repeating: "[", count: 300) + String(repeating: "]", count: 300), "\"é😀\"",
    ].map { Array($0.utf8) } + [
        [0x22, 0xC3, 0x22], [0x22, 0xE0, 0x80, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
        [0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xFF, 0x22], [0x22, 0xE2, 0x82, 0xAC, 0x22],
    ]

    @Test func skipAcceptsWhatParseAccepts() {
        for (i, bytes) in Self.samples.enumerated() {
            #expect(FastJSONReader.wellFormed(bytes) == (FastJSONReader.parse(bytes) != nil), "sample \(i): \(String(decoding: bytes, as: UTF8.self).prefix(40))")
        }
    }

    @Test func theSummaryIsTheConversationLessItsMessages() {
        let generator = ConversationGenerator(seed: 3, orgId: "o")
        for index in 0..<50 {
            var c = generator.conversation(index)
            let text = ConversationJSON.string(c)
            c.messages = []
            #expect(Conversation.storedSummary(text) == c, "conversation \(index)")
        }
    }

    @Test(arguments: [#""messages": {}"#, #""messages": "x""#, #""messages": [1,"#, #""messages": ["\u0"]"#])
    func messagesThatAreNotAnArrayAreRefused(member: String) {
        let c = ConversationGenerator(seed: 3, orgId: "o").conversation(0)
        let text = ConversationJSON.string(c).replacingOccurrences(of: #""messages":["#, with: "\(member), \"ignored\":[")
        #expect(Conversation.storedSummary(text) == nil)
        #expect(Conversation.stored(text) == nil)
    }
}
