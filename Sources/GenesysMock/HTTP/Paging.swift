import Hummingbird

/// `pageSize` (1..100, default 25) and `pageNumber` (≥ 1, default 1); anything else is 400.
package struct Paging: Sendable {
    package var pageSize: Int
    package var pageNumber: Int
    package var offset: Int { (pageNumber - 1) * pageSize }

    package init(_ request: Request) throws {
        pageSize = try Self.int(request, "pageSize", default: 25, range: 1...100)
        pageNumber = try Self.int(request, "pageNumber", default: 1, range: 1...1_000_000)
    }

    static func int(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = request.uri.queryParameters[Substring(name)] else { return value }
        guard let n = Int(raw), range.contains(n) else {
            throw GenesysError.badRequest("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(raw)'",
                                          field: name, code: "invalid.value")
        }
        return n
    }
}

/// The Genesys paging envelope; URIs are paths with their query strings, absent links omitted.
package struct PageEnvelope<Entity: Encodable & Sendable>: Encodable, Sendable {
    var entities: [Entity]
    var pageSize: Int
    var pageNumber: Int
    var total: Int
    var pageCount: Int
    var firstUri: String
    var selfUri: String
    var nextUri: String?
    var previousUri: String?
    var lastUri: String

    package init(entities: [Entity], paging: Paging, total: Int, path: String, query: [(String, String)]) {
        self.entities = entities
        pageSize = paging.pageSize
        pageNumber = paging.pageNumber
        self.total = total
        pageCount = (total + paging.pageSize - 1) / paging.pageSize
        func uri(_ page: Int) -> String {
            let q = query + [("pageSize", String(paging.pageSize)), ("pageNumber", String(page))]
            return path + "?" + q.map { "\($0.0)=\(Self.escape($0.1))" }.joined(separator: "&")
        }
        firstUri = uri(1)
        selfUri = uri(paging.pageNumber)
        lastUri = uri(max(1, pageCount))
        nextUri = paging.pageNumber < pageCount ? uri(paging.pageNumber + 1) : nil
        previousUri = paging.pageNumber > 1 ? uri(min(paging.pageNumber - 1, max(1, pageCount))) : nil
    }

    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
    }
}

import Foundation
