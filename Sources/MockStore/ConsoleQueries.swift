import Foundation
import GRDB
import DocumentCodecs
import RecordingsDomain

/// What the console and the admin routes behind it read. Every query is bounded and indexed, so a page stays
/// fast with a million conversations and a 100k-object export in the data folder.
extension AppDatabase {
    package struct OrgRow: Sendable {
        package var id: String; package var name: String
        package init(id: String, name: String) { (self.id, self.name) = (id, name) }
    }
    package struct ClientRow: Sendable {
        package var clientId: String; package var name: String; package var orgId: String; package var permissions: [String]
    }
    package struct IntegrationRow: Sendable {
        package var id: String; package var orgId: String; package var name: String; package var bucketName: String; package var region: String
    }
    package struct AccessKeyRow: Sendable { package var accessKeyId: String; package var secret: String; package var name: String }

    package struct World: Sendable {
        package var orgs: [OrgRow]
        package var clients: [ClientRow]
        package var buckets: [BucketInfo]
        package var integrations: [IntegrationRow]
        package var accessKeys: [AccessKeyRow]
    }

    /// Every org, for the console's org switcher (one small query; `world()` reads all the registries).
    package func orgs() async throws -> [OrgRow] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT id, name FROM org ORDER BY rowid").map { OrgRow(id: $0[0], name: $0[1]) } }
    }

    /// The shared world's registries (tenants' are on the Tenants page, and their secrets are shown once, at creation).
    package func world() async throws -> World {
        try await read { db in
            let orgs = try Row.fetchAll(db, sql: "SELECT id, name FROM org WHERE id NOT IN (SELECT org_id FROM tenant) ORDER BY rowid").map { OrgRow(id: $0[0], name: $0[1]) }
            let clients = try Row.fetchAll(db, sql: "SELECT client_id, name, org_id, permissions FROM oauth_client WHERE org_id NOT IN (SELECT org_id FROM tenant) ORDER BY rowid").map {
                ClientRow(clientId: $0[0], name: $0[1], orgId: $0[2],
                          permissions: (try? JSONDecoder().decode([String].self, from: Data(($0[3] as String).utf8))) ?? [])
            }
            let buckets = try String.fetchAll(db, sql: "SELECT name FROM bucket WHERE org_id IS NULL ORDER BY name").compactMap { try Self.bucket(db, name: $0) }
            let integrations = try Row.fetchAll(db, sql: "SELECT id, org_id, name, bucket_name, region FROM integration WHERE org_id NOT IN (SELECT org_id FROM tenant) ORDER BY rowid").map {
                IntegrationRow(id: $0[0], orgId: $0[1], name: $0[2], bucketName: $0[3], region: $0[4])
            }
            let keys = try Row.fetchAll(db, sql: "SELECT access_key_id, secret, name FROM s3_access_key WHERE org_id IS NULL ORDER BY rowid").map {
                AccessKeyRow(accessKeyId: $0[0], secret: $0[1], name: $0[2])
            }
            return World(orgs: orgs, clients: clients, buckets: buckets, integrations: integrations, accessKeys: keys)
        }
    }

    /// Jobs of both faces, newest first; `caseId` narrows to one hold's exports.
    package func consoleJobs(orgId: String?, caseId: String? = nil, limit: Int) async throws -> [JobRecord] {
        try StoreKeys.check(orgId, caseId)
        return try await read { db in
            var clauses: [String] = []
            var args: StatementArguments = []
            if let orgId { clauses.append("org_id = ?"); args += [orgId] }
            if let caseId { clauses.append("case_id = ?"); args += [caseId] }
            let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            return try Row.fetchAll(db, sql: "SELECT * FROM job \(filter) ORDER BY date_created DESC, id LIMIT ?", arguments: args + [limit])
                .map(JobRecord.init(row:))
        }
    }

    package func consoleJob(id: String) async throws -> JobRecord? {
        try StoreKeys.check(id)
        return try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id]).map(JobRecord.init(row:)) }
    }

    package struct TimelineEntry: Sendable {
        package var seq: Int64; package var time: Int64; package var event: String; package var record: String
    }

    /// A job's state changes from the audit log. A big export has an entry per object between its first and its
    /// last state change, so only the ends of its slice are read.
    package func timeline(jobId: String) async throws -> (entries: [TimelineEntry], objectEntries: Int) {
        try StoreKeys.check(jobId)
        return try await read { db in
            let kept = "event IN ('export.accepted', 'job.accepted', 'job.state', 'manifest.written', 'custody.written')"
            func window(_ order: String) throws -> [TimelineEntry] {
                try Row.fetchAll(db, sql: """
                    SELECT * FROM (SELECT seq, time, event, record FROM audit_log WHERE job_id = ? ORDER BY seq \(order) LIMIT 300)
                    WHERE \(kept)
                    """, arguments: [jobId]).map { TimelineEntry(seq: $0[0], time: $0[1], event: $0[2], record: $0[3]) }
            }
            var bySeq: [Int64: TimelineEntry] = [:]
            for e in try window("ASC") + window("DESC") { bySeq[e.seq] = e }
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log WHERE job_id = ?", arguments: [jobId]) ?? 0
            return (bySeq.values.sorted { $0.seq < $1.seq }, total - bySeq.count)
        }
    }

    package struct ConversationRow: Sendable {
        package var id: String; package var messengerType: String; package var startTime: Int64
        package var queue: String; package var customer: String; package var firstText: String
    }

    package struct ConversationSearch: Sendable {
        package var orgId: String
        package var text: String?
        package var queue: String?
        package var messengerType: String?
        package var from: Int64?
        package var to: Int64?
        /// Resume below this (start_time, rowid), newest first.
        package var before: (time: Int64, rowid: Int64)?
        package var pageSize = 25
        /// The most conversations one filtered page looks at, so that a search for something rare stays fast: the
        /// page then offers to search further back.
        package var window = 2000

        package init(orgId: String) { self.orgId = orgId }
    }

    package struct ConversationPage: Sendable {
        package var rows: [ConversationRow]
        /// Where the next page starts, if the search can go on.
        package var next: (time: Int64, rowid: Int64)?
        /// Conversations looked at for this page.
        package var scanned: Int
        /// True when the page is short because the window ran out, not because nothing older matches.
        package var windowExhausted: Bool
    }

    /// Newest first, keyset-paged on (start_time, rowid), which the (org_id, start_time) index already orders.
    /// With filters, a page looks at `window` conversations at most: it first takes their rowids from the index
    /// alone, then reads only those rows (a document is read only when a filter needs it).
    package func searchConversations(_ s: ConversationSearch) async throws -> ConversationPage {
        try await read { db in
            var range = "org_id = ?"
            var args: StatementArguments = [s.orgId]
            if let from = s.from { range += " AND start_time >= ?"; args += [from] }
            if let to = s.to { range += " AND start_time < ?"; args += [to] }
            if let b = s.before { range += " AND (start_time < ? OR (start_time = ? AND rowid < ?))"; args += [b.time, b.time, b.rowid] }
            // Cheapest first: a column, then the document, and `deleted` (stored after the document) last.
            var filters: [String] = []
            var filterArgs: StatementArguments = []
            if let t = s.messengerType { filters.append("messenger_type = ?"); filterArgs += [t] }
            if let q = s.text, !q.isEmpty { filters.append("document LIKE ? ESCAPE '\\'"); filterArgs += ["%" + Self.likeEscaped(q) + "%"] }
            if let queue = s.queue, !queue.isEmpty {
                filters.append("instr(document, '\"name\":' || json_quote(?)) > 0 AND json_extract(document, '$.queue.name') = ?")
                filterArgs += [queue, queue]
            }
            filters.append("deleted = 0")
            let columns = """
                id, messenger_type, start_time, json_extract(document, '$.queue.name'),
                (SELECT json_extract(value, '$.name') FROM json_each(document, '$.participants')
                 WHERE json_extract(value, '$.purpose') = 'customer' LIMIT 1),
                (SELECT json_extract(value, '$.text') FROM json_each(document, '$.messages')
                 WHERE json_extract(value, '$.text') IS NOT NULL LIMIT 1), rowid
                """
            func row(_ r: Row) -> (ConversationRow, Int64) {
                (ConversationRow(id: r[0], messengerType: r[1], startTime: r[2], queue: r[3] ?? "", customer: r[4] ?? "", firstText: r[5] ?? ""), r[6])
            }
            let filtered = filters.count > 1
            if !filtered {
                let rows = try Row.fetchAll(db, sql: """
                    SELECT \(columns) FROM conversation WHERE \(range) AND deleted = 0 ORDER BY start_time DESC, rowid DESC LIMIT ?
                    """, arguments: args + [s.pageSize + 1]).map(row)
                let next = rows.count > s.pageSize ? rows[s.pageSize - 1] : nil
                return ConversationPage(rows: rows.prefix(s.pageSize).map(\.0), next: next.map { ($0.0.startTime, $0.1) },
                                        scanned: min(rows.count, s.pageSize), windowExhausted: false)
            }
            let window = "SELECT rowid FROM conversation WHERE \(range) ORDER BY start_time DESC, rowid DESC LIMIT ?"
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(columns) FROM conversation WHERE rowid IN (\(window)) AND \(filters.joined(separator: " AND "))
                ORDER BY start_time DESC, rowid DESC LIMIT ?
                """, arguments: args + [s.window] + filterArgs + [s.pageSize + 1]).map(row)
            if rows.count > s.pageSize {
                let last = rows[s.pageSize - 1]
                return ConversationPage(rows: rows.prefix(s.pageSize).map(\.0), next: (last.0.startTime, last.1), scanned: s.window,
                                        windowExhausted: false)
            }
            // Short page: either nothing older matches, or the window ran out before the page filled.
            let edge = try Row.fetchAll(db, sql: """
                SELECT start_time, rowid FROM conversation WHERE \(range) ORDER BY start_time DESC, rowid DESC LIMIT 1 OFFSET ?
                """, arguments: args + [s.window - 1])
            if let e = edge.first {
                return ConversationPage(rows: rows.map(\.0), next: (e[0], e[1]), scanned: s.window, windowExhausted: true)
            }
            return ConversationPage(rows: rows.map(\.0), next: nil, scanned: s.window, windowExhausted: false)
        }
    }

    static func likeEscaped(_ s: String) -> String {
        var out = ""
        for c in s {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    package func queueNames(orgId: String) async throws -> [String] {
        try StoreKeys.check(orgId)
        // Fixture and generated conversations share a handful of queues; read them from the newest few.
        return try await read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT json_extract(document, '$.queue.name') FROM
                (SELECT document FROM conversation WHERE org_id = ? ORDER BY start_time DESC LIMIT 500) ORDER BY 1
                """, arguments: [orgId])
        }
    }

    package func consoleConversation(id: String) async throws
        -> (document: String, orgId: String, exportedDate: Int64?, retention: RecordingRetention)?
    {
        try StoreKeys.check(id)
        return try await read { db in
            try Row.fetchOne(db, sql: """
                SELECT c.document, c.org_id, \(Self.exportedDate) AS exported_date, \(Self.retentionColumns) FROM conversation c
                WHERE c.id = ? AND c.deleted = 0
                """, arguments: [id]).map { ($0["document"], $0["org_id"], $0["exported_date"], Self.retention(from: $0)) }
        }
    }

    /// The org's newest batch requests, with their results, for the console.
    package func consoleBatchDownloads(orgId: String, limit: Int) async throws -> [BatchDownload] {
        try StoreKeys.check(orgId)
        let ids = try await read { db in
            try String.fetchAll(db, sql: "SELECT id FROM batch_download WHERE org_id = ? ORDER BY created DESC, id LIMIT ?", arguments: [orgId, limit])
        }
        var out: [BatchDownload] = []
        for id in ids { if let b = try await batchDownload(id: id, orgId: orgId) { out.append(b) } }
        return out
    }

    package struct BrowseEntry: Sendable {
        package var key: String
        package var isPrefix: Bool
        package var record: ObjectRecord?
    }

    /// One level of a bucket below `prefix` ('/' as the delimiter): sub-prefixes and objects in key order,
    /// at most `limit`, after `after`. Each sub-prefix costs one indexed seek, never a scan of what it holds.
    package func browse(bucket: String, prefix: String, after: String?, limit: Int) async throws -> (entries: [BrowseEntry], more: Bool) {
        try StoreKeys.check(bucket, prefix, after)
        return try await read { db in
            var out: [BrowseEntry] = []
            // Where the next seek starts, and whether that key itself may be shown.
            var (cursor, inclusive) = after.map { Self.seekPast($0) } ?? (prefix, true)
            let from = try db.cachedStatement(sql: "SELECT * FROM s3_object WHERE bucket = ? AND key >= ? ORDER BY key LIMIT 1")
            let past = try db.cachedStatement(sql: "SELECT * FROM s3_object WHERE bucket = ? AND key > ? ORDER BY key LIMIT 1")
            while out.count <= limit {
                guard let row = try Row.fetchOne(inclusive ? from : past, arguments: [bucket, cursor]) else { break }
                let record = ObjectIndex.record(row)
                guard record.key.utf8.starts(with: prefix.utf8) else { break }
                let rest = record.key.utf8.dropFirst(prefix.utf8.count)
                if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
                    let sub = String(decoding: record.key.utf8[..<record.key.utf8.index(after: slash)], as: UTF8.self)
                    out.append(BrowseEntry(key: sub, isPrefix: true, record: nil))
                    (cursor, inclusive) = Self.seekPast(sub)
                } else {
                    out.append(BrowseEntry(key: record.key, isPrefix: false, record: record))
                    (cursor, inclusive) = (record.key, false)
                }
            }
            let more = out.count > limit
            return (Array(out.prefix(limit)), more)
        }
    }

    /// Where to seek past `p`: past every key under a prefix that ends in '/' ('/' + 1 is '0', inclusive), or
    /// just past a key (exclusive).
    static func seekPast(_ p: String) -> (String, Bool) {
        p.hasSuffix("/") ? (String(p.dropLast()) + "0", true) : (p, false)
    }

    package func objectRecord(bucket: String, key: String) async throws -> ObjectRecord? {
        try StoreKeys.check(bucket, key)
        return try await read { db in try ObjectIndex.fetch(db, bucket: bucket, key: key) }
    }
}
