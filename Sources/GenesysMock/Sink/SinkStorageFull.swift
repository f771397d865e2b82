import SystemPackage

/// A full disk, as the sink reports it: a failed file call out of space (ENOSPC, or EDQUOT for a quota) is
/// `diskFull` — 507 on the S3 port and the API, a waiting export — and any other failure is `io`. The storage
/// condition is told when a write finds the disk full and when writes succeed again (`/__admin/health`, the
/// one log line per change), so that everything carries on by itself once space is freed.
extension SinkError {
    /// The error for a failed file call: "what failed: why".
    static func failed(_ what: String, _ errno: Errno) -> SinkError {
        let full = errno == .noSpace || errno == .diskQuotaExceeded
        return SinkError(code: full ? .diskFull : .io, message: "\(what): \(errno.description)")
    }

    /// Runs file calls, naming what they do when one fails (see `failed`); a `SinkError` passes unchanged.
    static func naming<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as Errno {
            throw failed(what, e)
        }
    }
}

extension FileSink {
    /// Runs a write and tells the storage condition whether it found room.
    func noting<T>(_ write: () async throws -> T) async throws -> T {
        do {
            let result = try await write()
            storage.noteWritten(.files)
            return result
        } catch let e as SinkError where e.code == .diskFull {
            storage.noteFull(.files)
            throw e
        }
    }

    /// Tells the storage condition when a write found the disk full (a piece of a streamed file: only its
    /// commit says that writes succeed again).
    func notingFull<T>(_ write: () async throws -> T) async throws -> T {
        do {
            return try await write()
        } catch let e as SinkError where e.code == .diskFull {
            storage.noteFull(.files)
            throw e
        }
    }
}
