import Foundation
import RecordingsDomain

/// `HeldWrites` for a bucket in a remote store: the same rules, with the store asked by HEAD. A held key this
/// mock has recorded is judged by its record; a held key it has not (written before a crash, or by another mock)
/// is judged by the store: the same size and MD5 count as written, anything else is refused with `AccessDenied`.
/// A store that refuses a call throws `RemoteS3Error`, which fails the job in the store's words.
enum RemoteWrites {
    static func put(_ objects: [FileSink.NewObject], db: AppDatabase, client: RemoteS3Client) async throws -> [HeldWrites.Outcome] {
        guard let bucket = objects.first?.bucket else { return [] }
        let existing = try await db.read { db in try ObjectIndex.fetch(db, bucket: bucket, keys: objects.map(\.key)) }
        return try await withThrowingTaskGroup(of: (Int, HeldWrites.Outcome).self) { group in
            var outcomes = [HeldWrites.Outcome?](repeating: nil, count: objects.count)
            var next = 0, inFlight = 0
            while next < objects.count || inFlight > 0 {
                while next < objects.count, inFlight < RemoteS3Client.parallelism {
                    let i = next, object = objects[i], old = existing[object.key]
                    group.addTask { (i, try await one(object, old: old, client: client)) }
                    next += 1
                    inFlight += 1
                }
                if let (i, outcome) = try await group.next() { outcomes[i] = outcome }
                inFlight -= 1
            }
            return outcomes.map { $0! }
        }
    }

    static func one(_ o: FileSink.NewObject, old: ObjectRecord?, client: RemoteS3Client) async throws -> HeldWrites.Outcome {
        let sha256 = Digest.sha256Hex(o.data)
        let md5 = Digest.md5Hex(o.data)
        if let old, old.legalHold {
            return old.sha256 == sha256 ? .alreadyPresent(old) : .denied(heldMessage(o.key))
        }
        let stored = FileSink.StoredObject(bucket: o.bucket, key: o.key, size: o.data.count, etag: md5, sha256: sha256)
        if o.legalHold, let found = try await client.head(o.key) {
            guard found.size == o.data.count, found.etag == md5 else { return .denied(heldMessage(o.key, store: client.storeName)) }
            if !found.legalHold { try await client.holdObject(o.key) }
            return .written(stored)
        }
        _ = try await client.put(o.key, data: o.data, contentType: o.contentType, userMetadata: o.userMetadata, legalHold: o.legalHold)
        return .written(stored)
    }

    /// `HeldWrites.putStreamed` into a remote bucket: the object is produced into a staged file in the data folder's
    /// `tmp`, judged like any held key, then uploaded from that file (multipart past 8 MiB) and the file removed.
    static func putStreamed(_ object: FileSink.NewObject, db: AppDatabase, sink: FileSink, client: RemoteS3Client,
                            produce: (_ append: (Data) async throws -> Void) async throws -> Void) async throws -> HeldWrites.Outcome {
        let file = try await sink.beginStreamed()
        let outcome: HeldWrites.Outcome
        do {
            try await produce { data in try await sink.append(data, to: file) }
            outcome = try await judgeAndUpload(object, file: file, digest: try await sink.finish(file), db: db, client: client)
        } catch {
            await sink.discard(file)
            throw error
        }
        await sink.discard(file)
        return outcome
    }

    private static func judgeAndUpload(_ object: FileSink.NewObject, file: StreamedSinkFile, digest: (size: Int, etag: String, sha256: String),
                                       db: AppDatabase, client: RemoteS3Client) async throws -> HeldWrites.Outcome {
        let bucket = object.bucket, key = object.key
        if let old = try await db.read({ db in try ObjectIndex.fetch(db, bucket: bucket, key: key) }), old.legalHold {
            return old.sha256 == digest.sha256 ? .alreadyPresent(old) : .denied(heldMessage(key))
        }
        if object.legalHold, let found = try await client.head(key) {
            let expected = try await RemoteS3Client.expectedETag(path: file.path, size: digest.size)
            guard found.size == digest.size, found.etag == expected else { return .denied(heldMessage(key, store: client.storeName)) }
            if !found.legalHold { try await client.holdObject(key) }
            return .written(.init(bucket: bucket, key: key, size: digest.size, etag: expected, sha256: digest.sha256))
        }
        let etag = try await client.putFile(key, path: file.path, size: digest.size, contentType: object.contentType,
                                            userMetadata: object.userMetadata, legalHold: object.legalHold)
        return .written(.init(bucket: bucket, key: key, size: digest.size, etag: etag.isEmpty ? digest.etag : etag, sha256: digest.sha256))
    }

    static func heldMessage(_ key: String, store: String? = nil) -> String {
        "AccessDenied: Access Denied (object \(key) is under legal hold\(store.map { " in \($0)" } ?? "") and cannot be overwritten)"
    }
}
