import DocumentCodecs
import Foundation
import Hummingbird
import MockStore
import RecordingsDomain

/// `/__admin/tenants` (CONTRACT §16): one mock for a CI fleet or a classroom. Each tenant is an org with its own
/// world; its secrets are shown once, in the answer to its creation. A reset, delete or clock move holds its org's gate
/// alone (`KeyedGate`): it waits for no other tenant's export and stops none. Its files are moved aside inside that
/// gate (a rename) and removed after the answer.
struct TenantRoutes {
    let services: AppServices
    let control: ControlPlane

    func register(on router: RouteRegistrar) {
        router.get("__admin/tenants", use: list)
        router.post("__admin/tenants", use: create)
        router.get("__admin/tenants/{tenantId}", use: get)
        router.delete("__admin/tenants/{tenantId}", use: delete)
        router.post("__admin/tenants/{tenantId}/reset", use: reset)
        router.get("__admin/tenants/{tenantId}/clock", use: clock)
        router.put("__admin/tenants/{tenantId}/clock", use: setClock)
        router.post("__admin/tenants/{tenantId}/clock/advance", use: advanceClock)
    }

    struct Credentials: Encodable { var clientId: String; var clientSecret: String? }
    struct Clients: Encodable { var admin: Credentials; var viewer: Credentials }
    struct S3Credentials: Encodable { var accessKeyId: String; var secretAccessKey: String? }

    /// A tenant as the admin API shows it; the secrets only in the answer to its creation.
    struct TenantDTO: Encodable {
        var id: String
        var name: String
        var orgId: String
        var dateCreated: String
        var conversations: Int
        var clients: Clients
        var s3: S3Credentials
        var buckets: [String]
        var integrationId: String
        var legalHolds: [String]
        var selfUri: String

        init(_ t: TenantWorld, created: Int64, secrets: TenantWorld.Secrets? = nil) {
            id = t.id
            name = t.name
            orgId = t.orgId
            dateCreated = Timestamp.format(millis: created)
            conversations = t.conversations
            clients = Clients(admin: Credentials(clientId: t.record.adminClientId, clientSecret: secrets?.adminSecret),
                              viewer: Credentials(clientId: t.record.viewerClientId, clientSecret: secrets?.viewerSecret))
            s3 = S3Credentials(accessKeyId: t.record.accessKeyId, secretAccessKey: secrets?.secretAccessKey)
            buckets = t.record.buckets
            integrationId = t.record.integrationId
            legalHolds = t.record.legalHolds
            selfUri = "/__admin/tenants/\(t.id)"
        }
    }

    static func notFound(_ id: String) -> AdminError { AdminError(.notFound, "not.found", "No tenant \(id)") }

    /// The tenant named by the path, or 404.
    func stored(_ context: AppRequestContext) async throws -> (TenantWorld, AppDatabase.TenantRecord) {
        let id = context.path("tenantId")
        guard IdentifierRule.isClean(id), let record = try await services.db.tenant(id: id) else { throw Self.notFound(id) }
        return (try TenantWorld(record), record)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenants = try await services.db.tenants().map { TenantDTO(try TenantWorld($0), created: $0.created) }
        return try JSONResponse.make(["tenants": tenants])
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (world, record) = try await stored(context)
        return try JSONResponse.make(TenantDTO(world, created: record.created))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let o = try await ControlRoutes.body(request, services.config.bodyLimit)
        try ControlRoutes.unknownKeys(o, ["name", "conversations"])
        guard let name = o["name"]?.stringValue else { throw RegistryRoutes.bad("name is required: the tenant's name, e.g. \"ci-job-42\"") }
        if let problem = TenantWorld.nameProblem(name) { throw RegistryRoutes.bad(problem) }
        var count = 0
        if let raw = o["conversations"] {
            guard case .int(let n) = raw, (0...TenantWorld.maxConversations).contains(n) else {
                throw RegistryRoutes.bad("conversations must be a whole number from 0 to \(TenantWorld.maxConversations)")
            }
            count = n
        }
        let tenant = TenantWorld.new(name: name, conversations: count)
        let secrets = TenantWorld.Secrets.random()
        let fixtures = control.fixtures
        let (seed, record) = try await BlockingIO.run { tenant.seed(fixtures, secrets: secrets) }
        let made = TenantWorld(id: tenant.id, name: name, orgId: tenant.orgId, conversations: count, record: record)
        let now = services.clock.nowMillis()
        let row = AppDatabase.TenantRecord(id: made.id, name: name, orgId: made.orgId, created: now, conversations: count,
                                           world: try CanonicalJSON.string(record))
        switch try await services.db.createTenant(row, world: seed, now: now) {
        case .created: services.clock.setTenant(org: made.orgId, MockClock.State())
        case .nameTaken: throw AdminError(.conflict, "tenant.exists", "A tenant named \(name) already exists")
        case .bucketTaken(let bucket):
            throw AdminError(.conflict, "bucket.exists", "Bucket \(bucket), which tenant \(name) would own, already exists; choose another name")
        }
        var response = try JSONResponse.make(TenantDTO(made, created: now, secrets: secrets), status: .created)
        response.headers[.location] = "/__admin/tenants/\(made.id)"
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (world, _) = try await stored(context)
        let detached = try await control.orgs.run(world.orgId) {
            guard let storage = try await services.db.deleteTenant(id: world.id) else { throw Self.notFound(world.id) }
            services.clock.removeTenant(org: world.orgId)
            return try await detachFiles(storage)
        }
        removeInBackground(detached)
        return Response(status: .noContent)
    }

