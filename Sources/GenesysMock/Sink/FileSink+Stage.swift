import Foundation
import SystemPackage
import MockStore

/// How objects reach their keys. Each is written to a temporary file in `{data}/tmp` (stage), then renamed under
/// its key (place), with syncs so that a crash never leaves a partial object under a key nor loses one the
/// database was told about: a batch is made durable with one `syncfs` before and one after its renames, a small
/// one with an `fsync` per file and per folder. No system call is added per object beyond the write itself.
extension FileSink {
    /// An object written to a temporary file by `stage`, and what it will be once placed under its key.
    package struct StagedFile: Sendable {
        var tmp: String
        var final: String
        var stored: StoredObject
    }

    /// A batch written to temporary files and not yet under its keys (see `stage`).
    package struct StagedBatch: Sendable {
        var files: [StagedFile]
        /// Few enough objects for an fsync each rather than a sync of the filesystem.
        var small: Bool
    }

    /// Up to this many objects are made durable with fsync per file and folder; larger batches with `syncfs`,
    /// which costs about a fifth of an fsync per file but syncs the whole filesystem.
    static let fsyncBatchLimit = 4

    /// From this many objects on, `stage` writes a batch's two halves at once.
    static let splitStagingAt = 64

    /// Writes a batch durably on a blocking-IO thread (see `writeBlocking`). Returns what was stored, in order.
    package func write(_ objects: [NewObject]) async throws -> [StoredObject] {
        guard !objects.isEmpty else { return [] }
        return try await noting { try await BlockingIO.run { try writeBlocking(objects) } }
    }

    /// Stages a batch on blocking-IO threads (see `stageBlocking`): the first half of `write`. An export stages
    /// its next batch while this one is placed, so the CPU writes files while the disk syncs. Creating files is
    /// mostly the kernel's CPU work, so a big batch is staged in two halves at once, one per core; the halves keep
    /// the batch's order.
    package func stage(_ objects: [NewObject]) async throws -> StagedBatch {
        try await noting {
            guard objects.count >= Self.splitStagingAt else { return try await BlockingIO.run { try stageBlocking(objects[...]) } }
            let middle = objects.count / 2
            async let first = BlockingIO.run { try stageBlocking(objects[..<middle], small: false) }
            let second: StagedBatch
            do {
                second = try await BlockingIO.run { try stageBlocking(objects[middle...], small: false) }
            } catch {
                if let staged = try? await first { await discard(staged) }
                throw error
            }
            let head: StagedBatch
            do {
                head = try await first
            } catch {
                await discard(second)
                throw error
            }
            return StagedBatch(files: head.files + second.files, small: false)
        }
    }

    /// Places a staged batch (see `placeBlocking`): the second half of `write`. Returns what was stored, in order.
    package func place(_ batch: StagedBatch) async throws -> [StoredObject] {
        guard !batch.files.isEmpty else { return [] }
        return try await noting { try await BlockingIO.run { try placeBlocking(batch) } }
    }

    /// Removes the temporary files of a staged batch that will not be placed.
    package func discard(_ batch: StagedBatch) async {
        _ = try? await BlockingIO.run { for f in batch.files { FileCalls.remove(f.tmp) } }
    }

    /// Writes a batch: every temporary file, a sync, every rename, a sync. Returns what was stored, in order.
    func writeBlocking(_ objects: [NewObject]) throws -> [StoredObject] {
        try placeBlocking(try stageBlocking(objects[...]))
    }

    /// Writes every object of a batch to a temporary file (fsynced when the batch is small); nothing is under a
    /// key yet. On failure, the temporary files written so far are removed.
    func stageBlocking(_ objects: ArraySlice<NewObject>, small: Bool? = nil) throws -> StagedBatch {
        var files: [StagedFile] = []
        files.reserveCapacity(objects.count)
        var complete = false
        defer { if !complete { for f in files { FileCalls.remove(f.tmp) } } }
        let small = small ?? (objects.count <= Self.fsyncBatchLimit)
        var folders = SinkFolders(sink: self)
        // One random stem per call: the temporary names only have to be unique, and a UUID per object costs.
        let stem = tmpDir + "/" + RandomID.uuid() + "-"
        for (i, o) in objects.enumerated() {
            let final = try path(bucket: o.bucket, key: o.key)
            try folders.make(Self.folder(of: final))
            let tmp = stem + String(i)
            try writeNewFile(tmp, o.data, sync: small)
            let digests = o.digests ?? Digests(of: o.data)
            files.append(StagedFile(tmp: tmp, final: final, stored: StoredObject(
                bucket: o.bucket, key: o.key, size: o.data.count, etag: digests.etag, sha256: digests.sha256)))
        }
        complete = true
        return StagedBatch(files: files, small: small)
    }

    /// Makes a staged batch durable under its keys: a sync, every rename, a sync (a small batch: its folders'
    /// fsyncs). Temporary files not moved into place are removed, whatever happened (renamed ones are gone
    /// already: looking them up again in the big tmp folder would cost a failed unlink per object).
    func placeBlocking(_ batch: StagedBatch) throws -> [StoredObject] {
        var renamed = 0
        defer { for f in batch.files.dropFirst(renamed) { FileCalls.remove(f.tmp) } }
        if !batch.small { try syncFilesystem() }
        for f in batch.files {
            try SinkError.naming("could not move object into place") { try FileCalls.rename(f.tmp, to: f.final) }
            renamed += 1
        }
        if batch.small {
            for folder in Set(batch.files.map { Self.folder(of: $0.final) }) { try syncFolder(folder) }
        } else {
            try syncFilesystem()
        }
        return batch.files.map(\.stored)
    }

    /// Moves one durable temporary file under its name and syncs the folder: the end of every single-file write
    /// (an assembled object, a part, a streamed file). The folder must exist, checked to lie inside the sink.
    func placeOne(_ tmp: String, at final: String, what: String = "could not move object into place") throws {
        try SinkError.naming(what) { try FileCalls.rename(tmp, to: final) }
        try syncFolder(Self.folder(of: final))
    }

    /// Writes `data` to a new file, synced when `sync`; a write cut short (a full disk) leaves no file behind.
    func writeNewFile(_ path: String, _ data: Data, sync: Bool) throws {
        let fd = try SinkError.naming("could not create a temporary file") { try FileDescriptor.createNew(path) }
        do {
            try SinkError.naming("could not write an object") {
                try fd.closeAfter {
                    try fd.write(everyByteOf: data)
                    if sync { try SinkError.naming("fsync failed") { try fd.sync() } }
                }
            }
        } catch {
            FileCalls.remove(path)
            throw error
        }
    }

    func syncFolder(_ path: String) throws {
        try SinkError.naming("could not sync a bucket folder") { try FileCalls.syncFolder(path) }
    }

    func syncFilesystem() throws {
        try SinkError.naming("syncfs failed") {
            let fd = try FileDescriptor.openFolder(root)
            defer { try? fd.close() }
            try fd.syncFilesystem()
        }
    }
}
