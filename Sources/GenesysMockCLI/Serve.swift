import ArgumentParser
import Foundation
import GenesysMock
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the Genesys API (the default). Every option can also be set by its environment variable."
    )

    @Option(help: "Address to listen on [GENESYS_MOCK_HOST, default 127.0.0.1].")
    var host: String?
    @Option(help: "Genesys API port; 0 = any free port [GENESYS_MOCK_PORT, default 8080].")
    var port: Int?
    @Option(name: .customLong("s3-port"), help: "S3-compatible endpoint port; 0 = any free port [GENESYS_MOCK_S3_PORT, default 9000].")
    var s3Port: Int?
    @Option(help: "Data folder (SQLite + the sink); created on first start [GENESYS_MOCK_DATA, default ./data].")
    var data: String?
    @Option(help: "Fixtures folder [GENESYS_MOCK_FIXTURES, default ./fixtures].")
    var fixtures: String?
    @Option(name: .customLong("export-rate"), help: "Recordings per second per export; 0 = as fast as possible [GENESYS_MOCK_EXPORT_RATE, default 5].")
    var exportRate: Double?
    @Option(name: .customLong("restore-minutes"),
            help: "Minutes of mock clock an archived recording takes to restore [GENESYS_MOCK_RESTORE_MINUTES, default 10].")
    var restoreMinutes: Double?
    @Option(name: .customLong("rate-limit"), help: "Requests per minute per token; 0 = off [GENESYS_MOCK_RATE_LIMIT, default 300].")
    var rateLimit: Int?
    @Option(name: .customLong("journal-size"), help: "Requests the journal keeps (/__admin/requests) [GENESYS_MOCK_JOURNAL_SIZE, default 1000].")
    var journalSize: Int?
    @Option(name: .customLong("admin-token"), help: "Token required on /__admin when listening beyond loopback [GENESYS_MOCK_ADMIN_TOKEN].")
    var adminToken: String?
    @Option(name: .customLong("allowed-host"),
            help: "A host name to serve besides IP addresses, localhost and --host (repeatable; * = any) [GENESYS_MOCK_ALLOWED_HOSTS, comma-separated].")
    var allowedHost: [String] = []
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical [GENESYS_MOCK_LOG_LEVEL, default info].")
    var logLevel: String?

    func validate() throws {
        for (name, value) in [("--port", port), ("--s3-port", s3Port)] {
            if let value, !(0...65535).contains(value) { throw ValidationError("\(name) must be 0...65535") }
        }
        if let exportRate, exportRate < 0 || !exportRate.isFinite { throw ValidationError("--export-rate must be 0 or more") }
        if let restoreMinutes, !(0...525_600).contains(restoreMinutes) { throw ValidationError("--restore-minutes must be from 0 to 525,600") }
        if let rateLimit, rateLimit < 0 { throw ValidationError("--rate-limit must be 0 or more") }
        if let journalSize, !(1...1_000_000).contains(journalSize) { throw ValidationError("--journal-size must be from 1 to 1,000,000") }
        _ = try allowedHosts(flags: allowedHost, nil)
        if let logLevel, Logger.Level(rawValue: logLevel) == nil { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let env = ProcessInfo.processInfo.environment
        MallocArenas.cap(environment: env)
        func setting<T>(_ flag: T?, _ key: String, _ parse: (String) -> T?) throws -> T? {
            if let flag { return flag }
            guard let raw = env[key], !raw.isEmpty else { return nil }
            guard let v = parse(raw) else { throw ValidationError("\(key)=\(raw) is not valid") }
            return v
        }
        var config = AppConfiguration()
        config.host = try setting(host, "GENESYS_MOCK_HOST", { $0 }) ?? config.host
        config.port = try setting(port, "GENESYS_MOCK_PORT", { Int($0) }) ?? config.port
        config.s3Port = try setting(s3Port, "GENESYS_MOCK_S3_PORT", { Int($0) }) ?? config.s3Port
        config.dataDir = try setting(data, "GENESYS_MOCK_DATA", { $0 }) ?? config.dataDir
        config.fixturesDir = try setting(fixtures, "GENESYS_MOCK_FIXTURES", { $0 }) ?? config.fixturesDir
        config.exportRate = try setting(exportRate, "GENESYS_MOCK_EXPORT_RATE", { Double($0) }) ?? config.exportRate
        config.restoreMinutes = try setting(restoreMinutes, "GENESYS_MOCK_RESTORE_MINUTES", { Double($0).flatMap { (0...525_600).contains($0) ? $0 : nil } })
            ?? config.restoreMinutes
        config.rateLimit = try setting(rateLimit, "GENESYS_MOCK_RATE_LIMIT", { Int($0) }) ?? config.rateLimit
        config.journalSize = try setting(journalSize, "GENESYS_MOCK_JOURNAL_SIZE", { Int($0) }) ?? config.journalSize
        config.adminToken = try setting(adminToken, "GENESYS_MOCK_ADMIN_TOKEN", { $0 })
        config.allowedHosts = try allowedHosts(flags: allowedHost, env["GENESYS_MOCK_ALLOWED_HOSTS"])
        config.logLevel = try setting(logLevel, "GENESYS_MOCK_LOG_LEVEL", { Logger.Level(rawValue: $0) == nil ? nil : $0 })
            .flatMap { Logger.Level(rawValue: $0) } ?? config.logLevel

        LoggingSystem.bootstrap { StderrLogHandler(label: $0) }
        let settings = config
        do {
            try await runServer(settings) { ready in
                Banner.show(ready, config: settings, startup: ContinuousClock.now - started)
            }
        } catch let error as FixtureError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// The flags' names, or else the variable's comma-separated ones; each a host name or IP address, or `*`.
    func allowedHosts(flags: [String], _ variable: String?) throws -> [String] {
        let names = flags.isEmpty ? (variable ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : flags
        for name in names where name != "*" {
            let ok = !name.isEmpty && name.utf8.count <= 253
                && name.utf8.allSatisfy { $0 == 45 || $0 == 46 || $0 == 58 || $0 == 91 || $0 == 93 || ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) }
            if !ok { throw ValidationError("--allowed-host '\(name)' is not a host name (letters, digits, '-' and '.'), an IP address or *") }
        }
        return names.filter { !$0.isEmpty }
    }
}
