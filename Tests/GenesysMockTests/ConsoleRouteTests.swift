import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import GenesysMock

/// The console's pages and the admin routes behind them (CONTRACT §13). The browser drives the same pages in
/// Tests/e2e/test_console_browser.py; these pin the rules a browser cannot see: headers, cookies, CSRF, escaping.
@Suite struct ConsoleRouteTests {
    static func cookie(_ response: TestResponse) -> String? {
        response.headers[fields: .setCookie].first { $0.value.hasPrefix("gm_console=") }
            .map { String($0.value.split(separator: ";")[0]) }
    }

    static func setCookie(_ page: TestResponse) -> String? {
        page.headers[fields: .setCookie].first { $0.value.hasPrefix("gm_console=") }?.value
    }

    static func csrf(_ html: String) -> String? {
        guard let r = html.range(of: #"<meta name="csrf-token" content=""#) else { return nil }
        return html[r.upperBound...].split(separator: "\"").first.map(String.init)
    }

    @Test func onLoopbackEveryPageIsOpenStrictAndEscaped() async throws {
        try await withServer { client in
            let hold = #"{"caseId": "LH-XSS-1", "name": "<script>alert(1)</script>", "description": "a & b"}"#
            #expect(try await client.call(.post, "/__admin/legal-holds", json: hold).status == .created)
            for path in ["/console", "/console/holds", "/console/holds/LH-XSS-1", "/console/exports", "/console/exports/new",
                         "/console/conversations", "/console/conversations?q=router&type=whatsapp", "/console/buckets",
                         "/console/buckets/legal-discovery-eu", "/console/journal", "/console/faults"] {
                let page = try await client.call(.get, path)
                #expect(page.status == .ok, "\(path): \(page.status)")
                #expect(page.header("Content-Type") == "text/html; charset=utf-8", "\(path)")
                #expect(page.header("Content-Security-Policy")?.contains("script-src 'self'") == true, "\(path)")
                #expect(page.header("Cache-Control") == "no-store", "\(path)")
                let cookie = Self.setCookie(page)
                #expect(cookie?.contains("HttpOnly") == true && cookie?.contains("SameSite=Strict") == true, "\(path): \(cookie ?? "no cookie")")
                #expect(!page.text.contains("<script>alert(1)"), "\(path) shows a hold's name unescaped")
            }
            // The mock's own export API is never mistaken for a Genesys one (CONTRACT §15).
            for path in ["/console/exports", "/console/exports/new"] {
                let page = try await client.call(.get, path)
                #expect(page.text.contains(#"id="mock-own-api""#) && page.text.contains("no counterpart on Genesys Cloud"), "\(path)")
            }
            let holdPage = try await client.call(.get, "/console/holds/LH-XSS-1")
            #expect(holdPage.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            let missing = try await client.call(.get, "/console/exports/no-such-job")
            #expect(missing.status == .notFound)
            #expect(missing.header("Content-Type") == "text/html; charset=utf-8")
            #expect(missing.text.contains("No job no-such-job"))
            let wrongMethod = try await client.call(.delete, "/console/holds")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.header("Allow") == "GET")
        }
    }

