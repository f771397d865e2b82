import GRDB
import RecordingsDomain

/// A read-only look into a data folder's database for the CLI's offline commands (`validate`, `verify`), which
/// run on the main thread of a process that serves nothing: these calls block, and must never be made from async
/// code.
package enum OfflineStore {
    static func open(_ path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        return try DatabaseQueue(path: path, configuration: config)
    }

    /// The status of an org's legal hold (the first seeded org when none is named), or nil.
    package static func holdStatus(databasePath path: String, orgId: String?, caseId: String) throws -> LegalHoldStatus? {
        try StoreKeys.check(orgId, caseId)
        return try open(path).read { db in
            let org = try orgId ?? String.fetchOne(db, sql: "SELECT id FROM org ORDER BY rowid LIMIT 1") ?? ""
            return try AppDatabase.holdStatus(db, orgId: org, caseId: caseId)
        }
    }

    /// Where a job exported to: its bucket (and the bucket's region and remote settings, when registered), its
    /// manifest's key once written, and its state.
    package struct ExportLocation: Sendable {
        package var bucket: String
        package var manifestKey: String?
        package var state: String
        package var region: String?
        package var remoteJSON: String?
    }

    package static func exportLocation(databasePath path: String, jobId: String) throws -> ExportLocation? {
        try StoreKeys.check(jobId)
        return try open(path).read { db in
            try Row.fetchOne(db, sql: """
                SELECT j.bucket, j.manifest_key, j.state, b.region, b.remote FROM job j LEFT JOIN bucket b ON b.name = j.bucket
                WHERE j.id = ?
                """, arguments: [jobId]).map {
                ExportLocation(bucket: $0["bucket"], manifestKey: $0["manifest_key"], state: $0["state"], region: $0["region"], remoteJSON: $0["remote"])
            }
        }
    }
}
