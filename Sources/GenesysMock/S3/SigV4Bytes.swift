import Crypto

/// HMAC-SHA256 with the key's two padded blocks hashed once: a SigV4 signing key serves every request of its day,
/// so a request pays only for its own message (RFC 2104: H(K^opad || H(K^ipad || m))).
package struct HMACState: @unchecked Sendable {  // SHA256 values are copy-on-write: a copy never changes the original.
    private let inner: SHA256
    private let outer: SHA256

    package init(key: some Collection<UInt8>) {
        var block = key.count > 64 ? Array(SHA256.hash(data: Array(key))) : Array(key)
        block += repeatElement(0, count: 64 - block.count)
        var inner = SHA256(), outer = SHA256()
        inner.update(data: block.map { $0 ^ 0x36 })
        outer.update(data: block.map { $0 ^ 0x5C })
        self.inner = inner
        self.outer = outer
    }

    package func mac(_ message: UnsafeRawBufferPointer) -> SHA256Digest {
        var h = inner
        h.update(bufferPointer: message)
        let digest = h.finalize()
        var o = outer
        digest.withUnsafeBytes { o.update(bufferPointer: $0) }
        return o.finalize()
    }
}

/// Byte-level text helpers for the SigV4 check, which runs on every S3 request: no substrings, no splits.
enum SigV4Bytes {
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    static func appendHex<D: Sequence>(_ bytes: D, to out: inout [UInt8]) where D.Element == UInt8 {
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0xF)])
        }
    }

    /// Appends the value trimmed of blanks, with runs of spaces made one (SigV4's canonical header value).
    static func appendNormalized(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { u in
            var start = 0, end = u.count
            while start < end, u[start] == 0x20 || u[start] == 0x09 { start += 1 }
            while end > start, u[end - 1] == 0x20 || u[end - 1] == 0x09 { end -= 1 }
            var previous: UInt8 = 0
            for i in start..<end {
                let b = u[i]
                if b == 0x20 && previous == 0x20 { continue }
                out.append(b)
                previous = b
            }
        }
    }

    /// Whether the digest's bytes are those the lower-case hex text spells, in time independent of where they differ.
    static func matches(_ digest: SHA256Digest, hex: String) -> Bool {
        var hex = hex
        return hex.withUTF8 { h in
            guard h.count == 2 * SHA256Digest.byteCount else { return false }
            var d: UInt8 = 0
            digest.withUnsafeBytes { bytes in
                for (i, b) in bytes.enumerated() {
                    d |= h[2 * i] ^ hexDigits[Int(b >> 4)]
                    d |= h[2 * i + 1] ^ hexDigits[Int(b & 0xF)]
                }
            }
            return d == 0
        }
    }

    /// The text of bytes `range`, lower-cased (ASCII fast; anything else as `String.lowercased`).
    static func lowercased(_ u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: u[range])
        if slice.allSatisfy({ $0 < 0x80 }) {
            return String(unsafeUninitializedCapacity: slice.count) { out in
                for (i, b) in slice.enumerated() { out[i] = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }
                return slice.count
            }
        }
        return String(decoding: slice, as: UTF8.self).lowercased()
    }

    static func string(_ u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: u[range]), as: UTF8.self)
    }

    static func equals(_ u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ text: StaticString) -> Bool {
        guard range.count == text.utf8CodeUnitCount else { return false }
        let t = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        for i in 0..<range.count where u[range.lowerBound + i] != t[i] { return false }
        return true
    }

    /// The ranges between `separator`s (empty ones kept).
    static func pieces(_ u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ separator: UInt8) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = range.lowerBound
        for i in range where u[i] == separator {
            out.append(start..<i)
            start = i + 1
        }
        out.append(start..<range.upperBound)
        return out
    }
}
