import HTTPTypes

extension HTTPFields {
    /// A header's value exactly as `self[name]` gives it (several fields of the name joined), without the generic
    /// joining that subscript does even for the usual single field: the hot paths read a few headers per request.
    package func value(_ name: HTTPField.Name) -> String? {
        var found: String?
        for field in self where field.name == name {
            guard found == nil else { return self[name] }
            found = field.value
        }
        return found
    }

    /// Whether the request announces a body: a Content-Length other than 0, or a Transfer-Encoding. Under HTTP/1.1 a
    /// request with neither has none (most GETs and HEADs), so there is no end of it to wait for.
    package var announcesBody: Bool {
        if let length = value(.contentLength) { return length != "0" }
        return contains { $0.name == .transferEncoding }
    }
}
