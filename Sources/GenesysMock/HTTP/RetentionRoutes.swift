import Foundation
import Hummingbird
import MockStore
import RecordingsDomain

/// `GET /api/v2/recordings/retention/query` (CONTRACT §15): the org's recordings retained for longer than
/// `retentionThresholdDays` (from their conversation's start to their delete date; without one, indefinitely), with
/// their retention dates, a cursor page at a time (`nextUri` carries the cursor).
struct RetentionRoutes {
    let services: AppServices
    static let path = "/api/v2/recordings/retention/query"
    static let maxPageSize = 500
    static let defaultPageSize = 25

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("recordings/retention/query", use: query)
    }

    struct Entity: Encodable {
        var conversationId: String
        var recordingId: String
        var archiveDate: String?
        var archiveMedium: String?
        var deleteDate: String?
        var exportDate: String?
        var exportedDate: String?
        var creationTime: String
    }

    struct Listing: Encodable {
        var entities: [Entity]
        var nextUri: String?
        var selfUri: String
        var previousUri: String?
    }

    @Sendable func query(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require("recording:recording:view")
        let params = request.uri.queryParameters
        guard let raw = params["retentionThresholdDays"], let days = Int(raw), (0...36_500).contains(days) else {
            throw GenesysError.badRequest("retentionThresholdDays is required: a whole number of days from 0 to 36500",
                                          field: "retentionThresholdDays", code: params["retentionThresholdDays"] == nil ? "bad.request" : "invalid.value")
        }
        let pageSize = try Paging.int(request, "pageSize", default: Self.defaultPageSize, range: 1...Self.maxPageSize)
        var after: String?
        if let raw = params["cursor"], !raw.isEmpty {  // an empty cursor is the first page
            guard let id = Self.decode(String(raw)) else {
                throw GenesysError.badRequest("cursor is not one a previous page gave", field: "cursor", code: "invalid.value")
            }
            after = id
        }
        let now = services.now(caller.orgId)
        try await services.applyRetention()
        let rows = try await services.db.retentionEntries(orgId: caller.orgId, thresholdMillis: Int64(days) * 86_400_000, afterId: after,
                                                          limit: pageSize + 1)
        func date(_ d: Int64?) -> String? { d.map { Timestamp.format(millis: $0) } }
        let entities = rows.prefix(pageSize).map { e in
            let archived = e.retention.fileState(now: now) == "ARCHIVED"
            return Entity(conversationId: e.conversationId, recordingId: e.recordingId,
                          archiveDate: date(archived ? e.retention.archivedAt : e.retention.archiveDate),
                          archiveMedium: e.retention.archivedAt == nil ? nil : "CLOUDARCHIVE", deleteDate: date(e.retention.deleteDate),
                          exportDate: date(e.retention.exportDate), exportedDate: date(e.exportedDate), creationTime: e.creationTime)
        }
        let base = "\(Self.path)?retentionThresholdDays=\(days)&pageSize=\(pageSize)"
        let next = rows.count > pageSize ? entities.last.map { "\(base)&cursor=\(Self.encode($0.conversationId))" } : nil
        return try JSONResponse.make(Listing(entities: Array(entities), nextUri: next,
                                             selfUri: base + (after.map { "&cursor=\(Self.encode($0))" } ?? ""), previousUri: nil))
    }

    static func encode(_ id: String) -> String { Base64URL.encode("r1|" + id) }

    static func decode(_ cursor: String) -> String? {
        guard let text = Base64URL.decode(cursor), text.hasPrefix("r1|") else { return nil }
        let id = String(text.dropFirst(3))
        return !id.isEmpty && IdentifierRule.isClean(id) ? id : nil
    }
}
