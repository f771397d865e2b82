import Foundation
import GenesysMock

/// What `serve` prints once it listens: the URLs, a ready client and a curl line that works.
enum Banner {
    static func show(_ ready: ReadyInfo, config: AppConfiguration, startup: Duration) {
        let ms = Int(startup.components.seconds * 1000 + startup.components.attoseconds / 1_000_000_000_000_000)
        let host = ready.host.contains(":") ? "[\(ready.host)]" : ready.host
        let api = "http://\(host):\(ready.port)"
        let rate = config.exportRate == 0 ? "as fast as possible" : "\(config.exportRate) recordings/s"
        let text = """
        genesys-mock \(MockVersion.current) ready in \(ms) ms
          Genesys API   \(api)
          S3 endpoint   http://\(host):\(ready.s3Port)   (access key mock-access-key / mock-secret-key, path-style)
          Data folder   \(ready.dataDir)   (objects: \(ready.dataDir)/s3/{bucket}/{key})
          Seeded        \(ready.conversations) conversations (fixtures \(ready.fixturesHash.prefix(12)))
          Export pace   \(rate); rate limit \(config.rateLimit == 0 ? "off" : "\(config.rateLimit) requests/min per token")
          OAuth client  mock-admin / mock-admin-secret   (view only: mock-viewer / mock-viewer-secret)
          OpenAPI       \(api)/api/v2/docs/openapi.json
          Console       \(api)/console\(config.adminToken != nil ? "   (sign in with the admin token)" : "")

        Try it:
          TOKEN=$(curl -s -u mock-admin:mock-admin-secret -d grant_type=client_credentials \(api)/oauth/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
          curl -s -H "Authorization: Bearer $TOKEN" \(api)/api/v2/recordings/exports

        """
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
