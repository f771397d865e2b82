import Foundation
import Testing

/// Jobs that are accepted and then fail: held objects in the way (`failedrecordings`) and destinations S3 refuses.
@Suite struct ExportFailureTests {
    @Test func aSecondHeldExportUnderTheSamePrefixFailsEveryRecordingWithAccessDenied() async throws {
        let conversations = Array(try FixtureConversation.q1WhatsApp().prefix(2))
        try await withServer { client in
            let token = try await client.token()
            let body = ExportBody.held(conversationIds: conversations.map(\.id))
            let firstId = try #require(try await client.acceptedExport(body, token: token)["id"] as? String)
            #expect(try await client.waitForExport(firstId, token: token)["state"] as? String == "FULFILLED")
            let before = Dictionary(uniqueKeysWithValues: client.server.sinkFiles().map {
                ($0, FileManager.default.contents(atPath: client.server.sinkDir + "/" + $0))
            })

            let secondId = try #require(try await client.acceptedExport(body, token: token)["id"] as? String)
            let job = try await client.waitForExport(secondId, token: token)
            #expect(job["state"] as? String == "FAILED", "every recording failed: \(job)")
            #expect(job["totalRecordings"] as? Int == 2 && job["totalFailedRecordings"] as? Int == 2)
            #expect(job["totalProcessedRecordings"] as? Int == 0)
            #expect(job["manifestKey"] is NSNull)
            #expect((job["errorMessage"] as? String)?.isEmpty == false)

            let failed = try await client.call(.get, "/api/v2/recordings/exports/\(secondId)/failedrecordings", token: token)
            #expect(failed.status == .ok)
            let page = try failed.object()
            #expect(page["total"] as? Int == 2 && page["pageNumber"] as? Int == 1)
            #expect(page["selfUri"] as? String == "/api/v2/recordings/exports/\(secondId)/failedrecordings?pageSize=25&pageNumber=1")
            let entities = page["entities"] as? [[String: Any]] ?? []
            #expect(entities.count == 2)
            for c in conversations {
                let entry = entities.first { ($0["conversation"] as? [String: Any])?["id"] as? String == c.id }
                let e = try #require(entry, "failedrecordings lists conversation \(c.id)")
                #expect((e["conversation"] as? [String: Any])?["selfUri"] as? String == "/api/v2/conversations/\(c.id)")
                let recording = e["recording"] as? [String: Any]
                #expect(recording?["id"] as? String == c.recordingId)
                #expect(recording?["selfUri"] as? String == "/api/v2/conversations/\(c.id)/recordings/\(c.recordingId)")
                #expect((e["errorMessage"] as? String)?.hasPrefix("AccessDenied") == true, "errorMessage: \(e["errorMessage"] ?? "nil")")
            }
            // The held objects of the first export are untouched; the second wrote no manifest.
            for (key, bytes) in before {
                #expect(FileManager.default.contents(atPath: client.server.sinkDir + "/" + key) == bytes, "\(key) changed")
            }
            #expect(!client.server.sinkFiles().contains { $0.contains(secondId) }, "nothing of the failed job in the sink")
            // The first job's failedrecordings is an empty page.
            let none = try await client.call(.get, "/api/v2/recordings/exports/\(firstId)/failedrecordings", token: token).object()
            #expect(none["total"] as? Int == 0 && (none["entities"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: [
        ("no-such-bucket-anywhere", "us-east-1", "NoSuchBucket"),
        ("legal-discovery-eu", "us-east-1", "PermanentRedirect"),
        ("denied-bucket", "us-east-1", "AccessDenied"),
    ])
    func aDestinationS3RefusesIsAcceptedThenFails(_ bucket: String, _ region: String, _ s3Code: String) async throws {
        try await withServer { client in
            let token = try await client.token()
            let response = try await client.createExport(ExportBody.make(bucket: bucket, region: region), token: token)
            #expect(response.status == .accepted, "destination failures are asynchronous: \(response.text)")
            let id = try #require(try response.object()["id"] as? String)
            let job = try await client.waitForExport(id, token: token)
            #expect(job["state"] as? String == "FAILED")
            let message = job["errorMessage"] as? String ?? ""
            #expect(message.hasPrefix(s3Code), "errorMessage: \(message)")
            #expect(message.contains(bucket))
            #expect(job["manifestKey"] is NSNull)
            #expect(client.server.sinkFiles().isEmpty, "nothing written: \(client.server.sinkFiles())")
            try assertErrorBody(try await client.call(.delete, "/api/v2/recordings/exports/\(id)", token: token),
                                .conflict, "export.state.conflict")
        }
    }
}
