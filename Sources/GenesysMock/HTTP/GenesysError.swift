import Foundation
import HTTPTypes
import Hummingbird
import MockStore
import RecordingsDomain

/// The one error of the Genesys-shaped surface: rendered as a Genesys `ErrorBody` whose `contextId` is the
/// request's `ININ-Correlation-Id`.
package struct GenesysError: Error, HTTPResponseError, Sendable {
    package struct Limit: Sendable, Encodable {
        var key: String
        var namespace: String
        var value: Int
    }

    package var status: HTTPResponse.Status
    package var code: String
    package var message: String
    package var details: [Violation] = []
    package var messageWithParams: String?
    package var messageParams: [String: String] = [:]
    package var limit: Limit?
    package var extraHeaders: HTTPFields = [:]

    package init(_ status: HTTPResponse.Status, _ code: String, _ message: String, details: [Violation] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    package var headers: HTTPFields { extraHeaders }

    struct Body: Encodable {
        struct Detail: Encodable {
            var errorCode: String
            var fieldName: String
            var message: String
        }
        var message: String
        var code: String
        var status: Int
        var messageWithParams: String
        var messageParams: [String: String]
        var contextId: String
        var details: [Detail]
        var errors: [String]
        var limit: Limit?
    }

    /// The ErrorBody a client gets, with `contextId` the request's correlation id.
    func body(contextId: String) -> Body {
        Body(message: message, code: code, status: Int(status.code), messageWithParams: messageWithParams ?? message,
             messageParams: messageParams, contextId: contextId,
             details: details.map { .init(errorCode: $0.errorCode, fieldName: $0.fieldName, message: $0.message) },
             errors: [], limit: limit)
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        let correlation = (context as? AppRequestContext)?.correlationId ?? ""
        var response = try JSONResponse.make(body(contextId: correlation), status: status)
        for field in extraHeaders { response.headers.append(field) }
        return response
    }
}

extension GenesysError {
    static func authenticationRequired() -> GenesysError {
        GenesysError(.unauthorized, "authentication.required", "No authentication bearer token specified in authorization header.")
    }

    static func badCredentials() -> GenesysError {
        GenesysError(.unauthorized, "bad.credentials", "Invalid login credentials.")
    }

    static func credentialsExpired() -> GenesysError {
        GenesysError(.unauthorized, "credentials.expired", "The supplied credentials are expired and cannot be used.")
    }

    static func missingPermissions(_ permissions: [String]) -> GenesysError {
        var e = GenesysError(.forbidden, "missing.permissions",
                             "You are missing the following permission(s): \(permissions.joined(separator: ", "))")
        e.messageWithParams = "You are missing the following permission(s): {permissions}"
        e.messageParams = ["permissions": permissions.joined(separator: ", ")]
        return e
    }

    static func notFound(_ what: String = "The requested resource was not found.") -> GenesysError {
        GenesysError(.notFound, "not.found", what)
    }

    static func badRequest(_ message: String, field: String? = nil, code: String = "bad.request") -> GenesysError {
        GenesysError(.badRequest, code, message, details: field.map { [Violation(code, $0, message)] } ?? [])
    }

    static func validation(_ failure: ValidationFailure) -> GenesysError {
        GenesysError(.badRequest, failure.code, failure.message, details: failure.details)
    }

    static func methodNotAllowed(_ allowed: [HTTPRequest.Method]) -> GenesysError {
        var e = GenesysError(.methodNotAllowed, "method.not.allowed",
                             "HTTP method not allowed on this resource; allowed: \(allowed.map(\.rawValue).joined(separator: ", "))")
        e.extraHeaders[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return e
    }

    static func internalError() -> GenesysError {
        GenesysError(.internalServerError, "internal.server.error", "The server encountered an internal error; see the server log.")
    }
}

extension GenesysError {
    /// Any error thrown behind the auth middleware, as an ErrorBody.
    /// 507: the mock's own disk is full (not something the real platform says; the mock has to).
    static func storageFull() -> GenesysError {
        GenesysError(.insufficientStorage, "insufficient.storage", StorageCondition.message)
    }

    static func from(_ error: any Error, logger: Logger) -> GenesysError {
        if let e = error as? GenesysError { return e }
        if let v = error as? RuleViolation, let e = Surface.genesys.error(v) as? GenesysError { return e }
        if StorageCondition.isStorageFull(error) { return .storageFull() }
        if let http = error as? HTTPError {
            return GenesysError(http.status, http.status == .notFound ? "not.found" : "bad.request", http.body ?? http.status.reasonPhrase)
        }
        logger.error("unhandled error", metadata: ["error": "\(String(describing: error))"])
        return .internalError()
    }
}

import Logging
