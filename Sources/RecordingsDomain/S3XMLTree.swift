import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element of an XML request body: its local name (namespace prefix dropped), attributes, child elements in
/// order and its own character data (entities and CDATA decoded).
public struct S3XMLElement: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String]
    public var children: [S3XMLElement]
    public var text: String

    public init(name: String, attributes: [String: String] = [:], children: [S3XMLElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The children named `name`.
    public func all(_ name: String) -> [S3XMLElement] { children.filter { $0.name == name } }

    /// The one child named `name`: nil when absent, an error when there are several.
    public func single(_ name: String) throws(S3BodyError) -> S3XMLElement? {
        let found = all(name)
        guard found.count <= 1 else { throw .malformedXML("more than one <\(name)> in <\(self.name)>") }
        return found.first
    }

    /// An attribute by its local name (`xsi:type` is found as `type`).
    public func attribute(_ local: String) -> String? {
        attributes.first { $0.key == local || $0.key.hasSuffix(":" + local) }?.value
    }
}

/// Why a request body or header was refused, in S3's terms: the error code (`MalformedXML`, `InvalidTag`, …) and
/// its message. The S3 layer turns it into the XML error answer.
public struct S3BodyError: Error, Sendable, Equatable {
    public var code: String
    public var message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public static func malformedXML(_ why: String) -> S3BodyError {
        S3BodyError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema (\(why))")
    }
}

/// The XML reader for S3 request bodies (tagging, retention, ACL, and the bodies of `S3RequestBodies`): a real XML parser (libxml2 through Foundation's
/// `XMLParser`), so nesting, entities and CDATA are read as XML defines them. A pure function of the bytes: no
/// document type declarations (so no entity expansion, internal or external), at most `maxBytes` bytes (unless the
/// caller allows more) and `maxDepth` levels of nesting.
public enum S3XMLTree {
    public static let maxBytes = 64 * 1024
    public static let maxDepth = 16

    /// The document's root element, or `MalformedXML` saying why not.
    public static func parse(_ bytes: Data, maxBytes: Int = S3XMLTree.maxBytes) -> Result<S3XMLElement, S3BodyError> {
        guard !bytes.isEmpty else { return .failure(.malformedXML("the body is empty")) }
        guard bytes.count <= maxBytes else { return .failure(.malformedXML("the body is longer than \(maxBytes) bytes")) }
        // A DTD is the only way to declare entities; S3 refuses them, and so does this reader, before parsing.
        if bytes.range(of: Data("<!DOCTYPE".utf8)) != nil || bytes.range(of: Data("<!doctype".utf8)) != nil
            || bytes.range(of: Data("<!ENTITY".utf8)) != nil {
            return .failure(.malformedXML("a document type declaration is not allowed"))
        }
        // FoundationXML traps on an element name that is not UTF-8 (found by the `s3-xml` fuzz target), and XML 1.0
        // allows no control character but tab and line breaks: both are refused before libxml2 sees the bytes. So is
        // another encoding declared in the prolog: S3 reads UTF-8 only.
        guard String(validating: bytes, as: UTF8.self) != nil else { return .failure(.malformedXML("the body is not UTF-8")) }
        if bytes.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) {
            return .failure(.malformedXML("the body holds a control character"))
        }
        if bytes.starts(with: Data("<?xml".utf8)), let end = bytes.range(of: Data("?>".utf8)) {
            let prolog = String(decoding: bytes[bytes.startIndex..<end.lowerBound], as: UTF8.self).lowercased()
            if prolog.contains("encoding"), !prolog.contains("utf-8") {
                return .failure(.malformedXML("the body must be UTF-8"))
            }
        }
        let builder = TreeBuilder()
        let parser = XMLParser(data: bytes)
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let ok = parser.parse()
        if let problem = builder.problem { return .failure(.malformedXML(problem)) }
        guard ok, let root = builder.root else { return .failure(.malformedXML("the body is not a well-formed XML document")) }
        return .success(root)
    }

    /// Builds the element tree from the parser's events; stops the parser at the first problem.
    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [S3XMLElement] = []
        var root: S3XMLElement?
        var problem: String?

        static func local(_ qualified: String) -> String {
            guard let colon = qualified.lastIndex(of: ":") else { return qualified }
            return String(qualified[qualified.index(after: colon)...])
        }

        func fail(_ parser: XMLParser, _ why: String) {
            if problem == nil { problem = why }
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                    attributes attributeDict: [String: String] = [:]) {
            guard problem == nil else { return }
            guard root == nil else { return fail(parser, "content after the root element") }
            guard stack.count < S3XMLTree.maxDepth else { return fail(parser, "nested deeper than \(S3XMLTree.maxDepth) levels") }
            stack.append(S3XMLElement(name: Self.local(elementName), attributes: attributeDict))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            guard problem == nil, let done = stack.popLast() else { return }
            if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard problem == nil else { return }
            guard !stack.isEmpty else {
                if !string.allSatisfy(\.isWhitespace) { fail(parser, "text outside the root element") }
                return
            }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            guard problem == nil else { return }
            guard !stack.isEmpty, let text = String(data: CDATABlock, encoding: .utf8) else { return fail(parser, "CDATA outside an element") }
            stack[stack.count - 1].text += text
        }

        func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
            fail(parser, "entity declarations are not allowed")
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            if problem == nil { problem = "the body is not a well-formed XML document" }
        }
    }
}
