import RecordingsDomain

/// `CanonicalJSON` of a `Conversation`, written by hand: the same bytes as `JSONEncoder` with sorted keys and
/// unescaped slashes (absent optionals omitted), about ten times faster. `genesys-mock seed` writes a million
/// of these; a test checks the bytes against `JSONEncoder`'s for generated and hand-written conversations.
public enum ConversationJSON {
    public static func string(_ c: Conversation) -> String {
        var w = Writer()
        w.raw("{\"endTime\":"); w.string(c.endTime)
        w.raw(",\"id\":"); w.string(c.id)
        w.raw(",\"messages\":[")
        for (i, m) in c.messages.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{\"id\":"); w.string(m.id)
            if let media = m.media {
                w.raw(",\"media\":[")
                for (j, x) in media.enumerated() {
                    if j > 0 { w.raw(",") }
                    w.raw("{\"contentLength\":"); w.raw(String(x.contentLength))
                    w.raw(",\"id\":"); w.string(x.id)
                    w.raw(",\"mediaType\":"); w.string(x.mediaType)
                    w.raw(",\"name\":"); w.string(x.name)
                    w.raw(",\"url\":"); w.string(x.url)
                    w.raw("}")
                }
                w.raw("]")
            }
            w.raw(",\"participantId\":"); w.string(m.participantId)
            if let stickers = m.stickers {
                w.raw(",\"stickers\":[")
                for (j, s) in stickers.enumerated() {
                    if j > 0 { w.raw(",") }
                    w.raw("{\"id\":"); w.string(s.id)
                    w.raw(",\"url\":"); w.string(s.url)
                    w.raw("}")
                }
                w.raw("]")
            }
            if let text = m.text { w.raw(",\"text\":"); w.string(text) }
            w.raw(",\"timestamp\":"); w.string(m.timestamp)
            w.raw("}")
        }
        w.raw("],\"messengerType\":"); w.string(c.messengerType)
        w.raw(",\"orgId\":"); w.string(c.orgId)
        w.raw(",\"participants\":[")
        for (i, p) in c.participants.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{\"address\":"); w.string(p.address)
            if let e = p.externalContactId { w.raw(",\"externalContactId\":"); w.string(e) }
            w.raw(",\"id\":"); w.string(p.id)
            w.raw(",\"name\":"); w.string(p.name)
            w.raw(",\"purpose\":"); w.string(p.purpose)
            if let u = p.userId { w.raw(",\"userId\":"); w.string(u) }
            w.raw("}")
        }
        w.raw("],\"queue\":{\"id\":"); w.string(c.queue.id)
        w.raw(",\"name\":"); w.string(c.queue.name)
        w.raw("},\"recordingId\":"); w.string(c.recordingId)
        w.raw(",\"startTime\":"); w.string(c.startTime)
        w.raw("}")
        return String(decoding: w.bytes, as: UTF8.self)
    }

    struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(2048) }

        mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

        /// A JSON string exactly as JSONEncoder writes it (see `FastJSON`).
        mutating func string(_ s: String) { FastJSON.string(s, into: &bytes) }
    }
}
