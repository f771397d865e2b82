import RecordingsDomain

/// The body of `POST /__admin/faults`, checked strictly.
enum FaultParser {
    enum Parsed {
        case http(FaultStore.HTTPFault)
        case export(FaultStore.ExportFault)
    }

    static let httpKeys = ["kind", "port", "method", "path", "nth", "count", "status", "code", "message", "retryAfterSeconds", "latencyMs", "dropConnection"]
    static let exportKeys = ["kind", "denyPutObjectBucket", "failRecordingNumber", "failRecordingId", "message", "writeLatencyMs"]

    static func bad(_ m: String) -> AdminError { AdminError(.badRequest, "bad.request", m) }

    static func int(_ o: [String: JSONValue], _ key: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let v = o[key] else { return nil }
        guard case .int(let n) = v, range.contains(n) else { throw bad("\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)") }
        return n
    }

    static func string(_ o: [String: JSONValue], _ key: String) throws -> String? {
        guard let v = o[key] else { return nil }
        guard let s = v.stringValue, !s.isEmpty, s.count <= 2000 else { throw bad("\(key) must be a non-empty string") }
        return s
    }

    static func parse(_ o: [String: JSONValue]) throws -> Parsed {
        let kind = try string(o, "kind") ?? "http"
        switch kind {
        case "http":
            try ControlRoutes.unknownKeys(o, httpKeys)
            guard let path = try string(o, "path"), path.hasPrefix("/") else { throw bad("path is required: a path pattern starting with '/' (* = one segment, ** = any)") }
            let method = (try string(o, "method") ?? "*").uppercased()
            let portName = try string(o, "port") ?? "api"
            guard let port = FaultStore.HTTPFault.Port(rawValue: portName) else { throw bad("port must be \"api\" or \"s3\"") }
            let status = try int(o, "status", 400...599)  // statuses that can carry an error body
            let latency = try int(o, "latencyMs", 0...60_000)
            var drop = false
            if let d = o["dropConnection"] {
                guard case .bool(let b) = d else { throw bad("dropConnection must be a boolean") }
                drop = b
            }
            guard status != nil || latency != nil || drop else { throw bad("a fault needs status, latencyMs or dropConnection") }
            return .http(FaultStore.HTTPFault(
                id: "", port: port, method: method, path: path, nth: try int(o, "nth", 1...1_000_000), count: try int(o, "count", 1...1_000_000) ?? 1,
                status: status, code: try string(o, "code"), message: try string(o, "message"),
                retryAfterSeconds: try int(o, "retryAfterSeconds", 0...3600), latencyMs: latency, dropConnection: drop))
        case "export":
            try ControlRoutes.unknownKeys(o, exportKeys)
            let f = FaultStore.ExportFault(
                id: "", denyPutObjectBucket: try string(o, "denyPutObjectBucket"), failRecordingNumber: try int(o, "failRecordingNumber", 1...1_000_000),
                failRecordingId: try string(o, "failRecordingId"), message: try string(o, "message"),
                writeLatencyMs: try int(o, "writeLatencyMs", 0...60_000))
            guard f.denyPutObjectBucket != nil || f.failRecordingNumber != nil || f.failRecordingId != nil || f.writeLatencyMs != nil else {
                throw bad("an export fault needs denyPutObjectBucket, failRecordingNumber, failRecordingId or writeLatencyMs")
            }
            return .export(f)
        default:
            throw bad("kind must be \"http\" or \"export\"")
        }
    }
}
