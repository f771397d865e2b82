import Foundation
import Hummingbird
import MockStore
import RecordingsDomain

/// The body of `POST /__admin/legal-holds`, checked strictly: unknown keys are refused.
struct NewHold: Sendable {
    var orgId: String?
    var caseId: String
    var name: String
    var description: String
    var conversationIds: [String]
    var filter: HoldFilter?

    static let keys = ["orgId", "caseId", "name", "description", "conversationIds", "filter"]

    static func parse(_ request: Request, limit: Int) async throws -> NewHold {
        let json: JSONValue
        do { json = try await JSONBody.read(request, limit: limit) } catch let e as GenesysError {
            throw AdminError(e.status, e.status == .contentTooLarge ? "too.large" : (e.status == .unsupportedMediaType ? "unsupported.media.type" : "bad.request"), e.message)
        }
        guard case .object(let o) = json else { throw bad("the body must be a JSON object") }
        if let unknown = o.keys.sorted().first(where: { !keys.contains($0) }) {
            let hint = KeyHint.suggestion(for: unknown, among: keys).map { "; did you mean '\($0)'?" } ?? ""
            throw bad("unknown field '\(unknown)'\(hint)")
        }
        guard let caseId = o["caseId"]?.stringValue, NameRules.isCaseId(caseId) else {
            throw bad("caseId is required: 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-'")
        }
        guard let name = o["name"]?.stringValue, !name.allSatisfy(\.isWhitespace), name.unicodeScalars.count <= 200 else {
            throw bad("name is required: a non-blank string of at most 200 characters")
        }
        var description = ""
        if let d = o["description"] {
            guard let s = d.stringValue, s.unicodeScalars.count <= 2000 else { throw bad("description must be a string of at most 2000 characters") }
            description = s
        }
        var orgId: String?
        if let v = o["orgId"] {
            guard let s = v.stringValue else { throw bad("orgId must be a string") }
            orgId = s
        }
        var ids: [String] = []
        if let v = o["conversationIds"] {
            guard case .array(let items) = v, items.count <= 1000,
                  let strings = Optional(items.compactMap(\.stringValue)), strings.count == items.count, !strings.contains("")
            else { throw bad("conversationIds must be an array of at most 1000 non-empty strings") }
            ids = strings
        }
        var filter: HoldFilter?
        if let v = o["filter"] {
            guard case .object(let f) = v, f.keys.allSatisfy(["mediaTypes", "interval"].contains) else {
                throw bad("filter must be an object with mediaTypes and/or interval")
            }
            var parsed = HoldFilter(mediaTypes: nil, interval: nil)
            if let m = f["mediaTypes"] {
                guard case .array(let items) = m, let types = Optional(items.compactMap(\.stringValue)), types.count == items.count,
                      types.allSatisfy(MessengerType.all.contains)
                else { throw bad("filter.mediaTypes must be an array of: \(MessengerType.all.joined(separator: ", "))") }
                parsed.mediaTypes = types
            }
            if let i = f["interval"] {
                guard let s = i.stringValue, let iv = Timestamp.parseInterval(s), iv.start < iv.end else {
                    throw bad("filter.interval must be an ISO-8601 interval 'start/end' with start before end")
                }
                parsed.interval = s
            }
            filter = parsed
        }
        return NewHold(orgId: orgId, caseId: caseId, name: name, description: description, conversationIds: ids, filter: filter)
    }

    static func bad(_ message: String) -> AdminError { AdminError(.badRequest, "bad.request", message) }
}

extension NewHold {
    /// The hold as the store creates it.
    var draft: HoldDraft {
        HoldDraft(caseId: caseId, name: name, description: description, conversationIds: conversationIds, filter: filter)
    }
}
