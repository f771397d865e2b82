import Foundation
import RecordingsDomain
import Testing

/// DeleteObjects, CompleteMultipartUpload, CreateBucket and PutObjectLegalHold bodies: read as XML, each element only
/// where S3 defines it, as boto3 and the AWS CLI send them (default namespace) and as other tools do (a prefix).
@Suite("S3 request bodies")
struct S3RequestBodiesTests {
    static let ns = #"xmlns="http://s3.amazonaws.com/doc/2006-03-01/""#

    func data(_ s: String) -> Data { Data(s.utf8) }

    func why<T>(_ result: Result<T, S3BodyError>) -> String? {
        guard case .failure(let e) = result else { return nil }
        #expect(e.code == "MalformedXML")
        return e.message
    }

    // MARK: DeleteObjects

    @Test func aDeleteAsBoto3SendsItKeepsKeysInOrderWithEntitiesDecodedAndBlanksKept() throws {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Delete \(Self.ns)><Object><Key>a &amp; b.txt</Key></Object>
              <Object><Key> spaced </Key><VersionId>v</VersionId></Object>
              <Object><Key>&#x65E5;&#26412;&lt;x&gt;</Key></Object><Object><Key><![CDATA[c<d>]]></Key></Object>
              <Quiet> True </Quiet>
            </Delete>
            """
        #expect(try S3RequestBodies.delete(data(body)).get() == .init(quiet: true, keys: ["a & b.txt", " spaced ", "日本<x>", "c<d>"]))
        let prefixed = #"<s3:Delete xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><s3:Object><s3:Key>k</s3:Key></s3:Object></s3:Delete>"#
        #expect(try S3RequestBodies.delete(data(prefixed)).get() == .init(quiet: false, keys: ["k"]))
        #expect(try S3RequestBodies.delete(data("<Delete><Object><Key/></Object><Quiet>false</Quiet></Delete>")).get()
            == .init(quiet: false, keys: [""]), "an empty key is read (and refused per key as InvalidArgument by the route)")
    }

    @Test func onlyDeleteObjectKeyAndDeleteQuietCount() throws {
        // Elements of those names anywhere else are passed over, not read.
        let body = "<Delete><Extra><Object><Key>nested</Key></Object><Quiet>true</Quiet></Extra>"
            + "<Object><Key>real</Key><Extra><Key>inner</Key></Extra></Object></Delete>"
        #expect(try S3RequestBodies.delete(data(body)).get() == .init(quiet: false, keys: ["real"]))
        #expect(why(S3RequestBodies.delete(data("<Delete><Object><Wrap><Key>k</Key></Wrap></Object></Delete>")))?
            .contains("needs a <Key>") == true)
        #expect(why(S3RequestBodies.delete(data("<Delete><Wrap><Object><Key>k</Key></Object></Wrap></Delete>")))?
            .contains("names no <Object>") == true)
    }

    @Test(arguments: [
        ("<Root><Delete><Object><Key>k</Key></Object></Delete></Root>", "root element must be <Delete>"),
        ("<Tagging><Object><Key>k</Key></Object></Tagging>", "root element must be <Delete>"),
        ("<Delete/>", "names no <Object>"),
        ("<Delete><Quiet>true</Quiet></Delete>", "names no <Object>"),
        ("<Delete><Object>no key</Object></Delete>", "<Object> holds text"),
        ("<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>", "more than one <Key>"),
        ("<Delete><Object><Key><b>k</b></Key></Object></Delete>", "<Key> holds text only"),
        ("<Delete><Object><Key>k</Key></Delete>", "not a well-formed"),
        ("<Delete><Object><Key>a &bogus; b</Key></Object></Delete>", "not a well-formed"),
        ("", "empty"),
    ])
    func aDeleteThatIsNotOneIsMalformedXML(_ body: String, _ reason: String) {
        let message = why(S3RequestBodies.delete(data(body)))
        #expect(message?.contains(reason) == true, "\(body): \(message ?? "read")")
    }

    @Test func aDeleteOfAThousandLongKeysIsRead() throws {
        // Longer than a subresource body may be (64 KiB), as a full DeleteObjects is.
        let keys = (0..<1000).map { "exports/\($0)/" + String(repeating: "k", count: 200) }
        let body = "<Delete \(Self.ns)>" + keys.map { "<Object><Key>\($0)</Key></Object>" }.joined() + "</Delete>"
        #expect(body.utf8.count > S3XMLTree.maxBytes)
        #expect(try S3RequestBodies.delete(data(body)).get().keys == keys)
        let huge = "<Delete>" + String(repeating: " ", count: S3RequestBodies.maxListBytes) + "</Delete>"
        #expect(why(S3RequestBodies.delete(data(huge)))?.contains("longer than") == true)
    }

    // MARK: CompleteMultipartUpload

    @Test func aCompleteAsBoto3SendsItIsRead() throws {
        let body = """
            <CompleteMultipartUpload \(Self.ns)>
              <Part><ETag>&quot;AA&quot;</ETag><PartNumber>1</PartNumber><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>
              <Part><PartNumber> 3 </PartNumber><ETag>"cc"</ETag></Part>
            </CompleteMultipartUpload>
            """
        #expect(try S3RequestBodies.completeMultipartUpload(data(body)).get() == [.init(number: 1, etag: "\"AA\""), .init(number: 3, etag: "\"cc\"")])
        let prefixed = #"<s3:CompleteMultipartUpload xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><s3:Part><s3:PartNumber>2</s3:PartNumber>"#
            + "<s3:ETag>e</s3:ETag></s3:Part></s3:CompleteMultipartUpload>"
        #expect(try S3RequestBodies.completeMultipartUpload(data(prefixed)).get() == [.init(number: 2, etag: "e")])
    }

    @Test func onlyThePartsOfTheRootCount() throws {
        let body = "<CompleteMultipartUpload><Other><Part><PartNumber>9</PartNumber><ETag>x</ETag></Part></Other>"
            + "<Part><PartNumber>1</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>"
        #expect(try S3RequestBodies.completeMultipartUpload(data(body)).get() == [.init(number: 1, etag: "a")])
    }

    @Test(arguments: [
        ("<Complete><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part></Complete>", "root element must be <CompleteMultipartUpload>"),
        ("<CompleteMultipartUpload/>", "names no <Part>"),
        ("<CompleteMultipartUpload><Part><ETag>x</ETag></Part></CompleteMultipartUpload>", "needs a <PartNumber> and an <ETag>"),
        ("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>", "needs a <PartNumber> and an <ETag>"),
        ("<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>", "whole number"),
        ("<CompleteMultipartUpload><Part><Wrap><PartNumber>1</PartNumber><ETag>a</ETag></Wrap></Part></CompleteMultipartUpload>",
         "needs a <PartNumber> and an <ETag>"),
        ("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part>", "not a well-formed"),
    ])
    func aCompleteThatIsNotOneIsMalformedXML(_ body: String, _ reason: String) {
        let message = why(S3RequestBodies.completeMultipartUpload(data(body)))
        #expect(message?.contains(reason) == true, "\(body): \(message ?? "read")")
    }

    // MARK: CreateBucketConfiguration

    @Test func theLocationConstraintIsReadFromTheConfigurationOnly() throws {
        func region(_ body: String) throws -> String? { try S3RequestBodies.locationConstraint(data(body)).get() }
        #expect(try region("") == nil)
        #expect(try region(" \n\t") == nil)
        #expect(try region("<CreateBucketConfiguration \(Self.ns)><LocationConstraint>eu-west-2</LocationConstraint></CreateBucketConfiguration>")
            == "eu-west-2")
        #expect(try region("<s3:CreateBucketConfiguration xmlns:s3=\"x\">\n  <s3:LocationConstraint> ap-south-1 </s3:LocationConstraint>\n"
            + "</s3:CreateBucketConfiguration>") == "ap-south-1")
        #expect(try region("<CreateBucketConfiguration/>") == nil)
        #expect(try region("<CreateBucketConfiguration><LocationConstraint/></CreateBucketConfiguration>") == nil)
        #expect(try region("<CreateBucketConfiguration><Bucket><LocationConstraint>eu-west-2</LocationConstraint></Bucket>"
            + "</CreateBucketConfiguration>") == nil, "a LocationConstraint nested deeper is not the bucket's")
        #expect(why(S3RequestBodies.locationConstraint(data("<Configuration><LocationConstraint>eu-west-2</LocationConstraint></Configuration>")))?
            .contains("root element must be <CreateBucketConfiguration>") == true)
        #expect(why(S3RequestBodies.locationConstraint(data("<CreateBucketConfiguration><LocationConstraint>eu")))?
            .contains("not a well-formed") == true)
    }

    // MARK: PutObjectLegalHold

    @Test func aLegalHoldAsBoto3SendsItIsOnOrOff() throws {
        #expect(try S3RequestBodies.legalHold(data("<LegalHold \(Self.ns)><Status>ON</Status></LegalHold>")).get() == true)
        #expect(try S3RequestBodies.legalHold(data("<LegalHold \(Self.ns)><Status>OFF</Status></LegalHold>")).get() == false)
        let pretty = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<s3:LegalHold xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n"
            + "  <s3:Status><![CDATA[ON]]></s3:Status>\n</s3:LegalHold>\n"
        #expect(try S3RequestBodies.legalHold(data(pretty)).get() == true)
    }

    @Test func aStatusAnywhereButUnderLegalHoldDoesNotCount() throws {
        // The substring reader this replaced said ON to every one of these.
        #expect(try S3RequestBodies.legalHold(data("<LegalHold><!-- <Status>ON</Status> --><Status>OFF</Status></LegalHold>")).get() == false)
        #expect(why(S3RequestBodies.legalHold(data("<LegalHold><Note><Status>ON</Status></Note></LegalHold>")))?.contains("needs a <Status>") == true)
        #expect(why(S3RequestBodies.legalHold(data("<Retention><Status>ON</Status></Retention>")))?.contains("root element must be <LegalHold>") == true)
        #expect(why(S3RequestBodies.legalHold(data("<LegalHold><Status>ON</Status><Status>OFF</Status></LegalHold>")))?
            .contains("more than one <Status>") == true)
        #expect(why(S3RequestBodies.legalHold(data("<LegalHold><Status>ON</Status>")))?.contains("not a well-formed") == true)
    }

    @Test(arguments: ["on", " ON ", "TRUE", "", "<b>ON</b>"])
    func aStatusOtherThanOnOrOffIsMalformedXML(_ status: String) {
        #expect(why(S3RequestBodies.legalHold(data("<LegalHold><Status>\(status)</Status></LegalHold>"))) != nil, "\(status)")
    }
}
