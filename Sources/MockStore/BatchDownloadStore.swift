import DocumentCodecs
import Foundation
import GRDB
import RecordingsDomain

/// Batch downloads (`/api/v2/recording/batchrequests`, CONTRACT §15) and the org settings that bound their URLs.
/// A request's results are resolved when it is submitted: each is a download token or an `errorMsg`. When each
/// becomes readable, and until when its URL works, follow from the stored pacing and lifetime on the mock clock.
extension AppDatabase {
    package struct BatchDownload: Sendable {
        package struct Result: Sendable, Equatable {
            package var conversationId: String
            package var recordingId: String
            package var token: String?
            package var errorMsg: String?
        }

        package var id: String
        package var orgId: String
        package var clientId: String
        package var userId: String
        package var pacing: BatchDownloadPacing
        package var urlTtlMillis: Int64
        package var results: [Result]
    }

    /// What a result URL names: the recording to serve, and when the URL became and stops being valid.
    package struct BatchDownloadTarget: Sendable {
        package var conversationId: String
        package var recordingId: String
        /// The org of the batch request, whose clock the URL follows.
        package var orgId: String
        package var readyAt: Int64
        package var expiresAt: Int64
        /// The conversation as stored now (nil when it was deleted since) and its retention.
        package var conversation: Conversation?
        package var retention: RecordingRetention
    }

    package func recordingSettings(orgId: String) async throws -> RecordingSettings {
        try StoreKeys.check(orgId)
        return try await read { db in try Self.recordingSettings(db, orgId: orgId) }
    }

    static func recordingSettings(_ db: Database, orgId: String) throws -> RecordingSettings {
        guard let text = try String.fetchOne(db, sql: "SELECT document FROM recording_settings WHERE org_id = ?", arguments: [orgId]),
              let settings = try? JSONDecoder().decode(RecordingSettings.self, from: Data(text.utf8))
        else { return .defaults }
        return settings
    }

