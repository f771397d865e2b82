import GRDB
import RecordingsDomain

/// What the export worker asks of the store: the active jobs, counting a job's work, its pending recordings.
extension AppDatabase {
    /// Every PENDING or PROCESSING job, oldest first.
    package func activeJobs() async throws -> [JobRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM job WHERE state IN ('PENDING', 'PROCESSING') ORDER BY date_created, id")
                .map(JobRecord.init(row:))
        }
    }

    /// PENDING → PROCESSING (or READY for a recording job): the matching recordings become the job's work list.
    /// Pacing starts when the query would have finished (`dateCreated + pendingMillis`), not when the worker
    /// noticed: one big clock advance must leave a job exactly where real time would have. False when the job
    /// was no longer PENDING.
    package func count(job jobId: String, now: Int64, pendingMillis: Int64) async throws -> Bool {
        try StoreKeys.check(jobId)
        return try await write { db in
            guard var job = try JobRecord.fetch(db, id: jobId), job.state == .pending,
                  let selection = job.selection ?? job.exportRequest.map({ JobSelection($0.filter) }) else { return false }
            let insert = try db.makeStatement(sql: """
                INSERT OR IGNORE INTO job_item (job_id, seq, conversation_id, recording_id, start_time, status)
                VALUES (?, ?, ?, ?, ?, 'pending')
                """)
            // Streamed from a cursor into the work list: memory stays flat whatever the number of conversations.
            var count = 0
            try Self.forEachMatchingConversation(db, orgId: job.orgId, selection: selection) { conversationId, recordingId, startTime in
                count += 1
                try insert.execute(arguments: [jobId, count, conversationId, recordingId, startTime])
            }
            try Self.apply(db, .counted(conversations: count, recordings: count), to: &job, now: now,
                           startedAt: min(now, job.dateCreated + pendingMillis))
            return true
        }
    }

    /// The job's conversations, in start order, one at a time: types, interval and ids in SQL, filter predicates in
    /// Swift.
    static func forEachMatchingConversation(_ db: Database, orgId: String, selection: JobSelection,
                                            _ body: (_ conversationId: String, _ recordingId: String, _ startTime: Int64) throws -> Void) throws {
        // The queue lives in the stored document: each matching document is parsed for it only when a predicate
        // may ask for it.
        let predicates = !selection.predicates.isEmpty
        var sql = """
            SELECT id, recording_id, start_time\(predicates ? ", messenger_type, json_extract(document, '$.queue.id') AS queue_id" : "")
            FROM conversation WHERE org_id = ? AND deleted = 0
            """
        var args: StatementArguments = [orgId]
        if let types = selection.messengerTypes {
            sql += " AND messenger_type IN (\(Array(repeating: "?", count: types.count).joined(separator: ",")))"
            args += StatementArguments(types)
        }
        if let interval = selection.interval.flatMap(Timestamp.parseInterval) {
            sql += " AND start_time >= ? AND start_time < ?"
            args += [Timestamp.millis(interval.start), Timestamp.millis(interval.end)]
        }
        if let ids = selection.conversationIds {
            sql += " AND id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ",")))"
            args += StatementArguments(ids)
        }
        sql += " ORDER BY start_time, id"
        let rows = try Row.fetchCursor(db, sql: sql, arguments: args)
        while let row = try rows.next() {
            guard !predicates
                || selection.predicatesMatch(ConversationFacts(id: row["id"], messengerType: row["messenger_type"], queueId: row["queue_id"] ?? ""))
            else { continue }
            try body(row["id"], row["recording_id"], row["start_time"])
        }
    }

    /// A recording of a job still to be handled, with its conversation's stored document (nil once deleted).
    package struct PendingItem: Sendable {
        package var seq: Int
        package var conversationId: String
        package var recordingId: String
        package var document: String?
    }

    /// Up to `limit` recordings of a job still to be handled, after `seq`; none once the job has left PROCESSING
    /// (cancelled or failed meanwhile), so a pipeline stops at its next batch.
    package func pendingItems(job jobId: String, after seq: Int, limit: Int) async throws -> [PendingItem] {
        try StoreKeys.check(jobId)
        return try await read { db in
            guard try String.fetchOne(db, sql: "SELECT state FROM job WHERE id = ?", arguments: [jobId])
                    == JobState.processing.rawValue else { return [] }
            return try Row.fetchAll(db, sql: """
                SELECT i.seq, i.conversation_id, i.recording_id, c.document FROM job_item i
                LEFT JOIN conversation c ON c.id = i.conversation_id AND c.deleted = 0
                WHERE i.job_id = ? AND i.status = 'pending' AND i.seq > ? ORDER BY i.seq LIMIT ?
                """, arguments: [jobId, seq, limit]).map {
                PendingItem(seq: $0["seq"], conversationId: $0["conversation_id"], recordingId: $0["recording_id"], document: $0["document"])
            }
        }
    }

    /// A bucket by name (local or remote), or nil.
    package func bucket(named name: String) async throws -> BucketInfo? {
        try StoreKeys.check(name)
        return try await read { db in try Self.bucket(db, name: name) }
    }

    /// The records held under some keys of one bucket.
    package func objects(bucket: String, keys: [String]) async throws -> [String: ObjectRecord] {
        guard !keys.isEmpty else { return [:] }
        return try await read { db in try ObjectIndex.fetch(db, bucket: bucket, keys: keys) }
    }

    /// The record held under a key, or nil.
    package func object(bucket: String, key: String) async throws -> ObjectRecord? {
        try await read { db in try ObjectIndex.fetch(db, bucket: bucket, key: key) }
    }
}
