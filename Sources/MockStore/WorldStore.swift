import Foundation
import GRDB
import DocumentCodecs
import RecordingsDomain

/// Read access to the seeded world: conversations, buckets, holds.
extension AppDatabase {
    package struct StoredConversation: Sendable {
        package var conversation: Conversation
        package var exportedDate: Int64?
        package var retention: RecordingRetention
    }

    /// SQL for a conversation `c`'s export date: the last time an export wrote its recording (the job item's stamp),
    /// or, for exports made before version 5 of the schema, the date they left on the conversation.
    static let exportedDate = """
        COALESCE((SELECT MAX(i.written_at) FROM job_item i WHERE i.conversation_id = c.id), c.exported_date)
        """

    static func conversation(from row: Row, id: String) throws -> StoredConversation {
        let doc: String = row["document"]
        guard let c = Conversation.stored(doc) else { throw UnreadableDocument(kind: "conversation", id: id) }
        return StoredConversation(conversation: c, exportedDate: row["exported_date"], retention: retention(from: row))
    }

    package func conversation(id: String, orgId: String) async throws -> StoredConversation? {
        try StoreKeys.check(id, orgId)
        return try await read { db in
            try Row.fetchOne(db, sql: """
                SELECT c.document, \(Self.exportedDate) AS exported_date, \(Self.retentionColumns) FROM conversation c
                WHERE c.id = ? AND c.org_id = ? AND c.deleted = 0
                """, arguments: [id, orgId]).map { try Self.conversation(from: $0, id: id) }
        }
    }

    package struct BucketInfo: Sendable, Equatable {
        package var name: String
        package var region: String
        package var objectLockEnabled: Bool
        package var denyPut: Bool
        /// Where the bucket lives when it is not in the local sink: its settings as stored (`RemoteBucket`).
        package var remoteJSON: String? = nil
        /// The tenant org that owns the bucket; nil for the fixtures' shared world.
        package var orgId: String? = nil
    }

    static func bucket(_ db: Database, name: String) throws -> BucketInfo? {
        try StoreKeys.check(name)
        return try Row.fetchOne(db, sql: "SELECT name, region, object_lock_enabled, deny_put, remote, org_id FROM bucket WHERE name = ?",
                         arguments: [name]).map {
            BucketInfo(name: $0["name"], region: $0["region"], objectLockEnabled: $0["object_lock_enabled"], denyPut: $0["deny_put"],
                       remoteJSON: $0["remote"], orgId: $0["org_id"])
        }
    }

    package func holdStatus(orgId: String, caseId: String) async throws -> LegalHoldStatus? {
        try StoreKeys.check(orgId, caseId)
        return try await read { db in try Self.holdStatus(db, orgId: orgId, caseId: caseId) }
    }

    /// The status of an org's legal hold, or nil (the server's and the offline `validate`'s one query).
    static func holdStatus(_ db: Database, orgId: String, caseId: String) throws -> LegalHoldStatus? {
        try String.fetchOne(db, sql: "SELECT status FROM legal_hold WHERE org_id = ? AND case_id = ?",
                            arguments: [orgId, caseId]).flatMap(LegalHoldStatus.init(rawValue:))
    }

    package func fixturesHash() async throws -> String {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'fixtures_hash'") ?? ""
        }
    }
}
