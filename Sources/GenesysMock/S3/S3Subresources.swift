import Foundation
import HTTPTypes
import Hummingbird
import RecordingsDomain

/// How the S3 port reads a request's query, strictly: every key is either a parameter of an ordinary operation or
/// a sub-resource this mock implements. Any other key (`?torrent`, `?attributes`, `?cors`, `?policy`, …) answers
/// `501 NotImplemented` before anything is read or written, so a sub-resource is never served as the plain
/// object or bucket operation.
enum S3Subresources {
    /// Sub-resources implemented on an object (`uploadId` stands for the multipart operations on one upload).
    static let object: Set<String> = ["acl", "tagging", "retention", "legal-hold", "uploads", "uploadId"]
    /// Sub-resources implemented on a bucket.
    static let bucket: Set<String> = ["acl", "location", "uploads", "object-lock", "versioning", "delete"]

    /// Parameters of ordinary operations, as boto3, the AWS CLI and s3cmd send them: listing, multipart paging,
    /// GetObject's response overrides, `partNumber`, `versionId` (the mock keeps one version: it names the
    /// current one) and `x-id`, which botocore adds to say which operation it means.
    static let parameters: Set<String> = S3ListRequest.parameters.union([
        "x-id", "versionId", "partNumber", "max-parts", "part-number-marker", "max-uploads", "key-marker", "upload-id-marker",
        "response-content-type", "response-content-language", "response-expires", "response-cache-control",
        "response-content-disposition", "response-content-encoding",
    ])

    /// The one implemented sub-resource `query` names, or nil for the plain operation. A key that is neither a
    /// parameter nor in `implemented`, or two sub-resources at once, is `NotImplemented`.
    static func named(_ query: [String: String], implemented: Set<String>, on what: String) throws -> String? {
        var found: String?
        // `x-amz-*` keys are headers carried in the query (botocore's SigV2 presigned URLs move them there).
        for key in query.keys.sorted() where !parameters.contains(key) && !key.lowercased().hasPrefix("x-amz-") {
            guard implemented.contains(key), found == nil else {
                throw S3Routes.notImplemented("The \(what) sub-resource '?\(key.prefix(64))'")
            }
            found = key
        }
        return found
    }

    static let bypassHeader = HTTPField.Name("x-amz-bypass-governance-retention")!

    /// `x-amz-bypass-governance-retention: true`.
    static func bypassGovernance(_ request: Request) -> Bool {
        request.headers[bypassHeader]?.trimmingCharacters(in: .whitespaces).lowercased() == "true"
    }
}

/// GetObjectAcl / GetBucketAcl and PutObjectAcl / PutBucketAcl. Every object and bucket has one ACL: its owner (the
/// one ListBuckets names) with FULL_CONTROL. Setting that same ACL (canned `private`, or a body granting only
/// the owner FULL_CONTROL) is accepted and changes nothing; any other ACL is `NotImplemented`.
struct S3ACL {
    static let ownerId = "genesys-mock"
    static let ownerName = "genesys-mock"

    static func policyXML() -> String {
        let owner = "<ID>\(ownerId)</ID><DisplayName>\(ownerName)</DisplayName>"
        return "<AccessControlPolicy xmlns=\"\(S3XML.ns)\"><Owner>\(owner)</Owner><AccessControlList><Grant>"
            + "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">\(owner)</Grantee>"
            + "<Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>"
    }

    static func get() -> Response { S3XML.response(policyXML()) }

    /// Checks a PutObjectAcl / PutBucketAcl request; returns when it asks for the ACL the mock already has.
    static func put(_ request: Request, body: Data, bucket: String, key: String?) throws -> Response {
        if request.headers.contains(where: { $0.name.canonicalName.hasPrefix("x-amz-grant-") }) {
            throw S3Routes.notImplemented("An ACL with x-amz-grant-* headers (only the owner's FULL_CONTROL is kept)")
        }
        if let canned = request.headers[HTTPField.Name("x-amz-acl")!]?.trimmingCharacters(in: .whitespaces) {
            guard canned == "private" else {
                throw S3Routes.notImplemented("The canned ACL '\(canned)' (only 'private' is kept)")
            }
            guard body.isEmpty else {
                throw S3Error(.badRequest, "UnexpectedContent", "This request does not support content", bucket: bucket, key: key)
            }
            return Response(status: .ok)
        }
        guard !body.isEmpty else {
            throw S3Error(.badRequest, "MissingSecurityHeader", "Your request was missing a required header", bucket: bucket, key: key)
        }
        switch S3AccessControl.grantsOnlyOwner(body, ownerId: ownerId) {
        case .failure(let e): throw S3Error(.badRequest, e.code, e.message, bucket: bucket, key: key)
        case .success(false): throw S3Routes.notImplemented("An ACL granting anything but the owner's FULL_CONTROL")
        case .success(true): return Response(status: .ok)
        }
    }
}
