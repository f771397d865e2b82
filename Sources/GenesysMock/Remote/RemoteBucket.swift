import Foundation
import MockStore
import RecordingsDomain

/// A registry bucket that lives in an S3-compatible store elsewhere (CONTRACT §14): where to reach it and the
/// names of the environment variables that hold its credentials. The credentials themselves are read from the
/// environment each time a client is made, so they are never stored in SQLite, listed by the admin API,
/// journalled or logged.
package struct RemoteBucket: Sendable, Equatable, Codable {
    package enum Addressing: String, Sendable, Codable { case path, virtual }

    /// `http(s)://host[:port]`, nothing after it.
    package var endpoint: String
    package var addressing: Addressing
    package var accessKeyIdEnv: String
    package var secretAccessKeyEnv: String
    package var sessionTokenEnv: String?

    package init(endpoint: String, addressing: Addressing = .path, accessKeyIdEnv: String, secretAccessKeyEnv: String,
                 sessionTokenEnv: String? = nil) {
        self.endpoint = endpoint
        self.addressing = addressing
        self.accessKeyIdEnv = accessKeyIdEnv
        self.secretAccessKeyEnv = secretAccessKeyEnv
        self.sessionTokenEnv = sessionTokenEnv
    }

    /// Decoded through `from(_:)`, so a fixture is checked exactly as the admin API checks a body (literal
    /// credentials refused, `addressing` defaulting to path-style).
    package init(from decoder: any Decoder) throws {
        switch Self.from(try JSONValue(from: decoder)) {
        case .success(let remote): self = remote
        case .failure(let problem):
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: problem.message))
        }
    }

    /// The credentials the named variables hold, read now.
    package struct Credentials: Sendable {
        package var accessKeyId: String
        package var secretAccessKey: String
        package var sessionToken: String?
    }

    /// The credentials, or why they cannot be had, in S3's words (a job's `errorMessage`).
    package func credentials(bucket: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> Result<Credentials, RemoteS3Error>
    {
        func value(_ name: String, _ what: String) -> Result<String, RemoteS3Error> {
            guard let v = environment[name], !v.isEmpty else {
                return .failure(RemoteS3Error(code: "InvalidAccessKeyId",
                                              message: "the environment variable \(name) that bucket \(bucket) names for its \(what) is not set in genesys-mock's environment"))
            }
            return .success(v)
        }
        return value(accessKeyIdEnv, "access key id").flatMap { key in
            value(secretAccessKeyEnv, "secret access key").flatMap { secret in
                if let tokenEnv = sessionTokenEnv {
                    return value(tokenEnv, "session token").map { Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: $0) }
                }
                return .success(Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: nil))
            }
        }
    }

    /// Whether every named variable is set (shown by the admin API; the values never are).
    package func credentialsSet(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        envNames.allSatisfy { !(environment[$0] ?? "").isEmpty }
    }

    /// The parts of `endpoint`, once checked.
    package struct Endpoint: Sendable, Equatable {
        package var scheme: String
        package var host: String
        package var port: Int?
        package var hostHeader: String { port.map { "\(host):\($0)" } ?? host }
    }

    package var parsedEndpoint: Endpoint? { Self.parse(endpoint: endpoint) }

    static func parse(endpoint: String) -> Endpoint? {
        guard let c = URLComponents(string: endpoint), let scheme = c.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = c.host, !host.isEmpty, c.user == nil, c.password == nil, c.query == nil, c.fragment == nil,
              c.path.isEmpty || c.path == "/", host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") })
        else { return nil }
        if let port = c.port, !(1...65535).contains(port) { return nil }
        return Endpoint(scheme: scheme, host: host, port: c.port)
    }

    /// Checks a remote description from the admin API or the fixtures: nil when valid, else what is wrong.
    package func problem() -> String? {
        if parsedEndpoint == nil {
            return "remote.endpoint must be an http or https URL with a host and an optional port, and nothing after them"
        }
        for name in envNames where !Self.isEnvName(name) {
            return "remote environment variable names must be 1-128 of A-Z, a-z, 0-9 and '_', not starting with a digit"
        }
        return nil
    }

    var envNames: [String] { [accessKeyIdEnv, secretAccessKeyEnv] + (sessionTokenEnv.map { [$0] } ?? []) }

    static func isEnvName(_ s: String) -> Bool {
        guard let first = s.utf8.first, s.utf8.count <= 128, !(0x30...0x39).contains(first) else { return false }
        return s.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x5F }
    }

    /// Keys a remote description must never carry: credentials are named, never given.
    package static let literalCredentialKeys: Set<String> = ["accessKeyId", "secretAccessKey", "sessionToken"]

    /// A remote description from JSON (admin API body or fixture), checked.
    package static func from(_ value: JSONValue) -> Result<RemoteBucket, RemoteBucketProblem> {
        guard case .object(let o) = value else { return .failure(.init("remote must be an object")) }
        if o.keys.contains(where: literalCredentialKeys.contains) {
            return .failure(.init("credentials are never stored: name the environment variables that hold them (accessKeyIdEnv, secretAccessKeyEnv, sessionTokenEnv)"))
        }
        let known: Set<String> = ["endpoint", "addressing", "accessKeyIdEnv", "secretAccessKeyEnv", "sessionTokenEnv"]
        if let unknown = o.keys.sorted().first(where: { !known.contains($0) }) {
            return .failure(.init("remote.\(unknown) is not a known field"))
        }
        struct Invalid: Error { var message: String }
        func string(_ k: String, required: Bool = true) throws -> String? {
            guard let v = o[k], v != .null else {
                if required { throw Invalid(message: "remote.\(k) is required") }
                return nil
            }
            guard let s = v.stringValue, !s.isEmpty, s.count <= 300 else { throw Invalid(message: "remote.\(k) must be a non-empty string") }
            return s
        }
        do {
            let endpoint = try string("endpoint")!
            guard let addressing = Addressing(rawValue: try string("addressing", required: false) ?? "path") else {
                return .failure(.init("remote.addressing must be \"path\" or \"virtual\""))
            }
            let remote = RemoteBucket(endpoint: endpoint, addressing: addressing, accessKeyIdEnv: try string("accessKeyIdEnv")!,
                                      secretAccessKeyEnv: try string("secretAccessKeyEnv")!,
                                      sessionTokenEnv: try string("sessionTokenEnv", required: false))
            if let problem = remote.problem() { return .failure(.init(problem)) }
            return .success(remote)
        } catch let e as Invalid {
            return .failure(.init(e.message))
        } catch {
            return .failure(.init("\(error)"))
        }
    }

    /// As stored in the bucket table's `remote` column (names only, never values).
    package var storedJSON: String {
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self)
    }

    package static func fromStored(_ text: String?) -> RemoteBucket? {
        text.flatMap { try? JSONDecoder().decode(RemoteBucket.self, from: Data($0.utf8)) }
    }
}

/// Why a remote description was refused (the admin API's 400 message, or a fixture error).
package struct RemoteBucketProblem: Error, Sendable {
    package var message: String
    init(_ message: String) { self.message = message }
}

extension AppDatabase.BucketInfo {
    /// Where the bucket lives when it is not in the local sink.
    var remote: RemoteBucket? { RemoteBucket.fromStored(remoteJSON) }
}
