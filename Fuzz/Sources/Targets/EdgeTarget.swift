import Foundation
@testable import GenesysMock
import DocumentCodecs
import RecordingsDomain

extension FuzzTarget {
    /// The edge rules every request passes (CONTRACT §17): the identifier rule on a raw path and query and on a JSON
    /// body, and the reading of `Host` and `Origin`.
    static let edges = FuzzTarget(name: "edges") { bytes in
        let raw = IdentifierRule.firstControl(in: bytes)
        let decoded = IdentifierRule.firstControl(inPercentEncoded: bytes)
        expect(raw == nil || decoded != nil, "a raw control character is still one once percent-decoded")
        if let json = JSONValue.parse(Data(bytes)), let hit = json.forbiddenControl() {
            expect(!hit.field.isEmpty, "a refused JSON field is named")
            expect(hit.scalar < 0x20 || (0x7F...0x9F).contains(hit.scalar), "what is refused is a control character")
        }
        let text = bytes.text
        _ = EdgeGuard.split(text)
        _ = EdgeGuard(config: AppConfiguration()).servesHost(of: text)
        _ = EdgeGuard.isSameOrigin(text, authority: "127.0.0.1:8080")
        if !text.isEmpty, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x2F }) {
            expect(EdgeGuard.isSameOrigin("http://" + text, authority: text), "http://\(text) is the origin of Host \(text)")
        }
    }
}
