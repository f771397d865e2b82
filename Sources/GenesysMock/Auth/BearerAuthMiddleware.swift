import HTTPTypes
import Hummingbird
import RecordingsDomain

/// Guards `/api/v2`: a valid, unexpired bearer token (401 otherwise), the per-token rate limit (429), and the
/// `inin-ratelimit-*` headers on every authenticated response, errors included.
package struct BearerAuthMiddleware: RouterMiddleware {
    package typealias Context = AppRequestContext
    let tokens: TokenService
    let limiter: RateLimiter
    let clock: MockClock

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let token = try Self.bearerToken(request.headers.value(.authorization))
        let principal: Principal
        switch try await tokens.authenticate(token) {
        case .valid(let p): principal = p
        case .unknown: throw GenesysError.badCredentials()
        case .expired: throw GenesysError.credentialsExpired()
        }
        var context = context
        context.principal = principal
        JournalNote.noteClient(principal.clientId)
        let figures = limiter.hit(principal.tokenKey, now: clock.nowMillis())
        var response: Response
        if figures.exceeded {
            var e = GenesysError(.tooManyRequests, "too.many.requests",
                                 "Rate limit exceeded the maximum [\(figures.allowed)] requests within [60] seconds")
            e.limit = .init(key: "client.credentials.token.rate.per.minute", namespace: "platform.api", value: figures.allowed)
            e.extraHeaders[.retryAfter] = String(figures.resetSeconds)
            response = try e.response(from: request, context: context)
        } else {
            do {
                // The edge rule for `/api/v2` (see `EdgeGuard`), checked here so that the 400 carries the rate-limit headers.
                if let refusal = EdgeGuard.identifierRefusal(request) {
                    EdgeGuard.log(refusal, request, context: context)
                    throw GenesysError.badRequest(refusal.message)
                }
                response = try await next(request, context)
            } catch {
                response = try GenesysError.from(error, logger: context.logger).response(from: request, context: context)
            }
        }
        response.headers[.rateLimitCount] = String(figures.count)
        response.headers[.rateLimitAllowed] = String(figures.allowed)
        response.headers[.rateLimitReset] = String(figures.resetSeconds)
        return response
    }

    /// The token of `Authorization: Bearer <token>`; a missing header, another scheme or an empty token is 401.
    static func bearerToken(_ header: String?) throws -> String {
        guard let header else { throw GenesysError.authenticationRequired() }
        func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" }
        let trimmed = header.drop(while: isBlank)
        guard let space = trimmed.firstIndex(where: isBlank),
              trimmed[..<space].lowercased() == "bearer" else { throw GenesysError.authenticationRequired() }
        var token = trimmed[space...].drop(while: isBlank)
        while let last = token.last, isBlank(last) { token = token.dropLast() }
        guard !token.isEmpty else { throw GenesysError.authenticationRequired() }
        // No token holds a control character: such a header names no token, not a shorter one.
        guard IdentifierRule.isClean(token) else { throw GenesysError.badCredentials() }
        return String(token)
    }
}

extension HTTPField.Name {
    static let rateLimitCount = HTTPField.Name("inin-ratelimit-count")!
    static let rateLimitAllowed = HTTPField.Name("inin-ratelimit-allowed")!
    static let rateLimitReset = HTTPField.Name("inin-ratelimit-reset")!
}

import Foundation
