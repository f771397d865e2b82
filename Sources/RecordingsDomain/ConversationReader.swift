/// A stored conversation read straight from its bytes into `Conversation`, with no `JSONValue` tree on the way:
/// rendering an export reads one per recording, and building a dictionary for every object of it (hashing every
/// key) was most of that read. It answers nil for anything unusual (a member of another type, a malformed
/// document, even a duplicate member whose first value is of another type); `Conversation.fast` then reads the
/// document the general way, which decides. When it answers, it gives exactly what the general way gives: the
/// last of duplicate members wins, unknown members are skipped, `null` is an absent optional.
extension Conversation {
    package static func direct(_ document: String) -> Conversation? {
        var text = document
        return text.withUTF8 { buffer in
            var r = FastJSONReader.Reader(bytes: buffer)
            guard let c = r.conversation() else { return nil }
            r.skipSpace()
            return r.i == r.bytes.count ? c : nil
        }
    }
}

extension FastJSONReader.Reader {
    mutating func conversation() -> Conversation? {
        var id, orgId, messengerType, startTime, endTime, recordingId: String?
        var queue: Conversation.Queue?
        var participants: [Conversation.Participant]?
        var messages: [Conversation.Message]?
        var first = true
        guard begin(0x7B) else { return nil }
        while true {
            guard let next = nextKey(&first) else { return nil }
            guard let key = next else { break }
            switch key {
            case "id": guard let v = requiredString() else { return nil }; id = v
            case "orgId": guard let v = requiredString() else { return nil }; orgId = v
            case "messengerType": guard let v = requiredString() else { return nil }; messengerType = v
            case "startTime": guard let v = requiredString() else { return nil }; startTime = v
            case "endTime": guard let v = requiredString() else { return nil }; endTime = v
            case "recordingId": guard let v = requiredString() else { return nil }; recordingId = v
            case "queue": guard let v = queueObject() else { return nil }; queue = v
            case "participants": guard let v = objects({ $0.participant() }) else { return nil }; participants = v
            case "messages": guard let v = objects({ $0.message() }) else { return nil }; messages = v
            default: guard value(depth: 1) != nil else { return nil }
            }
        }
        guard let id, let orgId, let messengerType, let startTime, let endTime, let recordingId, let queue, let participants,
              let messages else { return nil }
        return Conversation(id: id, orgId: orgId, messengerType: messengerType, startTime: startTime, endTime: endTime, queue: queue,
                            recordingId: recordingId, participants: participants, messages: messages)
    }

    mutating func queueObject() -> Conversation.Queue? {
        var id, name: String?
        var first = true
        guard begin(0x7B) else { return nil }
        while true {
            guard let next = nextKey(&first) else { return nil }
            guard let key = next else { break }
            switch key {
            case "id": guard let v = requiredString() else { return nil }; id = v
            case "name": guard let v = requiredString() else { return nil }; name = v
            default: guard value(depth: 3) != nil else { return nil }
            }
        }
        guard let id, let name else { return nil }
        return Conversation.Queue(id: id, name: name)
    }

    mutating func participant() -> Conversation.Participant? {
        var id, purpose, name, address: String?
        var userId, externalContactId: String?
        var first = true
        guard begin(0x7B) else { return nil }
        while true {
            guard let next = nextKey(&first) else { return nil }
            guard let key = next else { break }
            switch key {
            case "id": guard let v = requiredString() else { return nil }; id = v
            case "purpose": guard let v = requiredString() else { return nil }; purpose = v
            case "name": guard let v = requiredString() else { return nil }; name = v
            case "address": guard let v = requiredString() else { return nil }; address = v
            case "userId": guard let v = optionalString() else { return nil }; userId = v
            case "externalContactId": guard let v = optionalString() else { return nil }; externalContactId = v
            default: guard value(depth: 4) != nil else { return nil }
            }
        }
        guard let id, let purpose, let name, let address else { return nil }
        return Conversation.Participant(id: id, purpose: purpose, name: name, address: address, userId: userId,
                                        externalContactId: externalContactId)
    }

