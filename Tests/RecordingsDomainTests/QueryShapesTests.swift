import Foundation
import DocumentCodecs
import RecordingsDomain
import Testing

/// The shapes a details query, an async details job and a recording job's `conversationQuery` must have: every member
/// given has its documented type (schemathesis's negative cases found these accepted), and the async job's own rules.
@Suite struct QueryShapesTests {
    func parse(_ text: String) throws -> JSONValue { try #require(JSONValue.parse(Data(text.utf8))) }

    func fields<T>(_ result: Result<T, ValidationFailure>) -> [String] {
        if case .failure(let f) = result { return f.details.map(\.fieldName) }
        return []
    }

    static let week = "2023-01-01T00:00:00Z/2023-01-08T00:00:00Z"

    @Test func aRecordingJobsConversationQueryHasTypedMembers() throws {
        func refused(_ extra: String) throws -> [String] {
            fields(RecordingJobsQueryValidator.validate(try parse(
                #"{"action": "DELETE", "conversationQuery": {"interval": "\#(Self.week)", \#(extra)}}"#)))
        }
        #expect(try refused(#""startOfDayIntervalMatching": "yes""#) == ["conversationQuery.startOfDayIntervalMatching"])
        #expect(try refused(#""limit": "ten""#) == ["conversationQuery.limit"])
        #expect(try refused(#""order": "sideways""#) == ["conversationQuery.order"])
        #expect(try refused(#""orderBy": 7"#) == ["conversationQuery.orderBy"])
        #expect(try refused(#""surveyFilters": "x""#) == ["conversationQuery.surveyFilters"])
        #expect(try refused(#""evaluationFilters": [7]"#) == ["conversationQuery.evaluationFilters[0]"])
        #expect(try refused(#""segmentFilters": [{"type": "and", "predicates": {}}]"#) == ["conversationQuery.segmentFilters[0].predicates"])
        #expect(try refused(#""conversationFilters": [{"type": "or", "clauses": {}}]"#) == ["conversationQuery.conversationFilters[0].clauses"])
        #expect(try refused(#""segmentFilters": [{"type": "and", "predicates": [{"type": 5, "dimension": "mediaType", "value": "message"}]}]"#)
                == ["conversationQuery.segmentFilters[0].predicates[0].type"])
        #expect(try refused(#""segmentFilters": [{"type": "and", "predicates": [{"dimension": "mediaType", "operator": {}, "value": "message"}]}]"#)
                == ["conversationQuery.segmentFilters[0].predicates[0].operator"])
        #expect(try refused(#""limit": 10, "startOfDayIntervalMatching": true, "order": "desc", "orderBy": "conversationEnd""#).isEmpty)
    }

    @Test func aDetailsQuerysDataLessFiltersAndAggregationsHoldObjects() throws {
        func refused(_ extra: String) throws -> [String] {
            fields(ConversationDetailsQueryValidator.validate(try parse(#"{"interval": "\#(Self.week)", \#(extra)}"#)))
        }
        #expect(try refused(#""aggregations": [[null, null]]"#) == ["aggregations[0]"])
        #expect(try refused(#""resolutionFilters": [null]"#) == ["resolutionFilters[0]"])
        #expect(try refused(#""limit": 5"#) == ["limit"], "limit is an async job's, not a details query's")
        let nothing = try ConversationDetailsQueryValidator.validate(try parse(#"{"interval": "\#(Self.week)", "surveyFilters": [{}]}"#)).get()
        #expect(nothing.matchesNothing)
    }

    @Test func anAsyncJobTakesAnyIntervalALimitAndNoPaging() throws {
        let quarter = try ConversationDetailsQueryValidator.validate(
            try parse(#"{"interval": "2023-01-01T00:00:00Z/2023-04-01T00:00:00Z", "limit": 3}"#), form: .asyncJob).get()
        #expect(quarter.limit == 3)
        #expect(fields(ConversationDetailsQueryValidator.validate(try parse(#"{"interval": "2023-01-01T00:00:00Z/2023-04-01T00:00:00Z"}"#)))
                == ["interval"], "the details query keeps its 7 days")
        #expect(fields(ConversationDetailsQueryValidator.validate(try parse(#"{"interval": "\#(Self.week)", "paging": {}}"#), form: .asyncJob))
                == ["paging"])
        #expect(fields(ConversationDetailsQueryValidator.validate(try parse(#"{"interval": "\#(Self.week)", "limit": 0}"#), form: .asyncJob))
                == ["limit"])
    }

    @Test func jobStatesFollowTheClock() {
        let times = DetailsJobTimes(submitted: 1_000, queuedMillis: 1_000, cancelled: nil)
        #expect(times.state(now: 1_999) == .queued && times.state(now: 2_000) == .fulfilled)
        #expect(times.state(now: 2_000 + DetailsJobTimes.resultLifetimeMillis) == .expired)
        #expect(DetailsJobTimes(submitted: 1_000, queuedMillis: 1_000, cancelled: 1_500).state(now: 9_999) == .cancelled)
        #expect(DetailsJobTimes(submitted: 1_000, queuedMillis: 1_000, cancelled: 5_000).state(now: 9_999) == .fulfilled,
                "deleting a fulfilled job changes nothing")
    }

    @Test func cursorsRoundTripAndRefuseForgeries() {
        let cursor = DetailsCursor(startTime: 1_672_531_200_000, id: "7b3a67b1-89eb-4497-8c35-81b1788a7533", served: 300)
        #expect(DetailsCursor(encoded: cursor.encoded) == cursor)
        #expect(!cursor.encoded.contains("=") && !cursor.encoded.contains("/") && !cursor.encoded.contains("+"))
        for bad in ["", "not-a-cursor", Data("v2|1|2|x".utf8).base64EncodedString(), Data("v1|x|2|id".utf8).base64EncodedString(),
                    Data("v1|1|-2|id".utf8).base64EncodedString(), Data("v1|1|2|a\u{0}b".utf8).base64EncodedString(),
                    String(repeating: "A", count: 2000)] {
            #expect(DetailsCursor(encoded: bad) == nil, "\(bad)")
        }
    }
}
