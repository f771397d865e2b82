import Foundation
import HTTPTypes
import Hummingbird

/// The request journal (live, filterable, with hints) and the faults page.
extension Console {
    struct EntryView {
        var id: Int; var time: String; var client: String; var method: String; var path: String; var query: String?
        var body: String?; var status: Int; var badge: String; var rowClass: String; var hint: String?; var response: String?
    }
    struct StatusChoice { var value: String; var label: String; var selected: Bool }
    struct JournalView {
        var chrome: ConsoleRenderer.Chrome; var orgId: String; var clients: [Choice]; var statuses: [StatusChoice]
        var entries: [EntryView]; var liveURL: String; var lastId: Int
    }
    struct RowsView { var entries: [EntryView] }

    static let journalPage = 100

    func journalFilter(_ request: Request) -> (RequestJournal.Filter, client: String, status: String) {
        let q = request.uri.queryParameters
        let client = q["client"].map { String($0).removingPercentEncoding ?? String($0) } ?? ""
        let status = q["status"].map { String($0).lowercased() } ?? ""
        var filter = RequestJournal.Filter(client: client.isEmpty ? nil : client,
                                           statusClass: RequestJournal.statusClasses.contains(status) ? status : nil)
        if let after = q["afterId"].flatMap({ Int($0) }) { filter.afterId = after }
        return (filter, client, status)
    }

    static func entryView(_ e: RequestJournal.Entry) -> EntryView {
        let response = e.response.map { Self.prettyJSON(Data($0.utf8)) ?? $0 }
        return EntryView(id: e.id, time: String(e.time.dropFirst(11).prefix(12)), client: e.client ?? "", method: e.method, path: e.path,
                         query: e.query, body: e.body, status: e.status, badge: "s\(e.status / 100)", rowClass: e.status >= 400 ? "err" : "",
                         hint: ConsoleHints.hint(status: e.status, path: e.path, requestBody: e.body, response: e.response), response: response)
    }

    @Sendable func journal(_ request: Request, context: AppRequestContext) async throws -> Response {
        let org = try await org(request)
        let (filter, client, status) = journalFilter(request)
        let entries = control.journal.entries(filter, limit: Self.journalPage)
        let statuses = [("", "any")] + [("error", "errors (4xx and 5xx)"), ("2xx", "2xx"), ("4xx", "4xx"), ("5xx", "5xx")]
        let clients = Set(control.journal.clients() + (client.isEmpty ? [] : [client])).sorted()
        var live = "/console/journal/rows?org=\(org.id.urlQueryEncoded)"
        if !client.isEmpty { live += "&client=\(client.urlQueryEncoded)" }
        if !status.isEmpty { live += "&status=\(status.urlQueryEncoded)" }
        let view = JournalView(
            chrome: chrome("Request journal", section: "/console/journal", request, context, org), orgId: org.id,
            clients: clients.map { Choice(name: $0, selected: $0 == client) },
            statuses: statuses.map { StatusChoice(value: $0.0, label: $0.1, selected: $0.0 == status) },
            entries: entries.map(Self.entryView), liveURL: live, lastId: max(entries.first?.id ?? 0, control.journal.lastId()))
        return renderer.page("journal", view)
    }

    /// New rows since `afterId`, as HTML; `X-Last-Entry` says where the next poll starts.
    @Sendable func journalRows(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (filter, _, _) = journalFilter(request)
        let entries = control.journal.entries(filter, limit: Self.journalPage)
        var response = ConsoleHTML.response(renderer.html("journalrows", RowsView(entries: entries.map(Self.entryView))))
        response.headers[HTTPField.Name("X-Last-Entry")!] = String(max(entries.first?.id ?? 0, filter.afterId ?? 0, control.journal.lastId()))
        return response
    }

    struct FaultView { var id: String; var kind: String; var what: String }
    struct FaultsView {
        var chrome: ConsoleRenderer.Chrome; var orgId: String; var buckets: [BucketView]; var faults: [FaultView]; var hasFaults: Bool
    }

    @Sendable func faults(_ request: Request, context: AppRequestContext) async throws -> Response {
        let org = try await org(request)
        let w = try await services.db.world()
        let list = control.faults.list()
        var views: [FaultView] = list.http.map { f in
            var parts = ["\(f.method) \(f.path)"]
            if let s = f.status { parts.append("answers \(s)\(f.code.map { " \($0)" } ?? "")") }
            if let l = f.latencyMs { parts.append("+\(l) ms") }
            if f.dropConnection { parts.append("drops the connection") }
            parts.append("\(f.count) call\(f.count == 1 ? "" : "s")\(f.nth.map { " from call #\($0)" } ?? "")")
            return FaultView(id: f.id, kind: f.port == .s3 ? "S3" : "HTTP", what: parts.joined(separator: ", "))
        }
        views += list.export.map { f in
            var parts: [String] = []
            if let b = f.denyPutObjectBucket { parts.append("PutObject into \(b) is denied") }
            if let n = f.failRecordingNumber { parts.append("recording #\(n) of each export fails") }
            if let r = f.failRecordingId { parts.append("recording \(r) fails") }
            if let ms = f.writeLatencyMs { parts.append("each write takes \(ms) ms longer") }
            return FaultView(id: f.id, kind: "export", what: parts.joined(separator: "; "))
        }
        let view = FaultsView(chrome: chrome("Faults & reset", section: "/console/faults", request, context, org), orgId: org.id,
                              buckets: w.buckets.map(BucketView.init),
                              faults: views, hasFaults: !views.isEmpty)
        return renderer.page("faults", view)
    }
}
