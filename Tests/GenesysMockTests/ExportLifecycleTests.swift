import Foundation
import Testing

/// `POST/GET/DELETE /api/v2/recordings/exports[/{id}]`: the job body, its states and what lands in the sink.
@Suite struct ExportLifecycleTests {
    static let jobKeys = ["id", "state", "storage", "filter", "legal_hold", "user", "dateCreated", "totalConversations",
                          "totalRecordings", "totalProcessedRecordings", "totalSkippedRecordings", "totalFailedRecordings",
                          "percentProgress", "manifestKey", "errorMessage", "selfUri"]

    @Test func createAnswers202WithThePendingJob() async throws {
        try await withServer({ $0.config.exportRate = 0.001; $0.clock.set(nowMillis: nil, frozen: true) }) { client in
            let token = try await client.token()
            let response = try await client.createExport(ExportBody.held(), token: token)
            #expect(response.status == .accepted)
            #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
            let job = try response.object()
            for key in Self.jobKeys { #expect(job[key] != nil, "job lacks '\(key)': \(response.text)") }
            let id = try #require(job["id"] as? String)
            #expect(job["state"] as? String == "PENDING")
            #expect(job["selfUri"] as? String == "/api/v2/recordings/exports/\(id)")
            let hold = job["legal_hold"] as? [String: Any]
            #expect(hold?["enabled"] as? Bool == true)
            #expect(hold?["case_id"] as? String == Seed.activeCase)
            #expect(hold?["reason"] as? String == "Discovery")
            let user = job["user"] as? [String: Any]
            #expect(user?["id"] as? String == Seed.adminUserId)
            #expect(user?["selfUri"] as? String == "/api/v2/users/\(Seed.adminUserId)")
            let storage = job["storage"] as? [String: Any]
            #expect(storage?["bucketName"] as? String == "legal-discovery-eu")
            #expect(storage?["prefix"] as? String == "cases/LH-2023-001/")
            #expect((job["filter"] as? [String: Any])?["mediaTypes"] as? [String] == ["whatsapp"])
            #expect(job["manifestKey"] is NSNull && job["errorMessage"] is NSNull)
            #expect(job["percentProgress"] as? Int == 0 && job["totalRecordings"] as? Int == 0)
            let created = try #require(job["dateCreated"] as? String)
            #expect(created.hasSuffix("Z") && created.count == "2023-03-26T01:30:00.000Z".count, "dateCreated \(created)")

            let get = try await client.getExport(id, token: token)
            #expect(get.status == .ok)
            let again = try get.object()
            #expect(again["id"] as? String == id && again["state"] as? String == "PENDING")
            #expect(again["dateCreated"] as? String == created)
        }
    }

    @Test func unknownExportIdIs404NotFound() async throws {
        try await withServer { client in
            let token = try await client.token()
            try assertErrorBody(try await client.getExport("no-such-export", token: token), .notFound, "not.found")
            try assertErrorBody(try await client.call(.get, "/api/v2/recordings/exports/no-such-export/failedrecordings",
                                                      token: token), .notFound, "not.found")
            try assertErrorBody(try await client.call(.delete, "/api/v2/recordings/exports/no-such-export", token: token),
                                .notFound, "not.found")
        }
    }

    @Test func cancellingAPendingJobGives202CancelledThenA409() async throws {
        try await withServer({ $0.config.exportRate = 0.001; $0.clock.set(nowMillis: nil, frozen: true) }) { client in
            let token = try await client.token()
            let id = try #require(try await client.acceptedExport(ExportBody.make(), token: token)["id"] as? String)
            let cancel = try await client.call(.delete, "/api/v2/recordings/exports/\(id)", token: token)
            #expect(cancel.status == .accepted)
            let job = try cancel.object()
            #expect(job["id"] as? String == id && job["state"] as? String == "CANCELLED")
            #expect(try await client.getExport(id, token: token).object()["state"] as? String == "CANCELLED")
            let again = try await client.call(.delete, "/api/v2/recordings/exports/\(id)", token: token)
            let body = try assertErrorBody(again, .conflict, "export.state.conflict")
            #expect((body["message"] as? String)?.contains(id) == true)
            // A cancelled job stays cancelled: the admin advance returns only once the worker has caught up.
            let advanced = try await client.call(.post, "/__admin/clock/advance", json: #"{"seconds": 5}"#)
            #expect(advanced.status == .ok)
            #expect(try await client.getExport(id, token: token).object()["state"] as? String == "CANCELLED")
        }
    }

    @Test func cancellingAProcessingJobGives202Cancelled() async throws {
        try await withServer({ $0.config.exportRate = 0.001; $0.clock.set(nowMillis: nil, frozen: true) }) { client in
            let token = try await client.token()
            let id = try #require(try await client.acceptedExport(ExportBody.make(), token: token)["id"] as? String)
            client.clock.advance(millis: 1_500)   // past the PENDING second; at 0.001/s only one recording goes
            let processing = try await client.waitForExport(id, token: token, states: ["PROCESSING"])
            #expect((processing["totalRecordings"] as? Int ?? 0) > 1)
            let cancel = try await client.call(.delete, "/api/v2/recordings/exports/\(id)", token: token)
            #expect(cancel.status == .accepted)
            #expect(try cancel.object()["state"] as? String == "CANCELLED")
            try assertErrorBody(try await client.call(.delete, "/api/v2/recordings/exports/\(id)", token: token),
                                .conflict, "export.state.conflict")
        }
    }

    @Test func aHeldExportEndsFulfilledWithItsObjectsAndManifestInTheSink() async throws {
        let conversations = Array(try FixtureConversation.q1WhatsApp().prefix(2))
        try await withServer { client in
            let token = try await client.token()
            let body = ExportBody.held(conversationIds: conversations.map(\.id))
            let id = try #require(try await client.acceptedExport(body, token: token)["id"] as? String)
            let job = try await client.waitForExport(id, token: token)
            #expect(job["state"] as? String == "FULFILLED", "job: \(job)")
            #expect(job["totalConversations"] as? Int == 2 && job["totalRecordings"] as? Int == 2)
            #expect(job["totalProcessedRecordings"] as? Int == 2)
            #expect(job["totalFailedRecordings"] as? Int == 0 && job["totalSkippedRecordings"] as? Int == 0)
            #expect(job["percentProgress"] as? Int == 100)
            #expect(job["errorMessage"] is NSNull)
            let manifestKey = try #require(job["manifestKey"] as? String)
            #expect(manifestKey == "cases/LH-2023-001/exports/\(id)/manifest.json")

            let bucket = client.server.sinkDir + "/legal-discovery-eu/"
            let manifestData = try Data(contentsOf: URL(fileURLWithPath: bucket + manifestKey))
            let manifest = try #require(try JSONSerialization.jsonObject(with: manifestData) as? [String: Any])
            #expect(manifest["jobId"] as? String == id && manifest["caseId"] as? String == Seed.activeCase)
            let objects = manifest["objects"] as? [[String: Any]] ?? []
            #expect(objects.count == 4, "a transcript and a sidecar per recording")
            #expect(FileManager.default.fileExists(atPath: bucket + "cases/LH-2023-001/exports/\(id)/chain-of-custody.json"))

            let first = conversations[0]   // 2023-01-01T11:02:17.340Z
            let key = "cases/LH-2023-001/\(Seed.orgId)/year=2023/month=01/day=01/hour=11/conversation_id=\(first.id)/\(first.recordingId).json"
            #expect(objects.contains { $0["key"] as? String == key }, "manifest lists \(key)")
            let transcript = try Data(contentsOf: URL(fileURLWithPath: bucket + key))
            let recording = try #require(try JSONSerialization.jsonObject(with: transcript) as? [String: Any])
            #expect(recording["id"] as? String == first.recordingId)
            #expect((recording["messagingTranscript"] as? [Any])?.count == first.messages.count)
            let sidecarData = try Data(contentsOf: URL(fileURLWithPath: bucket + key + "_metadata.json"))
            let sidecar = try #require(try JSONSerialization.jsonObject(with: sidecarData) as? [String: Any])
            #expect(sidecar["caseId"] as? String == Seed.activeCase && sidecar["exportJobId"] as? String == id)
            #expect(sidecar["messageType"] as? String == "whatsapp")
            for object in objects {
                let size = (try? FileManager.default.attributesOfItem(atPath: bucket + (object["key"] as? String ?? "")))?[.size] as? Int
                #expect(size == object["size"] as? Int, "size of \(object["key"] ?? "?") on disk")
            }
            // A fulfilled job can no longer be cancelled.
            try assertErrorBody(try await client.call(.delete, "/api/v2/recordings/exports/\(id)", token: token),
                                .conflict, "export.state.conflict")
        }
    }

    @Test func anExportMatchingNothingIsFulfilledWithAnEmptyManifest() async throws {
        try await withServer { client in
            let token = try await client.token()
            let body = ExportBody.make(conversationIds: ["no-such-conversation"])
            let id = try #require(try await client.acceptedExport(body, token: token)["id"] as? String)
            let job = try await client.waitForExport(id, token: token)
            #expect(job["state"] as? String == "FULFILLED")
            #expect(job["totalRecordings"] as? Int == 0 && job["percentProgress"] as? Int == 100)
            let key = try #require(job["manifestKey"] as? String)
            #expect(key == "exports/\(id)/manifest.json", "no prefix: the manifest sits at the bucket's root")
            let data = try #require(FileManager.default.contents(atPath: client.server.sinkDir + "/recordings-us/" + key))
            let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect((manifest["objects"] as? [Any])?.isEmpty == true)
            #expect(manifest["caseId"] is NSNull || manifest["caseId"] == nil)
            #expect(client.server.sinkFiles() == ["recordings-us/" + key], "only the manifest: \(client.server.sinkFiles())")
        }
    }
}
