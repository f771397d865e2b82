import Foundation
#if canImport(Glibc)
import Glibc
import MockStore
#endif

/// Reading big objects a piece at a time, so that serving one (or many ranges of one at once, as boto3's
/// download_file does) never holds the whole file in memory.
extension FileSink {
    /// The size of an object's file, or nil when there is none.
    package func objectSize(bucket: String, key: String) async throws -> Int? {
        try await BlockingIO.run {
            guard let (fd, size) = openObjectBlocking(bucket: bucket, key: key) else { return nil }
            close(fd)
            return size
        }
    }

    /// Runs `body` with the object's file open (`body` reads it with `readChunk`); the file is closed after,
    /// whatever happens.
    package func withObjectFile<T: Sendable>(bucket: String, key: String, _ body: (Int32) async throws -> T) async throws -> T {
        guard let fd = try await BlockingIO.run({ openObjectBlocking(bucket: bucket, key: key)?.fd }) else {
            throw SinkError(code: .io, message: "the object's file is gone")
        }
        do {
            let result = try await body(fd)
            try await BlockingIO.run { _ = close(fd) }
            return result
        } catch {
            try? await BlockingIO.run { _ = close(fd) }
            throw error
        }
    }

    /// Exactly `count` bytes at `offset` of an open file (fewer only at its end).
    package func readChunk(_ fd: Int32, offset: Int, count: Int) async throws -> [UInt8] {
        try await BlockingIO.run {
            var bytes = [UInt8](repeating: 0, count: count)
            var done = 0
            while done < count {
                let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw SinkError(code: .io, message: "could not read an object: \(String(cString: strerror(errno)))") }
                if n == 0 { break }
                done += n
            }
            return done == count ? bytes : Array(bytes[0..<done])
        }
    }
}
