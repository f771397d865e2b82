import RecordingsDomain

/// A string the store refused to bind: it holds a control character (`IdentifierRule`). GRDB hands strings to
/// SQLite as C strings, which end at the first NUL, so `job-1\u{0}junk` would find `job-1`. Every store method that
/// looks something up by a caller's string checks it here first, so a route that forgot the edge rule still cannot
/// name another resource; each surface answers this error with its own 400.
package struct IdentifierRejected: Error, Sendable, Equatable {
    package let scalar: UInt32

    package init(scalar: UInt32) { self.scalar = scalar }

    package var message: String {
        "An identifier holds the control character \(IdentifierRule.describe(scalar)); no identifier may hold one"
    }
}

enum StoreKeys {
    /// Throws `IdentifierRejected` when any of `values` holds a control character.
    static func check(_ values: String?...) throws {
        for case let value? in values {
            if let c = IdentifierRule.firstControl(in: value.utf8) { throw IdentifierRejected(scalar: c) }
        }
    }

    static func check(_ values: [String]) throws {
        for value in values {
            if let c = IdentifierRule.firstControl(in: value.utf8) { throw IdentifierRejected(scalar: c) }
        }
    }
}

/// A document the store holds that its reader cannot read (written by hand into the database, or damaged).
package struct UnreadableDocument: Error, Sendable, Equatable, CustomStringConvertible {
    package var kind: String
    package var id: String

    package var description: String { "the stored \(kind) \(id) is not readable" }
}
