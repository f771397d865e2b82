import Foundation
import HTTPTypes
import Hummingbird

/// The one error of the S3 surface: S3's XML `<Error>` with S3's codes. HEAD responses carry no body, as in S3.
package struct S3Error: Error, HTTPResponseError, Sendable {
    package var status: HTTPResponse.Status
    package var code: String
    package var message: String
    package var bucket: String?
    package var key: String?
    package var headers: HTTPFields = [:]
    /// `PermanentRedirect`'s `<Endpoint>`: where the bucket is served.
    package var endpoint: String?

    package init(_ status: HTTPResponse.Status, _ code: String, _ message: String, bucket: String? = nil, key: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.bucket = bucket
        self.key = key
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        let requestId = (context as? AppRequestContext)?.correlationId ?? ""
        var fields = headers
        fields[.contentType] = "application/xml"
        fields[HTTPField.Name("x-amz-request-id")!] = requestId
        if request.method == .head { return Response(status: status, headers: fields) }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(S3XML.escape(message))</Message>"
        if let bucket { xml += "<BucketName>\(S3XML.escape(bucket))</BucketName>" }
        if let key { xml += "<Key>\(S3XML.escape(key))</Key>" }
        if let endpoint { xml += "<Endpoint>\(S3XML.escape(endpoint))</Endpoint>" }
        xml += "<Resource>\(S3XML.escape(request.uri.path))</Resource><RequestId>\(requestId)</RequestId><HostId>genesys-mock</HostId></Error>"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
    }

    static func noSuchBucket(_ b: String) -> S3Error { S3Error(.notFound, "NoSuchBucket", "The specified bucket does not exist", bucket: b) }
    /// A bucket this mock exports into but does not serve: it lives in a remote store.
    static func permanentRedirect(_ b: String, endpoint: String) -> S3Error {
        var e = S3Error(.movedPermanently, "PermanentRedirect",
                        "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
                        bucket: b)
        e.endpoint = endpoint
        return e
    }
    static func noSuchKey(_ b: String, _ k: String) -> S3Error { S3Error(.notFound, "NoSuchKey", "The specified key does not exist.", bucket: b, key: k) }
    static func accessDenied(_ why: String = "Access Denied", bucket: String? = nil, key: String? = nil) -> S3Error {
        S3Error(.forbidden, "AccessDenied", why, bucket: bucket, key: key)
    }
}

/// Tiny XML writing helpers (S3 answers are small and flat).
enum S3XML {
    static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    static let ns = "http://s3.amazonaws.com/doc/2006-03-01/"

    static func escape(_ s: String) -> String {
        if !s.utf8.contains(where: needsEscape) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 cannot carry these at all, not even as references: show the replacement character.
                let illegal = (ch.value < 0x20 && ch != "\t" && ch != "\n" && ch != "\r") || ch.value == 0xFFFE || ch.value == 0xFFFF
                out.unicodeScalars.append(illegal ? "\u{FFFD}" : ch)
            }
        }
        return out
    }

    /// Whether a UTF-8 byte may start something `escape` changes: markup, a control character, or the lead byte
    /// of U+FFFE/U+FFFF (a false alarm on other U+Fxxx only costs the slow path).
    static func needsEscape(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"), 0xEF: return true
        case 0x09, 0x0A, 0x0D: return false
        default: return b < 0x20
        }
    }

    static func element(_ name: String, _ value: String) -> String { "<\(name)>\(escape(value))</\(name)>" }

    static func response(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/xml"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: header + body)))
    }
}
