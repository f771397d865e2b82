import Foundation
import NIOCore
import Synchronization

/// The bytes of small objects read recently, so that a hot GetObject needs no trip to the disk. An entry is
/// served only while the object table's generation and the object's ETag are those it was read with; every
/// write or delete through the mock changes the table, so it is never stale for S3 clients. (A file changed
/// by hand under `data/s3` shows here once the table next changes; `genesys-mock verify` always reads the disk.)
/// Bounded in bytes: past the budget, older generations go first, then everything.
final class ObjectBodyCache: Sendable {
    private struct Entry {
        var generation: UInt64
        var etag: String
        var data: ByteBuffer
    }

    private struct State {
        var entries: [S3Store.ObjectKey: Entry] = [:]
        var bytes = 0
    }

    /// The largest object kept, and the most bytes kept in all.
    static let objectLimit = 256 << 10
    static let budget = 32 << 20

    private let state = Mutex(State())

    func get(_ key: S3Store.ObjectKey, generation: UInt64, etag: String) -> ByteBuffer? {
        state.withLock { s in
            guard let e = s.entries[key], e.generation == generation, e.etag == etag else { return nil }
            return e.data
        }
    }

    func put(_ key: S3Store.ObjectKey, _ data: ByteBuffer, generation: UInt64, etag: String) {
        guard data.readableBytes <= Self.objectLimit else { return }
        state.withLock { s in
            if let old = s.entries[key] { s.bytes -= old.data.readableBytes }
            if s.bytes + data.readableBytes > Self.budget {
                s.entries = s.entries.filter { $0.value.generation == generation }
                s.bytes = s.entries.values.reduce(0) { $0 + $1.data.readableBytes }
                if s.bytes + data.readableBytes > Self.budget { s.entries.removeAll(); s.bytes = 0 }
            }
            s.entries[key] = Entry(generation: generation, etag: etag, data: data)
            s.bytes += data.readableBytes
        }
    }
}
