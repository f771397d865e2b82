import Foundation
import GRDB
import DocumentCodecs
import RecordingsDomain

/// A legal hold as the admin API shows it.
package struct LegalHoldDTO: Encodable, Sendable {
    package struct Filter: Encodable, Sendable {
        package var mediaTypes: [String]
        package var interval: String?

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(mediaTypes, forKey: .mediaTypes)
            try c.encode(interval, forKey: .interval)
        }

        enum CodingKeys: String, CodingKey { case mediaTypes, interval }
    }

    package var orgId: String
    package var caseId: String
    package var name: String
    package var description: String
    package var status: String
    package var createdDate: String
    package var releasedDate: String?
    package var conversationIds: [String]
    package var filter: Filter?
    package var selfUri: String

    init(row: Row) {
        orgId = row["org_id"]
        caseId = row["case_id"]
        name = row["name"]
        description = row["description"]
        status = row["status"]
        createdDate = Timestamp.format(millis: row["created_date"])
        releasedDate = (row["released_date"] as Int64?).map { Timestamp.format(millis: $0) }
        let ids: String = row["conversation_ids"]
        conversationIds = (try? JSONDecoder().decode([String].self, from: Data(ids.utf8))) ?? []
        filter = (row["filter"] as String?).flatMap { try? JSONDecoder().decode(HoldFilter.self, from: Data($0.utf8)) }
            .map { Filter(mediaTypes: $0.mediaTypes ?? [], interval: $0.interval) }
        selfUri = "/__admin/legal-holds/\(caseId)"
    }

    enum CodingKeys: String, CodingKey {
        case orgId, caseId, name, description, status, createdDate, releasedDate, conversationIds, filter, selfUri
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(orgId, forKey: .orgId)
        try c.encode(caseId, forKey: .caseId)
        try c.encode(name, forKey: .name)
        try c.encode(description, forKey: .description)
        try c.encode(status, forKey: .status)
        try c.encode(createdDate, forKey: .createdDate)
        try c.encode(releasedDate, forKey: .releasedDate)
        try c.encode(conversationIds, forKey: .conversationIds)
        try c.encode(filter, forKey: .filter)
        try c.encode(selfUri, forKey: .selfUri)
    }
}

extension AppDatabase {
    /// The org an admin call is about: the one named (400 if unknown) or the first seeded org.
    package func orgId(_ requested: String?) async throws -> String {
        guard let found = try await org(named: requested) else { throw HoldRules.unknownOrg(requested) }
        return found
    }

    package func holds(orgId: String, status: LegalHoldStatus?) async throws -> [LegalHoldDTO] {
        try StoreKeys.check(orgId)
        return try await read { db in
            var sql = "SELECT * FROM legal_hold WHERE org_id = ?"
            var args: StatementArguments = [orgId]
            if let status { sql += " AND status = ?"; args += [status.rawValue] }
            return try Row.fetchAll(db, sql: sql + " ORDER BY created_date, case_id", arguments: args).map(LegalHoldDTO.init(row:))
        }
    }

    package func hold(orgId: String, caseId: String) async throws -> LegalHoldDTO? {
        try StoreKeys.check(orgId, caseId)
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM legal_hold WHERE org_id = ? AND case_id = ?", arguments: [orgId, caseId])
                .map(LegalHoldDTO.init(row:))
        }
    }

    package func createHold(_ h: HoldDraft, orgId: String, now: Int64) async throws -> LegalHoldDTO {
        try await write { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM legal_hold WHERE org_id = ? AND case_id = ?", arguments: [orgId, h.caseId]) != nil {
                throw HoldRules.caseIdTaken(h.caseId)
            }
            try db.execute(sql: """
                INSERT INTO legal_hold (org_id, case_id, name, description, status, created_date, released_date, conversation_ids, filter)
                VALUES (?, ?, ?, ?, 'ACTIVE', ?, NULL, ?, ?)
                """, arguments: [orgId, h.caseId, h.name, h.description, now, try CanonicalJSON.string(h.conversationIds),
                                 try h.filter.map(CanonicalJSON.string)])
            try AuditLog.append(db, time: now, event: "hold.created", orgId: orgId, caseId: h.caseId,
                                fields: ["name": .string(h.name)])
            let row = try Row.fetchOne(db, sql: "SELECT * FROM legal_hold WHERE org_id = ? AND case_id = ?", arguments: [orgId, h.caseId])!
            return LegalHoldDTO(row: row)
        }
    }

    package func releaseHold(orgId: String, caseId: String, now: Int64) async throws -> LegalHoldDTO {
        try StoreKeys.check(orgId, caseId)
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM legal_hold WHERE org_id = ? AND case_id = ?", arguments: [orgId, caseId]) else {
                throw HoldRules.noHold(caseId, orgId: orgId)
            }
            try HoldRules.release(caseId: caseId, status: LegalHoldStatus(rawValue: row["status"]) ?? .released)
            try db.execute(sql: "UPDATE legal_hold SET status = 'RELEASED', released_date = ? WHERE org_id = ? AND case_id = ?",
                           arguments: [now, orgId, caseId])
            try AuditLog.append(db, time: now, event: "hold.released", orgId: orgId, caseId: caseId)
            let updated = try Row.fetchOne(db, sql: "SELECT * FROM legal_hold WHERE org_id = ? AND case_id = ?", arguments: [orgId, caseId])!
            return LegalHoldDTO(row: updated)
        }
    }
}

/// A new legal hold, checked by its route.
package struct HoldDraft: Sendable {
    package var caseId: String
    package var name: String
    package var description: String
    package var conversationIds: [String]
    package var filter: HoldFilter?

    package init(caseId: String, name: String, description: String, conversationIds: [String], filter: HoldFilter?) {
        self.caseId = caseId
        self.name = name
        self.description = description
        self.conversationIds = conversationIds
        self.filter = filter
    }
}
