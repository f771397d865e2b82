import Foundation
import MockStore
import RecordingsDomain

/// Tags and Object Lock retention on the object's record. Neither touches the object's bytes, so both may change
/// while the object is on legal hold; every change is written to the audit log, in the same transaction.
extension S3Store {
    /// What a write gives its object besides bytes and metadata (tags, a retention), and whether it may replace an
    /// object under GOVERNANCE retention (`x-amz-bypass-governance-retention: true`).
    struct ObjectLock: Sendable {
        var tags: [S3Tag] = []
        var retention: S3Retention?
        var bypassGovernance = false
    }

    /// `AccessDenied` for an object under Object Lock retention.
    static func retainedMessage(_ verb: String) -> String {
        "Access Denied: the object is protected by Object Lock retention and cannot be \(verb)"
    }

    /// Replaces the object's tags (an empty set removes them): `object.tagging` in the audit log.
    func setTags(_ bucket: String, _ key: String, _ tags: [S3Tag], accessKey: String) async throws {
        _ = try await head(bucket, key)
        let now = await self.now(bucket: bucket)
        let found = try await db.setTags(bucket, key, tags, now: now) { r in
            Self.lockFields(r, accessKey: accessKey).merging([
                "tags": .object(Dictionary(tags.map { ($0.key, JSONValue.string($0.value)) }) { a, _ in a }),
            ]) { _, b in b }
        }
        if !found { throw S3Error.noSuchKey(bucket, key) }
    }

    /// Sets or removes (nil) the object's retention under S3's rules (`S3Retention.changeProblem`), judged on the
    /// mock clock: `object.retention` in the audit log.
    func setRetention(_ bucket: String, _ key: String, _ retention: S3Retention?, bypassGovernance: Bool, accessKey: String) async throws {
        try await requireObjectLock(bucket, key: key)
        _ = try await head(bucket, key)
        let now = await self.now(bucket: bucket)
        let outcome = try await db.setRetention(bucket, key, retention, bypassGovernance: bypassGovernance, now: now) { r in
            var fields = Self.lockFields(r, accessKey: accessKey)
            fields["mode"] = retention.map { .string($0.mode.rawValue) } ?? .null
            fields["retainUntilDate"] = retention.map { .string(Timestamp.format(millis: $0.retainUntil)) } ?? .null
            if let old = r.retention {
                fields["previous"] = .string("\(old.mode.rawValue) until \(Timestamp.format(millis: old.retainUntil))")
            }
            if bypassGovernance { fields["bypassGovernanceRetention"] = .bool(true) }
            return fields
        }
        let problem: S3BodyError
        switch outcome {
        case .changed: return
        case .missing: throw S3Error.noSuchKey(bucket, key)
        case .refused(let p): problem = p
        }
        switch problem.code {
        case "NoSuchKey": throw S3Error.noSuchKey(bucket, key)
        case "AccessDenied": throw S3Error.accessDenied(problem.message, bucket: bucket, key: key)
        default: throw S3Error(.badRequest, problem.code, problem.message, bucket: bucket, key: key)
        }
    }

    static func lockFields(_ r: ObjectRecord, accessKey: String) -> [String: JSONValue] {
        ["bucket": .string(r.bucket), "key": .string(r.key), "sha256": .string(r.sha256), "legalHold": .bool(r.legalHold),
         "accessKeyId": .string(accessKey)]
    }
}
