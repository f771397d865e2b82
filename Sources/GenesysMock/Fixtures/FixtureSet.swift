import Foundation
import MockStore
import RecordingsDomain

/// The seeded world, read from a fixtures folder (CONTRACT §9).
package struct FixtureSet: Sendable {
    package struct Org: Sendable, Codable { package var id: String; package var name: String }

    package struct OAuthClient: Sendable, Codable {
        package var clientId: String
        package var clientSecret: String
        package var name: String
        package var orgId: String
        package var userId: String
        package var tokenTtlSeconds: Int
        package var permissions: [String]
    }

    package struct Hold: Sendable, Codable {
        package var orgId: String
        package var caseId: String
        package var name: String
        package var description: String
        package var status: LegalHoldStatus
        package var createdDate: String
        package var releasedDate: String?
        package var conversationIds: [String]
        package var filter: HoldFilter?
    }

    package struct Bucket: Sendable, Codable {
        package struct Policy: Sendable, Codable { package var denyPutObject: Bool }
        package var name: String
        package var region: String
        package var objectLockEnabled: Bool
        package var policy: Policy
        /// A bucket in a remote S3-compatible store (CONTRACT §14); nil for the local sink.
        package var remote: RemoteBucket?
    }

    package struct AccessKey: Sendable, Codable {
        package var accessKeyId: String
        package var secretAccessKey: String
        package var name: String
    }

    package typealias Integration = AppDatabase.IntegrationInfo

    package var orgs: [Org]
    package var clients: [OAuthClient]
    package var holds: [Hold]
    package var buckets: [Bucket]
    package var accessKeys: [AccessKey]
    package var integrations: [Integration]
    package var conversations: [Conversation]
    /// SHA-256 over every fixture file's relative path and bytes, in path order.
    package var hash: String
}

package struct FixtureError: Error, CustomStringConvertible {
    package var file: String
    package var problem: String
    package var description: String { "fixtures: \(file): \(problem)" }
}

extension FixtureSet {
    /// Reads and checks a fixtures folder; throws naming the file and the problem.
    package static func load(from folder: String) throws -> FixtureSet {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw FixtureError(file: folder, problem: "no such folder (pass --fixtures DIR or run from the repository root)")
        }
        var hashed: [(String, Data)] = []
        func read<T: Decodable>(_ name: String, as: T.Type) throws -> T {
            let path = folder + "/" + name
            guard let data = fm.contents(atPath: path) else { throw FixtureError(file: path, problem: "missing or unreadable") }
            hashed.append((name, data))
            do { return try JSONDecoder().decode(T.self, from: data) } catch {
                throw FixtureError(file: path, problem: "not valid: \(describe(error))")
            }
        }
        let orgs = try read("orgs.json", as: [Org].self)
        let clients = try read("oauth-clients.json", as: [OAuthClient].self)
        let holds = try read("legal-holds.json", as: [Hold].self)
        let buckets = try read("buckets.json", as: [Bucket].self)
        let keys = try read("s3-access-keys.json", as: [AccessKey].self)
        let integrations = try read("integrations.json", as: [Integration].self)
        let convFolder = folder + "/conversations"
        let names = ((try? fm.contentsOfDirectory(atPath: convFolder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        var conversations: [Conversation] = []
        conversations.reserveCapacity(names.count)
        for name in names {
            let c = try read("conversations/" + name, as: Conversation.self)
            if let problem = c.problems.first { throw FixtureError(file: convFolder + "/" + name, problem: problem) }
            conversations.append(c)
        }
        let orgIds = Set(orgs.map(\.id))
        for c in clients where !orgIds.contains(c.orgId) {
            throw FixtureError(file: folder + "/oauth-clients.json", problem: "client \(c.clientId) names unknown org \(c.orgId)")
        }
        for b in buckets where !NameRules.isBucketName(b.name) {
            throw FixtureError(file: folder + "/buckets.json", problem: "'\(b.name)' is not a valid bucket name")
        }
        for b in buckets {
            if let problem = b.remote?.problem() { throw FixtureError(file: folder + "/buckets.json", problem: "bucket '\(b.name)': \(problem)") }
        }
        var digestInput = Data()
        for (name, data) in hashed.sorted(by: { $0.0 < $1.0 }) {
            digestInput.append(contentsOf: Array(name.utf8) + [0])
            digestInput.append(Data(Digest.sha256Hex(data).utf8))
        }
        return FixtureSet(orgs: orgs, clients: clients, holds: holds, buckets: buckets, accessKeys: keys,
                          integrations: integrations, conversations: conversations, hash: Digest.sha256Hex(digestInput))
    }

    static func describe(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ c: DecodingError.Context) -> String {
            c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch e {
        case .keyNotFound(let key, let c): return "missing key '\(key.stringValue)' at \(path(c))"
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            return "\(c.debugDescription) at \(path(c))"
        @unknown default: return "\(e)"
        }
    }
}
