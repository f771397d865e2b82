import Foundation
import Hummingbird
import RecordingsDomain

/// `/__admin/health`: `ready`, or `degraded` while the data folder's disk is full (still 200: the mock serves
/// reads and says why writes fail).
struct AdminHealth: Encodable, Sendable {
    struct DataFolder: Encodable, Sendable {
        var full: Bool
        var since: String?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(full, forKey: .full)
            try c.encode(since, forKey: .since)
        }

        enum CodingKeys: String, CodingKey { case full, since }
    }

    var status: String
    var version: String
    var fixturesHash: String
    var dataFolder: DataFolder
}

/// Health and the OpenAPI document: open, no token needed.
struct HealthRoutes {
    let services: AppServices
    let fixturesHash: String
    let openAPIDocument: ByteBuffer

    func register(on router: RouteRegistrar) {
        router.get("__admin/health") { [services] _, _ in
            let storage = services.db.storage
            let full = storage.isFull
            return try JSONResponse.make(AdminHealth(
                status: full ? "degraded" : "ready", version: MockVersion.current, fixturesHash: fixturesHash,
                dataFolder: .init(full: full, since: full ? storage.since.map { Timestamp.format(millis: $0) } : nil)))
        }
        router.get("api/v2/health/check") { _, _ in try JSONResponse.make(["status": "ok"]) }
        router.get("api/v2/docs/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=UTF-8"],
                     body: ResponseBody(byteBuffer: openAPIDocument))
        }
    }

    /// The document shipped with the binary (`Resources/openapi.json`).
    static func loadDocument() -> ByteBuffer {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return ByteBuffer(string: "{}") }
        return ByteBuffer(bytes: data)
    }
}
