import HTTPTypes
import Hummingbird
import Mustache

/// An error on a console page, answered as a small HTML page (escaped) rather than JSON.
struct ConsolePageError: Error, HTTPResponseError, Sendable {
    var status: HTTPResponse.Status
    var message: String
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status, message: String) {
        self.status = status
        self.message = message
    }

    /// Parsed once; mustache escapes the status and the message like every console value.
    static let page = try! MustacheTemplate(string: LayoutTemplates.errorPage)

    struct View { var code: Int; var reason: String; var message: String }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let html = Self.page.render(View(code: Int(status.code), reason: status.reasonPhrase, message: message))
        var r = ConsoleHTML.response(html, status: status)
        for f in headers { r.headers.append(f) }
        return r
    }
}

enum ConsoleHTML {
    /// Strict headers on every console answer: same-origin scripts and styles only, never framed, never cached.
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
        .cacheControl: "no-store",
    ]

    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// `text` escaped for HTML the way Mustache's `{{…}}` escapes it (`<`, `>`, `&`, `"`, `'`), byte by byte: Mustache
    /// looks each Character up in a dictionary, about 150 ms for the 2 MiB an object page may show.
    static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 8)
            var start = 0
            for i in 0..<bytes.count {
                let entity: StaticString
                switch bytes[i] {
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "\""): entity = "&quot;"
                case UInt8(ascii: "'"): entity = "&#39;"
                default: continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                out.append(contentsOf: UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
            return String(decoding: out, as: UTF8.self)
        }
    }
}
