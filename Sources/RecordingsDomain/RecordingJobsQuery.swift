import Foundation

/// A valid `RecordingJobsQuery` (POST /api/v2/recording/jobs, GENESYS-FACTS §1.2), reduced to what the job
/// machine needs, plus the query as accepted (echoed back as `recordingJobsQuery`).
public struct RecordingJobPlan: Sendable, Equatable {
    public enum Action: String, Sendable, Codable, CaseIterable {
        case export = "EXPORT"
        case delete = "DELETE"
        case archive = "ARCHIVE"
    }

    public var action: Action
    public var integrationId: String?
    public var selection: JobSelection
    public var echo: JSONValue
}

public enum RecordingJobsQueryValidator {
    static let keys = ["action", "actionDate", "actionAge", "screenRecordingActionDate", "screenRecordingActionAge",
                       "integrationId", "includeRecordingsWithSensitiveData", "includeScreenRecordings",
                       "includePolicyBasedRecordings", "includeSnippetRecordings", "clearExport", "conversationQuery",
                       "agedConversationInterval"]
    static let booleans = ["includeRecordingsWithSensitiveData", "includeScreenRecordings", "includePolicyBasedRecordings",
                           "includeSnippetRecordings", "clearExport"]
    static let queryKeys = ["interval", "conversationFilters", "segmentFilters", "evaluationFilters", "surveyFilters",
                            "resolutionFilters", "order", "orderBy", "limit", "startOfDayIntervalMatching"]
    static let segmentDimensions = ["mediaType", "messageType", "queueId"]
    static let conversationDimensions = ["conversationId"]
    /// Six months, the documented limit of `agedConversationInterval`.
    static let agedLimitSeconds: Double = 184 * 86_400

    public static func validate(_ json: JSONValue) -> Result<RecordingJobPlan, ValidationFailure> {
        guard case .object(var o) = json else {
            return .failure(ValidationFailure(violations: [
                Violation(ExportErrorCode.badRequest, "body", "The request body must be a RecordingJobsQuery object, not \(json.kindName)"),
            ]))
        }
        o = o.filter { $0.value != .null }  // the SDK drops None; a literal null means "not given"
        var v = ExportRequestValidator.unknownKeys(o, known: keys, path: "")
        var action: RecordingJobPlan.Action?
        switch o["action"] {
        case .none: v.append(Violation(ExportErrorCode.badRequest, "action", "action is required: EXPORT, DELETE or ARCHIVE"))
        case .string(let s)? where RecordingJobPlan.Action(rawValue: s) != nil: action = RecordingJobPlan.Action(rawValue: s)
        case let other?:
            v.append(Violation(ExportErrorCode.invalidValue, "action",
                               "action must be EXPORT, DELETE or ARCHIVE, not \(other.stringValue.map { "\"\($0)\"" } ?? other.kindName)"))
        }
        for key in booleans {
            if let value = o[key], case .bool = value {} else if let value = o[key] {
                v.append(Violation(ExportErrorCode.badRequest, key, "\(key) must be a boolean, not \(value.kindName)"))
            }
        }
        for key in ["actionDate", "screenRecordingActionDate"] { checkDate(o[key], key, into: &v) }
        for key in ["actionAge", "screenRecordingActionAge"] {
            if let value = o[key] {
                if case .int(let n) = value, n >= 0 {} else {
                    v.append(Violation(ExportErrorCode.invalidValue, key, "\(key) must be a whole number of days, 0 or more"))
                }
            }
        }
        if o["includeScreenRecordings"] == .bool(false) {
            for key in ["screenRecordingActionDate", "screenRecordingActionAge"] where o[key] != nil {
                v.append(Violation(ExportErrorCode.badRequest, key, "\(key) requires includeScreenRecordings to be true"))
            }
        }
        var integrationId: String?
        if let raw = o["integrationId"] {
            if case .string(let s) = raw, !s.isEmpty { integrationId = s } else {
                v.append(Violation(ExportErrorCode.badRequest, "integrationId", "integrationId must be a non-empty string"))
            }
        } else if action == .export {
            v.append(Violation(ExportErrorCode.badRequest, "integrationId", "integrationId is required for the EXPORT action"))
        }
        var selection = JobSelection()
        switch (o["conversationQuery"], o["agedConversationInterval"]) {
        case (nil, nil):
            v.append(Violation(ExportErrorCode.badRequest, "conversationQuery.interval",
                               "conversationQuery with an interval is required (or agedConversationInterval for conversations older than 5 years)"))
        case (_?, _?):
            v.append(Violation(ExportErrorCode.badRequest, "agedConversationInterval",
                               "agedConversationInterval cannot be used together with conversationQuery"))
        case (let query?, nil):
            checkQuery(query, into: &v, selection: &selection)
        case (nil, let aged?):
            if let s = aged.stringValue, let iv = Timestamp.parseInterval(s), iv.start < iv.end {
                if iv.end.timeIntervalSince(iv.start) > agedLimitSeconds {
                    v.append(Violation(ExportErrorCode.badRequest, "agedConversationInterval", "agedConversationInterval must not exceed 6 months"))
                }
                selection.interval = s
            } else {
                v.append(Violation(ExportErrorCode.invalidDate, "agedConversationInterval",
                                   "agedConversationInterval must be an ISO-8601 interval 'start/end' with start before end"))
            }
        }
        guard v.isEmpty, let action else { return .failure(ValidationFailure(violations: v)) }
        // Dates go back out in the platform's form: UTC, milliseconds, Z.
        for key in ["actionDate", "screenRecordingActionDate"] {
            if let s = o[key]?.stringValue, let d = Timestamp.parse(s) { o[key] = .string(Timestamp.format(d)) }
        }
        return .success(RecordingJobPlan(action: action, integrationId: integrationId, selection: selection, echo: .object(o)))
    }

