import Foundation
import GenesysMock
import Hummingbird
import HummingbirdTesting

/// Where the repository and its fixtures are, derived from this file's path.
enum Repo {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }   // Support, GenesysMockTests, Tests, <repo>
        return url.path
    }()
    static let fixtures = root + "/fixtures"
}

/// Facts of the seeded world (fixtures/) the tests rely on.
enum Seed {
    static let orgId = "c0269c73-d0b8-4863-831c-beffe2a01d8f"
    static let otherOrgId = "e37e52e7-d604-42ee-8402-3a86a6767534"
    static let adminUserId = "18715b29-d4a7-4a15-8ddd-242175bdb2b0"
    static let activeCase = "LH-2023-001"
    static let releasedCase = "LH-2022-017"
}

/// One server under test: its own temporary data folder, its own clock and configuration.
struct TestServer: Sendable {
    let clock = MockClock()
    var config: AppConfiguration

    var dataDir: String { config.dataDir }
    var sinkDir: String { dataDir + "/s3" }

    /// A fresh temporary data folder unless `dataDir` is given (to restart on an earlier one).
    init(dataDir: String? = nil) {
        config = AppConfiguration()
        config.dataDir = dataDir ?? Self.makeTempDir()
        config.fixturesDir = Repo.fixtures
        config.exportRate = 0
        config.rateLimit = 0
        config.s3Port = 0  // the S3 endpoint runs as a service of the app: any free port
        config.logLevel = .error
    }

    static func makeTempDir() -> String {
        let path = FileManager.default.temporaryDirectory.path + "/genesys-mock-tests-" + UUID().uuidString.lowercased()
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Builds the application on this folder and runs `test` against its router (the export worker runs too).
    func run<T: Sendable>(_ test: @Sendable (Client) async throws -> T) async throws -> T {
        let app = try await buildApplication(config, clock: clock)
        let server = self
        return try await app.test(.router) { raw in try await test(Client(raw: raw, server: server)) }
    }

    func removeData() {
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    /// Every regular file under the sink folder (`<data>/s3`), as paths relative to it.
    func sinkFiles() -> [String] {
        guard let e = FileManager.default.enumerator(atPath: sinkDir) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: sinkDir + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
                out.append(rel)
            }
        }
        return out.sorted()
    }
}

/// Runs `test` on a fresh server (adjusted by `configure`) and removes its data folder afterwards.
func withServer(
    _ configure: (inout TestServer) -> Void = { _ in },
    _ test: @Sendable (Client) async throws -> Void
) async throws {
    var server = TestServer()
    configure(&server)
    defer { server.removeData() }
    try await server.run(test)
}
