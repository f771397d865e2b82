import Hummingbird
import MockStore

/// `GET /api/v2/integrations[/{id}]`: the org's seeded AWS S3 recording bulk-actions integrations.
struct IntegrationRoutes {
    let services: AppServices

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("integrations", use: list)
        api.get("integrations/{integrationId}", use: get)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require("integrations:integration:view")
        let paging = try Paging(request)
        let page = try await services.db.integrations(orgId: caller.orgId, limit: paging.pageSize, offset: paging.offset)
        return try JSONResponse.make(PageEnvelope(entities: page.items.map(IntegrationDTO.init), paging: paging, total: page.total,
                                                  path: "/api/v2/integrations", query: []))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try caller.require("integrations:integration:view")
        let id = context.path("integrationId")
        guard let found = try await services.db.integration(id: id, orgId: caller.orgId) else {
            throw GenesysError.notFound("Integration \(id) was not found")
        }
        return try JSONResponse.make(IntegrationDTO(found))
    }
}

/// The Genesys `Integration`, with the bucket and region in its configuration's properties.
struct IntegrationDTO: Encodable, Sendable {
    struct TypeRef: Encodable, Sendable { var id: String; var name: String; var selfUri: String }
    struct Properties: Encodable, Sendable { var bucketName: String; var region: String }
    struct Configuration: Encodable, Sendable {
        var name: String
        var version: Int
        var properties: Properties
        var advanced: [String: String]
        var notes: String
        var credentials: [String: String]
    }
    struct ConfigInfo: Encodable, Sendable { var current: Configuration }
    struct Status: Encodable, Sendable { var code: String; var effective: String }

    var id: String
    var name: String
    var integrationType: TypeRef
    var notes: String
    var intendedState: String
    var config: ConfigInfo
    var reportedState: Status
    var selfUri: String

    init(_ i: AppDatabase.IntegrationInfo) {
        id = i.id
        name = i.name
        integrationType = TypeRef(id: i.integrationType, name: "AWS S3 Recording Bulk Actions Integration",
                                  selfUri: "/api/v2/integrations/types/\(i.integrationType)")
        notes = "Exports recordings to s3://\(i.bucketName) (\(i.region)) in the genesys-mock sink"
        intendedState = "ENABLED"
        config = ConfigInfo(current: Configuration(name: i.name, version: 1, properties: Properties(bucketName: i.bucketName, region: i.region),
                                                   advanced: [:], notes: notes, credentials: [:]))
        reportedState = Status(code: "ACTIVE", effective: "Active")
        selfUri = "/api/v2/integrations/\(i.id)"
    }
}