    static func checkDate(_ value: JSONValue?, _ key: String, into v: inout [Violation]) {
        guard let value else { return }
        if let s = value.stringValue, Timestamp.parse(s) != nil { return }
        v.append(Violation(ExportErrorCode.invalidDate, key, "\(key) must be an ISO-8601 date-time, e.g. 2030-01-01T00:00:00.000Z"))
    }

    static func checkQuery(_ value: JSONValue, into v: inout [Violation], selection: inout JobSelection) {
        guard case .object(let q) = value else {
            v.append(Violation(ExportErrorCode.badRequest, "conversationQuery", "conversationQuery must be an object, not \(value.kindName)"))
            return
        }
        v += ExportRequestValidator.unknownKeys(q, known: queryKeys, path: "conversationQuery")
        if let s = q["interval"]?.stringValue, let iv = Timestamp.parseInterval(s), iv.start < iv.end {
            selection.interval = s
        } else {
            v.append(Violation(q["interval"] == nil ? ExportErrorCode.badRequest : ExportErrorCode.invalidDate, "conversationQuery.interval",
                               "conversationQuery.interval is required: 'start/end' in ISO-8601, start before end"))
        }
        for key in QueryOptions.dataLessFiltersGiven(q, path: "conversationQuery.", into: &v) {
            v.append(Violation(ExportErrorCode.badRequest, "conversationQuery.\(key)", "conversationQuery.\(key) is not supported by genesys-mock"))
        }
        _ = QueryOptions.descending(q, path: "conversationQuery.", into: &v)
        _ = QueryOptions.orderBy(q, path: "conversationQuery.", into: &v)
        if let raw = q["limit"] {
            if case .int(let n) = raw, n >= 1 {} else {
                v.append(Violation(ExportErrorCode.invalidValue, "conversationQuery.limit", "conversationQuery.limit must be a whole number, 1 or more"))
            }
        }
        if let raw = q["startOfDayIntervalMatching"] {
            if case .bool = raw {} else {
                v.append(Violation(ExportErrorCode.badRequest, "conversationQuery.startOfDayIntervalMatching",
                                   "conversationQuery.startOfDayIntervalMatching must be a boolean, not \(raw.kindName)"))
            }
        }
        selection.predicates += FilterParser.filters(of: q, path: "conversationQuery.", segment: segmentDimensions,
                                                     conversation: conversationDimensions, into: &v)
    }
}

