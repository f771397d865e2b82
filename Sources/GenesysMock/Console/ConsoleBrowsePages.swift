import Foundation
import HTTPTypes
import Hummingbird
import MockStore
import DocumentCodecs
import RecordingsDomain

/// Conversations as chats, and the bucket browser.
extension Console {
    struct Choice { var name: String; var selected: Bool }
    struct ConversationRowView { var id: String; var start: String; var type: String; var queue: String; var customer: String; var snippet: String }
    struct ConversationsView {
        var chrome: ConsoleRenderer.Chrome; var orgId: String; var q: String; var from: String; var to: String
        var queues: [Choice]; var types: [Choice]; var rows: [ConversationRowView]; var error: String?
        var windowNote: String?; var nextURL: String?; var nextLabel: String; var firstURL: String?
    }

    static func day(_ raw: String?) -> Int64?? {
        guard let raw, !raw.isEmpty else { return .some(nil) }
        guard let d = Timestamp.parse(raw + "T00:00:00Z") else { return nil }
        return .some(Timestamp.millis(d))
    }

    @Sendable func conversations(_ request: Request, context: AppRequestContext) async throws -> Response {
        let org = try await org(request)
        let q = request.uri.queryParameters
        func text(_ k: String) -> String { q[Substring(k)].map { String($0).removingPercentEncoding ?? String($0) }.map { $0.replacingOccurrences(of: "+", with: " ") } ?? "" }
        var search = AppDatabase.ConversationSearch(orgId: org.id)
        var error: String?
        let fromText = text("from"), toText = text("to")
        switch (Self.day(fromText), Self.day(toText)) {
        case (let f??, let t??) where f >= t: error = "From must be before To"
        case (let f?, let t?):
            search.from = f
            search.to = t.map { $0 + 86_400_000 }
        default: error = "Dates are YYYY-MM-DD"
        }
        let qText = text("q"), queue = text("queue"), type = text("type")
        search.text = qText.isEmpty ? nil : String(qText.prefix(200))
        search.queue = queue.isEmpty ? nil : queue
        search.messengerType = MessengerType.all.contains(type) ? type : nil
        if let before = q["before"], let bar = before.firstIndex(of: "_"), let t = Int64(before[..<bar]),
           let rowid = Int64(before[before.index(after: bar)...]) {
            search.before = (t, rowid)
        }
        let page = error == nil ? try await services.db.searchConversations(search) : nil
        let queues = try await queueNames.value(org.id) { try await services.db.queueNames(orgId: org.id) }
        var base = "/console/conversations?org=\(org.id.urlQueryEncoded)"
        for (k, v) in [("q", qText), ("from", fromText), ("to", toText), ("queue", queue), ("type", type)] where !v.isEmpty {
            base += "&\(k)=\(v.urlQueryEncoded)"
        }
        let rows: [ConversationRowView] = (page?.rows ?? []).map { row in
            let first = row.firstText
            return ConversationRowView(id: row.id, start: ConsoleFormat.time(row.startTime), type: row.messengerType, queue: row.queue,
                                       customer: row.customer, snippet: first.count > 120 ? String(first.prefix(120)) + "…" : first)
        }
        var note: String?
        var nextLabel = "Older conversations"
        if let page, page.windowExhausted {
            note = "Looked at \(page.scanned) conversations (down to \(ConsoleFormat.time(page.next?.time))): a rare search is read a slice at a time."
            nextLabel = "Search further back"
        }
        let view = ConversationsView(
            chrome: chrome("Conversations", section: "/console/conversations", request, context, org), orgId: org.id, q: qText, from: fromText,
            to: toText, queues: queues.map { Choice(name: $0, selected: $0 == queue) },
            types: MessengerType.all.map { Choice(name: $0, selected: $0 == type) }, rows: rows, error: error, windowNote: note,
            nextURL: page?.next.map { base + "&before=\($0.time)_\($0.rowid)" }, nextLabel: nextLabel,
            firstURL: search.before == nil ? nil : base)
        return renderer.page("conversations", view)
    }

