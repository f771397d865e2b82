import Foundation
import MockStore
import DocumentCodecs
import RecordingsDomain

/// The end of a job: fix its completion date, write `manifest.json` and, under legal hold,
/// `chain-of-custody.json`, then FULFILLED. Each step is idempotent, so a crash anywhere here is resumed.
struct ExportFinisher: Sendable {
    let parts: ExportParts
    /// The store, only as far as this step needs it.
    var store: any FinisherStore { parts.store }
    var target = ExportTarget.local

    /// What finishing came to: nothing to write (completed without a manifest, or not PROCESSING), FULFILLED, or
    /// the destination's refusal, which the engine turns into FAILED.
    enum Outcome: Sendable {
        case nothingWritten
        case fulfilled(JobRecord)
        case refused(String)
    }

    func finish(_ jobId: String, now: Int64) async throws -> Outcome {
        guard let job = try await store.beginFinishing(job: jobId, now: now), let request = job.exportRequest else { return .nothingWritten }
        let manifestKey = ObjectLayout.manifestKey(prefix: job.prefix, jobId: job.id)
        let manifest: (seq: Int64, sha256: String)
        switch try await putOne(job, key: manifestKey, event: "manifest.written", now: now, produce: { append in
            try await writeManifest(job, request: request, append: append)
        }) {
        case .success(let m): manifest = m
        case .failure(let refusal): return .refused(refusal.message)
        }
        if let caseId = job.caseId {
            let key = ObjectLayout.custodyKey(prefix: job.prefix, jobId: job.id)
            if case .failure(let refusal) = try await putOne(job, key: key, event: "custody.written", now: now, produce: { append in
                try await writeCustody(job, caseId: caseId, manifestKey: manifestKey, manifestSha256: manifest.sha256,
                                       throughSeq: manifest.seq, append: append)
            }) {
                return .refused(refusal.message)
            }
        }
        try await store.complete(job: jobId, manifestKey: manifestKey, now: now)
        return .fulfilled(job)
    }

    /// Rows read per database visit while streaming the manifest or the custody file.
    static let page = 1_000
    /// Pages read and formatted at once, on the pool's reader connections (it has five; requests keep the others),
    /// while the page before is hashed and written: the finisher runs alone, after the last batch, so this is the
    /// one part of an export that would otherwise leave a core idle.
    static let readAhead = 3

    /// A page of a streamed file: formatted elements, and how many.
    typealias Page = (chunk: [UInt8], count: Int)

    /// Appends the formatted pages of the seq range `first+1 ... last`, `step` seqs a page, in order. Pages are read
    /// `readAhead` at a time as child tasks of this call (a cancel reaches them; none outlives it) while the page
    /// before is appended. Each page is formatted as if no element were its array's first (each starts with the
    /// separator): the very first element's separator is left out here. Returns the number of elements.
    func appendPages(from first: Int64, through last: Int64, step: Int64, produce: @escaping @Sendable (_ after: Int64, _ through: Int64) async throws -> Page,
                     append: (Data) async throws -> Void) async throws -> Int {
        try await withThrowingTaskGroup(of: (Int, Page).self) { group in
            var starts = Swift.stride(from: first, to: last, by: Int(step)).makeIterator()
            var issued = 0, appended = 0, count = 0
            var ready: [Int: Page] = [:]
            func issue(_ group: inout ThrowingTaskGroup<(Int, Page), any Error>) {
                guard let start = starts.next() else { return }
                let index = issued, through = min(start + step, last)
                issued += 1
                group.addTask { (index, try await produce(start, through)) }
            }
            for _ in 0..<Self.readAhead { issue(&group) }
            while appended < issued {
                while ready[appended] == nil, let (index, page) = try await group.next() { ready[index] = page }
                guard let page = ready.removeValue(forKey: appended) else { break }
                appended += 1
                issue(&group)
                guard page.count > 0 else { continue }
                try await append(count == 0 ? Data(page.chunk.dropFirst(Self.separator)) : Data(page.chunk))
                count += page.count
            }
            return count
        }
    }

    /// The bytes `StreamedJSON.appendElement` writes before an element that is not its array's first.
    static let separator = StreamedJSON.separator.utf8.count

