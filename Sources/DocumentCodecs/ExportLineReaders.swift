import RecordingsDomain

/// The readers of an export's one-line JSON objects: a manifest's object lines, a custody file's entry lines and the
/// audit records inside them. Each is the only reader of its kind (no fallback): it takes any JSON object, whatever
/// its spacing and member order, skips members it does not know, lets the last of duplicate members win, and answers
/// nil when the line is not JSON or a member it needs is missing or of another type. `genesys-mock verify` reads one
/// line per exported object, so none builds a `JSONValue` tree.
extension Manifest.Object {
    public static func line<C: Collection>(_ bytes: C) -> Manifest.Object? where C.Element == UInt8 {
        FastJSONReader.whole(bytes) { r in
            var key, etag, sha256, conversationId, recordingId: String?
            var size: Int?
            guard r.object(depth: 0, { r, name in
                switch name {
                case "key": return r.string(&key)
                case "size": return r.int(&size)
                case "etag": return r.string(&etag)
                case "sha256": return r.string(&sha256)
                case "conversationId": return r.string(&conversationId)
                case "recordingId": return r.string(&recordingId)
                default: return nil
                }
            }), let key, let size, let etag, let sha256, let conversationId, let recordingId else { return nil }
            return Manifest.Object(key: key, size: size, etag: etag, sha256: sha256, conversationId: conversationId,
                                   recordingId: recordingId)
        }
    }
}

extension CustodyFile.Entry {
    public static func line<C: Collection>(_ bytes: C) -> CustodyFile.Entry? where C.Element == UInt8 {
        FastJSONReader.whole(bytes) { r in
            var time, event, prevHash, hash, record: String?
            var seq: Int?
            guard r.object(depth: 0, { r, name in
                switch name {
                case "seq": return r.int(&seq)
                case "time": return r.string(&time)
                case "event": return r.string(&event)
                case "prevHash": return r.string(&prevHash)
                case "hash": return r.string(&hash)
                case "record": return r.string(&record)
                default: return nil
                }
            }), let seq, let time, let event, let prevHash, let hash, let record else { return nil }
            return CustodyFile.Entry(seq: Int64(seq), time: time, event: event, prevHash: prevHash, hash: hash, record: record)
        }
    }
}

/// The members of an audit record that the custody check reads. A member of another type counts as absent, as in
/// any generic reading of the record; nil when the record is not a JSON object.
public struct AuditRecordFields: Sendable, Equatable {
    public var seq: Int64?
    public var key: String?
    public var sha256: String?

    public init(seq: Int64?, key: String?, sha256: String?) {
        self.seq = seq
        self.key = key
        self.sha256 = sha256
    }

    public init?(record: String) {
        var seq: Int64?, key: String?, sha256: String?
        let read: Bool? = FastJSONReader.whole(record.utf8) { r in
            r.object(depth: 0, { r, name in
                switch name {
                case "seq", "key", "sha256":
                    guard let value = r.value(depth: 1) else { return false }
                    switch (name, value) {
                    case ("seq", .int(let n)): seq = Int64(n)
                    case ("seq", _): seq = nil
                    case ("key", .string(let s)): key = s
                    case ("key", _): key = nil
                    case (_, .string(let s)): sha256 = s
                    default: sha256 = nil
                    }
                    return true
                default: return nil
                }
            }) ? true : nil
        }
        guard read == true else { return nil }
        self.init(seq: seq, key: key, sha256: sha256)
    }
}

extension FastJSONReader {
    /// `read` over the whole of `bytes`: nil when it answers nil or anything but blanks follows what it read.
    static func whole<C: Collection, T>(_ bytes: C, _ read: (inout Reader) -> T?) -> T? where C.Element == UInt8 {
        func run(_ buffer: UnsafeBufferPointer<UInt8>) -> T? {
            var r = Reader(bytes: buffer)
            guard let value = read(&r) else { return nil }
            r.skipSpace()
            return r.i == r.bytes.count ? value : nil
        }
        return bytes.withContiguousStorageIfAvailable(run) ?? Array(bytes).withUnsafeBufferPointer(run)
    }
}

extension FastJSONReader.Reader {
    /// An integer (no fraction, no exponent) into `slot`; false for anything else.
    mutating func int(_ slot: inout Int?) -> Bool {
        skipSpace()
        guard case .int(let n)? = number() else { return false }
        slot = n
        return true
    }
}
