import DocumentCodecs
import GRDB
import RecordingsDomain

/// Retention and archive on the mock clock (CONTRACT §15): the dates `PUT /api/v2/conversations/{cid}/recordings/{rid}`
/// sets, the sweep that archives and deletes when the clock has passed them (never a recording under deletion
/// protection or an active legal hold: each such skip is audited and its delete date cleared), restores, and the
/// retention query.
extension AppDatabase {
    static let retentionColumns = "c.archive_date, c.delete_date, c.export_date, c.archived_date, c.restore_ready, c.restore_until"

    static func retention(from row: Row) -> RecordingRetention {
        RecordingRetention(archiveDate: row["archive_date"], deleteDate: row["delete_date"], exportDate: row["export_date"],
                           archivedAt: row["archived_date"], restoreReady: row["restore_ready"], restoreUntil: row["restore_until"])
    }

    package struct RetentionSweep: Sendable, Equatable {
        package var archived = 0
        package var deleted = 0
        package var skipped = 0
    }

    /// Archives and deletes what the clock has reached; until the earliest date due, nothing is read.
    @discardableResult
    package func applyRetention(now: Int64) async throws -> RetentionSweep {
        try await applyRetention(latest: now) { _ in now }
    }

    /// The sweep when orgs read different clocks (tenants, CONTRACT §16): `clock` is each org's time, `latest` the
    /// latest of them. A date counts as reached by its own org's clock only.
    @discardableResult
    package func applyRetention(latest: @autoclosure () -> Int64, clock: @escaping @Sendable (String) -> Int64) async throws -> RetentionSweep {
        let (due, generation) = caches.retentionDue.current()
        guard due != .max else { return RetentionSweep() }  // nothing dated: no clock is read
        let latest = latest()
        guard latest >= due else { return RetentionSweep() }
        let sweep = try await sweepRetention(latest: latest, clock: clock)
        let next = try await read { db in
            try Int64.fetchOne(db, sql: """
                SELECT MIN(d) FROM (
                    SELECT MIN(archive_date) AS d FROM conversation WHERE archive_date IS NOT NULL AND archived_date IS NULL AND deleted = 0
                    UNION ALL SELECT MIN(delete_date) FROM conversation WHERE delete_date IS NOT NULL AND deleted = 0)
                """) ?? .max
        }
        caches.retentionDue.settle(next, generation: generation)
        return sweep
    }

