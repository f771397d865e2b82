import Dispatch
import Foundation
@testable import GenesysMock
import RecordingsDomain
import Synchronization

extension FuzzTarget {
    /// `genesys-mock verify` on an export copy whose manifest (and, after a line `----`, custody file) are the
    /// input: the streamed readers, the whole-file fallback and the custody chain check, against one real object.
    static let verify = FuzzTarget(name: "verify") { bytes in
        let input = Data(bytes)
        let separator = Data("\n----\n".utf8)
        let split = input.range(of: separator)
        let manifest = split.map { input[..<$0.lowerBound] } ?? input
        let custody = split.map { input[$0.upperBound...] }
        let folder = VerifyCopy.shared.folder + "/exports/\(VerifyCopy.jobId)"
        _ = FileManager.default.createFile(atPath: folder + "/manifest.json", contents: Data(manifest))
        let custodyPath = folder + "/chain-of-custody.json"
        if let custody { _ = FileManager.default.createFile(atPath: custodyPath, contents: Data(custody)) } else {
            unlink(custodyPath)
        }
        let exitCode = VerifyCopy.waitFor {
            await ExportVerification.run(manifestPath: folder + "/manifest.json", source: LocalObjects(), report: { _ in }).exitCode
        }
        expect((0...2).contains(exitCode), "verify exits 0, 1 or 2")
    }
}

/// A copy of an export that each input's manifest is checked against, in `GENESYS_FUZZ_TMP` (which `scripts/fuzz`
/// makes and removes) or the temporary folder.
final class VerifyCopy: Sendable {
    static let jobId = "fuzz-job"
    static let shared = VerifyCopy()
    let folder: String

    init() {
        let base = ProcessInfo.processInfo.environment["GENESYS_FUZZ_TMP"] ?? NSTemporaryDirectory()
        folder = base + "/genesys-fuzz-verify-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder + "/exports/\(Self.jobId)", withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(atPath: folder + "/c1", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: folder + "/c1/r1.json", contents: Data("{\"id\":\"r1\"}\n".utf8))
    }

    /// Runs async work to its end from libFuzzer's thread (not one of Swift concurrency's, so it may wait).
    static func waitFor(_ work: @escaping @Sendable () async -> Int32) -> Int32 {
        let result = Mutex<Int32>(-1)
        let done = DispatchSemaphore(value: 0)
        Task {
            let value = await work()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0 }
    }
}
