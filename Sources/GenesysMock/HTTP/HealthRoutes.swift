import Foundation
import Hummingbird

/// Health and the OpenAPI document: open, no token needed.
struct HealthRoutes {
    let services: AppServices
    let fixturesHash: String
    let openAPIDocument: ByteBuffer

    func register(on router: Router<AppRequestContext>, book: RouteBook) {
        router.get("__admin/health") { _, _ in
            try JSONResponse.make(["status": "ready", "version": MockVersion.current, "fixturesHash": fixturesHash])
        }
        router.get("api/v2/health/check") { _, _ in try JSONResponse.make(["status": "ok"]) }
        router.get("api/v2/docs/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=UTF-8"],
                     body: ResponseBody(byteBuffer: openAPIDocument))
        }
        book.add(.get, "/__admin/health")
        book.add(.get, "/api/v2/health/check")
        book.add(.get, "/api/v2/docs/openapi.json")
    }

    /// The document shipped with the binary (`Resources/openapi.json`).
    static func loadDocument() -> ByteBuffer {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return ByteBuffer(string: "{}") }
        return ByteBuffer(bytes: data)
    }
}
