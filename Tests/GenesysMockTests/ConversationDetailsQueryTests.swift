import Foundation
import Testing

/// `POST /api/v2/analytics/conversations/details/query` (CONTRACT §15): the caller's org's conversations of an
/// interval of at most 7 days, filtered, ordered and paged, each with what the downloader reads next.
@Suite struct ConversationDetailsQueryTests {
    static let path = "/api/v2/analytics/conversations/details/query"

    /// The seeded conversations of an org starting in [from, to), in start order.
    static func seeded(org: String = Seed.orgId, from: String, to: String) throws -> [FixtureConversation] {
        try FixtureConversation.all().filter { $0.orgId == org && $0.startTime >= from && $0.startTime < to }
            .sorted { ($0.startTime, $0.id) < ($1.startTime, $1.id) }
    }

    static func query(_ client: Client, _ body: String, token: String) async throws -> [String: Any] {
        let response = try await client.call(.post, path, token: token, json: body)
        #expect(response.status == .ok, "body: \(response.text)")
        return try response.object()
    }

    static func ids(_ answer: [String: Any]) -> [String] {
        (answer["conversations"] as? [[String: Any]] ?? []).compactMap { $0["conversationId"] as? String }
    }

    @Test func aWeekListsTheOrgsConversationsInStartOrderWithTheirRecordings() async throws {
        let expected = try Self.seeded(from: "2023-01-01", to: "2023-01-08")
        #expect(!expected.isEmpty, "the fixtures have conversations in the first week of 2023")
        try await withServer { client in
            let token = try await client.token()
            let answer = try await Self.query(client, #"{"interval": "2023-01-01T00:00:00.000Z/2023-01-08T00:00:00.000Z"}"#, token: token)
            #expect(answer["totalHits"] as? Int == expected.count)
            #expect(Self.ids(answer) == expected.map(\.id))
            let first = try #require((answer["conversations"] as? [[String: Any]])?.first)
            #expect(first["originatingDirection"] as? String == "inbound")
            #expect((first["conversationStart"] as? String)?.hasSuffix("Z") == true)
            let participants = try #require(first["participants"] as? [[String: Any]])
            #expect(participants.count >= 2)
            let customer = try #require(participants.first { $0["purpose"] as? String == "customer" })
            let session = try #require((customer["sessions"] as? [[String: Any]])?.first)
            #expect(session["mediaType"] as? String == "message" && session["messageType"] as? String == expected[0].messengerType)
            #expect(session["recording"] as? Bool == true && session["recordingId"] == nil, "AnalyticsSession has no recordingId")
            let segment = try #require((session["segments"] as? [[String: Any]])?.first)
            #expect(segment["segmentType"] as? String == "interact" && segment["queueId"] is String)
            // Stable ids: the same query answers the same session ids.
            let again = try await Self.query(client, #"{"interval": "2023-01-01T00:00:00Z/2023-01-08T00:00:00Z"}"#, token: token)
            #expect(NSDictionary(dictionary: again).isEqual(to: answer))
        }
    }

    @Test func pagesOrderAndFiltersAnswerAsAsked() async throws {
        // The week of the fixtures with the most conversations of the first org, one of them SMS.
        let week = try Self.seeded(from: "2023-06-07", to: "2023-06-14")
        try #require(week.count >= 3 && week.contains { $0.messengerType == "sms" })
        try await withServer { client in
            let token = try await client.token()
            let interval = "2023-06-07T00:00:00Z/2023-06-14T00:00:00Z"
            let page2 = try await Self.query(client, #"{"interval": "\#(interval)", "paging": {"pageSize": 1, "pageNumber": 2}}"#, token: token)
            #expect(Self.ids(page2) == [week[1].id])
            #expect(page2["totalHits"] as? Int == week.count)
            let past = try await Self.query(client, #"{"interval": "\#(interval)", "paging": {"pageSize": 100, "pageNumber": 9}}"#, token: token)
            #expect(Self.ids(past).isEmpty && past["totalHits"] as? Int == week.count)
            let desc = try await Self.query(client, #"{"interval": "\#(interval)", "order": "desc"}"#, token: token)
            #expect(Self.ids(desc) == week.reversed().map(\.id))
            let one = week[1]
            let byId = try await Self.query(client, """
                {"interval": "\(interval)", "conversationFilters": [{"type": "or", "predicates": [
                  {"type": "dimension", "dimension": "conversationId", "operator": "matches", "value": "\(one.id)"}]}]}
                """, token: token)
            #expect(Self.ids(byId) == [one.id] && byId["totalHits"] as? Int == 1)
            let sms = try await Self.query(client, """
                {"interval": "\(interval)", "segmentFilters": [{"type": "and", "predicates": [
                  {"dimension": "mediaType", "value": "message"}, {"dimension": "messageType", "value": "SMS"}]}]}
                """, token: token)
            #expect(Self.ids(sms) == week.filter { $0.messengerType == "sms" }.map(\.id))
            let outbound = try await Self.query(client, """
                {"interval": "\(interval)", "segmentFilters": [{"type": "or", "predicates": [{"dimension": "direction", "value": "outbound"}]}]}
                """, token: token)
            #expect(outbound["totalHits"] as? Int == 0)
            let evaluated = try await Self.query(client, #"{"interval": "\#(interval)", "evaluationFilters": [{"type": "and"}]}"#, token: token)
            #expect(evaluated["totalHits"] as? Int == 0)
        }
    }

    @Test func anotherOrgsConversationsAreNeverListed() async throws {
        let other = try FixtureConversation.all().filter { $0.orgId == Seed.otherOrgId }
        let first = try #require(other.min { $0.startTime < $1.startTime })
        try await withServer { client in
            let interval = Self.weekFrom(first.startTime)
            let mine = try await Self.query(client, #"{"interval": "\#(interval)"}"#, token: try await client.token())
            #expect(!Self.ids(mine).contains(first.id))
            let theirs = try await Self.query(client, #"{"interval": "\#(interval)"}"#, token: try await client.token("mock-other-org"))
            #expect(Self.ids(theirs).contains(first.id))
        }
    }

    /// The week starting at a conversation's day.
    static func weekFrom(_ startTime: String) -> String {
        let day = String(startTime.prefix(10))
        let start = ISO8601DateFormatter().date(from: day + "T00:00:00Z")!
        return "\(day)T00:00:00Z/\(ISO8601DateFormatter().string(from: start.addingTimeInterval(7 * 86_400)))"
    }

    @Test(arguments: [
        (#"{}"#, "bad.request", "interval"),
        (#"{"interval": "2023-01-01T00:00:00Z/2023-01-08T00:00:01Z"}"#, "bad.request", "interval"),
        (#"{"interval": "2023-01-08T00:00:00Z/2023-01-01T00:00:00Z"}"#, "invalid.date", "interval"),
        (#"{"interval": "last week"}"#, "invalid.date", "interval"),
        (#"{"interval": "2023-01-01T00:00:00Z/2023-01-02T00:00:00Z", "paging": {"pageSize": 101}}"#, "invalid.value", "paging.pageSize"),
        (#"{"interval": "2023-01-01T00:00:00Z/2023-01-02T00:00:00Z", "paging": {"pageNumber": 0}}"#, "invalid.value", "paging.pageNumber"),
        (#"{"interval": "2023-01-01T00:00:00Z/2023-01-02T00:00:00Z", "order": "newest"}"#, "invalid.value", "order"),
        (#"{"interval": "2023-01-01T00:00:00Z/2023-01-02T00:00:00Z", "orderBy": "duration"}"#, "invalid.value", "orderBy"),
        (#"{"interval": "2023-01-01T00:00:00Z/2023-01-02T00:00:00Z", "intervall": "x"}"#, "bad.request", "intervall"),
        (#"{"interval": "2023-01-01T00:00:00Z/2023-01-02T00:00:00Z", "segmentFilters": [{"type": "and", "predicates": [{"dimension": "wrapUpCode", "value": "x"}]}]}"#,
         "bad.request", "segmentFilters[0].predicates[0].dimension"),
        (#"{"interval": "2023-01-01T00:00:00Z/2023-01-02T00:00:00Z", "segmentFilters": [{"type": "and", "predicates": [{"dimension": "queueId", "operator": "like", "value": "x"}]}]}"#,
         "invalid.value", "segmentFilters[0].predicates[0].operator"),
        (#"["interval"]"#, "bad.request", "body"),
    ])
    func badQueriesAre400NamingTheField(body: String, code: String, field: String) async throws {
        try await withServer { client in
            let response = try await client.call(.post, Self.path, token: try await client.token(), json: body)
            let error = try assertErrorBody(response, .badRequest, code)
            #expect(detailFields(error).contains(field), "details: \(response.text)")
        }
    }

    @Test func aClientWithoutTheAnalyticsPermissionIs403() async throws {
        try await withServer { client in
            let none = try await client.call(.post, Self.path, json: #"{"interval": "2023-01-01T00:00:00Z/2023-01-02T00:00:00Z"}"#)
            #expect(none.status == .unauthorized)
            let created = try await client.call(.post, "/__admin/oauth-clients", json: """
                {"clientId": "no-analytics", "clientSecret": "no-analytics-secret", "permissions": ["recording:recording:view"]}
                """)
            #expect(created.status == .created, "\(created.text)")
            let denied = try await client.call(.post, Self.path, token: try await client.token("no-analytics"),
                                               json: #"{"interval": "2023-01-01T00:00:00Z/2023-01-02T00:00:00Z"}"#)
            let error = try assertErrorBody(denied, .forbidden, "missing.permissions")
            #expect((error["message"] as? String)?.contains("analytics:conversationDetail:view") == true)
        }
    }
}
