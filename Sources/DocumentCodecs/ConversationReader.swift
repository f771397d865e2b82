import RecordingsDomain

/// A stored conversation read straight from its bytes into `Conversation`, with no `JSONValue` tree on the way:
/// rendering an export reads one per recording. The only reader of stored conversations, which `ConversationJSON`
/// writes: it answers nil only for a document that is not a conversation (malformed JSON, a required member missing,
/// or, after the last of duplicate members wins, one of another type). Unknown members are skipped and `null` is an
/// absent optional, as `JSONDecoder` reads the fixture files.
extension Conversation {
    public static func stored(_ document: String) -> Conversation? {
        read(document, messages: true)
    }

    /// A stored conversation without its messages (`messages` empty): what discovery answers with (the details
    /// query, an async job's results), which reads up to a thousand documents a request and shows no message. The
    /// messages are stepped over, checked to be a JSON array, not read.
    public static func storedSummary(_ document: String) -> Conversation? {
        read(document, messages: false)
    }

    private static func read(_ document: String, messages: Bool) -> Conversation? {
        var text = document
        return text.withUTF8 { buffer in
            var r = FastJSONReader.Reader(bytes: buffer)
            guard let c = r.conversation(messages: messages) else { return nil }
            r.skipSpace()
            return r.i == r.bytes.count ? c : nil
        }
    }
}

extension FastJSONReader.Reader {
    mutating func conversation(messages readMessages: Bool = true) -> Conversation? {
        var id, orgId, messengerType, startTime, endTime, recordingId: String?
        var queue: Conversation.Queue?
        var participants: [Conversation.Participant]?
        var messages: [Conversation.Message]?
        guard object(depth: 0, { r, key in
            switch key {
            case "id": return r.string(&id)
            case "orgId": return r.string(&orgId)
            case "messengerType": return r.string(&messengerType)
            case "startTime": return r.string(&startTime)
            case "endTime": return r.string(&endTime)
            case "recordingId": return r.string(&recordingId)
            case "queue": return r.read(&queue) { $0.queue() }
            case "participants": return r.read(&participants) { $0.objects { $0.participant() } }
            case "messages":
                guard readMessages else {
                    r.skipSpace()
                    guard r.i < r.bytes.count, r.bytes[r.i] == 0x5B, r.skip(depth: 1) else { return false }
                    messages = []
                    return true
                }
                return r.read(&messages) { $0.objects { $0.message() } }
            default: return nil
            }
        }), let id, let orgId, let messengerType, let startTime, let endTime, let recordingId, let queue, let participants,
              let messages else { return nil }
        return Conversation(id: id, orgId: orgId, messengerType: messengerType, startTime: startTime, endTime: endTime, queue: queue,
                            recordingId: recordingId, participants: participants, messages: messages)
    }

    mutating func queue() -> Conversation.Queue? {
        var id, name: String?
        guard object(depth: 1, { r, key in
            switch key {
            case "id": return r.string(&id)
            case "name": return r.string(&name)
            default: return nil
            }
        }), let id, let name else { return nil }
        return Conversation.Queue(id: id, name: name)
    }

    mutating func participant() -> Conversation.Participant? {
        var id, purpose, name, address, userId, externalContactId: String?
        guard object(depth: 2, { r, key in
            switch key {
            case "id": return r.string(&id)
            case "purpose": return r.string(&purpose)
            case "name": return r.string(&name)
            case "address": return r.string(&address)
            case "userId": return r.optionalString(&userId)
            case "externalContactId": return r.optionalString(&externalContactId)
            default: return nil
            }
        }), let id, let purpose, let name, let address else { return nil }
        return Conversation.Participant(id: id, purpose: purpose, name: name, address: address, userId: userId,
                                        externalContactId: externalContactId)
    }

    mutating func message() -> Conversation.Message? {
        var id, participantId, timestamp, text: String?
        var media: [Conversation.Media]?
        var stickers: [Conversation.Sticker]?
        guard object(depth: 2, { r, key in
            switch key {
            case "id": return r.string(&id)
            case "participantId": return r.string(&participantId)
            case "timestamp": return r.string(&timestamp)
            case "text": return r.optionalString(&text)
            case "media":
                if r.null() { media = nil; return true }
                return r.read(&media) { $0.objects { $0.media() } }
            case "stickers":
                if r.null() { stickers = nil; return true }
                return r.read(&stickers) { $0.objects { $0.sticker() } }
            default: return nil
            }
        }), let id, let participantId, let timestamp else { return nil }
        return Conversation.Message(id: id, participantId: participantId, timestamp: timestamp, text: text, media: media, stickers: stickers)
    }

    mutating func media() -> Conversation.Media? {
        var id, url, mediaType, name: String?
        var contentLength: Int?
        guard object(depth: 4, { r, key in
            switch key {
            case "id": return r.string(&id)
            case "url": return r.string(&url)
            case "mediaType": return r.string(&mediaType)
            case "name": return r.string(&name)
            case "contentLength": return r.int(&contentLength)
            default: return nil
            }
        }), let id, let url, let mediaType, let name, let contentLength else { return nil }
        return Conversation.Media(id: id, url: url, mediaType: mediaType, contentLength: contentLength, name: name)
    }

    mutating func sticker() -> Conversation.Sticker? {
        var id, url: String?
        guard object(depth: 4, { r, key in
            switch key {
            case "id": return r.string(&id)
            case "url": return r.string(&url)
            default: return nil
            }
        }), let id, let url else { return nil }
        return Conversation.Sticker(id: id, url: url)
    }

    /// Reads an object member by member. `member` reads the value of a key it knows (false: not of the member's
    /// type) and answers nil for any other key, whose value is read and dropped. The last of duplicate members wins:
    /// a value of another type fails the object only when no later duplicate of its key reads.
    mutating func object(depth: Int, _ member: (inout Self, String) -> Bool?) -> Bool {
        var first = true
        var mistyped: Set<String> = []
        guard begin(0x7B) else { return false }
        while true {
            guard let next = nextKey(&first) else { return false }
            guard let key = next else { return mistyped.isEmpty }
            let start = i
            switch member(&self, key) {
            case true?:
                if !mistyped.isEmpty { mistyped.remove(key) }
            case false?:
                i = start
                guard skip(depth: depth + 1) else { return false }
                mistyped.insert(key)
            case nil:
                guard skip(depth: depth + 1) else { return false }
            }
        }
    }

    /// Reads a value with `read` into `slot`; false when it is not one.
    mutating func read<T>(_ slot: inout T?, _ read: (inout Self) -> T?) -> Bool {
        guard let v = read(&self) else { return false }
        slot = v
        return true
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

    /// A string into `slot`; false for anything else.
    mutating func string(_ slot: inout String?) -> Bool {
        skipSpace()
        guard i < bytes.count, bytes[i] == 0x22, let s = string() else { return false }
        slot = s
        return true
    }

    /// A string, or `null` (nil), into `slot`; false for anything else.
    mutating func optionalString(_ slot: inout String?) -> Bool {
        if null() { slot = nil; return true }
        return string(&slot)
    }

    /// Steps over a `null` literal if one comes.
    mutating func null() -> Bool {
        skipSpace()
        return literal("null", .null) != nil
    }
}
