import Foundation
import GRDB
import RecordingsDomain

/// One paced batch of a PROCESSING job: render each recording's transcript and sidecar, write them durably,
/// then commit their records, the items' status, the counters and the audit entries in one transaction.
struct ExportBatch: Sendable {
    let engine: ExportEngine
    let job: JobRecord
    let items: [ExportEngine.PendingItem]
    var target = ExportTarget.local

    struct Item: Sendable {
        var seq: Int
        var conversationId: String
        var objects: [FileSink.NewObject] = []
        var missing = false
        /// An injected failure for this recording (`/__admin/faults`, kind export).
        var injected: String?
    }

    /// Each recording's transcript and sidecar, rendered from its stored conversation (byte for byte what
    /// `CanonicalJSON` writes, so a resumed export finds the same bytes under held keys).
    func render(_ pending: ArraySlice<ExportEngine.PendingItem>) -> [Item] {
        pending.map { pending in
            var item = Item(seq: pending.seq, conversationId: pending.conversationId)
            if let failure = engine.faults.recordingFailure(position: item.seq, recordingId: pending.recordingId) {
                item.injected = failure
            } else if let doc = pending.document,
                      let c = Conversation.fast(doc) ?? (try? JSONDecoder().decode(Conversation.self, from: Data(doc.utf8))),
                      let start = c.startDate {
                let key = ObjectLayout.transcriptKey(prefix: job.prefix, orgId: job.orgId, conversationStart: start,
                                                     conversationId: c.id, recordingId: c.recordingId)
                let transcript = c.recording(exportedDate: nil).prettyData
                let sidecar = RecordingSidecar(conversation: c, jobId: job.id, caseId: job.caseId).prettyData
                item.objects = [HeldWrites.newObject(job: job, key: key, data: transcript),
                                HeldWrites.newObject(job: job, key: ObjectLayout.sidecarKey(transcriptKey: key), data: sidecar)]
            } else {
                item.missing = true
            }
            return item
        }
    }

    /// What `write` left for `commit`: the rendered items and what became of each of their objects.
    struct Written: Sendable {
        var items: [Item]
        var outcomes: [HeldWrites.Outcome]
    }

    func run(now: Int64) async throws {
        if let written = try await write(now: now) { try await commit(written, now: now) }
    }

    /// Renders the batch and writes its objects durably; nil when the destination refused them and the job failed.
    func write(now: Int64) async throws -> Written? {
        try await store(try await prepare(), now: now)
    }

    /// Renders every recording of the batch. This is the CPU-heavy part: the two halves are rendered at once, on
    /// the pool's threads rather than Swift's cooperative ones, so that requests (a client polling this very
    /// export) are not queued behind a batch: the OS shares the cores between them.
    func prepare() async throws -> [Item] {
        let middle = items.count / 2
        let batch = self
        async let firstHalf = BlockingIO.run { batch.render(batch.items[..<middle]) }
        let secondHalf = try await BlockingIO.run { batch.render(batch.items[middle...]) }
        return try await firstHalf + secondHalf
    }

    /// Writes rendered objects durably; nil when the destination refused them and the job failed.
    func store(_ prepared: [Item], now: Int64) async throws -> Written? {
        let flat = prepared.flatMap(\.objects)
        let latency = engine.faults.writeLatencyMs()
        if latency > 0, !flat.isEmpty { engine.cooldowns.hold(job.id, milliseconds: latency * flat.count) }
        let outcomes: [HeldWrites.Outcome]
        do {
            switch target {
            case .local: outcomes = try await HeldWrites.put(flat, db: engine.db, sink: engine.sink)
            case .remote(let client): outcomes = try await RemoteWrites.put(flat, db: engine.db, client: client)
            }
        } catch let e as RemoteS3Error {
            // The store refused the objects or could not be reached, after bounded retries: the job fails in its words.
            try await engine.fail(job.id, message: e.description, now: now)
            return nil
        } catch let e as SinkError where e.code != .diskFull {
            // A full disk is not the destination's answer: the error goes up and the worker waits for space.
            // The destination refused the keys themselves: the job fails, in S3's words, instead of retrying forever.
            let code = e.code == .io ? "InternalError" : (e.code == .invalidKey ? "KeyTooLongError" : e.code.rawValue)
            try await engine.fail(job.id, message: "\(code): \(e.message)", now: now)
            return nil
        }
        return Written(items: prepared, outcomes: outcomes)
    }

    /// Commits a written batch: object records, item statuses, counters and audit entries in one transaction.
    func commit(_ batch: Written, now: Int64) async throws {
        let jobId = job.id
        let written = batch.items
        let outcomes = batch.outcomes
        try await engine.db.write { db in
            guard var current = try JobRecord.fetch(db, id: jobId) else { return }
            var index = 0
            var processed = 0, skipped = 0, failed = 0
            let setStatus = try db.makeStatement(sql: "UPDATE job_item SET status = ?, error_message = ? WHERE job_id = ? AND seq = ?")
            for item in written {
                var denial: String?
                for object in item.objects {
                    switch outcomes[index] {
                    case .written(let stored):
                        try HeldWrites.commit(db, stored, source: object, job: current, now: now)
                    case .alreadyPresent(let old) where old.jobId != jobId:
                        let stored = FileSink.StoredObject(bucket: old.bucket, key: old.key, size: old.size, etag: old.etag, sha256: old.sha256)
                        try HeldWrites.commit(db, stored, source: object, job: current, now: now, reused: true)
                    case .alreadyPresent:
                        break
                    case .denied(let message):
                        denial = denial ?? message
                    }
                    index += 1
                }
                guard current.state == .processing else { continue }
                if let injected = item.injected {
                    failed += 1
                    try setStatus.execute(arguments: ["failed", injected, jobId, item.seq])
                } else if item.missing {
                    skipped += 1
                    try setStatus.execute(arguments: ["skipped", "the recording no longer exists", jobId, item.seq])
                } else if let denial {
                    failed += 1
                    try setStatus.execute(arguments: ["failed", denial, jobId, item.seq])
                } else {
                    processed += 1
                    // The stamp behind the recording's `exportedDate` (see `AppDatabase.exportedDate`).
                    try db.cachedStatement(sql: "UPDATE job_item SET status = 'written', error_message = NULL, written_at = ? WHERE job_id = ? AND seq = ?")
                        .execute(arguments: [now, jobId, item.seq])
                }
            }
            guard current.state == .processing else { return }
            try current.progress.apply(.progressed(processed: processed, skipped: skipped, failed: failed))
            try current.saveProgress(db)
        }
    }
}
