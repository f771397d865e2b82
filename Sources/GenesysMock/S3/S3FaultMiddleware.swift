import HTTPTypes
import Hummingbird

/// Injected faults on the S3 port (`/__admin/faults` rules with `"port": "s3"`): added latency, a dropped
/// connection, or an error in S3's XML (`SlowDown` for a 503, `InternalError` for a 500, …), so that S3 clients
/// (boto3's retries, or another genesys-mock exporting here) can be tried against a store that misbehaves.
struct S3FaultMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let faults: FaultStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let fault = faults.fire(method: request.method.rawValue, path: request.uri.path, port: .s3) else {
            return try await next(request, context)
        }
        if let ms = fault.latencyMs, ms > 0 { try await Task.sleep(for: .milliseconds(ms)) }
        if fault.dropConnection {
            return Response(status: .ok, headers: [.contentLength: "64"], body: ResponseBody { _ in throw FaultMiddleware.DroppedConnection() })
        }
        guard let code = fault.status else { return try await next(request, context) }
        var error = S3Error(HTTPResponse.Status(code: code), fault.code ?? Self.defaultCode(code),
                            fault.message ?? "Injected fault \(fault.id): HTTP \(code)")
        if let retry = fault.retryAfterSeconds ?? (code == 503 ? 1 : nil) { error.headers[.retryAfter] = String(retry) }
        throw error
    }

    static func defaultCode(_ status: Int) -> String {
        switch status {
        case 400: return "InvalidRequest"
        case 403: return "AccessDenied"
        case 404: return "NoSuchKey"
        case 409: return "OperationAborted"
        case 429, 503: return "SlowDown"
        case 501: return "NotImplemented"
        default: return status >= 500 ? "InternalError" : "InvalidRequest"
        }
    }
}