    func sweepRetention(latest now: Int64, clock: @escaping @Sendable (String) -> Int64) async throws -> RetentionSweep {
        let due = try await read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM conversation WHERE archive_date <= ? AND archived_date IS NULL AND deleted = 0)
                    OR EXISTS (SELECT 1 FROM conversation WHERE delete_date <= ? AND deleted = 0)
                """, arguments: [now, now]) ?? false
        }
        guard due else { return RetentionSweep() }
        return try await write { db in
            var sweep = RetentionSweep()
            let archiving = try Row.fetchAll(db, sql: """
                SELECT id, org_id, recording_id, archive_date FROM conversation
                WHERE archive_date <= ? AND archived_date IS NULL AND deleted = 0 ORDER BY archive_date, id
                """, arguments: [now])
            for row in archiving where (row["archive_date"] as Int64) <= clock(row["org_id"]) {
                let now = clock(row["org_id"])
                try db.execute(sql: "UPDATE conversation SET archived_date = ? WHERE id = ?", arguments: [row["archive_date"] as Int64, row["id"] as String])
                try AuditLog.append(db, time: now, event: "recording.archived", orgId: row["org_id"],
                                    fields: ["conversationId": .string(row["id"]), "recordingId": .string(row["recording_id"]),
                                             "cause": .string("archiveDate")])
                sweep.archived += 1
            }
            let deleting = try Row.fetchAll(db, sql: """
                SELECT id, org_id, recording_id, messenger_type, start_time, delete_date FROM conversation
                WHERE delete_date <= ? AND deleted = 0 ORDER BY delete_date, id
                """, arguments: [now])
            var holds: [String: [ActiveHold]] = [:]
            for row in deleting where (row["delete_date"] as Int64) <= clock(row["org_id"]) {
                let (cid, orgId): (String, String) = (row["id"], row["org_id"])
                let now = clock(orgId)
                if holds[orgId] == nil { holds[orgId] = try Self.activeHolds(db, orgId: orgId) }
                let fields: [String: JSONValue] = ["conversationId": .string(cid), "recordingId": .string(row["recording_id"]), "cause": .string("deleteDate")]
                if try Self.isProtected(db, orgId: orgId, conversationId: cid, messengerType: row["messenger_type"], start: row["start_time"],
                                        holds: holds[orgId] ?? []) {
                    try db.execute(sql: "UPDATE conversation SET delete_date = NULL WHERE id = ?", arguments: [cid])
                    try AuditLog.append(db, time: now, event: "recording.delete.skipped", orgId: orgId,
                                        fields: fields.merging(["reason": .string("deletion protection or an active legal hold")]) { a, _ in a })
                    sweep.skipped += 1
                } else {
                    try db.execute(sql: "UPDATE conversation SET deleted = 1 WHERE id = ?", arguments: [cid])
                    try AuditLog.append(db, time: now, event: "recording.deleted", orgId: orgId, fields: fields)
                    sweep.deleted += 1
                }
            }
            return sweep
        }
    }

    package enum RetentionChange: Sendable, Equatable { case dates, restore }

    /// Applies a retention update to a recording of the org; nil when there is no such recording.
    package func updateRetention(orgId: String, conversationId: String, recordingId: String, update: RetentionUpdate,
                                 now: Int64, restoreDelay: Int64, clientId: String) async throws -> Result<RetentionChange, ValidationFailure>? {
        try StoreKeys.check(orgId, conversationId, recordingId, clientId)
        // Lowered once the new dates are committed, so that a sweep worked out meanwhile is not kept (`RetentionDue`).
        defer { caches.retentionDue.lower(to: .min) }
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT c.recording_id, \(Self.retentionColumns) FROM conversation c WHERE c.id = ? AND c.org_id = ? AND c.deleted = 0
                """, arguments: [conversationId, orgId]), row["recording_id"] as String == recordingId else { return nil }
            let current = Self.retention(from: row)
            switch update.applied(to: current, now: now, restoreDelay: restoreDelay) {
            case .failure(let f):
                return .failure(f)
            case .success(let (next, restoring)):
                try db.execute(sql: """
                    UPDATE conversation SET archive_date = ?, delete_date = ?, export_date = ?, restore_ready = ?, restore_until = ? WHERE id = ?
                    """, arguments: [next.archiveDate, next.deleteDate, next.exportDate, next.restoreReady, next.restoreUntil, conversationId])
                func date(_ d: Int64?) -> JSONValue { d.map { .string(Timestamp.format(millis: $0)) } ?? .null }
                try AuditLog.append(db, time: now, event: restoring ? "recording.restore.requested" : "recording.retention.changed", orgId: orgId,
                                    fields: ["conversationId": .string(conversationId), "recordingId": .string(recordingId),
                                             "clientId": .string(clientId), "archiveDate": date(next.archiveDate),
                                             "deleteDate": date(next.deleteDate), "exportDate": date(next.exportDate)])
                return .success(restoring ? .restore : .dates)
            }
        }
    }

    package struct RetentionEntry: Sendable {
        package var conversationId: String
        package var recordingId: String
        package var retention: RecordingRetention
        package var exportedDate: Int64?
        package var creationTime: String
    }

    /// The org's recordings retained for longer than `thresholdMillis` from their conversation's start (those with no
    /// delete date are retained indefinitely), by conversation id, after `afterId`.
    package func retentionEntries(orgId: String, thresholdMillis: Int64, afterId: String?, limit: Int) async throws -> [RetentionEntry] {
        try StoreKeys.check(orgId, afterId)
        return try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.id, c.recording_id, c.document, \(Self.retentionColumns), \(Self.exportedDate) AS exported_date FROM conversation c
                WHERE c.org_id = ? AND c.deleted = 0 AND c.id > ? AND (c.delete_date IS NULL OR c.delete_date - c.start_time > ?)
                ORDER BY c.id LIMIT ?
                """, arguments: [orgId, afterId ?? "", thresholdMillis, limit]).map { row in
                let id: String = row["id"]
                guard let c = Conversation.stored(row["document"] as String) else { throw UnreadableDocument(kind: "conversation", id: id) }
                return RetentionEntry(conversationId: id, recordingId: row["recording_id"], retention: Self.retention(from: row),
                                      exportedDate: row["exported_date"], creationTime: c.endDate.map(Timestamp.format) ?? c.endTime)
            }
        }
    }
}
