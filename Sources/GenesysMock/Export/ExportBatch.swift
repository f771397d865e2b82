import Foundation
import MockStore
import DocumentCodecs
import RecordingsDomain

/// One paced batch of a PROCESSING job: render each recording's transcript and sidecar, write them durably,
/// then commit their records, the items' status, the counters and the audit entries in one transaction.
struct ExportBatch: Sendable {
    let parts: ExportParts
    /// The store, only as far as this step needs it.
    var store: any BatchStore { parts.store }
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
            if let failure = parts.faults.recordingFailure(position: item.seq, recordingId: pending.recordingId) {
                item.injected = failure
            } else if let doc = pending.document,
                      let c = Conversation.stored(doc),
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

    /// Renders the batch and writes its objects durably, or the destination's refusal (the engine fails the job).
    func write() async throws -> Result<Written, Refusal> {
        switch try await stage(try await prepare()) {
        case .success(let staged): return try await place(staged)
        case .failure(let refusal): return .failure(refusal)
        }
    }

    /// A rendered batch: its items, and the records this mock already holds under their keys.
    struct Prepared: Sendable {
        var items: [Item]
        var existing: [String: ObjectRecord]
    }

    /// Renders every recording of the batch, then looks up which of its keys already have a record (a resumed or
    /// repeated export under legal hold). This is the CPU-heavy part: the two halves are rendered at once, on the
    /// pool's threads rather than Swift's cooperative ones, so that requests (a client polling this very export)
    /// are not queued behind a batch: the OS shares the cores between them. It writes nothing, so the pipeline
    /// prepares the next batch while this one is written.
    func prepare() async throws -> Prepared {
        let middle = items.count / 2
        let batch = self
        async let firstHalf = BlockingIO.run { batch.render(batch.items[..<middle]) }
        let secondHalf = try await BlockingIO.run { batch.render(batch.items[middle...]) }
        let rendered = try await firstHalf + secondHalf
        let keys = rendered.flatMap { $0.objects.map(\.key) }
        let bucket = job.bucket
        let existing = try await store.objects(bucket: bucket, keys: keys)
        return Prepared(items: rendered, existing: existing)
    }

    /// The destination refused a batch: the job fails with `message`, in S3's words.
    struct Refusal: Error, Sendable {
        var message: String
    }

    /// A batch ready for `place`: in the local sink, its objects in temporary files; a remote store gets them in
    /// `place`.
    enum Staged: Sendable {
        case local(Prepared, HeldWrites.Staged)
        case remote(Prepared, RemoteS3Client)
    }

    /// The first half of `store`: judges the batch's objects against the records held under their keys and, in the
    /// local sink, writes those to write into temporary files (nothing is under a key yet).
    func stage(_ prepared: Prepared) async throws -> Result<Staged, Refusal> {
        let flat = prepared.items.flatMap(\.objects)
        let latency = parts.faults.writeLatencyMs()
        if latency > 0, !flat.isEmpty { parts.cooldowns.hold(job.id, milliseconds: latency * flat.count) }
        switch target {
        case .local:
            let sink = parts.sink
            let now = parts.clock.nowMillis(org: job.orgId)  // a retention is judged on the job org's mock clock
            return try await Self.refusals { .local(prepared, try await HeldWrites.stage(flat, existing: prepared.existing, now: now, sink: sink)) }
        case .remote(let client):
            return .success(.remote(prepared, client))
        }
    }

    /// The second half of `store`: makes the staged objects durable under their keys (local: a sync, the renames,
    /// a sync; remote: the uploads).
    func place(_ staged: Staged) async throws -> Result<Written, Refusal> {
        let sink = parts.sink
        return try await Self.refusals {
            switch staged {
            case .local(let prepared, let files):
                return Written(items: prepared.items, outcomes: try await HeldWrites.place(files, sink: sink))
            case .remote(let prepared, let client):
                let outcomes = try await RemoteWrites.put(prepared.items.flatMap(\.objects), existing: prepared.existing, now: parts.clock.nowMillis(org: job.orgId),
                                                          client: client)
                return Written(items: prepared.items, outcomes: outcomes)
            }
        }
    }

    /// Removes what a staged batch that will not be placed left in the sink's tmp folder.
    func discard(_ staged: Staged) async {
        if case .local(_, let files) = staged { await parts.sink.discard(files.files) }
    }

    /// Runs a write, turning the destination's refusals into a `Refusal`. A full disk is not the destination's
    /// answer: that error goes up, and the worker waits for space.
    static func refusals<T: Sendable>(_ write: () async throws -> T) async throws -> Result<T, Refusal> {
        do {
            return .success(try await write())
        } catch let e as RemoteS3Error {
            // The store refused the objects or could not be reached, after bounded retries.
            return .failure(Refusal(message: e.description))
        } catch let e as SinkError where e.code != .diskFull {
            // The destination refused the keys themselves: the job fails instead of retrying forever.
            let code = e.code == .io ? "InternalError" : (e.code == .invalidKey ? "KeyTooLongError" : e.code.rawValue)
            return .failure(Refusal(message: "\(code): \(e.message)"))
        }
    }

    /// Commits a written batch: object records, item statuses, counters and audit entries in one transaction.
    func commit(_ batch: Written, now: Int64) async throws {
        var index = 0
        let items = batch.items.map { item in
            var denial: String?
            var objects: [ExportedObject] = []
            for object in item.objects {
                switch batch.outcomes[index] {
                case .written(let stored):
                    objects.append(HeldWrites.exported(stored, source: object))
                case .alreadyPresent(let old) where old.jobId != job.id:
                    let stored = FileSink.StoredObject(bucket: old.bucket, key: old.key, size: old.size, etag: old.etag, sha256: old.sha256)
                    objects.append(HeldWrites.exported(stored, source: object, reused: true))
                case .alreadyPresent:
                    break
                case .denied(let message):
                    denial = denial ?? message
                }
                index += 1
            }
            let status: BatchItem.Status = if let injected = item.injected {
                .failed(injected)
            } else if item.missing {
                .skipped("the recording no longer exists")
            } else if let denial {
                .failed(denial)
            } else {
                .written
            }
            return BatchItem(seq: item.seq, objects: objects, status: status)
        }
        try await store.commit(batch: items, job: job.id, now: now)
    }
}
