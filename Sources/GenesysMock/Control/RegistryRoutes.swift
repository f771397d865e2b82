import Foundation
import Hummingbird
import MockStore
import RecordingsDomain

/// `/__admin/buckets`, `/__admin/integrations`, `/__admin/oauth-clients`: the registries behind the API
/// (CONTRACT §6). Client secrets are stored hashed and never listed back.
struct RegistryRoutes {
    let services: AppServices

    func register(on router: RouteRegistrar) {
        router.get("__admin/buckets", use: buckets)
        router.post("__admin/buckets", use: addBucket)
        router.get("__admin/integrations", use: integrations)
        router.post("__admin/integrations", use: addIntegration)
        router.get("__admin/oauth-clients", use: clients)
        router.post("__admin/oauth-clients", use: addClient)
    }

    struct BucketDTO: Encodable {
        var name: String; var region: String; var objectLockEnabled: Bool; var denyPutObject: Bool; var remote: RemoteDTO?

        init(name: String, region: String, objectLockEnabled: Bool, denyPutObject: Bool, remote: RemoteBucket?) {
            self.name = name
            self.region = region
            self.objectLockEnabled = objectLockEnabled
            self.denyPutObject = denyPutObject
            self.remote = remote.map(RemoteDTO.init)
        }
    }

    /// A remote bucket as the admin API shows it: where it is and the NAMES of its credential variables, with
    /// whether they are set; never their values.
    struct RemoteDTO: Encodable {
        var endpoint: String; var addressing: String; var accessKeyIdEnv: String; var secretAccessKeyEnv: String
        var sessionTokenEnv: String?; var credentialsSet: Bool

        init(_ r: RemoteBucket) {
            endpoint = r.endpoint
            addressing = r.addressing.rawValue
            accessKeyIdEnv = r.accessKeyIdEnv
            secretAccessKeyEnv = r.secretAccessKeyEnv
            sessionTokenEnv = r.sessionTokenEnv
            credentialsSet = r.credentialsSet()
        }
    }
    struct IntegrationAdminDTO: Encodable {
        var id: String; var orgId: String; var name: String; var integrationType: String; var bucketName: String; var region: String
    }
    struct ClientDTO: Encodable {
        var clientId: String; var name: String; var orgId: String; var userId: String; var permissions: [String]; var tokenTtlSeconds: Int
    }

    static func bad(_ m: String) -> AdminError { AdminError(.badRequest, "bad.request", m) }

    static func str(_ o: [String: JSONValue], _ k: String, required: Bool = true) throws -> String? {
        guard let v = o[k] else {
            if required { throw bad("\(k) is required") }
            return nil
        }
        guard let s = v.stringValue, !s.isEmpty, s.count <= 200 else { throw bad("\(k) must be a non-empty string of at most 200 characters") }
        return s
    }

    @Sendable func buckets(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rows = try await services.db.allBuckets().map {
            BucketDTO(name: $0.name, region: $0.region, objectLockEnabled: $0.objectLockEnabled, denyPutObject: $0.denyPut,
                      remote: RemoteBucket.fromStored($0.remoteJSON))
        }
        return try JSONResponse.make(["buckets": rows])
    }

    @Sendable func addBucket(_ request: Request, context: AppRequestContext) async throws -> Response {
        let o = try await ControlRoutes.body(request, services.config.bodyLimit)
        try ControlRoutes.unknownKeys(o, ["name", "region", "objectLockEnabled", "denyPutObject", "remote"])
        let name = try Self.str(o, "name")!
        guard NameRules.isBucketName(name) else { throw Self.bad("name is not a valid S3 bucket name") }
        let region = try Self.str(o, "region")!
        guard NameRules.isRegion(region) else { throw Self.bad("region is not an AWS region code") }
        let lock = o["objectLockEnabled"].map { $0 == .bool(true) } ?? false
        let deny = o["denyPutObject"].map { $0 == .bool(true) } ?? false
        let remote: RemoteBucket?
        switch o["remote"].map(RemoteBucket.from) {
        case .success(let value)?: remote = value
        case .failure(let problem)?: throw Self.bad(problem.message)
        case nil: remote = nil
        }
        let now = services.clock.nowMillis()
        let bucket = WorldSeed.Bucket(name: name, region: region, objectLockEnabled: lock, denyPut: deny, remoteJSON: remote?.storedJSON)
        guard try await services.db.add(bucket: bucket, now: now) else {
            throw AdminError(.conflict, "bucket.exists", "Bucket \(name) already exists")
        }
        return try JSONResponse.make(BucketDTO(name: name, region: region, objectLockEnabled: lock, denyPutObject: deny, remote: remote),
                                     status: .created)
    }

