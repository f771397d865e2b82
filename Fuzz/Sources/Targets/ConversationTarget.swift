import Foundation
@testable import GenesysMock
import RecordingsDomain

extension FuzzTarget {
    /// A conversation document: as a fixture file (`JSONDecoder`, then the fixture checks), and as the server reads a
    /// stored one (`Conversation.direct`, else `FastJSONReader` then `init(json:)`). The fast readers promise to give
    /// exactly what the general way gives whenever they answer. (Not compared with JSONDecoder: with a duplicate member
    /// the two take different ones, and stored conversations are written by the mock, never with duplicates.)
    static let conversation = FuzzTarget(name: "conversation") { bytes in
        let text = bytes.text
        let decoded = try? JSONDecoder().decode(Conversation.self, from: Data(bytes))
        _ = decoded?.problems
        let direct = Conversation.direct(text)
        let tree = FastJSONReader.parse(text).flatMap { value -> Conversation? in
            guard case .object(let o) = value else { return nil }
            return Conversation(json: o)
        }
        if let direct { expect(direct == tree, "Conversation.direct reads what FastJSONReader and init(json:) read") }
        _ = Conversation.fast(text)
    }
}
