import Foundation
import RecordingsDomain

extension S3Buckets {
    /// The region a CreateBucket body asks for: its `LocationConstraint`, us-east-1 when the body is blank or names
    /// none. `MalformedXML` for a body that is no `CreateBucketConfiguration`, `InvalidLocationConstraint` for a name
    /// that is no region.
    static func region(_ body: Data, bucket: String) throws -> String {
        guard case .success(let constraint) = S3RequestBodies.locationConstraint(body) else {
            throw S3Error(.badRequest, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
        }
        guard let constraint else { return "us-east-1" }
        guard NameRules.isRegion(constraint) else {
            throw S3Error(.badRequest, "InvalidLocationConstraint", "The specified location-constraint is not valid", bucket: bucket)
        }
        return constraint
    }
}