    struct MessageView {
        var side: String; var purpose: String; var who: String; var timestamp: String; var time: String; var text: String?; var attachments: [String]
    }
    struct ParticipantView { var name: String; var purpose: String }
    struct ChatView {
        var chrome: ConsoleRenderer.Chrome; var orgId: String; var id: String; var recordingId: String; var queue: String; var type: String
        var start: String; var end: String; var exported: String
        var fileState: String; var archiveDate: String?; var deleteDate: String?; var exportDate: String?; var restoredUntil: String?
        var participants: [ParticipantView]; var messages: [MessageView]
    }

    @Sendable func conversation(_ request: Request, context: AppRequestContext) async throws -> Response {
        var org = try await org(request)
        let id = context.path("conversationId")
        guard let found = try await services.db.consoleConversation(id: id),
              let c = Conversation.stored(found.document)
        else { throw ConsolePageError(status: .notFound, message: "No conversation \(id)") }
        if found.orgId != org.id { org = ConsoleOrg(id: found.orgId, name: org.name(of: found.orgId), all: org.all) }
        let people = Dictionary(c.participants.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let messages = c.messages.map { m in
            let p = people[m.participantId]
            let purpose = p?.purpose ?? "unknown"
            var attachments = (m.media ?? []).map { "\($0.name) (\($0.mediaType), \(ConsoleFormat.size($0.contentLength)))" }
            attachments += (m.stickers ?? []).map { _ in "a sticker" }
            return MessageView(side: purpose == "customer" ? "left" : "right", purpose: purpose, who: p?.name ?? m.participantId,
                               timestamp: m.timestamp, time: String(m.timestamp.dropFirst(11).prefix(8)), text: m.text, attachments: attachments)
        }
        let view = ChatView(
            chrome: chrome("Conversation", section: "/console/conversations", request, context, org), orgId: org.id, id: c.id,
            recordingId: c.recordingId, queue: c.queue.name, type: c.messengerType, start: c.startTime, end: c.endTime,
            exported: found.exportedDate.map { ConsoleFormat.time($0) } ?? "not yet",
            fileState: found.retention.fileState(now: services.now(found.orgId)),
            archiveDate: (found.retention.archivedAt ?? found.retention.archiveDate).map { ConsoleFormat.time($0) },
            deleteDate: found.retention.deleteDate.map { ConsoleFormat.time($0) },
            exportDate: found.retention.exportDate.map { ConsoleFormat.time($0) },
            restoredUntil: found.retention.restoreUntil.map { ConsoleFormat.time($0) },
            participants: c.participants.map { ParticipantView(name: $0.name, purpose: $0.purpose) }, messages: messages)
        return renderer.page("chat", view)
    }

    struct BucketsView { var chrome: ConsoleRenderer.Chrome; var orgId: String; var buckets: [BucketView] }

    @Sendable func buckets(_ request: Request, context: AppRequestContext) async throws -> Response {
        let org = try await org(request)
        let w = try await services.db.world()
        return renderer.page("buckets", BucketsView(
            chrome: chrome("Buckets", section: "/console/buckets", request, context, org), orgId: org.id,
            buckets: w.buckets.map(BucketView.init)))
    }

    struct Crumb { var href: String; var label: String }
    struct PrefixView { var href: String; var label: String }
    struct ObjectRowView {
        var key: String; var href: String; var label: String; var size: String; var etag: String; var held: Bool; var caseId: String; var modified: String
    }
    struct BucketView2 {
        var chrome: ConsoleRenderer.Chrome; var orgId: String; var bucket: String; var crumbs: [Crumb]; var prefixes: [PrefixView]
        var objects: [ObjectRowView]; var moreURL: String?; var pageSize: Int
    }

    func bucketURL(_ bucket: String, prefix: String, org: String) -> String {
        "/console/buckets/\(bucket.urlQueryEncoded)?prefix=\(prefix.urlQueryEncoded)&org=\(org.urlQueryEncoded)"
    }

    func crumbs(_ bucket: String, prefix: String, org: String) -> [Crumb] {
        var out = [Crumb(href: bucketURL(bucket, prefix: "", org: org), label: bucket)]
        var acc = ""
        for part in prefix.split(separator: "/", omittingEmptySubsequences: false).dropLast() {
            acc += part + "/"
            out.append(Crumb(href: bucketURL(bucket, prefix: acc, org: org), label: String(part)))
        }
        return out
    }

    func knownBucket(_ context: AppRequestContext) async throws -> String {
        try await knownBucketInfo(context).name
    }

    func knownBucketInfo(_ context: AppRequestContext) async throws -> AppDatabase.BucketInfo {
        let name = context.path("bucket")
        guard let info = try await services.db.bucket(named: name) else {
            throw ConsolePageError(status: .notFound, message: "No bucket named '\(name)'")
        }
        return info
    }

    /// Why an object of a remote bucket cannot be shown here: its bytes are in the store, the mock keeps its record.
    static func remoteNote(_ remote: RemoteBucket) -> String {
        "This object is in the remote store at \(remote.endpoint): genesys-mock keeps its record, not its bytes. Read it with an S3 client there."
    }

    static let browsePage = 200

    @Sendable func bucket(_ request: Request, context: AppRequestContext) async throws -> Response {
        let org = try await org(request)
        let name = try await knownBucket(context)
        let q = request.uri.queryParameters
        let prefix = q["prefix"].map { String($0).removingPercentEncoding ?? String($0) } ?? ""
        let after = q["after"].map { String($0).removingPercentEncoding ?? String($0) }
        let (entries, more) = try await services.db.browse(bucket: name, prefix: prefix, after: after, limit: Self.browsePage)
        let prefixes = entries.filter(\.isPrefix).map {
            PrefixView(href: bucketURL(name, prefix: $0.key, org: org.id), label: String($0.key.dropFirst(prefix.count)))
        }
        let objects: [ObjectRowView] = entries.compactMap { e in
            guard let r = e.record else { return nil }
            return ObjectRowView(key: r.key, href: Self.objectURL(bucket: name, key: r.key, org: org.id), label: String(r.key.dropFirst(prefix.count)),
                                 size: ConsoleFormat.size(r.size), etag: r.etag, held: r.legalHold,
                                 caseId: r.userMetadata["legal-hold-case-id"] ?? "", modified: ConsoleFormat.time(r.lastModified))
        }
        let moreURL = more ? entries.last.map { bucketURL(name, prefix: prefix, org: org.id) + "&after=" + $0.key.urlQueryEncoded } : nil
        return renderer.page("bucket", BucketView2(
            chrome: chrome(name, section: "/console/buckets", request, context, org), orgId: org.id, bucket: name,
            crumbs: crumbs(name, prefix: prefix, org: org.id).dropLast(prefix.isEmpty ? 1 : 0).map { $0 }, prefixes: prefixes,
            objects: objects, moreURL: moreURL, pageSize: Self.browsePage))
    }

    struct ObjectView {
        var chrome: ConsoleRenderer.Chrome; var orgId: String; var crumbs: [Crumb]; var name: String; var key: String; var size: String
        var etag: String; var sha256: String; var contentType: String; var held: Bool; var caseId: String; var jobId: String?
        var modified: String; var downloadURL: String; var note: String?
        /// The shown text, already escaped (the template puts it in as is).
        var bodyHTML: String
    }

    static let shownLimit = 2 << 20

    /// The object named by `?key=` and its bucket's registry entry (a remote bucket's objects are not on this disk).
    func objectRecord(_ request: Request, _ context: AppRequestContext) async throws -> (AppDatabase.BucketInfo, ObjectRecord) {
        let info = try await knownBucketInfo(context)
        let name = info.name
        guard let key = request.uri.queryParameters["key"].map({ String($0).removingPercentEncoding ?? String($0) }), !key.isEmpty,
              let record = try await services.db.objectRecord(bucket: name, key: key)
        else { throw ConsolePageError(status: .notFound, message: "No such object in \(name)") }
        return (info, record)
    }

    @Sendable func object(_ request: Request, context: AppRequestContext) async throws -> Response {
        let org = try await org(request)
        let (info, r) = try await objectRecord(request, context)
        let name = info.name
        var note: String?
        var body = ""
        if let remote = info.remote {
            note = Self.remoteNote(remote)
        } else if r.size > Self.shownLimit {
            note = "This object is \(ConsoleFormat.size(r.size)): download it to read it."
        } else if let data = try await services.sink.read(bucket: name, key: r.key) {
            // Laying out and escaping a manifest of a few MiB is CPU work: on the pool's threads, not Swift's.
            if let html = try await BlockingIO.run({ (Self.prettyJSON(data) ?? String(data: data, encoding: .utf8)).map(ConsoleHTML.escape) }) {
                body = html
            } else {
                note = "Binary content: download it to read it."
            }
        } else {
            note = "The object's file is missing from the sink."
        }
        let view = ObjectView(
            chrome: chrome(String(r.key.split(separator: "/").last ?? ""), section: "/console/buckets", request, context, org), orgId: org.id,
            crumbs: crumbs(name, prefix: r.key, org: org.id), name: String(r.key.split(separator: "/").last ?? Substring(r.key)), key: r.key,
            size: "\(ConsoleFormat.size(r.size)) (\(r.size) bytes)", etag: r.etag, sha256: r.sha256, contentType: r.contentType, held: r.legalHold,
            caseId: r.userMetadata["legal-hold-case-id"] ?? "", jobId: r.jobId, modified: ConsoleFormat.time(r.lastModified),
            downloadURL: "/console/buckets/\(name.urlQueryEncoded)/download?key=\(r.key.urlQueryEncoded)", note: note, bodyHTML: body)
        return renderer.page("object", view)
    }

    /// A JSON object or array laid out with sorted keys, two-space indents and slashes unescaped; nil for anything
    /// else. `FastJSON` rather than `JSONSerialization`, which took about 380 ms for a 2,000-recording manifest.
    static func prettyJSON(_ data: Data) -> String? {
        guard let first = data.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }), first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
              let value = FastJSONReader.parse(data)
        else { return nil }
        return FastJSON.string(value, pretty: true)
    }

    /// The object's bytes as a download, read from its file 1 MiB at a time while the browser takes them (a
    /// 100k-recording export's manifest is tens of MiB: it is never held in memory whole).
    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (info, r) = try await objectRecord(request, context)
        let name = info.name
        if let remote = info.remote { throw ConsolePageError(status: .notFound, message: Self.remoteNote(remote)) }
        guard let size = try await services.sink.objectSize(bucket: name, key: r.key) else {
            throw ConsolePageError(status: .notFound, message: "The object's file is missing from the sink")
        }
        let file = String(r.key.split(separator: "/").last ?? "object").unicodeScalars
            .map { ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "." || $0 == "-" || $0 == "_") && $0.isASCII ? String($0) : "_" }
            .joined()
        var headers = ConsoleHTML.securityHeaders
        headers[.contentType] = r.contentType.isEmpty ? "application/octet-stream" : r.contentType
        headers[.contentDisposition] = "attachment; filename=\"\(file)\""
        headers[.eTag] = "\"\(r.etag)\""
        let sink = services.sink, key = r.key
        let body = ResponseBody(contentLength: size) { writer in
            if size > 0 {
                try await sink.withObjectFile(bucket: name, key: key) { fd in
                    var offset = 0
                    while offset < size {
                        let count = min(FileSink.chunkSize, size - offset)
                        let chunk = try await sink.readChunk(fd, offset: offset, count: count)
                        guard chunk.count == count else { throw SinkError(code: .io, message: "the object's file shrank while it was read") }
                        try await writer.write(ByteBuffer(bytes: chunk))
                        offset += count
                    }
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
