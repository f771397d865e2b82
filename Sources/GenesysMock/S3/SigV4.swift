import Crypto
import Foundation
import RecordingsDomain

/// AWS Signature Version 4 as S3 checks it (header auth): rebuilds the canonical request from what arrived,
/// signs it with the configured secret, and compares. The region is the one the client signed for.
/// `sign` signs the exporter's own calls to a remote store with the same canonical request and key derivation.
package struct SigV4 {
    package struct Credential: Sendable, Hashable {
        package var accessKeyId: String
        package var date: String
        package var region: String
        package var service: String
    }

    package struct Parsed: Sendable, Equatable {
        package var credential: Credential
        package var signedHeaders: [String]
        package var signature: String
    }

    /// Parses `AWS4-HMAC-SHA256 Credential=AK/20260101/eu-west-2/s3/aws4_request, SignedHeaders=a;b, Signature=hex`.
    package static func parse(authorization: String) -> Parsed? {
        let scheme = "AWS4-HMAC-SHA256 "
        guard authorization.hasPrefix(scheme) else { return nil }
        var credential: Substring?
        var signed: Substring?
        var signature: Substring?
        // `name=value` parts separated by commas, scanned as bytes (this runs on every S3 request).
        let u = authorization.utf8
        for part in u[u.index(u.startIndex, offsetBy: scheme.utf8.count)...].split(separator: UInt8(ascii: ",")) {
            let item = authorization[part.startIndex..<part.endIndex].trimmedBlanks()
            guard let eq = item.utf8.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = item[..<eq]
            let value = item[item.utf8.index(after: eq)...]
            switch name {
            case "Credential": credential = value
            case "SignedHeaders": signed = value
            case "Signature": signature = value
            default: break
            }
        }
        guard let credential, let signed, let signature else { return nil }
        func pieces(_ text: Substring, _ separator: Unicode.Scalar) -> [Substring] {
            text.utf8.split(separator: UInt8(ascii: separator), omittingEmptySubsequences: false).map { text[$0.startIndex..<$0.endIndex] }
        }
        let scope = pieces(credential, "/")
        guard scope.count == 5, scope[4] == "aws4_request" else { return nil }
        return Parsed(credential: Credential(accessKeyId: String(scope[0]), date: String(scope[1]), region: String(scope[2]),
                                             service: String(scope[3])),
                      signedHeaders: pieces(signed, ";").filter { !$0.isEmpty }.map { $0.lowercased() },
                      signature: signature.lowercased())
    }

    /// The expected signature for a request.
    package static func signature(secret: String, parsed: Parsed, method: String, rawPath: String, rawQuery: String?,
                                  headers: [(String, String)], payloadHash: String, amzDate: String) -> String {
        signature(signingKey: signingKey(secret: secret, credential: parsed.credential), parsed: parsed, method: method,
                  rawPath: rawPath, rawQuery: rawQuery, headers: headers, payloadHash: payloadHash, amzDate: amzDate)
    }

    /// The same, with the day's signing key already derived (it depends only on the secret and the scope).
    package static func signature(signingKey: SymmetricKey, parsed: Parsed, method: String, rawPath: String, rawQuery: String?,
                                  headers: [(String, String)], payloadHash: String, amzDate: String) -> String {
        let canonical = canonicalRequest(method: method, rawPath: rawPath, rawQuery: rawQuery, headers: headers,
                                         signedHeaders: parsed.signedHeaders, payloadHash: payloadHash)
        let c = parsed.credential
        let scope = "\(c.date)/\(c.region)/\(c.service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(Digest.sha256Hex(Data(canonical.utf8)))"
        return Digest.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey))
    }

    /// The headers that sign an outgoing request: `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token` (with a
    /// session token) and `Authorization`. `headers` must hold `host` and everything else to be signed; all of them
    /// are signed. `time` is seconds since 1970 (real time: a store refuses a signature 15 minutes off).
    package static func sign(method: String, rawPath: String, rawQuery: String?, headers: [(String, String)], payloadHash: String,
                             accessKeyId: String, secret: String, sessionToken: String?, region: String, time: Int) -> [(String, String)] {
        let (day, amzDate) = amzDates(time)
        var added = [("x-amz-date", amzDate), ("x-amz-content-sha256", payloadHash)]
        if let sessionToken { added.append(("x-amz-security-token", sessionToken)) }
        let all = headers.map { ($0.0.lowercased(), $0.1) } + added
        let credential = Credential(accessKeyId: accessKeyId, date: day, region: region, service: "s3")
        let parsed = Parsed(credential: credential, signedHeaders: Array(Set(all.map(\.0))).sorted(), signature: "")
        let signature = signature(secret: secret, parsed: parsed, method: method, rawPath: rawPath, rawQuery: rawQuery,
                                  headers: all, payloadHash: payloadHash, amzDate: amzDate)
        let authorization = "AWS4-HMAC-SHA256 Credential=\(accessKeyId)/\(day)/\(region)/s3/aws4_request, "
            + "SignedHeaders=\(parsed.signedHeaders.joined(separator: ";")), Signature=\(signature)"
        return added + [("Authorization", authorization)]
    }

    /// `yyyyMMdd` and `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func amzDates(_ time: Int) -> (day: String, stamp: String) {
        var t = time_t(time)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let day = "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))"
        return (day, "\(day)T\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z")
    }

    /// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
    package static func signingKey(secret: String, credential c: Credential) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(secret)".utf8))
        for part in [c.date, c.region, c.service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    static func canonicalRequest(method: String, rawPath: String, rawQuery: String?, headers: [(String, String)],
                                 signedHeaders: [String], payloadHash: String) -> String {
        let signed = Set(signedHeaders)
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            // Names usually arrive lower-cased already (HTTPTypes' canonical names); only others pay for it.
            let lower = name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? name.lowercased() : name
            if signed.contains(lower) { values[lower, default: []].append(normalize(value)) }
        }
        let canonicalHeaders = signedHeaders.map { "\($0):\((values[$0] ?? []).joined(separator: ","))\n" }.joined()
        return [method, canonicalURI(rawPath), canonicalQuery(rawQuery), canonicalHeaders, signedHeaders.joined(separator: ";"),
                payloadHash].joined(separator: "\n")
    }

    /// S3 signs the path exactly as sent (already URI-encoded once by the client, never normalised).
    static func canonicalURI(_ rawPath: String) -> String {
        rawPath.isEmpty ? "/" : rawPath
    }

    static func canonicalQuery(_ rawQuery: String?) -> String {
        guard let rawQuery, !rawQuery.isEmpty else { return "" }
        let pairs = rawQuery.split(separator: "&").map { item -> (String, String) in
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func dec(_ s: Substring) -> String { s.percentDecoded(plusAsSpace: true) ?? String(s) }
            return (uriEncode(dec(kv[0])), kv.count > 1 ? uriEncode(dec(kv[1])) : "")
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// RFC 3986 encoding as AWS uses it: unreserved characters stay, everything else is `%XX` (upper case).
    package static func uriEncode(_ s: String, keepSlash: Bool = false) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            switch b {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: out.append(b)
            case 0x2F where keepSlash: out.append(b)
            default: out += [0x25, hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Trimmed, with runs of spaces made one (SigV4's canonical header value).
    static func normalize(_ value: String) -> String {
        let t = value.trimmedBlanks()
        var previous: UInt8 = 0
        for b in t.utf8 {
            if b == 0x20 && previous == 0x20 {
                return t.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            }
            previous = b
        }
        return String(t)
    }

    package static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var d: UInt8 = 0
        for i in 0..<x.count { d |= x[i] ^ y[i] }
        return d == 0
    }
}
