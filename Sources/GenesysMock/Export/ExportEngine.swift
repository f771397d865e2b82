import Foundation
import Logging
import MockStore
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

    /// What a batch and the finisher work with.
    var parts: ExportParts { ExportParts(store: db, sink: sink, clock: clock, faults: faults, cooldowns: cooldowns) }

    /// How long a job stays PENDING while its query "runs", so a person watching sees it.
    var pendingMillis: Int64 { exportRate > 0 ? 1000 : 0 }

    package struct StepResult: Sendable {
        /// Some job is PENDING or PROCESSING.
        package var active = false
        /// Something changed in this pass (a job was counted, written to or finished).
        package var didWork = false
    }

    /// One pass over every active job (of `org` only, when given). With `orgs`, each job's work holds its org's
    /// gate, and the job is read again inside it: a tenant's reset or delete, which holds the same gate, never
    /// meets a job half worked, nor a job it has just removed.
    @discardableResult
    package func step(orgs: KeyedGate? = nil, only org: String? = nil) async throws -> StepResult {
        let active = try await db.activeJobs().filter { org == nil || $0.orgId == org }
        var result = StepResult(active: !active.isEmpty)
        for listed in active {
            if Task.isCancelled { break }
            let work: @Sendable () async throws -> Bool = {
                guard let job = orgs == nil ? listed : try await db.job(id: listed.id, orgId: listed.orgId) else { return false }
                let now = clock.nowMillis(org: job.orgId)
                switch job.state {
                case .pending where now >= job.dateCreated + pendingMillis:
                    try await count(job.id, now: now)
                    return true
                case .processing:
                    return try await process(job, now: now)
                default:
                    return false
                }
            }
            let worked = if let orgs { try await orgs.run(listed.orgId, work) } else { try await work() }
            if worked { result.didWork = true }
        }
        return result
    }

    /// PENDING → PROCESSING (or READY for a recording job): the matching recordings become the job's work list.
    func count(_ jobId: String, now: Int64) async throws {
        guard try await db.count(job: jobId, now: now, pendingMillis: pendingMillis) else { return }
        logger.info("export counted", metadata: ["export.id": "\(jobId)"])
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
            switch try await ExportFinisher(parts: parts, target: target).finish(job.id, now: now) {
            case .nothingWritten: break
            case .fulfilled(let job): logger.info("export finished", metadata: ["export.id": "\(job.id)", "case.id": "\(job.caseId ?? "-")"])
            case .refused(let message): try await fail(job.id, message: message, now: now)
            }
        } else if writesObjects, exportRate == 0, latency == 0 {
            try await pipeline(job, first: items, target: target)
        } else if writesObjects {
            let batch = ExportBatch(parts: parts, job: job, items: items, target: target)
            switch try await batch.write() {
            case .success(let written): try await batch.commit(written, now: now)
            case .failure(let refusal): try await fail(job.id, message: refusal.message, now: now)
            }
        } else {
            // DELETE or ARCHIVE: no objects, only the store changes (CONTRACT §2, §4).
            let action = RecordingJobPlan.Action(rawValue: job.action) ?? .delete
            try await db.applyRecordAction(job: job.id, action: action, seqs: items.map(\.seq), now: now)
        }
        return true
    }

    /// Up to `limit` recordings of a job still to be handled, after `seq`; none once the job has left PROCESSING.
    func pendingItems(_ jobId: String, after seq: Int, limit: Int) async throws -> [PendingItem] {
        try await db.pendingItems(job: jobId, after: seq, limit: limit)
    }

    typealias PendingItem = AppDatabase.PendingItem

    /// Where the job's objects go, or the destination's refusal in S3's words.
    func destination(_ job: JobRecord) async throws -> Result<ExportTarget, RemoteS3Error> {
        func refused(_ code: String, _ message: String) -> Result<ExportTarget, RemoteS3Error> {
            .failure(RemoteS3Error(code: code, message: message))
        }
        let bucket = try await db.bucket(named: job.bucket)
        guard let bucket else {
            return refused("NoSuchBucket", "The specified bucket does not exist (BucketName: \(job.bucket))")
        }
        // A tenant's exports reach its own buckets only, and the shared world's its own (CONTRACT §16).
        let owner = try await db.tenant(orgId: job.orgId) == nil ? nil : job.orgId
        if bucket.orgId != owner {
            return refused("AccessDenied", "Access Denied (bucket \(job.bucket) belongs to another tenant)")
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
        guard case .applied = try await db.transition(job: jobId, event: .fail(message), now: now) else { return }
        logger.notice("export failed", metadata: ["export.id": "\(jobId)", "reason": "\(message)"])
    }
}


/// Where an export's objects go: the local sink, or a bucket in a remote S3-compatible store.
enum ExportTarget: Sendable {
    case local
    case remote(RemoteS3Client)
}
