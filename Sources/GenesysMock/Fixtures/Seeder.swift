import Foundation
import MockStore
import DocumentCodecs
import RecordingsDomain

/// The fixtures as the store's seed rows (`WorldSeed`): secrets hashed, dates in mock-clock milliseconds,
/// conversations in their stored form.
enum Seeder {
    static func seedIfNeeded(_ db: AppDatabase, fixtures: FixtureSet, now: Int64) async throws {
        try await db.seedIfChanged(try seed(fixtures), now: now)
    }

    static func seed(_ f: FixtureSet) throws -> WorldSeed {
        var s = WorldSeed(hash: f.hash)
        s.orgs = f.orgs.map { ($0.id, $0.name) }
        s.clients = f.clients.map {
            WorldSeed.Client(clientId: $0.clientId, secretSha256: Digest.sha256Hex(Data($0.clientSecret.utf8)), name: $0.name, orgId: $0.orgId,
                             userId: $0.userId, permissions: $0.permissions, tokenTtlSeconds: $0.tokenTtlSeconds)
        }
        s.holds = f.holds.map {
            WorldSeed.Hold(orgId: $0.orgId, caseId: $0.caseId, name: $0.name, description: $0.description, status: $0.status,
                           created: Timestamp.parse($0.createdDate).map(Timestamp.millis) ?? 0,
                           released: $0.releasedDate.flatMap(Timestamp.parse).map(Timestamp.millis),
                           conversationIds: $0.conversationIds, filter: $0.filter)
        }
        s.buckets = f.buckets.map {
            WorldSeed.Bucket(name: $0.name, region: $0.region, objectLockEnabled: $0.objectLockEnabled, denyPut: $0.policy.denyPutObject,
                             remoteJSON: $0.remote?.storedJSON)
        }
        s.accessKeys = f.accessKeys.map { ($0.accessKeyId, $0.secretAccessKey, $0.name) }
        s.integrations = f.integrations
        s.conversations = f.conversations.map {
            WorldSeed.Conversation(id: $0.id, orgId: $0.orgId, messengerType: $0.messengerType, start: $0.startDate.map(Timestamp.millis) ?? 0,
                                   recordingId: $0.recordingId, document: ConversationJSON.string($0))
        }
        return s
    }
}
