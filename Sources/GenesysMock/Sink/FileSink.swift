import Foundation
import RecordingsDomain
#if canImport(Glibc)
import Glibc
import MockStore
#endif

/// `syncfs(2)`: Glibc declares it only under `_GNU_SOURCE`, which the Swift module map does not set.
@_silgen_name("syncfs")
private func c_syncfs(_ fd: Int32) -> Int32

/// The filesystem side of the fake S3 sink (CONTRACT §8): `{data}/s3/{bucket}/{key}` holds exactly the object's
/// bytes. Writes are atomic (temporary file, then rename) and made durable in batches with one `syncfs` before
/// and one after the renames, so a crash never leaves a partial object under its real key.
package struct FileSink: Sendable {
    package struct NewObject: Sendable {
        package var bucket: String
        package var key: String
        package var data: Data
        package var contentType: String
        package var userMetadata: [String: String]
        package var legalHold: Bool
        /// The bytes' MD5 (the ETag) and SHA-256 when the producer has them already: an export hashes each object
        /// where it renders it, on the pool's threads, so the batch's write (the export's slowest step) does not.
        /// `writeBlocking` hashes an object that comes without them.
        package var digests: Digests? = nil
    }

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

    package struct Digests: Sendable, Equatable {
        package var etag: String
        package var sha256: String

        package init(of data: Data) {
            etag = Digest.md5Hex(data)
            sha256 = Digest.sha256Hex(data)
        }
    }

    package struct StoredObject: Sendable, Equatable {
        package var bucket: String
        package var key: String
        package var size: Int
        package var etag: String
        package var sha256: String
    }

    package let root: String
    /// `root` with every symlink resolved, once: a key's real path must lie below it.
    let realRoot: String
    let tmpDir: String
    /// Told when a write fails for lack of space, and when writes succeed again.
    package let storage: StorageCondition

    /// Creates `{data}/s3` and `{data}/tmp`, and clears temporary files a crash may have left.
    package init(dataDir: String, storage: StorageCondition = StorageCondition()) throws {
        self.storage = storage
        root = dataDir + "/s3"
        tmpDir = dataDir + "/tmp"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        try? fm.removeItem(atPath: tmpDir)
        try fm.createDirectory(atPath: tmpDir, withIntermediateDirectories: true)
        guard let r = realpath(root, nil) else { throw SinkError(code: .io, message: "cannot resolve the sink folder \(root)") }
        realRoot = String(cString: r)
        free(r)
    }

    package func path(bucket: String, key: String) throws(SinkError) -> String {
        root + "/" + (try SinkPath.relative(bucket: bucket, key: key))
    }

    /// Bytes stored under a key, or nil. Read on a blocking-IO thread.
    package func read(bucket: String, key: String) async throws -> Data? {
        try await BlockingIO.run { readBlocking(bucket: bucket, key: key) }
    }

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

    /// From this many objects on, `stage` writes a batch's two halves at once.
    static let splitStagingAt = 64

    /// Places a staged batch (see `placeBlocking`): the second half of `write`. Returns what was stored, in order.
    package func place(_ batch: StagedBatch) async throws -> [StoredObject] {
        guard !batch.files.isEmpty else { return [] }
        return try await noting { try await BlockingIO.run { try placeBlocking(batch) } }
    }

    /// Removes the temporary files of a staged batch that will not be placed.
    package func discard(_ batch: StagedBatch) async {
        _ = try? await BlockingIO.run { for f in batch.files { unlink(f.tmp) } }
    }

    /// Runs a write and tells the storage condition whether it found room.
    func noting<T>(_ write: () async throws -> T) async throws -> T {
        do {
            let result = try await write()
            storage.noteWritten(.files)
            return result
        } catch let e as SinkError where e.code == .diskFull {
            storage.noteFull(.files)
            throw e
        }
    }

    func readBlocking(bucket: String, key: String) -> Data? {
        guard let real = realObjectPath(bucket: bucket, key: key) else { return nil }
        return Self.readFile(real)
    }

    /// The real path (symlinks resolved) of an object's file, when it lies inside the sink.
    func realObjectPath(bucket: String, key: String) -> String? {
        guard let p = try? path(bucket: bucket, key: key), let real = realPath(p), real.hasPrefix(realRoot + "/") else { return nil }
        return real
    }

    /// An object's regular file opened for reading, with its size (see `FileSink+Stream`).
    func openObjectBlocking(bucket: String, key: String) -> (fd: Int32, size: Int)? {
        realObjectPath(bucket: bucket, key: key).flatMap { Self.openRegularFile($0) }
    }

    /// A regular file opened read-only, with its size, or nil (the descriptor is the caller's to close).
    static func openRegularFile(_ real: String, followingLinks: Bool = false) -> (fd: Int32, size: Int)? {
        let fd = open(real, O_RDONLY | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        return (fd, Int(info.st_size))
    }

    /// A regular file's bytes with plain system calls (open, fstat, read), or nil. Blocking: call it from a
    /// blocking-IO thread or an offline command. The sink resolves links itself and opens only real paths.
    package static func readFile(_ real: String, followingLinks: Bool = false) -> Data? {
        guard let (fd, size) = openRegularFile(real, followingLinks: followingLinks) else { return nil }
        defer { close(fd) }
        var data = Data(count: size)
        let complete = data.withUnsafeMutableBytes { (buf: UnsafeMutableRawBufferPointer) -> Bool in
            var offset = 0
            while offset < buf.count {
                let n = Glibc.read(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        return complete ? data : nil
    }

    /// Up to this many objects are made durable with fsync per file and folder; larger batches with `syncfs`,
    /// which costs about a fifth of an fsync per file but syncs the whole filesystem.
    static let fsyncBatchLimit = 4

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
        defer { if !complete { for f in files { unlink(f.tmp) } } }
        let small = small ?? (objects.count <= Self.fsyncBatchLimit)
        var folders = SinkFolders(sink: self)
        // One random stem per call: the temporary names only have to be unique, and a UUID per object costs.
        let stem = tmpDir + "/" + RandomID.uuid() + "-"
        for (i, o) in objects.enumerated() {
            let final = try path(bucket: o.bucket, key: o.key)
            try folders.make(Self.folder(of: final))
            let tmp = stem + String(i)
            try writeFile(tmp, o.data, fsync: small)
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
        defer { for f in batch.files.dropFirst(renamed) { unlink(f.tmp) } }
        if !batch.small { try syncFilesystem() }
        for f in batch.files {
            if rename(f.tmp, f.final) != 0 { throw Self.failure("could not move object into place") }
            renamed += 1
        }
        if batch.small {
            for folder in Set(batch.files.map { Self.folder(of: $0.final) }) { try syncFolder(folder) }
        } else {
            try syncFilesystem()
        }
        return batch.files.map(\.stored)
    }

    /// The folder of a file's path (`deletingLastPathComponent` without bridging to `NSString`).
    static func folder(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[..<slash])
    }

    func writeFile(_ path: String, _ data: Data, fsync durable: Bool) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.failure("could not create a temporary file") }
        var complete = false
        defer {
            close(fd)
            if !complete { unlink(path) }  // a write cut short (a full disk) leaves no temporary file behind
        }
        try Self.writeAll(fd, data)
        if durable, fsync(fd) != 0 { throw Self.failure("fsync failed") }
        complete = true
    }

    /// Writes every byte of `buf` to `fd`, retrying short writes and EINTR (`assemble` writes from its buffer).
    static func writeAll(_ fd: Int32, _ buf: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < buf.count {
            let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.failure("could not write an object")
            }
            offset += n
        }
    }

    func syncFolder(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SinkError(code: .io, message: "could not open a bucket folder") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw Self.failure("fsync failed") }
    }

    func syncFilesystem() throws {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SinkError(code: .io, message: "could not open the sink folder") }
        defer { close(fd) }
        if c_syncfs(fd) != 0 { throw Self.failure("syncfs failed") }
    }

    /// Writes every byte of `data` to `fd` (retrying short writes and EINTR).
    static func writeAll(_ fd: Int32, _ data: Data) throws {
        try data.withUnsafeBytes { try writeAll(fd, $0) }
    }

    /// The error for a failed system call (read `errno` right after it): out of space is `diskFull`.
    static func failure(_ what: String) -> SinkError {
        let code = errno
        return SinkError(code: code == ENOSPC || code == EDQUOT ? .diskFull : .io, message: "\(what): \(String(cString: strerror(code)))")
    }

    /// `mkdir -p` with `mkdir(2)`, so that a full disk reads as `diskFull` (and no Foundation call per folder).
    func makeFolders(_ path: String) throws {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw Self.failure("could not create a folder") }
        let parent = (path as NSString).deletingLastPathComponent
        guard parent != path, !parent.isEmpty else { throw Self.failure("could not create a folder") }
        try makeFolders(parent)
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw Self.failure("could not create a folder") }
    }

    /// True when the real path (symlinks resolved) of an existing folder lies below the sink root.
    func isInsideRoot(_ path: String, orRoot: Bool = false) -> Bool {
        guard let real = realPath(path) else { return false }
        return real.hasPrefix(realRoot + "/") || (orRoot && real == realRoot)
    }

    /// The path itself if it exists (following links), else its nearest existing ancestor.
    func deepestExisting(_ path: String) -> String {
        var p = path
        while !FileManager.default.fileExists(atPath: p), p.count > root.count {
            p = (p as NSString).deletingLastPathComponent
        }
        return p
    }

    func realPath(_ path: String) -> String? {
        guard let r = realpath(path, nil) else {
            // A file that does not exist yet: resolve its folder.
            let parent = (path as NSString).deletingLastPathComponent
            guard parent != path, let rp = realpath(parent, nil) else { return nil }
            defer { free(rp) }
            return String(cString: rp) + "/" + (path as NSString).lastPathComponent
        }
        defer { free(r) }
        return String(cString: r)
    }
}

