import Foundation
import Hummingbird

/// JSON bodies as Genesys sends them: `application/json`, no escaped slashes.
package enum JSONResponse {
    package static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        make(body: try body(value), status: status)
    }

    package static func body<T: Encodable>(_ value: T) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return ByteBuffer(bytes: try encoder.encode(value))
    }

    package static func make(body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=UTF-8"], body: ResponseBody(byteBuffer: body))
    }
}

/// Reads a JSON request body under the configured limit: 415 for another content type, 413 past the limit,
/// 400 when it is not JSON or a string in it holds a forbidden control character (`IdentifierRule`). Returns the
/// parsed value.
package enum JSONBody {
    package static func read(_ request: Request, limit: Int) async throws -> JSONValueBox {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        let mediaType = type.split(separator: ";").first.map { String($0.trimmedBlanks()) } ?? ""
        guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) else {
            throw GenesysError(.unsupportedMediaType, "unsupported.media.type",
                               type.isEmpty ? "The request has no Content-Type; send application/json"
                                            : "Content-Type '\(type)' is not supported; send application/json")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let e as any HTTPResponseError where e.status == .contentTooLarge {
            // NIO's `NIOTooManyBytesError` (what `collectBody(upTo:)` throws), or an `HTTPError(.contentTooLarge)`.
            throw GenesysError(.contentTooLarge, "request.entity.too.large",
                               "The request body is larger than the limit of \(limit) bytes")
        }
        guard let value = JSONValueBox.parse(Data(buffer.readableBytesView)) else {
            throw GenesysError.badRequest("The request body is not valid JSON", field: "body")
        }
        if let hit = value.forbiddenControl() {
            throw GenesysError.badRequest(IdentifierRule.message(field: hit.field, scalar: hit.scalar), field: hit.field,
                                          code: ExportErrorCode.invalidValue)
        }
        return value
    }
}

import DocumentCodecs
import RecordingsDomain

/// A parsed body (a thin box so route files need not import the domain's JSON type by name).
package typealias JSONValueBox = JSONValue
