import Foundation
import GRDB
import RecordingsDomain

/// The end of a job: fix its completion date, write `manifest.json` and, under legal hold,
/// `chain-of-custody.json`, then FULFILLED. Each step is idempotent, so a crash anywhere here is resumed.
struct ExportFinisher {
    let engine: ExportEngine

    func finish(_ jobId: String, now: Int64) async throws {
        let db = engine.db
        let prepared: JobRecord? = try await db.write { db in
            guard var job = try JobRecord.fetch(db, id: jobId), job.state == .processing else { return nil }
            let allFailed = job.progress.failed == job.progress.totalRecordings && job.progress.totalRecordings > 0
            // The recording-jobs face writes no manifest, as the real platform does not.
            if allFailed || job.progress.kind == .recordingJob {
                try job.progress.apply(.completed)
                job.dateCompleted = now
                try job.saveProgress(db)
                try AuditLog.append(db, time: now, event: "job.state", orgId: job.orgId, caseId: job.caseId, jobId: jobId,
                                    fields: ["from": "PROCESSING", "to": .string(job.state.rawValue)])
                return nil
            }
            if job.dateCompleted == nil {
                job.dateCompleted = now
                try job.saveProgress(db)
            }
            return job
        }
        guard let job = prepared, let request = job.exportRequest else { return }
        let manifest = try await buildManifest(job, request: request)
        let manifestBytes = try CanonicalJSON.data(manifest, pretty: true)
        let manifestKey = ObjectLayout.manifestKey(prefix: job.prefix, jobId: job.id)
        guard let manifestSeq = try await putOne(job, key: manifestKey, data: manifestBytes, event: "manifest.written", now: now)
        else { return }
        if let caseId = job.caseId {
            let entries = try await db.read { db in try AuditLog.slice(db, jobId: job.id, throughSeq: manifestSeq) }
            let custody = CustodyFile(jobId: job.id, caseId: caseId, bucket: job.bucket, manifestKey: manifestKey,
                                      manifestSha256: Digest.sha256Hex(manifestBytes), entries: entries)
            let key = ObjectLayout.custodyKey(prefix: job.prefix, jobId: job.id)
            guard try await putOne(job, key: key, data: try CanonicalJSON.data(custody, pretty: true),
                                   event: "custody.written", now: now) != nil else { return }
        }
        try await db.write { db in
            guard var current = try JobRecord.fetch(db, id: jobId), current.state == .processing else { return }
            try current.progress.apply(.completed)
            current.manifestKey = manifestKey
            try current.saveProgress(db)
            try AuditLog.append(db, time: now, event: "job.state", orgId: current.orgId, caseId: current.caseId, jobId: jobId,
                                fields: ["from": "PROCESSING", "to": .string(current.state.rawValue), "manifestKey": .string(manifestKey)])
        }
        engine.logger.info("export finished", metadata: ["export.id": "\(jobId)", "case.id": "\(job.caseId ?? "-")"])
    }

    func buildManifest(_ job: JobRecord, request: ExportRequest) async throws -> Manifest {
        try await engine.db.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT i.conversation_id, i.recording_id, c.start_time FROM job_item i
                JOIN conversation c ON c.id = i.conversation_id
                WHERE i.job_id = ? AND i.status = 'written' ORDER BY i.seq
                """, arguments: [job.id])
            var objects: [Manifest.Object] = []
            for row in rows {
                let cid: String = row["conversation_id"]
                let rid: String = row["recording_id"]
                let key = ObjectLayout.transcriptKey(prefix: job.prefix, orgId: job.orgId,
                                                     conversationStart: Timestamp.date(millis: row["start_time"]),
                                                     conversationId: cid, recordingId: rid)
                for k in [key, ObjectLayout.sidecarKey(transcriptKey: key)] {
                    guard let r = try ObjectIndex.fetch(db, bucket: job.bucket, key: k) else { continue }
                    objects.append(.init(key: k, size: r.size, etag: r.etag, sha256: r.sha256, conversationId: cid, recordingId: rid))
                }
            }
            let p = job.progress
            return Manifest(
                jobId: job.id, caseId: job.caseId, bucket: job.bucket, prefix: job.prefix,
                dateCreated: Timestamp.format(millis: job.dateCreated),
                dateCompleted: Timestamp.format(millis: job.dateCompleted ?? job.dateCreated), request: request,
                counts: .init(conversations: p.totalConversations, recordings: p.totalRecordings, exportedRecordings: p.processed,
                              failedRecordings: p.failed, skippedRecordings: p.skipped, objects: objects.count),
                objects: objects)
        }
    }

    /// Writes one job-level object; returns the seq of its audit entry (an earlier one when the same bytes are
    /// already in place), or nil after failing the job because a held object with other bytes is in the way.
    func putOne(_ job: JobRecord, key: String, data: Data, event: String, now: Int64) async throws -> Int64? {
        let object = HeldWrites.newObject(job: job, key: key, data: data)
        let outcome = try await HeldWrites.put([object], db: engine.db, sink: engine.sink)[0]
        switch outcome {
        case .written(let stored):
            return try await engine.db.write { db in
                try HeldWrites.commit(db, stored, source: object, job: job, event: event, now: now)
            }
        case .alreadyPresent(let old):
            let seq = try await engine.db.read { db in
                try Int64.fetchOne(db, sql: "SELECT seq FROM audit_log WHERE job_id = ? AND event = ? ORDER BY seq DESC LIMIT 1",
                                   arguments: [job.id, event])
            }
            if let seq, old.jobId == job.id { return seq }
            try await engine.fail(job.id, message: "AccessDenied: Access Denied (object \(key) is under legal hold and cannot be overwritten)", now: now)
            return nil
        case .denied(let message):
            try await engine.fail(job.id, message: message, now: now)
            return nil
        }
    }
}
