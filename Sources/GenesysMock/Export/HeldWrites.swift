import Foundation
import MockStore
import RecordingsDomain

/// Writing objects into the sink while honouring legal hold: a held object is never overwritten. Finding the
/// same bytes already in place counts as written; different bytes are refused with S3's `AccessDenied`.
enum HeldWrites {
    enum Outcome: Sendable {
        case written(FileSink.StoredObject)
        case alreadyPresent(ObjectRecord)
        case denied(String)
    }

    /// A batch judged and staged: the outcomes known already (same bytes present, refused), and the objects to
    /// write, in temporary files (the indexes of `write` in the batch, in order).
    struct Staged: Sendable {
        var outcomes: [Outcome?]
        var write: [Int]
        var files: FileSink.StagedBatch
    }

    /// Judges every object of a batch (all of one bucket) against `existing`, the records held under their keys,
    /// and stages those to write (nothing is under a key yet); `place` then moves them in.
    static func stage(_ objects: [FileSink.NewObject], existing: [String: ObjectRecord], now: Int64, sink: FileSink) async throws -> Staged {
        var outcomes: [Outcome?] = Array(repeating: nil, count: objects.count)
        var write: [Int] = []
        for (i, o) in objects.enumerated() {
            if let judged = judge(existing[o.key], key: o.key, sha256: o.digests?.sha256 ?? Digest.sha256Hex(o.data), now: now) {
                outcomes[i] = judged
            } else {
                write.append(i)
            }
        }
        let files = try await sink.stage(write.map { objects[$0] })
        return Staged(outcomes: outcomes, write: write, files: files)
    }

    /// Places staged objects under their keys, durably; every object's outcome.
    static func place(_ staged: Staged, sink: FileSink) async throws -> [Outcome] {
        let stored = try await sink.place(staged.files)
        var outcomes = staged.outcomes
        for (n, i) in staged.write.enumerated() { outcomes[i] = .written(stored[n]) }
        return outcomes.map { $0! }
    }

    /// The rule for a key this mock holds a record of: under legal hold or Object Lock retention in force at `now`
    /// (the mock clock), the same bytes count as already present and other bytes are refused. Nil when the key may
    /// be written.
    static func judge(_ old: ObjectRecord?, key: String, sha256: @autoclosure () -> String, now: Int64) -> Outcome? {
        guard let old else { return nil }
        let retained = old.retention?.isActive(now: now) == true
        guard old.legalHold || retained else { return nil }
        if old.sha256 == sha256() { return .alreadyPresent(old) }
        return .denied(old.legalHold ? deniedMessage(key) : "AccessDenied: Access Denied (object \(key) is protected by Object Lock retention "
            + "and cannot be overwritten)")
    }

    /// `AccessDenied` for other bytes under a held key (`store`: the remote store that holds it).
    static func deniedMessage(_ key: String, store: String? = nil) -> String {
        "AccessDenied: Access Denied (object \(key) is under legal hold\(store.map { " in \($0)" } ?? "") and cannot be overwritten)"
    }

    /// The size and digests of a staged object, as `FileSink.finish` gives them.
    typealias StagedDigest = (size: Int, etag: String, sha256: String)

    /// Writes one object produced in pieces by `produce` (which calls `append` as often as it likes), with the same
    /// rules as `stage`: under a held object, the same bytes count as already present and other bytes are refused.
    /// The pieces are staged in a durable temporary file first; `place` then puts it under its key (the local sink
    /// moves it, a remote store uploads it). The temporary file is gone afterwards, whatever happened.
    static func putStreamed(_ object: FileSink.NewObject, store: any HeldObjectLookup, sink: FileSink, now: Int64,
                            produce: (_ append: (Data) async throws -> Void) async throws -> Void,
                            place: ((StreamedSinkFile, StagedDigest) async throws -> Outcome)? = nil) async throws -> Outcome {
        let file = try await sink.beginStreamed()
        let outcome: Outcome
        do {
            try await produce { data in try await sink.append(data, to: file) }
            let digest = try await sink.finish(file)
            let bucket = object.bucket, key = object.key
            let old = try await store.object(bucket: bucket, key: key)
            if let judged = judge(old, key: key, sha256: digest.sha256, now: now) {
                outcome = judged
            } else if let place {
                outcome = try await place(file, digest)
            } else {
                outcome = .written(try await sink.commit(file, bucket: bucket, key: key, etag: digest.etag, sha256: digest.sha256))
            }
        } catch {
            await sink.discard(file)
            throw error
        }
        await sink.discard(file)  // after a move into place, only closes what is already closed
        return outcome
    }

    /// A written (or, `reused`, found) object as the store records it.
    static func exported(_ stored: FileSink.StoredObject, source: FileSink.NewObject, reused: Bool = false) -> ExportedObject {
        ExportedObject(record: ObjectRecord(bucket: stored.bucket, key: stored.key, size: stored.size, etag: stored.etag, sha256: stored.sha256,
                                            contentType: source.contentType, userMetadata: source.userMetadata, legalHold: source.legalHold,
                                            lastModified: 0),
                       reused: reused)
    }

    /// An export's object, hashed here: it is made where the batch renders, off the write's path.
    static func newObject(job: JobRecord, key: String, data: Data) -> FileSink.NewObject {
        var meta = ["export-job-id": job.id]
        if let caseId = job.caseId { meta["legal-hold-case-id"] = caseId }
        return FileSink.NewObject(bucket: job.bucket, key: key, data: data, contentType: "application/json",
                                  userMetadata: meta, legalHold: job.caseId != nil, digests: FileSink.Digests(of: data))
    }
}
