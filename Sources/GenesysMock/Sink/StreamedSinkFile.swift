import Crypto
import Foundation
import MockStore
import RecordingsDomain
import SystemPackage

/// An object written in pieces (a big manifest or custody file): a temporary file in the sink's `tmp` folder,
/// hashed as it grows, then moved under its key like any other object. One task owns it from `begin` to
/// `commit` or `discard`; each step runs on a blocking-IO thread, one at a time, hence `@unchecked Sendable`.
final class StreamedSinkFile: @unchecked Sendable {
    let path: String
    private var fd: FileDescriptor?
    private var md5 = Insecure.MD5()
    private var sha = SHA256()
    private(set) var size = 0

    fileprivate init(path: String, fd: FileDescriptor) {
        self.path = path
        self.fd = fd
    }

    fileprivate func appendBlocking(_ data: Data) throws {
        md5.update(data: data)
        try writeBlocking(data)
    }

    /// The write and the SHA-256 of `appendBlocking`, for when the MD5 is computed at the same time on another
    /// thread (`updateMD5`): each digest is touched by one thread at a time.
    fileprivate func writeBlocking(_ data: Data) throws {
        sha.update(data: data)
        guard let fd else { throw SinkError(code: .io, message: "could not write an object: the file is closed") }
        try SinkError.naming("could not write an object") { try fd.write(everyByteOf: data) }
        size += data.count
    }

    fileprivate func updateMD5(_ data: Data) { md5.update(data: data) }

    /// Durable and closed; its digests.
    fileprivate func finishBlocking() throws -> (etag: String, sha256: String) {
        guard let fd else { throw SinkError(code: .io, message: "fsync failed: the file is closed") }
        self.fd = nil
        try SinkError.naming("fsync failed") { try fd.closeAfter { try fd.sync() } }
        return (Digest.hex(md5.finalize()), Digest.hex(sha.finalize()))
    }

    fileprivate func discardBlocking() {
        try? fd?.close()
        fd = nil
        FileCalls.remove(path)
    }
}

extension FileSink {
    /// Pieces of at least this many bytes are hashed with MD5 on a thread of their own.
    static let parallelHashing = 64 * 1024

    /// A new empty temporary object.
    func beginStreamed() async throws -> StreamedSinkFile {
        try await BlockingIO.run {
            let path = tmpDir + "/\(RandomID.uuid())-streamed"
            let fd = try SinkError.naming("could not create a temporary file") { try FileDescriptor.createNew(path) }
            return StreamedSinkFile(path: path, fd: fd)
        }
    }

    func append(_ data: Data, to file: StreamedSinkFile) async throws {
        try await notingFull {
            if data.count >= Self.parallelHashing {
                // A big piece (a page of a manifest or custody file): its MD5, the slowest of the three, on a second
                // thread, while the first hashes it with SHA-256 and writes it.
                async let md5: Void = BlockingIO.run { file.updateMD5(data) }
                try await BlockingIO.run { try file.writeBlocking(data) }
                try await md5
            } else {
                try await BlockingIO.run { try file.appendBlocking(data) }
            }
        }
    }

    /// Makes the bytes durable and returns what they will be stored as, before anything is moved.
    func finish(_ file: StreamedSinkFile) async throws -> (size: Int, etag: String, sha256: String) {
        let digests = try await BlockingIO.run { try file.finishBlocking() }
        return (file.size, digests.etag, digests.sha256)
    }

    /// Moves a finished file under its key (folders checked to lie inside the sink, then synced).
    func commit(_ file: StreamedSinkFile, bucket: String, key: String, etag: String, sha256: String) async throws -> StoredObject {
        let size = file.size
        return try await BlockingIO.run {
            let final = try path(bucket: bucket, key: key)
            try makeFoldersInside(Self.folder(of: final))
            try placeOne(file.path, at: final)
            storage.noteWritten(.files)
            return StoredObject(bucket: bucket, key: key, size: size, etag: etag, sha256: sha256)
        }
    }

    func discard(_ file: StreamedSinkFile) async {
        _ = try? await BlockingIO.run { file.discardBlocking() }
    }
}
