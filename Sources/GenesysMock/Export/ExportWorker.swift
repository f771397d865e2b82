import Logging
import MockStore
import ServiceLifecycle
import Synchronization

/// Wakes the worker early when a job is created.
package final class WakeSignal: Sendable {
    private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    package init() {}

    package func signal() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if let w = s.waiter { s.waiter = nil; return w }
            s.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns when signalled or after `timeout`, whichever comes first.
    package func wait(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    let resumeNow = self.state.withLock { s -> Bool in
                        if s.pending { s.pending = false; return true }
                        s.waiter = c
                        return false
                    }
                    if resumeNow { c.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.signal()
            }
            await group.next()
            group.cancelAll()
        }
        state.withLock { $0.pending = false }
    }
}

/// The service that drives export jobs. It stops at an object boundary on graceful shutdown.
package struct ExportWorker: Service {
    let engine: ExportEngine
    let wake: WakeSignal
    let gate: AsyncGate
    let orgs: KeyedGate

    package init(engine: ExportEngine, wake: WakeSignal, gate: AsyncGate, orgs: KeyedGate) {
        self.engine = engine
        self.wake = wake
        self.gate = gate
        self.orgs = orgs
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            // A failure that repeats (a full disk, a broken database) is logged once, not on every pass.
            var lastFailure: String?
            var lastTrim = ContinuousClock.now
            while !Task.isCancelled {
                var result = ExportEngine.StepResult()
                do {
                    result = try await gate.run { try await engine.step(orgs: orgs) }
                    lastFailure = nil
                    // Memory stays flat however long the export: at most once a second of work, malloc's free holes go back.
                    if result.didWork, ContinuousClock.now - lastTrim > .seconds(1) {
                        try await BlockingIO.run { MallocArenas.trim() }
                        lastTrim = .now
                    }
                } catch is CancellationError {
                    return
                } catch where StorageCondition.isStorageFull(error) {
                    // The condition logged itself; jobs show it. Try again in a second.
                    await wake.wait(timeout: .seconds(1))
                    continue
                } catch {
                    let text = "\(error)"
                    if text != lastFailure {
                        engine.logger.error("export worker step failed; retrying", metadata: ["error": "\(text)"])
                        lastFailure = text
                    }
                    await wake.wait(timeout: .seconds(1))
                    continue
                }
                if result.didWork && engine.exportRate == 0 {
                    await Task.yield()
                } else {
                    await wake.wait(timeout: result.active ? .milliseconds(20) : .milliseconds(500))
                }
            }
        }
    }
}

/// Per-job "not before" times for injected slow writes, in monotonic uptime.
package final class Cooldowns: Sendable {
    private let until = Mutex<[String: UInt64]>([:])

    package init() {}

    func hold(_ jobId: String, milliseconds: Int) {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(milliseconds) * 1_000_000
        until.withLock { $0[jobId] = deadline }
    }

    func ready(_ jobId: String) -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        return until.withLock { map in
            guard let t = map[jobId] else { return true }
            if now >= t { map[jobId] = nil; return true }
            return false
        }
    }
}

import Dispatch
