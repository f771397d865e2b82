import Foundation

/// `CanonicalJSON` for a `JSONValue`, written by hand: the same bytes as `JSONEncoder` with sorted keys (by
/// UTF-8 bytes), unescaped slashes and, when `pretty`, its pretty-printing (two spaces, `" : "`, empty
/// containers as two newlines). Exports render two documents per recording and append an audit record per
/// object; JSONEncoder was the largest part of an export's CPU time. Tests compare the bytes with JSONEncoder's.
public enum FastJSON {
    public static func data(_ value: JSONValue, pretty: Bool = false) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(value, into: &out, pretty: pretty, indent: 0)
        return Data(out)
    }

    public static func string(_ value: JSONValue, pretty: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(value, into: &out, pretty: pretty, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    static func write(_ value: JSONValue, into out: inout [UInt8], pretty: Bool, indent: Int) {
        switch value {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): out += String(i).utf8
        case .double(let d): out += ((try? CanonicalJSON.data(d)) ?? Data("0".utf8))
        case .string(let s): string(s, into: &out)
        case .array(let items):
            out.append(0x5B)
            if pretty {
                if items.isEmpty { out.append(0x0A) }
                for (i, item) in items.enumerated() {
                    if i > 0 { out.append(0x2C) }
                    newline(&out, indent + 2)
                    write(item, into: &out, pretty: true, indent: indent + 2)
                }
                newline(&out, indent)
            } else {
                for (i, item) in items.enumerated() {
                    if i > 0 { out.append(0x2C) }
                    write(item, into: &out, pretty: false, indent: 0)
                }
            }
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            if pretty {
                if sorted.isEmpty { out.append(0x0A) }
                for (i, (key, item)) in sorted.enumerated() {
                    if i > 0 { out.append(0x2C) }
                    newline(&out, indent + 2)
                    string(key, into: &out)
                    out += " : ".utf8
                    write(item, into: &out, pretty: true, indent: indent + 2)
                }
                newline(&out, indent)
            } else {
                for (i, (key, item)) in sorted.enumerated() {
                    if i > 0 { out.append(0x2C) }
                    string(key, into: &out)
                    out.append(0x3A)
                    write(item, into: &out, pretty: false, indent: 0)
                }
            }
            out.append(0x7D)
        }
    }

    static func newline(_ out: inout [UInt8], _ indent: Int) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent))
    }

    /// A string as JSONEncoder writes it: `"` and `\` escaped, control characters as `\b \f \n \r \t` or
    /// `\u00xx`, everything else (slashes, DEL, non-ASCII) as UTF-8.
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string literal, escaped exactly as `JSONEncoder` (without escaping slashes) does. Runs of bytes that
    /// need no escape (nearly all of a transcript) are copied at once.
    public static func string(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                switch b {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x08: out += [0x5C, 0x62]
                case 0x0C: out += [0x5C, 0x66]
                case 0x0A: out += [0x5C, 0x6E]
                case 0x0D: out += [0x5C, 0x72]
                case 0x09: out += [0x5C, 0x74]
                default: out += [0x5C, 0x75, 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]]
                }
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
        }
        out.append(0x22)
    }
}

extension RecordingDocument {
    /// The document as `JSONValue`, with exactly the members its `Encodable` conformance writes.
    public var jsonValue: JSONValue {
        func opt(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        return .object([
            "id": .string(id), "conversationId": .string(conversationId), "name": .string(name), "startTime": .string(startTime),
            "endTime": .string(endTime), "media": .string(media), "fileState": .string(fileState),
            "creationTime": .string(creationTime), "recordingFileRole": .string(recordingFileRole), "exportDate": opt(exportDate),
            "exportedDate": opt(exportedDate), "archiveDate": opt(archiveDate), "deleteDate": opt(deleteDate),
            "selfUri": .string(selfUri), "messagingTranscript": .array(messagingTranscript.map(\.jsonValue)),
        ])
    }
}

extension RecordingDocument.Message {
    /// Synthesised `Encodable`: absent optionals are left out.
    var jsonValue: JSONValue {
        var o: [String: JSONValue] = [
            "from": .string(from), "to": .string(to), "timestamp": .string(timestamp), "id": .string(id),
            "purpose": .string(purpose), "participantId": .string(participantId), "messageText": .string(messageText),
            "messageMediaAttachments": .array(messageMediaAttachments.map {
                .object(["url": .string($0.url), "mediaType": .string($0.mediaType), "contentLength": .int($0.contentLength),
                         "name": .string($0.name), "id": .string($0.id)])
            }),
            "messageStickerAttachments": .array(messageStickerAttachments.map { .object(["url": .string($0.url), "id": .string($0.id)]) }),
        ]
        if let queue { o["queue"] = .object(["id": .string(queue.id), "selfUri": .string(queue.selfUri)]) }
        if let fromUser {
            o["fromUser"] = .object(["id": .string(fromUser.id), "name": .string(fromUser.name), "selfUri": .string(fromUser.selfUri)])
        }
        if let fromExternalContact {
            o["fromExternalContact"] = .object(["id": .string(fromExternalContact.id), "selfUri": .string(fromExternalContact.selfUri)])
        }
        return .object(o)
    }
}

extension RecordingSidecar {
    /// Synthesised `Encodable`: absent optionals are left out.
    public var jsonValue: JSONValue {
        var o: [String: JSONValue] = [
            "conversationId": .string(conversationId), "recordingId": .string(recordingId), "mediaType": .string(mediaType),
            "messageType": .string(messageType), "startTime": .string(startTime), "endTime": .string(endTime),
            "userIds": .array(userIds.map(JSONValue.string)),
            "queue": .object(["id": .string(queue.id), "name": .string(queue.name)]),
            "exportJobId": .string(exportJobId), "orgId": .string(orgId),
            "participants": .array(participants.map { p in
                var m: [String: JSONValue] = ["participantId": .string(p.participantId), "purpose": .string(p.purpose),
                                              "name": .string(p.name), "address": .string(p.address)]
                if let u = p.userId { m["userId"] = .string(u) }
                if let e = p.externalContactId { m["externalContactId"] = .string(e) }
                return .object(m)
            }),
        ]
        if let caseId { o["caseId"] = .string(caseId) }
        return .object(o)
    }
}
