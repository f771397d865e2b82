import ArgumentParser
import Foundation
import GenesysMock
import Synchronization

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add N generated WhatsApp conversations to a data folder, deterministically (same --seed, same conversations)."
    )

    @Option(help: "How many conversations to generate.")
    var conversations: Int

    @Option(help: "The generator's seed.")
    var seed: UInt64 = 1

    @Option(help: "Data folder [GENESYS_MOCK_DATA, default ./data].")
    var data: String?

    @Option(help: "Fixtures folder, used if the data folder is new [GENESYS_MOCK_FIXTURES, default ./fixtures].")
    var fixtures: String?

    @Option(help: "The org the conversations belong to (default: the first seeded org).")
    var org: String?

    func validate() throws {
        guard (1...10_000_000).contains(conversations) else { throw ValidationError("--conversations must be from 1 to 10,000,000") }
    }

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let dataDir = data ?? env["GENESYS_MOCK_DATA"] ?? "./data"
        let fixturesDir = fixtures ?? env["GENESYS_MOCK_FIXTURES"] ?? "./fixtures"
        let interactive = isatty(STDERR_FILENO) != 0
        let lastShown = Mutex(-1)
        let started = ContinuousClock.now
        do {
            let outcome = try await GeneratedSeeder.run(dataDir: dataDir, fixturesDir: fixturesDir, count: conversations, seed: seed,
                                                  orgId: org) { done, total in
                let percent = done * 100 / total
                guard lastShown.withLock({ shown in defer { shown = percent }; return shown != percent }) else { return }
                let seconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e18
                    + Double((ContinuousClock.now - started).components.seconds)
                let rate = seconds > 0 ? Double(done) / seconds : 0
                let eta = rate > 0 ? Int((Double(total - done) / rate).rounded(.up)) : 0
                let bar = String(repeating: "#", count: percent / 4) + String(repeating: ".", count: 25 - percent / 4)
                let line = "[\(bar)] \(done)/\(total) conversations  \(Int(rate))/s  "
                    + (done < total ? "ETA \(eta / 60)m\(String(format: "%02d", eta % 60))s" : "done in \(Int(seconds.rounded())) s")
                if interactive {
                    FileHandle.standardError.write(Data("\r\(line)\u{1B}[K".utf8))
                } else if percent % 10 == 0 {
                    FileHandle.standardError.write(Data("\(line)\n".utf8))
                }
            }
            if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
            let elapsed = ContinuousClock.now - started
            print("seeded \(outcome.added) new conversations (\(outcome.alreadyThere) already there) into org \(outcome.orgId) in \(elapsed)")
        } catch let error as FixtureError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
