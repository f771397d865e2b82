import Foundation

/// A JSON reader written by hand for the documents the mock stores itself (conversations): bytes in, `JSONValue`
/// out, several times faster than `JSONDecoder`, which was the largest part of rendering an export. It accepts
/// exactly RFC 8259 JSON; anything else yields nil and callers fall back to `JSONDecoder`.
public enum FastJSONReader {
    public static func parse<C: Collection>(_ bytes: C) -> JSONValue? where C.Element == UInt8 {
        bytes.withContiguousStorageIfAvailable(parse(buffer:)) ?? Array(bytes).withUnsafeBufferPointer(parse(buffer:))
    }

    public static func parse(_ text: String) -> JSONValue? {
        var text = text
        return text.withUTF8(parse(buffer:))
    }

    static func parse(buffer: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        var r = Reader(bytes: buffer)
        guard let value = r.value(depth: 0) else { return nil }
        r.skipSpace()
        return r.i == r.bytes.count ? value : nil
    }

    /// The string of `bytes`, or nil when they are not valid UTF-8. `String(validating:as:)` is generic and, unspecialized,
    /// looks up type metadata on every call (a sixth of an export's rendering); `String(decoding:as:)` is not, and it
    /// repairs invalid bytes with U+FFFD, so a result whose bytes differ from the input means the input was invalid.
    static func utf8String(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var s = String(decoding: bytes, as: UTF8.self)
        let same = s.withUTF8 { u in
            u.count == bytes.count && (u.isEmpty || memcmp(u.baseAddress!, bytes.baseAddress!, u.count) == 0)
        }
        return same ? s : nil
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func value(depth: Int) -> JSONValue? {
            guard depth < 512 else { return nil }
            skipSpace()
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case 0x7B: return object(depth: depth)
            case 0x5B: return array(depth: depth)
            case 0x22: return string().map(JSONValue.string)
            case 0x74: return literal("true", .bool(true))
            case 0x66: return literal("false", .bool(false))
            case 0x6E: return literal("null", .null)
            default: return number()
            }
        }

        mutating func literal(_ word: StaticString, _ value: JSONValue) -> JSONValue? {
            let n = word.utf8CodeUnitCount
            guard i + n <= bytes.count else { return nil }
            for k in 0..<n where bytes[i + k] != word.utf8Start[k] { return nil }
            i += n
            return value
        }

        mutating func object(depth: Int) -> JSONValue? {
            i += 1
            var members: [String: JSONValue] = [:]
            skipSpace()
            if i < bytes.count, bytes[i] == 0x7D { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == 0x22, let key = string() else { return nil }
                skipSpace()
                guard i < bytes.count, bytes[i] == 0x3A else { return nil }
                i += 1
                guard let v = value(depth: depth + 1) else { return nil }
                members[key] = v
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == 0x2C { i += 1; continue }
                if bytes[i] == 0x7D { i += 1; return .object(members) }
                return nil
            }
        }

        mutating func array(depth: Int) -> JSONValue? {
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == 0x5D { i += 1; return .array(items) }
            while true {
                guard let v = value(depth: depth + 1) else { return nil }
                items.append(v)
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == 0x2C { i += 1; continue }
                if bytes[i] == 0x5D { i += 1; return .array(items) }
                return nil
            }
        }

        /// A string literal at `i` (its opening quote); runs without escapes are copied at once.
        mutating func string() -> String? {
            i += 1
            let start = i
            while i < bytes.count, bytes[i] != 0x22, bytes[i] != 0x5C, bytes[i] >= 0x20 { i += 1 }
            guard i < bytes.count else { return nil }
            if bytes[i] == 0x22 {
                let s = FastJSONReader.utf8String(UnsafeBufferPointer(rebasing: bytes[start..<i]))
                i += 1
                return s
            }
            var out = Array(bytes[start..<i])
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x22 {
                    i += 1
                    return out.withUnsafeBufferPointer(FastJSONReader.utf8String)
                }
                guard b >= 0x20 else { return nil }
                if b != 0x5C { out.append(b); i += 1; continue }
                i += 1
                guard i < bytes.count else { return nil }
                let e = bytes[i]
                i += 1
                switch e {
                case 0x22, 0x5C, 0x2F: out.append(e)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    guard var scalar = hex4() else { return nil }
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard i + 1 < bytes.count, bytes[i] == 0x5C, bytes[i + 1] == 0x75 else { return nil }
                        i += 2
                        guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        return nil
                    }
                    guard let u = Unicode.Scalar(scalar) else { return nil }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: return nil
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= bytes.count else { return nil }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[i]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: return nil
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }

