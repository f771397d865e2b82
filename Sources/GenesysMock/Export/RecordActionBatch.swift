import MockStore
import RecordingsDomain

/// One paced batch of a recording job whose action is DELETE or ARCHIVE: no objects, only the store changes
/// (`AppDatabase.applyRecordAction`). DELETE skips recordings under deletion protection or an active legal hold
/// (CONTRACT §2, §4).
struct RecordActionBatch {
    let engine: ExportEngine
    let job: JobRecord
    let seqs: [Int]

    func run(now: Int64) async throws {
        try await engine.db.applyRecordAction(job: job.id, action: RecordingJobPlan.Action(rawValue: job.action) ?? .delete, seqs: seqs, now: now)
    }
}
