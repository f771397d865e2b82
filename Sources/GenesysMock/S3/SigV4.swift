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
        var text = authorization
        return text.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes u: UnsafeBufferPointer<UInt8>) -> Parsed? {
        let scheme: StaticString = "AWS4-HMAC-SHA256 "
        let schemeEnd = scheme.utf8CodeUnitCount
        guard u.count >= schemeEnd, SigV4Bytes.equals(u, 0..<schemeEnd, scheme) else { return nil }
        var credential: Range<Int>?
        var signed: Range<Int>?
        var signature: Range<Int>?
        // `name=value` parts separated by commas, each trimmed of blanks.
        for part in SigV4Bytes.pieces(u, schemeEnd..<u.count, UInt8(ascii: ",")) {
            var start = part.lowerBound, end = part.upperBound
            while start < end, u[start] == 0x20 || u[start] == 0x09 { start += 1 }
            while end > start, u[end - 1] == 0x20 || u[end - 1] == 0x09 { end -= 1 }
            guard let eq = (start..<end).first(where: { u[$0] == UInt8(ascii: "=") }) else { continue }
            let value = (eq + 1)..<end
            if SigV4Bytes.equals(u, start..<eq, "Credential") {
                credential = value
            } else if SigV4Bytes.equals(u, start..<eq, "SignedHeaders") {
                signed = value
            } else if SigV4Bytes.equals(u, start..<eq, "Signature") {
                signature = value
            }
        }
        guard let credential, let signed, let signature else { return nil }
        let scope = SigV4Bytes.pieces(u, credential, UInt8(ascii: "/"))
        guard scope.count == 5, SigV4Bytes.equals(u, scope[4], "aws4_request") else { return nil }
        return Parsed(credential: Credential(accessKeyId: SigV4Bytes.string(u, scope[0]), date: SigV4Bytes.string(u, scope[1]),
                                             region: SigV4Bytes.string(u, scope[2]), service: SigV4Bytes.string(u, scope[3])),
                      signedHeaders: SigV4Bytes.pieces(u, signed, UInt8(ascii: ";")).filter { !$0.isEmpty }.map { SigV4Bytes.lowercased(u, $0) },
                      signature: SigV4Bytes.lowercased(u, signature))
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
        let key = signingKey.withUnsafeBytes { HMACState(key: Array($0)) }
        return Digest.hex(mac(signingKey: key, parsed: parsed, method: method, rawPath: rawPath, rawQuery: rawQuery,
                              payloadHash: payloadHash, amzDate: amzDate, values: values(in: headers)))
    }

    /// The signature's bytes. `values` appends the canonical (comma-joined, normalised) values of the header it is
    /// given by lower-case name. Built as bytes, not strings: every S3 request pays for it.
    static func mac(signingKey: HMACState, parsed: Parsed, method: String, rawPath: String, rawQuery: String?, payloadHash: String,
                    amzDate: String, values: (String, inout [UInt8]) -> Void) -> SHA256Digest {
        let canonical = canonicalRequest(method: method, rawPath: rawPath, rawQuery: rawQuery, signedHeaders: parsed.signedHeaders,
                                         payloadHash: payloadHash, values: values)
        var hash = SHA256()
        canonical.withUnsafeBytes { hash.update(bufferPointer: $0) }
        let c = parsed.credential
        var text: [UInt8] = []
        text.reserveCapacity(160)
        text += "AWS4-HMAC-SHA256\n".utf8
        SigV4Bytes.append(amzDate, to: &text)
        text.append(0x0A)
        for part in [c.date, c.region, c.service] {
            SigV4Bytes.append(part, to: &text)
            text.append(0x2F)
        }
        text += "aws4_request\n".utf8
        SigV4Bytes.appendHex(hash.finalize(), to: &text)
        return text.withUnsafeBytes { signingKey.mac($0) }
    }

    /// The values of each header of a list by lower-case name, in the order they came, as `mac` takes them.
    static func values(in headers: [(String, String)]) -> (String, inout [UInt8]) -> Void {
        var byName: [String: [String]] = [:]
        for (name, value) in headers {
            // Names usually arrive lower-cased already (HTTPTypes' canonical names); only others pay for it.
            let lower = name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? name.lowercased() : name
            byName[lower, default: []].append(value)
        }
        return { name, out in
            for (i, value) in (byName[name] ?? []).enumerated() {
                if i > 0 { out.append(0x2C) }
                SigV4Bytes.appendNormalized(value, to: &out)
            }
        }
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

    static func canonicalRequest(method: String, rawPath: String, rawQuery: String?, signedHeaders: [String], payloadHash: String,
                                 values: (String, inout [UInt8]) -> Void) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        SigV4Bytes.append(method, to: &out)
        out.append(0x0A)
        SigV4Bytes.append(canonicalURI(rawPath), to: &out)
        out.append(0x0A)
        if let rawQuery, !rawQuery.isEmpty { SigV4Bytes.append(canonicalQuery(rawQuery), to: &out) }
        out.append(0x0A)
        for name in signedHeaders {
            SigV4Bytes.append(name, to: &out)
            out.append(0x3A)
            values(name, &out)
            out.append(0x0A)
        }
        out.append(0x0A)
        for (i, name) in signedHeaders.enumerated() {
            if i > 0 { out.append(0x3B) }
            SigV4Bytes.append(name, to: &out)
        }
        out.append(0x0A)
        SigV4Bytes.append(payloadHash, to: &out)
        return out
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

    package static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var d: UInt8 = 0
        for i in 0..<x.count { d |= x[i] ^ y[i] }
        return d == 0
    }
}
