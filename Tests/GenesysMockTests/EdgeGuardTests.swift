import Foundation
import GenesysMock
import MockStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The edge rules of CONTRACT §17 on the API port: a control character in a path or query never names another
/// resource, and a browser's cross-origin request never changes state. (The S3 port and the `Host` rule are
/// checked live, in Tests/e2e/test_hostile_edges.py, where requests carry a real `Host`.)
@Suite struct EdgeGuardTests {
    static let evil: HTTPFields = [HTTPField.Name("Origin")!: "http://evil.example"]

    @Test func aNulAfterAnExportIdNeitherReadsNorCancelsThatExport() async throws {
        try await withServer({ $0.config.exportRate = 1 }) { client in
            let token = try await client.token()
            let id = try #require(try await client.acceptedExport(ExportBody.make(), token: token)["id"] as? String)
            for method in [HTTPRequest.Method.get, .delete] {
                for suffix in ["%00junk", "%00", "%0a", "%1F", "%7f", "%C2%85"] {
                    let response = try await client.call(method, "/api/v2/recordings/exports/\(id)\(suffix)", token: token)
                    #expect(response.status == .badRequest, "\(method) …\(suffix): \(response.status)")
                    let body = try response.object()
                    #expect(body["code"] as? String == "bad.request")
                    #expect((body["message"] as? String)?.contains("control character") == true)
                    #expect(body["contextId"] as? String == response.headers[.correlationId])
                }
            }
            let job = try await client.getExport(id, token: token).object()
            #expect(job["state"] as? String != "CANCELLED")
        }
    }

    @Test func aControlCharacterInAQueryValueIsRefusedOnEverySurface() async throws {
        try await withServer { client in
            let token = try await client.token()
            let api = try await client.call(.get, "/api/v2/recordings/exports?caseId=LH-2023-001%00", token: token)
            #expect(api.status == .badRequest)
            #expect(try api.object()["code"] as? String == "bad.request")
            let admin = try await client.call(.get, "/__admin/legal-holds?status=ACTIVE%00")
            #expect(admin.status == .badRequest)
            #expect(try admin.object()["error"] as? String == "bad.request")
            let console = try await client.call(.get, "/console/holds/\(Seed.activeCase)%00")
            #expect(console.status == .badRequest)
            #expect(console.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(!console.text.contains("Discovery"), "the page names the hold before the NUL")
        }
    }

    @Test func aNulInAHoldIdReleasesNothing() async throws {
        try await withServer { client in
            let release = try await client.call(.post, "/__admin/legal-holds/\(Seed.activeCase)%00x/release")
            #expect(release.status == .badRequest)
            #expect(try release.object()["error"] as? String == "bad.request")
            let hold = try await client.call(.get, "/__admin/legal-holds/\(Seed.activeCase)").object()
            #expect(hold["status"] as? String == "ACTIVE")
        }
    }

