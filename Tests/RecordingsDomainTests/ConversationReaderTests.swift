import Foundation
import DocumentCodecs
import RecordingsDomain
import Testing

/// The stored-conversation reader (the only one) gives what JSONDecoder gives for the same document with its
/// duplicate members resolved (the last wins), and refuses what is not a conversation.
@Suite struct ConversationReaderTests {
    static func general(_ text: String) -> Conversation? {
        FastJSONReader.parse(text).flatMap { try? JSONDecoder().decode(Conversation.self, from: FastJSON.data($0)) }
    }

    @Test func generatedConversationsReadAsStored() {
        let generator = ConversationGenerator(seed: 11, orgId: "c0269c73-d0b8-4863-831c-beffe2a01d8f")
        for index in 0..<300 {
            let c = generator.conversation(index)
            #expect(Conversation.stored(ConversationJSON.string(c)) == c, "conversation \(index)")
        }
    }

    static let base = #"""
        {"id":"c1","orgId":"o","messengerType":"whatsapp","startTime":"2023-01-01T00:00:00Z","endTime":"2023-01-01T00:01:00Z",
         "queue":{"id":"q","name":"Q"},"recordingId":"r",
         "participants":[{"id":"p","purpose":"customer","name":"N","address":"+44","userId":"u","externalContactId":null}],
         "messages":[{"id":"m","participantId":"p","timestamp":"2023-01-01T00:00:01Z","text":"hi",
                      "media":[{"id":"x","url":"u","mediaType":"image/png","contentLength":12,"name":"a.png"}],"stickers":null}]}
        """#

    /// Documents JSONDecoder accepts: the stored reader gives the same conversation.
    @Test(arguments: [
        base,
        base.replacingOccurrences(of: #""id":"c1","#, with: #""id":"c0","id":"c1","#),
        base.replacingOccurrences(of: #""queue":{"id":"q","name":"Q"}"#, with: #""queue":{"id":"x","name":"y"},"queue":{"name":"Q","id":"q","n":[{}]}"#),
        base.replacingOccurrences(of: #""text":"hi""#, with: #""text":null,"text":"h\u0069","more":{"a":[1,2.5,"s",null,true]}"#),
        base.replacingOccurrences(of: #""stickers":null"#, with: #""stickers":[{"id":"s","url":"v","w":1}]"#),
        base.replacingOccurrences(of: #""media":[{"#, with: #""media":null,"media":[{"#),
        base.replacingOccurrences(of: #""userId":"u""#, with: #""\u0075serId" : "u" "#),
        base.replacingOccurrences(of: ",", with: " ,\n\t").replacingOccurrences(of: ":", with: " : "),
        base.replacingOccurrences(of: #""participants":[{"#, with: #""participants":[ ],"participants":[{"#),
        base.replacingOccurrences(of: #""contentLength":12"#, with: #""contentLength": -0"#),
    ])
    func theStoredReaderGivesWhatJSONDecoderGives(text: String) throws {
        let general = try #require(Self.general(text), "JSONDecoder accepts it")
        #expect(Conversation.stored(text) == general)
    }

    /// Documents that are not conversations (a member missing, of another type, a number with a fraction where an
    /// integer belongs, a last duplicate of another type, malformed JSON): refused.
    @Test(arguments: [
        base.replacingOccurrences(of: #""id":"c1","#, with: ""),
        base.replacingOccurrences(of: #""contentLength":12"#, with: #""contentLength":12.0"#),
        base.replacingOccurrences(of: #""contentLength":12"#, with: #""contentLength":"12""#),
        base.replacingOccurrences(of: #""text":"hi""#, with: #""text":5"#),
        base.replacingOccurrences(of: #""stickers":null"#, with: #""stickers":{}"#),
        base.replacingOccurrences(of: #""queue":{"id":"q","name":"Q"}"#, with: #""queue":{"id":"q"}"#),
        base.replacingOccurrences(of: #""queue":{"id":"q","name":"Q"}"#, with: #""queue":{"id":"q","name":"Q"},"queue":{"id":"q"}"#),
        base.replacingOccurrences(of: #""userId":"u""#, with: #""userId":"u","userId":1"#),
        base + " x",
        base.replacingOccurrences(of: #""stickers":null}]}"#, with: #""stickers":null},]}"#),
        String(base.dropLast()),
    ])
    func theStoredReaderRefusesWhatIsNotAConversation(text: String) {
        #expect(Conversation.stored(text) == nil)
    }

    /// The last of duplicate members wins even when an earlier one is of another type, at every depth.
    @Test(arguments: [
        Self.base.replacingOccurrences(of: #""id":"c1","#, with: #""id":1,"id":"c1","#),
        Self.base.replacingOccurrences(of: #""queue":{"id":"q","name":"Q"}"#, with: #""queue":7,"queue":{"id":"q","name":"Q"}"#),
        Self.base.replacingOccurrences(of: #""contentLength":12"#, with: #""contentLength":"12","contentLength":12"#),
        Self.base.replacingOccurrences(of: #""stickers":null"#, with: #""stickers":{},"stickers":null"#),
        Self.base.replacingOccurrences(of: #""messages":[{"#, with: #""messages":[1],"messages":[{"#),
    ])
    func anEarlierDuplicateOfAnotherTypeGivesWayToTheLast(text: String) throws {
        let general = try #require(Self.general(text))
        #expect(Conversation.stored(text) == general)
        #expect(general == Conversation.stored(Self.base))
    }
}
