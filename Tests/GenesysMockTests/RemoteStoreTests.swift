import Foundation
import GenesysMock
import RecordingsDomain
import Synchronization
import Testing

/// The exporter's S3 client against a real S3 endpoint (a second genesys-mock's, on a free port): signed with
/// the signer the endpoint verifies with, multipart past 8 MiB, the store's refusals in its own words, and an
/// unreachable store named as such within a bounded time.
@Suite struct RemoteStoreTests {
    static let remote = RemoteBucket(endpoint: "http://127.0.0.1:1", accessKeyIdEnv: "K", secretAccessKeyEnv: "S")
    static let env = ["K": "mock-access-key", "S": "mock-secret-key"]

    /// Runs `test` with a client for the store's `legal-discovery-eu` bucket (object lock on), the store's data folder.
    func withStore(env: [String: String] = Self.env, _ test: @Sendable (RemoteS3Client, String) async throws -> Void) async throws {
        let store = TestServer()
        defer { store.removeData() }
        let port = Mutex<Int?>(nil)
        let app = try await buildApplication(store.config, clock: store.clock, onReady: { info in port.withLock { $0 = info.s3Port } })
        try await app.test(.live) { _ in
            for _ in 0..<100 where port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(50)) }
            let s3Port = try #require(port.withLock { $0 })
            var remote = Self.remote
            remote.endpoint = "http://127.0.0.1:\(s3Port)"
            let client = try RemoteS3Client.make(bucket: "legal-discovery-eu", region: "eu-west-2", remote: remote, environment: env).get()
            try await test(client, store.dataDir)
        }
    }

    @Test func theSignerReproducesAWSsOwnExample() {
        // "GET Object" in AWS's "Signature Calculations for the Authorization Header" (S3 API reference).
        let headers = SigV4.sign(method: "GET", rawPath: "/test.txt", rawQuery: nil,
                                 headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")],
                                 payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                                 accessKeyId: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                 sessionToken: nil, region: "us-east-1", time: 1_369_353_600)
        let auth = headers.first { $0.0 == "Authorization" }?.1
        #expect(auth == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(headers.contains { $0 == ("x-amz-date", "20130524T000000Z") })
    }

    @Test func aHeldObjectLandsWithItsLockMetadataAndDigest() async throws {
        try await withStore { client, storeData in
            let data = Data(#"{"hello":"store"}"#.utf8)
            let etag = try await client.put("cases/a.json", data: data, contentType: "application/json",
                                            userMetadata: ["legal-hold-case-id": "LH-1"], legalHold: true)
            #expect(etag == Digest.md5Hex(data))
            let head = try #require(try await client.head("cases/a.json"))
            #expect(head == RemoteS3Client.Head(size: data.count, etag: etag, legalHold: true))
            #expect(try await client.get("cases/a.json") == data)
            #expect(try await client.head("cases/none.json") == nil)
            #expect(try await client.get("cases/none.json") == nil)
            #expect(FileManager.default.contents(atPath: storeData + "/s3/legal-discovery-eu/cases/a.json") == data)
            // An unheld object put under hold afterwards (a resumed export finding an earlier unheld copy).
            _ = try await client.put("cases/b.json", data: data, contentType: "application/json", userMetadata: [:], legalHold: false)
            #expect(try await client.head("cases/b.json")?.legalHold == false)
            try await client.holdObject("cases/b.json")
            #expect(try await client.head("cases/b.json")?.legalHold == true)
            // Held in the store: another PUT on the key is refused there, in its words.
            await #expect(throws: RemoteS3Error.self) {
                _ = try await client.put("cases/a.json", data: Data("other".utf8), contentType: "application/json", userMetadata: [:], legalHold: false)
            }
        }
    }

    @Test func aFileOverEightMiBGoesUpInPartsAndItsETagIsForeseen() async throws {
        try await withStore { client, storeData in
            let size = RemoteS3Client.partSize + 3 * 1024 * 1024 + 17
            let path = TestServer.makeTempDir() + "/big.json"
            let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) })
            try bytes.write(to: URL(fileURLWithPath: path))
            let etag = try await client.putFile("exports/big/manifest.json", path: path, size: size, contentType: "application/json",
                                                userMetadata: [:], legalHold: true)
            #expect(etag.hasSuffix("-2"))
            #expect(try await RemoteS3Client.expectedETag(path: path, size: size) == etag)
            let head = try #require(try await client.head("exports/big/manifest.json"))
            #expect(head.size == size && head.etag == etag && head.legalHold)
            #expect(FileManager.default.contents(atPath: storeData + "/s3/legal-discovery-eu/exports/big/manifest.json") == bytes)
        }
    }

    @Test func theStoresRefusalsComeInItsOwnWords() async throws {
        try await withStore(env: ["K": "mock-access-key", "S": "not-the-secret"]) { client, _ in
            let e = await #expect(throws: RemoteS3Error.self) {
                _ = try await client.put("k.json", data: Data("x".utf8), contentType: "application/json", userMetadata: [:], legalHold: false)
            }
            #expect(e?.code == "SignatureDoesNotMatch")
            // A HEAD's refusal has no body: the client asks again to learn the store's code.
            let h = await #expect(throws: RemoteS3Error.self) { _ = try await client.head("k.json") }
            #expect(h?.code == "SignatureDoesNotMatch")
        }
        try await withStore(env: ["K": "nobody", "S": "x"]) { client, _ in
            let e = await #expect(throws: RemoteS3Error.self) { _ = try await client.head("k.json") }
            #expect(e?.code == "InvalidAccessKeyId")
        }
    }

    @Test func anUnreachableStoreIsNamedAfterBoundedRetries() async throws {
        var remote = Self.remote
        remote.endpoint = "http://127.0.0.1:9"  // discard: nothing listens
        let client = try RemoteS3Client.make(bucket: "b-1", region: "us-east-1", remote: remote, environment: Self.env).get()
        let start = ContinuousClock.now
        let e = await #expect(throws: RemoteS3Error.self) {
            _ = try await client.put("k", data: Data(), contentType: "application/json", userMetadata: [:], legalHold: false)
        }
        #expect(e?.code == "ConnectionError")
        #expect(e?.message.contains("127.0.0.1:9") == true && e?.message.contains("4 attempts") == true)
        // Bounded by what happened, not by the wall clock (a sanitizer or a loaded machine slows every step): each
        // attempt ended on the refusal, none waited for its deadline, and only a hang would take a minute.
        #expect(e?.message.contains("connection refused") == true, "\(e?.message ?? "")")
        #expect(ContinuousClock.now - start < .seconds(60))
    }

    @Test func credentialsAreNamedNeverGiven() {
        let literal = RemoteBucket.from(.object(["endpoint": .string("http://s3.local:9000"), "accessKeyIdEnv": .string("K"),
                                                  "secretAccessKeyEnv": .string("S"), "secretAccessKey": .string("abc")]))
        guard case .failure(let p) = literal else { Issue.record("literal credentials were accepted"); return }
        #expect(p.message.contains("never stored"))
        for endpoint in ["ftp://x", "http://x/path", "http://x?q=1", "http://user:pw@x", "x:9000", "http://"] {
            let r = RemoteBucket.from(.object(["endpoint": .string(endpoint), "accessKeyIdEnv": .string("K"), "secretAccessKeyEnv": .string("S")]))
            if case .success = r { Issue.record("endpoint \(endpoint) was accepted") }
        }
        let bad = RemoteBucket.from(.object(["endpoint": .string("https://s3.eu-west-2.amazonaws.com"), "accessKeyIdEnv": .string("1K"),
                                              "secretAccessKeyEnv": .string("S")]))
        if case .success = bad { Issue.record("a variable name starting with a digit was accepted") }
        let ok = RemoteBucket.from(.object(["endpoint": .string("https://s3.eu-west-2.amazonaws.com"), "addressing": .string("virtual"),
                                             "accessKeyIdEnv": .string("AWS_ACCESS_KEY_ID"), "secretAccessKeyEnv": .string("AWS_SECRET_ACCESS_KEY")]))
        guard case .success(let r) = ok else { Issue.record("a valid remote was refused"); return }
        #expect(r.storedJSON.contains("AWS_SECRET_ACCESS_KEY") && !r.credentialsSet(environment: [:]))
        #expect(r.credentialsSet(environment: ["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"]))
        guard case .failure(let missing) = r.credentials(bucket: "b", environment: ["AWS_ACCESS_KEY_ID": "a"]) else {
            Issue.record("credentials without their secret"); return
        }
        #expect(missing.code == "InvalidAccessKeyId" && missing.message.contains("AWS_SECRET_ACCESS_KEY"))
    }
}

