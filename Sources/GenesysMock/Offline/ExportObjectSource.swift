import Dispatch
import Foundation
import MockStore
import DocumentCodecs
import RecordingsDomain
import Synchronization

/// Where a verification reads an export's objects: the one thing that differs between verifying a copy in a folder
/// and an export kept in a remote bucket. Each batch is hashed on every core, off Swift concurrency's threads.
package protocol ExportObjectSource: Sendable {
    /// Findings for a batch of objects, in the batch's order. Keys `copy` does not admit read as missing.
    func findings(_ objects: [Manifest.Object], in copy: ExportCopy) async throws -> [ExportVerifier.Finding]
}

/// The export's place: a copy of the bucket under `root` holding the keys below `prefix`.
package struct ExportCopy: Sendable {
    var root: String
    var prefix: String

    /// Whether the manifest may name this key at all: below the export's prefix, and a key the sink accepts.
    func admits(_ key: String) -> Bool {
        key.utf8.starts(with: prefix.utf8) && SinkPath.keyProblem(key) == nil
    }

    /// The file holding `key` in the copy.
    func path(_ key: String) -> String {
        root + String(decoding: key.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
    }
}

/// Objects read from the copy's folder: each read and hashed in one go, a core's worth at a time.
package struct LocalObjects: ExportObjectSource {
    package init() {}

    package func findings(_ objects: [Manifest.Object], in copy: ExportCopy) async throws -> [ExportVerifier.Finding] {
        try await BlockingIO.run {
            Self.hashed(objects) { i in copy.admits(objects[i].key) ? FileSink.readFile(copy.path(objects[i].key), followingLinks: true) : nil }
        }
    }

    /// `objects` checked against `bytes(i)` on every core, in order. Called on a thread that may block.
    static func hashed(_ objects: [Manifest.Object], bytes: @Sendable (Int) -> Data?) -> [ExportVerifier.Finding] {
        let slots = FindingSlots(count: objects.count)
        DispatchQueue.concurrentPerform(iterations: objects.count) { i in slots.set(i, ExportVerifier.check(objects[i], bytes: bytes(i))) }
        return slots.all
    }
}

/// Objects fetched a batch at a time (from a remote store). When the fetch fails, the batch reads as missing and
/// `trouble` says why, so that the report is not taken for a finding.
package struct FetchedObjects: ExportObjectSource {
    package typealias Fetch = @Sendable ([String]) async throws -> [Data?]
    let fetch: Fetch
    package let trouble = StoreTrouble()

    package init(fetch: @escaping Fetch) { self.fetch = fetch }

    package func findings(_ objects: [Manifest.Object], in copy: ExportCopy) async throws -> [ExportVerifier.Finding] {
        let admitted = objects.map { copy.admits($0.key) }
        let keys = objects.indices.filter { admitted[$0] }.map { objects[$0].key }
        var fetched: [Data?]
        do { fetched = try await fetch(keys) } catch {
            trouble.note(error)
            fetched = Array(repeating: nil, count: keys.count)
        }
        var next = fetched.makeIterator()
        let bytes = admitted.map { $0 ? (next.next() ?? nil) : nil }
        return try await BlockingIO.run { LocalObjects.hashed(objects) { bytes[$0] } }
    }
}

/// Slots written by `concurrentPerform`, each by exactly one iteration, read after it returns.
final class FindingSlots: @unchecked Sendable {
    /// One buffer allocated up front: each slot is written by one iteration only and read after all of them end.
    /// (Writing through an array's `withUnsafeMutableBufferPointer` from many threads is itself a race on the
    /// array: each call is a mutating access of the whole array; ThreadSanitizer caught that.)
    private let slots: UnsafeMutableBufferPointer<ExportVerifier.Finding?>
    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }
    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }
    func set(_ i: Int, _ f: ExportVerifier.Finding) { slots[i] = f }
    var all: [ExportVerifier.Finding] { slots.map { $0! } }
}

/// Why objects could not be fetched (the store stopped answering, or refused): noted by `FetchedObjects`, read
/// after the run.
package final class StoreTrouble: Sendable {
    private let first = Mutex<String?>(nil)
    package init() {}
    func note(_ error: any Error) { first.withLock { $0 = $0 ?? "\(error)" } }
    package var message: String? { first.withLock { $0 } }

    /// The outcome to report instead, when the store failed (the findings would call its objects missing).
    func outcome(replacing outcome: ExportVerification.Outcome) -> ExportVerification.Outcome {
        message.map { .init(exitCode: 2, text: "error: the store stopped answering during the verification, which is incomplete: \($0)") }
            ?? outcome
    }
}
