import GRDB
import RecordingsDomain

/// What the S3 endpoint asks of the store: buckets, objects and their records, each change with its audit entry.
extension AppDatabase {
    /// Local buckets (remote ones are served by their own store), by name.
    /// The local buckets of an owner (nil: the shared world's), by name.
    package func localBuckets(owner: String?) async throws -> [(name: String, created: Int64)] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT name, created FROM bucket WHERE remote IS NULL AND org_id IS ? ORDER BY name",
                             arguments: [owner]).map { ($0["name"], $0["created"]) }
        }
    }

    /// Saves an object's record whose bytes are durable under its key, with its audit entry `event`, in one
    /// transaction; `completingUpload` is removed with it (a multipart upload's Complete).
    package func record(object record: ObjectRecord, event: String, fields: [String: JSONValue], now: Int64,
                        completingUpload: String? = nil) async throws {
        try await write { db in
            try ObjectIndex.save(db, record)
            if let completingUpload { try UploadIndex.remove(db, uploadId: completingUpload) }
            try AuditLog.append(db, time: now, event: event, orgId: nil, fields: fields)
        }
    }

    /// What became of one key of a delete. `refused`: under legal hold; `retained`: under Object Lock retention.
    package enum DeleteOutcome: Sendable, Equatable { case missing, refused, retained, deleted }

    /// Deletes the records of valid keys in one transaction (each audited); a held or retained key is refused and
    /// the refusal audited. Keys are told apart byte for byte (`ExactKey`), as S3 does.
    package func deleteObjects(_ bucket: String, keys: [String], bypassGovernance: Bool, accessKey: String, now: Int64)
        async throws -> [ExactKey: DeleteOutcome]
    {
        try await write { db in
            var out: [ExactKey: DeleteOutcome] = [:]
            for key in keys where out[ExactKey(key)] == nil {
                guard let r = try ObjectIndex.fetch(db, bucket: bucket, key: key) else { out[ExactKey(key)] = .missing; continue }
                let retained = r.retention?.refuses(now: now, bypassGovernance: bypassGovernance) == true
                if r.legalHold || retained {
                    try AuditLog.append(db, time: now, event: "s3.object.delete.refused", orgId: nil, caseId: r.userMetadata["legal-hold-case-id"],
                                        jobId: r.jobId, fields: ["bucket": .string(bucket), "key": .string(key), "accessKeyId": .string(accessKey),
                                                                 "reason": .string(r.legalHold ? "legal hold" : "retention")])
                    out[ExactKey(key)] = r.legalHold ? .refused : .retained
                    continue
                }
                var fields: [String: JSONValue] = [
                    "bucket": .string(bucket), "key": .string(key), "sha256": .string(r.sha256), "accessKeyId": .string(accessKey),
                ]
                if r.retention?.isActive(now: now) == true { fields["bypassGovernanceRetention"] = .bool(true) }
                try db.execute(sql: "DELETE FROM s3_object WHERE bucket = ? AND key = ?", arguments: [bucket, key])
                try AuditLog.append(db, time: now, event: "s3.object.deleted", orgId: nil, jobId: r.jobId, fields: fields)
                out[ExactKey(key)] = .deleted
            }
            return out
        }
    }

    /// Puts an object on legal hold or takes it off, audited.
    package func setLegalHold(_ record: ObjectRecord, on: Bool, accessKey: String, now: Int64) async throws {
        let (bucket, key) = (record.bucket, record.key)
        try await write { db in
            try db.execute(sql: "UPDATE s3_object SET legal_hold = ? WHERE bucket = ? AND key = ?", arguments: [on, bucket, key])
            try AuditLog.append(db, time: now, event: on ? "s3.legal-hold.on" : "s3.legal-hold.off", orgId: nil,
                                caseId: record.userMetadata["legal-hold-case-id"], jobId: record.jobId,
                                fields: ["bucket": .string(bucket), "key": .string(key), "accessKeyId": .string(accessKey)])
        }
    }

    /// An audit entry about an object (a read of a held object, say).
    package func audit(_ event: String, object record: ObjectRecord, accessKey: String, now: Int64) async throws {
        try await write { db in
            try AuditLog.append(db, time: now, event: event, orgId: nil, caseId: record.userMetadata["legal-hold-case-id"], jobId: record.jobId,
                                fields: ["bucket": .string(record.bucket), "key": .string(record.key), "accessKeyId": .string(accessKey)])
        }
    }

    package struct AccessKeyInfo: Sendable, Equatable {
        package var secret: String
        /// The tenant org the key belongs to; nil for the shared world's keys.
        package var orgId: String?
    }

    /// An S3 access key's secret and owner, or nil.
    package func accessKey(_ accessKeyId: String) async throws -> AccessKeyInfo? {
        try StoreKeys.check(accessKeyId)
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT secret, org_id FROM s3_access_key WHERE access_key_id = ?", arguments: [accessKeyId]).map {
                AccessKeyInfo(secret: $0["secret"], orgId: $0["org_id"])
            }
        }
    }

    /// Replaces an object's tags, audited as `object.tagging` with `fields` and the tags; false when it has no record.
    package func setTags(_ bucket: String, _ key: String, _ tags: [S3Tag], now: Int64,
                         fields: @escaping @Sendable (ObjectRecord) -> [String: JSONValue]) async throws -> Bool {
        try await write { db -> Bool in
            guard let r = try ObjectIndex.fetch(db, bucket: bucket, key: key) else { return false }
            try ObjectIndex.setTags(db, bucket: bucket, key: key, tags)
            try AuditLog.append(db, time: now, event: "object.tagging", orgId: nil, caseId: r.userMetadata["legal-hold-case-id"], jobId: r.jobId,
                                fields: fields(r))
            return true
        }
    }

    /// What a retention change met: no record, or S3's refusal (`S3Retention.changeProblem`).
    package enum RetentionOutcome: Sendable { case changed, missing, refused(S3BodyError) }

    /// Sets or removes (nil) an object's retention under S3's rules, judged on `now`, audited as `object.retention`.
    package func setRetention(_ bucket: String, _ key: String, _ retention: S3Retention?, bypassGovernance: Bool, now: Int64,
                              fields: @escaping @Sendable (ObjectRecord) -> [String: JSONValue]) async throws -> RetentionOutcome {
        try await write { db in
            guard let r = try ObjectIndex.fetch(db, bucket: bucket, key: key) else { return .missing }
            if let problem = S3Retention.changeProblem(from: r.retention, to: retention, now: now, bypassGovernance: bypassGovernance) {
                return .refused(problem)
            }
            try ObjectIndex.setRetention(db, bucket: bucket, key: key, retention)
            try AuditLog.append(db, time: now, event: "object.retention", orgId: nil, caseId: r.userMetadata["legal-hold-case-id"],
                                jobId: r.jobId, fields: fields(r))
            return .changed
        }
    }

    /// Creates a local bucket, audited; false when the name is taken.
    /// Creates a bucket owned by `owner` (the creating key's tenant; nil: the shared world), audited; false when the
    /// name is taken.
    package func createBucket(_ name: String, region: String, objectLock: Bool, accessKey: String, owner: String?, now: Int64) async throws -> Bool {
        try await write { db in
            let bucket = WorldSeed.Bucket(name: name, region: region, objectLockEnabled: objectLock, denyPut: false, remoteJSON: nil)
            guard try Self.insert(bucket: bucket, db, now: now) else { return false }
            try db.execute(sql: "UPDATE bucket SET org_id = ? WHERE name = ?", arguments: [owner, name])
            try AuditLog.append(db, time: now, event: "s3.bucket.created", orgId: nil, fields: [
                "bucket": .string(name), "region": .string(region), "objectLockEnabled": .bool(objectLock), "accessKeyId": .string(accessKey),
            ])
            return true
        }
    }

    /// Deletes an empty bucket, audited: nil when there is no such bucket, false when it holds objects or uploads.
    package func deleteBucket(_ name: String, accessKey: String, now: Int64) async throws -> Bool? {
        try await write { db in
            guard try Self.bucket(db, name: name) != nil else { return nil }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM s3_object WHERE bucket = ? LIMIT 1", arguments: [name]) != nil { return false }
            if try UploadIndex.hasUploads(db, bucket: name) { return false }
            try db.execute(sql: "DELETE FROM bucket WHERE name = ?", arguments: [name])
            try AuditLog.append(db, time: now, event: "s3.bucket.deleted", orgId: nil,
                                fields: ["bucket": .string(name), "accessKeyId": .string(accessKey)])
            return true
        }
    }
}
