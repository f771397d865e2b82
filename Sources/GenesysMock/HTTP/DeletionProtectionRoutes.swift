import Hummingbird
import RecordingsDomain

/// `/api/v2/recordings/deletionprotection` (GENESYS-FACTS §1.6): apply or revoke protection for up to 100
/// conversations, and ask which of them are protected (explicitly or by an active legal hold).
struct DeletionProtectionRoutes {
    let services: AppServices
    static let path = "/api/v2/recordings/deletionprotection"

    func register(on api: RouterGroup<AppRequestContext>) {
        api.put("recordings/deletionprotection", use: update)
        api.post("recordings/deletionprotection", use: query)
    }

    struct Ref: Encodable, Sendable { var id: String; var selfUri: String }
    struct FailedUpdate: Encodable, Sendable { var conversation: Ref; var errorMessage: String; var errorCode: String }

    func ids(_ request: Request) async throws -> [String] {
        let body = try await JSONBody.read(request, limit: services.config.bodyLimit)
        guard case .object(let o) = body, case .array(let items)? = o["conversationIds"],
              o.keys.allSatisfy({ $0 == "conversationIds" }) else {
            throw GenesysError.badRequest("The body must be {\"conversationIds\": [...]}", field: "conversationIds")
        }
        let ids = items.compactMap(\.stringValue)
        guard ids.count == items.count, !ids.contains("") else {
            throw GenesysError.badRequest("conversationIds must hold non-empty strings", field: "conversationIds")
        }
        guard (1...100).contains(ids.count) else {
            throw GenesysError.badRequest("conversationIds must hold 1 to 100 ids, not \(ids.count)", field: "conversationIds")
        }
        return ids
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        guard let raw = request.uri.queryParameters["protect"], let protect = Bool(String(raw).lowercased()) else {
            throw GenesysError.badRequest("protect is required: true to apply deletion protection, false to revoke it", field: "protect")
        }
        try caller.require(protect ? "recording:deletionProtection:apply" : "recording:deletionProtection:revoke")
        let list = try await ids(request)
        let unknown = try await services.db.setDeletionProtection(orgId: caller.orgId, conversationIds: list, protect: protect,
                                                                  now: services.now(caller.orgId))
        let failed = unknown.map {
            FailedUpdate(conversation: Ref(id: $0, selfUri: "/api/v2/conversations/\($0)"),
                         errorMessage: "Conversation \($0) was not found", errorCode: "not.found")
        }
        return try JSONResponse.make(["failedUpdates": failed])
    }

    @Sendable func query(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        let list = try await ids(request)
        let protected = try await services.db.protectedConversations(orgId: caller.orgId, conversationIds: list)
        return try JSONResponse.make(protected.map { Ref(id: $0, selfUri: "/api/v2/conversations/\($0)") })
    }
}
