import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import RecordingsDomain

/// A store's refusal or silence, in S3's words: the `errorMessage` of the job it fails is its description.
package struct RemoteS3Error: Error, Sendable, CustomStringConvertible {
    package var code: String
    package var message: String
    /// Worth another attempt: a 5xx, `SlowDown`, a timeout or a connection that failed.
    var retryable = false
    package var description: String { "\(code): \(message)" }
}

/// The exporter's S3 client for one remote bucket: SigV4-signed calls (the signer the endpoint verifies with)
/// over async-http-client, each with a deadline, each retried a bounded number of times with backoff on a 5xx,
/// `SlowDown` or a failed connection. Nothing here blocks a thread, logs or keeps a credential beyond the call.
package struct RemoteS3Client: Sendable {
    package let bucket: String
    let region: String
    let endpoint: RemoteBucket.Endpoint
    let addressing: RemoteBucket.Addressing
    let credentials: RemoteBucket.Credentials
    /// Attempts per call, the first backoff (doubled each time) and the deadline of one attempt.
    var attempts = 4
    var backoff: Duration = .milliseconds(200)
    var timeout: TimeAmount = .seconds(10)

    /// One client for the process: no redirects (a store's 301 is an answer, not a place to go), connections that
    /// fail fast instead of retrying until the deadline, and enough of them per host for a batch's uploads.
    static let http: HTTPClient = {
        var config = HTTPClient.Configuration(redirectConfiguration: .disallow,
                                              timeout: .init(connect: .seconds(3), read: .seconds(10)))
        config.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: Self.parallelism)
        config.connectionPool.retryConnectionEstablishment = false
        config.decompression = .disabled
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
    }()

    /// Calls in flight at once for one batch.
    static let parallelism = 16

    /// A client for `bucket`, or why none can be made (credentials not set, endpoint not valid).
    package static func make(bucket: String, region: String, remote: RemoteBucket,
                             environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<RemoteS3Client, RemoteS3Error> {
        guard let endpoint = remote.parsedEndpoint else {
            return .failure(RemoteS3Error(code: "InvalidArgument", message: "the endpoint of bucket \(bucket) is not a valid URL"))
        }
        return remote.credentials(bucket: bucket, environment: environment).map {
            RemoteS3Client(bucket: bucket, region: region, endpoint: endpoint, addressing: remote.addressing, credentials: $0)
        }
    }

    /// What the store says: status, headers, and the body (collected up to `maxBody`).
    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    /// Where an object lives: the Host header and the raw (encoded once) path.
    func location(_ key: String) -> (host: String, rawPath: String) {
        let encodedKey = SigV4.uriEncode(key, keepSlash: true)
        switch addressing {
        case .path: return (endpoint.hostHeader, "/\(bucket)/\(encodedKey)")
        case .virtual:
            return ("\(bucket).\(endpoint.host)" + (endpoint.port.map { ":\($0)" } ?? ""), "/\(encodedKey)")
        }
    }

    /// Where the store is, for messages (never with credentials).
    package var storeName: String { "\(endpoint.scheme)://\(endpoint.hostHeader)" }

    /// One call, signed, with its deadline and bounded retries. A 2xx (or a status in `accept`) is returned; any
    /// other answer is thrown as the store's `<Code>` and `<Message>`. `payloadHash` is the body's SHA-256 hex when
    /// the caller has it already.
    func call(_ method: HTTPMethod, key: String, query: String? = nil, headers: [(String, String)] = [], body: Data? = nil,
              payloadHash: String? = nil, accept: Set<Int> = [], maxBody: Int = 1 << 20) async throws -> Answer {
        let payloadHash = payloadHash ?? Digest.sha256Hex(body ?? Data())
        return try await withRetries {
            let answer = try await once(method, key: key, query: query, headers: headers, body: body,
                                        payloadHash: payloadHash, maxBody: maxBody)
            if (200..<300).contains(answer.status) || accept.contains(answer.status) { return answer }
            throw Self.error(answer, method: method, bucket: bucket, key: key)
        }
    }

    /// Runs `attempt` up to `attempts` times, backing off between them, while it fails in a way worth another try:
    /// a retryable answer of the store (5xx, `SlowDown`) or no answer at all. The last failure names the attempts.
    func withRetries<T>(_ attempt: () async throws -> T) async throws -> T {
        var lastError = RemoteS3Error(code: "ConnectionError", message: "no attempt was made")
        var wait = backoff
        for n in 1...max(1, attempts) {
            if n > 1 {
                try await Task.sleep(for: wait)
                wait *= 2
            }
            do {
                return try await attempt()
            } catch let error as RemoteS3Error {
                guard error.retryable else { throw error }
                lastError = error
            } catch let error as SinkError {
                throw error  // this side's disk, not the store
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // A call cut short by a graceful stop is not the store's failure: the job resumes on restart.
                try Task.checkCancellation()
                lastError = connectionError(error)
            }
        }
        lastError.message += " (\(attempts) attempts)"
        throw lastError
    }

    private func once(_ method: HTTPMethod, key: String, query: String?, headers: [(String, String)], body: Data?,
                      payloadHash: String, maxBody: Int) async throws -> Answer {
        let request = signedRequest(method, key: key, query: query, headers: headers, body: body, payloadHash: payloadHash)
        let response = try await Self.http.execute(request, timeout: timeout)
        let bytes = method == .HEAD ? ByteBuffer() : try await response.body.collect(upTo: maxBody)
        return Answer(status: Int(response.status.code), headers: response.headers, body: bytes)
    }

    /// A request to the store, signed now.
    func signedRequest(_ method: HTTPMethod, key: String, query: String? = nil, headers: [(String, String)] = [], body: Data? = nil,
                       payloadHash: String) -> HTTPClientRequest {
        let (host, rawPath) = location(key)
        var all = [("host", host)] + headers
        if let body, body.count > 0 || method == .PUT { all.append(("content-length", "\(body.count)")) }
        let signed = SigV4.sign(method: method.rawValue, rawPath: rawPath, rawQuery: query, headers: all, payloadHash: payloadHash,
                                accessKeyId: credentials.accessKeyId, secret: credentials.secretAccessKey,
                                sessionToken: credentials.sessionToken, region: region, time: Int(Date().timeIntervalSince1970))
        let url = "\(endpoint.scheme)://\(host)\(rawPath)" + (query.map { "?\($0)" } ?? "")
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in all + signed where name != "content-length" { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        return request
    }

    /// The store's error answer as a `RemoteS3Error`: its `<Code>` and `<Message>` when it sent them (a HEAD has no
    /// body: its status names it).
    static func error(_ answer: Answer, method: HTTPMethod, bucket: String, key: String) -> RemoteS3Error {
        let xml = RemoteS3Answer(answer.body)
        let code = xml.text("Error", "Code")
        let message = xml.text("Error", "Message")
        let fallback: String
        switch answer.status {
        case 301: fallback = "PermanentRedirect"
        case 400: fallback = "BadRequest"
        case 403: fallback = "AccessDenied"
        case 404: fallback = "NoSuchKey"
        case 503: fallback = "SlowDown"
        default: fallback = answer.status >= 500 ? "InternalError" : "HTTP\(answer.status)"
        }
        var error = RemoteS3Error(code: code ?? fallback,
                                  message: (message ?? "the store answered \(method.rawValue) with HTTP \(answer.status)")
                                      + " (bucket \(bucket), key \(key))")
        if error.code == "PermanentRedirect", let endpoint = xml.text("Error", "Endpoint") {
            error.message += "; the store names the endpoint \(endpoint)"
        }
        error.retryable = answer.status >= 500 || error.code == "SlowDown" || error.code == "RequestTimeout"
        return error
    }

    /// A call that got no answer, named as such.
    func connectionError(_ error: any Error) -> RemoteS3Error {
        let text = String(describing: error)
        let why: String
        if let e = error as? HTTPClientError, e == .deadlineExceeded || e == .readTimeout || e == .connectTimeout {
            why = "no answer within \(timeout.nanoseconds / 1_000_000_000) s"
        } else if text.localizedCaseInsensitiveContains("refused") {
            why = "connection refused"
        } else {
            why = String(text.prefix(200))
        }
        return RemoteS3Error(code: "ConnectionError", message: "could not reach the S3 store at \(storeName): \(why)", retryable: true)
    }
}

extension RemoteS3Client {
    /// What HEAD tells of an object.
    package struct Head: Sendable, Equatable {
        package var size: Int
        /// Without quotes.
        package var etag: String
        package var legalHold: Bool

        package init(size: Int, etag: String, legalHold: Bool) {
            self.size = size
            self.etag = etag
            self.legalHold = legalHold
        }
    }

    /// The object under `key`, or nil when there is none. A HEAD's refusal has no body, so the same key is read
    /// (one byte) to learn the store's words for it.
    package func head(_ key: String) async throws -> Head? {
        let answer = try await call(.HEAD, key: key, accept: [403, 400, 301, 404])
        switch answer.status {
        case 404:
            return nil
        case 200..<300:
            let size = answer.headers.first(name: "content-length").flatMap(Int.init) ?? -1
            let etag = (answer.headers.first(name: "etag") ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return Head(size: size, etag: etag, legalHold: answer.headers.first(name: "x-amz-object-lock-legal-hold")?.uppercased() == "ON")
        default:
            _ = try await call(.GET, key: key, headers: [("range", "bytes=0-0")], maxBody: 1 << 16)
            throw RemoteS3Error(code: "AccessDenied", message: "the store refused HEAD on \(key) (HTTP \(answer.status))")
        }
    }

    /// Headers every object of an export carries.
    static func objectHeaders(contentType: String, userMetadata: [String: String], legalHold: Bool) -> [(String, String)] {
        var h = [("content-type", contentType)]
        for (name, value) in userMetadata.sorted(by: { $0.key < $1.key }) { h.append(("x-amz-meta-\(name)", value)) }
        if legalHold { h.append(("x-amz-object-lock-legal-hold", "ON")) }
        return h
    }

    /// PutObject with `Content-MD5`; returns the ETag the store gave (the MD5 hex for a single PUT). `digests`: the
    /// data's MD5 and SHA-256 hex when the caller has them already.
    package func put(_ key: String, data: Data, contentType: String, userMetadata: [String: String], legalHold: Bool,
                     digests: (md5: Data, sha256: String)? = nil) async throws -> String {
        let md5 = digests?.md5 ?? Data(Insecure.MD5.hash(data: data))
        let headers = Self.objectHeaders(contentType: contentType, userMetadata: userMetadata, legalHold: legalHold)
            + [("content-md5", md5.base64EncodedString())]
        let answer = try await call(.PUT, key: key, headers: headers, body: data, payloadHash: digests?.sha256)
        return (answer.headers.first(name: "etag") ?? Digest.hex(md5)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// Puts an existing object under legal hold (PutObjectLegalHold): a resumed export finds its bytes in place
    /// but, written by an earlier unheld export, without the hold.
    package func holdObject(_ key: String) async throws {
        let body = Data("<LegalHold xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>ON</Status></LegalHold>".utf8)
        _ = try await call(.PUT, key: key, query: "legal-hold=", headers: [("content-md5", Data(Insecure.MD5.hash(data: body)).base64EncodedString()),
                                                                         ("content-type", "application/xml")], body: body)
    }

    /// An object's bytes, or nil when there is none (`verify`).
    package func get(_ key: String, maxBody: Int = 1 << 30) async throws -> Data? {
        let answer = try await call(.GET, key: key, accept: [404], maxBody: maxBody)
        if answer.status == 404 {
            let error = Self.error(answer, method: .GET, bucket: bucket, key: key)
            if error.code == "NoSuchKey" { return nil }
            throw error
        }
        return Data(buffer: answer.body)
    }
}
