import HTTPTypes
import Hummingbird
import Synchronization

/// Counts the requests a surface is handling. Past its limit a request is answered at once, with a clean 503
/// in the surface's own shape and `Retry-After`, rather than queued without bound: whatever the number of
/// clients, every request gets an answer.
package final class InFlightLimiter: Sendable {
    private let count = Atomic<Int>(0)
    package let limit: Int

    package init(limit: Int) { self.limit = limit }

    /// Takes a slot, or returns false when all `limit` are taken.
    func enter() -> Bool {
        if count.wrappingAdd(1, ordering: .relaxed).newValue <= limit { return true }
        count.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    func leave() { count.wrappingSubtract(1, ordering: .relaxed) }

    /// Requests being handled now.
    package var current: Int { count.load(ordering: .relaxed) }
}

/// The outermost middleware of both servers: it costs two atomic operations per request.
struct LoadSheddingMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: InFlightLimiter
    let overloaded: @Sendable (Request, Context) throws -> Response

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard limiter.enter() else { return try overloaded(request, context) }
        defer { limiter.leave() }
        return try await next(request, context)
    }
}

extension LoadSheddingMiddleware {
    /// The Genesys API port: a Genesys ErrorBody on `/api/v2`, OAuth's shape on `/oauth`, admin JSON on `/__admin`.
    static func api(_ limiter: InFlightLimiter) -> Self {
        Self(limiter: limiter) { request, context in
            let message = "The service is busy (\(limiter.limit) requests in progress); retry after 1 second"
            let error: any HTTPResponseError
            switch Surface(path: request.uri.path) {
            case .genesys:
                var e = GenesysError(.serviceUnavailable, "service.unavailable", message)
                e.extraHeaders[.retryAfter] = "1"
                error = e
            case .oauth:
                var e = OAuthError(status: .serviceUnavailable, error: "temporarily_unavailable", description: message)
                e.headers[.retryAfter] = "1"
                error = e
            case .admin:
                var e = AdminError(.serviceUnavailable, "service.unavailable", message)
                e.headers[.retryAfter] = "1"
                error = e
            case .console:
                var e = ConsolePageError(status: .serviceUnavailable, message: message)
                e.headers[.retryAfter] = "1"
                error = e
            }
            var response = try error.response(from: request, context: context)
            response.headers[.correlationId] = context.correlationId
            return response
        }
    }

    /// The S3 port: S3's own `SlowDown`.
    static func s3(_ limiter: InFlightLimiter) -> Self {
        Self(limiter: limiter) { request, context in
            var e = S3Error(.serviceUnavailable, "SlowDown", "Please reduce your request rate.")
            e.headers[.retryAfter] = "1"
            return try e.response(from: request, context: context)
        }
    }
}