    /// `manifest.json`, page by page: its objects in job order, then the counts.
    func writeManifest(_ job: JobRecord, request: ExportRequest, append: (Data) async throws -> Void) async throws {
        let members = try StreamedJSON.manifestMembers(
            jobId: job.id, caseId: job.caseId, bucket: job.bucket, prefix: job.prefix,
            dateCreated: Timestamp.format(millis: job.dateCreated), dateCompleted: Timestamp.format(millis: job.dateCompleted ?? job.dateCreated),
            request: request)
        try await append(StreamedJSON.head(members, arrayName: "objects"))
        // Pages are ranges of item seqs, read and formatted several at once: the reads (two index lookups per
        // recording) are the manifest's slowest part.
        let jobId = job.id
        let lastSeq = try await store.lastItemSeq(job: jobId)
        let finisher = self
        let count = try await appendPages(from: 0, through: lastSeq, step: Int64(Self.page), produce: { after, through in
            let objects = try await finisher.manifestPage(job, after: Int(after), through: Int(through))
            var chunk: [UInt8] = []
            chunk.reserveCapacity(objects.count * 320)
            for object in objects { StreamedJSON.appendElement(object, first: false, into: &chunk) }
            return (chunk, objects.count)
        }, append: append)
        let p = job.progress
        let counts = Manifest.Counts(conversations: p.totalConversations, recordings: p.totalRecordings, exportedRecordings: p.processed,
                                     failedRecordings: p.failed, skippedRecordings: p.skipped, objects: count)
        try await append(StreamedJSON.tail(empty: count == 0, trailing: [("counts", try CanonicalJSON.data(counts))]))
    }

    /// The manifest objects of the written items with a seq in `after + 1 ... through`, in seq order.
    func manifestPage(_ job: JobRecord, after: Int, through: Int) async throws -> [Manifest.Object] {
        try await store.manifestPage(job, after: after, through: through)
    }

    /// `chain-of-custody.json`, page by page: the job's audit entries up to and including the manifest's. Pages are
    /// ranges of the chain's seqs (other jobs' entries in a range are not the job's, and are left out).
    func writeCustody(_ job: JobRecord, caseId: String, manifestKey: String, manifestSha256: String, throughSeq: Int64,
                      append: (Data) async throws -> Void) async throws {
        let members = try StreamedJSON.custodyMembers(jobId: job.id, caseId: caseId, bucket: job.bucket, manifestKey: manifestKey,
                                                      manifestSha256: manifestSha256)
        try await append(StreamedJSON.head(members, arrayName: "entries"))
        let jobId = job.id
        let firstSeq = try await store.firstAuditSeq(job: jobId) ?? throughSeq
        let db = store
        let count = try await appendPages(from: firstSeq - 1, through: throughSeq, step: Int64(Self.page), produce: { after, through in
            let entries = try await db.custodyEntries(job: jobId, afterSeq: after, throughSeq: through)
            var chunk: [UInt8] = []
            chunk.reserveCapacity(entries.count * 640)
            for entry in entries { StreamedJSON.appendElement(entry, first: false, into: &chunk) }
            return (chunk, entries.count)
        }, append: append)
        try await append(StreamedJSON.tail(empty: count == 0))
    }

    /// Writes one job-level object produced in pieces; returns the seq of its audit entry (an earlier one when the
    /// same bytes are already in place) and its SHA-256, or the refusal that fails the job (a held object with other
    /// bytes is in the way, or the remote store refused).
    func putOne(_ job: JobRecord, key: String, event: String, now: Int64,
                produce: (_ append: (Data) async throws -> Void) async throws -> Void) async throws
        -> Result<(seq: Int64, sha256: String), ExportBatch.Refusal> {
        let object = HeldWrites.newObject(job: job, key: key, data: Data())
        let outcome: HeldWrites.Outcome
        do {
            switch target {
            case .local: outcome = try await HeldWrites.putStreamed(object, store: store, sink: parts.sink, now: now, produce: produce)
            case .remote(let client):
                outcome = try await RemoteWrites.putStreamed(object, store: store, sink: parts.sink, now: now, client: client, produce: produce)
            }
        } catch let e as RemoteS3Error {
            return .failure(.init(message: e.description))
        }
        switch outcome {
        case .written(let stored):
            let seq = try await store.commit(object: HeldWrites.exported(stored, source: object), job: job, event: event, now: now)
            return .success((seq, stored.sha256))
        case .alreadyPresent(let old):
            let seq = try await store.lastAuditSeq(job: job.id, event: event)
            if let seq, old.jobId == job.id { return .success((seq, old.sha256)) }
            return .failure(.init(message: HeldWrites.deniedMessage(key)))
        case .denied(let message):
            return .failure(.init(message: message))
        }
    }
}