    @Test func aNulInsideAJsonIdIsRefusedAndCreatesNothing() async throws {
        try await withServer { client in
            let token = try await client.token()
            let held = ExportBody.held(caseId: "LH-2023-001\u{0}x")
            let export = try await client.createExport(held, token: token)
            #expect(export.status == .badRequest)
            let body = try export.object()
            #expect(body["code"] as? String == "invalid.value")
            let details = try #require(body["details"] as? [[String: Any]])
            #expect(details.first?["fieldName"] as? String == "legal_hold.case_id")
            let list = try await client.call(.get, "/api/v2/recordings/exports", token: token).object()
            #expect(list["total"] as? Int == 0)

            let tab = try await client.call(.post, "/__admin/legal-holds", json: #"{"caseId": "LH-9\t", "name": "n"}"#)
            #expect(tab.status == .badRequest)
            let nul = try await client.call(.post, "/__admin/legal-holds", json: #"{"caseId": "LH-9", "name": "n", "description": "a\u0000b"}"#)
            #expect(nul.status == .badRequest)
            let message = try nul.object()["message"] as? String
            #expect(message?.contains("description") == true)
            // Free text may span lines.
            let text = try await client.call(.post, "/__admin/legal-holds", json: #"{"caseId": "LH-9", "name": "n", "description": "line 1\nline 2"}"#)
            #expect(text.status == .created, "\(text.text)")
        }
    }

    @Test func aControlCharacterInAClientIdGetsNoToken() async throws {
        try await withServer { client in
            let response = try await client.tokenResponse("mock-admin\u{0}x", secret: "mock-admin-secret")
            #expect(response.status == .badRequest)
            #expect(try response.object()["error"] as? String == "invalid_request")
        }
    }

    @Test func anotherOriginCannotResetReleaseOrPostTheConsole() async throws {
        try await withServer { client in
            let created = try await client.call(.post, "/__admin/legal-holds", json: #"{"caseId": "LH-KEEP", "name": "kept"}"#)
            #expect(created.status == .created)
            let crossSite: HTTPFields = [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]
            for headers in [Self.evil, crossSite, [HTTPField.Name("Origin")!: "null"]] {
                let reset = try await client.call(.post, "/__admin/reset", headers: headers,
                                                  body: "x=1")
                #expect(reset.status == .forbidden, "\(headers): \(reset.status)")
                #expect(try reset.object()["error"] as? String == "forbidden")
                let release = try await client.call(.post, "/__admin/legal-holds/LH-KEEP/release", headers: headers)
                #expect(release.status == .forbidden)
                let console = try await client.call(.post, "/console/sign-out", headers: headers, body: "x=1")
                #expect(console.status == .forbidden)
                #expect(console.headers[.contentType]?.hasPrefix("text/html") == true)
            }
            let hold = try await client.call(.get, "/__admin/legal-holds/LH-KEEP").object()
            #expect(hold["status"] as? String == "ACTIVE", "the hold survived every refused call")
            // Reads from another origin are not state changes: a browser cannot read the answer without CORS anyway.
            #expect(try await client.call(.get, "/__admin/legal-holds/LH-KEEP", headers: Self.evil).status == .ok)
            // The browser's own Sec-Fetch-Site wins: a page of the mock's may say `Origin: null`; another port may not pass.
            let ownPage: HTTPFields = [HTTPField.Name("Origin")!: "null", HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]
            let signOut = try await client.call(.post, "/console/sign-out", headers: ownPage, body: "x=1")
            #expect(!signOut.text.contains("another origin"), "\(signOut.status) \(signOut.text)")
            let otherPort: HTTPFields = [HTTPField.Name("Origin")!: "http://127.0.0.1:1", HTTPField.Name("Sec-Fetch-Site")!: "same-site"]
            #expect(try await client.call(.post, "/__admin/legal-holds/LH-KEEP/release", headers: otherPort).status == .forbidden)
            // A tool that sends neither header is unaffected.
            #expect(try await client.call(.post, "/__admin/legal-holds/LH-KEEP/release").status == .ok)
        }
    }

    @Test func theApiItselfIsNotOriginGuarded() async throws {
        // /api/v2 needs a bearer token, which a page on another origin cannot read; Genesys's own API is open to CORS callers.
        try await withServer { client in
            let token = try await client.token()
            let response = try await client.call(.get, "/api/v2/recordings/exports", token: token, headers: Self.evil)
            #expect(response.status == .ok)
        }
    }

    @Test func theStoreRefusesToBindAControlCharacter() async throws {
        let db = try AppDatabase.inMemory()
        await #expect(throws: IdentifierRejected(scalar: 0)) { try await db.job(id: "job\u{0}junk", orgId: Seed.orgId) }
        await #expect(throws: IdentifierRejected(scalar: 0x0A)) { try await db.holdStatus(orgId: Seed.orgId, caseId: "LH\n") }
        await #expect(throws: IdentifierRejected(scalar: 0)) { try await db.conversation(id: "c\u{0}", orgId: Seed.orgId) }
        await #expect(throws: IdentifierRejected(scalar: 0x85)) { try await db.consoleJob(id: "a\u{85}") }
        await #expect(throws: IdentifierRejected(scalar: 0)) {
            try await db.setDeletionProtection(orgId: Seed.orgId, conversationIds: ["ok", "no\u{0}"], protect: true, now: 0)
        }
    }

    @Test func hostNamesTheMockServes() {
        var config = AppConfiguration()
        config.allowedHosts = ["Mock.Internal"]
        let edge = EdgeGuard(config: config)
        for served in ["127.0.0.1:8080", "localhost:8080", "LOCALHOST", "app.localhost:9000", "[::1]:8080", "10.1.2.3",
                       "mock.internal:8080", "mock.internal.", "[fe80::1]"] {
            #expect(edge.servesHost(of: served), "\(served)")
        }
        for foreign in ["evil.example:8080", "evil.example", "localhost.evil.example", "127.0.0.1.evil.example", "mock.internal.evil"] {
            #expect(!edge.servesHost(of: foreign), "\(foreign)")
        }
        config.allowedHosts = ["*"]
        #expect(EdgeGuard(config: config).servesHost(of: "anything.example"))
        config.allowedHosts = []
        config.host = "mock-host"
        #expect(EdgeGuard(config: config).servesHost(of: "mock-host:8080"))
    }

    @Test func originsThatAreTheMocksOwn() {
        #expect(EdgeGuard.isSameOrigin("http://127.0.0.1:8080", authority: "127.0.0.1:8080"))
        #expect(EdgeGuard.isSameOrigin("http://LOCALHOST", authority: "localhost:80"))
        #expect(EdgeGuard.isSameOrigin("http://[::1]:8080", authority: "[::1]:8080"))
        #expect(!EdgeGuard.isSameOrigin("http://127.0.0.1:3000", authority: "127.0.0.1:8080"))
        #expect(!EdgeGuard.isSameOrigin("http://127.0.0.2:8080", authority: "127.0.0.1:8080"))
        #expect(!EdgeGuard.isSameOrigin("null", authority: "127.0.0.1:8080"))
        #expect(!EdgeGuard.isSameOrigin("http://127.0.0.1:8080", authority: nil))
        #expect(!EdgeGuard.isSameOrigin("http://127.0.0.1:8080/x", authority: "127.0.0.1:8080"))
    }
}
