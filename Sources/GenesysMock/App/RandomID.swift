import Synchronization

/// Random version-4 UUIDs in lower case, from the system's random generator (`getrandom`). Foundation's
/// `UUID()` opens `/dev/urandom` for each one on Linux: a system call too many on every request.
package enum RandomID {
    package static func uuid() -> String {
        var g = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        withUnsafeBytes(of: (g.next() as UInt64, g.next() as UInt64)) { raw in
            for i in 0..<16 { bytes[i] = raw[i] }
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension RandomID {
    /// A process-wide random prefix and a counter: unique correlation ids in UUID form without a system call
    /// per request. They name a request; they are not secrets.
    private static let prefix: UInt64 = .random(in: .min ... .max)
    private static let counter = Atomic<UInt64>(0)

    package static func correlationId() -> String {
        let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        func put(_ v: UInt64, nibbles: Int) {
            for k in stride(from: nibbles - 1, through: 0, by: -1) { out.append(hex[Int((v >> UInt64(k * 4)) & 0xF)]) }
        }
        put(prefix >> 32, nibbles: 8); out.append(UInt8(ascii: "-"))
        put(prefix >> 16, nibbles: 4); out.append(UInt8(ascii: "-"))
        put(0x4000 | (prefix & 0x0FFF), nibbles: 4); out.append(UInt8(ascii: "-"))
        put(0x8000 | (n >> 48 & 0x3FFF), nibbles: 4); out.append(UInt8(ascii: "-"))
        put(n, nibbles: 12)
        return String(decoding: out, as: UTF8.self)
    }
}
