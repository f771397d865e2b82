import AsyncHTTPClient
import Foundation
import MockStore
import NIOCore
import RecordingsDomain
import SystemPackage

/// Reading an export back from its store (`verify`): big files streamed to disk, objects fetched many at a time.
extension RemoteS3Client {
    /// Streams the object under `key` into a new file at `path`, a chunk at a time; false when there is no such
    /// object. Retried like any call.
    func download(_ key: String, to path: String) async throws -> Bool {
        try await withRetries {
            let request = signedRequest(.GET, key: key, payloadHash: Digest.sha256Hex(Data()))
            let response = try await Self.http.execute(request, timeout: .seconds(300))
            let status = Int(response.status.code)
            guard status == 200 else {
                let answer = Answer(status: status, headers: response.headers, body: try await response.body.collect(upTo: 1 << 20))
                let error = Self.error(answer, method: .GET, bucket: bucket, key: key)
                if status == 404, error.code == "NoSuchKey" { return false }
                throw error
            }
            // A fresh file each attempt (O_TRUNC): an attempt cut short leaves nothing behind in it.
            // The descriptor crosses awaits as its raw value (`FileDescriptor` is not `Sendable`).
            let fd = try await BlockingIO.run {
                try SinkError.naming("could not create \(path)") { try FileDescriptor.createOrTruncate(path).rawValue }
            }
            let close: @Sendable () throws -> Void = { try? FileDescriptor(rawValue: fd).close() }
            do {
                for try await chunk in response.body {
                    let bytes = Data(buffer: chunk)
                    try await BlockingIO.run {
                        try SinkError.naming("could not write an object") { try FileDescriptor(rawValue: fd).write(everyByteOf: bytes) }
                    }
                }
                try await BlockingIO.run(close)
                return true
            } catch {
                try? await BlockingIO.run(close)
                throw error
            }
        }
    }

    /// The bytes of each object (nil where there is none), fetched `parallelism` at a time, in the keys' order.
    package func getAll(_ keys: [String]) async throws -> [Data?] {
        try await withThrowingTaskGroup(of: (Int, Data?).self) { group in
            var out = [Data?](repeating: nil, count: keys.count)
            var next = 0, inFlight = 0
            while next < keys.count || inFlight > 0 {
                while next < keys.count, inFlight < Self.parallelism {
                    let i = next, key = keys[i]
                    group.addTask { (i, try await get(key, maxBody: 256 << 20)) }
                    next += 1
                    inFlight += 1
                }
                if let (i, data) = try await group.next() { out[i] = data }
                inFlight -= 1
            }
            return out
        }
    }
}
