import Foundation
import Testing

/// State survives a restart: jobs, their manifests on disk, issued tokens; an interrupted job resumes.
@Suite struct RestartTests {
    @Test func aFulfilledJobAndAnIssuedTokenSurviveARestart() async throws {
        let ids = Array(try FixtureConversation.q1WhatsApp().prefix(2)).map(\.id)
        let first = TestServer()
        defer { first.removeData() }
        let (jobId, manifestKey, token) = try await first.run { client in
            let token = try await client.token()
            let id = try #require(try await client.acceptedExport(ExportBody.held(conversationIds: ids), token: token)["id"] as? String)
            let job = try await client.waitForExport(id, token: token)
            #expect(job["state"] as? String == "FULFILLED")
            return (id, try #require(job["manifestKey"] as? String), token)
        }
        let manifestPath = first.sinkDir + "/legal-discovery-eu/" + manifestKey
        let manifestBytes = try #require(FileManager.default.contents(atPath: manifestPath))
        let filesBefore = first.sinkFiles()

        let second = TestServer(dataDir: first.dataDir)
        try await second.run { client in
            let response = try await client.getExport(jobId, token: token)
            #expect(response.status == .ok, "the token issued before the restart still works: \(response.text)")
            let job = try response.object()
            #expect(job["state"] as? String == "FULFILLED")
            #expect(job["manifestKey"] as? String == manifestKey)
            #expect(job["totalProcessedRecordings"] as? Int == 2 && job["percentProgress"] as? Int == 100)
            #expect(try await client.exportTotal(token: token) == 1)
            // Let the worker take a step (an admin clock move waits for it): nothing may be rewritten.
            #expect(try await client.call(.post, "/__admin/clock/advance", json: #"{"seconds": 60}"#).status == .ok)
            #expect(FileManager.default.contents(atPath: manifestPath) == manifestBytes, "manifest bytes unchanged")
            #expect(client.server.sinkFiles() == filesBefore)
            // The hold registry survived too.
            #expect(try await client.createExport(ExportBody.held(caseId: Seed.releasedCase), token: token).status == .badRequest)
        }
    }

    @Test func aJobInterruptedWhileProcessingResumesAndWritesEveryObjectOnce() async throws {
        let ids = Array(try FixtureConversation.q1WhatsApp().prefix(3)).map(\.id)
        var first = TestServer()
        first.config.exportRate = 0.001   // one recording, then a 1000 s wait for the next
        first.clock.set(nowMillis: nil, frozen: true)
        defer { first.removeData() }
        let (jobId, token) = try await first.run { client in
            let token = try await client.token()
            let id = try #require(try await client.acceptedExport(ExportBody.held(conversationIds: ids), token: token)["id"] as? String)
            client.clock.advance(millis: 1_500)
            let job = try await client.pollExport(id, token: token, what: "PROCESSING with one recording written") {
                $0["state"] as? String == "PROCESSING" && $0["totalProcessedRecordings"] as? Int == 1
            }
            #expect(job["totalRecordings"] as? Int == 3)
            return (id, token)
        }
        #expect(first.sinkFiles().count == 2, "one transcript and its sidecar before the stop: \(first.sinkFiles())")

        let second = TestServer(dataDir: first.dataDir)   // exportRate 0: as fast as it can
        try await second.run { client in
            let job = try await client.waitForExport(jobId, token: token)
            #expect(job["state"] as? String == "FULFILLED", "\(job)")
            #expect(job["totalProcessedRecordings"] as? Int == 3 && job["totalFailedRecordings"] as? Int == 0)
            let manifestKey = try #require(job["manifestKey"] as? String)
            let data = try #require(FileManager.default.contents(atPath: client.server.sinkDir + "/legal-discovery-eu/" + manifestKey))
            let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let keys = (manifest["objects"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
            #expect(keys.count == 6 && Set(keys).count == 6, "each transcript and sidecar listed once: \(keys)")
            let files = client.server.sinkFiles()
            #expect(files.count == 8, "6 objects, the manifest and the custody file: \(files)")
            for key in keys { #expect(files.contains("legal-discovery-eu/" + key), "\(key) on disk") }
        }
    }
}
