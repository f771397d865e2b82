import Foundation
import NIOCore
import RecordingsDomain

/// A remote store's XML answer, read by the parser the S3 port reads request bodies with (`S3XMLTree`): the text of
/// a child of the root element, when the root is the one expected (`Error/Code`, `InitiateMultipartUploadResult/
/// UploadId`, …), so an element of that name nested anywhere else does not count.
struct RemoteS3Answer {
    let root: S3XMLElement?

    init(_ body: ByteBuffer) {
        // S3 may send blanks ahead of a long CompleteMultipartUpload's answer to keep the connection open; XML allows
        // none before the declaration.
        let bytes = body.readableBytesView.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        root = try? S3XMLTree.parse(Data(bytes)).get()
    }

    /// The text of the one child `name` of the root element `root`; nil when the answer is another document or no XML.
    func text(_ root: String, _ name: String) -> String? {
        guard let element = self.root, element.name == root, let child = try? element.single(name) else { return nil }
        return child.text
    }
}
