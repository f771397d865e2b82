import Foundation
import GenesysMock
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The test client plus the server it talks to, with the calls every test needs.
struct Client: Sendable {
    let raw: any TestClientProtocol
    let server: TestServer

    var clock: MockClock { server.clock }

    static func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
    }

    /// `POST /oauth/token` as a client-credentials form with HTTP Basic.
    func tokenResponse(_ clientId: String, secret: String? = nil, form: String = "grant_type=client_credentials",
                       contentType: String = "application/x-www-form-urlencoded") async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: contentType]
        headers[.authorization] = Self.basic(clientId, secret ?? clientId + "-secret")
        return try await raw.execute(uri: "/oauth/token", method: .post, headers: headers, body: ByteBuffer(string: form))
    }

    /// A bearer token for one of the seeded clients (`mock-admin`, `mock-viewer`, `mock-other-org`).
    func token(_ clientId: String = "mock-admin") async throws -> String {
        let response = try await tokenResponse(clientId)
        try #require(response.status == .ok, "token for \(clientId): \(response.status) \(response.text)")
        let token = try response.object()["access_token"] as? String
        return try #require(token, "no access_token in \(response.text)")
    }

    /// Any request; `token` becomes `Authorization: Bearer …`, `json` the body with Content-Type application/json,
    /// `body` a body sent with only the `headers` given.
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
              headers extra: HTTPFields = [:], body: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        for field in extra { headers[field.name] = field.value }
        return try await raw.execute(uri: uri, method: method, headers: headers,
                                     body: (json ?? body).map { ByteBuffer(string: $0) })
    }

    /// `POST /api/v2/recordings/exports`.
    func createExport(_ body: String, token: String) async throws -> TestResponse {
        try await call(.post, "/api/v2/recordings/exports", token: token, json: body)
    }

    /// Creates an export that must be accepted; returns its job body.
    func acceptedExport(_ body: String, token: String) async throws -> [String: Any] {
        let response = try await createExport(body, token: token)
        try #require(response.status == .accepted, "export refused: \(response.status) \(response.text)")
        return try response.object()
    }

    func getExport(_ id: String, token: String) async throws -> TestResponse {
        try await call(.get, "/api/v2/recordings/exports/\(id)", token: token)
    }

    /// Polls the job until its state is one of `states` (default: terminal), for at most `timeout`.
    @discardableResult
    func waitForExport(_ id: String, token: String, states: Set<String> = ["FULFILLED", "FAILED", "CANCELLED"],
                       timeout: Duration = .seconds(10)) async throws -> [String: Any] {
        try await pollExport(id, token: token, timeout: timeout, what: "a state in \(states.sorted())") { job in
            states.contains(job["state"] as? String ?? "")
        }
    }

    /// Polls the job until `until` holds, for at most `timeout`; fails the test with `what` otherwise.
    func pollExport(_ id: String, token: String, timeout: Duration = .seconds(10), what: String,
                    until: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            let response = try await getExport(id, token: token)
            try #require(response.status == .ok, "GET export \(id): \(response.status) \(response.text)")
            let job = try response.object()
            if until(job) { return job }
            last = response.text
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("export \(id) did not reach \(what) within \(timeout); last seen: \(last)")
        throw WaitTimeout()
    }

    /// The list's `total` (every export of the caller's org).
    func exportTotal(token: String) async throws -> Int {
        let response = try await call(.get, "/api/v2/recordings/exports", token: token)
        try #require(response.status == .ok)
        return try #require(try response.object()["total"] as? Int)
    }
}

struct WaitTimeout: Error {}
