import Crypto
import Foundation
import MockStore
import RecordingsDomain

/// `HeldWrites` for a bucket in a remote store: the same rules, with the store asked by HEAD. A held key this
/// mock has recorded is judged by its record; a held key it has not (written before a crash, or by another mock)
/// is judged by the store: the same size and MD5 count as written, anything else is refused with `AccessDenied`.
/// A store that refuses a call throws `RemoteS3Error`, which fails the job in the store's words.
enum RemoteWrites {
    static func put(_ objects: [FileSink.NewObject], existing: [String: ObjectRecord], now: Int64,
                    client: RemoteS3Client) async throws -> [HeldWrites.Outcome] {
        return try await withThrowingTaskGroup(of: (Int, HeldWrites.Outcome).self) { group in
            var outcomes = [HeldWrites.Outcome?](repeating: nil, count: objects.count)
            var next = 0, inFlight = 0
            while next < objects.count || inFlight > 0 {
                while next < objects.count, inFlight < RemoteS3Client.parallelism {
                    let i = next, object = objects[i], old = existing[object.key]
                    group.addTask { (i, try await one(object, old: old, now: now, client: client)) }
                    next += 1
                    inFlight += 1
                }
                if let (i, outcome) = try await group.next() { outcomes[i] = outcome }
                inFlight -= 1
            }
            return outcomes.map { $0! }
        }
    }

    static func one(_ o: FileSink.NewObject, old: ObjectRecord?, now: Int64, client: RemoteS3Client) async throws -> HeldWrites.Outcome {
        let md5 = Data(Insecure.MD5.hash(data: o.data))
        let sha256 = Digest.sha256Hex(o.data)
        if let judged = HeldWrites.judge(old, key: o.key, sha256: sha256, now: now) { return judged }
        let stored = FileSink.StoredObject(bucket: o.bucket, key: o.key, size: o.data.count, etag: Digest.hex(md5), sha256: sha256)
        if o.legalHold, let found = try await client.head(o.key) {
            guard found.size == stored.size, found.etag == stored.etag else {
                return .denied(HeldWrites.deniedMessage(o.key, store: client.storeName))
            }
            if !found.legalHold { try await client.holdObject(o.key) }
            return .written(stored)
        }
        _ = try await client.put(o.key, data: o.data, contentType: o.contentType, userMetadata: o.userMetadata, legalHold: o.legalHold,
                                 digests: (md5, sha256))
        return .written(stored)
    }

    /// `HeldWrites.putStreamed` into a remote bucket: the staged file is judged against the store by HEAD, then
    /// uploaded (multipart past 8 MiB).
    static func putStreamed(_ object: FileSink.NewObject, store: any HeldObjectLookup, sink: FileSink, now: Int64, client: RemoteS3Client,
                            produce: (_ append: (Data) async throws -> Void) async throws -> Void) async throws -> HeldWrites.Outcome {
        try await HeldWrites.putStreamed(object, store: store, sink: sink, now: now, produce: produce) { file, digest in
            let key = object.key
            if object.legalHold, let found = try await client.head(key) {
                let expected = try await RemoteS3Client.expectedETag(path: file.path, size: digest.size)
                guard found.size == digest.size, found.etag == expected else {
                    return .denied(HeldWrites.deniedMessage(key, store: client.storeName))
                }
                if !found.legalHold { try await client.holdObject(key) }
                return .written(.init(bucket: object.bucket, key: key, size: digest.size, etag: expected, sha256: digest.sha256))
            }
            let etag = try await client.putFile(key, path: file.path, size: digest.size, contentType: object.contentType,
                                                userMetadata: object.userMetadata, legalHold: object.legalHold)
            return .written(.init(bucket: object.bucket, key: key, size: digest.size, etag: etag.isEmpty ? digest.etag : etag,
                                  sha256: digest.sha256))
        }
    }
}
