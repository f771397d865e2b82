import Foundation
import Hummingbird

/// Per-request state: the correlation id every response carries and, on `/api/v2`, the authenticated caller.
package struct AppRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    package var correlationId: String
    package var principal: Principal?
    /// Rate-limit figures to put on the response of an authenticated request.
    package var rateLimitHeaders: RateLimiter.Figures?
    /// On `/console`, the visitor's session (set by `ConsoleGuard`).
    package var consoleSession: String?

    package init(source: Source) {
        coreContext = .init(source: source)
        correlationId = RandomID.correlationId()
    }

    /// Bodies are collected by the routes themselves, against the configured limit.
    package var maxUploadSize: Int { 64 << 20 }

    /// The caller; routes behind `BearerAuthMiddleware` always have one.
    package func caller() throws -> Principal {
        guard let principal else { throw GenesysError.authenticationRequired() }
        return principal
    }
}

/// An authenticated OAuth client: who it is, its org and what it may do.
package struct Principal: Sendable {
    package var clientId: String
    package var orgId: String
    package var userId: String
    package var permissions: Set<String>
    package var tokenKey: String

    package func require(_ permission: String) throws {
        guard permissions.contains(permission) else { throw GenesysError.missingPermissions([permission]) }
    }

    package func requireAny(_ options: [String]) throws {
        guard options.contains(where: permissions.contains) else { throw GenesysError.missingPermissions([options[0]]) }
    }
}

extension AppRequestContext {
    /// A path parameter, percent-decoded (Hummingbird hands them over as they were on the wire).
    package func path(_ name: String) -> String {
        let raw = parameters.get(name) ?? ""
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return raw }
        return raw.removingPercentEncoding ?? raw
    }
}
