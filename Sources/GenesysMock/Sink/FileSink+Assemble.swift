import Crypto
import Foundation
import RecordingsDomain
#if canImport(Glibc)
import Glibc
import MockStore
#endif

/// Objects made from files already on disk (CopyObject's source, CompleteMultipartUpload's parts), streamed in
/// 1 MiB chunks into a temporary file, hashed on the way, made durable and renamed into place: never held in
/// memory whole, and a crash at any point leaves nothing under the key but what was there before.
extension FileSink {
    static let chunkSize = 1 << 20

    /// Concatenates `sources` (absolute paths this sink handed out) into `bucket/key`.
    package func assemble(_ sources: [String], bucket: String, key: String) async throws -> StoredObject {
        try await noting { try await BlockingIO.run { try assembleBlocking(sources, bucket: bucket, key: key) } }
    }

    func assembleBlocking(_ sources: [String], bucket: String, key: String) throws -> StoredObject {
        let final = try path(bucket: bucket, key: key)
        let parent = Self.folder(of: final)
        try makeFoldersInside(parent)
        let tmp = tmpDir + "/\(RandomID.uuid())-assemble"
        let out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard out >= 0 else { throw Self.failure("could not create a temporary file") }
        var renamed = false
        defer {
            close(out)
            if !renamed { unlink(tmp) }
        }
        var md5 = Insecure.MD5()
        var sha = SHA256()
        var size = 0
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        for source in sources {
            let fd = open(source, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else { throw SinkError(code: .io, message: "could not open \((source as NSString).lastPathComponent)") }
            defer { close(fd) }
            while true {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, Self.chunkSize) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw SinkError(code: .io, message: "could not read: \(String(cString: strerror(errno)))") }
                if n == 0 { break }
                try buffer[0..<n].withUnsafeBytes { chunk in
                    md5.update(bufferPointer: chunk)
                    sha.update(bufferPointer: chunk)
                    try Self.writeAll(out, chunk)
                }
                size += n
            }
        }
        if fsync(out) != 0 { throw Self.failure("fsync failed") }
        if rename(tmp, final) != 0 {
            throw SinkError(code: .io, message: "could not move object into place: \(String(cString: strerror(errno)))")
        }
        renamed = true
        try syncFolder(parent)
        return StoredObject(bucket: bucket, key: key, size: size, etag: Digest.hex(md5.finalize()), sha256: Digest.hex(sha.finalize()))
    }

    /// The real path of a stored object's file, for `assemble`, when it lies inside the sink (resolved on a
    /// blocking-IO thread: `realpath` walks the disk).
    package func objectFile(bucket: String, key: String) async throws -> String? {
        try await BlockingIO.run { realObjectPath(bucket: bucket, key: key) }
    }
}
