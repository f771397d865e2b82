import Foundation

/// A valid `ConversationQuery` (POST /api/v2/analytics/conversations/details/query, CONTRACT §15): the
/// conversations it selects, their order and the page asked for.
public struct ConversationDetailsQuery: Sendable, Equatable {
    public enum OrderBy: String, Sendable, CaseIterable {
        case conversationStart, conversationEnd, segmentStart, segmentEnd

        /// Each conversation of the mock has one segment per session, spanning the conversation.
        public var byEnd: Bool { self == .conversationEnd || self == .segmentEnd }
    }

    /// The interval (start inclusive, end exclusive, on the conversation start) and the filters.
    public var selection: JobSelection
    public var descending: Bool
    public var orderBy: OrderBy
    public var pageSize: Int
    public var pageNumber: Int
    /// Evaluation, survey or resolution filters were given: the mock's conversations have none of these, so
    /// nothing matches.
    public var matchesNothing: Bool

    /// An async job's `limit`: at most this many conversations in its results.
    public var limit: Int?

    public var offset: Int { (pageNumber - 1) * pageSize }
}

public enum ConversationDetailsQueryValidator {
    /// A `ConversationQuery` (the details query) or an `AsyncConversationQuery` (an async details job: no 7-day
    /// limit and no paging; its results are read with a cursor).
    public enum Form: Sendable { case query, asyncJob }

    static let keys = ["interval", "conversationFilters", "segmentFilters", "evaluationFilters", "surveyFilters",
                       "resolutionFilters", "order", "orderBy", "aggregations", "paging"]
    static let asyncKeys = ["interval", "conversationFilters", "segmentFilters", "evaluationFilters", "surveyFilters",
                            "resolutionFilters", "order", "orderBy", "limit", "startOfDayIntervalMatching"]
    static let segmentDimensions = ["mediaType", "messageType", "queueId", "direction", "conversationId"]
    static let conversationDimensions = ["conversationId", "originatingDirection"]
    /// The platform's limit on a details query's interval (the async details jobs take longer ones).
    public static let maxIntervalSeconds: Double = 7 * 86_400
    public static let maxPageSize = 100
    public static let defaultPageSize = 25

    public static func validate(_ json: JSONValue, form: Form = .query) -> Result<ConversationDetailsQuery, ValidationFailure> {
        let model = form == .query ? "ConversationQuery" : "AsyncConversationQuery"
        guard case .object(var o) = json else {
            return .failure(ValidationFailure(violations: [
                Violation(ExportErrorCode.badRequest, "body", "The request body must be a \(model) object, not \(json.kindName)"),
            ]))
        }
        o = o.filter { $0.value != .null }  // the SDK drops None; a literal null means "not given"
        var v = ExportRequestValidator.unknownKeys(o, known: form == .query ? keys : asyncKeys, path: "")
        var selection = JobSelection()
        switch o["interval"] {
        case nil:
            v.append(Violation(ExportErrorCode.badRequest, "interval",
                               "interval is required: 'start/end' in ISO-8601\(form == .query ? ", at most 7 days long" : "")"))
        case let raw?:
            if let s = raw.stringValue, let iv = Timestamp.parseInterval(s), iv.start < iv.end {
                if form == .query, iv.end.timeIntervalSince(iv.start) > maxIntervalSeconds {
                    v.append(Violation(ExportErrorCode.badRequest, "interval",
                                       "interval must not exceed 7 days; query longer periods with an async details job"))
                }
                selection.interval = s
            } else {
                v.append(Violation(ExportErrorCode.invalidDate, "interval",
                                   "interval must be an ISO-8601 interval 'start/end' with start before end, e.g. 2023-01-01T00:00:00.000Z/2023-01-08T00:00:00.000Z"))
            }
        }
        let descending = QueryOptions.descending(o, path: "", into: &v)
        let orderBy = QueryOptions.orderBy(o, path: "", into: &v)
        let (pageSize, pageNumber) = paging(o["paging"], into: &v)
        // The mock's conversations have no evaluations, surveys or resolutions: a filter on them matches nothing.
        let matchesNothing = !QueryOptions.dataLessFiltersGiven(o, path: "", into: &v).isEmpty
        if let raw = o["aggregations"] { _ = QueryOptions.objects(raw, field: "aggregations", into: &v) }
        var limit: Int?
        if let raw = o["limit"] {
            if case .int(let n) = raw, n >= 1 { limit = n } else {
                v.append(Violation(ExportErrorCode.invalidValue, "limit", "limit must be a whole number, 1 or more"))
            }
        }
        if let raw = o["startOfDayIntervalMatching"], raw != .bool(true), raw != .bool(false) {
            v.append(Violation(ExportErrorCode.badRequest, "startOfDayIntervalMatching", "startOfDayIntervalMatching must be a boolean, not \(raw.kindName)"))
        }
        selection.predicates += FilterParser.filters(of: o, path: "", segment: segmentDimensions,
                                                     conversation: conversationDimensions, into: &v)
        guard v.isEmpty else { return .failure(ValidationFailure(violations: v)) }
        return .success(ConversationDetailsQuery(selection: selection, descending: descending, orderBy: orderBy, pageSize: pageSize,
                                                 pageNumber: pageNumber, matchesNothing: matchesNothing, limit: limit))
    }

    /// `paging {pageSize, pageNumber}`: 1 to 100 (25 when absent), and 1 to 1,000,000.
    static func paging(_ value: JSONValue?, into v: inout [Violation]) -> (size: Int, number: Int) {
        guard let value else { return (defaultPageSize, 1) }
        guard case .object(let p) = value else {
            v.append(Violation(ExportErrorCode.badRequest, "paging", "paging must be an object {pageSize, pageNumber}"))
            return (defaultPageSize, 1)
        }
        v += ExportRequestValidator.unknownKeys(p, known: ["pageSize", "pageNumber"], path: "paging")
        var size = defaultPageSize, number = 1
        switch p["pageSize"] {
        case nil, .null?: break
        case .int(let n)? where (1...maxPageSize).contains(n): size = n
        default: v.append(Violation(ExportErrorCode.invalidValue, "paging.pageSize", "paging.pageSize must be a whole number from 1 to \(maxPageSize)"))
        }
        switch p["pageNumber"] {
        case nil, .null?: break
        case .int(let n)? where n >= 1 && n <= 1_000_000: number = n
        default:
            v.append(Violation(ExportErrorCode.invalidValue, "paging.pageNumber", "paging.pageNumber must be a whole number from 1 to 1000000"))
        }
        return (size, number)
    }
}
