import Foundation
import SystemPackage
import MockStore

/// Reading objects back: whole (small objects, `verify`), or a piece at a time, so that serving a big one (or
/// many ranges of one at once, as boto3's download_file does) never holds the whole file in memory. Only a
/// regular file whose real path lies inside the sink is opened (see `realObjectPath`), never through a link.
extension FileSink {
    /// Bytes stored under a key, or nil. Read on a blocking-IO thread.
    package func read(bucket: String, key: String) async throws -> Data? {
        try await BlockingIO.run { readBlocking(bucket: bucket, key: key) }
    }

    func readBlocking(bucket: String, key: String) -> Data? {
        guard let real = realObjectPath(bucket: bucket, key: key) else { return nil }
        return Self.readFile(real)
    }

    /// A regular file's bytes, or nil. Blocking: call it from a blocking-IO thread or an offline command. The sink
    /// resolves links itself and opens only real paths.
    package static func readFile(_ real: String, followingLinks: Bool = false) -> Data? {
        guard let (fd, size) = FileDescriptor.openRegularFile(real, followingLinks: followingLinks) else { return nil }
        defer { try? fd.close() }
        var data = Data(count: size)
        let read = data.withUnsafeMutableBytes { try? fd.read(fromAbsoluteOffset: 0, filling: $0) }
        return read == size ? data : nil
    }

    /// An object's regular file opened for reading, with its size.
    func openObjectBlocking(bucket: String, key: String) -> (fd: FileDescriptor, size: Int)? {
        realObjectPath(bucket: bucket, key: key).flatMap { FileDescriptor.openRegularFile($0) }
    }

    /// The size of an object's file, or nil when there is none.
    package func objectSize(bucket: String, key: String) async throws -> Int? {
        try await BlockingIO.run {
            guard let (fd, size) = openObjectBlocking(bucket: bucket, key: key) else { return nil }
            try? fd.close()
            return size
        }
    }

    /// Runs `body` with the object's file open (`body` reads it with `readChunk`; the descriptor travels as its
    /// raw value, `FileDescriptor` not being `Sendable`); the file is closed after, whatever happens.
    package func withObjectFile<T: Sendable>(bucket: String, key: String, _ body: (Int32) async throws -> T) async throws -> T {
        guard let fd = try await BlockingIO.run({ openObjectBlocking(bucket: bucket, key: key)?.fd.rawValue }) else {
            throw SinkError(code: .io, message: "the object's file is gone")
        }
        let close: @Sendable () throws -> Void = { try? FileDescriptor(rawValue: fd).close() }
        do {
            let result = try await body(fd)
            try await BlockingIO.run(close)
            return result
        } catch {
            try? await BlockingIO.run(close)
            throw error
        }
    }

    /// Exactly `count` bytes at `offset` of an open file (fewer only at its end).
    package func readChunk(_ fd: Int32, offset: Int, count: Int) async throws -> [UInt8] {
        try await BlockingIO.run {
            var bytes = [UInt8](repeating: 0, count: count)
            let done = try SinkError.naming("could not read an object") {
                try bytes.withUnsafeMutableBytes { try FileDescriptor(rawValue: fd).read(fromAbsoluteOffset: offset, filling: $0) }
            }
            return done == count ? bytes : Array(bytes[0..<done])
        }
    }
}
