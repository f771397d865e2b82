import DocumentCodecs
import Foundation
import HTTPTypes
import Hummingbird
import MockStore
import RecordingsDomain

/// The `resultUrl` of a batch download result: like the platform's pre-signed S3 URL, it needs no Authorization
/// header (the unguessable token is the credential) and stops working when the org's batch-download URL lifetime
/// has passed on the mock clock. Its errors are S3's XML, as the platform's URLs answer: 403 `AccessDenied`
/// "Request has expired", 404 `NoSuchKey`.
struct DownloadRoutes {
    let services: AppServices
    static let prefix = "/downloads/recordings/"
    /// What a messaging recording downloads as: its transcript document, byte for byte what an export writes.
    static let contentType = "application/json"

    func register(on router: RouteRegistrar) {
        router.get("downloads/recordings/{token}", use: download)
    }

    static func path(_ token: String) -> String { prefix + token }

    /// 128 random bits in hex.
    @Sendable static func newToken() -> String {
        var g = SystemRandomNumberGenerator()
        return String(format: "%016llx%016llx", g.next() as UInt64, g.next() as UInt64)
    }

    /// The scheme and authority the client reached the API on (the Host header has passed the edge's host rule).
    static func origin(_ request: Request, config: AppConfiguration) -> String {
        "http://" + (request.head.authority ?? "\(config.host):\(config.port)")
    }

    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.path("token")
        guard token.utf8.count == 32, token.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }),
              let target = try await services.db.batchDownloadTarget(token: token)
        else {
            return try S3Error(.notFound, "NoSuchKey", "The specified key does not exist.").response(from: request, context: context)
        }
        let now = services.now(target.orgId)
        guard now >= target.readyAt else {
            return try S3Error(.notFound, "NoSuchKey", "The specified key does not exist.").response(from: request, context: context)
        }
        guard now < target.expiresAt else {
            var e = S3Error.accessDenied("Request has expired")
            e.headers[HTTPField.Name("x-genesys-mock-expired-at")!] = Timestamp.format(millis: target.expiresAt)
            return try e.response(from: request, context: context)
        }
        guard let conversation = target.conversation, target.retention.readable(now: now) else {
            return try S3Error(.notFound, "NoSuchKey", "The recording was deleted or archived after the batch request was made.")
                .response(from: request, context: context)
        }
        let bytes = conversation.recording(exportedDate: nil).prettyData
        var headers: HTTPFields = [.contentType: Self.contentType]
        headers[.contentDisposition] = "attachment; filename=\"\(target.conversationId)_\(target.recordingId).json\""
        headers[.expires] = Timestamp.httpDate(millis: target.expiresAt)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
