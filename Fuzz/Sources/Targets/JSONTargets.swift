import Foundation
@testable import GenesysMock
import DocumentCodecs
import RecordingsDomain

extension FuzzTarget {
    /// The body of `POST /api/v2/recordings/exports` (and `genesys-mock validate`): read as the server reads it,
    /// then checked by the validator. An accepted request keeps the promises the export engine relies on.
    static let exportRequest = FuzzTarget(name: "export-request") { bytes in
        guard let json = JSONValueBox.parse(Data(bytes)) else { return }
        switch ExportRequestValidator.validate(json) {
        case .success(let request):
            expect(NameRules.isBucketName(request.storage.bucketName), "an accepted bucket name is valid")
            expect(NameRules.isRegion(request.storage.region), "an accepted region is valid")
            expect(request.storage.prefix.flatMap(NameRules.prefixProblem) == nil, "an accepted prefix has no problem")
            expect(request.filter.interval == nil || request.filter.dateInterval != nil, "an accepted interval parses")
            expect(!request.filter.mediaTypes.isEmpty, "an accepted request names a media type")
        case .failure(let failure):
            expect(!failure.details.isEmpty, "a refusal names its fields")
            _ = OfflineValidation.invalid(failure)
        }
    }

    /// `FastJSONReader` (stored documents, manifest and custody lines, objects shown in the console): what it reads,
    /// `FastJSON` writes and it reads back the same; its typed line readers answer only for JSON.
    static let fastJSON = FuzzTarget(name: "fast-json") { bytes in
        let object = Manifest.Object.line(bytes)
        let entry = CustodyFile.Entry.line(bytes)
        let record = String(validating: bytes, as: UTF8.self).flatMap(AuditRecordFields.init(record:))
        _ = Console.prettyJSON(Data(bytes))
        let value = FastJSONReader.parse(bytes)
        expect(FastJSONReader.wellFormed(bytes) == (value != nil), "stepping over a value accepts exactly what reading it accepts")
        guard let value else {
            expect(object == nil && entry == nil && record == nil, "a line reader answers only for JSON")
            return
        }
        if let object { expect(Manifest.Object.line(try! CanonicalJSON.data(object)) == object, "a manifest line reads back") }
        if let entry { expect(CustodyFile.Entry.line(try! CanonicalJSON.data(entry)) == entry, "a custody line reads back") }
        for pretty in [false, true] {
            let written = FastJSON.data(value, pretty: pretty)
            expect(FastJSONReader.parse(written).map { sameJSON($0, value) } == true,
                   "FastJSON's output reads back as the value it wrote (pretty: \(pretty))")
        }
    }
}

/// Equal as JSON values: numbers by value (JSONEncoder writes the double 2.0 as `2`, which reads back as an integer).
func sameJSON(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
    case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameJSON($0, $1) }
    case (.object(let x), .object(let y)):
        return x.count == y.count && x.allSatisfy { key, value in y[key].map { sameJSON(value, $0) } == true }
    default: return a == b
    }
}
