import Foundation
import Hummingbird
import RecordingsDomain

/// `/__admin`: reset, the clock, fault rules and the request journal (CONTRACT §6).
struct ControlRoutes {
    let services: AppServices
    let control: ControlPlane

    func register(on router: RouteRegistrar) {
        router.post("__admin/reset", use: reset)
        router.get("__admin/clock", use: clock)
        router.put("__admin/clock", use: setClock)
        router.post("__admin/clock/advance", use: advance)
        router.get("__admin/faults", use: faults)
        router.post("__admin/faults", use: addFault)
        router.delete("__admin/faults", use: clearFaults)
        router.delete("__admin/faults/{faultId}", use: removeFault)
        router.get("__admin/requests", use: requests)
        router.delete("__admin/requests", use: clearRequests)
    }

    static func body(_ request: Request, _ limit: Int) async throws -> [String: JSONValue] {
        let json: JSONValue
        do { json = try await JSONBody.read(request, limit: limit) } catch let e as GenesysError {
            let code = e.status == .unsupportedMediaType ? "unsupported.media.type" : e.status == .contentTooLarge ? "too.large" : "bad.request"
            throw AdminError(e.status, code, e.message)
        }
        guard case .object(let o) = json else { throw AdminError(.badRequest, "bad.request", "The body must be a JSON object") }
        return o
    }

    static func unknownKeys(_ o: [String: JSONValue], _ known: [String]) throws {
        if let k = o.keys.sorted().first(where: { !known.contains($0) }) {
            let hint = KeyHint.suggestion(for: k, among: known).map { "; did you mean '\($0)'?" } ?? ""
            throw AdminError(.badRequest, "bad.request", "Unknown field '\(k)'\(hint)")
        }
    }

    @Sendable func reset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        try await control.reset()
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        return try JSONResponse.make(ResetResult(status: "reset", tookMs: (ms * 10).rounded() / 10))
    }

    struct ResetResult: Encodable { var status: String; var tookMs: Double }
    struct ClockState: Encodable { var now: String; var frozen: Bool }

    func clockState() -> ClockState {
        ClockState(now: Timestamp.format(millis: services.clock.nowMillis()), frozen: services.clock.isFrozen)
    }

    @Sendable func clock(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(clockState())
    }

    @Sendable func setClock(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (target, freeze) = try await Self.clockSetting(request, services.config.bodyLimit)
        try await control.moveClock { services.clock.set(nowMillis: target, frozen: freeze) }
        return try JSONResponse.make(clockState())
    }

    /// A clock setting `{now?, frozen?}` (the shared clock's and a tenant's).
    static func clockSetting(_ request: Request, _ limit: Int) async throws -> (now: Int64?, frozen: Bool?) {
        let o = try await Self.body(request, limit)
        try Self.unknownKeys(o, ["now", "frozen"])
        var now: Int64?
        if let raw = o["now"] {
            guard let s = raw.stringValue, let d = Timestamp.parse(s) else {
                throw AdminError(.badRequest, "bad.request", "now must be an ISO-8601 date-time")
            }
            now = Timestamp.millis(d)
        }
        var frozen: Bool?
        if let raw = o["frozen"] {
            guard case .bool(let b) = raw else { throw AdminError(.badRequest, "bad.request", "frozen must be a boolean") }
            frozen = b
        }
        return (now, frozen)
    }

    @Sendable func advance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let delta = try await Self.advanceSetting(request, services.config.bodyLimit, from: services.clock.nowMillis())
        try await control.moveClock { services.clock.advance(millis: delta) }
        return try JSONResponse.make(clockState())
    }

    /// An advance `{seconds}` of a clock now at `from`, in milliseconds.
    static func advanceSetting(_ request: Request, _ limit: Int, from: Int64) async throws -> Int64 {
        let o = try await Self.body(request, limit)
        try Self.unknownKeys(o, ["seconds"])
        let seconds: Double
        switch o["seconds"] {
        case .int(let i)?: seconds = Double(i)
        case .double(let d)?: seconds = d
        default: throw AdminError(.badRequest, "bad.request", "seconds is required: a number of seconds, 0 or more")
        }
        guard seconds >= 0, seconds <= 10 * 365 * 86_400 else {
            throw AdminError(.badRequest, "bad.request", "seconds must be from 0 to 10 years")
        }
        let delta = Int64((seconds * 1000).rounded())
        guard from + delta <= Timestamp.maxMillis else {
            throw AdminError(.badRequest, "bad.request", "the clock cannot go past 9999-12-31T23:59:59.999Z")
        }
        return delta
    }

    @Sendable func faults(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(FaultList(control.faults.list()))
    }

    @Sendable func addFault(_ request: Request, context: AppRequestContext) async throws -> Response {
        let o = try await Self.body(request, services.config.bodyLimit)
        switch try FaultParser.parse(o) {
        case .http(let f): return try JSONResponse.make(control.faults.add(f), status: .created)
        case .export(let f): return try JSONResponse.make(control.faults.add(f), status: .created)
        }
    }

    @Sendable func clearFaults(_ request: Request, context: AppRequestContext) async throws -> Response {
        control.faults.clear()
        return Response(status: .noContent)
    }

    @Sendable func removeFault(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = context.path("faultId")
        guard control.faults.remove(id) else { throw AdminError(.notFound, "not.found", "No fault rule \(id)") }
        return Response(status: .noContent)
    }

    @Sendable func requests(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        var limit = 100
        if let raw = q["limit"] {
            guard let n = Int(raw), (1...control.journal.capacity).contains(n) else {
                throw AdminError(.badRequest, "bad.request", "limit must be from 1 to \(control.journal.capacity)")
            }
            limit = n
        }
        func text(_ name: String) -> String? { q[Substring(name)].map { String($0).removingPercentEncoding ?? String($0) } }
        var filter = RequestJournal.Filter(method: q["method"].map { String($0).uppercased() }, pathContains: text("path"),
                                           client: text("client"), statusClass: text("status")?.lowercased())
        if let s = filter.statusClass, !RequestJournal.statusClasses.contains(s) {
            throw AdminError(.badRequest, "bad.request", "status must be one of \(RequestJournal.statusClasses.joined(separator: ", "))")
        }
        if let id = text("tenant") {
            // A tenant's traffic: its two OAuth clients' and its S3 key's (CONTRACT §16).
            guard IdentifierRule.isClean(id), let stored = try await services.db.tenant(id: id) else { throw TenantRoutes.notFound(id) }
            let record = try TenantWorld(stored).record
            filter.clients = [record.adminClientId, record.viewerClientId, record.accessKeyId]
        }
        if let raw = q["afterId"] {
            guard let n = Int(raw), n >= 0 else { throw AdminError(.badRequest, "bad.request", "afterId must be a whole number, 0 or more") }
            filter.afterId = n
        }
        return try JSONResponse.make(["requests": control.journal.entries(filter, limit: limit)])
    }

    @Sendable func clearRequests(_ request: Request, context: AppRequestContext) async throws -> Response {
        control.journal.clear()
        return Response(status: .noContent)
    }
}

struct FaultList: Encodable {
    var faults: [FaultStore.HTTPFault]
    var exportFaults: [FaultStore.ExportFault]

    init(_ l: (http: [FaultStore.HTTPFault], export: [FaultStore.ExportFault])) {
        faults = l.http
        exportFaults = l.export
    }
}
