import Foundation
import HTTPTypes
import Hummingbird
import RecordingsDomain

/// Multipart upload: Create, UploadPart, ListParts, ListMultipartUploads, Complete and Abort, with S3's XML and
/// errors. Parts are files outside every bucket (`FileSink+Parts`); Complete streams them into a temporary file
/// and renames it under the key, so a crash never leaves half an object there.
struct S3Multipart {
    let store: S3Store

    static func noSuchUpload(_ bucket: String, _ key: String) -> S3Error {
        S3Error(.notFound, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have "
            + "been aborted or completed.", bucket: bucket, key: key)
    }

    func create(_ request: Request, bucket: String, key: String, accessKey: String) async throws -> Response {
        let hold = request.headers[HTTPField.Name("x-amz-object-lock-legal-hold")!]?.uppercased() == "ON"
        if hold { try await store.requireObjectLock(bucket, key: key) }
        let lock = try await S3ObjectLockRoutes(store: store).lock(request, bucket, key)
        let upload = try await store.createUpload(bucket, key, contentType: request.headers[.contentType] ?? "binary/octet-stream",
                                                  metadata: S3ObjectResponses.userMetadata(request), legalHold: hold, lock: lock,
                                                  accessKey: accessKey)
        return S3XML.response("<InitiateMultipartUploadResult xmlns=\"\(S3XML.ns)\">\(S3XML.element("Bucket", bucket))"
            + "\(S3XML.element("Key", key))\(S3XML.element("UploadId", upload.uploadId))</InitiateMultipartUploadResult>")
    }

    func uploadPart(_ request: Request, bucket: String, key: String, query: [String: String], body: Data) async throws -> Response {
        guard let number = query["partNumber"].flatMap(Int.init), (1...S3MultipartRules.maximumParts).contains(number) else {
            throw S3Error(.badRequest, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive", bucket: bucket, key: key)
        }
        if request.headers[HTTPField.Name("x-amz-copy-source")!] != nil { throw S3Routes.notImplemented("UploadPartCopy") }
        try S3Digest.checkContentMD5(request, body: body, bucket: bucket, key: key)
        let etag = try await store.uploadPart(bucket, key, uploadId: query["uploadId"] ?? "", number: number, data: body)
        return Response(status: .ok, headers: [.eTag: "\"\(etag)\""])
    }

    func listParts(bucket: String, key: String, query: [String: String]) async throws -> Response {
        let uploadId = query["uploadId"] ?? ""
        let maxParts = min(max(query["max-parts"].flatMap(Int.init) ?? 1000, 0), 1000)
        let marker = max(query["part-number-marker"].flatMap(Int.init) ?? 0, 0)
        let parts = try await store.parts(bucket, key, uploadId: uploadId, after: marker, limit: maxParts + 1)
        let shown = parts.prefix(maxParts)
        var xml = "<ListPartsResult xmlns=\"\(S3XML.ns)\">\(S3XML.element("Bucket", bucket))\(S3XML.element("Key", key))"
            + "\(S3XML.element("UploadId", uploadId))\(Self.owner("Initiator"))\(Self.owner("Owner"))<StorageClass>STANDARD</StorageClass>"
            + "<PartNumberMarker>\(marker)</PartNumberMarker><NextPartNumberMarker>\(shown.last?.number ?? marker)</NextPartNumberMarker>"
            + "<MaxParts>\(maxParts)</MaxParts><IsTruncated>\(parts.count > maxParts)</IsTruncated>"
        for p in shown {
            xml += "<Part><PartNumber>\(p.number)</PartNumber><LastModified>\(Timestamp.format(millis: p.lastModified))</LastModified>"
                + "<ETag>&quot;\(p.etag)&quot;</ETag><Size>\(p.size)</Size></Part>"
        }
        return S3XML.response(xml + "</ListPartsResult>")
    }

    func listUploads(bucket: String, query: [String: String]) async throws -> Response {
        let prefix = query["prefix"] ?? ""
        let maxUploads = min(max(query["max-uploads"].flatMap(Int.init) ?? 1000, 0), 1000)
        let keyMarker = query["key-marker"] ?? "", idMarker = query["upload-id-marker"] ?? ""
        let uploads = try await store.uploads(bucket, prefix: prefix, afterKey: keyMarker, afterId: idMarker, limit: maxUploads + 1)
        let shown = uploads.prefix(maxUploads)
        var xml = "<ListMultipartUploadsResult xmlns=\"\(S3XML.ns)\">\(S3XML.element("Bucket", bucket))\(S3XML.element("KeyMarker", keyMarker))"
            + "\(S3XML.element("UploadIdMarker", idMarker))\(S3XML.element("Prefix", prefix))<MaxUploads>\(maxUploads)</MaxUploads>"
            + "<IsTruncated>\(uploads.count > maxUploads)</IsTruncated>"
        if uploads.count > maxUploads, let last = shown.last {
            xml += S3XML.element("NextKeyMarker", last.key) + S3XML.element("NextUploadIdMarker", last.uploadId)
        }
        for u in shown {
            xml += "<Upload>\(S3XML.element("Key", u.key))\(S3XML.element("UploadId", u.uploadId))\(Self.owner("Initiator"))"
                + "\(Self.owner("Owner"))<StorageClass>STANDARD</StorageClass><Initiated>\(Timestamp.format(millis: u.created))</Initiated></Upload>"
        }
        return S3XML.response(xml + "</ListMultipartUploadsResult>")
    }

    func complete(_ request: Request, bucket: String, key: String, uploadId: String, body: Data, accessKey: String) async throws -> Response {
        guard case .success(let requested) = S3MultipartRules.parseComplete(body) else {
            throw S3Error(.badRequest, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema",
                          bucket: bucket, key: key)
        }
        let record = try await store.completeUpload(bucket, key, uploadId: uploadId, parts: requested,
                                                    bypassGovernance: S3Subresources.bypassGovernance(request), accessKey: accessKey)
        return S3XML.response("<CompleteMultipartUploadResult xmlns=\"\(S3XML.ns)\">\(S3XML.element("Location", "/\(bucket)/\(key)"))"
            + "\(S3XML.element("Bucket", bucket))\(S3XML.element("Key", key))<ETag>&quot;\(record.etag)&quot;</ETag></CompleteMultipartUploadResult>")
    }

    func abort(bucket: String, key: String, uploadId: String, accessKey: String) async throws -> Response {
        try await store.abortUpload(bucket, key, uploadId: uploadId, accessKey: accessKey)
        return Response(status: .noContent)
    }

    static func owner(_ element: String) -> String { "<\(element)><ID>\(S3ACL.ownerId)</ID><DisplayName>\(S3ACL.ownerName)</DisplayName></\(element)>" }
}
