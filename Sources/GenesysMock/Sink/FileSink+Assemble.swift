import Crypto
import Foundation
import MockStore
import RecordingsDomain
import SystemPackage

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
        try makeFoldersInside(Self.folder(of: final))
        let tmp = tmpDir + "/\(RandomID.uuid())-assemble"
        let out = try SinkError.naming("could not create a temporary file") { try FileDescriptor.createNew(tmp) }
        var placed = false
        defer { if !placed { FileCalls.remove(tmp) } }
        var md5 = Insecure.MD5()
        var sha = SHA256()
        var size = 0
        try SinkError.naming("could not write an object") {
            try out.closeAfter {
                var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
                for source in sources {
                    try Self.eachChunk(of: source, into: &buffer) { chunk in
                        md5.update(bufferPointer: chunk)
                        sha.update(bufferPointer: chunk)
                        try SinkError.naming("could not write an object") { try out.write(everyByteOf: chunk) }
                        size += chunk.count
                    }
                }
                try SinkError.naming("fsync failed") { try out.sync() }
            }
        }
        try placeOne(tmp, at: final)
        placed = true
        return StoredObject(bucket: bucket, key: key, size: size, etag: Digest.hex(md5.finalize()), sha256: Digest.hex(sha.finalize()))
    }

    /// Reads a source file (never through a link) a buffer at a time.
    private static func eachChunk(of source: String, into buffer: inout [UInt8], _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.openForReading(source)
        } catch {
            throw SinkError(code: .io, message: "could not open \((source as NSString).lastPathComponent)")
        }
        try fd.closeAfter {
            while true {
                let n = try buffer.withUnsafeMutableBytes { buf in
                    do { return try fd.read(into: buf) } catch { throw SinkError(code: .io, message: "could not read: \(error)") }
                }
                if n == 0 { break }
                try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            }
        }
    }
}
