import DocumentCodecs
import Foundation
import MockStore
import RecordingsDomain

/// What a tenant is made of (CONTRACT §16), derived from the fixtures' first org and the tenant's id alone, so a
/// reset makes exactly the world its creation made: the first org's OAuth clients with the most and the fewest
/// permissions (`admin`, `viewer`), an S3 key, two buckets of its own (one with object lock, as the fixtures'
/// legal-discovery bucket), an integration to the first, the first org's holds (with its ACTIVE one), and the first
/// org's hand-written conversations under new ids with the same text and times, plus `conversations` generated.
struct TenantWorld: Sendable {
    /// What the tenant's ids and names are; stored with the tenant (`tenant.world`), never its secrets.
    struct Record: Codable, Sendable, Equatable {
        var adminClientId: String
        var viewerClientId: String
        var accessKeyId: String
        var buckets: [String]
        var integrationId: String
        var legalHolds: [String]
    }

    /// The secrets a creation hands out once.
    struct Secrets: Sendable {
        var adminSecret: String
        var viewerSecret: String
        var secretAccessKey: String

        static func random() -> Secrets {
            Secrets(adminSecret: token(32), viewerSecret: token(32), secretAccessKey: token(40))
        }

        /// Random letters and digits (`getrandom`).
        static func token(_ count: Int, alphabet: String = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") -> String {
            let letters = Array(alphabet)
            var g = SystemRandomNumberGenerator()
            return String((0..<count).map { _ in letters[Int(g.next(upperBound: UInt64(letters.count)))] })
        }
    }

    /// Tenant names: 1 to 32 lower-case letters, digits and inner hyphens, so that each bucket named after one is a
    /// valid S3 bucket name.
    static func nameProblem(_ name: String) -> String? {
        let ok = !name.isEmpty && name.utf8.count <= 32 && name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
            && name.first != "-" && name.last != "-"
        return ok ? nil : "name must be 1 to 32 characters of a-z, 0-9 and '-', not starting or ending with '-'"
    }

    static let maxConversations = 10_000

    let id: String
    let name: String
    let orgId: String
    let conversations: Int
    let record: Record

    /// A new tenant's identity: a random id, its org and client ids derived from it, an `AKIA…` access key id.
    static func new(name: String, conversations: Int) -> TenantWorld {
        let id = RandomID.uuid()
        let record = Record(adminClientId: StableID.uuid([id, "client", "admin"]), viewerClientId: StableID.uuid([id, "client", "viewer"]),
                            accessKeyId: "AKIA" + Secrets.token(16, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
                            buckets: ["\(name)-legal-discovery", "\(name)-recordings"],
                            integrationId: StableID.uuid([id, "integration"]), legalHolds: [])
        return TenantWorld(id: id, name: name, orgId: StableID.uuid([id, "org"]), conversations: conversations, record: record)
    }

    /// The tenant's world as seed rows. Without `secrets` (a reset) it has no clients, no key and no conversations:
    /// those stay.
    func seed(_ fixtures: FixtureSet, secrets: Secrets?) -> (seed: WorldSeed, record: Record) {
        var s = WorldSeed(hash: "")
        var record = self.record
        let template = fixtures.orgs.first?.id ?? ""
        s.orgs = [(orgId, "Tenant \(name)")]
        let clients = fixtures.clients.filter { $0.orgId == template }.sorted { $0.permissions.count > $1.permissions.count }
        if let secrets, let admin = clients.first, let viewer = clients.last {
            s.clients = [(admin, record.adminClientId, secrets.adminSecret, "admin"), (viewer, record.viewerClientId, secrets.viewerSecret, "viewer")].map {
                WorldSeed.Client(clientId: $0.1, secretSha256: Digest.sha256Hex(Data($0.2.utf8)), name: "\(name) \($0.3)", orgId: orgId,
                                 userId: StableID.uuid([id, "user", $0.3]), permissions: $0.0.permissions, tokenTtlSeconds: $0.0.tokenTtlSeconds)
            }
            s.accessKeys = [(record.accessKeyId, secrets.secretAccessKey, "\(name) S3 reader/writer")]
        }
        s.buckets = [
            WorldSeed.Bucket(name: record.buckets[0], region: "eu-west-2", objectLockEnabled: true, denyPut: false, remoteJSON: nil),
            WorldSeed.Bucket(name: record.buckets[1], region: "us-east-1", objectLockEnabled: false, denyPut: false, remoteJSON: nil),
        ]
        s.integrations = [WorldSeed.Integration(id: record.integrationId, orgId: orgId, name: "Recordings bulk export to S3 (\(record.buckets[0]))",
                                                integrationType: "aws-s3-recording-bulk-actions-integration", bucketName: record.buckets[0],
                                                region: "eu-west-2")]
        var ids: [String: String] = [:]
        var rows: [WorldSeed.Conversation] = []
        for var c in fixtures.conversations where c.orgId == template {
            let original = c.id
            c.id = StableID.uuid([id, "conversation", original])
            c.recordingId = StableID.uuid([id, "recording", c.recordingId])
            c.orgId = orgId
            ids[original] = c.id
            rows.append(Self.row(c))
        }
        if secrets != nil {
            let generator = ConversationGenerator(seed: StableID.seed([id, "conversations"]), orgId: orgId)
            rows += (0..<conversations).map { Self.row(generator.conversation($0)) }
            s.conversations = rows
        }
        s.holds = fixtures.holds.filter { $0.orgId == template }.map {
            WorldSeed.Hold(orgId: orgId, caseId: $0.caseId, name: $0.name, description: $0.description, status: $0.status,
                           created: Timestamp.parse($0.createdDate).map(Timestamp.millis) ?? 0,
                           released: $0.releasedDate.flatMap(Timestamp.parse).map(Timestamp.millis),
                           conversationIds: $0.conversationIds.map { ids[$0] ?? $0 }, filter: $0.filter)
        }
        record.legalHolds = s.holds.map(\.caseId)
        return (s, record)
    }

    static func row(_ c: Conversation) -> WorldSeed.Conversation {
        WorldSeed.Conversation(id: c.id, orgId: c.orgId, messengerType: c.messengerType, start: c.startDate.map(Timestamp.millis) ?? 0,
                               recordingId: c.recordingId, document: ConversationJSON.string(c))
    }

    /// The world of a stored tenant, for its reset.
    init(_ stored: AppDatabase.TenantRecord) throws {
        id = stored.id
        name = stored.name
        orgId = stored.orgId
        conversations = stored.conversations
        record = try JSONDecoder().decode(Record.self, from: Data(stored.world.utf8))
    }

    init(id: String, name: String, orgId: String, conversations: Int, record: Record) {
        (self.id, self.name, self.orgId, self.conversations, self.record) = (id, name, orgId, conversations, record)
    }
}
