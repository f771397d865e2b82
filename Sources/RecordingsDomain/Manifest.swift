/// `exports/{jobId}/manifest.json` (CONTRACT §1): what the job wrote, with sizes and hashes.
public struct Manifest: Sendable, Equatable, Codable {
    public struct Object: Sendable, Equatable, Codable {
        public var key: String
        public var size: Int
        public var etag: String
        public var sha256: String
        public var conversationId: String
        public var recordingId: String

        public init(key: String, size: Int, etag: String, sha256: String, conversationId: String, recordingId: String) {
            self.key = key
            self.size = size
            self.etag = etag
            self.sha256 = sha256
            self.conversationId = conversationId
            self.recordingId = recordingId
        }
    }

    public struct Counts: Sendable, Equatable, Codable {
        public var conversations: Int
        public var recordings: Int
        public var exportedRecordings: Int
        public var failedRecordings: Int
        public var skippedRecordings: Int
        public var objects: Int

        public init(conversations: Int, recordings: Int, exportedRecordings: Int, failedRecordings: Int,
                    skippedRecordings: Int, objects: Int) {
            self.conversations = conversations
            self.recordings = recordings
            self.exportedRecordings = exportedRecordings
            self.failedRecordings = failedRecordings
            self.skippedRecordings = skippedRecordings
            self.objects = objects
        }
    }

    public var jobId: String
    public var caseId: String?
    public var bucket: String
    public var prefix: String?
    public var dateCreated: String
    public var dateCompleted: String
    public var request: ExportRequest
    public var counts: Counts
    public var objects: [Object]

    public init(jobId: String, caseId: String?, bucket: String, prefix: String?, dateCreated: String,
                dateCompleted: String, request: ExportRequest, counts: Counts, objects: [Object]) {
        self.jobId = jobId
        self.caseId = caseId
        self.bucket = bucket
        self.prefix = prefix
        self.dateCreated = dateCreated
        self.dateCompleted = dateCompleted
        self.request = request
        self.counts = counts
        self.objects = objects
    }

    enum CodingKeys: String, CodingKey {
        case jobId, caseId, bucket, prefix, dateCreated, dateCompleted, request, counts, objects
    }

    /// `caseId` and `prefix` are written as `null` when absent, so every manifest has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(jobId, forKey: .jobId)
        try c.encode(caseId, forKey: .caseId)
        try c.encode(bucket, forKey: .bucket)
        try c.encode(prefix, forKey: .prefix)
        try c.encode(dateCreated, forKey: .dateCreated)
        try c.encode(dateCompleted, forKey: .dateCompleted)
        try c.encode(request, forKey: .request)
        try c.encode(counts, forKey: .counts)
        try c.encode(objects, forKey: .objects)
    }
}

/// `exports/{jobId}/chain-of-custody.json`: the job's slice of the audit hash chain.
public struct CustodyFile: Sendable, Equatable, Codable {
    public struct Entry: Sendable, Equatable, Codable {
        public var seq: Int64
        public var time: String
        public var event: String
        public var prevHash: String
        public var hash: String
        public var record: String

        public init(seq: Int64, time: String, event: String, prevHash: String, hash: String, record: String) {
            self.seq = seq
            self.time = time
            self.event = event
            self.prevHash = prevHash
            self.hash = hash
            self.record = record
        }
    }

    public var jobId: String
    public var caseId: String
    public var bucket: String
    public var manifestKey: String
    public var manifestSha256: String
    public var algorithm: String
    public var entries: [Entry]

    public static let algorithmDescription = "hash = sha256_hex(utf8(prevHash + record)); entries in seq order; consecutive seq numbers are linked by prevHash"

    public init(jobId: String, caseId: String, bucket: String, manifestKey: String, manifestSha256: String, entries: [Entry]) {
        self.jobId = jobId
        self.caseId = caseId
        self.bucket = bucket
        self.manifestKey = manifestKey
        self.manifestSha256 = manifestSha256
        self.algorithm = Self.algorithmDescription
        self.entries = entries
    }
}
