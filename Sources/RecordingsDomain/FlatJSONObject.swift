/// The one-line JSON objects of manifests and custody files, read by `FastJSONReader`: `{"name":value,…}` whose
/// values are strings or integers. Anything else (nesting, floats, booleans, a malformed line) answers nil and the
/// caller falls back to JSONDecoder, so it is never less strict, only faster: verify reads one line per object.
public enum FlatJSONObject {
    public enum Value: Sendable, Equatable {
        case string(String)
        case int(Int64)
    }

    public static func parse<C: Collection>(_ bytes: C) -> [String: Value]? where C.Element == UInt8 {
        guard case .object(let members)? = FastJSONReader.parse(bytes) else { return nil }
        var out: [String: Value] = [:]
        out.reserveCapacity(members.count)
        for (name, value) in members {
            switch value {
            case .string(let s): out[name] = .string(s)
            case .int(let n): out[name] = .int(Int64(n))
            default: return nil
            }
        }
        return out
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
