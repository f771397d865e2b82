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
        let (start, end) = (Timestamp.millis(interval.start), Timestamp.millis(interval.end))
        let filter = query.selection.predicatesSQL()
        let arguments: StatementArguments = [orgId, start, end] + StatementArguments(filter.values)
        // Counted and paged on the (org_id, start_time, id, deleted, messenger_type) index: a filter on the message
        // type or the id reads no document; a queue filter, or an order by end time, reads the range's documents.
        let scope = "FROM conversation WHERE org_id = ? AND deleted = 0 AND start_time >= ? AND start_time < ? AND \(filter.sql)"
        let direction = query.descending ? "DESC" : "ASC"
        let sortKey = query.orderBy.byEnd ? "json_extract(document, '$.endTime')" : "start_time"
        let countKey = DetailsCountKey(orgId: ExactKey(orgId), start: start, end: end, filter: filter.sql,
                                       values: filter.values.map(ExactKey.init))
        let generation = changes.generation(.conversation)
        let counts = caches.detailsCounts
        return try await read { db in
            let total: Int
            if let cached = counts.get(countKey, generation: generation) {
                total = cached
            } else {
                total = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(scope)", arguments: arguments) ?? 0
                counts.put(countKey, total, generation: generation)
            }
            guard query.offset < total else { return ConversationDetailsPage(totalHits: total, conversations: []) }
            let ids = try String.fetchAll(db, sql: "SELECT id \(scope) ORDER BY \(sortKey) \(direction), id \(direction) LIMIT ? OFFSET ?",
                                          arguments: arguments + [query.pageSize, query.offset])
            guard !ids.isEmpty else { return ConversationDetailsPage(totalHits: total, conversations: []) }
            // By primary key: `+org_id` keeps SQLite from reading the org's whole start-time index instead (without
            // statistics it prefers that index, and a page then cost as much as the org's size).
            let docs = try Row.fetchAll(db, sql: """
                SELECT id, document FROM conversation WHERE +org_id = ? AND id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ",")))
                """, arguments: [orgId] + StatementArguments(ids))
            var byId: [String: Conversation] = [:]
            for row in docs {
                let id: String = row["id"]
                guard let c = Conversation.storedSummary(row["document"]) else { throw UnreadableDocument(kind: "conversation", id: id) }
                byId[id] = c
            }
            return ConversationDetailsPage(totalHits: total, conversations: ids.compactMap { byId[$0] })
        }
    }

    /// What a details count depends on besides the conversations: the org, the interval and the filter (its SQL and
    /// its values).
    struct DetailsCountKey: Hashable, Sendable {
        var orgId: ExactKey
        var start: Int64
        var end: Int64
        var filter: String
        var values: [ExactKey]
    }
}
