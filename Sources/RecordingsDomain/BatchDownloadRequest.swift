import Foundation

/// One item of a `BatchDownloadJobSubmission` (POST /api/v2/recording/batchrequests, CONTRACT §15): a
/// conversation and one of its recordings, or, without `recordingId`, every recording of the conversation.
public struct BatchDownloadItem: Sendable, Equatable {
    public var conversationId: String
    public var recordingId: String?

    public init(conversationId: String, recordingId: String? = nil) {
        self.conversationId = conversationId
        self.recordingId = recordingId
    }
}

public enum BatchDownloadRequestValidator {
    /// The platform's limit on the items of one batch request.
    public static let maxItems = 100

    public static func validate(_ json: JSONValue) -> Result<[BatchDownloadItem], ValidationFailure> {
        var v: [Violation] = []
        guard case .object(let body) = json else {
            return .failure(ValidationFailure(violations: [
                Violation(ExportErrorCode.badRequest, "body", "The request body must be a BatchDownloadJobSubmission object, not \(json.kindName)"),
            ]))
        }
        let o = body.filter { $0.value != .null }
        v += ExportRequestValidator.unknownKeys(o, known: ["batchDownloadRequestList"], path: "")
        var items: [BatchDownloadItem] = []
        switch o["batchDownloadRequestList"] {
        case nil:
            v.append(Violation(ExportErrorCode.badRequest, "batchDownloadRequestList",
                               "batchDownloadRequestList is required: 1 to \(maxItems) items {conversationId, recordingId}"))
        case .array(let list)?:
            if list.isEmpty {
                v.append(Violation(ExportErrorCode.badRequest, "batchDownloadRequestList", "batchDownloadRequestList must hold at least one item"))
            } else if list.count > maxItems {
                v.append(Violation(ExportErrorCode.badRequest, "batchDownloadRequestList",
                                   "batchDownloadRequestList holds \(list.count) items; a batch request takes at most \(maxItems)"))
            } else {
                for (i, raw) in list.enumerated() {
                    if let item = self.item(raw, path: "batchDownloadRequestList[\(i)]", into: &v) { items.append(item) }
                }
            }
        case let other?:
            v.append(Violation(ExportErrorCode.badRequest, "batchDownloadRequestList",
                               "batchDownloadRequestList must be an array, not \(other.kindName)"))
        }
        return v.isEmpty ? .success(items) : .failure(ValidationFailure(violations: v))
    }

    static func item(_ raw: JSONValue, path: String, into v: inout [Violation]) -> BatchDownloadItem? {
        guard case .object(let body) = raw else {
            v.append(Violation(ExportErrorCode.badRequest, path, "\(path) must be an object {conversationId, recordingId}, not \(raw.kindName)"))
            return nil
        }
        let o = body.filter { $0.value != .null }
        let before = v.count
        v += ExportRequestValidator.unknownKeys(o, known: ["conversationId", "recordingId"], path: path)
        let conversationId = id(o["conversationId"], field: "\(path).conversationId", required: true, into: &v)
        let recordingId = id(o["recordingId"], field: "\(path).recordingId", required: false, into: &v)
        guard v.count == before, let conversationId else { return nil }
        return BatchDownloadItem(conversationId: conversationId, recordingId: recordingId)
    }

    static func id(_ raw: JSONValue?, field: String, required: Bool, into v: inout [Violation]) -> String? {
        guard let raw else {
            if required { v.append(Violation(ExportErrorCode.badRequest, field, "\(field) is required")) }
            return nil
        }
        guard let s = raw.stringValue, !s.isEmpty, s.utf8.count <= 256 else {
            v.append(Violation(ExportErrorCode.badRequest, field, "\(field) must be a non-empty string of at most 256 bytes"))
            return nil
        }
        return s
    }
}

/// When the results of a batch request become readable: the first after `firstMillis`, then one every
/// `intervalMillis` (0: all at once), so a client has to poll as it would on the platform.
public struct BatchDownloadPacing: Sendable, Equatable {
    public var createdMillis: Int64
    public var firstMillis: Int64
    public var intervalMillis: Int64

    public init(createdMillis: Int64, firstMillis: Int64, intervalMillis: Int64) {
        (self.createdMillis, self.firstMillis, self.intervalMillis) = (createdMillis, firstMillis, intervalMillis)
    }

    /// Paced like exports: the export rate's recordings a second, after the pending second; at rate 0 at once.
    public init(createdMillis: Int64, exportRate: Double) {
        guard exportRate > 0, exportRate.isFinite else {
            self.init(createdMillis: createdMillis, firstMillis: 0, intervalMillis: 0)
            return
        }
        self.init(createdMillis: createdMillis, firstMillis: 1000, intervalMillis: max(1, Int64((1000 / exportRate).rounded())))
    }

    /// When result `seq` (from 0) is ready.
    public func readyAt(_ seq: Int) -> Int64 {
        let (product, overflow) = intervalMillis.multipliedReportingOverflow(by: Int64(seq))
        return overflow ? Int64.max : createdMillis.addingSaturating(firstMillis).addingSaturating(product)
    }

    /// How many of `total` results are ready at `now`.
    public func readyCount(total: Int, now: Int64) -> Int {
        guard total > 0, now >= readyAt(0) else { return 0 }
        guard intervalMillis > 0 else { return total }
        let elapsed = now - createdMillis.addingSaturating(firstMillis)
        return min(total, Int(elapsed / intervalMillis) + 1)
    }
}

extension Int64 {
    func addingSaturating(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
