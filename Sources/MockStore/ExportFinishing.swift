import GRDB
import RecordingsDomain

/// The end of an export job in the store: completing it, and the pages its manifest and custody file stream from.
extension AppDatabase {
    /// Starts finishing a PROCESSING job whose recordings are all handled. A job with nothing to write (every
    /// recording failed, or the recording-jobs face, which writes no manifest, as the real platform does not) is
    /// completed here and nil returned; otherwise its completion date is fixed and the job returned for its
    /// manifest. Nil too when the job is not PROCESSING.
    package func beginFinishing(job jobId: String, now: Int64) async throws -> JobRecord? {
        try StoreKeys.check(jobId)
        return try await write { db in
            guard var job = try JobRecord.fetch(db, id: jobId), job.state == .processing else { return nil }
            guard job.progress.writesManifest else {
                try Self.apply(db, .completed, to: &job, now: now)
                return nil
            }
            if job.dateCompleted == nil {
                job.dateCompleted = now
                try job.saveProgress(db)
            }
            return job
        }
    }

    /// PROCESSING → FULFILLED once the manifest (and custody file) are in place.
    package func complete(job jobId: String, manifestKey: String, now: Int64) async throws {
        try StoreKeys.check(jobId)
        try await write { db in
            guard var job = try JobRecord.fetch(db, id: jobId), job.state == .processing else { return }
            job.manifestKey = manifestKey
            try Self.apply(db, .completed, to: &job, now: now, note: ["manifestKey": .string(manifestKey)])
        }
    }

    /// The highest item seq of a job (0 when it has none).
    package func lastItemSeq(job jobId: String) async throws -> Int64 {
        try await read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM job_item WHERE job_id = ?", arguments: [jobId])
        } ?? 0
    }

    /// The manifest objects of the written items with a seq in `after + 1 ... through`, in seq order.
    package func manifestPage(_ job: JobRecord, after: Int, through: Int) async throws -> [Manifest.Object] {
        try await read { db in
            // The item's own start time (v6); an item counted before it has none, and reads its conversation's.
            let rows = try Row.fetchAll(db, sql: """
                SELECT i.seq, i.conversation_id, i.recording_id,
                    COALESCE(i.start_time, (SELECT c.start_time FROM conversation c WHERE c.id = i.conversation_id)) AS start_time
                FROM job_item i
                WHERE i.job_id = ? AND i.status = 'written' AND i.seq > ? AND i.seq <= ? ORDER BY i.seq
                """, arguments: [job.id, after, through])
            var objects: [Manifest.Object] = []
            for row in rows where (row["start_time"] as Int64?) != nil {
                let cid: String = row["conversation_id"]
                let rid: String = row["recording_id"]
                let key = ObjectLayout.transcriptKey(prefix: job.prefix, orgId: job.orgId,
                                                     conversationStart: Timestamp.date(millis: row["start_time"]),
                                                     conversationId: cid, recordingId: rid)
                for k in [key, ObjectLayout.sidecarKey(transcriptKey: key)] {
                    guard let r = try ObjectIndex.digest(db, bucket: job.bucket, key: k) else { continue }
                    objects.append(.init(key: k, size: r.size, etag: r.etag, sha256: r.sha256, conversationId: cid, recordingId: rid))
                }
            }
            return objects
        }
    }

    /// The seq of a job's first audit entry, or nil.
    package func firstAuditSeq(job jobId: String) async throws -> Int64? {
        try await read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(seq) FROM audit_log WHERE job_id = ?", arguments: [jobId])
        }
    }

    /// A job's audit entries with a seq in `afterSeq + 1 ... throughSeq`, as the custody file lists them.
    package func custodyEntries(job jobId: String, afterSeq: Int64, throughSeq: Int64) async throws -> [CustodyFile.Entry] {
        try await read { db in try AuditLog.slice(db, jobId: jobId, afterSeq: afterSeq, throughSeq: throughSeq) }
    }
}
