import HTTPTypes
import Hummingbird

/// `/__admin` is open on loopback; when the server listens elsewhere it needs `X-Admin-Token` (CONTRACT §6).
/// The console's pages call it with their session cookie instead: then a state-changing call must carry the
/// session's CSRF token, on loopback too (see `ConsoleAccess`).
struct AdminGuardMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let config: AppConfiguration
    let console: ConsoleAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/__admin"), path != "/__admin/health" else { return try await next(request, context) }
        switch console.adminVerdict(request) {
        case .success?: return try await next(request, context)
        case .failure(let e)?: throw e
        case nil: break
        }
        if let expected = config.adminToken {
            guard let given = request.headers[.adminToken], TokenService.constantTimeEqual(given, expected) else {
                throw AdminError(.unauthorized, "unauthorized", "Send the admin token in the X-Admin-Token header")
            }
        } else if !config.listensOnLoopbackOnly {
            throw AdminError(.forbidden, "forbidden", "The server listens beyond loopback: start it with --admin-token to use /__admin")
        }
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let adminToken = HTTPField.Name("X-Admin-Token")!
}
