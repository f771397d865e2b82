import RecordingsDomain

/// A recording-job or details-query filter as a condition on a `conversation` row, with the meaning of
/// `ConversationPredicate.matches`: values compare case-insensitively (the client's value lowercased, the column's
/// ASCII letters folded, as SQLite's NOCASE does; the mock's ids and messenger types are ASCII), a dimension the
/// mock's conversations always have (`mediaType` "message", `direction` "inbound") is a constant, and so is one
/// they never have. The messenger type and the id come from the (org_id, start_time, id, deleted, messenger_type)
/// index, so a filter on them reads no document; only a queue filter opens them.
extension ConversationPredicate {
    func sql(into values: inout [String]) -> String {
        switch self {
        case .all(let items):
            return items.isEmpty ? "1" : "(" + items.map { $0.sql(into: &values) }.joined(separator: " AND ") + ")"
        case .any(let items):
            return items.isEmpty ? "1" : "(" + items.map { $0.sql(into: &values) }.joined(separator: " OR ") + ")"
        case .dimension(let name, let op, let value):
            let column: String
            switch name {
            case "messageType": column = "messenger_type"
            case "conversationId": column = "id"
            case "queueId": column = "json_extract(document, '$.queue.id')"
            default:
                // A constant of the mock's conversations: the Swift predicate decides it once for all rows.
                let facts = ConversationFacts(id: "", messengerType: "", queueId: "")
                return self.matches(facts) ? "1" : "0"
            }
            switch op {
            case "exists": return "1"  // every conversation has these three
            case "notExists": return "0"
            default:
                guard let value else { return "0" }
                values.append(value.lowercased())
                return "\(column) = ? COLLATE NOCASE"
            }
        }
    }
}

extension JobSelection {
    /// All of the selection's predicates as one SQL condition (`1` when there are none) and the values of its `?`s.
    func predicatesSQL() -> (sql: String, values: [String]) {
        var values: [String] = []
        let sql = ConversationPredicate.all(predicates).sql(into: &values)
        return (sql, values)
    }
}
