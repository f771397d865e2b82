import Foundation
import GRDB
import Logging
import RecordingsDomain

/// Runs export jobs through the job machine: counts what matches (PENDING → PROCESSING), writes objects in
/// paced batches, then the manifest and, under legal hold, the custody file. Every step is idempotent, so a job
/// that was PROCESSING when the process died simply continues: whatever has no record yet is written again.
package struct ExportEngine: Sendable {
    let db: AppDatabase
    let sink: FileSink
    let clock: MockClock
    /// Recordings per second; 0 = as fast as possible.
    let exportRate: Double
    let logger: Logger
    let faults: FaultStore
    /// Injected slow writes: a job may not write again before this uptime (nanoseconds). Kept outside the
    /// worker's gate, so a reset or a clock move never waits out a slowed batch.
    let cooldowns = Cooldowns()
    /// Recordings per batch: one durable write (two syncs) and one transaction each. scripts/bench_scale.py
    /// gives its reference writer batches of the same size (two objects per recording).
    static let maxBatch = 256

    package init(db: AppDatabase, sink: FileSink, clock: MockClock, exportRate: Double, logger: Logger, faults: FaultStore = FaultStore()) {
        self.faults = faults
        self.db = db
        self.sink = sink
        self.clock = clock
        self.exportRate = exportRate
        self.logger = logger
    }

    /// How long a job stays PENDING while its query "runs", so a person watching sees it.
    var pendingMillis: Int64 { exportRate > 0 ? 1000 : 0 }

    package struct StepResult: Sendable {
        /// Some job is PENDING or PROCESSING.
        package var active = false
        /// Something changed in this pass (a job was counted, written to or finished).
        package var didWork = false
    }

    /// One pass over every active job.
    @discardableResult
    package func step() async throws -> StepResult {
        let active = try await db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM job WHERE state IN ('PENDING', 'PROCESSING') ORDER BY date_created, id")
                .map(JobRecord.init(row:))
        }
        var result = StepResult(active: !active.isEmpty)
        for job in active {
            if Task.isCancelled { break }
            let now = clock.nowMillis()
            switch job.state {
            case .pending where now >= job.dateCreated + pendingMillis:
                try await count(job.id, now: now)
                result.didWork = true
            case .processing:
                if try await process(job, now: now) { result.didWork = true }
            default:
                break
            }
        }
        return result
    }

    /// PENDING → PROCESSING (or READY for a recording job): the matching recordings become the job's work list.
    func count(_ jobId: String, now: Int64) async throws {
        try await db.write { db in
            guard var job = try JobRecord.fetch(db, id: jobId), job.state == .pending,
                  let selection = job.selection ?? job.exportRequest.map({ JobSelection($0.filter) }) else { return }
            let insert = try db.makeStatement(sql: """
                INSERT OR IGNORE INTO job_item (job_id, seq, conversation_id, recording_id, start_time, status)
                VALUES (?, ?, ?, ?, ?, 'pending')
                """)
            // Streamed into the work list: an array of every match took ~90 MB at 200k, kept by malloc thereafter.
            var count = 0
            try Self.forEachMatchingConversation(db, orgId: job.orgId, selection: selection) { conversationId, recordingId, startTime in
                count += 1
                try insert.execute(arguments: [jobId, count, conversationId, recordingId, startTime])
            }
            try job.progress.apply(.counted(conversations: count, recordings: count))
            // Pacing starts when the query would have finished, not when the worker noticed: one big clock
            // advance must leave a job exactly where real time would have.
            job.dateStarted = min(now, job.dateCreated + pendingMillis)
            try job.saveProgress(db)
            try AuditLog.append(db, time: now, event: "job.state", orgId: job.orgId, caseId: job.caseId, jobId: jobId,
                                fields: ["from": "PENDING", "to": .string(job.state.rawValue),
                                         "totalRecordings": .int(count)])
        }
        logger.info("export counted", metadata: ["export.id": "\(jobId)"])
    }

    /// The job's conversations, in start order, one at a time: types, interval and ids in SQL, filter predicates in
    /// Swift. Read through a cursor, so memory does not grow with their number.
    static func forEachMatchingConversation(_ db: Database, orgId: String, selection: JobSelection,
                                            _ body: (_ conversationId: String, _ recordingId: String, _ startTime: Int64) throws -> Void) throws
    {
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
            guard !predicates || selection.predicatesMatch(ConversationFacts(id: row["id"], messengerType: row["messenger_type"], queueId: row["queue_id"] ?? "")) else { continue }
            try body(row["id"], row["recording_id"], row["start_time"])
        }
    }

    /// How many recordings the pace allows now.
    func allowance(_ job: JobRecord, now: Int64) -> Int {
        guard exportRate > 0 else { return Self.maxBatch }
        let elapsed = Double(max(0, now - (job.dateStarted ?? now))) / 1000
        let due = Int(elapsed * exportRate) + 1
        let handled = job.progress.processed + job.progress.skipped + job.progress.failed
        return min(Self.maxBatch, max(0, due - handled))
    }

    /// Returns whether anything changed.
    func process(_ job: JobRecord, now: Int64) async throws -> Bool {
        let writesObjects = job.action == RecordingJobPlan.Action.export.rawValue
        var target = ExportTarget.local
        if writesObjects {
            switch try await destination(job) {
            case .success(let t): target = t
            case .failure(let refusal):
                try await fail(job.id, message: refusal.description, now: now)
                return true
            }
        }
        let latency = faults.writeLatencyMs()
        if latency > 0, !cooldowns.ready(job.id) { return false }
        let budget = latency > 0 ? min(1, allowance(job, now: now)) : allowance(job, now: now)
        guard budget > 0 else { return false }
        let items = try await pendingItems(job.id, after: 0, limit: budget)
        if items.isEmpty {
            try await ExportFinisher(engine: self, target: target).finish(job.id, now: now)
        } else if writesObjects, exportRate == 0, latency == 0 {
            try await pipeline(job, first: items, target: target)
        } else if writesObjects {
            try await ExportBatch(engine: self, job: job, items: items, target: target).run(now: now)
        } else {
            try await RecordActionBatch(engine: self, job: job, seqs: items.map(\.seq)).run(now: now)
        }
        return true
    }

    /// Up to `limit` recordings of a job still to be handled, after `seq`; none once the job has left PROCESSING
    /// (cancelled or failed meanwhile), so a pipeline stops at its next batch.
    func pendingItems(_ jobId: String, after seq: Int, limit: Int) async throws -> [PendingItem] {
        try await db.read { db in
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

    /// Batches in a row at full speed (`--export-rate 0`). A batch is written in two steps: staged (its objects in
    /// temporary files: CPU) and placed (a sync, the renames, a sync: mostly waiting for the disk). While one batch
    /// is placed, the next is staged, the one after it is read, rendered and its keys looked up, and the one
    /// before commits, so the database, the disk and both cores work at once. Each batch still commits in order,
    /// in its own transaction after its objects are durable under their keys, so a crash anywhere is resumed
    /// exactly as before (staged files are in the tmp folder, emptied at start). After `pipelineDepth` batches
    /// the worker moves on to the next active job, which keeps exports that run together fair; a cancel stops the
    /// pipeline at its next batch.
    static let pipelineDepth = 32

    func pipeline(_ job: JobRecord, first: [PendingItem], target: ExportTarget) async throws {
        var batch = ExportBatch(engine: self, job: job, items: first, target: target)
        var staging = try await batch.stage(try await batch.prepare())
        var committing: Task<Void, any Error>?
        // The batch staged beside the one being placed, until its own turn: if the pipeline stops before that, its
        // temporary files are removed (a batch being placed removes whatever it does not move itself).
        var unplaced: (batch: ExportBatch, staged: ExportBatch.Staged)?
        // Rendering is the heaviest step: the batch after next renders while the next one is staged.
        var preparing: Task<(ExportBatch, ExportBatch.Prepared)?, any Error>?
        func prepareAfter(_ batch: ExportBatch, round: Int) -> Task<(ExportBatch, ExportBatch.Prepared)?, any Error>? {
            guard round < Self.pipelineDepth, !Task.isCancelled, let last = batch.items.last else { return nil }
            return Task { try await upcoming(job, after: last.seq, target: target) }
        }
        preparing = prepareAfter(batch, round: 1)
        do {
            batches: for round in 0..<Self.pipelineDepth {
                let now = clock.nowMillis()
                guard case .success(let staged) = staging else {
                    if case .failure(let refusal) = staging {
                        try await committing?.value  // the batch before, already placed, commits first
                        committing = nil
                        try await fail(job.id, message: refusal.message, now: now)
                    }
                    break
                }
                unplaced = nil
                let current = batch
                let placing = Task { try await current.place(staged) }
                var next: (batch: ExportBatch, staging: Result<ExportBatch.Staged, ExportBatch.Refusal>)?
                do {
                    if let upcoming = try await preparing?.value {
                        preparing = prepareAfter(upcoming.0, round: round + 2)
                        let staging = try await upcoming.0.stage(upcoming.1)
                        if case .success(let s) = staging { unplaced = (upcoming.0, s) }
                        next = (upcoming.0, staging)
                    }
                } catch {
                    // The next batch could not be staged (a full disk): this one is still placed and committed.
                    if case .success(let written)? = try? await placing.value {
                        _ = try? await committing?.value
                        committing = Task { try await current.commit(written, now: now) }
                    }
                    throw error
                }
                let placed = try await placing.value
                try await committing?.value
                committing = nil
                switch placed {
                case .failure(let refusal):
                    try await fail(job.id, message: refusal.message, now: now)
                    break batches
                case .success(let written):
                    committing = Task { try await current.commit(written, now: now) }
                }
                guard let next else { break }
                (batch, staging) = next
            }
        } catch {
            _ = try? await committing?.value  // a batch already placed still commits
            if let unplaced { await unplaced.batch.discard(unplaced.staged) }
            throw error
        }
        if let unplaced { await unplaced.batch.discard(unplaced.staged) }
        try await committing?.value
    }

    /// The job's batch after `seq`, read and prepared; nil when none is left.
    func upcoming(_ job: JobRecord, after seq: Int, target: ExportTarget) async throws -> (ExportBatch, ExportBatch.Prepared)? {
        let items = try await pendingItems(job.id, after: seq, limit: Self.maxBatch)
        guard !items.isEmpty else { return nil }
        let batch = ExportBatch(engine: self, job: job, items: items, target: target)
        return (batch, try await batch.prepare())
    }

    /// A recording of a job still to be handled, with its conversation's stored document (nil once deleted).
    struct PendingItem: Sendable {
        var seq: Int
        var conversationId: String
        var recordingId: String
        var document: String?
    }

    /// Where the job's objects go, or the destination's refusal in S3's words.
    func destination(_ job: JobRecord) async throws -> Result<ExportTarget, RemoteS3Error> {
        func refused(_ code: String, _ message: String) -> Result<ExportTarget, RemoteS3Error> {
            .failure(RemoteS3Error(code: code, message: message))
        }
        let bucket = try await db.read { db in try AppDatabase.bucket(db, name: job.bucket) }
        guard let bucket else {
            return refused("NoSuchBucket", "The specified bucket does not exist (BucketName: \(job.bucket))")
        }
        if bucket.region != job.region {
            return refused("PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint. Bucket \(job.bucket) is in region \(bucket.region), the request named \(job.region)")
        }
        if faults.deniesPut(bucket: job.bucket) {
            return refused("AccessDenied", "Access Denied (s3:PutObject on \(job.bucket) is denied by an injected fault)")
        }
        if bucket.denyPut {
            return refused("AccessDenied", "Access Denied (the bucket policy of \(job.bucket) denies s3:PutObject to the exporter)")
        }
        guard let remote = bucket.remote else { return .success(.local) }
        return RemoteS3Client.make(bucket: bucket.name, region: bucket.region, remote: remote).map(ExportTarget.remote)
    }

    func fail(_ jobId: String, message: String, now: Int64) async throws {
        try await db.write { db in
            guard var job = try JobRecord.fetch(db, id: jobId), !job.state.isTerminal else { return }
            let from = job.state
            try job.progress.apply(.fail(message))
            job.dateCompleted = now
            try job.saveProgress(db)
            try AuditLog.append(db, time: now, event: "job.state", orgId: job.orgId, caseId: job.caseId, jobId: jobId,
                                fields: ["from": .string(from.rawValue), "to": "FAILED", "errorMessage": .string(message)])
        }
        logger.notice("export failed", metadata: ["export.id": "\(jobId)", "reason": "\(message)"])
    }
}


/// Where an export's objects go: the local sink, or a bucket in a remote S3-compatible store.
enum ExportTarget: Sendable {
    case local
    case remote(RemoteS3Client)
}
