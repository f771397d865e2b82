import GRDB
import DocumentCodecs
import RecordingsDomain

/// An object an export put under its key, as the store records it (its date and job are stamped at commit).
package struct ExportedObject: Sendable {
    package var record: ObjectRecord
    /// The same bytes were already under the key, written by another job: only the audit entry is new.
    package var reused = false

    package init(record: ObjectRecord, reused: Bool = false) {
        self.record = record
        self.reused = reused
    }
}

/// One recording of a written batch: the objects to record and what became of the recording.
package struct BatchItem: Sendable {
    package enum Status: Sendable { case written, skipped(String), failed(String) }

    package var seq: Int
    package var objects: [ExportedObject]
    package var status: Status

    package init(seq: Int, objects: [ExportedObject], status: Status) {
        self.seq = seq
        self.objects = objects
        self.status = status
    }
}

extension AppDatabase {
    /// Commits a written batch in one transaction: object records and their audit entries, the items' statuses and
    /// the job's counters. Objects are recorded even when the job left PROCESSING meanwhile (their bytes are in
    /// place); its items and counters are then left as they are.
    package func commit(batch items: [BatchItem], job jobId: String, now: Int64) async throws {
        try StoreKeys.check(jobId)
        try await write { db in
            guard var current = try JobRecord.fetch(db, id: jobId) else { return }
            var processed = 0, skipped = 0, failed = 0
            let setStatus = try db.makeStatement(sql: "UPDATE job_item SET status = ?, error_message = ? WHERE job_id = ? AND seq = ?")
            // Read once for the whole batch: its entries follow one another in this transaction.
            var tail = try AuditLog.tail(db)
            // Every object of a job carries the same metadata: formatted once.
            var metadata: (of: [String: String], json: String)?
            func metadataJSON(_ object: ExportedObject) -> String {
                if let metadata, metadata.of == object.record.userMetadata { return metadata.json }
                let json = ObjectIndex.metadataJSON(object.record.userMetadata)
                metadata = (object.record.userMetadata, json)
                return json
            }
            for item in items {
                for object in item.objects {
                    try Self.record(db, object, job: current, now: now, tail: &tail, userMetadata: object.reused ? nil : metadataJSON(object))
                }
                guard current.state == .processing else { continue }
                switch item.status {
                case .failed(let message):
                    failed += 1
                    try setStatus.execute(arguments: ["failed", message, jobId, item.seq])
                case .skipped(let reason):
                    skipped += 1
                    try setStatus.execute(arguments: ["skipped", reason, jobId, item.seq])
                case .written:
                    processed += 1
                    // The stamp behind the recording's `exportedDate` (see `AppDatabase.exportedDate`).
                    try db.cachedStatement(sql: "UPDATE job_item SET status = 'written', error_message = NULL, written_at = ? WHERE job_id = ? AND seq = ?")
                        .execute(arguments: [now, jobId, item.seq])
                }
            }
            guard current.state == .processing else { return }
            try Self.apply(db, .progressed(processed: processed, skipped: skipped, failed: failed), to: &current, now: now)
        }
    }

    /// Records one job-level object (manifest, custody file) with its audit entry `event`; returns the entry's seq.
    package func commit(object: ExportedObject, job: JobRecord, event: String, now: Int64) async throws -> Int64 {
        try await write { db in
            var tail = try AuditLog.tail(db)
            return try Self.record(db, object, job: job, event: event, now: now, tail: &tail)
        }
    }

    /// An object's record (unless reused) and its audit entry, after `tail`; the entry's seq.
    @discardableResult
    static func record(_ db: Database, _ o: ExportedObject, job: JobRecord, event: String = "object.written", now: Int64,
                       tail: inout AuditLog.Tail, userMetadata: String? = nil) throws -> Int64 {
        var r = o.record
        if !o.reused {
            r.lastModified = now
            r.jobId = job.id
            try ObjectIndex.save(db, r, userMetadataJSON: userMetadata)
        }
        return try AuditLog.append(db, after: &tail, time: now, event: event, orgId: job.orgId, caseId: job.caseId, jobId: job.id) { seq, time in
            AuditChain.objectRecord(seq: seq, time: time, event: event, orgId: job.orgId, caseId: job.caseId, jobId: job.id,
                                    bucket: r.bucket, key: r.key, sha256: r.sha256, size: r.size, legalHold: r.legalHold, reused: o.reused)
        }
    }

    /// The seq of the job's last audit entry of `event`, or nil.
    package func lastAuditSeq(job jobId: String, event: String) async throws -> Int64? {
        try await read { db in
            try Int64.fetchOne(db, sql: "SELECT seq FROM audit_log WHERE job_id = ? AND event = ? ORDER BY seq DESC LIMIT 1",
                               arguments: [jobId, event])
        }
    }
}
