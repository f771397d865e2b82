import Crypto
import Foundation
import GenesysMock
import HTTPTypes
import Testing

/// The byte-level pieces of the SigV4 check give exactly what the plain versions give.
@Suite struct SigV4BytesTests {
    @Test(arguments: [0, 5, 32, 64, 65, 200])
    func theHMACWithPrecomputedPadsIsHMACSHA256(keyLength: Int) {
        let key = (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for message in [Data(), Data("AWS4-HMAC-SHA256\n20130524T000000Z".utf8), Data(repeating: 0xAB, count: 300)] {
            let expected = Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
            let state = HMACState(key: key)
            #expect(message.withUnsafeBytes { Data(state.mac($0)) } == expected, "key of \(keyLength) bytes, message of \(message.count)")
            #expect(message.withUnsafeBytes { Data(state.mac($0)) } == expected, "the state is reusable")
        }
    }

    @Test func anAuthorizationHeaderIsParsedWithBlanksAndCaseNormalised() throws {
        let header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-2/s3/aws4_request,  SignedHeaders=Host;X-Amz-Date;;range ,"
            + "Signature=ABCDEF0123"
        let parsed = try #require(SigV4.parse(authorization: header))
        let c = parsed.credential
        #expect([c.accessKeyId, c.date, c.region, c.service] == ["AKIDEXAMPLE", "20260101", "eu-west-2", "s3"])
        #expect(parsed.signedHeaders == ["host", "x-amz-date", "range"])
        #expect(parsed.signature == "abcdef0123")
    }

    @Test(arguments: [
        "AWS4-HMAC-SHA1 Credential=A/20260101/eu-west-2/s3/aws4_request, SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 Credential=A/20260101/eu-west-2/s3, SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 Credential=A/20260101/eu-west-2/s3/aws4_requests, SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 Credential=A/20260101/eu-west-2/s3/aws4_request, SignedHeaders=host",
        "AWS4-HMAC-SHA256 credential=A/20260101/eu-west-2/s3/aws4_request, SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256",
        "",
    ])
    func aMalformedAuthorizationHeaderIsRefused(header: String) {
        #expect(SigV4.parse(authorization: header) == nil)
    }

    @Test func aHeaderValueIsReadAsTheSubscriptReadsIt() {
        var fields: HTTPFields = [.contentType: "text/plain", .accept: "a/b"]
        #expect(fields.value(.contentType) == "text/plain")
        #expect(fields.value(.authorization) == nil)
        fields.append(HTTPField(name: .accept, value: "c/d"))
        #expect(fields.value(.accept) == fields[.accept])
        #expect(fields.value(.accept) == "a/b, c/d")
    }

    @Test func onlyALengthOtherThanZeroOrATransferEncodingAnnouncesABody() {
        #expect(!HTTPFields().announcesBody)
        #expect(!([.contentLength: "0"] as HTTPFields).announcesBody)
        #expect(([.contentLength: "12"] as HTTPFields).announcesBody)
        #expect(([.transferEncoding: "chunked"] as HTTPFields).announcesBody)
    }
}
