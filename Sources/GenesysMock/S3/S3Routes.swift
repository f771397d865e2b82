import Foundation
import HTTPTypes
import Hummingbird
import RecordingsDomain

/// The S3-compatible endpoint (CONTRACT §8), path-style: `/{bucket}/{key}`. One handler dispatches on method,
/// bucket, key and sub-resource, the way S3 itself does.
struct S3Routes {
    let store: S3Store
    let auth: S3Auth

    /// The methods S3 answers; any other is answered as an unknown route is.
    static let methods: Set<HTTPRequest.Method> = [.get, .head, .put, .post, .delete]

    @Sendable func handle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let target = try S3Target(request)
        let verified = try await auth.verify(request)
        JournalNote.noteClient(verified.accessKeyId)
        guard let bucket = target.bucket else {
            guard request.method == .get else { throw Self.notImplemented("This operation on the service") }
            return try await listBuckets(accessKey: verified.accessKeyId)
        }
        try await store.requireReach(bucket, accessKey: verified.accessKeyId)
        guard let key = target.key else {
            return try await bucketOperation(request, target: target, bucket: bucket, body: verified.body, accessKey: verified.accessKeyId)
        }
        let q = target.query
        let body = verified.body, accessKey = verified.accessKeyId
        let multipart = S3Multipart(store: store), lock = S3ObjectLockRoutes(store: store)
        switch (request.method, try S3Subresources.named(q, implemented: S3Subresources.object, on: "object")) {
        case (.get, "legal-hold"): return try await getLegalHold(bucket, key)
        case (.put, "legal-hold"):
            try await putLegalHold(bucket, key, body: body, accessKey: accessKey)
            return Response(status: .ok)
        case (.get, "acl"):
            _ = try await store.head(bucket, key)
            return S3ACL.get()
        case (.put, "acl"):
            _ = try await store.head(bucket, key)
            return try S3ACL.put(request, body: body, bucket: bucket, key: key)
        case (.get, "tagging"): return try await lock.getTagging(bucket, key)
        case (.put, "tagging"): return try await lock.putTagging(request, bucket, key, body: body, accessKey: accessKey)
        case (.delete, "tagging"): return try await lock.deleteTagging(bucket, key, accessKey: accessKey)
        case (.get, "retention"): return try await lock.getRetention(bucket, key)
        case (.put, "retention"): return try await lock.putRetention(request, bucket, key, body: body, accessKey: accessKey)
        case (.post, "uploads"): return try await multipart.create(request, bucket: bucket, key: key, accessKey: accessKey)
        case (.post, "uploadId"):
            return try await multipart.complete(request, bucket: bucket, key: key, uploadId: q["uploadId"]!, body: body, accessKey: accessKey)
        case (.put, "uploadId"): return try await multipart.uploadPart(request, bucket: bucket, key: key, query: q, body: body)
        case (.get, "uploadId"): return try await multipart.listParts(bucket: bucket, key: key, query: q)
        case (.delete, "uploadId"): return try await multipart.abort(bucket: bucket, key: key, uploadId: q["uploadId"]!, accessKey: accessKey)
        case (.put, nil) where q["partNumber"] != nil: return try await multipart.uploadPart(request, bucket: bucket, key: key, query: q, body: body)
        case (.get, nil): return try await S3ObjectResponses(store: store).get(request, bucket, key, accessKey: accessKey)
        case (.head, nil): return try await S3ObjectResponses(store: store).head(bucket, key)
        case (.put, nil):
            if request.headers[HTTPField.Name("x-amz-copy-source")!] != nil {
                return try await S3Copy(store: store).respond(request, bucket: bucket, key: key, accessKey: accessKey)
            }
            return try await S3ObjectResponses(store: store).put(request, bucket, key, body: body, accessKey: accessKey)
        case (.delete, nil):
            try await store.delete(bucket, key, bypassGovernance: S3Subresources.bypassGovernance(request), accessKey: accessKey)
            return Response(status: .noContent)
        case (let method, let sub):
            throw Self.notImplemented(sub.map { "\(method.rawValue) on the object sub-resource '?\($0)'" } ?? "This operation")
        }
    }

    func bucketOperation(_ request: Request, target: S3Target, bucket: String, body: Data, accessKey: String) async throws -> Response {
        let q = target.query
        let plain = q.keys.allSatisfy { $0 == "x-id" }
        switch (request.method, try S3Subresources.named(q, implemented: S3Subresources.bucket, on: "bucket")) {
        case (.head, nil):
            let info = try await store.requireBucket(bucket)
            return Response(status: .ok, headers: [HTTPField.Name("x-amz-bucket-region")!: info.region])
        case (.get, "location"):
            let info = try await store.requireBucket(bucket)
            return S3XML.response("<LocationConstraint xmlns=\"\(S3XML.ns)\">\(info.region == "us-east-1" ? "" : info.region)</LocationConstraint>")
        case (.get, "acl"):
            _ = try await store.requireBucket(bucket)
            return S3ACL.get()
        case (.put, "acl"):
            _ = try await store.requireBucket(bucket)
            return try S3ACL.put(request, body: body, bucket: bucket, key: nil)
        case (.get, "uploads"): return try await S3Multipart(store: store).listUploads(bucket: bucket, query: q)
        case (.get, "object-lock"): return try await S3Buckets(store: store).objectLockConfiguration(bucket: bucket)
        case (.get, "versioning"): return try await S3Buckets(store: store).versioning(bucket: bucket)
        case (.get, nil) where q.keys.allSatisfy({ S3ListRequest.parameters.contains($0) || $0 == "x-id" }):
            return try await S3ListRequest(query: q, bucket: bucket).respond(store)
        case (.put, nil) where plain: return try await S3Buckets(store: store).create(request, bucket: bucket, body: body, accessKey: accessKey)
        case (.delete, nil) where plain: return try await S3Buckets(store: store).delete(bucket: bucket, accessKey: accessKey)
        case (.post, "delete"):
            return try await S3DeleteObjects(store: store).respond(request, bucket: bucket, body: body, accessKey: accessKey)
        case (let method, let sub):
            throw Self.notImplemented(sub.map { "\(method.rawValue) on the bucket sub-resource '?\($0)'" } ?? "This bucket operation")
        }
    }

    func listBuckets(accessKey: String) async throws -> Response {
        let buckets = try await store.buckets(accessKey: accessKey)
        let items = buckets.map {
            "<Bucket><Name>\(S3XML.escape($0.name))</Name><CreationDate>\(Timestamp.format(millis: $0.created))</CreationDate></Bucket>"
        }.joined()
        return S3XML.response("<ListAllMyBucketsResult xmlns=\"\(S3XML.ns)\"><Owner><ID>\(S3ACL.ownerId)</ID><DisplayName>\(S3ACL.ownerName)</DisplayName></Owner><Buckets>\(items)</Buckets></ListAllMyBucketsResult>")
    }

    func getLegalHold(_ bucket: String, _ key: String) async throws -> Response {
        let record = try await store.head(bucket, key)
        return S3XML.response("<LegalHold xmlns=\"\(S3XML.ns)\"><Status>\(record.legalHold ? "ON" : "OFF")</Status></LegalHold>")
    }

    func putLegalHold(_ bucket: String, _ key: String, body: Data, accessKey: String) async throws {
        try await store.requireObjectLock(bucket, key: key)
        guard case .success(let on) = S3RequestBodies.legalHold(body) else {
            throw S3Error(.badRequest, "MalformedXML", "The XML you provided was not well-formed: expected <LegalHold><Status>ON|OFF</Status></LegalHold>")
        }
        try await store.setLegalHold(bucket, key, on: on, accessKey: accessKey)
    }

    static func notImplemented(_ what: String) -> S3Error {
        S3Error(.notImplemented, "NotImplemented", "\(what) is not implemented by genesys-mock")
    }
}

