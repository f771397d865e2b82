import ArgumentParser
import Foundation
import GenesysMock

/// `genesys-mock tenant create NAME`: a tenant on a running mock, for one CI job or one trainee (CONTRACT §16).
struct Tenant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tenants of a running mock: one world, clock and reset per CI job or trainee.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a tenant and print its credentials as environment lines (shown once)."
        )

        @Argument(help: "The tenant's name: 1 to 32 of a-z, 0-9 and inner '-', unique on the mock.")
        var name: String

        @Option(help: "Generated conversations besides the fixtures' own (0 to 10000).")
        var conversations: Int = 0

        @Option(help: "The running mock's API address [GENESYS_MOCK_URL, default http://127.0.0.1:8080].")
        var url: String?

        @Option(name: .customLong("admin-token"), help: "Its admin token, if it listens beyond loopback [GENESYS_MOCK_ADMIN_TOKEN].")
        var adminToken: String?

        func run() async throws {
            let env = ProcessInfo.processInfo.environment
            do {
                print(try await TenantClient.create(name: name, conversations: conversations,
                                                    url: url ?? env["GENESYS_MOCK_URL"] ?? "http://127.0.0.1:8080",
                                                    adminToken: adminToken ?? env["GENESYS_MOCK_ADMIN_TOKEN"]))
            } catch let failure as TenantClient.Failure {
                FileHandle.standardError.write(Data("genesys-mock tenant create: \(failure.description)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
