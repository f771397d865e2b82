import DocumentCodecs
import Foundation
@testable import GenesysMock
@testable import MockStore
import RecordingsDomain
import Testing

/// Discovery's fast paths answer exactly what the plain ones would: filters evaluated in SQL select what
/// `ConversationPredicate.matches` selects, and the hand-written details pages are `JSONEncoder`'s bytes.
@Suite struct DiscoveryCodecTests {
    static let org = "org-1"
    static let start = Timestamp.millis(Timestamp.parse("2023-01-02T00:00:00Z")!)

    /// Conversations of several messenger types, queues and id spellings, an hour apart, and one of another org.
    static func world() -> [Conversation] {
        let generator = ConversationGenerator(seed: 7, orgId: org)
        let types = ["whatsapp", "sms", "WhatsApp", "facebook"]
        return (0..<24).map { i in
            var c = generator.conversation(i)
            c.messengerType = types[i % types.count]
            c.queue.id = i % 3 == 0 ? "Queue-A" : "queue-b"
            if i % 5 == 0 { c.id = c.id.uppercased() }
            c.startTime = Timestamp.format(millis: start + Int64(i) * 3_600_000)
            if i == 23 { c.orgId = "org-2" }
            return c
        }
    }

    static func store(_ world: [Conversation]) async throws -> AppDatabase {
        let db = try AppDatabase.inMemory()
        _ = try await db.insert(conversations: world.map {
            WorldSeed.Conversation(id: $0.id, orgId: $0.orgId, messengerType: $0.messengerType,
                                   start: Timestamp.millis(Timestamp.parse($0.startTime)!), recordingId: $0.recordingId,
                                   document: ConversationJSON.string($0))
        })
        return db
    }

    static let filters: [String] = [
        #"[{"type": "and", "predicates": [{"dimension": "messageType", "value": "whatsapp"}]}]"#,
        #"[{"type": "and", "predicates": [{"dimension": "messageType", "value": "WHATSAPP"}]}]"#,
        #"[{"type": "or", "predicates": [{"dimension": "messageType", "value": "sms"}, {"dimension": "queueId", "value": "queue-a"}]}]"#,
        #"[{"type": "and", "predicates": [{"dimension": "mediaType", "value": "message"}, {"dimension": "direction", "value": "inbound"}]}]"#,
        #"[{"type": "and", "predicates": [{"dimension": "direction", "value": "outbound"}]}]"#,
        #"[{"type": "and", "predicates": [{"dimension": "queueId", "operator": "exists"}]}]"#,
        #"[{"type": "and", "predicates": [{"dimension": "queueId", "operator": "notExists"}]}]"#,
        #"[{"type": "and", "clauses": [{"type": "or", "predicates": [{"dimension": "messageType", "value": "sms"}, {"dimension": "messageType", "value": "facebook"}]}], "predicates": [{"dimension": "queueId", "value": "QUEUE-B"}]}]"#,
        #"[{"type": "or", "predicates": []}]"#,
    ]

    @Test(arguments: filters)
    func aFilterInSQLSelectsWhatTheSwiftPredicateSelects(filter: String) async throws {
        let world = Self.world()
        let db = try await Self.store(world)
        let interval = "2023-01-02T00:00:00Z/2023-01-03T00:00:00Z"
        for key in ["segmentFilters", "conversationFilters"] where !(key == "conversationFilters" && filter.contains("Type")) {
            let body = try #require(JSONValue.parse(Data(#"{"interval": "\#(interval)", "\#(key)": \#(filter), "paging": {"pageSize": 100}}"#.utf8)))
            guard case .success(let query) = ConversationDetailsQueryValidator.validate(body) else {
                // conversationFilters take only conversation dimensions: those bodies are refused, as on the platform.
                continue
            }
            let page = try await db.conversationDetails(orgId: Self.org, query: query)
            let expected = world.filter { c in
                c.orgId == Self.org && query.selection.predicatesMatch(ConversationFacts(id: c.id, messengerType: c.messengerType, queueId: c.queue.id))
            }.map(\.id)
            #expect(page.conversations.map(\.id) == expected, "\(key): \(filter)")
            #expect(page.totalHits == expected.count)
            #expect(page.conversations.allSatisfy { $0.messages.isEmpty }, "discovery reads no message")
        }
    }

