import Foundation
import HTTPTypes
import Hummingbird

/// Guards every console page (see `ConsoleAccess`): the stylesheet, the script and the sign-in page are always
/// served; the rest needs a session that `ConsoleAccess` admits, and a POST needs the session's CSRF token.
struct ConsoleGuard: RouterMiddleware {
    typealias Context = AppRequestContext
    let access: ConsoleAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/console/static/") || path == "/console/sign-in" { return try await next(request, context) }
        var context = context
        let cookie = ConsoleAccess.sessionId(request.headers)
        switch access.mode {
        case .closed:
            throw ConsolePageError(status: .forbidden,
                                   message: "The server listens beyond loopback: start it with --admin-token to use the console")
        case .signInRequired:
            guard let id = cookie, access.admits(id) else {
                guard request.method == .get else { throw ConsolePageError(status: .unauthorized, message: "Sign in first") }
                let target = request.uri.description
                return Response(status: .seeOther, headers: [.location: "/console/sign-in?next=" + target.urlQueryEncoded])
            }
            context.consoleSession = id
            return try await next(request, context)
        case .open:
            let id = cookie ?? ConsoleAccess.newSessionId()
            context.consoleSession = id
            var response = try await next(request, context)
            if cookie == nil { response.headers.append(HTTPField(name: .setCookie, value: ConsoleAccess.setCookie(id))) }
            return response
        }
    }
}