    @Sendable func integrations(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rows = try await services.db.allIntegrations().map {
            IntegrationAdminDTO(id: $0.id, orgId: $0.orgId, name: $0.name, integrationType: $0.integrationType, bucketName: $0.bucketName,
                                region: $0.region)
        }
        return try JSONResponse.make(["integrations": rows])
    }

    @Sendable func addIntegration(_ request: Request, context: AppRequestContext) async throws -> Response {
        let o = try await ControlRoutes.body(request, services.config.bodyLimit)
        try ControlRoutes.unknownKeys(o, ["id", "orgId", "name", "bucketName", "region"])
        let orgId = try await services.db.orgId(try Self.str(o, "orgId", required: false))
        let dto = IntegrationAdminDTO(id: try Self.str(o, "id", required: false) ?? RandomID.uuid(), orgId: orgId,
                                      name: try Self.str(o, "name")!, integrationType: "aws-s3-recording-bulk-actions-integration",
                                      bucketName: try Self.str(o, "bucketName")!, region: try Self.str(o, "region")!)
        guard NameRules.isBucketName(dto.bucketName), NameRules.isRegion(dto.region) else { throw Self.bad("bucketName or region is not valid") }
        guard NameRules.isCaseId(dto.id) else { throw Self.bad("id must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-'") }
        let row = WorldSeed.Integration(id: dto.id, orgId: dto.orgId, name: dto.name, integrationType: dto.integrationType,
                                        bucketName: dto.bucketName, region: dto.region)
        guard try await services.db.add(integration: row) else {
            throw AdminError(.conflict, "integration.exists", "Integration \(dto.id) already exists")
        }
        return try JSONResponse.make(dto, status: .created)
    }

    @Sendable func clients(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rows = try await services.db.allClients().map {
            ClientDTO(clientId: $0.clientId, name: $0.name, orgId: $0.orgId, userId: $0.userId, permissions: $0.permissions,
                      tokenTtlSeconds: $0.tokenTtlSeconds)
        }
        return try JSONResponse.make(["oauthClients": rows])
    }

    @Sendable func addClient(_ request: Request, context: AppRequestContext) async throws -> Response {
        let o = try await ControlRoutes.body(request, services.config.bodyLimit)
        try ControlRoutes.unknownKeys(o, ["clientId", "clientSecret", "name", "orgId", "userId", "permissions", "tokenTtlSeconds"])
        let clientId = try Self.str(o, "clientId")!
        let secret = try Self.str(o, "clientSecret")!
        guard secret.count >= 8 else { throw Self.bad("clientSecret must be at least 8 characters") }
        let orgId = try await services.db.orgId(try Self.str(o, "orgId", required: false))
        guard case .array(let items)? = o["permissions"], let perms = Optional(items.compactMap(\.stringValue)), perms.count == items.count else {
            throw Self.bad("permissions is required: an array of permission names")
        }
        var ttl = 86_400
        if let v = o["tokenTtlSeconds"] {
            guard case .int(let n) = v, (1...31_536_000).contains(n) else { throw Self.bad("tokenTtlSeconds must be from 1 to 31536000") }
            ttl = n
        }
        let lifetime = ttl
        let dto = ClientDTO(clientId: clientId, name: try Self.str(o, "name", required: false) ?? clientId, orgId: orgId,
                            userId: try Self.str(o, "userId", required: false) ?? RandomID.uuid(), permissions: perms,
                            tokenTtlSeconds: lifetime)
        let client = WorldSeed.Client(clientId: clientId, secretSha256: Digest.sha256Hex(Data(secret.utf8)), name: dto.name, orgId: orgId,
                                      userId: dto.userId, permissions: perms, tokenTtlSeconds: lifetime)
        guard try await services.db.add(client: client) else {
            throw AdminError(.conflict, "client.exists", "OAuth client \(clientId) already exists")
        }
        return try JSONResponse.make(dto, status: .created)
    }
}
