import Foundation

/// Export request bodies (CONTRACT §1), as JSON text.
enum ExportBody {
    /// A request; `caseId` puts it under legal hold with reason "Discovery"; `extra` adds or replaces top-level keys
    /// with raw JSON values.
    static func make(bucket: String = "recordings-us", region: String = "us-east-1", prefix: String? = nil,
                     mediaTypes: [String] = ["whatsapp"], interval: String? = nil, conversationIds: [String]? = nil,
                     caseId: String? = nil, extra: [String: String] = [:]) -> String {
        var storage: [String: Any] = ["destinationType": "s3", "bucketName": bucket, "region": region]
        if let prefix { storage["prefix"] = prefix }
        var filter: [String: Any] = ["mediaTypes": mediaTypes]
        if let interval { filter["interval"] = interval }
        if let conversationIds { filter["conversationIds"] = conversationIds }
        var root: [String: Any] = ["storage": storage, "filter": filter]
        if let caseId { root["legal_hold"] = ["enabled": true, "case_id": caseId, "reason": "Discovery"] }
        var text = String(decoding: try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]), as: UTF8.self)
        for (key, raw) in extra.sorted(by: { $0.key < $1.key }) {
            text.removeLast()   // the closing brace
            text += ",\"\(key)\":\(raw)}"
        }
        return text
    }

    /// A held export to legal-discovery-eu (eu-west-2), as the contract's example.
    static func held(caseId: String = Seed.activeCase, prefix: String = "cases/LH-2023-001/",
                     conversationIds: [String]? = nil) -> String {
        make(bucket: "legal-discovery-eu", region: "eu-west-2", prefix: prefix,
             interval: "2023-01-01T00:00:00Z/2023-04-01T00:00:00Z", conversationIds: conversationIds, caseId: caseId)
    }

    /// The exact example of CONTRACT §1.
    static let contractExample = """
    {
      "storage": {"destinationType": "s3", "bucketName": "legal-discovery-eu", "region": "eu-west-2",
                  "prefix": "cases/LH-2023-001/"},
      "filter":  {"mediaTypes": ["whatsapp"],
                  "interval": "2023-01-01T00:00:00Z/2023-04-01T00:00:00Z",
                  "conversationIds": ["..."]},
      "legal_hold": {"enabled": true, "case_id": "LH-2023-001", "reason": "Discovery"}
    }
    """
}

/// The seeded conversations, read from fixtures/conversations/*.json.
struct FixtureConversation: Sendable {
    struct Message: Sendable {
        var id: String
        var participantId: String
        var text: String?
    }

    var id: String
    var orgId: String
    var messengerType: String
    var startTime: String
    var recordingId: String
    var messages: [Message]

    static func all() throws -> [FixtureConversation] {
        let dir = Repo.fixtures + "/conversations"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
            guard let o = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let id = o["id"] as? String, let org = o["orgId"] as? String, let type = o["messengerType"] as? String,
                  let start = o["startTime"] as? String, let rid = o["recordingId"] as? String
            else { throw FixtureReadError(file: name) }
            return FixtureConversation(id: id, orgId: org, messengerType: type, startTime: start, recordingId: rid,
                                       messages: (o["messages"] as? [[String: Any]] ?? []).map {
                                           Message(id: $0["id"] as? String ?? "", participantId: $0["participantId"] as? String ?? "",
                                                   text: $0["text"] as? String)
                                       })
        }
    }

    /// WhatsApp conversations of the first org starting in Q1 2023 (covered by LH-2023-001), in file order.
    static func q1WhatsApp() throws -> [FixtureConversation] {
        try all().filter { $0.orgId == Seed.orgId && $0.messengerType == "whatsapp" && $0.startTime < "2023-04-01" }
    }
}

struct FixtureReadError: Error { var file: String }
