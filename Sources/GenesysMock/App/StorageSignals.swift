import HTTPTypes
import MockStore

/// The sink's `diskFull` is a full disk to the storage condition, like SQLite's SQLITE_FULL.
extension SinkError: StorageFullSignal {
    package var isStorageFull: Bool { code == .diskFull }
}

extension HTTPResponse.Status {
    /// 507 (RFC 4918), which HTTPTypes does not name.
    package static var insufficientStorage: HTTPResponse.Status { .init(code: 507, reasonPhrase: "Insufficient Storage") }
}
