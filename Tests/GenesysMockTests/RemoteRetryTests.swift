import Foundation
import GenesysMock
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// The exporter's retries, against a stand-in store that answers as told: a 5xx or `SlowDown` is tried again
/// (up to four attempts, with backoff), a refusal is not, and the last answer names the attempts.
@Suite struct RemoteRetryTests {
    /// Calls the stand-in store received.
    final class Attempts: Sendable {
        let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
    }

    /// A store whose PUTs get the statuses in `script` in turn, then 200.
    func withStore(_ script: [(Int, String)], _ test: @Sendable (RemoteS3Client, Attempts) async throws -> Void) async throws {
        let attempts = Attempts()
        let answers = script
        let router = Router()
        router.put("/b-1/**") { _, _ -> Response in
            let n = attempts.count.withLock { $0 += 1; return $0 }
            guard n <= answers.count else {
                return Response(status: .ok, headers: [.eTag: "\"0cc175b9c0f1b6a831c399e269772661\""])
            }
            let (status, code) = answers[n - 1]
            let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>told to say \(code)</Message></Error>"
            return Response(status: .init(code: status), headers: [.contentType: "application/xml"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let remote = RemoteBucket(endpoint: "http://127.0.0.1:\(port)", accessKeyIdEnv: "K", secretAccessKeyEnv: "S")
            let store = try RemoteS3Client.make(bucket: "b-1", region: "us-east-1", remote: remote, environment: ["K": "k", "S": "s"]).get()
            try await test(store, attempts)
        }
    }

    func put(_ client: RemoteS3Client) async throws -> String {
        try await client.put("a.json", data: Data("a".utf8), contentType: "application/json", userMetadata: [:], legalHold: false)
    }

    @Test func slowDownAndServerErrorsAreTriedAgain() async throws {
        try await withStore([(503, "SlowDown"), (500, "InternalError"), (503, "SlowDown")]) { client, attempts in
            let start = ContinuousClock.now
            let etag = try await put(client)
            #expect(etag == "0cc175b9c0f1b6a831c399e269772661")
            #expect(attempts.value == 4)
            #expect(ContinuousClock.now - start >= .milliseconds(1_400))  // 0.2 + 0.4 + 0.8 s of backoff
        }
    }

    @Test func afterFourAttemptsTheLastAnswerIsTheError() async throws {
        try await withStore(Array(repeating: (500, "InternalError"), count: 10)) { client, attempts in
            let e = await #expect(throws: RemoteS3Error.self) { _ = try await put(client) }
            #expect(e?.code == "InternalError" && e?.message.contains("(4 attempts)") == true)
            #expect(attempts.value == 4)
        }
    }

    @Test func aRefusalIsNotTriedAgain() async throws {
        try await withStore([(403, "AccessDenied")]) { client, attempts in
            let e = await #expect(throws: RemoteS3Error.self) { _ = try await put(client) }
            #expect(e?.code == "AccessDenied" && e?.message.contains("told to say AccessDenied") == true)
            #expect(attempts.value == 1)
        }
    }
}
