import Foundation
import Hummingbird
import MockStore
import RecordingsDomain

/// The batch downloads page (CONTRACT §15): the org's newest batch requests, each result waiting, ready (with its
/// URL and when it expires), expired or in error, as the mock clock has them now; and the downloader flow in curl.
extension Console {
    struct Step { var label: String; var command: String }
    struct ResultRow {
        var orgId: String; var conversationId: String; var shortConversation: String; var shortRecording: String
        var state: String; var stateLabel: String; var badge: String
        var url: String?; var expiry: String?; var error: String?; var waiting: String?
    }
    struct RequestView {
        var id: String; var status: String; var completed: Bool; var submitted: String; var clientId: String
        var resultCount: Int; var expected: Int; var errors: Int?; var results: [ResultRow]
    }
    struct DownloadsView {
        var chrome: ConsoleRenderer.Chrome; var orgId: String; var ttl: Int; var now: String; var steps: [Step]; var requests: [RequestView]
    }

    @Sendable func downloads(_ request: Request, context: AppRequestContext) async throws -> Response {
        let org = try await org(request)
        let now = services.now(org.id)  // the org's clock: a tenant's own
        let settings = try await services.db.recordingSettings(orgId: org.id)
        let batches = try await services.db.consoleBatchDownloads(orgId: org.id, limit: 20)
        let origin = origin(request)
        let views = batches.map { b in
            let ready = b.pacing.readyCount(total: b.results.count, now: now)
            let rows = b.results.enumerated().map { seq, r in
                var row = ResultRow(orgId: org.id, conversationId: r.conversationId, shortConversation: ConsoleFormat.shortId(r.conversationId),
                                    shortRecording: ConsoleFormat.shortId(r.recordingId), state: "waiting", stateLabel: "waiting", badge: "")
                let readyAt = b.pacing.readyAt(seq)
                if seq >= ready {
                    row.waiting = ConsoleFormat.time(readyAt)
                } else if let error = r.errorMsg {
                    (row.state, row.stateLabel, row.badge, row.error) = ("error", "error", "bad", error)
                } else if let token = r.token {
                    let expires = readyAt + b.urlTtlMillis
                    if now < expires {
                        (row.state, row.stateLabel, row.badge) = ("ready", "ready", "ok")
                        row.url = origin + DownloadRoutes.path(token)
                        row.expiry = "expires \(ConsoleFormat.time(expires))"
                    } else {
                        (row.state, row.stateLabel, row.badge) = ("expired", "expired", "bad")
                        row.error = "The URL expired at \(ConsoleFormat.time(expires)) (403 AccessDenied): submit a new batch request."
                    }
                }
                return row
            }
            let errors = b.results.prefix(ready).filter { $0.errorMsg != nil }.count
            return RequestView(id: b.id, status: ready == b.results.count ? "Completed" : "InProgress", completed: ready == b.results.count,
                               submitted: ConsoleFormat.time(b.pacing.createdMillis), clientId: b.clientId, resultCount: ready,
                               expected: b.results.count, errors: errors > 0 ? errors : nil, results: rows)
        }
        return renderer.page("downloads", DownloadsView(
            chrome: chrome("Batch downloads", section: "/console/downloads", request, context, org), orgId: org.id,
            ttl: settings.recordingBatchDownloadUrlTtl, now: ConsoleFormat.time(now), steps: Self.flow(origin), requests: views))
    }

    /// The downloader's calls as curl lines against this server (the mock-admin client of the fixtures).
    static func flow(_ api: String) -> [Step] {
        let auth = #"-H "Authorization: Bearer $TOKEN""#, json = #"-H 'Content-Type: application/json'"#
        return [
            Step(label: "1. A token", command: #"TOKEN=$(curl -s -u mock-admin:mock-admin-secret -d grant_type=client_credentials \#(api)/oauth/token | sed -E 's/.*"access_token":"([^"]+)".*/\1/')"#),
            Step(label: "2. The week's conversations", command: #"curl -s \#(auth) \#(json) -d '{"interval":"2023-01-01T00:00:00Z/2023-01-08T00:00:00Z"}' \#(api)/api/v2/analytics/conversations/details/query"#),
            Step(label: "3. A conversation's recordings", command: "curl -s \(auth) \(api)/api/v2/conversations/CONVERSATION_ID/recordingmetadata"),
            Step(label: "4. One batch request", command: #"curl -s \#(auth) \#(json) -d '{"batchDownloadRequestList":[{"conversationId":"CONVERSATION_ID"}]}' \#(api)/api/v2/recording/batchrequests"#),
            Step(label: "5. Poll it", command: "curl -s \(auth) \(api)/api/v2/recording/batchrequests/BATCH_ID"),
            Step(label: "6. Download a result (no Authorization header)", command: "curl -s -O RESULT_URL"),
        ]
    }
}
