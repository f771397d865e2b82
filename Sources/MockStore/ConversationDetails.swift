import DocumentCodecs
import GRDB
import RecordingsDomain

/// Conversation discovery (`POST /api/v2/analytics/conversations/details/query`): one page of an org's
/// conversations that started in the query's interval, with the number of all that match.
extension AppDatabase {
    package struct ConversationDetailsPage: Sendable {
        package var totalHits: Int
        package var conversations: [Conversation]
    }

    package func conversationDetails(orgId: String, query: ConversationDetailsQuery) async throws -> ConversationDetailsPage {
        try StoreKeys.check(orgId)
        guard !query.matchesNothing, let interval = query.selection.interval.flatMap(Timestamp.parseInterval) else {
            return ConversationDetailsPage(totalHits: 0, conversations: [])
        }
        let range: StatementArguments = [orgId, Timestamp.millis(interval.start), Timestamp.millis(interval.end)]
        let scope = "FROM conversation WHERE org_id = ? AND deleted = 0 AND start_time >= ? AND start_time < ?"
        let direction = query.descending ? "DESC" : "ASC"
        return try await read { db in
            let total: Int
            let ids: [String]
            if query.selection.predicates.isEmpty, !query.orderBy.byEnd {
                // The common query (a time range, a page of it): counted and paged on the (org_id, start_time) index.
                total = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(scope)", arguments: range) ?? 0
                ids = try String.fetchAll(db, sql: "SELECT id \(scope) ORDER BY start_time \(direction), id \(direction) LIMIT ? OFFSET ?",
                                          arguments: range + [query.pageSize, query.offset])
            } else {
                // Filters, or an order by end time: the range's rows are read for those only. The messenger type and the
                // start time come from the index; a document is opened only for a queue filter or the end time.
                let queue = query.selection.predicates.contains { $0.mentions("queueId") }
                let rows = try Row.fetchAll(db, sql: """
                    SELECT id, messenger_type, \(queue ? "json_extract(document, '$.queue.id')" : "NULL") AS queue_id,
                           \(query.orderBy.byEnd ? "json_extract(document, '$.endTime')" : "start_time") AS sort_key
                    \(scope) ORDER BY sort_key \(direction), id \(direction)
                    """, arguments: range)
                let matching = rows.filter { row in
                    query.selection.predicatesMatch(ConversationFacts(id: row["id"], messengerType: row["messenger_type"],
                                                                      queueId: row["queue_id"] ?? ""))
                }
                total = matching.count
                ids = matching.dropFirst(query.offset).prefix(query.pageSize).map { $0["id"] }
            }
            guard !ids.isEmpty else { return ConversationDetailsPage(totalHits: total, conversations: []) }
            // By primary key: `+org_id` keeps SQLite from reading the org's whole start-time index instead (without
            // statistics it prefers that index, and a page then cost as much as the org's size).
            let docs = try Row.fetchAll(db, sql: """
                SELECT id, document FROM conversation WHERE +org_id = ? AND id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ",")))
                """, arguments: [orgId] + StatementArguments(ids))
            var byId: [String: Conversation] = [:]
            for row in docs {
                let id: String = row["id"]
                guard let c = Conversation.stored(row["document"]) else { throw UnreadableDocument(kind: "conversation", id: id) }
                byId[id] = c
            }
            return ConversationDetailsPage(totalHits: total, conversations: ids.compactMap { byId[$0] })
        }
    }
}
