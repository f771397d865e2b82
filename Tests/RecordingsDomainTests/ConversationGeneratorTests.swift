import RecordingsDomain
import Testing

@Suite("generated conversations")
struct ConversationGeneratorTests {
    let generator = ConversationGenerator(seed: 42, orgId: "org-1")

    @Test func theSameSeedAndIndexGiveTheSameConversation() {
        #expect(generator.conversation(7) == ConversationGenerator(seed: 42, orgId: "org-1").conversation(7))
        #expect(generator.conversation(7) != ConversationGenerator(seed: 43, orgId: "org-1").conversation(7))
    }

    @Test func everyIdIsUniqueAcrossTwoThousandConversations() {
        var ids = Set<String>()
        var count = 0
        for i in 0..<2000 {
            let c = generator.conversation(i)
            let all = [c.id, c.recordingId] + c.participants.map(\.id) + c.messages.map(\.id)
            count += all.count
            ids.formUnion(all)
        }
        #expect(ids.count == count)
    }

    @Test func generatedConversationsAreValidFixturesInTheFirstHalfOf2023() throws {
        let start = try #require(Timestamp.parse("2023-01-01T00:00:00Z"))
        let end = try #require(Timestamp.parse("2023-07-01T00:00:00Z"))
        for i in 0..<200 {
            let c = generator.conversation(i)
            #expect(c.problems.isEmpty, "conversation \(i): \(c.problems)")
            #expect(c.messengerType == "whatsapp")
            let s = try #require(c.startDate)
            #expect(s >= start && s < end)
            #expect(c.messages.count >= 3)
            #expect(c.messages.first?.timestamp == c.startTime)
        }
    }
}
