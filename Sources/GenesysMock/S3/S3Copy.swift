import Foundation
import HTTPTypes
import Hummingbird
import MockStore
import RecordingsDomain

/// CopyObject (`PUT /{bucket}/{key}` with `x-amz-copy-source`), within and across buckets. The bytes are streamed
/// from the source file; metadata is the source's (`COPY`, the default) or the request's (`REPLACE`).
struct S3Copy {
    let store: S3Store

    /// `bucket/key` or `/bucket/key`, percent-encoded, maybe with `?versionId=`; nil when it names no object.
    static func source(_ header: String) -> (bucket: String, key: String)? {
        var raw = Substring(header)
        if let q = raw.firstIndex(of: "?") { raw = raw[..<q] }
        guard let decoded = raw.removingPercentEncoding else { return nil }
        let path = decoded.hasPrefix("/") ? decoded.dropFirst() : Substring(decoded)
        guard let slash = path.firstIndex(of: "/") else { return nil }
        let bucket = String(path[..<slash]), key = String(path[path.index(after: slash)...])
        return bucket.isEmpty || key.isEmpty ? nil : (bucket, key)
    }

    func respond(_ request: Request, bucket: String, key: String, accessKey: String) async throws -> Response {
        let header = request.headers[HTTPField.Name("x-amz-copy-source")!] ?? ""
        guard let (sourceBucket, sourceKey) = Self.source(header) else {
            throw S3Error(.badRequest, "InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
                          bucket: bucket, key: key)
        }
        try await store.requireReach(sourceBucket, accessKey: accessKey)
        let directive = request.headers[HTTPField.Name("x-amz-metadata-directive")!]?.uppercased() ?? "COPY"
        guard directive == "COPY" || directive == "REPLACE" else {
            throw S3Error(.badRequest, "InvalidArgument", "Unknown metadata directive.", bucket: bucket, key: key)
        }
        let hold = request.headers[HTTPField.Name("x-amz-object-lock-legal-hold")!]?.uppercased() == "ON"
        if hold { try await store.requireObjectLock(bucket, key: key) }
        var replacement: (contentType: String, metadata: [String: String])?
        if directive == "REPLACE" {
            replacement = (request.headers[.contentType] ?? "binary/octet-stream", S3ObjectResponses.userMetadata(request))
        } else if sourceBucket == bucket, sourceKey == key, !hold {
            throw S3Error(.badRequest, "InvalidRequest", "This copy request is illegal because it is trying to copy an object to itself "
                + "without changing the object's metadata, storage class, website redirect location or encryption attributes.",
                bucket: bucket, key: key)
        }
        let tagging = request.headers[HTTPField.Name("x-amz-tagging-directive")!]?.uppercased() ?? "COPY"
        guard tagging == "COPY" || tagging == "REPLACE" else {
            throw S3Error(.badRequest, "InvalidArgument", "Unknown tagging directive.", bucket: bucket, key: key)
        }
        let record = try await store.copy(from: sourceBucket, sourceKey, to: bucket, key, replacing: replacement, legalHold: hold,
                                          copyTags: tagging == "COPY", request: request, accessKey: accessKey)
        let xml = "<CopyObjectResult xmlns=\"\(S3XML.ns)\"><LastModified>\(Timestamp.format(millis: record.lastModified))</LastModified>"
            + "<ETag>&quot;\(record.etag)&quot;</ETag></CopyObjectResult>"
        return S3XML.response(xml)
    }
}

extension S3Store {
    func copy(from sourceBucket: String, _ sourceKey: String, to bucket: String, _ key: String,
              replacing: (contentType: String, metadata: [String: String])?, legalHold: Bool, copyTags: Bool, request: Request,
              accessKey: String) async throws -> ObjectRecord {
        let source = try await head(sourceBucket, sourceKey)
        // COPY takes the source's tags; REPLACE those of `x-amz-tagging` (none without it). Retention is never copied.
        let lock = try await S3ObjectLockRoutes(store: self).lock(request, bucket, key, inherited: copyTags ? source.tags : nil)
        try await checkWritable(bucket, key, bypassGovernance: lock.bypassGovernance)
        guard let file = try await sink.objectFile(bucket: sourceBucket, key: sourceKey) else { throw S3Error.noSuchKey(sourceBucket, sourceKey) }
        if source.legalHold { try await audit("object.read", record: source, accessKey: accessKey) }
        let stored = try await sinkWrite(bucket, key) { try await sink.assemble([file], bucket: bucket, key: key) }
        return try await commit(stored, contentType: replacing?.contentType ?? source.contentType,
                                metadata: replacing?.metadata ?? source.userMetadata, legalHold: legalHold, lock: lock,
                                event: "s3.object.copied", accessKey: accessKey,
                                fields: ["sourceBucket": .string(sourceBucket), "sourceKey": .string(sourceKey)])
    }
}
