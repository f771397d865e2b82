import MockStore

/// Batches in a row at full speed (`--export-rate 0`). A batch is written in two steps: staged (its objects in
/// temporary files: CPU) and placed (a sync, the renames, a sync: mostly waiting for the disk). In each round, while
/// one batch is placed, the next is staged, the one after it is read, rendered and its keys looked up, and the one
/// before commits, so the database, the disk and both cores work at once. The four run as child tasks of the
/// round (`async let`): a cancel or a stop of the worker reaches each of them, and no round outlives the pipeline.
/// Each batch still commits in order, in its own transaction after its objects are durable under their keys, so
/// a crash anywhere is resumed exactly as before (staged files are in the tmp folder, emptied at start). After
/// `pipelineDepth` batches the worker moves on to the next active job, which keeps exports that run together fair.
extension ExportEngine {
    static let pipelineDepth = 32

    typealias Staging = Result<ExportBatch.Staged, ExportBatch.Refusal>

    func pipeline(_ job: JobRecord, first: [PendingItem], target: ExportTarget) async throws {
        let firstBatch = ExportBatch(parts: parts, job: job, items: first, target: target)
        async let preparingSecond = upcoming(job, after: first.last?.seq ?? 0, target: target, round: 1)
        var current: (batch: ExportBatch, staging: Staging) = (firstBatch, try await firstBatch.stage(try await firstBatch.prepare()))
        var prepared = try await preparingSecond
        // A batch placed in the round before, committed in this one.
        var placed: (batch: ExportBatch, written: ExportBatch.Written)?
        // The batch staged beside the one being placed, until its own turn: if the pipeline stops before that, its
        // temporary files are removed (a batch being placed removes whatever it does not move itself).
        var unplaced: (batch: ExportBatch, staged: ExportBatch.Staged)?
        if case .success(let s) = current.staging { unplaced = (current.batch, s) }
        do {
            for round in 0..<Self.pipelineDepth {
                let now = clock.nowMillis(org: job.orgId)
                guard case .success(let staged) = current.staging, !Task.isCancelled else {
                    if let p = placed { try await p.batch.commit(p.written, now: now) }  // the batch before commits first
                    placed = nil
                    if case .failure(let refusal) = current.staging { try await fail(job.id, message: refusal.message, now: now) }
                    break
                }
                unplaced = nil
                let batch = current.batch, previous = placed, next = prepared
                async let placing = Self.outcome { try await batch.place(staged) }
                async let committing = Self.outcome { if let previous { try await previous.batch.commit(previous.written, now: now) } }
                async let staging = Self.outcome { () -> (batch: ExportBatch, staging: Staging)? in
                    guard let next else { return nil }
                    return (next.0, try await next.0.stage(next.1))
                }
                // Rendering is the heaviest step: the batch after next renders while the next one is staged.
                async let preparing = Self.outcome { () -> (ExportBatch, ExportBatch.Prepared)? in
                    guard let last = next?.0.items.last else { return nil }
                    return try await upcoming(job, after: last.seq, target: target, round: round + 2)
                }
                let (place, commit, stage, prepare) = await (placing, committing, staging, preparing)
                placed = nil
                if case .success(let n?) = stage, case .success(let s) = n.staging { unplaced = (n.batch, s) }
                if case .failure(let e) = commit { throw e }
                switch place {
                case .failure(let e):
                    throw e
                case .success(.failure(let refusal)):
                    try await fail(job.id, message: refusal.message, now: now)
                    placed = nil
                    break
                case .success(.success(let written)):
                    placed = (batch, written)
                }
                if case .success(.failure) = place { break }
                // A full disk while staging or reading the next batch: this one still commits (below), then the error.
                let n = try stage.get()
                prepared = try prepare.get()
                guard let n else { break }
                current = n
            }
        } catch {
            if let p = placed { _ = try? await p.batch.commit(p.written, now: clock.nowMillis(org: job.orgId)) }  // a batch already placed still commits
            if let unplaced { await unplaced.batch.discard(unplaced.staged) }
            throw error
        }
        if let unplaced { await unplaced.batch.discard(unplaced.staged) }
        if let p = placed { try await p.batch.commit(p.written, now: clock.nowMillis(org: job.orgId)) }
    }

    /// The job's batch after `seq`, read and prepared; nil when none is left or the pipeline is deep enough.
    func upcoming(_ job: JobRecord, after seq: Int, target: ExportTarget, round: Int) async throws -> (ExportBatch, ExportBatch.Prepared)? {
        guard round < Self.pipelineDepth, !Task.isCancelled else { return nil }
        let items = try await pendingItems(job.id, after: seq, limit: Self.maxBatch)
        guard !items.isEmpty else { return nil }
        let batch = ExportBatch(parts: parts, job: job, items: items, target: target)
        return (batch, try await batch.prepare())
    }

    /// A child task's result, so that a round sees what became of every step before it decides.
    static func outcome<T: Sendable>(_ body: () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }
}
