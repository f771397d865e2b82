import Foundation
import GenesysMock
import Testing

/// Presigned URL parsing and SigV2 signing, against AWS's published examples.
@Suite struct S3PresignedTests {
    @Test func theSigV2ExampleOfTheS3DocumentationSigns() throws {
        let query = "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D"
        let text = S3Presigned.v2StringToSign(method: "GET", rawPath: "/johnsmith/photos/puppy.jpg", rawQuery: query, headers: [],
                                              expires: 1_175_139_620)
        #expect(text == "GET\n\n\n1175139620\n/johnsmith/photos/puppy.jpg")
        #expect(S3Presigned.v2Signature(secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", stringToSign: text) == "NpgCjnDzrM+WFzoENXmpNDUsSn8=")
        let v2 = try #require(try S3Presigned.v2(rawQuery: query))
        #expect(v2.accessKeyId == "AKIAIOSFODNN7EXAMPLE" && v2.expires == 1_175_139_620 && v2.signature == "NpgCjnDzrM+WFzoENXmpNDUsSn8=")
    }

    @Test func aSubResourceAndAHeaderMovedIntoTheQueryAreSigned() {
        let text = S3Presigned.v2StringToSign(method: "PUT", rawPath: "/b/k", rawQuery: "uploadId=u1&partNumber=2&content-type=text%2Fplain&Expires=9",
                                              headers: [("x-amz-meta-a", " 1 ")], expires: 9)
        #expect(text == "PUT\n\ntext/plain\n9\nx-amz-meta-a:1\n/b/k?partNumber=2&uploadId=u1")
    }

    @Test func theSigV4QueryIsParsedAndItsSignatureLeftOutOfWhatWasSigned() throws {
        let query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=ABCD"
        let v4 = try #require(try S3Presigned.v4(rawQuery: query))
        #expect(v4.parsed.credential.region == "us-east-1" && v4.parsed.signedHeaders == ["host"] && v4.parsed.signature == "abcd")
        #expect(v4.expiresSeconds == 86400 && !v4.signedQuery.contains("Signature="))
        #expect(try S3Presigned.v4(rawQuery: "list-type=2") == nil)
        #expect(throws: S3Presigned.Problem.self) { try S3Presigned.v4(rawQuery: query.replacingOccurrences(of: "86400", with: "604801")) }
        #expect(throws: S3Presigned.Problem.self) { try S3Presigned.v4(rawQuery: "X-Amz-Signature=x&X-Amz-Algorithm=AWS4-HMAC-SHA256") }
    }

    @Test func amzDatesAreReadAsUTC() {
        #expect(S3Presigned.amzDateMillis("20130524T000000Z") == 1_369_353_600_000)
        #expect(S3Presigned.amzDateMillis("20000229T235959Z") == 951_868_799_000)
        #expect(S3Presigned.amzDateMillis("2013-05-24T00:00:00Z") == nil)
        #expect(S3Presigned.amzDateMillis("20131324T000000Z") == nil)
    }
}