    @Test func conversationsArePagedNewestFirstAndSearchable() async throws {
        try await withServer { client in
            func ids(_ html: String) -> [String] {
                html.components(separatedBy: "data-conversation-id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            }
            let first = try await client.call(.get, "/console/conversations")
            #expect(ids(first.text).count == 25)
            let next = try #require(first.text.range(of: #"id="next-page" class="button" href=""#).map { r in
                String(first.text[r.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
            })
            let second = try await client.call(.get, next)
            #expect(second.status == .ok)
            #expect(!ids(second.text).isEmpty && Set(ids(second.text)).isDisjoint(with: ids(first.text)), "the next page goes on, older")
            let sms = try await client.call(.get, "/console/conversations?type=sms")
            #expect(ids(sms.text).count == 3, "three SMS conversations in the first org")
            let none = try await client.call(.get, "/console/conversations?q=%25_no-such-text")
            #expect(ids(none.text).isEmpty && none.text.contains("No conversation matches"))
            let bad = try await client.call(.get, "/console/conversations?from=2023-05-01&to=2023-01-01")
            #expect(bad.text.contains("From must be before To"))
        }
    }

    @Test func beyondLoopbackWithoutATokenTheConsoleIsClosed() async throws {
        try await withServer({ $0.config.host = "0.0.0.0" }) { client in
            let page = try await client.call(.get, "/console")
            #expect(page.status == .forbidden)
            #expect(page.text.contains("--admin-token"))
            let admin = try await client.call(.get, "/__admin/faults", headers: [.cookie: "gm_console=abcdefabcdefabcdefabcdef"])
            #expect(admin.status == .forbidden, "a console cookie opens nothing while the console is closed")
        }
    }

    @Test func withAnAdminTokenASignInGuardsPagesAndCSRFGuardsChanges() async throws {
        try await withServer({ $0.config.adminToken = "trainer-token" }) { client in
            let first = try await client.call(.get, "/console/journal?status=error")
            #expect(first.status == .seeOther)
            #expect(first.header("Location") == "/console/sign-in?next=%2Fconsole%2Fjournal%3Fstatus%3Derror")
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let wrong = try await client.call(.post, "/console/sign-in", headers: form, body: "token=nope&next=%2Fconsole")
            #expect(wrong.status == .unauthorized)
            #expect(Self.cookie(wrong) == nil)
            let offsite = try await client.call(.post, "/console/sign-in", headers: form, body: "token=trainer-token&next=https%3A%2F%2Fevil.example")
            #expect(offsite.header("Location") == "/console", "only a console path is a redirect target")
            let signed = try await client.call(.post, "/console/sign-in", headers: form, body: "token=trainer-token&next=%2Fconsole%2Ffaults")
            #expect(signed.status == .seeOther)
            #expect(signed.header("Location") == "/console/faults")
            let cookie = try #require(Self.cookie(signed))
            let page = try await client.call(.get, "/console/faults", headers: [.cookie: cookie])
            #expect(page.status == .ok)
            let csrf = try #require(Self.csrf(page.text))
            let fault = #"{"path": "/api/v2/**", "status": 503}"#
            let json: HTTPFields = [.cookie: cookie, .contentType: "application/json"]
            #expect(try await client.call(.post, "/__admin/faults", headers: json, body: fault).status == .forbidden)
            var bad = json
            bad[ConsoleAccess.csrfHeader] = String(repeating: "0", count: 64)
            #expect(try await client.call(.post, "/__admin/faults", headers: bad, body: fault).status == .forbidden)
            var good = json
            good[ConsoleAccess.csrfHeader] = csrf
            #expect(try await client.call(.post, "/__admin/faults", headers: good, body: fault).status == .created)
            #expect(try await client.call(.get, "/__admin/faults").status == .unauthorized, "no cookie, no token")
            let out = try await client.call(.post, "/console/sign-out", headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                            body: "csrf=\(csrf)")
            #expect(out.status == .seeOther)
            #expect(try await client.call(.get, "/console/faults", headers: [.cookie: cookie]).status == .seeOther, "the session ended")
            #expect(try await client.call(.get, "/__admin/faults", headers: [.cookie: cookie]).status == .unauthorized)
        }
    }

    @Test func validateAnswersWhatTheExportAPIWouldWithoutCreatingAJob() async throws {
        try await withServer { client in
            let base = #""storage": {"destinationType": "s3", "bucketName": "legal-discovery-eu", "region": "eu-west-2"}, "filter": {"mediaTypes": ["whatsapp"]}"#
            let boolean = try await client.call(.post, "/__admin/exports/validate", json: "{\(base), \"legal_hold\": true}")
            #expect(boolean.status == .ok)
            let b = try boolean.object()
            #expect(b["valid"] as? Bool == false)
            #expect(b["status"] as? Int == 400)
            let error = try #require(b["error"] as? [String: Any])
            #expect(error["code"] as? String == "invalid.metadata.structure")
            #expect(error["message"] as? String == "Invalid metadata structure for legal_hold")
            let released = try await client.call(.post, "/__admin/exports/validate",
                                                 json: "{\(base), \"legal_hold\": {\"enabled\": true, \"case_id\": \"\(Seed.releasedCase)\", \"reason\": \"r\"}}")
            #expect((try released.object()["error"] as? [String: Any])?["code"] as? String == "legal.hold.not.active")
            let good = try await client.call(.post, "/__admin/exports/validate",
                                             json: "{\(base), \"legal_hold\": {\"enabled\": true, \"case_id\": \"\(Seed.activeCase)\", \"reason\": \"r\"}}")
            let g = try good.object()
            #expect(g["valid"] as? Bool == true && g["status"] as? Int == 202)
            let notJSON = try await client.call(.post, "/__admin/exports/validate", headers: [.contentType: "text/plain"], body: "{}")
            #expect((try notJSON.object()["status"]) as? Int == 415)
            let jobs = try await client.call(.get, "/__admin/jobs")
            #expect((try jobs.object()["jobs"] as? [Any])?.isEmpty == true, "validating created no job")
        }
    }

    @Test func theJournalKeepsTheClientAndTheErrorBodyAndFilters() async throws {
        try await withServer { client in
            let token = try await client.token()
            let refused = try await client.createExport(#"{"legalHold": {"enabled": true}}"#, token: token)
            #expect(refused.status == .badRequest)
            #expect(try await client.call(.get, "/api/v2/recordings/exports", token: token).status == .ok)
            let errors = try await client.call(.get, "/__admin/requests?status=error&client=mock-admin")
            let entries = try #require(try errors.object()["requests"] as? [[String: Any]])
            let entry = try #require(entries.first { $0["path"] as? String == "/api/v2/recordings/exports" })
            #expect(entry["client"] as? String == "mock-admin")
            #expect(entries.allSatisfy { ($0["status"] as? Int ?? 0) >= 400 })
            let response = try #require(entry["response"] as? String)
            #expect(response.contains("legalHold") && response.contains(refused.correlationId ?? "?"), "\(response)")
            let ok = try await client.call(.get, "/__admin/requests?status=2xx")
            let oks = try #require(try ok.object()["requests"] as? [[String: Any]])
            #expect(oks.allSatisfy { $0["response"] is NSNull && ($0["status"] as? Int ?? 0) / 100 == 2 })
            let newest = try #require(oks.compactMap { $0["id"] as? Int }.max())
            let after = try await client.call(.get, "/__admin/requests?afterId=\(newest)")
            #expect((try after.object()["requests"] as? [Any])?.isEmpty == true)
            #expect(try await client.call(.get, "/__admin/requests?status=bogus").status == .badRequest)
            #expect(try await client.call(.get, "/__admin/requests?afterId=-1").status == .badRequest)
            let page = try await client.call(.get, "/console/journal?client=mock-admin&status=error")
            #expect(page.text.contains("snake case"), "the journal page gives the hint for legalHold")
        }
    }

    @Test func jobsOfBothFacesAreListedAndAJobWithoutManifestCannotBeVerified() async throws {
        try await withServer { client in
            let token = try await client.token()
            let job = try await client.acceptedExport(#"{"storage": {"destinationType": "s3", "bucketName": "recordings-us", "region": "us-east-1"}, "filter": {"mediaTypes": ["whatsapp"]}}"#, token: token)
            let id = try #require(job["id"] as? String)
            let listed = try await client.call(.get, "/__admin/jobs?orgId=\(Seed.orgId)")
            let jobs = try #require(try listed.object()["jobs"] as? [[String: Any]])
            #expect(jobs.first?["id"] as? String == id && jobs.first?["face"] as? String == "export")
            let other = try await client.call(.get, "/__admin/jobs?orgId=\(Seed.otherOrgId)")
            #expect((try other.object()["jobs"] as? [Any])?.isEmpty == true)
            let one = try await client.call(.get, "/__admin/jobs?id=\(id)")
            #expect((try one.object()["jobs"] as? [Any])?.count == 1)
            #expect(try await client.call(.get, "/__admin/jobs?orgId=nope").status == .badRequest)
            #expect(try await client.call(.get, "/__admin/jobs?limit=0").status == .badRequest)
            #expect(try await client.call(.post, "/__admin/jobs/\(id)/verify").status == .conflict)
            #expect(try await client.call(.post, "/__admin/jobs/nope/verify").status == .notFound)
            let page = try await client.call(.get, "/console/exports/\(id)")
            #expect(page.status == .ok && page.text.contains(id))
        }
    }

    @Test func aRemoteBucketAndAnS3FaultAreShownForWhatTheyAre() async throws {
        try await withServer { client in
            let bucket = #"{"name": "archive-eu", "region": "eu-west-2", "remote": {"endpoint": "http://127.0.0.1:9", "accessKeyIdEnv": "GM_K", "secretAccessKeyEnv": "GM_S"}}"#
            #expect(try await client.call(.post, "/__admin/buckets", json: bucket).status == .created)
            for path in ["/console", "/console/buckets"] {
                let page = try await client.call(.get, path)
                #expect(page.text.contains("remote: http://127.0.0.1:9"), "\(path) does not say the bucket is remote")
                #expect(!page.text.contains("remote: \n"), "\(path)")
            }
            let fault = #"{"port": "s3", "path": "/archive-eu/**", "status": 503}"#
            #expect(try await client.call(.post, "/__admin/faults", json: fault).status == .created)
            let faults = try await client.call(.get, "/console/faults")
            #expect(faults.text.contains(">S3<") && faults.text.contains("/archive-eu/**"))
        }
    }
}
