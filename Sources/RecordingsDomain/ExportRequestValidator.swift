/// Turns a raw JSON body into a typed `ExportRequest` or every violation (CONTRACT §1).
/// The same function serves the HTTP route and `genesys-mock validate`.
public enum ExportRequestValidator {
    static let topKeys = ["storage", "filter", "legal_hold"]
    static let storageKeys = ["destinationType", "bucketName", "region", "prefix"]
    static let filterKeys = ["mediaTypes", "interval", "conversationIds"]

    public static func validate(_ json: JSONValue) -> Result<ExportRequest, ValidationFailure> {
        guard case .object(let root) = json else {
            return .failure(ValidationFailure(violations: [
                Violation(ExportErrorCode.badRequest, "body", "The request body must be a JSON object, not \(json.kindName)"),
            ]))
        }
        if let hit = json.forbiddenControl() {
            return .failure(ValidationFailure(violations: [
                Violation(ExportErrorCode.invalidValue, hit.field, IdentifierRule.message(field: hit.field, scalar: hit.scalar)),
            ]))
        }
        var v: [Violation] = []
        // legal_hold first: its structure errors take precedence, but every other violation is still listed.
        let hold = LegalHoldRules.check(root["legal_hold"], into: &v)
        v += unknownKeys(root, known: topKeys, path: "")
        let storage = checkStorage(root["storage"], into: &v)
        let filter = checkFilter(root["filter"], into: &v)
        guard v.isEmpty, let storage, let filter else { return .failure(ValidationFailure(violations: v)) }
        return .success(ExportRequest(storage: storage, filter: filter, legalHold: hold))
    }

    static func unknownKeys(_ object: [String: JSONValue], known: [String], path: String,
                            code: String = ExportErrorCode.badRequest) -> [Violation] {
        object.keys.filter { !known.contains($0) }.sorted().map { key in
            let field = path.isEmpty ? key : "\(path).\(key)"
            var message = "Unknown field '\(field)'"
            if let hint = KeyHint.suggestion(for: key, among: known) {
                message += "; did you mean '\(path.isEmpty ? hint : "\(path).\(hint)")'?"
            }
            return Violation(code, field, message)
        }
    }

    static func checkStorage(_ value: JSONValue?, into v: inout [Violation]) -> ExportRequest.Storage? {
        guard let value else {
            v.append(Violation(ExportErrorCode.badRequest, "storage", "storage is required"))
            return nil
        }
        guard case .object(let o) = value else {
            v.append(Violation(ExportErrorCode.badRequest, "storage", "storage must be an object, not \(value.kindName)"))
            return nil
        }
        let before = v.count
        v += unknownKeys(o, known: storageKeys, path: "storage")
        let type = requiredString(o, "destinationType", path: "storage", into: &v)
        if let type, type != "s3" {
            v.append(Violation(ExportErrorCode.invalidValue, "storage.destinationType",
                               "storage.destinationType must be \"s3\", not \"\(type)\""))
        }
        let bucket = requiredString(o, "bucketName", path: "storage", into: &v)
        if let bucket, !NameRules.isBucketName(bucket) {
            v.append(Violation(ExportErrorCode.invalidValue, "storage.bucketName",
                               "storage.bucketName \"\(bucket)\" is not a valid S3 bucket name (3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit, not an IP address)"))
        }
        let region = requiredString(o, "region", path: "storage", into: &v)
        if let region, !NameRules.isRegion(region) {
            v.append(Violation(ExportErrorCode.invalidValue, "storage.region",
                               "storage.region \"\(region)\" is not an AWS region code such as us-east-1 or eu-west-2"))
        }
        var prefix: String?
        if let p = o["prefix"] {
            if case .string(let s) = p {
                if let problem = NameRules.prefixProblem(s) {
                    v.append(Violation(ExportErrorCode.invalidValue, "storage.prefix", "storage.prefix \(problem)"))
                } else {
                    prefix = s.isEmpty ? nil : s
                }
            } else {
                v.append(Violation(ExportErrorCode.badRequest, "storage.prefix", "storage.prefix must be a string, not \(p.kindName)"))
            }
        }
        guard v.count == before, let type, let bucket, let region else { return nil }
        return ExportRequest.Storage(destinationType: type, bucketName: bucket, region: region, prefix: prefix)
    }

