import Foundation
import Logging
import RecordingsDomain
import SystemPackage

/// Log lines on standard error, in swift-log's `StreamLogHandler` layout. Unlike it, metadata is formatted
/// only when a line is actually written: Hummingbird sets a request id on every request's logger, and
/// formatting it eagerly cost a few percent of every request even with nothing logged.
package struct StderrLogHandler: LogHandler {
    package var logLevel: Logger.Level = .info
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?
    private let label: String

    package init(label: String) { self.label = label }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let explicit = event.metadata { all.merge(explicit) { _, new in new } }
        let pretty = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let time = Timestamp.format(millis: Int64(Date().timeIntervalSince1970 * 1000))
        var text = "\(time) \(event.level) \(label) :\(pretty) [\(event.source)] \(event.message)\n"
        // One write(2) per line (swift-system retries a short write or EINTR): lines from different threads
        // never interleave.
        text.withUTF8 { _ = try? FileDescriptor.standardError.writeAll($0) }
    }
}
