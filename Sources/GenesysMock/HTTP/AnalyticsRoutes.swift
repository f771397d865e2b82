import Hummingbird
import MockStore
import RecordingsDomain

/// Conversation discovery, as Genesys's own tools start (CONTRACT §15): `POST
/// /api/v2/analytics/conversations/details/query` over the caller's org, an interval of at most 7 days.
struct AnalyticsRoutes {
    let services: AppServices
    static let permission = "analytics:conversationDetail:view"

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("analytics/conversations/details/query", use: detailsQuery)
    }

    @Sendable func detailsQuery(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require(Self.permission)
        let body = try await JSONBody.read(request, limit: services.config.bodyLimit)
        let query: ConversationDetailsQuery
        switch ConversationDetailsQueryValidator.validate(body) {
        case .failure(let f): throw GenesysError.validation(f)
        case .success(let q): query = q
        }
        try await services.applyRetention()
        let page = try await services.db.conversationDetails(orgId: caller.orgId, query: query)
        return JSONResponse.make(body: AnalyticsConversationDTO.page(page.conversations) { w in
            w.append(contentsOf: Array(",\"totalHits\":\(page.totalHits)".utf8))
        })
    }
}
