import DocumentCodecs
import Foundation
@testable import GenesysMock
import RecordingsDomain

extension FuzzTarget {
    /// A conversation document: as a fixture file (`JSONDecoder`, then the fixture checks), and as the server reads a
    /// stored one (`Conversation.stored`, the only reader of stored conversations). When both answer, the stored
    /// reader reads what `JSONDecoder` reads from the same document with its duplicate members resolved (the last
    /// wins, as `FastJSONReader` resolves them), and its summary reader the same less the messages; and what `ConversationJSON` writes, it reads back unchanged.
    static let conversation = FuzzTarget(name: "conversation") { bytes in
        let text = bytes.text
        let decoded = try? JSONDecoder().decode(Conversation.self, from: Data(bytes))
        _ = decoded?.problems
        let stored = Conversation.stored(text)
        let resolved = FastJSONReader.parse(text).flatMap { try? JSONDecoder().decode(Conversation.self, from: FastJSON.data($0)) }
        // (Not `stored != nil` alone: JSONDecoder's nesting limit may differ from FastJSONReader's by a level.)
        if let stored, let resolved { expect(stored == resolved, "Conversation.stored reads what JSONDecoder reads") }
        if var stored {
            stored.messages = []
            expect(Conversation.storedSummary(text) == stored, "the summary reader reads all but the messages alike")
        }
        for c in [decoded, resolved].compactMap(\.self) {
            expect(Conversation.stored(ConversationJSON.string(c)) == c, "what ConversationJSON writes reads back unchanged")
        }
    }
}