/// Bucket, key and query of a path-style request, percent-decoded.
struct S3Target {
    var bucket: String?
    var key: String?
    var query: [String: String]

    init(_ request: Request) throws {
        // `/bucket/key…`, split at the first `/` after the leading one, as bytes (every S3 request passes here).
        var rest = Substring(request.uri.path)
        if rest.utf8.first == UInt8(ascii: "/") { rest = rest[rest.utf8.index(after: rest.utf8.startIndex)...] }
        let bucketPart: Substring
        var keyPart: Substring?
        if let slash = rest.utf8.firstIndex(of: UInt8(ascii: "/")) {
            bucketPart = rest[..<slash]
            keyPart = rest[rest.utf8.index(after: slash)...]
        } else {
            bucketPart = rest
        }
        func decode(_ s: Substring) throws -> String {
            guard let d = s.percentDecoded() else {
                throw S3Error(.badRequest, "InvalidURI", "Couldn't parse the specified URI.")
            }
            return d
        }
        bucket = bucketPart.isEmpty ? nil : try? decode(bucketPart)
        if let keyPart, !keyPart.isEmpty { key = try decode(keyPart) }
        if bucket == nil, !bucketPart.isEmpty { throw S3Error(.badRequest, "InvalidURI", "Couldn't parse the specified URI.") }
        var q: [String: String] = [:]
        if let rawQuery = request.uri.query, !rawQuery.isEmpty {
            let presigned = request.headers.value(.authorization) == nil
            for item in rawQuery.split(separator: "&") {
                let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let k = kv[0].percentDecoded(plusAsSpace: true) ?? String(kv[0])
                let v = kv.count > 1 ? (kv[1].percentDecoded(plusAsSpace: true) ?? String(kv[1])) : ""
                // A presigned URL's signature parameters (and the headers boto3 moves into it) are not the operation's.
                if presigned, S3Presigned.isAuthParameter(k) || k.lowercased() == "content-type" || k.lowercased() == "content-md5" { continue }
                q[k] = v
            }
        }
        query = q
    }
}
