import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// `genesys-mock tenant create`: asks a running mock for a tenant (`POST /__admin/tenants`) and prints its
/// credentials as environment lines a CI job sources (`GENESYS_CLOUD_CLIENT_ID=…`, `AWS_ACCESS_KEY_ID=…`).
package enum TenantClient {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// The answer to the creation, as `KEY=value` lines; secrets are printed once, here.
    package static func create(name: String, conversations: Int, url: String, adminToken: String?) async throws -> String {
        guard var base = URL(string: url), base.scheme == "http" || base.scheme == "https", base.host != nil else {
            throw Failure(description: "--url must be the mock's API address, e.g. http://127.0.0.1:8080")
        }
        base.appendPathComponent("__admin/tenants")
        var request = HTTPClientRequest(url: base.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let adminToken { request.headers.add(name: "X-Admin-Token", value: adminToken) }
        let body = try JSONSerialization.data(withJSONObject: ["name": name, "conversations": conversations])
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        } catch {
            throw Failure(description: "could not reach \(url): \(error)")
        }
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let text = String(buffer: bytes)
        guard response.status == .created else {
            throw Failure(description: "the mock answered \(response.status.code): \(text)")
        }
        guard let o = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let clients = o["clients"] as? [String: [String: String]], let s3 = o["s3"] as? [String: String],
              let admin = clients["admin"], let viewer = clients["viewer"] else {
            throw Failure(description: "the mock's answer is not a tenant: \(text.prefix(300))")
        }
        let api = url.hasSuffix("/") ? String(url.dropLast()) : url
        let lines: [(String, Any?)] = [
            ("GENESYS_MOCK_TENANT_ID", o["id"]), ("GENESYS_MOCK_ORG_ID", o["orgId"]),
            ("GENESYS_CLOUD_CLIENT_ID", admin["clientId"]), ("GENESYS_CLOUD_CLIENT_SECRET", admin["clientSecret"]),
            ("GENESYS_CLOUD_VIEWER_CLIENT_ID", viewer["clientId"]), ("GENESYS_CLOUD_VIEWER_CLIENT_SECRET", viewer["clientSecret"]),
            ("GENESYS_CLOUD_API_HOST", api),
            ("GENESYS_MOCK_INTEGRATION_ID", o["integrationId"]),
            ("GENESYS_MOCK_BUCKETS", (o["buckets"] as? [String])?.joined(separator: ",")),
            ("AWS_ACCESS_KEY_ID", s3["accessKeyId"]), ("AWS_SECRET_ACCESS_KEY", s3["secretAccessKey"]),
        ]
        return lines.compactMap { key, value in value.map { "\(key)=\($0)" } }.joined(separator: "\n")
    }
}
