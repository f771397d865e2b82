import Foundation

/// An org's `RecordingSettings` (GET|PUT /api/v2/recording/settings). The batch-download URL lifetime is the one
/// the mock acts on: a batch request's result URLs stop working that many minutes after they appear.
public struct RecordingSettings: Sendable, Equatable, Codable {
    public var maxSimultaneousStreams: Int
    public var maxConfigurableScreenRecordingStreams: Int
    public var regionalRecordingStorageEnabled: Bool
    public var recordingPlaybackUrlTtl: Int
    public var recordingBatchDownloadUrlTtl: Int
    public var stopRecordingWhenOnlyExternalParticipants: Bool

    public static let defaults = RecordingSettings(
        maxSimultaneousStreams: 1, maxConfigurableScreenRecordingStreams: 1, regionalRecordingStorageEnabled: false,
        recordingPlaybackUrlTtl: 60, recordingBatchDownloadUrlTtl: 60, stopRecordingWhenOnlyExternalParticipants: false)

    /// The SDK's documented range of both URL lifetimes, in minutes.
    public static let ttlRange = 2...60
    public static let maxStreams = 100

    public var batchDownloadUrlTtlMillis: Int64 { Int64(recordingBatchDownloadUrlTtl) * 60_000 }
}

public enum RecordingSettingsValidator {
    /// The permission each field's change needs (GENESYS-FACTS §7).
    public static let permissions: [String: String] = [
        "maxSimultaneousStreams": "recording:settings:editScreenRecordings",
        "maxConfigurableScreenRecordingStreams": "recording:settings:editScreenRecordings",
        "stopRecordingWhenOnlyExternalParticipants": "recording:settings:editScreenRecordings",
        "regionalRecordingStorageEnabled": "recording:settings:editRegionalStorage",
        "recordingPlaybackUrlTtl": "recording:settings:editUrlExpiration",
        "recordingBatchDownloadUrlTtl": "recording:settings:editUrlExpiration",
    ]

    /// The settings after a PUT: the fields it gives replace the current ones, the others are kept (the SDK
    /// leaves out what its caller did not set). Also returns the fields given, whose permissions the caller needs.
    public static func apply(_ json: JSONValue, to current: RecordingSettings) -> Result<(RecordingSettings, [String]), ValidationFailure> {
        guard case .object(let body) = json else {
            return .failure(ValidationFailure(violations: [
                Violation(ExportErrorCode.badRequest, "body", "The request body must be a RecordingSettings object, not \(json.kindName)"),
            ]))
        }
        // An unknown key is refused even with a null value; a known one that is null is not given (the SDK's None).
        var v = ExportRequestValidator.unknownKeys(body, known: Array(permissions.keys).sorted(), path: "")
        let o = body.filter { $0.value != .null }
        var s = current
        func int(_ key: String, _ range: ClosedRange<Int>, unit: String) -> Int? {
            guard let raw = o[key] else { return nil }
            if case .int(let n) = raw, range.contains(n) { return n }
            v.append(Violation(ExportErrorCode.invalidValue, key,
                               "\(key) must be a whole number of \(unit) from \(range.lowerBound) to \(range.upperBound)"))
            return nil
        }
        func bool(_ key: String) -> Bool? {
            guard let raw = o[key] else { return nil }
            if case .bool(let b) = raw { return b }
            v.append(Violation(ExportErrorCode.invalidValue, key, "\(key) must be true or false, not \(raw.kindName)"))
            return nil
        }
        if let n = int("recordingBatchDownloadUrlTtl", RecordingSettings.ttlRange, unit: "minutes") { s.recordingBatchDownloadUrlTtl = n }
        if let n = int("recordingPlaybackUrlTtl", RecordingSettings.ttlRange, unit: "minutes") { s.recordingPlaybackUrlTtl = n }
        if let n = int("maxSimultaneousStreams", 0...RecordingSettings.maxStreams, unit: "streams") { s.maxSimultaneousStreams = n }
        if let n = int("maxConfigurableScreenRecordingStreams", 0...RecordingSettings.maxStreams, unit: "streams") {
            s.maxConfigurableScreenRecordingStreams = n
        }
        if let b = bool("regionalRecordingStorageEnabled") { s.regionalRecordingStorageEnabled = b }
        if let b = bool("stopRecordingWhenOnlyExternalParticipants") { s.stopRecordingWhenOnlyExternalParticipants = b }
        guard v.isEmpty else { return .failure(ValidationFailure(violations: v)) }
        return .success((s, o.keys.sorted()))
    }
}