        /// An integer as `.int`; anything with a fraction or exponent as `.double` (as `JSONValue`'s decoder does).
        mutating func number() -> JSONValue? {
            let start = i
            if i < bytes.count, bytes[i] == 0x2D { i += 1 }
            guard i < bytes.count, (0x30...0x39).contains(bytes[i]) else { return nil }
            if bytes[i] == 0x30 { i += 1 } else { while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 } }
            var integral = true
            if i < bytes.count, bytes[i] == 0x2E {
                integral = false
                i += 1
                guard i < bytes.count, (0x30...0x39).contains(bytes[i]) else { return nil }
                while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 }
            }
            if i < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {
                integral = false
                i += 1
                if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D { i += 1 }
                guard i < bytes.count, (0x30...0x39).contains(bytes[i]) else { return nil }
                while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            if integral, let n = Int(text) { return .int(n) }
            // A number beyond Double's range (`1e400`) is refused, as JSONDecoder refuses it, never read as infinity.
            return Double(text).flatMap { $0.isFinite ? .double($0) : nil }
        }
    }
}

extension Conversation {
    /// A conversation from its stored JSON: read straight into the struct (`direct`), else through a `FastJSONReader`
    /// tree; nil when a member is missing or of another type (callers then use `JSONDecoder`, which names the problem).
    public static func fast(_ document: String) -> Conversation? {
        if let c = direct(document) { return c }
        guard case .object(let o)? = FastJSONReader.parse(document) else { return nil }
        return Conversation(json: o)
    }

    package init?(json o: [String: JSONValue]) {
        func str(_ o: [String: JSONValue], _ k: String) -> String? { if case .string(let s)? = o[k] { return s } else { return nil } }
        func optStr(_ o: [String: JSONValue], _ k: String) -> String?? {
            switch o[k] {
            case nil, .null?: return .some(nil)
            case .string(let s)?: return .some(s)
            default: return nil
            }
        }
        func objects(_ v: JSONValue?) -> [[String: JSONValue]]? {
            guard case .array(let items)? = v else { return nil }
            var out: [[String: JSONValue]] = []
            out.reserveCapacity(items.count)
            for item in items {
                guard case .object(let m) = item else { return nil }
                out.append(m)
            }
            return out
        }
        guard let id = str(o, "id"), let orgId = str(o, "orgId"), let messengerType = str(o, "messengerType"),
              let startTime = str(o, "startTime"), let endTime = str(o, "endTime"), let recordingId = str(o, "recordingId"),
              case .object(let q)? = o["queue"], let queueId = str(q, "id"), let queueName = str(q, "name"),
              let participantObjects = objects(o["participants"]), let messageObjects = objects(o["messages"])
        else { return nil }
        var participants: [Participant] = []
        participants.reserveCapacity(participantObjects.count)
        for p in participantObjects {
            guard let pid = str(p, "id"), let purpose = str(p, "purpose"), let name = str(p, "name"), let address = str(p, "address"),
                  let userId = optStr(p, "userId"), let externalContactId = optStr(p, "externalContactId") else { return nil }
            participants.append(Participant(id: pid, purpose: purpose, name: name, address: address, userId: userId,
                                            externalContactId: externalContactId))
        }
        var messages: [Message] = []
        messages.reserveCapacity(messageObjects.count)
        for m in messageObjects {
            guard let mid = str(m, "id"), let participantId = str(m, "participantId"), let timestamp = str(m, "timestamp"),
                  let text = optStr(m, "text") else { return nil }
            var media: [Media]?
            if let v = m["media"], v != .null {
                guard let items = objects(v) else { return nil }
                media = []
                for x in items {
                    guard let xid = str(x, "id"), let url = str(x, "url"), let mediaType = str(x, "mediaType"), let name = str(x, "name"),
                          case .int(let length)? = x["contentLength"] else { return nil }
                    media?.append(Media(id: xid, url: url, mediaType: mediaType, contentLength: length, name: name))
                }
            }
            var stickers: [Sticker]?
            if let v = m["stickers"], v != .null {
                guard let items = objects(v) else { return nil }
                stickers = []
                for s in items {
                    guard let sid = str(s, "id"), let url = str(s, "url") else { return nil }
                    stickers?.append(Sticker(id: sid, url: url))
                }
            }
            messages.append(Message(id: mid, participantId: participantId, timestamp: timestamp, text: text, media: media, stickers: stickers))
        }
        self.init(id: id, orgId: orgId, messengerType: messengerType, startTime: startTime, endTime: endTime,
                  queue: Queue(id: queueId, name: queueName), recordingId: recordingId, participants: participants, messages: messages)
    }
}