    @Sendable func reset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        let (world, _) = try await stored(context)
        let fixtures = control.fixtures
        let (seed, _) = try await BlockingIO.run { world.seed(fixtures, secrets: nil) }
        let detached = try await control.orgs.run(world.orgId) {
            services.clock.setTenant(org: world.orgId, MockClock.State())
            guard let storage = try await services.db.resetTenant(id: world.id, world: seed, now: services.now(world.orgId)) else {
                throw Self.notFound(world.id)
            }
            return try await detachFiles(storage)
        }
        removeInBackground(detached)
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        return try JSONResponse.make(ControlRoutes.ResetResult(status: "reset", tookMs: (ms * 10).rounded() / 10))
    }

    /// `{now, frozen}` of a tenant's clock.
    func clockState(_ org: String) throws -> ControlRoutes.ClockState {
        guard let state = services.clock.tenantState(org: org) else { throw AdminError(.notFound, "not.found", "No tenant of org \(org)") }
        return ControlRoutes.ClockState(now: Timestamp.format(millis: services.clock.tenantNow(state)), frozen: state.frozenAt != nil)
    }

    @Sendable func clock(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (world, _) = try await stored(context)
        return try JSONResponse.make(try clockState(world.orgId))
    }

    @Sendable func setClock(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (world, record) = try await stored(context)
        let (target, freeze) = try await ControlRoutes.clockSetting(request, services.config.bodyLimit)
        guard try await control.moveTenantClock(record, nowMillis: target, frozen: freeze) != nil else { throw Self.notFound(world.id) }
        return try JSONResponse.make(try clockState(world.orgId))
    }

    @Sendable func advanceClock(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (world, record) = try await stored(context)
        let delta = try await ControlRoutes.advanceSetting(request, services.config.bodyLimit, from: services.now(world.orgId))
        guard try await control.moveTenantClock(record, nowMillis: nil, frozen: nil, advanceMillis: delta) != nil else {
            throw Self.notFound(world.id)
        }
        return try JSONResponse.make(try clockState(world.orgId))
    }

    /// Deletes detached folders after the answer: ten thousand objects take seconds to unlink, and nothing reads
    /// them any more (a crash first leaves them in the temporary folder, which the next start empties).
    func removeInBackground(_ detached: [String]) {
        guard !detached.isEmpty else { return }
        let sink = services.sink
        Task.detached(priority: .background) { try? await sink.removeDetached(detached) }
    }

    /// The files of a tenant whose rows are gone, moved out of the sink's buckets (renames: quick, whatever their
    /// number) for `removeDetached` to delete once the tenant's gate is released.
    func detachFiles(_ storage: AppDatabase.TenantStorage) async throws -> [String] {
        var detached: [String] = []
        for bucket in storage.buckets {
            if let moved = try await services.sink.detachBucketFolder(bucket) { detached.append(moved) }
        }
        for upload in storage.uploads { try await services.sink.removeParts(uploadId: upload) }
        return detached
    }
}
