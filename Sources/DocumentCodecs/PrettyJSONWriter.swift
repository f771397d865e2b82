import Foundation
import RecordingsDomain

/// The writer of the exported transcript and sidecar: straight to bytes, members in sorted order by hand, exactly
/// `CanonicalJSON.data(value, pretty: true)` (JSONEncoder's pretty, sorted output) without its cost for every object
/// of every recording. Tests compare the two byte for byte on every fixture and generated conversation and against
/// fixed bytes; held keys are compared byte for byte on resume, so they must never change.
struct PrettyJSONWriter {
    var out: [UInt8] = []
    /// Per open container: whether it has a member yet.
    private var filled: [Bool] = []

    init(capacity: Int = 4096) { out.reserveCapacity(capacity) }

    /// A new line and its indentation (a line break, then spaces), copied at once.
    private static let lineBreak: [UInt8] = [0x0A] + [UInt8](repeating: 0x20, count: 64)

    private mutating func newline(_ indent: Int) {
        guard indent < Self.lineBreak.count else {
            out.append(0x0A)
            for _ in 0..<indent { out.append(0x20) }
            return
        }
        Self.lineBreak.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0...indent])) }
    }

    /// Before a member or an element: the comma and the new line.
    private mutating func next() {
        if filled[filled.count - 1] { out.append(0x2C) }
        filled[filled.count - 1] = true
        newline(filled.count * 2)
    }

    mutating func open(_ bracket: UInt8) {
        out.append(bracket)
        filled.append(false)
    }

    mutating func close(_ bracket: UInt8) {
        let hadMembers = filled.removeLast()
        if !hadMembers { out.append(0x0A) }
        newline(filled.count * 2)
        out.append(bracket)
    }

    mutating func beginObject() { open(0x7B) }
    mutating func endObject() { close(0x7D) }
    mutating func beginArray() { open(0x5B) }
    mutating func endArray() { close(0x5D) }

    /// `"key" : ` (the value follows).
    mutating func key(_ k: StaticString) {
        next()
        out.append(0x22)
        out.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
        out.append(0x22); out.append(0x20); out.append(0x3A); out.append(0x20)  // `" : `
    }

    /// Before an array element.
    mutating func element() { next() }

    mutating func string(_ s: String) { FastJSON.string(s, into: &out) }
    mutating func int(_ n: Int) { out += String(n).utf8 }
    mutating func null() { out += "null".utf8 }
    mutating func string(_ s: String?) { if let s { string(s) } else { null() } }

    mutating func member(_ k: StaticString, _ s: String) { key(k); string(s) }
    mutating func member(_ k: StaticString, _ s: String?) { key(k); string(s) }
}

extension RecordingDocument {
    /// The exported transcript's bytes: `CanonicalJSON.data(self, pretty: true)`, written directly.
    public var prettyData: Data {
        var w = PrettyJSONWriter()
        w.beginObject()
        w.member("archiveDate", archiveDate)
        w.member("conversationId", conversationId)
        w.member("creationTime", creationTime)
        w.member("deleteDate", deleteDate)
        w.member("endTime", endTime)
        w.member("exportDate", exportDate)
        w.member("exportedDate", exportedDate)
        w.member("fileState", fileState)
        w.member("id", id)
        w.member("media", media)
        w.key("messagingTranscript")
        w.beginArray()
        for m in messagingTranscript {
            w.element()
            m.write(into: &w)
        }
        w.endArray()
        w.member("name", name)
        w.member("recordingFileRole", recordingFileRole)
        w.member("selfUri", selfUri)
        w.member("startTime", startTime)
        w.endObject()
        return Data(w.out)
    }
}

extension RecordingDocument.Message {
    func write(into w: inout PrettyJSONWriter) {
        w.beginObject()
        w.member("from", from)
        if let c = fromExternalContact {
            w.key("fromExternalContact")
            w.beginObject(); w.member("id", c.id); w.member("selfUri", c.selfUri); w.endObject()
        }
        if let u = fromUser {
            w.key("fromUser")
            w.beginObject(); w.member("id", u.id); w.member("name", u.name); w.member("selfUri", u.selfUri); w.endObject()
        }
        w.member("id", id)
        w.key("messageMediaAttachments")
        w.beginArray()
        for a in messageMediaAttachments {
            w.element()
            w.beginObject()
            w.key("contentLength"); w.int(a.contentLength)
            w.member("id", a.id); w.member("mediaType", a.mediaType); w.member("name", a.name); w.member("url", a.url)
            w.endObject()
        }
        w.endArray()
        w.key("messageStickerAttachments")
        w.beginArray()
        for s in messageStickerAttachments {
            w.element()
            w.beginObject(); w.member("id", s.id); w.member("url", s.url); w.endObject()
        }
        w.endArray()
        w.member("messageText", messageText)
        w.member("participantId", participantId)
        w.member("purpose", purpose)
        if let q = queue {
            w.key("queue")
            w.beginObject(); w.member("id", q.id); w.member("selfUri", q.selfUri); w.endObject()
        }
        w.member("timestamp", timestamp)
        w.member("to", to)
        w.endObject()
    }
}

extension RecordingSidecar {
    /// The exported sidecar's bytes: `CanonicalJSON.data(self, pretty: true)`, written directly.
    public var prettyData: Data {
        var w = PrettyJSONWriter(capacity: 1536)
        w.beginObject()
        if let caseId { w.member("caseId", caseId) }
        w.member("conversationId", conversationId)
        w.member("endTime", endTime)
        w.member("exportJobId", exportJobId)
        w.member("mediaType", mediaType)
        w.member("messageType", messageType)
        w.member("orgId", orgId)
        w.key("participants")
        w.beginArray()
        for p in participants {
            w.element()
            w.beginObject()
            w.member("address", p.address)
            if let e = p.externalContactId { w.member("externalContactId", e) }
            w.member("name", p.name)
            w.member("participantId", p.participantId)
            w.member("purpose", p.purpose)
            if let u = p.userId { w.member("userId", u) }
            w.endObject()
        }
        w.endArray()
        w.key("queue")
        w.beginObject(); w.member("id", queue.id); w.member("name", queue.name); w.endObject()
        w.member("recordingId", recordingId)
        w.member("startTime", startTime)
        w.key("userIds")
        w.beginArray()
        for u in userIds {
            w.element()
            w.string(u)
        }
        w.endArray()
        w.endObject()
        return Data(w.out)
    }
}
