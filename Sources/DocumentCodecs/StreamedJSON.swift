import Foundation
import RecordingsDomain

/// The manifest and custody file of an export, written piece by piece so that neither is ever whole in memory
/// (a 100,000-recording export lists 200,000 objects). Each is a JSON object with one long array, one compact
/// element per line, and members before it and (for what is known only at the end, like the manifest's counts)
/// after it:
///
/// ```
/// {
///   "bucket": "legal-discovery-eu",
///   …
///   "objects": [
///     {"conversationId":"…","etag":"…","key":"…","recordingId":"…","sha256":"…","size":2911},
///     …
///   ],
///   "counts": {…}
/// }
/// ```
///
/// Any JSON reader takes it whole; `genesys-mock verify` also reads it line by line.
public enum StreamedJSON {
    /// `{` and the leading members (`name: compact JSON`), then the opening of the array member `arrayName`.
    public static func head(_ members: [(String, Data)], arrayName: String) -> Data {
        var out = Data("{\n".utf8)
        for (name, value) in members {
            out += Data("  \(string(name)): ".utf8) + value + Data(",\n".utf8)
        }
        out += Data("  \(string(arrayName)): [\n".utf8)
        return out
    }

    /// What comes before every element of an array but its first.
    public static let separator = ",\n"

    /// One array element on its own line; `first` says whether a separator is needed before it.
    public static func element(_ compact: Data, first: Bool) -> Data {
        (first ? Data() : Data(separator.utf8)) + Data("    ".utf8) + compact
    }

    /// Closes the array, adds the trailing members, closes the object.
    public static func tail(empty: Bool, trailing: [(String, Data)] = []) -> Data {
        var out = Data((empty ? "  ]" : "\n  ]").utf8)
        for (name, value) in trailing {
            out += Data(",\n  \(string(name)): ".utf8) + value
        }
        return out + Data("\n}\n".utf8)
    }

    /// A JSON string literal, as JSONEncoder writes it (see `FastJSON`).
    public static func string(_ s: String) -> String {
        var out: [UInt8] = []
        FastJSON.string(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A manifest object as one compact line (keys sorted, as `CanonicalJSON` writes them).
    public static func line(_ o: Manifest.Object) -> Data {
        var out: [UInt8] = []
        appendLine(o, into: &out)
        return Data(out)
    }

    /// A custody entry as one compact line.
    public static func line(_ e: CustodyFile.Entry) -> Data {
        var out: [UInt8] = []
        appendLine(e, into: &out)
        return Data(out)
    }

    /// `element(line(o), first:)`, appended as bytes: a finisher writes hundreds of thousands of them.
    public static func appendElement(_ o: Manifest.Object, first: Bool, into out: inout [UInt8]) {
        if !first { out += separator.utf8 }
        out += "    ".utf8
        appendLine(o, into: &out)
    }

    /// `element(line(e), first:)`, appended as bytes.
    public static func appendElement(_ e: CustodyFile.Entry, first: Bool, into out: inout [UInt8]) {
        if !first { out += separator.utf8 }
        out += "    ".utf8
        appendLine(e, into: &out)
    }

    static func appendLine(_ o: Manifest.Object, into out: inout [UInt8]) {
        out += #"{"conversationId":"#.utf8
        FastJSON.string(o.conversationId, into: &out)
        out += #","etag":"#.utf8
        FastJSON.string(o.etag, into: &out)
        out += #","key":"#.utf8
        FastJSON.string(o.key, into: &out)
        out += #","recordingId":"#.utf8
        FastJSON.string(o.recordingId, into: &out)
        out += #","sha256":"#.utf8
        FastJSON.string(o.sha256, into: &out)
        out += #","size":"#.utf8
        out += String(o.size).utf8
        out.append(0x7D)
    }

    static func appendLine(_ e: CustodyFile.Entry, into out: inout [UInt8]) {
        out += #"{"event":"#.utf8
        FastJSON.string(e.event, into: &out)
        out += #","hash":"#.utf8
        FastJSON.string(e.hash, into: &out)
        out += #","prevHash":"#.utf8
        FastJSON.string(e.prevHash, into: &out)
        out += #","record":"#.utf8
        FastJSON.string(e.record, into: &out)
        out += #","seq":"#.utf8
        out += String(e.seq).utf8
        out += #","time":"#.utf8
        FastJSON.string(e.time, into: &out)
        out.append(0x7D)
    }

    /// The members of a manifest before its `objects` (its `counts` follow them).
    public static func manifestMembers(jobId: String, caseId: String?, bucket: String, prefix: String?, dateCreated: String,
                                       dateCompleted: String, request: ExportRequest) throws -> [(String, Data)] {
        [("bucket", try CanonicalJSON.data(bucket)), ("caseId", try CanonicalJSON.data(caseId)),
         ("dateCompleted", try CanonicalJSON.data(dateCompleted)),
         ("dateCreated", try CanonicalJSON.data(dateCreated)), ("jobId", try CanonicalJSON.data(jobId)),
         ("prefix", try CanonicalJSON.data(prefix)), ("request", try CanonicalJSON.data(request))]
    }

    /// The members of a custody file before its `entries`.
    public static func custodyMembers(jobId: String, caseId: String, bucket: String, manifestKey: String,
                                      manifestSha256: String) throws -> [(String, Data)] {
        [("algorithm", try CanonicalJSON.data(CustodyFile.algorithmDescription)), ("bucket", try CanonicalJSON.data(bucket)),
         ("caseId", try CanonicalJSON.data(caseId)), ("jobId", try CanonicalJSON.data(jobId)),
         ("manifestKey", try CanonicalJSON.data(manifestKey)), ("manifestSha256", try CanonicalJSON.data(manifestSha256))]
    }
}
