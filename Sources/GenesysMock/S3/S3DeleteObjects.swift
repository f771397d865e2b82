import Foundation
import HTTPTypes
import Hummingbird
import MockStore
import RecordingsDomain

/// DeleteObjects (`POST /{bucket}?delete`): up to 1,000 keys in one request. Held keys come back one by one as
/// `AccessDenied` errors, invalid keys as `InvalidArgument`, the rest are deleted; `Quiet` leaves out the deleted.
struct S3DeleteObjects {
    let store: S3Store

    func respond(_ request: Request, bucket: String, body: Data, accessKey: String) async throws -> Response {
        _ = try await store.requireBucket(bucket)
        try S3Digest.checkContentMD5(request, body: body, bucket: bucket, key: nil)
        guard case .success(let parsed) = S3RequestBodies.delete(body) else {
            throw S3Error(.badRequest, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
        }
        guard parsed.keys.count <= 1000 else {
            throw S3Error(.badRequest, "MalformedXML", "The request may not contain more than 1000 keys")
        }
        // Keys compared byte for byte: "café" in NFC and in NFD are two keys to S3.
        var invalid: [ExactKey: String] = [:]
        for key in parsed.keys {
            if let problem = SinkPath.keyProblem(key) { invalid[ExactKey(key)] = problem }
        }
        let outcomes = try await store.delete(bucket, keys: parsed.keys.filter { invalid[ExactKey($0)] == nil },
                                              bypassGovernance: S3Subresources.bypassGovernance(request), accessKey: accessKey)
        var xml = "<DeleteResult xmlns=\"\(S3XML.ns)\">"
        var seen: Set<ExactKey> = []
        for key in parsed.keys where seen.insert(ExactKey(key)).inserted {
            if let problem = invalid[ExactKey(key)] {
                xml += "<Error>\(S3XML.element("Key", key))<Code>InvalidArgument</Code>\(S3XML.element("Message", "Invalid object key: \(problem)"))</Error>"
            } else if outcomes[ExactKey(key)] == .refused {
                xml += "<Error>\(S3XML.element("Key", key))<Code>AccessDenied</Code><Message>Access Denied: the object is under legal hold and cannot be deleted</Message></Error>"
            } else if outcomes[ExactKey(key)] == .retained {
                xml += "<Error>\(S3XML.element("Key", key))<Code>AccessDenied</Code>\(S3XML.element("Message", S3Store.retainedMessage("deleted")))</Error>"
            } else if !parsed.quiet {
                xml += "<Deleted>\(S3XML.element("Key", key))</Deleted>"
            }
        }
        return S3XML.response(xml + "</DeleteResult>")
    }
}

/// `Content-MD5`, when a request carries it, must be the base64 MD5 of the body (`BadDigest` otherwise).
enum S3Digest {
    static func checkContentMD5(_ request: Request, body: Data, bucket: String, key: String?) throws {
        guard let md5 = request.headers[HTTPField.Name("Content-MD5")!] else { return }
        guard let raw = Data(base64Encoded: md5), raw.count == 16 else {
            throw S3Error(.badRequest, "InvalidDigest", "The Content-MD5 you specified was invalid.", bucket: bucket, key: key)
        }
        if Digest.hex(raw) != Digest.md5Hex(body) {
            throw S3Error(.badRequest, "BadDigest", "The Content-MD5 you specified did not match what we received.", bucket: bucket, key: key)
        }
    }
}