/// Parses `{"type": "and"|"or", "predicates": [...], "clauses": [{"type", "predicates"}]}`.
struct FilterParser {
    let dimensions: [String]

    /// The `segmentFilters` and `conversationFilters` arrays of a query object, each filter read with the dimensions
    /// of its kind; `path` prefixes the field names of violations (`conversationQuery.` for a recording job's).
    static func filters(of q: [String: JSONValue], path: String, segment: [String], conversation: [String],
                        into v: inout [Violation]) -> [ConversationPredicate] {
        var out: [ConversationPredicate] = []
        for (key, dims) in [("segmentFilters", segment), ("conversationFilters", conversation)] {
            guard let raw = q[key] else { continue }
            guard case .array(let filters) = raw else {
                v.append(Violation(ExportErrorCode.badRequest, "\(path)\(key)", "\(path)\(key) must be an array"))
                continue
            }
            for (i, f) in filters.enumerated() {
                if let p = FilterParser(dimensions: dims).filter(f, path: "\(path)\(key)[\(i)]", into: &v) { out.append(p) }
            }
        }
        return out
    }

    func filter(_ value: JSONValue, path: String, into v: inout [Violation]) -> ConversationPredicate? {
        guard case .object(let o) = value else {
            v.append(Violation(ExportErrorCode.badRequest, path, "\(path) must be an object"))
            return nil
        }
        let type = o["type"]?.stringValue
        guard type == "and" || type == "or" else {
            v.append(Violation(ExportErrorCode.invalidValue, "\(path).type", "\(path).type must be \"and\" or \"or\""))
            return nil
        }
        var parts: [ConversationPredicate] = []
        for key in ["predicates", "clauses"] {
            guard let raw = o[key] else { continue }
            guard case .array(let items) = raw else {
                v.append(Violation(ExportErrorCode.badRequest, "\(path).\(key)", "\(path).\(key) must be an array, not \(raw.kindName)"))
                continue
            }
            for (i, item) in items.enumerated() {
                let at = "\(path).\(key)[\(i)]"
                let parsed = key == "predicates" ? predicate(item, path: at, into: &v) : filter(item, path: at, into: &v)
                if let parsed { parts.append(parsed) }
            }
        }
        return type == "and" ? .all(parts) : .any(parts)
    }

    func predicate(_ value: JSONValue, path: String, into v: inout [Violation]) -> ConversationPredicate? {
        guard case .object(let o) = value else {
            v.append(Violation(ExportErrorCode.badRequest, path, "\(path) must be an object"))
            return nil
        }
        if let raw = o["type"], raw.stringValue == nil {
            v.append(Violation(ExportErrorCode.invalidValue, "\(path).type", "\(path).type must be a string, not \(raw.kindName)"))
            return nil
        }
        let type = o["type"]?.stringValue ?? "dimension"
        guard type == "dimension" else {
            v.append(Violation(ExportErrorCode.badRequest, "\(path).type", "\(path): only dimension predicates are supported by genesys-mock"))
            return nil
        }
        guard let dimension = o["dimension"]?.stringValue, dimensions.contains(dimension) else {
            let given = o["dimension"]?.stringValue.map { "'\($0)' " } ?? ""
            v.append(Violation(ExportErrorCode.badRequest, "\(path).dimension",
                               "\(path).dimension \(given)is not supported: genesys-mock filters on \(dimensions.joined(separator: ", "))"))
            return nil
        }
        let op = o["operator"].map { $0.stringValue ?? "" } ?? "matches"
        guard ["matches", "exists", "notExists"].contains(op) else {
            v.append(Violation(ExportErrorCode.invalidValue, "\(path).operator", "\(path).operator must be matches, exists or notExists"))
            return nil
        }
        let value = o["value"]?.stringValue
        if op == "matches", value == nil {
            v.append(Violation(ExportErrorCode.badRequest, "\(path).value", "\(path).value is required with the matches operator"))
            return nil
        }
        return .dimension(name: dimension, op: op, value: value)
    }
}
