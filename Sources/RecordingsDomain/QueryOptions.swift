import Foundation

/// What a details query (`ConversationQuery`) and a recording job's `conversationQuery` (`AsyncConversationQuery`)
/// read alike: `order`, `orderBy`, and the evaluation, survey and resolution filters the mock has no data for. Each
/// member present must have its documented type; `path` prefixes the field names (`conversationQuery.`).
enum QueryOptions {
    static let dataLessFilters = ["evaluationFilters", "surveyFilters", "resolutionFilters"]

    /// True for `desc`; `asc` and `unordered` are ascending.
    static func descending(_ o: [String: JSONValue], path: String, into v: inout [Violation]) -> Bool {
        guard let raw = o["order"] else { return false }
        switch raw.stringValue {
        case "asc"?, "unordered"?: return false
        case "desc"?: return true
        default:
            v.append(Violation(ExportErrorCode.invalidValue, "\(path)order", "\(path)order must be asc, desc or unordered"))
            return false
        }
    }

    static func orderBy(_ o: [String: JSONValue], path: String, into v: inout [Violation]) -> ConversationDetailsQuery.OrderBy {
        guard let raw = o["orderBy"] else { return .conversationStart }
        if let s = raw.stringValue, let parsed = ConversationDetailsQuery.OrderBy(rawValue: s) { return parsed }
        v.append(Violation(ExportErrorCode.invalidValue, "\(path)orderBy",
                           "\(path)orderBy must be one of \(ConversationDetailsQuery.OrderBy.allCases.map(\.rawValue).joined(separator: ", "))"))
        return .conversationStart
    }

    /// The data-less filters given with at least one item (each must be an array of objects).
    static func dataLessFiltersGiven(_ o: [String: JSONValue], path: String, into v: inout [Violation]) -> [String] {
        dataLessFilters.filter { key in
            guard let raw = o[key] else { return false }
            return !objects(raw, field: "\(path)\(key)", into: &v).isEmpty
        }
    }

    /// The items of an array that must hold objects only.
    static func objects(_ raw: JSONValue, field: String, into v: inout [Violation]) -> [[String: JSONValue]] {
        guard case .array(let items) = raw else {
            v.append(Violation(ExportErrorCode.badRequest, field, "\(field) must be an array, not \(raw.kindName)"))
            return []
        }
        var out: [[String: JSONValue]] = []
        for (i, item) in items.enumerated() {
            if case .object(let o) = item { out.append(o) } else {
                v.append(Violation(ExportErrorCode.badRequest, "\(field)[\(i)]", "\(field)[\(i)] must be an object, not \(item.kindName)"))
            }
        }
        return out
    }
}
