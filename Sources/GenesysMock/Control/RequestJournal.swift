import Foundation
import HTTPTypes
import RecordingsDomain
import Synchronization

/// The bounded request journal (CONTRACT §6): the last N requests, newest first, with secrets redacted and
/// large bodies truncated. Nothing a client sends may put a secret into it.
package final class RequestJournal: Sendable {
    package struct Entry: Sendable, Encodable {
        var id: Int
        /// Milliseconds since the epoch by the mock clock (formatted when read, not on the request path).
        var millis: Int64
        var time: String { Timestamp.format(millis: millis) }
        var method: String
        var path: String
        var query: String?
        /// As received, with the secret parts of `redactedHeaders` already replaced.
        var headers: HTTPFields
        var body: String?
        var status: Int
        /// The OAuth client the request authenticated as (or, on `/oauth/token`, the client it named).
        var client: String?
        /// The answer's body when it was an error (status 400 or more), redacted and truncated like `body`.
        var response: String?

        enum CodingKeys: String, CodingKey { case id, time, method, path, query, headers, body, status, client, response }

        /// Every key is always present; an absent query or body is `null`.
        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(time, forKey: .time)
            try c.encode(method, forKey: .method)
            try c.encode(path, forKey: .path)
            try c.encode(query, forKey: .query)
            var names: [String: String] = [:]
            for field in headers { names[field.name.canonicalName] = field.value }
            try c.encode(names, forKey: .headers)
            try c.encode(body, forKey: .body)
            try c.encode(status, forKey: .status)
            try c.encode(client, forKey: .client)
            try c.encode(response, forKey: .response)
        }
    }

    static let bodyLimit = 4096
    static let redactedHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-admin-token",
                                               "x-amz-security-token"]
    static let redactedFieldNames = Set(redactedHeaders.map { HTTPField.Name($0)! })
    static let secretFields = ["client_secret", "clientsecret", "secretaccesskey", "password", "access_token", "token", "secret"]

    let capacity: Int
    /// A ring of the last `capacity` entries: recording one is O(1) whatever the journal's size.
    private struct Ring {
        var next = 1
        var slots: [Entry] = []
        /// Where the oldest entry is once the ring is full.
        var head = 0

        mutating func append(_ entry: Entry, capacity: Int) {
            if slots.count < capacity {
                slots.append(entry)
            } else {
                slots[head] = entry
                head = (head + 1) % capacity
            }
        }

        /// Newest first.
        var newestFirst: [Entry] { Array((slots[head...] + slots[..<head]).reversed()) }
    }

    private let state = Mutex(Ring())

    package init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Redacts as it records (cheaply: headers keep their wire form, only secret values are replaced), so a
    /// secret never sits in the journal.
    @discardableResult
    package func record(millis: Int64, method: String, path: String, query: String?, headers: HTTPFields, body: Data?, status: Int,
                        client: String? = nil) -> Int {
        // One pass over the fields: only a secret-bearing one is rebuilt (most requests carry one, Authorization).
        var h = headers
        for i in headers.indices where Self.redactedFieldNames.contains(headers[i].name) {
            h[i] = HTTPField(name: headers[i].name, value: Self.redactHeader(headers[i].value))
        }
        let text = body.flatMap { $0.isEmpty ? nil : Self.redactBody($0, contentType: h.value(.contentType) ?? "") }
        let redactedQuery = query.map(Self.redactQuery)
        return state.withLock { s in
            let id = s.next
            s.append(Entry(id: id, millis: millis, method: method, path: Self.redactPath(path), query: redactedQuery, headers: h, body: text, status: status,
                           client: client), capacity: capacity)
            s.next += 1
            return id
        }
    }

    /// Attaches an error answer's body to the entry `id`, if it is still in the ring.
    package func attachResponse(id: Int, body: Data, contentType: String) {
        let text = Self.redactBody(body, contentType: contentType)
        state.withLock { s in
            // Ids are consecutive, so the entry sits `newer` slots before the newest one.
            let count = s.slots.count, newer = s.next - 1 - id
            guard count > 0, newer >= 0, newer < count else { return }
            let newest = count < capacity ? count - 1 : (s.head - 1 + count) % count
            let i = (newest - newer + count) % count
            if s.slots[i].id == id { s.slots[i].response = text }
        }
    }

    /// Which entries a reader wants; every part is optional.
    package struct Filter: Sendable {
        package var method: String?
        package var pathContains: String?
        package var client: String?
        /// `2xx`, `3xx`, `4xx`, `5xx` or `error` (400 and above).
        package var statusClass: String?
        /// Only entries newer than this id (for a live view that polls).
        package var afterId: Int?
        /// Only entries of one of these clients (a tenant's OAuth clients and S3 key).
        package var clients: Set<String>?

        package init(method: String? = nil, pathContains: String? = nil, client: String? = nil, statusClass: String? = nil,
                     afterId: Int? = nil) {
            self.method = method
            self.pathContains = pathContains
            self.client = client
            self.statusClass = statusClass
            self.afterId = afterId
        }

        func admits(_ e: Entry) -> Bool {
            if let method, e.method.caseInsensitiveCompare(method) != .orderedSame { return false }
            if let pathContains, !e.path.contains(pathContains) { return false }
            if let client, e.client != client { return false }
            if let clients, !(e.client.map(clients.contains) ?? false) { return false }
            if let afterId, e.id <= afterId { return false }
            switch statusClass {
            case nil: return true
            case "error": return e.status >= 400
            case let c?: return c.count == 3 && c.hasSuffix("xx") && c.first.flatMap { $0.wholeNumberValue } == e.status / 100
            }
        }
    }

    static let statusClasses = ["2xx", "3xx", "4xx", "5xx", "error"]

    package func entries(_ filter: Filter, limit: Int) -> [Entry] {
        let all = state.withLock { $0.newestFirst }
        return Array(all.lazy.filter(filter.admits).prefix(limit))
    }

    /// The id of the newest entry ever recorded (0 before the first).
    package func lastId() -> Int { state.withLock { $0.next - 1 } }

    /// The clients seen in the journal, for a filter's choices.
    package func clients() -> [String] {
        Set(state.withLock { $0.slots.compactMap(\.client) }).sorted()
    }

    package func clear() { state.withLock { s in s.slots.removeAll(); s.head = 0 } }

    /// Keeps the scheme ("Bearer", "Basic", "AWS4-HMAC-SHA256 Credential=…") and hides the secret part.
    static func redactHeader(_ value: String) -> String {
        // SigV4 puts the signature last: `…, Signature=<hex>`.
        if value.hasPrefix("AWS4-HMAC-SHA256"), let eq = value.utf8.lastIndex(of: UInt8(ascii: "=")),
           value.utf8[..<eq].suffix(9).elementsEqual("Signature".utf8) {
            return String(decoding: value.utf8[...eq], as: UTF8.self) + "[REDACTED]"
        }
        if let space = value.firstIndex(of: " ") { return String(value[..<space]) + " [REDACTED]" }
        return "[REDACTED]"
    }

    /// Paths whose last segment is a credential: a batch download's result URL (`/downloads/recordings/{token}`), like
    /// a pre-signed URL, needs nothing else. The journal keeps its first 4 characters, enough to tell two apart.
    static let credentialPaths = [DownloadRoutes.prefix]

    static func redactPath(_ path: String) -> String {
        for prefix in credentialPaths where path.hasPrefix(prefix) && path.utf8.count > prefix.utf8.count {
            return prefix + String(path.dropFirst(prefix.count).prefix(4)) + "…[REDACTED]"
        }
        return path
    }

    static func redactQuery(_ query: String) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { item in
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = kv[0].lowercased()
            if kv.count == 2, key.contains("signature") || key.contains("secret") || key.contains("token") || key.contains("credential") {
                return "\(kv[0])=[REDACTED]"
            }
            return String(item)
        }.joined(separator: "&")
    }

    /// One compiled pattern per secret field: `"…field…": "value"` in JSON, any case, escapes included.
    static let secretPatterns: [NSRegularExpression] = secretFields.compactMap {
        try? NSRegularExpression(pattern: "(\"[A-Za-z_]*\($0)[A-Za-z_]*\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"", options: [.caseInsensitive])
    }

    /// Whether `text` may hold one of `secretFields` at all (an ASCII case-insensitive scan): most bodies do not,
    /// and then no pattern needs to run.
    static func mayHoldSecret(_ text: String) -> Bool {
        let lowered = text.utf8.lazy.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        let needles = [Array("secret".utf8), Array("token".utf8), Array("password".utf8)]  // every field in secretFields holds one
        let bytes = Array(lowered)
        return needles.contains { needle in
            bytes.count >= needle.count && (0...(bytes.count - needle.count)).contains { i in
                bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle)
            }
        }
    }

    /// Bodies up to this size are redacted whole, then truncated; bigger ones (an object upload, a multipart part)
    /// are not recorded at all: scanning megabytes on every upload would cost more than the upload, and a window
    /// cut from them could end inside a secret.
    static let redactableLimit = 256 << 10

    static func redactBody(_ data: Data, contentType: String) -> String {
        guard data.count <= redactableLimit else { return "[\(data.count) bytes: too large to record]" }
        // Redact the whole body first, then truncate, so a secret cut by the limit never leaks in part.
        var text = String(decoding: data, as: UTF8.self)
        if contentType.contains("x-www-form-urlencoded") {
            text = redactQuery(text)
        } else if mayHoldSecret(text) {
            for re in secretPatterns {
                text = re.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1\"[REDACTED]\"")
            }
        }
        guard text.utf8.count > bodyLimit else { return text }
        let kept = String(decoding: Array(text.utf8.prefix(bodyLimit)), as: UTF8.self)
        return kept + "…[truncated \(text.utf8.count - bodyLimit) bytes]"
    }
}