    package func setRecordingSettings(_ settings: RecordingSettings, orgId: String, clientId: String, now: Int64) async throws {
        try StoreKeys.check(orgId, clientId)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(settings), as: UTF8.self)
        try await write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO recording_settings (org_id, document) VALUES (?, ?)", arguments: [orgId, text])
            try AuditLog.append(db, time: now, event: "recording.settings.changed", orgId: orgId,
                                fields: ["clientId": .string(clientId),
                                         "recordingBatchDownloadUrlTtl": .int(settings.recordingBatchDownloadUrlTtl)])
        }
    }

    /// Resolves and stores a batch request; `token` makes each result's unguessable download token.
    @discardableResult
    package func createBatchDownload(id: String, orgId: String, clientId: String, userId: String, items: [BatchDownloadItem],
                                     pacing: BatchDownloadPacing, token: @escaping @Sendable () -> String) async throws -> Int {
        try StoreKeys.check(id, orgId, clientId, userId)
        try StoreKeys.check(items.map(\.conversationId) + items.compactMap(\.recordingId))
        return try await write { db in
            let ttl = try Self.recordingSettings(db, orgId: orgId).batchDownloadUrlTtlMillis
            var results: [BatchDownload.Result] = []
            let lookup = try db.cachedStatement(sql: """
                SELECT c.org_id, c.recording_id, c.deleted, \(Self.retentionColumns) FROM conversation c WHERE c.id = ?
                """)
            for item in items {
                let row = try Row.fetchOne(lookup, arguments: [item.conversationId])
                results.append(Self.resolve(item, row: row, orgId: orgId, now: pacing.createdMillis, token: token))
            }
            try db.execute(sql: """
                INSERT INTO batch_download (id, org_id, client_id, user_id, created, first_ms, interval_ms, url_ttl_ms, result_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, orgId, clientId, userId, pacing.createdMillis, pacing.firstMillis, pacing.intervalMillis, ttl, results.count])
            let insert = try db.makeStatement(sql: """
                INSERT INTO batch_download_result (batch_id, seq, conversation_id, recording_id, token, error_msg) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for (seq, r) in results.enumerated() {
                try insert.execute(arguments: [id, seq, r.conversationId, r.recordingId, r.token, r.errorMsg])
            }
            try AuditLog.append(db, time: pacing.createdMillis, event: "recording.batch.requested", orgId: orgId,
                                fields: ["batchRequestId": .string(id), "clientId": .string(clientId),
                                         "results": .int(results.count), "errors": .int(results.filter { $0.errorMsg != nil }.count)])
            return results.count
        }
    }

    /// One item's result: the recording it names in the caller's org, or why it cannot be downloaded. Another org's
    /// conversation is answered as an unknown one.
    static func resolve(_ item: BatchDownloadItem, row: Row?, orgId: String, now: Int64, token: () -> String) -> BatchDownload.Result {
        let cid = item.conversationId
        guard let row, row["org_id"] as String == orgId else {
            return .init(conversationId: cid, recordingId: item.recordingId ?? "", errorMsg: "Conversation \(cid) was not found")
        }
        let rid: String = row["recording_id"]
        if let asked = item.recordingId, asked != rid {
            return .init(conversationId: cid, recordingId: asked, errorMsg: "Recording \(asked) was not found in conversation \(cid)")
        }
        if row["deleted"] as Int64 != 0 {
            return .init(conversationId: cid, recordingId: rid, errorMsg: "Recording \(rid) was deleted")
        }
        let retention = retention(from: row)
        if !retention.readable(now: now) {
            return .init(conversationId: cid, recordingId: rid,
                         errorMsg: "Recording \(rid) is archived (fileState \(retention.fileState(now: now))); restore it with PUT "
                             + "/api/v2/conversations/\(cid)/recordings/\(rid) and wait until it is RESTORED before downloading it")
        }
        return .init(conversationId: cid, recordingId: rid, token: token())
    }

    /// A batch request of the org, with every result (readable or not yet).
    package func batchDownload(id: String, orgId: String) async throws -> BatchDownload? {
        try StoreKeys.check(id, orgId)
        return try await read { db in
            guard let head = try Row.fetchOne(db, sql: "SELECT * FROM batch_download WHERE id = ? AND org_id = ?", arguments: [id, orgId])
            else { return nil }
            let results = try Row.fetchAll(db, sql: """
                SELECT conversation_id, recording_id, token, error_msg FROM batch_download_result WHERE batch_id = ? ORDER BY seq
                """, arguments: [id]).map {
                BatchDownload.Result(conversationId: $0["conversation_id"], recordingId: $0["recording_id"], token: $0["token"],
                                     errorMsg: $0["error_msg"])
            }
            return BatchDownload(id: id, orgId: orgId, clientId: head["client_id"], userId: head["user_id"],
                                 pacing: BatchDownloadPacing(createdMillis: head["created"], firstMillis: head["first_ms"],
                                                             intervalMillis: head["interval_ms"]),
                                 urlTtlMillis: head["url_ttl_ms"], results: results)
        }
    }

    /// What a download token names, or nil for a token never issued.
    package func batchDownloadTarget(token: String) async throws -> BatchDownloadTarget? {
        try StoreKeys.check(token)
        return try await read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT r.seq, r.conversation_id, r.recording_id, b.org_id, b.created, b.first_ms, b.interval_ms, b.url_ttl_ms
                FROM batch_download_result r JOIN batch_download b ON b.id = r.batch_id WHERE r.token = ?
                """, arguments: [token]) else { return nil }
            let pacing = BatchDownloadPacing(createdMillis: row["created"], firstMillis: row["first_ms"], intervalMillis: row["interval_ms"])
            let readyAt = pacing.readyAt(row["seq"])
            let cid: String = row["conversation_id"]
            var conversation: Conversation?
            var retention = RecordingRetention()
            if let stored = try Row.fetchOne(db, sql: """
                SELECT c.document, \(Self.retentionColumns) FROM conversation c WHERE c.id = ? AND c.org_id = ? AND c.deleted = 0
                """, arguments: [cid, row["org_id"] as String]) {
                guard let c = Conversation.stored(stored["document"] as String) else { throw UnreadableDocument(kind: "conversation", id: cid) }
                (conversation, retention) = (c, Self.retention(from: stored))
            }
            return BatchDownloadTarget(conversationId: cid, recordingId: row["recording_id"], orgId: row["org_id"], readyAt: readyAt,
                                       expiresAt: Self.plus(readyAt, row["url_ttl_ms"]), conversation: conversation, retention: retention)
        }
    }

    static func plus(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}
