import HTTPTypes
import Hummingbird
import Logging
import MockStore
import RecordingsDomain

/// The first middleware: every response gets `ININ-Correlation-Id`, and every error leaves in the shape of its
/// surface (Genesys ErrorBody, OAuth, admin JSON), never as a framework default, an empty body or a stack trace.
package struct SurfaceErrorMiddleware: RouterMiddleware {
    package typealias Context = AppRequestContext
    let known: KnownRoutesBox

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try render(error, request: request, context: context)
        }
        response.headers[.correlationId] = context.correlationId
        return response
    }

    func render(_ error: any Error, request: Request, context: Context) throws -> Response {
        if let e = error as? any HTTPResponseError, !(e is HTTPError) {
            return try e.response(from: request, context: context)
        }
        let path = request.uri.path
        let surface = Surface(path: path)
        if let rejected = error as? IdentifierRejected {
            return try surface.error(status: .badRequest, message: rejected.message).response(from: request, context: context)
        }
        if let violation = error as? RuleViolation {
            return try surface.error(violation).response(from: request, context: context)
        }
        if StorageCondition.isStorageFull(error) {
            return try surface.error(status: .insufficientStorage, message: StorageCondition.message).response(from: request, context: context)
        }
        var status = HTTPResponse.Status.internalServerError
        var message = "The server encountered an internal error"
        if let http = error as? HTTPError {
            status = http.status
            message = http.body ?? http.status.reasonPhrase
            if status == .notFound {
                let allowed = known.methods(for: path)
                if !allowed.isEmpty {
                    return try surface.methodNotAllowed(allowed).response(from: request, context: context)
                }
                message = "No resource at \(path)"
            }
        } else {
            context.logger.error("unhandled error", metadata: ["error": "\(String(describing: error))", "path": "\(path)"])
        }
        return try surface.error(status: status, message: message).response(from: request, context: context)
    }
}

/// Which error shape a path belongs to.
enum Surface {
    case genesys, oauth, admin, console

    init(path: String) {
        if path.hasPrefix("/__admin") {
            self = .admin
        } else if path.hasPrefix("/oauth") {
            self = .oauth
        } else if path == "/console" || path.hasPrefix("/console/") {
            self = .console
        } else {
            self = .genesys
        }
    }

    /// A business rule's refusal, in this surface's shape with the rule's own code.
    func error(_ v: RuleViolation) -> any HTTPResponseError {
        let status: HTTPResponse.Status = switch v.kind {
        case .badRequest: .badRequest
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        }
        switch self {
        case .admin: return AdminError(status, v.code, v.message)
        case .genesys where v.kind == .badRequest: return GenesysError.badRequest(v.message, field: v.field, code: v.code)
        case .genesys: return GenesysError(status, v.code, v.message)
        default: return error(status: status, message: v.message)
        }
    }

    func error(status: HTTPResponse.Status, message: String) -> any HTTPResponseError {
        switch self {
        case .genesys:
            switch status {
            case .notFound: return GenesysError.notFound(message)
            case .contentTooLarge: return GenesysError(status, "request.entity.too.large", message)
            case .internalServerError: return GenesysError.internalError()
            case .insufficientStorage: return GenesysError.storageFull()
            case .forbidden: return GenesysError(status, "forbidden", message)
            default: return GenesysError(status, status.code >= 500 ? "internal.server.error" : "bad.request", message)
            }
        case .oauth:
            let error = status.code >= 500 ? "server_error" : status == .forbidden ? "access_denied" : "invalid_request"
            return OAuthError(status: status, error: error, description: message)
        case .admin:
            let code = status == .notFound ? "not.found" : status == .forbidden ? "forbidden" : status == .contentTooLarge ? "too.large"
                : status == .insufficientStorage ? "insufficient.storage" : (status.code >= 500 ? "internal.error" : "bad.request")
            return AdminError(status, code, message)
        case .console:
            return ConsolePageError(status: status, message: message)
        }
    }

    func methodNotAllowed(_ allowed: [HTTPRequest.Method]) -> any HTTPResponseError {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        switch self {
        case .genesys: return GenesysError.methodNotAllowed(allowed)
        case .oauth:
            var e = OAuthError(status: .methodNotAllowed, error: "invalid_request", description: "Method not allowed; use \(list)")
            e.headers[.allow] = list
            return e
        case .admin:
            var e = AdminError(.methodNotAllowed, "method.not.allowed", "Method not allowed; use \(list)")
            e.headers[.allow] = list
            return e
        case .console:
            var e = ConsolePageError(status: .methodNotAllowed, message: "Method not allowed; use \(list)")
            e.headers[.allow] = list
            return e
        }
    }
}

extension HTTPField.Name {
    package static let correlationId = HTTPField.Name("ININ-Correlation-Id")!
}
