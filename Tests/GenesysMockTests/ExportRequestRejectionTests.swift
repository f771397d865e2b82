import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// The schema, body and media-type rows of CONTRACT §1's error table, over HTTP.
@Suite struct ExportRequestRejectionTests {
    @Test func everySchemaViolationIsListedInDetails() async throws {
        try await withServer { client in
            let token = try await client.token()
            let request = """
            {"storage": {"destinationType": "ftp", "bucketName": "Bad_Bucket", "region": "mars", "prefix": "/abs/../x"},
             "filter": {"mediaTypes": ["whatsapp", "fax"], "interval": "2023-04-01T00:00:00Z/2023-01-01T00:00:00Z",
                        "conversationIds": []},
             "legalHold": {"enabled": true}}
            """
            let response = try await client.createExport(request, token: token)
            let body = try assertErrorBody(response, .badRequest, "bad.request")
            let expected: [String: String] = [
                "legalHold": "bad.request", "storage.destinationType": "invalid.value", "storage.bucketName": "invalid.value",
                "storage.region": "invalid.value", "storage.prefix": "invalid.value", "filter.mediaTypes[1]": "invalid.value",
                "filter.interval": "invalid.date", "filter.conversationIds": "bad.request",
            ]
            #expect(Set(detailFields(body)) == Set(expected.keys), "details: \(response.text)")
            for (field, code) in expected { #expect(detailCode(body, field) == code, "errorCode of \(field)") }
            let message = body["message"] as? String ?? ""
            #expect(message.contains("legalHold") && message.contains("legal_hold"), "a hint for the near miss: \(message)")
            #expect(message.contains("and 7 more"), "the message says more follow: \(message)")
            #expect(try await client.exportTotal(token: token) == 0)
        }
    }

    @Test(arguments: [
        (#"{"storage": {"destinationType": "s3", "bucketName": "recordings-us", "region": "us-east-1"}, "filter": {"mediaTypes": ["whatsapp"], "interval": "2023-02-01T00:00:00Z/2023-01-01T00:00:00Z"}}"#,
         "invalid.date", "filter.interval"),
        (#"{"storage": {"destinationType": "s3", "bucketName": "recordings-us", "region": "us-east-1"}, "filter": {"mediaTypes": ["whatsapp"], "interval": "last week"}}"#,
         "invalid.date", "filter.interval"),
        (#"{"storage": {"destinationType": "s3", "bucketName": "192.168.1.1", "region": "us-east-1"}, "filter": {"mediaTypes": ["whatsapp"]}}"#,
         "invalid.value", "storage.bucketName"),
        (#"{"filter": {"mediaTypes": ["whatsapp"]}}"#, "bad.request", "storage"),
        (#"{"storage": {"destinationType": "s3", "bucketName": "recordings-us", "region": "us-east-1"}, "filter": {"mediaTypes": []}}"#,
         "bad.request", "filter.mediaTypes"),
        (#"{"storage": {"destinationType": "s3", "bucketName": "recordings-us", "region": "us-east-1", "prefx": "a/"}, "filter": {"mediaTypes": ["whatsapp"]}}"#,
         "bad.request", "storage.prefx"),
    ])
    func aSingleViolationNamesItsField(_ request: String, _ code: String, _ field: String) async throws {
        try await withServer { client in
            let token = try await client.token()
            let response = try await client.createExport(request, token: token)
            let body = try assertErrorBody(response, .badRequest, code)
            #expect(detailFields(body) == [field], "details: \(response.text)")
            #expect((body["message"] as? String)?.contains(field) == true, "message names \(field): \(response.text)")
            #expect(try await client.exportTotal(token: token) == 0)
        }
    }

    @Test(arguments: ["{not json", "", "{\"storage\": ", "\u{FEFF}garbage"])
    func aBodyThatIsNotJSONIs400BadRequest(_ text: String) async throws {
        try await withServer { client in
            let token = try await client.token()
            let body = try assertErrorBody(try await client.createExport(text, token: token), .badRequest, "bad.request")
            #expect((body["message"] as? String)?.contains("not valid JSON") == true, "\(body["message"] ?? "")")
            #expect(try await client.exportTotal(token: token) == 0)
            #expect(client.server.sinkFiles().isEmpty)
        }
    }

    @Test(arguments: ["[]", "[{\"storage\": {}}]", "\"export\"", "42", "null"])
    func aJSONBodyThatIsNotAnObjectIs400BadRequest(_ text: String) async throws {
        try await withServer { client in
            let token = try await client.token()
            let body = try assertErrorBody(try await client.createExport(text, token: token), .badRequest, "bad.request")
            #expect((body["message"] as? String)?.contains("must be a JSON object") == true, "\(body["message"] ?? "")")
            #expect(detailFields(body) == ["body"])
            #expect(try await client.exportTotal(token: token) == 0)
        }
    }

    @Test(arguments: ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
    func aContentTypeOtherThanJSONIs415(_ type: String) async throws {
        try await withServer { client in
            let token = try await client.token()
            let response = try await client.call(.post, "/api/v2/recordings/exports", token: token,
                                                 headers: [.contentType: type],
                                                 body: ExportBody.make())
            let body = try assertErrorBody(response, .unsupportedMediaType, "unsupported.media.type")
            #expect((body["message"] as? String)?.contains(type) == true)
            #expect(try await client.exportTotal(token: token) == 0)
        }
    }

    @Test(arguments: ["application/json; charset=utf-8", "Application/JSON", "application/vnd.genesys+json"])
    func aJSONContentTypeWithParametersOrASuffixIsAccepted(_ type: String) async throws {
        try await withServer { client in
            let token = try await client.token()
            let response = try await client.call(.post, "/api/v2/recordings/exports", token: token,
                                                 headers: [.contentType: type], body: ExportBody.make())
            #expect(response.status == .accepted, "\(type): \(response.text)")
        }
    }

    @Test func aMissingContentTypeIs415() async throws {
        try await withServer { client in
            let token = try await client.token()
            let response = try await client.call(.post, "/api/v2/recordings/exports", token: token, body: ExportBody.make())
            try assertErrorBody(response, .unsupportedMediaType, "unsupported.media.type")
        }
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        try await withServer({ $0.config.bodyLimit = 1024 }) { client in
            let token = try await client.token()
            let padding = String(repeating: "a", count: 2048)
            let request = ExportBody.make(prefix: "cases/\(padding)/")
            #expect(request.utf8.count > 2048)
            let body = try assertErrorBody(try await client.createExport(request, token: token), .contentTooLarge,
                                           "request.entity.too.large")
            #expect((body["message"] as? String)?.contains("1024") == true)
            // Just under the limit is fine.
            #expect(try await client.createExport(ExportBody.make(), token: token).status == .accepted)
            #expect(try await client.exportTotal(token: token) == 1)
        }
    }
}