    @Test func byConversationIdAnySpellingMatches() async throws {
        let world = Self.world()
        let db = try await Self.store(world)
        let target = world[5]  // an upper-cased id
        let body = try #require(JSONValue.parse(Data("""
            {"interval": "2023-01-02T00:00:00Z/2023-01-03T00:00:00Z", "conversationFilters": [{"type": "or", "predicates": [
              {"dimension": "conversationId", "value": "\(target.id.lowercased())"}]}]}
            """.utf8)))
        guard case .success(let query) = ConversationDetailsQueryValidator.validate(body) else { Issue.record("refused"); return }
        let page = try await db.conversationDetails(orgId: Self.org, query: query)
        #expect(page.conversations.map(\.id) == [target.id])
    }

    @Test func theCountOfAWeekFollowsEveryChange() async throws {
        let world = Self.world()
        let db = try await Self.store(Array(world.dropLast(2)))
        let body = try #require(JSONValue.parse(Data(#"{"interval": "2023-01-02T00:00:00Z/2023-01-03T00:00:00Z", "paging": {"pageSize": 5, "pageNumber": 2}}"#.utf8)))
        guard case .success(let query) = ConversationDetailsQueryValidator.validate(body) else { Issue.record("refused"); return }
        func total() async throws -> Int { try await db.conversationDetails(orgId: Self.org, query: query).totalHits }
        #expect(try await total() == 22)
        #expect(try await total() == 22, "the same count, now from the cache")
        try await db.write { try $0.execute(sql: "UPDATE conversation SET deleted = 1 WHERE id = ?", arguments: [world[0].id]) }
        #expect(try await total() == 21, "a deleted conversation leaves the count at once")
        _ = try await db.insert(conversations: [WorldSeed.Conversation(
            id: world[22].id, orgId: Self.org, messengerType: "sms", start: Timestamp.millis(Timestamp.parse(world[22].startTime)!),
            recordingId: world[22].recordingId, document: ConversationJSON.string(world[22]))])
        #expect(try await total() == 22, "an inserted conversation joins it at once")
    }

    @Test func theHandWrittenPageIsJSONEncodersBytes() throws {
        var world = Self.world()
        world[1].participants[0].userId = nil
        world[2].participants[0].externalContactId = "ext/\"quoted\"\n\u{1}é"
        world[3].queue.id = "q\\slash/"
        let dir = Repo.fixtures + "/conversations"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        let fixtures = try names.map { name in
            try JSONDecoder().decode(Conversation.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
        }
        let conversations = world + fixtures
        let page = AnalyticsConversationDTO.page(conversations) { w in w.append(contentsOf: Array(",\"totalHits\":42".utf8)) }
        let reference = try JSONResponse.body(AnalyticsConversationQueryResponse(
            conversations: conversations.map(AnalyticsConversationDTO.init), totalHits: 42))
        #expect(String(buffer: page) == String(buffer: reference))
        let empty = AnalyticsConversationDTO.page([]) { w in w.append(contentsOf: Array(",\"totalHits\":0".utf8)) }
        #expect(String(buffer: empty) == #"{"conversations":[],"totalHits":0}"#)
    }

    @Test func theSessionIdIsTheSameUUIDAsBefore() {
        // SHA-256 of "c1/p1", its first 16 bytes in UUID form with the version 4 layout (computed apart, with Python's
        // hashlib): session ids an SDK user has already stored stay valid.
        #expect(AnalyticsConversationDTO.derivedId("c1", "p1") == "1b809678-ed72-4277-b1fb-e2646e2be3af")
    }
}