    static func checkFilter(_ value: JSONValue?, into v: inout [Violation]) -> ExportRequest.Filter? {
        guard let value else {
            v.append(Violation(ExportErrorCode.badRequest, "filter", "filter is required"))
            return nil
        }
        guard case .object(let o) = value else {
            v.append(Violation(ExportErrorCode.badRequest, "filter", "filter must be an object, not \(value.kindName)"))
            return nil
        }
        let before = v.count
        v += unknownKeys(o, known: filterKeys, path: "filter")
        let mediaTypes = checkMediaTypes(o["mediaTypes"], into: &v)
        var interval: String?
        if let raw = o["interval"] {
            if case .string(let s) = raw {
                if let parsed = Timestamp.parseInterval(s) {
                    if parsed.start < parsed.end {
                        interval = s
                    } else {
                        v.append(Violation(ExportErrorCode.invalidDate, "filter.interval",
                                           "filter.interval must have its start before its end: \"\(s)\""))
                    }
                } else {
                    v.append(Violation(ExportErrorCode.invalidDate, "filter.interval",
                                       "filter.interval must be an ISO-8601 interval 'start/end', e.g. 2023-01-01T00:00:00Z/2023-04-01T00:00:00Z"))
                }
            } else {
                v.append(Violation(ExportErrorCode.invalidDate, "filter.interval", "filter.interval must be a string, not \(raw.kindName)"))
            }
        }
        let ids = checkConversationIds(o["conversationIds"], into: &v)
        guard v.count == before, let mediaTypes else { return nil }
        return ExportRequest.Filter(mediaTypes: mediaTypes, interval: interval, conversationIds: ids)
    }

    static func checkMediaTypes(_ value: JSONValue?, into v: inout [Violation]) -> [String]? {
        guard let value else {
            v.append(Violation(ExportErrorCode.badRequest, "filter.mediaTypes", "filter.mediaTypes is required"))
            return nil
        }
        guard case .array(let items) = value else {
            v.append(Violation(ExportErrorCode.badRequest, "filter.mediaTypes", "filter.mediaTypes must be an array of strings, not \(value.kindName)"))
            return nil
        }
        guard !items.isEmpty else {
            v.append(Violation(ExportErrorCode.badRequest, "filter.mediaTypes", "filter.mediaTypes must not be empty"))
            return nil
        }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            if case .string(let s) = item, MessengerType.all.contains(s) {
                if !out.contains(s) { out.append(s) }
            } else {
                let shown = item.stringValue.map { "\"\($0)\"" } ?? item.kindName
                v.append(Violation(ExportErrorCode.invalidValue, "filter.mediaTypes[\(i)]",
                                   "filter.mediaTypes[\(i)] is \(shown); allowed values: \(MessengerType.all.joined(separator: ", "))"))
            }
        }
        return out
    }

    static func checkConversationIds(_ value: JSONValue?, into v: inout [Violation]) -> [String]? {
        guard let value else { return nil }
        guard case .array(let items) = value else {
            v.append(Violation(ExportErrorCode.badRequest, "filter.conversationIds", "filter.conversationIds must be an array of strings, not \(value.kindName)"))
            return nil
        }
        guard (1...1000).contains(items.count) else {
            v.append(Violation(ExportErrorCode.badRequest, "filter.conversationIds",
                               "filter.conversationIds must hold 1 to 1000 ids, not \(items.count)"))
            return nil
        }
        var ids: [String] = []
        for (i, item) in items.enumerated() {
            if case .string(let s) = item, !s.isEmpty, s.utf8.count <= 128 {
                ids.append(s)
            } else {
                v.append(Violation(ExportErrorCode.badRequest, "filter.conversationIds[\(i)]",
                                   "filter.conversationIds[\(i)] must be a non-empty string of at most 128 bytes"))
            }
        }
        return ids
    }

    static func requiredString(_ o: [String: JSONValue], _ key: String, path: String, into v: inout [Violation]) -> String? {
        let field = "\(path).\(key)"
        guard let value = o[key] else {
            v.append(Violation(ExportErrorCode.badRequest, field, "\(field) is required"))
            return nil
        }
        guard case .string(let s) = value else {
            v.append(Violation(ExportErrorCode.badRequest, field, "\(field) must be a string, not \(value.kindName)"))
            return nil
        }
        return s
    }
}
