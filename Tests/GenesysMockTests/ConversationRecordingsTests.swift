import Foundation
import Testing

/// `/api/v2/conversations/{id}/recordings[/{rid}]` and `/recordingmetadata[/{rid}]` over the seeded data (CONTRACT §3).
@Suite struct ConversationRecordingsTests {
    static func conversation() throws -> FixtureConversation {
        try #require(try FixtureConversation.all().first { $0.orgId == Seed.orgId && $0.messengerType == "whatsapp" })
    }

    @Test func recordingsListsTheOneMessageRecordingWithItsTranscript() async throws {
        let c = try Self.conversation()
        try await withServer { client in
            let token = try await client.token()
            let response = try await client.call(.get, "/api/v2/conversations/\(c.id)/recordings", token: token)
            #expect(response.status == .ok)
            #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
            let list = try response.array()
            #expect(list.count == 1)
            let r = try #require(list.first)
            #expect(r["id"] as? String == c.recordingId && r["conversationId"] as? String == c.id)
            #expect(r["media"] as? String == "message")
            #expect(r["selfUri"] as? String == "/api/v2/conversations/\(c.id)/recordings/\(c.recordingId)")
            for key in ["fileState", "exportDate", "exportedDate", "creationTime"] { #expect(r[key] != nil, "lacks \(key)") }
            #expect(r["exportedDate"] is NSNull, "not exported yet")
            let transcript = try #require(r["messagingTranscript"] as? [[String: Any]])
            #expect(transcript.count == c.messages.count)
            for (entry, message) in zip(transcript, c.messages) {
                for key in ["from", "to", "timestamp", "id", "purpose", "participantId", "messageText"] {
                    #expect(entry[key] is String, "transcript entry lacks \(key): \(entry)")
                }
                #expect(entry["id"] as? String == message.id && entry["participantId"] as? String == message.participantId)
                if let text = message.text { #expect(entry["messageText"] as? String == text) }
                #expect((entry["timestamp"] as? String)?.hasSuffix("Z") == true)
            }

            let one = try await client.call(.get, "/api/v2/conversations/\(c.id)/recordings/\(c.recordingId)", token: token)
            #expect(one.status == .ok)
            let single = try one.object()
            #expect(single["id"] as? String == c.recordingId)
            #expect((single["messagingTranscript"] as? [Any])?.count == c.messages.count)
        }
    }

    @Test func recordingMetadataHasNoTranscriptAndItsOwnSelfUri() async throws {
        let c = try Self.conversation()
        try await withServer { client in
            let token = try await client.token()
            let list = try await client.call(.get, "/api/v2/conversations/\(c.id)/recordingmetadata", token: token)
            #expect(list.status == .ok)
            let items = try list.array()
            #expect(items.count == 1)
            let selfUri = "/api/v2/conversations/\(c.id)/recordingmetadata/\(c.recordingId)"
            #expect(items.first?["messagingTranscript"] == nil)
            #expect(items.first?["selfUri"] as? String == selfUri)
            #expect(items.first?["id"] as? String == c.recordingId && items.first?["media"] as? String == "message")

            let one = try await client.call(.get, selfUri, token: token)
            #expect(one.status == .ok)
            let meta = try one.object()
            #expect(meta["messagingTranscript"] == nil && meta["selfUri"] as? String == selfUri)
        }
    }

    @Test func unknownConversationOrRecordingIs404() async throws {
        let c = try Self.conversation()
        try await withServer { client in
            let token = try await client.token()
            for uri in ["/api/v2/conversations/no-such-conversation/recordings",
                        "/api/v2/conversations/no-such-conversation/recordingmetadata",
                        "/api/v2/conversations/\(c.id)/recordings/no-such-recording",
                        "/api/v2/conversations/\(c.id)/recordingmetadata/no-such-recording"] {
                try assertErrorBody(try await client.call(.get, uri, token: token), .notFound, "not.found")
            }
        }
    }

    @Test func theViewerCanReadRecordings() async throws {
        let c = try Self.conversation()
        try await withServer { client in
            let viewer = try await client.token("mock-viewer")
            for path in ["recordings", "recordings/\(c.recordingId)", "recordingmetadata", "recordingmetadata/\(c.recordingId)"] {
                let response = try await client.call(.get, "/api/v2/conversations/\(c.id)/\(path)", token: viewer)
                #expect(response.status == .ok, "\(path): \(response.text)")
            }
        }
    }

    @Test func exportedDateIsSetOnceAnExportCoveredTheRecording() async throws {
        let c = try Self.conversation()
        let untouched = try #require(try FixtureConversation.q1WhatsApp().dropFirst().first)
        try await withServer { client in
            let token = try await client.token()
            let id = try #require(try await client.acceptedExport(ExportBody.make(conversationIds: [c.id]), token: token)["id"] as? String)
            #expect(try await client.waitForExport(id, token: token)["state"] as? String == "FULFILLED")
            let r = try await client.call(.get, "/api/v2/conversations/\(c.id)/recordings/\(c.recordingId)", token: token).object()
            let exported = try #require(r["exportedDate"] as? String, "exportedDate after the export: \(r["exportedDate"] ?? "nil")")
            #expect(exported.hasSuffix("Z"))
            let meta = try await client.call(.get, "/api/v2/conversations/\(c.id)/recordingmetadata", token: token).array()
            #expect(meta.first?["exportedDate"] as? String == exported)
            let other = try await client.call(.get, "/api/v2/conversations/\(untouched.id)/recordings", token: token).array()
            #expect(other.first?["exportedDate"] is NSNull, "a recording the export did not cover stays unexported")
        }
    }
}
