import ArgumentParser
import GenesysMock

@main
struct GenesysMockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genesys-mock",
        abstract: "A local, stateful stand-in for the Genesys Cloud recordings API, with a fake S3 sink on disk.",
        subcommands: [Serve.self, Validate.self, Verify.self, Seed.self, Tenant.self],
        defaultSubcommand: Serve.self
    )
}
