import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// `POST /oauth/token` (CONTRACT §7): client credentials by Basic or form fields; OAuth-shaped errors.
@Suite struct OAuthTokenTests {
    @Test func basicCredentialsGiveABearerToken() async throws {
        try await withServer { client in
            let response = try await client.tokenResponse("mock-admin")
            #expect(response.status == .ok)
            #expect(response.correlationId?.isEmpty == false)
            let body = try response.object()
            #expect((body["access_token"] as? String)?.isEmpty == false)
            #expect(body["token_type"] as? String == "bearer")
            #expect(body["expires_in"] as? Int == 86400)
            let token = try #require(body["access_token"] as? String)
            #expect(try await client.call(.get, "/api/v2/recordings/exports", token: token).status == .ok)
        }
    }

    @Test func formFieldsInsteadOfBasicAlsoWork() async throws {
        try await withServer { client in
            let form = "grant_type=client_credentials&client_id=mock-viewer&client_secret=mock-viewer-secret"
            let response = try await client.call(.post, "/oauth/token",
                                                 headers: [.contentType: "application/x-www-form-urlencoded"], body: form)
            #expect(response.status == .ok, "\(response.text)")
            let token = try #require(try response.object()["access_token"] as? String)
            #expect(try await client.call(.get, "/api/v2/recordings/exports", token: token).status == .ok)
            // The viewer's token carries the viewer's permissions.
            #expect(try await client.createExport(ExportBody.make(), token: token).status == .forbidden)
        }
    }

    @Test func aWrongSecretIs401InvalidClient() async throws {
        try await withServer { client in
            let response = try await client.tokenResponse("mock-admin", secret: "wrong")
            #expect(response.status == .unauthorized)
            let body = try response.object()
            #expect(body["error"] as? String == "invalid_client")
            #expect((body["description"] as? String)?.isEmpty == false)
            #expect(body["access_token"] == nil)
            #expect(response.correlationId?.isEmpty == false)
            let unknown = try await client.tokenResponse("nobody", secret: "nothing")
            #expect(unknown.status == .unauthorized)
            #expect(try unknown.object()["error"] as? String == "invalid_client")
            let noCredentials = try await client.call(.post, "/oauth/token", headers: [.contentType: "application/x-www-form-urlencoded"],
                                                      body: "grant_type=client_credentials")
            #expect(noCredentials.status == .unauthorized)
            #expect(try noCredentials.object()["error"] as? String == "invalid_client")
        }
    }

    @Test func anotherGrantTypeIs400UnsupportedGrantType() async throws {
        try await withServer { client in
            let response = try await client.tokenResponse("mock-admin", form: "grant_type=password&username=a&password=b")
            #expect(response.status == .badRequest)
            let body = try response.object()
            #expect(body["error"] as? String == "unsupported_grant_type")
            #expect((body["description"] as? String)?.contains("client_credentials") == true)
        }
    }

    @Test func aJSONBodyIs400InvalidRequest() async throws {
        try await withServer { client in
            let response = try await client.tokenResponse("mock-admin", form: #"{"grant_type": "client_credentials"}"#,
                                                          contentType: "application/json")
            #expect(response.status == .badRequest)
            let body = try response.object()
            #expect(body["error"] as? String == "invalid_request")
            #expect((body["description"] as? String)?.isEmpty == false)
            let missingGrant = try await client.tokenResponse("mock-admin", form: "scope=x")
            #expect(missingGrant.status == .badRequest)
            #expect(try missingGrant.object()["error"] as? String == "invalid_request")
        }
    }
}
