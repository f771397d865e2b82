import ArgumentParser
import Foundation
import GenesysMock

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an export request offline with the server's own rules (exit 0 valid, 1 invalid, 2 unreadable)."
    )

    @Argument(help: "A JSON file holding the body of POST /api/v2/recordings/exports.")
    var file: String

    @Option(help: "Also check the legal hold's case id against this data folder's registry.")
    var data: String?

    @Option(help: "The org whose registry to check (default: the first seeded org).")
    var org: String?

    func run() throws {
        let outcome = OfflineValidation.run(file: file, dataDir: data, orgId: org)
        if outcome.exitCode == 2 {
            FileHandle.standardError.write(Data((outcome.text + "\n").utf8))
        } else {
            print(outcome.text)
        }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
