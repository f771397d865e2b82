import Foundation

/// Where exported objects land in the bucket (CONTRACT §1, GENESYS-FACTS §3): Hive-style partitions of the
/// conversation start in UTC, zero-padded.
public enum ObjectLayout {
    public static func transcriptKey(prefix: String?, orgId: String, conversationStart: Date,
                                     conversationId: String, recordingId: String) -> String {
        let p = Timestamp.parts(conversationStart)
        let pad = Timestamp.pad
        return "\(prefix ?? "")\(orgId)/year=\(pad(p.year, 4))/month=\(pad(p.month, 2))/day=\(pad(p.day, 2))/hour=\(pad(p.hour, 2))/conversation_id=\(conversationId)/\(recordingId).json"
    }

    public static func sidecarKey(transcriptKey: String) -> String { transcriptKey + "_metadata.json" }

    public static func manifestKey(prefix: String?, jobId: String) -> String { "\(prefix ?? "")exports/\(jobId)/manifest.json" }

    public static func custodyKey(prefix: String?, jobId: String) -> String {
        "\(prefix ?? "")exports/\(jobId)/chain-of-custody.json"
    }
}
