import Foundation
import GRDB
import RecordingsDomain

/// One paced batch of a recording job whose action is DELETE or ARCHIVE: no objects, only the store changes.
/// DELETE skips recordings under deletion protection or an active legal hold (CONTRACT §2, §4).
struct RecordActionBatch {
    let engine: ExportEngine
    let job: JobRecord
    let seqs: [Int]

    func run(now: Int64) async throws {
        let jobId = job.id
        let action = RecordingJobPlan.Action(rawValue: job.action) ?? .delete
        let seqs = self.seqs
        try await engine.db.write { db in
            guard var current = try JobRecord.fetch(db, id: jobId), current.state == .processing else { return }
            let holds = try AppDatabase.activeHolds(db, orgId: current.orgId)
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
                   try AppDatabase.isProtected(db, orgId: current.orgId, conversationId: cid, messengerType: type,
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
            try current.progress.apply(.progressed(processed: processed, skipped: skipped, failed: 0))
            try current.saveProgress(db)
        }
    }
}
