import Foundation
import HTTPTypes
import Hummingbird

/// Applies injected HTTP faults (never to `/__admin`, so a test can always clear them).
struct FaultMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let faults: FaultStore

    struct DroppedConnection: Error {}

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard !path.hasPrefix("/__admin"), let fault = faults.fire(method: request.method.rawValue, path: path) else {
            return try await next(request, context)
        }
        if let ms = fault.latencyMs, ms > 0 { try await Task.sleep(for: .milliseconds(ms)) }
        if fault.dropConnection {
            // The head promises a body that never comes: the client sees the connection close mid-response.
            return Response(status: .ok, headers: [.contentLength: "64"], body: ResponseBody { _ in throw DroppedConnection() })
        }
        guard let code = fault.status, let status = Optional(HTTPResponse.Status(code: code)) else {
            return try await next(request, context)
        }
        var e = GenesysError(status, fault.code ?? Self.defaultCode(code), fault.message ?? "Injected fault \(fault.id): HTTP \(code)")
        if code == 429 {
            e.limit = .init(key: "client.credentials.token.rate.per.minute", namespace: "platform.api", value: 300)
        }
        if let retry = fault.retryAfterSeconds ?? (code == 429 || code == 503 ? 1 : nil) {
            e.extraHeaders[.retryAfter] = String(retry)
        }
        if path.hasPrefix("/oauth") {
            var oauth = OAuthError(status: status, error: fault.code ?? (code >= 500 || code == 429 ? "temporarily_unavailable" : "invalid_request"),
                                   description: e.message)
            oauth.headers = e.extraHeaders
            return try oauth.response(from: request, context: context)
        }
        return try e.response(from: request, context: context)
    }

    static func defaultCode(_ status: Int) -> String {
        switch status {
        case 400: return "bad.request"
        case 401: return "authentication.required"
        case 403: return "not.authorized"
        case 404: return "not.found"
        case 409: return "conflict"
        case 429: return "too.many.requests"
        case 503: return "service.unavailable"
        case 504: return "request.timeout"
        default: return status >= 500 ? "internal.server.error" : "bad.request"
        }
    }
}

/// Records every request outside `/__admin` in the journal, after the response is known. It is the outermost
/// middleware, so it reads the body once (under the limit) and hands the buffered request on; a body over the
/// limit is answered here, in the surface's own shape, since a half-read body cannot be read again.
struct JournalMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let journal: RequestJournal
    let clock: MockClock
    let bodyLimit: Int
    /// On the API port the console's own pages are not client calls; on the S3 port "console" is a bucket name.
    var skipsConsole = false
    let tooLarge: @Sendable (Request, Context, Int) throws -> Response

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard !path.hasPrefix("/__admin"), !(skipsConsole && path.hasPrefix("/console")) else { return try await next(request, context) }
        var request = request
        let headers = request.headers
        let millis = clock.nowMillis()
        var body: Data?
        var response: Response
        let note = JournalNote()
        do {
            // A request that announces no body (most GETs) has none to keep: no need to wait for its end.
            if headers.announcesBody {
                let buffer = try await request.collectBody(upTo: bodyLimit)
                body = Data(buffer.readableBytesView)
            } else {
                body = Data()
            }
            let buffered = request
            response = try await JournalNote.$current.withValue(note) { try await next(buffered, context) }
        } catch let e as any HTTPResponseError where e.status == .contentTooLarge && body == nil {
            body = Data("[body over the \(bodyLimit)-byte limit]".utf8)
            response = try tooLarge(request, context, bodyLimit)
        }
        let id = journal.record(millis: millis, method: request.method.rawValue, path: path, query: request.uri.query, headers: headers,
                                body: body, status: Int(response.status.code), client: note.client)
        if response.status.code >= 400 {
            // Keep the error's body (the ErrorBody a trainee needs to see) as it goes out.
            let journal = journal, type = response.headers[.contentType] ?? ""
            response.body = response.body.map { buffer in
                journal.attachResponse(id: id, body: Data(buffer.readableBytesView), contentType: type)
                return buffer
            }
        }
        return response
    }
}

import RecordingsDomain
