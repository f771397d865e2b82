import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import MockStore
import RecordingsDomain

/// Checks a request's SigV4 header signature, or its presigned query (`S3Presigned`), against the configured
/// access keys and returns the request body, decoded from `aws-chunked` when the client streamed it.
struct S3Auth {
    let store: S3Store
    let bodyLimit: Int
    /// Signing keys by secret and scope: a client signs every request of a day with the same one.
    let signingKeys = GenerationCache<ExactKey, HMACState>(capacity: 256)

    struct Verified {
        var accessKeyId: String
        var body: Data
    }

    func verify(_ request: Request) async throws -> Verified {
        var request = request
        guard let header = request.headers.value(.authorization) else {
            if let accessKeyId = try await verifyPresigned(request) {
                return Verified(accessKeyId: accessKeyId, body: try await body(&request, payloadHash: "UNSIGNED-PAYLOAD"))
            }
            throw S3Error.accessDenied("Access Denied: anonymous requests are not allowed; sign with SigV4 or presign the URL")
        }
        guard let parsed = SigV4.parse(authorization: header) else {
            throw S3Error(.badRequest, "AuthorizationHeaderMalformed", "The authorization header is malformed; use AWS4-HMAC-SHA256")
        }
        // The cached secret is read without a suspension; a miss asks the database.
        let secret: String
        if let cached = store.cachedKey(parsed.credential.accessKeyId)?.secret { secret = cached } else {
            secret = try await self.secret(parsed.credential.accessKeyId)
        }
        guard let amzDate = request.headers.value(Self.amzDateHeader) else {
            throw S3Error.accessDenied("AWS authentication requires a valid Date or x-amz-date header")
        }
        guard let payloadHash = request.headers.value(Self.contentSHA256Header) else {
            throw S3Error(.badRequest, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
        }
        let key = signingKey(secret: secret, credential: parsed.credential)
        let fields = request.headers, authority = request.head.authority
        let mac = SigV4.mac(signingKey: key, parsed: parsed, method: request.method.rawValue, rawPath: request.uri.path,
                            rawQuery: request.uri.query, payloadHash: payloadHash, amzDate: amzDate) { name, out in
            // HTTPTypes keeps the Host header as the request's authority.
            if name == "host" {
                if let authority { SigV4Bytes.appendNormalized(authority, to: &out) }
                return
            }
            var first = true
            for field in fields where field.name.canonicalName == name {
                if !first { out.append(0x2C) }
                first = false
                SigV4Bytes.appendNormalized(field.value, to: &out)
            }
        }
        guard SigV4Bytes.matches(mac, hex: parsed.signature) else {
            throw S3Error(.forbidden, "SignatureDoesNotMatch",
                          "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
        }
        return Verified(accessKeyId: parsed.credential.accessKeyId, body: try await body(&request, payloadHash: payloadHash))
    }

    /// The request body, collected up to the limit, decoded from `aws-chunked` or checked against its hash.
    func body(_ request: inout Request, payloadHash: String) async throws -> Data {
        // No body announced: nothing to wait for (awaiting its end would cost a suspension on every such request).
        if !request.headers.announcesBody { return try Self.noBody(payloadHash: payloadHash) }
        let raw: ByteBuffer
        do { raw = try await request.collectBody(upTo: bodyLimit) } catch {
            throw S3Error(.badRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size (\(bodyLimit) bytes)")
        }
        var body = Data(raw.readableBytesView)
        if payloadHash.hasPrefix("STREAMING-") {
            guard let decoded = Self.decodeChunked(body) else {
                throw S3Error(.badRequest, "IncompleteBody", "The aws-chunked request body could not be decoded")
            }
            body = decoded
        } else if payloadHash != "UNSIGNED-PAYLOAD", Digest.sha256Hex(body) != payloadHash.lowercased() {
            throw S3Error(.badRequest, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
        }
        return body
    }

    /// The access key of a presigned request whose signature checks out and that has not expired by the mock's
    /// clock; nil when the query carries no presigned signature.
    func verifyPresigned(_ request: Request) async throws -> String? {
        let rawQuery = request.uri.query ?? ""
        // Judged on the clock of the key's org (a tenant's own, CONTRACT §16).
        func now(_ accessKeyId: String) async throws -> Int64 { store.clock.nowMillis(org: try await store.key(accessKeyId)?.orgId) }
        var headers: [(String, String)] = request.headers.map { ($0.name.canonicalName, $0.value) }
        if let authority = request.head.authority { headers.append(("host", authority)) }
        let mismatch = S3Error(.forbidden, "SignatureDoesNotMatch",
                               "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
        do {
            if let v4 = try S3Presigned.v4(rawQuery: rawQuery) {
                let secret = try await secret(v4.parsed.credential.accessKeyId)
                let key = SigV4.signingKey(secret: secret, credential: v4.parsed.credential)
                let expected = SigV4.signature(signingKey: key, parsed: v4.parsed, method: request.method.rawValue, rawPath: request.uri.path,
                                               rawQuery: v4.signedQuery, headers: headers, payloadHash: "UNSIGNED-PAYLOAD", amzDate: v4.amzDate)
                guard SigV4.constantTimeEqual(expected, v4.parsed.signature) else { throw mismatch }
                if try await now(v4.parsed.credential.accessKeyId) > S3Presigned.amzDateMillis(v4.amzDate)! + Int64(v4.expiresSeconds) * 1000 {
                    throw Self.expired
                }
                return v4.parsed.credential.accessKeyId
            }
            if let v2 = try S3Presigned.v2(rawQuery: rawQuery) {
                let secret = try await secret(v2.accessKeyId)
                let text = S3Presigned.v2StringToSign(method: request.method.rawValue, rawPath: request.uri.path, rawQuery: rawQuery,
                                                      headers: headers, expires: v2.expires)
                guard SigV4.constantTimeEqual(S3Presigned.v2Signature(secret: secret, stringToSign: text), v2.signature) else { throw mismatch }
                if try await now(v2.accessKeyId) > v2.expires * 1000 { throw Self.expired }
                return v2.accessKeyId
            }
        } catch .malformed(let why) as S3Presigned.Problem {
            throw S3Error(.badRequest, "AuthorizationQueryParametersError", why)
        }
        return nil
    }

    /// The body of a request that announces none, checked against its payload hash as `body` checks one.
    static func noBody(payloadHash: String) throws -> Data {
        if payloadHash.hasPrefix("STREAMING-") {
            guard let decoded = decodeChunked(Data()) else {
                throw S3Error(.badRequest, "IncompleteBody", "The aws-chunked request body could not be decoded")
            }
            return decoded
        }
        if payloadHash != "UNSIGNED-PAYLOAD", payloadHash.lowercased() != emptySHA256 {
            throw S3Error(.badRequest, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
        }
        return Data()
    }

    /// SHA-256 of no bytes, the payload hash of every bodyless signed request.
    static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    static let amzDateHeader = HTTPField.Name("x-amz-date")!
    static let contentSHA256Header = HTTPField.Name("x-amz-content-sha256")!

    /// The day's signing key for a credential, derived once per secret and scope.
    func signingKey(secret: String, credential c: SigV4.Credential) -> HMACState {
        let scope = ExactKey("\(secret)\u{0}\(c.date)\u{0}\(c.region)\u{0}\(c.service)")
        if let cached = signingKeys.get(scope, generation: 0) { return cached }
        let key = SigV4.signingKey(secret: secret, credential: c).withUnsafeBytes { HMACState(key: Array($0)) }
        signingKeys.put(scope, key, generation: 0)
        return key
    }

    static let expired = S3Error.accessDenied("Request has expired")

    func secret(_ accessKeyId: String) async throws -> String {
        guard let secret = try await store.key(accessKeyId)?.secret else {
            throw S3Error(.forbidden, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
        }
        return secret
    }

    /// `hex-size[;chunk-signature=…]\r\n<bytes>\r\n … 0…\r\n[trailers]\r\n`
    static func decodeChunked(_ data: Data) -> Data? {
        let bytes = [UInt8](data)
        var out = Data()
        var i = 0
        while i < bytes.count {
            guard let lineEnd = (i..<(bytes.count - 1)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) else { return nil }
            let line = String(decoding: bytes[i..<lineEnd], as: UTF8.self)
            guard let size = Int(line.split(separator: ";").first.map(String.init) ?? "", radix: 16), size >= 0 else { return nil }
            i = lineEnd + 2
            if size == 0 { return out }
            // Compared as what is left, so that a size near Int.max cannot overflow the sum.
            guard size <= bytes.count - i - 2 else { return nil }
            out.append(contentsOf: bytes[i..<(i + size)])
            i += size + 2
        }
        return nil
    }
}
