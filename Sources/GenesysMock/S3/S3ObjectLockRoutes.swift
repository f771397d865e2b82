import Foundation
import HTTPTypes
import Hummingbird
import RecordingsDomain

/// Object tagging (GetObjectTagging, PutObjectTagging, DeleteObjectTagging) and Object Lock retention
/// (GetObjectRetention, PutObjectRetention), plus the headers that set both on a write. None of them touches the
/// object's bytes.
struct S3ObjectLockRoutes {
    let store: S3Store

    static let taggingHeader = HTTPField.Name("x-amz-tagging")!
    static let modeHeader = HTTPField.Name("x-amz-object-lock-mode")!
    static let untilHeader = HTTPField.Name("x-amz-object-lock-retain-until-date")!

    func getTagging(_ bucket: String, _ key: String) async throws -> Response {
        let record = try await store.head(bucket, key)
        let tags = record.tags.map { "<Tag>\(S3XML.element("Key", $0.key))\(S3XML.element("Value", $0.value))</Tag>" }.joined()
        return S3XML.response("<Tagging xmlns=\"\(S3XML.ns)\"><TagSet>\(tags)</TagSet></Tagging>")
    }

    func putTagging(_ request: Request, _ bucket: String, _ key: String, body: Data, accessKey: String) async throws -> Response {
        _ = try await store.head(bucket, key)
        try S3Digest.checkContentMD5(request, body: body, bucket: bucket, key: key)
        let tags = try Self.check(S3ObjectTags.parseTagging(body), bucket: bucket, key: key)
        try await store.setTags(bucket, key, tags, accessKey: accessKey)
        return Response(status: .ok)
    }

    func deleteTagging(_ bucket: String, _ key: String, accessKey: String) async throws -> Response {
        try await store.setTags(bucket, key, [], accessKey: accessKey)
        return Response(status: .noContent)
    }

    func getRetention(_ bucket: String, _ key: String) async throws -> Response {
        try await store.requireObjectLock(bucket, key: key)
        let record = try await store.head(bucket, key)
        guard let r = record.retention else {
            throw S3Error(.notFound, "NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration",
                          bucket: bucket, key: key)
        }
        return S3XML.response("<Retention xmlns=\"\(S3XML.ns)\"><Mode>\(r.mode.rawValue)</Mode>"
            + "<RetainUntilDate>\(Timestamp.format(millis: r.retainUntil))</RetainUntilDate></Retention>")
    }

    func putRetention(_ request: Request, _ bucket: String, _ key: String, body: Data, accessKey: String) async throws -> Response {
        try await store.requireObjectLock(bucket, key: key)
        _ = try await store.head(bucket, key)
        try S3Digest.checkContentMD5(request, body: body, bucket: bucket, key: key)
        let retention = try Self.check(S3Retention.parse(body), bucket: bucket, key: key)
        try await store.setRetention(bucket, key, retention, bypassGovernance: S3Subresources.bypassGovernance(request), accessKey: accessKey)
        return Response(status: .ok)
    }

    /// The tags, retention and bypass a PutObject, CopyObject or CreateMultipartUpload asks for in its headers
    /// (`inherited` tags stand when the request names none: CopyObject's `x-amz-tagging-directive: COPY`).
    func lock(_ request: Request, _ bucket: String, _ key: String, inherited: [S3Tag]? = nil) async throws -> S3Store.ObjectLock {
        var lock = S3Store.ObjectLock(bypassGovernance: S3Subresources.bypassGovernance(request))
        if let inherited {
            lock.tags = inherited
        } else if let header = request.headers[Self.taggingHeader] {
            lock.tags = try Self.check(S3ObjectTags.parseHeader(header), bucket: bucket, key: key)
        }
        lock.retention = try Self.check(S3Retention.fromHeaders(mode: request.headers[Self.modeHeader], until: request.headers[Self.untilHeader]),
                                        bucket: bucket, key: key)
        if let retention = lock.retention {
            try await store.requireObjectLock(bucket, key: key)
            if let problem = S3Retention.changeProblem(from: nil, to: retention, now: await store.now(bucket: bucket), bypassGovernance: false) {
                throw S3Error(.badRequest, problem.code, problem.message, bucket: bucket, key: key)
            }
        }
        return lock
    }

    /// A parser's answer, its refusal as S3's 400 error.
    static func check<T>(_ result: Result<T, S3BodyError>, bucket: String, key: String) throws -> T {
        switch result {
        case .success(let value): return value
        case .failure(let e): throw S3Error(.badRequest, e.code, e.message, bucket: bucket, key: key)
        }
    }
}
