import GRDB
import DocumentCodecs
import RecordingsDomain

/// The sink's metadata in SQLite (CONTRACT §8): one row per object, committed only once its bytes are durable.
package struct ObjectRecord: Sendable, Equatable {
    package var bucket: String
    package var key: String
    package var size: Int
    package var etag: String
    package var sha256: String
    package var contentType: String
    package var userMetadata: [String: String]
    package var legalHold: Bool
    package var lastModified: Int64
    package var jobId: String?
    /// Object tags, in the order the client gave them.
    package var tags: [S3Tag] = []
    /// Object Lock retention, in force while its date is ahead of the mock clock.
    package var retention: S3Retention?

    package init(bucket: String, key: String, size: Int, etag: String, sha256: String, contentType: String, userMetadata: [String: String], legalHold: Bool, lastModified: Int64, jobId: String? = nil, tags: [S3Tag] = [], retention: S3Retention? = nil) {
        self.bucket = bucket
        self.key = key
        self.size = size
        self.etag = etag
        self.sha256 = sha256
        self.contentType = contentType
        self.userMetadata = userMetadata
        self.legalHold = legalHold
        self.lastModified = lastModified
        self.jobId = jobId
        self.tags = tags
        self.retention = retention
    }
}

enum ObjectIndex {
    static func fetch(_ db: Database, bucket: String, key: String) throws -> ObjectRecord? {
        try StoreKeys.check(bucket, key)
        // Cached: one lookup per S3 request that misses the object cache, two per recording of a manifest.
        return try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM s3_object WHERE bucket = ? AND key = ?"), arguments: [bucket, key])
            .map(record)
    }

    /// Size, ETag and SHA-256 of an object: what a manifest lists. Reads three columns and decodes no metadata (a
    /// manifest looks up two objects per recording).
    static func digest(_ db: Database, bucket: String, key: String) throws -> (size: Int, etag: String, sha256: String)? {
        try StoreKeys.check(bucket, key)
        return try Row.fetchOne(db.cachedStatement(sql: "SELECT size, etag, sha256 FROM s3_object WHERE bucket = ? AND key = ?"),
                         arguments: [bucket, key]).map { ($0[0], $0[1], $0[2]) }
    }

    static func fetch(_ db: Database, bucket: String, keys: [String]) throws -> [String: ObjectRecord] {
        try StoreKeys.check(keys + [bucket])
        guard !keys.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: keys.count).joined(separator: ",")
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM s3_object WHERE bucket = ? AND key IN (\(marks))",
                                    arguments: StatementArguments([bucket] + keys))
        return Dictionary(rows.map(record).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Saves a record. `userMetadataJSON`, when given, is `r.userMetadata` as `metadataJSON` writes it (an export
    /// batch writes the same metadata on every object, and formats it once).
    static func save(_ db: Database, _ r: ObjectRecord, userMetadataJSON: String? = nil) throws {
        // A cached statement: an export saves two records per recording.
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO s3_object (bucket, key, size, etag, sha256, content_type, user_metadata, legal_hold,
                last_modified, job_id, tags, retention_mode, retain_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [r.bucket, r.key, r.size, r.etag, r.sha256, r.contentType,
                                    userMetadataJSON ?? metadataJSON(r.userMetadata), r.legalHold, r.lastModified, r.jobId,
                                    S3ObjectTags.json(r.tags), r.retention?.mode.rawValue, r.retention?.retainUntil])
    }

    /// User metadata as the index stores it: a JSON object of strings, keys sorted.
    static func metadataJSON(_ metadata: [String: String]) -> String {
        FastJSON.string(.object(metadata.mapValues(JSONValue.string)))
    }

    static func record(_ row: Row) -> ObjectRecord {
        let meta: String = row["user_metadata"]
        let decoded = (FastJSONReader.parse(meta)?.objectValue ?? [:]).compactMapValues(\.stringValue)
        return ObjectRecord(bucket: row["bucket"], key: row["key"], size: row["size"], etag: row["etag"], sha256: row["sha256"],
                            contentType: row["content_type"], userMetadata: decoded, legalHold: row["legal_hold"],
                            lastModified: row["last_modified"], jobId: row["job_id"], tags: S3ObjectTags.fromJSON(row["tags"]),
                            retention: retention(mode: row["retention_mode"], until: row["retain_until"]))
    }

    static func retention(mode: String?, until: Int64?) -> S3Retention? {
        guard let mode = mode.flatMap(S3Retention.Mode.init(rawValue:)), let until else { return nil }
        return S3Retention(mode: mode, retainUntil: until)
    }

    /// Replaces an object's tags (none: NULL).
    static func setTags(_ db: Database, bucket: String, key: String, _ tags: [S3Tag]) throws {
        try db.execute(sql: "UPDATE s3_object SET tags = ? WHERE bucket = ? AND key = ?", arguments: [S3ObjectTags.json(tags), bucket, key])
    }

    /// Replaces an object's retention (nil: removed).
    static func setRetention(_ db: Database, bucket: String, key: String, _ retention: S3Retention?) throws {
        try db.execute(sql: "UPDATE s3_object SET retention_mode = ?, retain_until = ? WHERE bucket = ? AND key = ?",
                       arguments: [retention?.mode.rawValue, retention?.retainUntil, bucket, key])
    }
}

import Foundation