extension FileSink {
    /// Empties the sink (for `/__admin/reset`): every bucket folder, multipart parts and any temporary file.
    package func removeEverything() async throws {
        try await BlockingIO.run { try removeEverythingBlocking() }
    }

    func removeEverythingBlocking() throws {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: root)) ?? [] { try fm.removeItem(atPath: root + "/" + name) }
        for name in (try? fm.contentsOfDirectory(atPath: tmpDir)) ?? [] { try? fm.removeItem(atPath: tmpDir + "/" + name) }
        try? fm.removeItem(atPath: partsRoot)
    }
}

extension FileSink {
    /// Removes an object's file, only when its real path (symlinks resolved) lies inside the sink.
    package func remove(bucket: String, key: String) async throws {
        try await BlockingIO.run { try removeBlocking(bucket: bucket, key: key) }
    }

    func removeBlocking(bucket: String, key: String) throws {
        let p = try path(bucket: bucket, key: key)
        let parent = (p as NSString).deletingLastPathComponent
        guard isInsideRoot(parent) else { return }
        unlink(p)
    }
}

extension FileSink {
    /// Removes a deleted bucket's folder when nothing but empty folders is left in it (a file someone put there
    /// by hand stays, and so does its folder).
    package func removeBucketFolder(_ bucket: String) async throws {
        guard NameRules.isBucketName(bucket) else { return }
        try await BlockingIO.run {
            let folder = root + "/" + bucket
            guard isInsideRoot(folder) else { return }
            let fm = FileManager.default
            var hasFile = false
            if let walk = fm.enumerator(atPath: folder) {
                while let item = walk.nextObject() as? String {
                    var isDir: ObjCBool = false
                    if !fm.fileExists(atPath: folder + "/" + item, isDirectory: &isDir) || !isDir.boolValue { hasFile = true; break }
                }
            }
            if !hasFile { try? fm.removeItem(atPath: folder) }
        }
    }
}
