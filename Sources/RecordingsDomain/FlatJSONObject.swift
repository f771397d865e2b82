/// A fast reader for the one-line JSON objects of manifests and custody files: `{"name":value,…}` whose values
/// are strings or integers. Anything else (nesting, floats, booleans, a malformed line) answers nil and the
/// caller falls back to JSONDecoder, so it is never less strict, only faster: verify reads one line per object.
public enum FlatJSONObject {
    public enum Value: Sendable, Equatable {
        case string(String)
        case int(Int64)
    }

    public static func parse<C: Collection>(_ bytes: C) -> [String: Value]? where C.Element == UInt8 {
        let b = Array(bytes)
        var i = 0
        func skipSpace() { while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 } }
        func string() -> String? {
            guard i < b.count, b[i] == 0x22 else { return nil }
            i += 1
            var out: [UInt8] = []
            while i < b.count {
                let c = b[i]
                if c == 0x22 { i += 1; return String(validating: out, as: UTF8.self) }
                if c < 0x20 { return nil }
                if c == 0x5C {
                    guard i + 1 < b.count else { return nil }
                    let e = b[i + 1]
                    i += 2
                    switch e {
                    case 0x22, 0x5C, 0x2F: out.append(e)
                    case 0x62: out.append(0x08)
                    case 0x66: out.append(0x0C)
                    case 0x6E: out.append(0x0A)
                    case 0x72: out.append(0x0D)
                    case 0x74: out.append(0x09)
                    case 0x75:
                        // \uXXXX for control characters only; anything else is left to JSONDecoder.
                        guard i + 4 <= b.count, let v = UInt8(String(decoding: b[i..<(i + 4)], as: UTF8.self), radix: 16),
                              v < 0x20, b[i] == 0x30, b[i + 1] == 0x30 else { return nil }
                        out.append(v)
                        i += 4
                    default: return nil
                    }
                    continue
                }
                out.append(c)
                i += 1
            }
            return nil
        }
        func integer() -> Int64? {
            let start = i
            if i < b.count, b[i] == 0x2D { i += 1 }
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > start, i - start <= 19, i < b.count, b[i] != 0x2E, b[i] != 0x65, b[i] != 0x45 else { return nil }
            return Int64(String(decoding: b[start..<i], as: UTF8.self))
        }
        skipSpace()
        guard i < b.count, b[i] == 0x7B else { return nil }
        i += 1
        var out: [String: Value] = [:]
        skipSpace()
        if i < b.count, b[i] == 0x7D { i += 1 } else {
            while true {
                skipSpace()
                guard let name = string() else { return nil }
                skipSpace()
                guard i < b.count, b[i] == 0x3A else { return nil }
                i += 1
                skipSpace()
                guard i < b.count else { return nil }
                if b[i] == 0x22 {
                    guard let s = string() else { return nil }
                    out[name] = .string(s)
                } else {
                    guard let n = integer() else { return nil }
                    out[name] = .int(n)
                }
                skipSpace()
                guard i < b.count else { return nil }
                if b[i] == 0x2C { i += 1; continue }
                guard b[i] == 0x7D else { return nil }
                i += 1
                break
            }
        }
        skipSpace()
        return i == b.count ? out : nil
    }

    /// A manifest object line, or nil (then decode it with JSONDecoder).
    public static func manifestObject<C: Collection>(_ bytes: C) -> Manifest.Object? where C.Element == UInt8 {
        guard let o = parse(bytes), o.count == 6, case .string(let key)? = o["key"], case .int(let size)? = o["size"],
              case .string(let etag)? = o["etag"], case .string(let sha)? = o["sha256"],
              case .string(let cid)? = o["conversationId"], case .string(let rid)? = o["recordingId"] else { return nil }
        return Manifest.Object(key: key, size: Int(size), etag: etag, sha256: sha, conversationId: cid, recordingId: rid)
    }

    /// A custody entry line, or nil (then decode it with JSONDecoder).
    public static func custodyEntry<C: Collection>(_ bytes: C) -> CustodyFile.Entry? where C.Element == UInt8 {
        guard let o = parse(bytes), o.count == 6, case .int(let seq)? = o["seq"], case .string(let time)? = o["time"],
              case .string(let event)? = o["event"], case .string(let prev)? = o["prevHash"], case .string(let hash)? = o["hash"],
              case .string(let record)? = o["record"] else { return nil }
        return CustodyFile.Entry(seq: seq, time: time, event: event, prevHash: prev, hash: hash, record: record)
    }
}
