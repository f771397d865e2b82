import GRDB
import RecordingsDomain

/// Multipart uploads and their parts, for the S3 endpoint (the parts' bytes are the sink's).
extension AppDatabase {
    /// Records a new upload, audited as `s3.multipart.created`.
    package func createUpload(_ upload: UploadRecord, accessKey: String) async throws {
        try await write { db in
            try UploadIndex.insert(db, upload)
            try AuditLog.append(db, time: upload.created, event: "s3.multipart.created", orgId: nil, fields: [
                "bucket": .string(upload.bucket), "key": .string(upload.key), "uploadId": .string(upload.uploadId),
                "legalHold": .bool(upload.legalHold), "accessKeyId": .string(accessKey),
            ])
        }
    }

    package func upload(id uploadId: String) async throws -> UploadRecord? {
        try await read { db in try UploadIndex.fetch(db, uploadId: uploadId) }
    }

    /// Records a part whose bytes are in place; false when the upload is gone (aborted or completed meanwhile).
    package func savePart(_ part: PartRecord, uploadId: String) async throws -> Bool {
        try await write { db in
            guard try UploadIndex.fetch(db, uploadId: uploadId) != nil else { return false }
            try UploadIndex.savePart(db, uploadId: uploadId, part)
            return true
        }
    }

    package func parts(uploadId: String, after: Int = 0, limit: Int = 10_001) async throws -> [PartRecord] {
        try StoreKeys.check(uploadId)
        return try await read { db in try UploadIndex.parts(db, uploadId: uploadId, after: after, limit: limit) }
    }

    /// Uploads of a bucket under `prefix`, by key then upload id, strictly after the marker pair.
    package func uploads(_ bucket: String, prefix: String, afterKey: String, afterId: String, limit: Int) async throws -> [UploadRecord] {
        try StoreKeys.check(bucket, prefix, afterKey, afterId)
        return try await read { db in
            try UploadIndex.list(db, bucket: bucket, prefix: prefix, afterKey: afterKey, afterId: afterId, limit: limit)
        }
    }

    /// Removes an upload and its parts' records, audited as `s3.multipart.aborted`; false when it was already gone.
    package func abortUpload(_ upload: UploadRecord, accessKey: String, now: Int64) async throws -> Bool {
        let uploadId = upload.uploadId
        return try await write { db in
            guard try UploadIndex.fetch(db, uploadId: uploadId) != nil else { return false }
            try UploadIndex.remove(db, uploadId: uploadId)
            try AuditLog.append(db, time: now, event: "s3.multipart.aborted", orgId: nil, fields: [
                "bucket": .string(upload.bucket), "key": .string(upload.key), "uploadId": .string(uploadId), "accessKeyId": .string(accessKey),
            ])
            return true
        }
    }

    /// Every upload id the index knows (the sink's start-up cleanup keeps only their parts).
    package func uploadIds() async throws -> Set<String> {
        try await read { db in try UploadIndex.ids(db) }
    }
}
