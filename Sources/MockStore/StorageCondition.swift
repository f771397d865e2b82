import Foundation
import GRDB
import Logging
import RecordingsDomain
import Synchronization

/// Whether the data folder's disk is full. Set when SQLite answers SQLITE_FULL or a file write answers
/// ENOSPC/EDQUOT; cleared by the next successful write of the same kind. Each change is logged once — not
/// every refused request or worker pass — and `/__admin/health`, the API's 507 answers and waiting jobs show it.
/// Nothing is lost meanwhile: a refused write changed nothing, and exports resume where they stopped.
package final class StorageCondition: Sendable {
    package enum Source: String, Sendable { case database, files }

    private struct State {
        var full: Set<Source> = []
        var since: Int64?
    }

    private let state = Mutex(State())
    /// A lock-free look for the common case: nothing is full.
    private let anyFull = Atomic<Bool>(false)
    private let logger: Logger
    /// The mock clock's reading, in milliseconds (the wall clock when none is given).
    private let now: (@Sendable () -> Int64)?

    package init(logger: Logger = Logger(label: "genesys-mock"), now: (@Sendable () -> Int64)? = nil) {
        self.logger = logger
        self.now = now
    }

    package static let message = "The mock's data folder is full: free space on its disk, then retry (nothing was changed)"
    package static let waitingMessage = "Waiting for disk space: the mock's data folder is full; the export resumes where it stopped once space is freed"

    package var isFull: Bool { anyFull.load(ordering: .relaxed) }

    /// When the disk became full (mock clock), or nil.
    package var since: Int64? { state.withLock { $0.since } }

    package func noteFull(_ source: Source) {
        let now = now?() ?? Timestamp.millis(Date())
        let becameFull = state.withLock { s -> Bool in
            let was = !s.full.isEmpty
            s.full.insert(source)
            if !was { s.since = now }
            return !was
        }
        anyFull.store(true, ordering: .relaxed)
        if becameFull {
            logger.error("the data folder is full: writes answer 507 and exports wait until space is freed",
                         metadata: ["storage.source": "\(source.rawValue)"])
        }
    }

    package func noteWritten(_ source: Source) {
        guard anyFull.load(ordering: .relaxed) else { return }
        let cleared = state.withLock { s -> Bool in
            guard s.full.remove(source) != nil, s.full.isEmpty else { return false }
            s.since = nil
            return true
        }
        if cleared {
            anyFull.store(false, ordering: .relaxed)
            logger.notice("the data folder has space again: writes and exports carry on")
        }
    }

    /// True for the errors a full disk causes: SQLite's SQLITE_FULL, a sink write's `diskFull`, ENOSPC/EDQUOT.
    package static func isStorageFull(_ error: any Error) -> Bool {
        if let e = error as? DatabaseError { return e.resultCode == .SQLITE_FULL }
        if let e = error as? any StorageFullSignal { return e.isStorageFull }
        if let e = error as? POSIXError { return e.code == .ENOSPC || e.code == .EDQUOT }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return ns.code == Int(ENOSPC) || ns.code == Int(EDQUOT) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return underlying.code == Int(ENOSPC) || underlying.code == Int(EDQUOT)
        }
        return false
    }
}

/// An error of a layer above the store (the sink's) that can say it was caused by a full disk.
package protocol StorageFullSignal: Error {
    var isStorageFull: Bool { get }
}
