import Foundation
import MockStore
import RecordingsDomain

/// The multipart side of the store: uploads and parts in SQLite, their bytes through the sink. Complete goes
/// through `checkWritable` and `commit` like every other object write.
extension S3Store {
    func createUpload(_ bucket: String, _ key: String, contentType: String, metadata: [String: String], legalHold: Bool,
                      lock: ObjectLock, accessKey: String) async throws -> UploadRecord {
        try await checkWritable(bucket, key, heldCounts: false)
        let upload = UploadRecord(uploadId: RandomID.uuid(), bucket: bucket, key: key, created: await self.now(bucket: bucket), contentType: contentType,
                                  userMetadata: metadata, legalHold: legalHold, tags: lock.tags, retention: lock.retention)
        try await db.createUpload(upload, accessKey: accessKey)
        return upload
    }

    /// The upload, when it exists for exactly this bucket and key.
    func upload(_ bucket: String, _ key: String, uploadId: String) async throws -> UploadRecord {
        _ = try await requireBucket(bucket)
        _ = try validKey(bucket, key)
        guard FileSink.isUploadId(uploadId),
              let u = try await db.upload(id: uploadId), u.bucket == bucket, u.key == key else {
            throw S3Multipart.noSuchUpload(bucket, key)
        }
        return u
    }

    func uploadPart(_ bucket: String, _ key: String, uploadId: String, number: Int, data: Data) async throws -> String {
        _ = try await upload(bucket, key, uploadId: uploadId)
        let (size, md5) = try await sink.writePart(uploadId: uploadId, number: number, data: data)
        let part = PartRecord(number: number, size: size, etag: md5, lastModified: await self.now(bucket: bucket))
        let recorded = try await db.savePart(part, uploadId: uploadId)
        guard recorded else {  // aborted or completed while the part was being written
            try await sink.removeParts(uploadId: uploadId)
            throw S3Multipart.noSuchUpload(bucket, key)
        }
        return md5
    }

    func parts(_ bucket: String, _ key: String, uploadId: String, after: Int, limit: Int) async throws -> [PartRecord] {
        _ = try await upload(bucket, key, uploadId: uploadId)
        return try await db.parts(uploadId: uploadId, after: after, limit: limit)
    }

    func uploads(_ bucket: String, prefix: String, afterKey: String, afterId: String, limit: Int) async throws -> [UploadRecord] {
        _ = try await requireBucket(bucket)
        return try await db.uploads(bucket, prefix: prefix, afterKey: afterKey, afterId: afterId, limit: limit)
    }

    func completeUpload(_ bucket: String, _ key: String, uploadId: String, parts requested: [S3MultipartRules.Requested],
                        bypassGovernance: Bool, accessKey: String) async throws -> ObjectRecord {
        let upload = try await upload(bucket, key, uploadId: uploadId)
        let stored = try await db.parts(uploadId: uploadId)
        let byNumber = Dictionary(uniqueKeysWithValues: stored.map { ($0.number, (size: $0.size, etag: $0.etag)) })
        if let (code, message) = S3MultipartRules.problem(requested, stored: byNumber) {
            throw S3Error(.badRequest, code, message, bucket: bucket, key: key)
        }
        try await checkWritable(bucket, key, bypassGovernance: bypassGovernance)
        let files = requested.map { sink.partFile(uploadId: uploadId, number: $0.number) }
        let object: FileSink.StoredObject
        do {
            object = try await sinkWrite(bucket, key) { try await sink.assemble(files, bucket: bucket, key: key) }
        } catch {
            // Another Complete or an Abort of the same upload took the parts away meanwhile.
            if try await db.upload(id: uploadId) == nil { throw S3Multipart.noSuchUpload(bucket, key) }
            throw error
        }
        let etag = S3MultipartRules.etag(partMD5s: requested.map(\.etag))
        let record = try await commit(object, etag: etag, contentType: upload.contentType, metadata: upload.userMetadata,
                                      legalHold: upload.legalHold,
                                      lock: ObjectLock(tags: upload.tags, retention: upload.retention, bypassGovernance: bypassGovernance),
                                      event: "s3.object.put", accessKey: accessKey,
                                      fields: ["uploadId": .string(uploadId), "parts": .int(requested.count)],
                                      completingUpload: uploadId)
        try await sink.removeParts(uploadId: uploadId)
        return record
    }

    func abortUpload(_ bucket: String, _ key: String, uploadId: String, accessKey: String) async throws {
        let upload = try await upload(bucket, key, uploadId: uploadId)
        let removed = try await db.abortUpload(upload, accessKey: accessKey, now: await self.now(bucket: bucket))
        guard removed else { throw S3Multipart.noSuchUpload(bucket, key) }
        try await sink.removeParts(uploadId: uploadId)
    }
}
