import Foundation
import HTTPTypes
import Hummingbird
import RecordingsDomain

/// Buckets through S3: CreateBucket, DeleteBucket, GetObjectLockConfiguration and GetBucketVersioning. A bucket
/// is a row of the same table the fixtures and `/__admin/buckets` fill, so each side sees the other's buckets
/// and any of them is an export destination.
struct S3Buckets {
    let store: S3Store

    /// `PUT /{bucket}`: the LocationConstraint becomes the bucket's region (us-east-1 without one).
    func create(_ request: Request, bucket: String, body: Data, accessKey: String) async throws -> Response {
        guard NameRules.isBucketName(bucket) else {
            throw S3Error(.badRequest, "InvalidBucketName", "The specified bucket is not valid.", bucket: bucket)
        }
        let region = try Self.region(body, bucket: bucket)
        let lock = request.headers[HTTPField.Name("x-amz-bucket-object-lock-enabled")!]?.lowercased() == "true"
        try await store.createBucket(bucket, region: region, objectLock: lock, accessKey: accessKey)
        return Response(status: .ok, headers: [.location: "/\(bucket)"])
    }

    /// `DELETE /{bucket}`: `BucketNotEmpty` while it holds an object or an unfinished multipart upload.
    func delete(bucket: String, accessKey: String) async throws -> Response {
        try await store.deleteBucket(bucket, accessKey: accessKey)
        return Response(status: .noContent)
    }

    func objectLockConfiguration(bucket: String) async throws -> Response {
        let info = try await store.requireBucket(bucket)
        guard info.objectLockEnabled else {
            throw S3Error(.notFound, "ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket",
                          bucket: bucket)
        }
        return S3XML.response("<ObjectLockConfiguration xmlns=\"\(S3XML.ns)\"><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>")
    }

    /// Versioning is never enabled: an empty configuration, as S3 answers for a bucket that never had it.
    func versioning(bucket: String) async throws -> Response {
        _ = try await store.requireBucket(bucket)
        return S3XML.response("<VersioningConfiguration xmlns=\"\(S3XML.ns)\"/>")
    }
}

extension S3Store {
    func createBucket(_ name: String, region: String, objectLock: Bool, accessKey: String) async throws {
        let now = clock.nowMillis()
        let owner = try await key(accessKey)?.orgId
        let created = try await db.createBucket(name, region: region, objectLock: objectLock, accessKey: accessKey, owner: owner, now: now)
        guard created else {
            throw S3Error(.conflict, "BucketAlreadyOwnedByYou",
                          "Your previous request to create the named bucket succeeded and you already own it.", bucket: name)
        }
    }

    func deleteBucket(_ name: String, accessKey: String) async throws {
        _ = try await requireBucket(name)
        let now = clock.nowMillis()
        let emptied = try await db.deleteBucket(name, accessKey: accessKey, now: now)
        switch emptied {
        case nil: throw S3Error.noSuchBucket(name)
        case false?: throw S3Error(.conflict, "BucketNotEmpty", "The bucket you tried to delete is not empty", bucket: name)
        case true?: try await sink.removeBucketFolder(name)
        }
    }
}
