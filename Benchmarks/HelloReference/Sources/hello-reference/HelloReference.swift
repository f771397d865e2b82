// hello-reference: GET /hello -> a small fixed JSON body, nothing else (no middleware). The yardstick that
// scripts/bench_load.py loads side by side with genesys-mock.
//
//     hello-reference [--port N]      N = 0 (the default) picks a free port
//
// Binds 127.0.0.1 and prints exactly one line, `listening on http://127.0.0.1:PORT`, once it listens.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Hummingbird
import Logging

/// Writes straight to a file descriptor: unbuffered, so the line is out before anyone waits for it.
func writeLine(_ fd: Int32, _ line: String) {
    var bytes = Array((line + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n <= 0 { return }
        offset += n
    }
}

func usage(_ message: String) -> Never {
    writeLine(2, "hello-reference: \(message)\nusage: hello-reference [--port N]")
    exit(2)
}

func parsePort(_ value: String) -> Int {
    guard let number = Int(value), (0...65535).contains(number) else { usage("bad port: \(value)") }
    return number
}

/// `--port N`, `--port=N`, `-h`/`--help`; anything else is an error.
func parseArguments(_ arguments: [String]) -> Int {
    var port = 0
    var rest = arguments[...]
    while let argument = rest.popFirst() {
        if argument == "--port" {
            guard let value = rest.popFirst() else { usage("--port needs a value") }
            port = parsePort(value)
        } else if argument.hasPrefix("--port=") {
            port = parsePort(String(argument.dropFirst("--port=".count)))
        } else if argument == "-h" || argument == "--help" {
            writeLine(1, "usage: hello-reference [--port N]")
            exit(0)
        } else {
            usage("unknown argument: \(argument)")
        }
    }
    return port
}

@main
struct HelloReference {
    static func main() async throws {
        let port = parseArguments(Array(CommandLine.arguments.dropFirst()))
        var logger = Logger(label: "hello-reference")
        logger.logLevel = .error

        let body = ByteBuffer(string: #"{"hello":"world","server":"hello-reference"}"#)
        let router = Router()
        router.get("/hello") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "hello-reference"),
            onServerRunning: { channel in
                writeLine(1, "listening on http://127.0.0.1:\(channel.localAddress?.port ?? port)")
            },
            logger: logger
        )
        try await app.runService()
    }
}
