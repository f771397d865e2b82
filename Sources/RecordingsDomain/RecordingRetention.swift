import Foundation

/// A recording's retention on the mock clock (CONTRACT §15): the archive, delete and export dates set on it, whether
/// it was archived, and a restore in progress or in force. All times are milliseconds since the epoch.
public struct RecordingRetention: Sendable, Equatable {
    public var archiveDate: Int64?
    public var deleteDate: Int64?
    public var exportDate: Int64?
    /// When it was archived (by its archive date or an ARCHIVE job); nil while it is not.
    public var archivedAt: Int64?
    /// A restore of an archived recording: readable from `restoreReady` until `restoreUntil`, then archived again.
    public var restoreReady: Int64?
    public var restoreUntil: Int64?

    public init(archiveDate: Int64? = nil, deleteDate: Int64? = nil, exportDate: Int64? = nil, archivedAt: Int64? = nil,
                restoreReady: Int64? = nil, restoreUntil: Int64? = nil) {
        (self.archiveDate, self.deleteDate, self.exportDate) = (archiveDate, deleteDate, exportDate)
        (self.archivedAt, self.restoreReady, self.restoreUntil) = (archivedAt, restoreReady, restoreUntil)
    }

    /// `fileState` as the platform names it.
    public func fileState(now: Int64) -> String {
        guard archivedAt != nil else { return "AVAILABLE" }
        if let ready = restoreReady, let until = restoreUntil, now < until { return now < ready ? "RESTORING" : "RESTORED" }
        return "ARCHIVED"
    }

    /// Whether its media may be read (downloaded, exported): not archived, or restored.
    public func readable(now: Int64) -> Bool {
        let state = fileState(now: now)
        return state == "AVAILABLE" || state == "RESTORED"
    }
}

/// What a `PUT /api/v2/conversations/{cid}/recordings/{rid}` asks of a recording's retention. The body is a whole
/// `Recording` (the SDK's users GET one, change a date and PUT it back): only the retention members are read.
public struct RetentionUpdate: Sendable, Equatable {
    public enum DateChange: Sendable, Equatable { case keep, clear, set(Int64) }

    public var archiveDate: DateChange = .keep
    public var deleteDate: DateChange = .keep
    public var exportDate: DateChange = .keep
    /// `fileState: RESTORING` (with `restoreExpirationTime` or a new `archiveDate`): restore an archived recording.
    public var restore = false
    public var restoreExpiration: Int64?

    public init(archiveDate: DateChange = .keep, deleteDate: DateChange = .keep, exportDate: DateChange = .keep, restore: Bool = false,
                restoreExpiration: Int64? = nil) {
        (self.archiveDate, self.deleteDate, self.exportDate) = (archiveDate, deleteDate, exportDate)
        (self.restore, self.restoreExpiration) = (restore, restoreExpiration)
    }

    public static let fileStates = ["ARCHIVED", "AVAILABLE", "DELETED", "RESTORED", "RESTORING", "UPLOADING", "ERROR"]

    public static func parse(_ json: JSONValue) -> Result<RetentionUpdate, ValidationFailure> {
        guard case .object(let o) = json else {
            return .failure(ValidationFailure(violations: [
                Violation(ExportErrorCode.badRequest, "body", "The request body must be a Recording object, not \(json.kindName)"),
            ]))
        }
        var v: [Violation] = []
        var u = RetentionUpdate()
        func date(_ key: String) -> DateChange {
            switch o[key] {
            case nil: return .keep
            case .null?: return .clear
            case let raw?:
                if let s = raw.stringValue, let d = Timestamp.parse(s) { return .set(Timestamp.millis(d)) }
                v.append(Violation(ExportErrorCode.invalidDate, key, "\(key) must be an ISO-8601 date-time (e.g. 2030-01-01T00:00:00.000Z) or null"))
                return .keep
            }
        }
        u.archiveDate = date("archiveDate")
        u.deleteDate = date("deleteDate")
        u.exportDate = date("exportDate")
        if case .set(let d) = date("restoreExpirationTime") { u.restoreExpiration = d }
        if let raw = o["fileState"], raw != .null {
            if let s = raw.stringValue, fileStates.contains(s) { u.restore = s == "RESTORING" } else {
                v.append(Violation(ExportErrorCode.invalidValue, "fileState", "fileState must be one of \(fileStates.joined(separator: ", "))"))
            }
        }
        return v.isEmpty ? .success(u) : .failure(ValidationFailure(violations: v))
    }

    /// The retention after this update at `now`, or why it is refused. A change of the archive date of an archived
    /// recording (or `fileState: RESTORING`) restores it until the new date, ready after `restoreDelay`.
    public func applied(to r: RecordingRetention, now: Int64, restoreDelay: Int64) -> Result<(RecordingRetention, restoring: Bool), ValidationFailure> {
        var out = r
        var v: [Violation] = []
        func resolve(_ change: DateChange, _ current: Int64?) -> Int64? {
            switch change { case .keep: current; case .clear: nil; case .set(let d): d }
        }
        let newArchive = resolve(archiveDate, r.archiveDate)
        let restoring = r.archivedAt != nil && (restore || (archiveDate != .keep && newArchive != r.archiveDate))
        if restore && r.archivedAt == nil {
            v.append(Violation(ExportErrorCode.badRequest, "fileState", "Only an archived recording can be restored; this one is \(r.fileState(now: now))"))
        }
        if restoring {
            guard let until = restoreExpiration ?? newArchive, until > now else {
                v.append(Violation(ExportErrorCode.badRequest, "archiveDate",
                                   "A restore needs an archiveDate (or restoreExpirationTime) in the future: the recording stays restored until then"))
                return .failure(ValidationFailure(violations: v))
            }
            out.restoreReady = now + restoreDelay
            out.restoreUntil = until
            out.archiveDate = until
        } else {
            out.archiveDate = newArchive
        }
        out.deleteDate = resolve(deleteDate, r.deleteDate)
        out.exportDate = resolve(exportDate, r.exportDate)
        guard v.isEmpty else { return .failure(ValidationFailure(violations: v)) }
        return .success((out, restoring))
    }

    /// Whether the update changes a retention date (which needs `recording:recording:editRetention`).
    public var changesDates: Bool { archiveDate != .keep || deleteDate != .keep || exportDate != .keep }
}
