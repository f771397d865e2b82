import HTTPTypes
import Hummingbird

/// An error on a console page, answered as a small HTML page (escaped) rather than JSON.
struct ConsolePageError: Error, HTTPResponseError, Sendable {
    var status: HTTPResponse.Status
    var message: String
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status, message: String) {
        self.status = status
        self.message = message
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(status.code) · genesys-mock console</title><link rel="stylesheet" href="/console/static/console.css"></head>
            <body class="sign-in-page"><main id="main"><h1>\(status.code) \(HTML.escape(status.reasonPhrase))</h1>
            <p id="page-error">\(HTML.escape(message))</p><p><a href="/console">Back to the console</a></p></main></body></html>
            """
        var r = ConsoleHTML.response(html, status: status)
        for f in headers { r.headers.append(f) }
        return r
    }
}

enum HTML {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

enum ConsoleHTML {
    /// Strict headers on every console answer: same-origin scripts and styles only, never framed, never cached.
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        .cacheControl: "no-store",
    ]

    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
