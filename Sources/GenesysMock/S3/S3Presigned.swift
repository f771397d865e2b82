import Crypto
import Foundation
import RecordingsDomain

/// Presigned URLs: the query-string forms of SigV4 (`X-Amz-Signature`, what `aws s3 presign` and boto3 make
/// outside us-east-1) and of SigV2 (`AWSAccessKeyId`/`Expires`/`Signature`, boto3's default in us-east-1).
/// Parsing and signing are pure; `S3Auth` looks the secret up and judges expiry by the mock's clock.
package enum S3Presigned {
    package struct V4: Sendable, Equatable {
        package var parsed: SigV4.Parsed
        package var amzDate: String
        package var expiresSeconds: Int
        /// The raw query without `X-Amz-Signature`, as it was signed.
        package var signedQuery: String
    }

    package struct V2: Sendable, Equatable {
        package var accessKeyId: String
        package var expires: Int64
        package var signature: String
    }

    package enum Problem: Error, Equatable { case malformed(String) }

    /// Names of the query parameters that carry a presigned signature, never passed on to the operation.
    package static func isAuthParameter(_ name: String) -> Bool {
        name.lowercased().hasPrefix("x-amz-") || name == "AWSAccessKeyId" || name == "Signature" || name == "Expires"
    }

    static func pairs(_ rawQuery: String) -> [(raw: Substring, name: String, value: String)] {
        rawQuery.split(separator: "&").map { item in
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = kv[0].percentDecoded(plusAsSpace: true) ?? String(kv[0])
            let value = kv.count > 1 ? (kv[1].percentDecoded(plusAsSpace: true) ?? String(kv[1])) : ""
            return (item, name, value)
        }
    }

    /// The SigV4 query form, nil when the query has no `X-Amz-Signature`; `Problem` when it is malformed.
    package static func v4(rawQuery: String) throws(Problem) -> V4? {
        let items = pairs(rawQuery)
        var q: [String: String] = [:]
        for item in items { q[item.name] = item.value }
        guard let signature = q["X-Amz-Signature"] else { return nil }
        guard q["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256" else {
            throw .malformed("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
        }
        guard let credential = q["X-Amz-Credential"], let date = q["X-Amz-Date"], let expires = q["X-Amz-Expires"],
              let signed = q["X-Amz-SignedHeaders"] else {
            throw .malformed("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
                + "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
        }
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 5, scope[4] == "aws4_request" else { throw .malformed("Error parsing the X-Amz-Credential parameter") }
        guard let seconds = Int(expires), seconds >= 1 else { throw .malformed("X-Amz-Expires must be a positive number of seconds") }
        guard seconds <= 604_800 else { throw .malformed("X-Amz-Expires must be less than a week (in seconds); that is, the given "
            + "X-Amz-Expires must be less than 604800 seconds") }
        guard amzDateMillis(date) != nil else { throw .malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"") }
        let parsed = SigV4.Parsed(credential: .init(accessKeyId: scope[0], date: scope[1], region: scope[2], service: scope[3]),
                                  signedHeaders: signed.split(separator: ";").map { $0.lowercased() }, signature: signature.lowercased())
        let kept = items.filter { $0.name != "X-Amz-Signature" }.map { String($0.raw) }.joined(separator: "&")
        return V4(parsed: parsed, amzDate: date, expiresSeconds: seconds, signedQuery: kept)
    }

    /// The SigV2 query form, nil when the query has no `AWSAccessKeyId`+`Signature`; `Problem` when it is malformed.
    package static func v2(rawQuery: String) throws(Problem) -> V2? {
        var q: [String: String] = [:]
        for item in pairs(rawQuery) { q[item.name] = item.value }
        guard let key = q["AWSAccessKeyId"], let signature = q["Signature"] else { return nil }
        guard let expires = q["Expires"].flatMap({ Int64($0) }) else {
            throw .malformed("Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters")
        }
        return V2(accessKeyId: key, expires: expires, signature: signature)
    }

    /// `yyyyMMdd'T'HHmmss'Z'` as milliseconds since the epoch.
    package static func amzDateMillis(_ s: String) -> Int64? {
        let b = Array(s.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z") else { return nil }
        func num(_ r: Range<Int>) -> Int64? { Int64(String(decoding: b[r], as: UTF8.self)) }
        guard let y = num(0..<4), let mo = num(4..<6), let d = num(6..<8), let h = num(9..<11), let mi = num(11..<13), let sec = num(13..<15),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 61 else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm).
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
        return ((days * 24 + h) * 60 + mi) * 60_000 + sec * 1000
    }

    /// Sub-resources that SigV2 signs as part of the resource.
    static let v2SubResources: Set<String> = [
        "acl", "cors", "delete", "lifecycle", "location", "logging", "notification", "partNumber", "policy", "requestPayment",
        "restore", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website", "object-lock",
        "legal-hold", "retention", "response-cache-control", "response-content-disposition", "response-content-encoding",
        "response-content-language", "response-content-type", "response-expires",
    ]

    /// SigV2's string to sign. `headers` are the request's (lower-cased names); a Content-Type, Content-MD5 or
    /// `x-amz-*` value that boto3 moved into the query counts as the header when the request does not send it.
    package static func v2StringToSign(method: String, rawPath: String, rawQuery: String, headers: [(String, String)], expires: Int64) -> String {
        var fields: [String: String] = [:]
        for (_, name, value) in pairs(rawQuery) {
            let lower = name.lowercased()
            if lower == "content-type" || lower == "content-md5" || (lower.hasPrefix("x-amz-") && !lower.hasPrefix("x-amz-signature")) {
                fields[lower] = value
            }
        }
        for (name, value) in headers {
            let lower = name.lowercased()
            if lower == "content-type" || lower == "content-md5" || lower.hasPrefix("x-amz-") { fields[lower] = value.trimmingCharacters(in: .whitespaces) }
        }
        let amz = fields.keys.filter { $0.hasPrefix("x-amz-") }.sorted().map { "\($0):\(fields[$0]!)\n" }.joined()
        let subs = pairs(rawQuery).filter { v2SubResources.contains($0.name) }.sorted { $0.name < $1.name }
            .map { $0.value.isEmpty && !$0.raw.contains("=") ? $0.name : "\($0.name)=\($0.value)" }
        let resource = (rawPath.isEmpty ? "/" : rawPath) + (subs.isEmpty ? "" : "?" + subs.joined(separator: "&"))
        return "\(method)\n\(fields["content-md5"] ?? "")\n\(fields["content-type"] ?? "")\n\(expires)\n\(amz)\(resource)"
    }

    /// Base64 HMAC-SHA1 of the string to sign.
    package static func v2Signature(secret: String, stringToSign: String) -> String {
        Data(HMAC<Insecure.SHA1>.authenticationCode(for: Data(stringToSign.utf8), using: SymmetricKey(data: Data(secret.utf8))))
            .base64EncodedString()
    }
}
