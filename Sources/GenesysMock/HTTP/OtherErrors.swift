import HTTPTypes
import Hummingbird

/// Errors of `/oauth/token`: `{"error", "description"}`.
package struct OAuthError: Error, HTTPResponseError, Sendable {
    package var status: HTTPResponse.Status
    package var error: String
    package var description: String
    package var headers: HTTPFields = [:]

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var r = try JSONResponse.make(["error": error, "description": description], status: status)
        for f in headers { r.headers.append(f) }
        return r
    }
}

/// Errors of `/__admin`: plain `{"error", "message"}`.
package struct AdminError: Error, HTTPResponseError, Sendable {
    package var status: HTTPResponse.Status
    package var code: String
    package var message: String
    package var headers: HTTPFields = [:]

    package init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var r = try JSONResponse.make(["error": code, "message": message], status: status)
        for f in headers { r.headers.append(f) }
        return r
    }
}
