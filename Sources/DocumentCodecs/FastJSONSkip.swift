extension FastJSONReader {
    /// Whether `bytes` are one JSON value (with blanks around it) that `parse` would read, checked without building it.
    public static func wellFormed<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        func check(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
            var r = Reader(bytes: buffer)
            guard r.skip(depth: 0) else { return false }
            r.skipSpace()
            return r.i == r.bytes.count
        }
        return bytes.withContiguousStorageIfAvailable(check) ?? Array(bytes).withUnsafeBufferPointer(check)
    }
}

/// Stepping over a value without building it: what a reader that wants part of a document does with the rest. It
/// accepts exactly what `value(depth:)` accepts (RFC 8259: escapes, no raw control characters, valid UTF-8, the
/// same depth limit) and allocates nothing but for numbers.
extension FastJSONReader.Reader {
    mutating func skip(depth: Int) -> Bool {
        guard depth < 512 else { return false }
        skipSpace()
        guard i < bytes.count else { return false }
        switch bytes[i] {
        case 0x7B, 0x5B:
            let close: UInt8 = bytes[i] == 0x7B ? 0x7D : 0x5D
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == close { i += 1; return true }
            while true {
                if close == 0x7D {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == 0x22, skipString() else { return false }
                    skipSpace()
                    guard i < bytes.count, bytes[i] == 0x3A else { return false }
                    i += 1
                }
                guard skip(depth: depth + 1) else { return false }
                skipSpace()
                guard i < bytes.count else { return false }
                if bytes[i] == 0x2C { i += 1; continue }
                if bytes[i] == close { i += 1; return true }
                return false
            }
        case 0x22: return skipString()
        case 0x74: return literal("true", .bool(true)) != nil
        case 0x66: return literal("false", .bool(false)) != nil
        case 0x6E: return literal("null", .null) != nil
        default: return number() != nil
        }
    }

    /// Steps over the string literal at `i` (its opening quote), checked as `string()` checks it.
    mutating func skipString() -> Bool {
        i += 1
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 { i += 1; return true }
            if b < 0x20 { return false }
            if b < 0x80 && b != 0x5C { i += 1; continue }
            if b == 0x5C {
                i += 1
                guard i < bytes.count else { return false }
                let e = bytes[i]
                i += 1
                switch e {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: continue
                case 0x75:
                    guard let scalar = hex4() else { return false }
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard i + 1 < bytes.count, bytes[i] == 0x5C, bytes[i + 1] == 0x75 else { return false }
                        i += 2
                        guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return false }
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        return false
                    }
                    continue
                default: return false
                }
            }
            guard let n = utf8SequenceLength(at: i) else { return false }
            i += n
        }
        return false
    }

    /// The length of the well-formed UTF-8 sequence of two to four bytes at `at` (Unicode Table 3-7), or nil.
    func utf8SequenceLength(at: Int) -> Int? {
        let lead = bytes[at]
        let n: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF  // the second byte's range
        switch lead {
        case 0xC2...0xDF: n = 2
        case 0xE0: n = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: n = 3
        case 0xED: n = 3; high = 0x9F
        case 0xF0: n = 4; low = 0x90
        case 0xF1...0xF3: n = 4
        case 0xF4: n = 4; high = 0x8F
        default: return nil
        }
        guard at + n <= bytes.count, (low...high).contains(bytes[at + 1]) else { return nil }
        for k in 2..<max(n, 2) where !(0x80...0xBF).contains(bytes[at + k]) { return nil }
        return n
    }
}
