import Foundation
@testable import GenesysMock
import DocumentCodecs
import RecordingsDomain

extension FuzzTarget {
    /// The bodies and cursors of the downloader's calls (CONTRACT §15): the details query and the async details job's
    /// query, a batch download submission, recording settings, a results cursor, and the syntax hint for bodies that
    /// are not JSON. What one accepts keeps the promises the store relies on.
    static let apiQueries = FuzzTarget(name: "api-queries") { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        if let cursor = DetailsCursor(encoded: text) {
            expect(DetailsCursor(encoded: cursor.encoded) == cursor, "an accepted cursor reads back")
            expect(IdentifierRule.isClean(cursor.id) && cursor.served >= 0, "an accepted cursor names a clean id")
        }
        let lines = bytes.filter { $0 == 0x0A }.count + 1
        guard let json = JSONValueBox.parse(Data(bytes)) else {
            if let problem = JSONSyntaxHint.problem(in: Array(bytes)) {
                expect(problem.line >= 1 && problem.line <= lines && problem.column >= 1, "a problem lies inside the body")
            }
            return
        }
        expect(JSONSyntaxHint.problem(in: Array(bytes)).map { $0.line <= lines } ?? true, "a hint stays inside the body")
        for form in [ConversationDetailsQueryValidator.Form.query, .asyncJob] {
            switch ConversationDetailsQueryValidator.validate(json, form: form) {
            case .success(let q):
                expect((1...ConversationDetailsQueryValidator.maxPageSize).contains(q.pageSize) && q.pageNumber >= 1, "paging in range")
                expect(q.selection.interval.flatMap(Timestamp.parseInterval) != nil, "an accepted interval parses")
                expect(q.limit.map { $0 >= 1 } ?? true, "a limit is positive")
            case .failure(let f): expect(!f.details.isEmpty, "a refusal names its fields")
            }
        }
        switch BatchDownloadRequestValidator.validate(json) {
        case .success(let items):
            expect((1...BatchDownloadRequestValidator.maxItems).contains(items.count), "1 to 100 items")
            expect(items.allSatisfy { !$0.conversationId.isEmpty && $0.recordingId?.isEmpty != true }, "ids are not empty")
        case .failure(let f): expect(!f.details.isEmpty, "a refusal names its fields")
        }
        switch RecordingSettingsValidator.apply(json, to: .defaults) {
        case .success(let (settings, _)):
            expect(RecordingSettings.ttlRange.contains(settings.recordingBatchDownloadUrlTtl), "the URL lifetime is in range")
            expect(RecordingSettings.ttlRange.contains(settings.recordingPlaybackUrlTtl), "the playback lifetime is in range")
        case .failure(let f): expect(!f.details.isEmpty, "a refusal names its fields")
        }
    }
}
