import Foundation
import NIOCore
@testable import GenesysMock
import DocumentCodecs
import RecordingsDomain

extension FuzzTarget {
    /// The XML bodies S3 clients send: DeleteObjects, CompleteMultipartUpload, CreateBucketConfiguration,
    /// PutObjectLegalHold, PutObjectTagging, PutObjectRetention and PutObjectAcl, each read by the function its route
    /// calls.
    static let s3XML = FuzzTarget(name: "s3-xml") { bytes in
        let body = Data(bytes)
        if case .success(let parsed) = S3RequestBodies.delete(body) {
            expect(!parsed.keys.isEmpty, "a DeleteObjects body names at least one key")
            for key in parsed.keys { _ = SinkPath.keyProblem(key) }
        }
        if case .success(let parts) = S3MultipartRules.parseComplete(body) {
            expect(!parts.isEmpty, "a CompleteMultipartUpload body names at least one part")
            _ = S3MultipartRules.problem(parts, stored: [1: (size: 5 << 20, etag: "0123456789abcdef0123456789abcdef")])
        }
        _ = try? S3Buckets.region(body, bucket: "fuzz")
        if case .success(let constraint?) = S3RequestBodies.locationConstraint(body) {
            expect(!constraint.isEmpty, "a LocationConstraint read is never blank")
        }
        _ = S3RequestBodies.legalHold(body)
        // The real XML parser (libxml2 through XMLParser) and the subresource bodies read with it.
        if case .success(let root) = S3XMLTree.parse(body) {
            expect(!root.name.isEmpty, "a parsed document has a named root element")
        }
        if case .success(let tags) = S3ObjectTags.parseTagging(body) {
            expect(S3ObjectTags.problem(tags) == nil, "accepted tags break no tag rule")
            expect(S3ObjectTags.fromJSON(S3ObjectTags.json(tags)) == tags, "tags survive the record's JSON")
        }
        if case .success(let tags) = S3ObjectTags.parseHeader(String(decoding: body, as: UTF8.self)) {
            expect(S3ObjectTags.problem(tags) == nil, "accepted x-amz-tagging breaks no tag rule")
        }
        _ = S3Retention.parse(body)
        _ = S3AccessControl.grantsOnlyOwner(body, ownerId: "genesys-mock")
        // What a remote store answers (read by the exporter's S3 client): an error's code, message and endpoint, a
        // multipart upload's id and ETag.
        let answer = RemoteS3Answer(ByteBuffer(bytes: bytes))
        for name in ["Code", "Message", "Endpoint"] { _ = answer.text("Error", name) }
        _ = answer.text("InitiateMultipartUploadResult", "UploadId")
        _ = answer.text("CompleteMultipartUploadResult", "ETag")
    }
}
