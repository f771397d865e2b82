import Foundation
import GRDB
import RecordingsDomain

/// Deletion protection (`/api/v2/recordings/deletionprotection`) and legal-hold coverage: what a DELETE job skips.
extension AppDatabase {
    struct ActiveHold: Sendable {
        var conversationIds: [String]
        var filter: HoldFilter?
    }

    static func activeHolds(_ db: Database, orgId: String) throws -> [ActiveHold] {
        try Row.fetchAll(db, sql: "SELECT conversation_ids, filter FROM legal_hold WHERE org_id = ? AND status = 'ACTIVE'",
                         arguments: [orgId]).map { row in
            let ids: String = row["conversation_ids"]
            return ActiveHold(conversationIds: (try? JSONDecoder().decode([String].self, from: Data(ids.utf8))) ?? [],
                              filter: (row["filter"] as String?).flatMap { try? JSONDecoder().decode(HoldFilter.self, from: Data($0.utf8)) })
        }
    }

    /// Whether a conversation may not be deleted: explicitly protected, or covered by an active legal hold.
    static func isProtected(_ db: Database, orgId: String, conversationId: String, messengerType: String, start: Int64,
                            holds: [ActiveHold]) throws -> Bool {
        if try Row.fetchOne(db, sql: "SELECT 1 FROM deletion_protection WHERE org_id = ? AND conversation_id = ?",
                            arguments: [orgId, conversationId]) != nil { return true }
        return holds.contains {
            HoldCoverage.covers(conversationIds: $0.conversationIds, filterMediaTypes: $0.filter?.mediaTypes,
                                filterInterval: $0.filter?.interval, conversationId: conversationId,
                                messengerType: messengerType, start: Timestamp.date(millis: start))
        }
    }

    /// Applies or revokes protection; returns the ids that are not conversations of the org.
    package func setDeletionProtection(orgId: String, conversationIds: [String], protect: Bool, now: Int64) async throws -> [String] {
        try StoreKeys.check(conversationIds + [orgId])
        return try await write { db in
            var unknown: [String] = []
            for id in conversationIds {
                guard try Row.fetchOne(db, sql: "SELECT 1 FROM conversation WHERE id = ? AND org_id = ? AND deleted = 0",
                                       arguments: [id, orgId]) != nil else { unknown.append(id); continue }
                if protect {
                    try db.execute(sql: "INSERT OR IGNORE INTO deletion_protection (org_id, conversation_id, created) VALUES (?, ?, ?)",
                                   arguments: [orgId, id, now])
                } else {
                    try db.execute(sql: "DELETE FROM deletion_protection WHERE org_id = ? AND conversation_id = ?", arguments: [orgId, id])
                }
            }
            try AuditLog.append(db, time: now, event: protect ? "protection.applied" : "protection.revoked", orgId: orgId,
                                fields: ["conversationIds": .array(conversationIds.filter { !unknown.contains($0) }.map(JSONValue.string))])
            return unknown
        }
    }

    /// The given conversations whose recordings are protected from deletion.
    package func protectedConversations(orgId: String, conversationIds: [String]) async throws -> [String] {
        try StoreKeys.check(conversationIds + [orgId])
        return try await read { db in
            let holds = try Self.activeHolds(db, orgId: orgId)
            return try conversationIds.filter { id in
                guard let row = try Row.fetchOne(db, sql: "SELECT messenger_type, start_time FROM conversation WHERE id = ? AND org_id = ? AND deleted = 0",
                                                 arguments: [id, orgId]) else { return false }
                return try Self.isProtected(db, orgId: orgId, conversationId: id, messengerType: row["messenger_type"],
                                            start: row["start_time"], holds: holds)
            }
        }
    }
}
