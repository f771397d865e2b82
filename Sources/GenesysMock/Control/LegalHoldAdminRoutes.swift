import Foundation
import Hummingbird
import RecordingsDomain

/// `/__admin/legal-holds`: the legal-hold registry the export API checks (CONTRACT §4, §6).
struct LegalHoldAdminRoutes {
    let services: AppServices

    func register(on router: RouteRegistrar) {
        router.get("__admin/legal-holds", use: list)
        router.post("__admin/legal-holds", use: create)
        router.get("__admin/legal-holds/{caseId}", use: get)
        router.post("__admin/legal-holds/{caseId}/release", use: release)
    }

    func org(_ request: Request, body: String? = nil) async throws -> String {
        let requested = body ?? request.uri.queryParameters["orgId"].map(String.init)
        return try await services.db.orgId(requested)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let orgId = try await org(request)
        var status: LegalHoldStatus?
        if let raw = request.uri.queryParameters["status"] {
            guard let s = LegalHoldStatus(rawValue: String(raw).uppercased()) else {
                throw AdminError(.badRequest, "bad.request", "status must be ACTIVE or RELEASED")
            }
            status = s
        }
        let holds = try await services.db.holds(orgId: orgId, status: status)
        return try JSONResponse.make(["legalHolds": holds])
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let orgId = try await org(request)
        let caseId = context.path("caseId")
        guard let hold = try await services.db.hold(orgId: orgId, caseId: caseId) else {
            throw AdminError(.notFound, "not.found", "No legal hold with case id '\(caseId)' in org \(orgId)")
        }
        return try JSONResponse.make(hold)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let new = try await NewHold.parse(request, limit: services.config.bodyLimit)
        let orgId = try await org(request, body: new.orgId)
        let hold = try await services.db.createHold(new.draft, orgId: orgId, now: services.now(orgId))
        return try JSONResponse.make(hold, status: .created)
    }

    @Sendable func release(_ request: Request, context: AppRequestContext) async throws -> Response {
        let orgId = try await org(request)
        let caseId = context.path("caseId")
        let hold = try await services.db.releaseHold(orgId: orgId, caseId: caseId, now: services.now(orgId))
        return try JSONResponse.make(hold)
    }
}
