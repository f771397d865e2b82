import DocumentCodecs
import GRDB
import RecordingsDomain

/// Async details jobs (`/api/v2/analytics/conversations/details/jobs`): the query as submitted, and its state on
/// the mock clock. Results are read page by page in conversation-start order, resuming after the cursor's
/// conversation on the (org_id, start_time) index, so a page costs the same at the start of a million
/// conversations as at their end and no page holds more than its own rows.
extension AppDatabase {
    package struct DetailsJob: Sendable {
        package var id: String
        package var orgId: String
        package var clientId: String
        /// The `AsyncConversationQuery` as submitted (canonical JSON); validated again when results are read.
        package var query: String
        package var times: DetailsJobTimes

        package init(id: String, orgId: String, clientId: String, query: String, times: DetailsJobTimes) {
            (self.id, self.orgId, self.clientId, self.query, self.times) = (id, orgId, clientId, query, times)
        }
    }

    package struct DetailsPage: Sendable {
        package var conversations: [Conversation]
        package var next: DetailsCursor?
    }

    package func createDetailsJob(_ job: DetailsJob) async throws {
        try StoreKeys.check(job.id, job.orgId, job.clientId)
        try await write { db in
            try db.execute(sql: """
                INSERT INTO details_job (id, org_id, client_id, query, submitted, queued_ms) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [job.id, job.orgId, job.clientId, job.query, job.times.submitted, job.times.queuedMillis])
        }
    }

    package func detailsJob(id: String, orgId: String) async throws -> DetailsJob? {
        try StoreKeys.check(id, orgId)
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM details_job WHERE id = ? AND org_id = ?", arguments: [id, orgId]).map {
                DetailsJob(id: $0["id"], orgId: $0["org_id"], clientId: $0["client_id"], query: $0["query"],
                           times: DetailsJobTimes(submitted: $0["submitted"], queuedMillis: $0["queued_ms"], cancelled: $0["cancelled"]))
            }
        }
    }

    /// Cancels a job of the org that is still queued or fulfilled; false when there is no such job.
    @discardableResult
    package func cancelDetailsJob(id: String, orgId: String, now: Int64) async throws -> Bool {
        try StoreKeys.check(id, orgId)
        return try await write { db in
            try db.execute(sql: "UPDATE details_job SET cancelled = COALESCE(cancelled, ?) WHERE id = ? AND org_id = ?",
                           arguments: [now, id, orgId])
            return db.changesCount > 0
        }
    }

    /// One page of an async job's results: the org's conversations of the query's interval that match its
    /// filters, after `cursor`, at most `pageSize` and no more than the query's `limit` in all.
    /// The rows one results request reads at most before it answers (with a cursor to go on).
    static let maxScannedPerPage = 50_000

    package func detailsJobPage(orgId: String, query: ConversationDetailsQuery, after cursor: DetailsCursor?,
                                pageSize: Int) async throws -> DetailsPage {
        try StoreKeys.check(orgId, cursor?.id)
        let served = cursor?.served ?? 0
        let want = min(pageSize, (query.limit ?? .max) - served)
        guard want > 0, !query.matchesNothing, let interval = query.selection.interval.flatMap(Timestamp.parseInterval) else {
            return DetailsPage(conversations: [], next: nil)
        }
        let (start, end) = (Timestamp.millis(interval.start), Timestamp.millis(interval.end))
        let desc = query.descending
        let after = desc ? "(start_time < ? OR (start_time = ? AND id < ?))" : "(start_time > ? OR (start_time = ? AND id > ?))"
        let order = desc ? "start_time DESC, id DESC" : "start_time ASC, id ASC"
        let predicates = query.selection.predicates
        let queue = predicates.contains { $0.mentions("queueId") }
        return try await read { db in
            var ids: [String] = []
            var last = cursor.map { (start: $0.startTime, id: $0.id) }
            var reachedEnd = false
            var scanned = 0
            let chunk = max(want, 1000)
            // Matching reads the index alone (a queue filter opens the documents); at most `maxScanned` rows a request,
            // so a filter that matches little answers a short page with a cursor rather than reading the whole interval.
            while ids.count < want, !reachedEnd, scanned < Self.maxScannedPerPage {
                var sql = """
                    SELECT id, start_time, messenger_type, \(queue ? "json_extract(document, '$.queue.id')" : "NULL") AS queue_id
                    FROM conversation WHERE org_id = ? AND deleted = 0 AND start_time >= ? AND start_time < ?
                    """
                var args: StatementArguments = [orgId, start, end]
                if let last {
                    sql += " AND \(after)"
                    args += [last.start, last.start, last.id]
                }
                let rows = try Row.fetchAll(db, sql: sql + " ORDER BY \(order) LIMIT ?", arguments: args + [chunk])
                var consumed = 0
                for row in rows {
                    consumed += 1
                    let id: String = row["id"]
                    last = (row["start_time"], id)
                    let facts = ConversationFacts(id: id, messengerType: row["messenger_type"], queueId: row["queue_id"] ?? "")
                    guard predicates.isEmpty || query.selection.predicatesMatch(facts) else { continue }
                    ids.append(id)
                    if ids.count == want { break }
                }
                scanned += consumed
                reachedEnd = rows.count < chunk && consumed == rows.count
            }
            var found: [Conversation] = []
            found.reserveCapacity(ids.count)
            let read = try db.cachedStatement(sql: "SELECT document FROM conversation WHERE id = ? AND +org_id = ?")
            for id in ids {
                guard let text = try String.fetchOne(read, arguments: [id, orgId]), let c = Conversation.storedSummary(text) else {
                    throw UnreadableDocument(kind: "conversation", id: id)
                }
                found.append(c)
            }
            let total = served + found.count
            guard !reachedEnd, let last, total < (query.limit ?? .max) else { return DetailsPage(conversations: found, next: nil) }
            return DetailsPage(conversations: found, next: DetailsCursor(startTime: last.start, id: last.id, served: total))
        }
    }
}
