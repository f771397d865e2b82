import Crypto
import DocumentCodecs

/// Ids in UUID form derived from names: the same parts always give the same id. SHA-256 of the parts joined by
/// `/`, its first 16 bytes in the version 4 layout, so they look like any other Genesys id. For what the seeded
/// data has no id of its own (a participant's session) and for a tenant's copies of the fixtures.
package enum StableID {
    package static func uuid(_ parts: [String]) -> String {
        var hasher = SHA256()
        for (i, part) in parts.enumerated() {
            if i > 0 { hasher.update(data: [UInt8(ascii: "/")]) }
            var part = part
            part.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4 layout, variant 1: an ordinary-looking UUID
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(FastJSON.hexDigits[Int(b >> 4)])
            out.append(FastJSON.hexDigits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A 64-bit number derived from the parts (a generator's seed).
    package static func seed(_ parts: [String]) -> UInt64 {
        var hasher = SHA256()
        for part in parts { hasher.update(data: Array(part.utf8) + [0]) }
        return hasher.finalize().prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
