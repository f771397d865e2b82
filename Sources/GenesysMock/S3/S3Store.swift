import Foundation
import HTTPTypes
import MockStore
import NIOCore
import RecordingsDomain

/// The S3 endpoint's view of the sink: every read and write goes through `FileSink` and the object index, so
/// the S3 API and the exporter see the same objects and legal hold is enforced in one place.
package struct S3Store: Sendable {
    let db: AppDatabase
    let sink: FileSink
    let clock: MockClock
    /// Every S3 request names a bucket and an access key, and most an object: their rows are cached while their
    /// tables are unchanged (`TableChanges`).
    private let bucketCache = GenerationCache<ExactKey, AppDatabase.BucketInfo>(capacity: 1024)
    private let keyCache = GenerationCache<ExactKey, AppDatabase.AccessKeyInfo>(capacity: 1024)
    private let objectCache = GenerationCache<ObjectKey, CachedObject>(capacity: 20_000)
    private let bodyCache = ObjectBodyCache()

    /// An object's row with the response headers GetObject and HeadObject send for it, made once per row.
    struct CachedObject: Sendable {
        var record: ObjectRecord
        var headers: HTTPFields
    }

    /// A bucket and key, compared byte for byte (see `ExactKey`).
    struct ObjectKey: Hashable, Sendable {
        var bucket: String
        var key: ExactKey

        init(bucket: String, key: String) {
            self.bucket = bucket
            self.key = ExactKey(key)
        }
    }

    package init(db: AppDatabase, sink: FileSink, clock: MockClock) {
        self.db = db
        self.sink = sink
        self.clock = clock
    }

    /// The local buckets the key reaches (see `requireReach`).
    func buckets(accessKey: String) async throws -> [(name: String, created: Int64)] {
        try await db.localBuckets(owner: try await key(accessKey)?.orgId)
    }

    func requireBucket(_ name: String) async throws -> AppDatabase.BucketInfo {
        let generation = db.changes.generation(.bucket)
        let b: AppDatabase.BucketInfo
        // Only buckets found under a valid name are cached.
        if let cached = bucketCache.get(ExactKey(name), generation: generation) {
            b = cached
        } else {
            guard NameRules.isBucketName(name) else {
                throw S3Error(.badRequest, "InvalidBucketName", "The specified bucket is not valid.", bucket: name)
            }
            guard let found = try await db.bucket(named: name) else { throw S3Error.noSuchBucket(name) }
            bucketCache.put(ExactKey(name), found, generation: generation)
            b = found
        }
        // A remote bucket's objects are in its store; this endpoint only knows what the exporter recorded.
        if let remote = b.remote { throw S3Error.permanentRedirect(name, endpoint: remote.endpoint) }
        return b
    }

    /// A legal hold needs a bucket made with Object Lock, as in S3 (PutObject, CopyObject and
    /// CreateMultipartUpload with `x-amz-object-lock-legal-hold`, and PutObjectLegalHold).
    func requireObjectLock(_ bucket: String, key: String) async throws {
        guard try await requireBucket(bucket).objectLockEnabled else {
            throw S3Error(.badRequest, "InvalidRequest", "Bucket is missing Object Lock Configuration", bucket: bucket, key: key)
        }
    }

    func validKey(_ bucket: String, _ key: String) throws -> String {
        if key.utf8.count > 1024 {
            throw S3Error(.badRequest, "KeyTooLongError", "Your key is too long", bucket: bucket, key: String(key.prefix(64)))
        }
        if let problem = SinkPath.keyProblem(key) {
            throw S3Error(.badRequest, "InvalidArgument", "Invalid object key: \(problem)", bucket: bucket, key: key)
        }
        return key
    }

    func head(_ bucket: String, _ key: String) async throws -> ObjectRecord {
        try await object(bucket, key).record
    }

    func object(_ bucket: String, _ key: String) async throws -> CachedObject {
        _ = try await requireBucket(bucket)
        let id = ObjectKey(bucket: bucket, key: key)
        let generation = db.changes.generation(.s3Object)
        // Only objects found under a valid key are cached.
        if let cached = objectCache.get(id, generation: generation) { return cached }
        _ = try validKey(bucket, key)
        guard let r = try await db.object(bucket: bucket, key: key) else {
            throw S3Error.noSuchKey(bucket, key)
        }
        let object = CachedObject(record: r, headers: S3ObjectResponses.headers(r))
        objectCache.put(id, object, generation: generation)
        return object
    }

    /// A GetObject answered from memory alone, without a suspension: the bucket (local), the object (not on legal
    /// hold: reading a held object is audited) and its bytes all cached at the tables' current generations. Nil
    /// otherwise: `get` does the full work.
    func cachedRead(_ bucket: String, _ key: String) -> (CachedObject, ByteBuffer)? {
        guard let info = bucketCache.get(ExactKey(bucket), generation: db.changes.generation(.bucket)), info.remoteJSON == nil else { return nil }
        let id = ObjectKey(bucket: bucket, key: key)
        let generation = db.changes.generation(.s3Object)
        guard let object = objectCache.get(id, generation: generation), !object.record.legalHold,
              let bytes = bodyCache.get(id, generation: generation, etag: object.record.etag) else { return nil }
        return (object, bytes)
    }

    /// What GetObject serves: small objects from memory, big ones read from their file a piece at a time.
    enum Bytes: Sendable {
        case memory(ByteBuffer)
        case file(size: Int)

        var size: Int {
            switch self {
            case .memory(let b): return b.readableBytes
            case .file(let size): return size
            }
        }
    }

    /// The object and its bytes; reading a held object is written to the audit log.
    func get(_ bucket: String, _ key: String, accessKey: String) async throws -> (CachedObject, Bytes) {
        let generation = db.changes.generation(.s3Object)
        let object = try await self.object(bucket, key)
        let record = object.record
        let id = ObjectKey(bucket: bucket, key: key)
        let bytes: Bytes
        if let cached = bodyCache.get(id, generation: generation, etag: record.etag) {
            bytes = .memory(cached)
        } else if record.size > ObjectBodyCache.objectLimit {
            guard let size = try await sink.objectSize(bucket: bucket, key: key) else { throw S3Error.noSuchKey(bucket, key) }
            bytes = .file(size: size)
        } else {
            guard let read = try await sink.read(bucket: bucket, key: key) else { throw S3Error.noSuchKey(bucket, key) }
            let buffer = ByteBuffer(bytes: read)
            bodyCache.put(id, buffer, generation: generation, etag: record.etag)
            bytes = .memory(buffer)
        }
        if record.legalHold {
            try await audit("object.read", record: record, accessKey: accessKey)
        }
        return (object, bytes)
    }

    func put(_ bucket: String, _ key: String, data: Data, contentType: String, metadata: [String: String], legalHold: Bool,
             lock: ObjectLock = ObjectLock(), accessKey: String) async throws -> ObjectRecord {
        try await checkWritable(bucket, key, bypassGovernance: lock.bypassGovernance)
        let object = FileSink.NewObject(bucket: bucket, key: key, data: data, contentType: contentType, userMetadata: metadata, legalHold: legalHold)
        let stored = try await sinkWrite(bucket, key) { try await sink.write([object])[0] }
        return try await commit(stored, contentType: contentType, metadata: metadata, legalHold: legalHold, lock: lock, event: "s3.object.put",
                                accessKey: accessKey)
    }


    /// Every write of an object through S3 first passes here: the bucket exists and its policy allows writes, the
    /// key is valid, and the object under the key, if any, is not on legal hold (unless `heldCounts` is false: a
    /// multipart upload may begin while the key is held, and is refused at Complete if it still is).
    func checkWritable(_ bucket: String, _ key: String, heldCounts: Bool = true, bypassGovernance: Bool = false) async throws {
        let info = try await requireBucket(bucket)
        _ = try validKey(bucket, key)
        if info.denyPut { throw S3Error.accessDenied("Access Denied (the bucket policy denies s3:PutObject)", bucket: bucket, key: key) }
        guard heldCounts else { return }
        let existing = try await db.object(bucket: bucket, key: key)
        if existing?.legalHold == true {
            throw S3Error.accessDenied("Access Denied: the object is under legal hold and cannot be overwritten", bucket: bucket, key: key)
        }
        if existing?.retention?.refuses(now: clock.nowMillis(org: info.orgId), bypassGovernance: bypassGovernance) == true {
            throw S3Error.accessDenied(Self.retainedMessage("overwritten"), bucket: bucket, key: key)
        }
    }

    /// Runs a sink write, answering the sink's refusals in S3's terms (a full disk goes on to the error
    /// middleware, which answers `507 InsufficientStorage`).
    func sinkWrite(_ bucket: String, _ key: String, _ write: () async throws -> FileSink.StoredObject) async throws -> FileSink.StoredObject {
        do { return try await write() } catch let e as SinkError where e.code != .diskFull {
            throw S3Error(e.code == .accessDenied ? .forbidden : .badRequest, e.code == .accessDenied ? "AccessDenied" : "InvalidArgument",
                          e.message, bucket: bucket, key: key)
        }
    }

    /// Records an object whose bytes are durable under its key, with its audit entry, in one transaction.
    func commit(_ stored: FileSink.StoredObject, etag: String? = nil, contentType: String, metadata: [String: String], legalHold: Bool,
                lock: ObjectLock, event: String, accessKey: String, fields extra: [String: JSONValue] = [:],
                completingUpload: String? = nil) async throws -> ObjectRecord {
        let now = await self.now(bucket: stored.bucket)
        let record = ObjectRecord(bucket: stored.bucket, key: stored.key, size: stored.size, etag: etag ?? stored.etag, sha256: stored.sha256,
                                  contentType: contentType, userMetadata: metadata, legalHold: legalHold, lastModified: now, jobId: nil,
                                  tags: lock.tags, retention: lock.retention)
        var fields: [String: JSONValue] = [
            "bucket": .string(stored.bucket), "key": .string(stored.key), "sha256": .string(stored.sha256), "size": .int(stored.size),
            "legalHold": .bool(legalHold), "accessKeyId": .string(accessKey),
        ]
        if !lock.tags.isEmpty { fields["tags"] = .int(lock.tags.count) }
        if let r = lock.retention { fields["retention"] = .string("\(r.mode.rawValue) until \(Timestamp.format(millis: r.retainUntil))") }
        if lock.bypassGovernance { fields["bypassGovernanceRetention"] = .bool(true) }
        fields.merge(extra) { a, _ in a }
        try await db.record(object: record, event: event, fields: fields, now: now, completingUpload: completingUpload)
        return record
    }

    /// `refused`: under legal hold; `retained`: under Object Lock retention.
    typealias DeleteOutcome = AppDatabase.DeleteOutcome

    func delete(_ bucket: String, _ key: String, bypassGovernance: Bool = false, accessKey: String) async throws {
        _ = try await requireBucket(bucket)
        _ = try validKey(bucket, key)
        switch try await delete(bucket, keys: [key], bypassGovernance: bypassGovernance, accessKey: accessKey)[ExactKey(key)] {
        case .refused: throw S3Error.accessDenied("Access Denied: the object is under legal hold and cannot be deleted", bucket: bucket, key: key)
        case .retained: throw S3Error.accessDenied(Self.retainedMessage("deleted"), bucket: bucket, key: key)
        default: return
        }
    }

    /// Deletes valid keys in one transaction (each audited) and then their files; a held key is refused and the
    /// refusal audited. S3 answers a missing key as deleted; nothing on disk is touched for it. Keys are told
    /// apart byte for byte (`ExactKey`), as S3 does: "café" in NFC and in NFD are two objects.
    func delete(_ bucket: String, keys: [String], bypassGovernance: Bool = false, accessKey: String) async throws -> [ExactKey: DeleteOutcome] {
        let now = clock.nowMillis(org: try await requireBucket(bucket).orgId)
        let outcomes = try await db.deleteObjects(bucket, keys: keys, bypassGovernance: bypassGovernance, accessKey: accessKey, now: now)
        for (key, outcome) in outcomes where outcome == .deleted {
            try await sink.remove(bucket: bucket, key: key.text)
        }
        return outcomes
    }

    func setLegalHold(_ bucket: String, _ key: String, on: Bool, accessKey: String) async throws {
        let record = try await head(bucket, key)
        let now = await self.now(bucket: bucket)
        try await db.setLegalHold(record, on: on, accessKey: accessKey, now: now)
    }

    func audit(_ event: String, record: ObjectRecord, accessKey: String) async throws {
        try await db.audit(event, object: record, accessKey: accessKey, now: await self.now(bucket: record.bucket))
    }

    /// The time on the clock of the bucket's owner: a tenant's own, else the shared one (CONTRACT §16). Object Lock
    /// retention and object dates follow it.
    func now(bucket: String) async -> Int64 {
        clock.nowMillis(org: (try? await requireBucket(bucket))?.orgId)
    }

    /// An access key's secret and owner when cached at the table's current generation.
    func cachedKey(_ accessKeyId: String) -> AppDatabase.AccessKeyInfo? {
        keyCache.get(ExactKey(accessKeyId), generation: db.changes.generation(.accessKey))
    }

    func key(_ accessKeyId: String) async throws -> AppDatabase.AccessKeyInfo? {
        let generation = db.changes.generation(.accessKey)
        if let cached = keyCache.get(ExactKey(accessKeyId), generation: generation) { return cached }
        let info = try await db.accessKey(accessKeyId)
        if let info { keyCache.put(ExactKey(accessKeyId), info, generation: generation) }
        return info
    }

    /// A tenant's key reaches only its tenant's buckets, and the shared world's keys only the shared world's
    /// (CONTRACT §16): any other bucket answers `AccessDenied`, as S3 answers for a bucket of another account. A
    /// bucket that does not exist is left to the operation (`NoSuchBucket`, or CreateBucket).
    func requireReach(_ bucket: String, accessKey: String) async throws {
        guard NameRules.isBucketName(bucket), let info = try? await requireBucket(bucket) else { return }
        let owner = try await key(accessKey)?.orgId
        guard info.orgId == owner else {
            throw S3Error(.forbidden, "AccessDenied", "Access Denied", bucket: bucket)
        }
    }

    typealias Listing = AppDatabase.ObjectListing

    /// ListObjectsV2 over the object index (never the disk): `after` is exclusive; keys under `skipUnder` (a common
    /// prefix already returned) are passed over.
    func list(_ bucket: String, prefix: String, delimiter: String, maxKeys: Int, after: String, skipUnder: String?) async throws -> Listing {
        _ = try await requireBucket(bucket)
        return try await db.listObjects(bucket, prefix: prefix, delimiter: delimiter, maxKeys: maxKeys, after: after, skipUnder: skipUnder)
    }
}
