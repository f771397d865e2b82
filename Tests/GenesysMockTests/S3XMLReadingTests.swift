import GenesysMock
import Testing

/// The XML S3 clients send: DeleteObjects, CompleteMultipartUpload and CreateBucketConfiguration bodies.
@Suite struct S3XMLReadingTests {
    @Test func keysComeBackInOrderWithEntitiesDecodedAndBlanksKept() throws {
        let xml: Substring = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>
              <Object><Key>a &amp; b.txt</Key></Object><Object><Key> spaced </Key><VersionId>v</VersionId></Object>
              <Object><Key>&#x65E5;&#26412;&lt;x&gt;</Key></Object>
            </Delete>
            """
        let delete = try #require(S3XMLReading.elements("Delete", in: xml)?.first)
        let keys = try #require(S3XMLReading.elements("Object", in: delete)).map { S3XMLReading.text("Key", in: $0) }
        #expect(keys == ["a & b.txt", " spaced ", "日本<x>"])
        #expect(S3XMLReading.text("Quiet", in: delete) == "true")
    }

    @Test func anUnclosedElementOrABadEntityIsMalformed() {
        #expect(S3XMLReading.elements("Object", in: "<Delete><Object><Key>k</Key></Delete>") == nil)
        #expect(S3XMLReading.unescape("a &bogus; b") == nil)
        #expect(S3XMLReading.unescape("no end &amp") == nil)
    }

    @Test func aPrefixedOrSelfClosingElementIsFound() {
        let xml: Substring = "<s3:CreateBucketConfiguration><s3:LocationConstraint>eu-west-2</s3:LocationConstraint></s3:CreateBucketConfiguration>"
        #expect(S3XMLReading.text("LocationConstraint", in: xml) == "eu-west-2")
        #expect(S3XMLReading.elements("Quiet", in: "<Delete><Quiet/></Delete>")?.count == 1)
    }
}
