import Foundation
@testable import GenesysMock
import RecordingsDomain

extension FuzzTarget {
    /// The `Authorization` header (first line of the input) and, when it parses, the canonical request built from it
    /// with the rest of the input as the raw query, as `S3Auth.verify` builds it.
    static let sigV4Header = FuzzTarget(name: "sigv4-header") { bytes in
        let input = bytes.text
        let newline = input.firstIndex(of: "\n") ?? input.endIndex
        let header = String(input[..<newline])
        let query = newline == input.endIndex ? "" : String(input[input.index(after: newline)...])
        guard let parsed = SigV4.parse(authorization: header) else { return }
        expect(parsed.signedHeaders.allSatisfy { !$0.isEmpty && $0 == $0.lowercased() }, "signed header names are lower-case and not empty")
        expect(parsed.signature == parsed.signature.lowercased(), "the signature is lower-cased")
        let key = HMACState(key: Array("fuzz-signing-key".utf8))
        let mac = SigV4.mac(signingKey: key, parsed: parsed, method: "GET", rawPath: "/bucket/key", rawQuery: query,
                            payloadHash: S3Auth.emptySHA256, amzDate: "20260101T000000Z") { name, out in
            SigV4Bytes.appendNormalized(name == "host" ? "127.0.0.1:9000" : "  a  value ", to: &out)
        }
        _ = SigV4Bytes.matches(mac, hex: parsed.signature)
    }

    /// A presigned URL's query, in both forms (SigV4's `X-Amz-*` and SigV2's `AWSAccessKeyId`/`Signature`), read as
    /// `S3Auth.verifyPresigned` reads it, with the strings it signs.
    static let presigned = FuzzTarget(name: "presigned") { bytes in
        let query = bytes.text
        _ = SigV4.canonicalQuery(query)
        do {
            if let v4 = try S3Presigned.v4(rawQuery: query) {
                // `verifyPresigned` unwraps the date's value: the parser must have checked it.
                expect(S3Presigned.amzDateMillis(v4.amzDate) != nil, "an accepted X-Amz-Date parses")
                expect((1...604_800).contains(v4.expiresSeconds), "X-Amz-Expires is within a week")
                expect(!S3Presigned.pairs(v4.signedQuery).contains { $0.name == "X-Amz-Signature" }, "the signed query leaves out the signature")
                _ = SigV4.canonicalQuery(v4.signedQuery)
            }
        } catch {}
        do {
            if let v2 = try S3Presigned.v2(rawQuery: query) {
                let text = S3Presigned.v2StringToSign(method: "GET", rawPath: "/bucket/key", rawQuery: query,
                                                      headers: [("host", "127.0.0.1"), ("x-amz-meta-a", " b ")], expires: v2.expires)
                _ = S3Presigned.v2Signature(secret: "secret", stringToSign: text)
            }
        } catch {}
    }

    /// An `aws-chunked` body (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`), decoded as `S3Auth.body` decodes it.
    static let awsChunked = FuzzTarget(name: "aws-chunked") { bytes in
        let body = Data(bytes)
        guard let decoded = S3Auth.decodeChunked(body) else { return }
        expect(decoded.count <= body.count, "the decoded payload is no longer than the body")
    }

    /// A `Range` header against an object size: the first line is the size, the rest the header. An accepted range
    /// lies within the object, as the response body's slice needs.
    static let range = FuzzTarget(name: "range") { bytes in
        let input = bytes.text
        let newline = input.firstIndex(of: "\n") ?? input.endIndex
        let size = Int(input[..<newline]).map { max(0, $0) } ?? 1000
        let header = newline == input.endIndex ? String(input) : String(input[input.index(after: newline)...])
        for size in [size, 0, 1, 1000] {
            guard let r = S3ObjectResponses.range(header, size: size) else { continue }
            expect(r.lowerBound >= 0 && r.upperBound < size, "range \(r) lies within an object of \(size) bytes")
        }
    }
}
