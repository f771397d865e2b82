import Foundation
@testable import GenesysMock
import NIOCore
import Testing

/// What a remote store answers, read as XML: an error's code only from `Error/Code`, an upload's id and ETag only
/// from their result documents.
@Suite struct RemoteS3AnswerTests {
    func answer(_ s: String) -> RemoteS3Answer { RemoteS3Answer(ByteBuffer(string: s)) }

    @Test func anErrorDocumentGivesItsCodeMessageAndEndpoint() {
        let error = answer("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>PermanentRedirect</Code>"
            + "<Message>use &lt;the&gt; other</Message><Endpoint>eu.example</Endpoint></Error>")
        #expect(error.text("Error", "Code") == "PermanentRedirect")
        #expect(error.text("Error", "Message") == "use <the> other")
        #expect(error.text("Error", "Endpoint") == "eu.example")
        #expect(error.text("CompleteMultipartUploadResult", "ETag") == nil)
    }

    @Test func aCompleteAnswerAfterKeepAliveBlanksIsRead() {
        // S3 sends blanks while it assembles a big object, then the document (or an error, with status 200).
        let done = answer("\n   \n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + "<Location>/b/k</Location><ETag>&quot;abc-2&quot;</ETag></CompleteMultipartUploadResult>")
        #expect(done.text("CompleteMultipartUploadResult", "ETag") == "\"abc-2\"")
        #expect(done.text("Error", "Code") == nil)
        let failed = answer("  <Error><Code>InternalError</Code><Message>try again</Message></Error>")
        #expect(failed.text("Error", "Code") == "InternalError")
    }

    @Test func aCodeOutsideAnErrorDocumentOrInNoXMLIsNotRead() {
        #expect(answer("<CompleteMultipartUploadResult><Code>NoSuchKey</Code></CompleteMultipartUploadResult>").text("Error", "Code") == nil)
        #expect(answer("<Error><Detail><Code>Nested</Code></Detail></Error>").text("Error", "Code") == nil)
        #expect(answer("<html><body><Error><Code>Proxy</Code></Error></body></html>").text("Error", "Code") == nil)
        #expect(answer("<Error><Code>Cut").text("Error", "Code") == nil)
        #expect(answer("").text("Error", "Code") == nil)
        #expect(answer("<InitiateMultipartUploadResult><UploadId>u-1</UploadId></InitiateMultipartUploadResult>")
            .text("InitiateMultipartUploadResult", "UploadId") == "u-1")
    }
}
