import Foundation
import Hummingbird
import RecordingsDomain

/// `POST /oauth/token` with `grant_type=client_credentials` (CONTRACT §7); client id and secret by HTTP Basic
/// or as form fields. Errors are OAuth's `{"error", "description"}`.
struct OAuthRoutes {
    let services: AppServices

    func register(on router: RouteRegistrar) {
        router.post("oauth/token", use: token)
    }

    @Sendable func token(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw OAuthError(status: .badRequest, error: "invalid_request",
                             description: "Send the request as application/x-www-form-urlencoded with grant_type=client_credentials")
        }
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: 64 * 1024) } catch {
            throw OAuthError(status: .badRequest, error: "invalid_request", description: "The request body is too large")
        }
        let form = Self.parseForm(String(decoding: body.readableBytesView, as: UTF8.self))
        guard form["grant_type"] == "client_credentials" else {
            throw OAuthError(status: .badRequest, error: form["grant_type"] == nil ? "invalid_request" : "unsupported_grant_type",
                             description: "grant_type must be client_credentials")
        }
        var clientId = form["client_id"]
        var secret = form["client_secret"]
        if let basic = Self.basicCredentials(request.headers[.authorization]) {
            clientId = basic.0
            secret = basic.1
        }
        guard let clientId, let secret else {
            throw OAuthError(status: .unauthorized, error: "invalid_client",
                             description: "Client authentication is required (HTTP Basic or client_id/client_secret)")
        }
        for (name, value) in [("client_id", clientId), ("client_secret", secret)] {
            if let c = IdentifierRule.firstControl(in: value.utf8) {
                throw OAuthError(status: .badRequest, error: "invalid_request",
                                 description: "\(name) holds the control character \(IdentifierRule.describe(c))")
            }
        }
        JournalNote.noteClient(clientId)
        do {
            let issued = try await services.tokens.issue(clientId: clientId, secret: secret)
            struct Token: Encodable { var access_token: String; var token_type: String; var expires_in: Int }
            return try JSONResponse.make(Token(access_token: issued.token, token_type: "bearer", expires_in: issued.expiresIn))
        } catch is TokenService.Failure {
            throw OAuthError(status: .unauthorized, error: "invalid_client", description: "Unknown client or wrong secret")
        }
    }

    static func parseForm(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            out[decode(kv[0])] = kv.count > 1 ? decode(kv[1]) : ""
        }
        return out
    }

    static func basicCredentials(_ header: String?) -> (String, String)? {
        guard let header, header.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
