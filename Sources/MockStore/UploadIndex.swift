import GRDB
import DocumentCodecs
import RecordingsDomain

/// Multipart uploads in progress and their parts (the parts' bytes live in `{data}/multipart/{uploadId}/`).
package struct UploadRecord: Sendable, Equatable {
    package var uploadId: String
    package var bucket: String
    package var key: String
    package var created: Int64
    package var contentType: String
    package var userMetadata: [String: String]
    package var legalHold: Bool
    /// What the upload's object gets at Complete (`x-amz-tagging` and the Object Lock headers of Create).
    package var tags: [S3Tag] = []
    package var retention: S3Retention?

    package init(uploadId: String, bucket: String, key: String, created: Int64, contentType: String, userMetadata: [String: String], legalHold: Bool, tags: [S3Tag] = [], retention: S3Retention? = nil) {
        self.uploadId = uploadId
        self.bucket = bucket
        self.key = key
        self.created = created
        self.contentType = contentType
        self.userMetadata = userMetadata
        self.legalHold = legalHold
        self.tags = tags
        self.retention = retention
    }
}

package struct PartRecord: Sendable, Equatable {
    package var number: Int
    package var size: Int
    package var etag: String
    package var lastModified: Int64

    package init(number: Int, size: Int, etag: String, lastModified: Int64) {
        self.number = number
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
    }
}

enum UploadIndex {
    static func insert(_ db: Database, _ u: UploadRecord) throws {
        try db.execute(sql: """
            INSERT INTO s3_upload (upload_id, bucket, key, created, content_type, user_metadata, legal_hold, tags, retention_mode,
                retain_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [u.uploadId, u.bucket, u.key, u.created, u.contentType, try CanonicalJSON.string(u.userMetadata), u.legalHold,
                             S3ObjectTags.json(u.tags), u.retention?.mode.rawValue, u.retention?.retainUntil])
    }

    static func fetch(_ db: Database, uploadId: String) throws -> UploadRecord? {
        try StoreKeys.check(uploadId)
        return try Row.fetchOne(db, sql: "SELECT * FROM s3_upload WHERE upload_id = ?", arguments: [uploadId]).map(upload)
    }

    /// Uploads of a bucket under `prefix`, by key then upload id, strictly after the marker pair.
    static func list(_ db: Database, bucket: String, prefix: String, afterKey: String, afterId: String, limit: Int) throws -> [UploadRecord] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM s3_upload WHERE bucket = ? AND substr(key, 1, length(?)) = ? AND (key > ? OR (key = ? AND upload_id > ?))
            ORDER BY key, upload_id LIMIT ?
            """, arguments: [bucket, prefix, prefix, afterKey, afterKey, afterId, limit]).map(upload)
    }

    static func parts(_ db: Database, uploadId: String, after: Int = 0, limit: Int = 10_001) throws -> [PartRecord] {
        try Row.fetchAll(db, sql: """
            SELECT part_number, size, etag, last_modified FROM s3_part WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?
            """, arguments: [uploadId, after, limit]).map {
            PartRecord(number: $0["part_number"], size: $0["size"], etag: $0["etag"], lastModified: $0["last_modified"])
        }
    }

    static func savePart(_ db: Database, uploadId: String, _ p: PartRecord) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO s3_part (upload_id, part_number, size, etag, last_modified) VALUES (?, ?, ?, ?, ?)",
                       arguments: [uploadId, p.number, p.size, p.etag, p.lastModified])
    }

    static func remove(_ db: Database, uploadId: String) throws {
        try db.execute(sql: "DELETE FROM s3_part WHERE upload_id = ?", arguments: [uploadId])
        try db.execute(sql: "DELETE FROM s3_upload WHERE upload_id = ?", arguments: [uploadId])
    }

    static func ids(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT upload_id FROM s3_upload"))
    }

    static func hasUploads(_ db: Database, bucket: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM s3_upload WHERE bucket = ? LIMIT 1", arguments: [bucket]) != nil
    }

    static func upload(_ row: Row) -> UploadRecord {
        let meta: String = row["user_metadata"]
        return UploadRecord(uploadId: row["upload_id"], bucket: row["bucket"], key: row["key"], created: row["created"],
                            contentType: row["content_type"],
                            userMetadata: (FastJSONReader.parse(meta)?.objectValue ?? [:]).compactMapValues(\.stringValue),
                            legalHold: row["legal_hold"], tags: S3ObjectTags.fromJSON(row["tags"]),
                            retention: ObjectIndex.retention(mode: row["retention_mode"], until: row["retain_until"]))
    }
}

import Foundation
