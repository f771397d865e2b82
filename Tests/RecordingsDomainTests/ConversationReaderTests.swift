import Foundation
import RecordingsDomain
import Testing

/// Reading a stored conversation straight into `Conversation` gives what the general reader (a `JSONValue` tree,
/// then its members) gives, or nil and leaves the document to it.
@Suite struct ConversationReaderTests {
    static func general(_ text: String) -> Conversation? {
        guard case .object(let o)? = FastJSONReader.parse(text) else { return nil }
        return Conversation(json: o)
    }

    @Test func generatedConversationsReadAsStored() {
        let generator = ConversationGenerator(seed: 11, orgId: "c0269c73-d0b8-4863-831c-beffe2a01d8f")
        for index in 0..<300 {
            let c = generator.conversation(index)
            #expect(Conversation.direct(ConversationJSON.string(c)) == c, "conversation \(index)")
        }
    }

    static let base = #"""
        {"id":"c1","orgId":"o","messengerType":"whatsapp","startTime":"2023-01-01T00:00:00Z","endTime":"2023-01-01T00:01:00Z",
         "queue":{"id":"q","name":"Q"},"recordingId":"r",
         "participants":[{"id":"p","purpose":"customer","name":"N","address":"+44","userId":"u","externalContactId":null}],
         "messages":[{"id":"m","participantId":"p","timestamp":"2023-01-01T00:00:01Z","text":"hi",
                      "media":[{"id":"x","url":"u","mediaType":"image/png","contentLength":12,"name":"a.png"}],"stickers":null}]}
        """#

    /// Documents the general reader accepts: the direct one gives the same conversation.
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
    func theDirectReaderGivesWhatTheGeneralOneGives(text: String) throws {
        let general = try #require(Self.general(text), "the general reader accepts it")
        #expect(Conversation.direct(text) == general)
    }

    /// Documents the general reader refuses: the direct one refuses them too.
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
    func theDirectReaderRefusesWhatTheGeneralOneRefuses(text: String) {
        #expect(Self.general(text) == nil, "the general reader refuses it")
        #expect(Conversation.direct(text) == nil)
    }

    @Test func aDuplicateWhoseFirstValueIsOfAnotherTypeIsLeftToTheGeneralReader() throws {
        let text = Self.base.replacingOccurrences(of: #""id":"c1","#, with: #""id":1,"id":"c1","#)
        #expect(Conversation.direct(text) == nil)
        let general = try #require(Self.general(text))
        #expect(Conversation.fast(text) == general)
    }
}
