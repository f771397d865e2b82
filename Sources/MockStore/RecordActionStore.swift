import GRDB
import RecordingsDomain

extension AppDatabase {
    /// One paced batch of a recording job whose action is DELETE or ARCHIVE: no objects, only the store changes,
    /// in one transaction with the items' statuses, the counters and an audit entry per recording. DELETE skips
    /// recordings under deletion protection or an active legal hold (CONTRACT §2, §4).
    package func applyRecordAction(job jobId: String, action: RecordingJobPlan.Action, seqs: [Int], now: Int64) async throws {
        try StoreKeys.check(jobId)
        try await write { db in
            guard var current = try JobRecord.fetch(db, id: jobId), current.state == .processing else { return }
            let holds = try Self.activeHolds(db, orgId: current.orgId)
            let setStatus = try db.makeStatement(sql: "UPDATE job_item SET status = ?, error_message = ? WHERE job_id = ? AND seq = ?")
            var processed = 0, skipped = 0
            for seq in seqs {
                guard let item = try Row.fetchOne(db, sql: """
                    SELECT i.conversation_id, i.recording_id, c.messenger_type, c.start_time FROM job_item i
                    LEFT JOIN conversation c ON c.id = i.conversation_id AND c.deleted = 0
                    WHERE i.job_id = ? AND i.seq = ?
                    """, arguments: [jobId, seq]) else { continue }
                let cid: String = item["conversation_id"]
                guard let type: String = item["messenger_type"] else {
                    skipped += 1
                    try setStatus.execute(arguments: ["skipped", "the recording no longer exists", jobId, seq])
                    continue
                }
                if action == .delete,
                   try Self.isProtected(db, orgId: current.orgId, conversationId: cid, messengerType: type,
                                               start: item["start_time"], holds: holds) {
                    skipped += 1
                    try setStatus.execute(arguments: ["skipped", "deletion protection or an active legal hold", jobId, seq])
                    continue
                }
                switch action {
                case .delete: try db.execute(sql: "UPDATE conversation SET deleted = 1 WHERE id = ?", arguments: [cid])
                case .archive: try db.execute(sql: "UPDATE conversation SET archived_date = ? WHERE id = ?", arguments: [now, cid])
                case .export: break
                }
                processed += 1
                try setStatus.execute(arguments: ["written", nil, jobId, seq])
                try AuditLog.append(db, time: now, event: action == .delete ? "recording.deleted" : "recording.archived",
                                    orgId: current.orgId, jobId: jobId,
                                    fields: ["conversationId": .string(cid), "recordingId": .string(item["recording_id"])])
            }
            try Self.apply(db, .progressed(processed: processed, skipped: skipped, failed: 0), to: &current, now: now)
        }
    }
}