/// A fixture bucket may be remote, checked as the admin API checks one; literal credentials stop the load.
@Suite struct RemoteFixtureTests {
    func fixtures(buckets: String) throws -> String {
        let dir = TestServer.makeTempDir() + "/fixtures"
        try FileManager.default.copyItem(atPath: Repo.fixtures, toPath: dir)
        try Data(buckets.utf8).write(to: URL(fileURLWithPath: dir + "/buckets.json"))
        return dir
    }

    @Test func aRemoteFixtureBucketLoadsWithItsVariableNames() throws {
        let dir = try fixtures(buckets: #"""
            [{"name": "archive-eu", "region": "eu-west-2", "objectLockEnabled": true, "policy": {"denyPutObject": false},
              "remote": {"endpoint": "http://minio:9000", "accessKeyIdEnv": "ARCHIVE_KEY", "secretAccessKeyEnv": "ARCHIVE_SECRET"}}]
            """#)
        let set = try FixtureSet.load(from: dir)
        #expect(set.buckets.first?.remote == RemoteBucket(endpoint: "http://minio:9000", accessKeyIdEnv: "ARCHIVE_KEY", secretAccessKeyEnv: "ARCHIVE_SECRET"))
    }

    @Test func literalCredentialsInAFixtureStopTheLoad() throws {
        let dir = try fixtures(buckets: #"""
            [{"name": "archive-eu", "region": "eu-west-2", "objectLockEnabled": true, "policy": {"denyPutObject": false},
              "remote": {"endpoint": "http://minio:9000", "accessKeyIdEnv": "K", "secretAccessKeyEnv": "S", "secretAccessKey": "abc"}}]
            """#)
        let error = #expect(throws: (any Error).self) { try FixtureSet.load(from: dir) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("never stored"))
        #expect(!"\(error.map { "\($0)" } ?? "")".contains("abc"))
    }
}
