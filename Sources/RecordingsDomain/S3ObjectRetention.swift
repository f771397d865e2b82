import Foundation

/// An object's Object Lock retention: a mode and the instant (ms since the epoch) until which the object may be
/// neither deleted nor overwritten. Judged against the mock's clock, never the wall clock.
public struct S3Retention: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable {
        case governance = "GOVERNANCE"
        case compliance = "COMPLIANCE"
    }

    public var mode: Mode
    public var retainUntil: Int64

    public init(mode: Mode, retainUntil: Int64) {
        self.mode = mode
        self.retainUntil = retainUntil
    }

    /// In force at `now`: the retain-until instant is still ahead.
    public func isActive(now: Int64) -> Bool { retainUntil > now }

    /// Whether it refuses a delete or an overwrite at `now`: GOVERNANCE gives way to
    /// `x-amz-bypass-governance-retention: true`, COMPLIANCE to nothing.
    public func refuses(now: Int64, bypassGovernance: Bool) -> Bool {
        isActive(now: now) && !(mode == .governance && bypassGovernance)
    }

    /// Why `old` may not become `new` (nil: removed) at `now`, or nil when it may: a new date must be ahead of
    /// `now` (`InvalidArgument`); while `old` is in force, COMPLIANCE may only be kept or extended and GOVERNANCE
    /// shortened or removed only with the bypass (`AccessDenied`).
    public static func changeProblem(from old: S3Retention?, to new: S3Retention?, now: Int64, bypassGovernance: Bool) -> S3BodyError? {
        if let new, !new.isActive(now: now) { return S3BodyError("InvalidArgument", "The retain until date must be in the future!") }
        guard let old, old.isActive(now: now) else { return nil }
        let weakened = new == nil || new!.retainUntil < old.retainUntil
        switch old.mode {
        case .compliance:
            if weakened || new?.mode != .compliance {
                return S3BodyError("AccessDenied", "Access Denied: a COMPLIANCE retention can be extended but never shortened, removed or relaxed")
            }
        case .governance:
            if weakened, !bypassGovernance {
                return S3BodyError("AccessDenied", "Access Denied: shortening or removing a GOVERNANCE retention needs "
                    + "x-amz-bypass-governance-retention: true")
            }
        }
        return nil
    }

    /// The PutObjectRetention body: `<Retention><Mode>GOVERNANCE|COMPLIANCE</Mode><RetainUntilDate>ISO date
    /// </RetainUntilDate></Retention>`; an empty `<Retention/>` asks to remove it (nil).
    public static func parse(_ bytes: Data) -> Result<S3Retention?, S3BodyError> {
        Result { () throws(S3BodyError) -> S3Retention? in
            let root = try S3XMLTree.parse(bytes).get()
            guard root.name == "Retention" else { throw .malformedXML("the root element must be <Retention>, not <\(root.name)>") }
            try S3ObjectTags.leafless(root)
            if let other = root.children.first(where: { $0.name != "Mode" && $0.name != "RetainUntilDate" }) {
                throw .malformedXML("<Retention> holds <Mode> and <RetainUntilDate>, not <\(other.name)>")
            }
            let mode = try root.single("Mode"), until = try root.single("RetainUntilDate")
            switch (mode, until) {
            case (nil, nil): return nil
            case (let mode?, let until?):
                guard mode.children.isEmpty, until.children.isEmpty else { throw .malformedXML("<Mode> and <RetainUntilDate> hold text only") }
                return try make(mode: mode.text, until: until.text, malformed: S3BodyError.malformedXML).get()
            default: throw .malformedXML("<Mode> and <RetainUntilDate> go together")
            }
        }
    }

    /// `x-amz-object-lock-mode` and `x-amz-object-lock-retain-until-date` of PutObject, CopyObject and
    /// CreateMultipartUpload: both or neither.
    public static func fromHeaders(mode: String?, until: String?) -> Result<S3Retention?, S3BodyError> {
        switch (mode, until) {
        case (nil, nil): return .success(nil)
        case (let mode?, let until?): return make(mode: mode, until: until) { S3BodyError("InvalidArgument", $0) }.map { $0 }
        default:
            return .failure(S3BodyError("InvalidArgument", "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied"))
        }
    }

    static func make(mode: String, until: String, malformed: (String) -> S3BodyError) -> Result<S3Retention, S3BodyError> {
        let trimmed = mode.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let m = Mode(rawValue: trimmed) else { return .failure(malformed("the retention mode must be GOVERNANCE or COMPLIANCE")) }
        guard let date = Timestamp.parse(until.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            return .failure(malformed("the retain-until date must be an ISO 8601 date and time"))
        }
        return .success(S3Retention(mode: m, retainUntil: Timestamp.millis(date)))
    }
}

/// The AccessControlPolicy body of PutObjectAcl and PutBucketAcl. The mock keeps one ACL, the owner's FULL_CONTROL,
/// so the only question a body answers is whether it asks for exactly that.
public enum S3AccessControl {
    /// True when every grant is FULL_CONTROL to the canonical user `ownerId` (and there is at least one); false for
    /// any other grant; `MalformedACLError` when the body is no AccessControlPolicy.
    public static func grantsOnlyOwner(_ bytes: Data, ownerId: String) -> Result<Bool, S3BodyError> {
        let malformed = S3BodyError("MalformedACLError", "The XML you provided was not well-formed or did not validate against our published schema")
        guard case .success(let root) = S3XMLTree.parse(bytes), root.name == "AccessControlPolicy",
              let list = root.all("AccessControlList").first, root.all("AccessControlList").count == 1 else {
            return .failure(malformed)
        }
        let grants = list.children
        guard !grants.isEmpty, grants.allSatisfy({ $0.name == "Grant" }) else { return .failure(malformed) }
        for grant in grants {
            guard let grantee = grant.all("Grantee").first, let permission = grant.all("Permission").first else { return .failure(malformed) }
            let type = grantee.attribute("type") ?? "CanonicalUser"
            let id = grantee.all("ID").first?.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if type != "CanonicalUser" || id != ownerId || permission.text.trimmingCharacters(in: .whitespacesAndNewlines) != "FULL_CONTROL" {
                return .success(false)
            }
        }
        return .success(true)
    }
}