    mutating func message() -> Conversation.Message? {
        var id, participantId, timestamp: String?
        var text: String?
        var media: [Conversation.Media]?
        var stickers: [Conversation.Sticker]?
        var first = true
        guard begin(0x7B) else { return nil }
        while true {
            guard let next = nextKey(&first) else { return nil }
            guard let key = next else { break }
            switch key {
            case "id": guard let v = requiredString() else { return nil }; id = v
            case "participantId": guard let v = requiredString() else { return nil }; participantId = v
            case "timestamp": guard let v = requiredString() else { return nil }; timestamp = v
            case "text": guard let v = optionalString() else { return nil }; text = v
            case "media":
                if null() { media = nil } else { guard let v = objects({ $0.media() }) else { return nil }; media = v }
            case "stickers":
                if null() { stickers = nil } else { guard let v = objects({ $0.sticker() }) else { return nil }; stickers = v }
            default: guard value(depth: 4) != nil else { return nil }
            }
        }
        guard let id, let participantId, let timestamp else { return nil }
        return Conversation.Message(id: id, participantId: participantId, timestamp: timestamp, text: text, media: media, stickers: stickers)
    }

    mutating func media() -> Conversation.Media? {
        var id, url, mediaType, name: String?
        var contentLength: Int?
        var first = true
        guard begin(0x7B) else { return nil }
        while true {
            guard let next = nextKey(&first) else { return nil }
            guard let key = next else { break }
            switch key {
            case "id": guard let v = requiredString() else { return nil }; id = v
            case "url": guard let v = requiredString() else { return nil }; url = v
            case "mediaType": guard let v = requiredString() else { return nil }; mediaType = v
            case "name": guard let v = requiredString() else { return nil }; name = v
            case "contentLength":
                skipSpace()
                guard case .int(let n)? = number() else { return nil }
                contentLength = n
            default: guard value(depth: 6) != nil else { return nil }
            }
        }
        guard let id, let url, let mediaType, let name, let contentLength else { return nil }
        return Conversation.Media(id: id, url: url, mediaType: mediaType, contentLength: contentLength, name: name)
    }

    mutating func sticker() -> Conversation.Sticker? {
        var id, url: String?
        var first = true
        guard begin(0x7B) else { return nil }
        while true {
            guard let next = nextKey(&first) else { return nil }
            guard let key = next else { break }
            switch key {
            case "id": guard let v = requiredString() else { return nil }; id = v
            case "url": guard let v = requiredString() else { return nil }; url = v
            default: guard value(depth: 6) != nil else { return nil }
            }
        }
        guard let id, let url else { return nil }
        return Conversation.Sticker(id: id, url: url)
    }

    /// An array whose every element `element` reads; nil when it is not one.
    mutating func objects<T>(_ element: (inout Self) -> T?) -> [T]? {
        var out: [T] = []
        var first = true
        guard begin(0x5B) else { return nil }
        while true {
            guard let more = nextElement(&first) else { return nil }
            guard more else { return out }
            guard let item = element(&self) else { return nil }
            out.append(item)
        }
    }

    /// Steps over blanks and the opening `{` or `[`; false when something else comes.
    mutating func begin(_ bracket: UInt8) -> Bool {
        skipSpace()
        guard i < bytes.count, bytes[i] == bracket else { return false }
        i += 1
        return true
    }

    /// The next member's key, with `i` at its value; `.some(nil)` at the end of the object; nil when malformed.
    mutating func nextKey(_ first: inout Bool) -> String?? {
        skipSpace()
        guard i < bytes.count else { return nil }
        if bytes[i] == 0x7D, first { i += 1; return .some(nil) }
        if !first {
            if bytes[i] == 0x7D { i += 1; return .some(nil) }
            guard bytes[i] == 0x2C else { return nil }
            i += 1
            skipSpace()
        }
        first = false
        guard i < bytes.count, bytes[i] == 0x22, let key = string() else { return nil }
        skipSpace()
        guard i < bytes.count, bytes[i] == 0x3A else { return nil }
        i += 1
        return .some(key)
    }

    /// Whether another element follows (`i` then at it); false at the end of the array; nil when malformed.
    mutating func nextElement(_ first: inout Bool) -> Bool? {
        skipSpace()
        guard i < bytes.count else { return nil }
        if bytes[i] == 0x5D, first { i += 1; return false }
        if !first {
            if bytes[i] == 0x5D { i += 1; return false }
            guard bytes[i] == 0x2C else { return nil }
            i += 1
        }
        first = false
        return true
    }

    mutating func requiredString() -> String? {
        skipSpace()
        guard i < bytes.count, bytes[i] == 0x22 else { return nil }
        return string()
    }

    /// A string, or `.some(nil)` for `null`; nil for anything else.
    mutating func optionalString() -> String?? {
        if null() { return .some(nil) }
        return requiredString().map { .some($0) }
    }

    /// Steps over a `null` literal if one comes.
    mutating func null() -> Bool {
        skipSpace()
        return literal("null", .null) != nil
    }
}
