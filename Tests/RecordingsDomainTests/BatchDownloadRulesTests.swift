import Foundation
import DocumentCodecs
import RecordingsDomain
import Testing

/// The rules of batch downloads and recording settings on their own: what a submission may hold, when results
/// become readable, which URL lifetimes an org may set.
@Suite struct BatchDownloadRulesTests {
    func parse(_ text: String) throws -> JSONValue { try #require(JSONValue.parse(Data(text.utf8))) }

    func fields(_ result: Result<[BatchDownloadItem], ValidationFailure>) -> [String] {
        if case .failure(let f) = result { return f.details.map(\.fieldName) }
        return []
    }

    @Test func submissionsHoldOneToAHundredItems() throws {
        let ok = BatchDownloadRequestValidator.validate(try parse(#"{"batchDownloadRequestList": [{"conversationId": "c1"}, {"conversationId": "c2", "recordingId": "r2"}]}"#))
        #expect(try ok.get() == [BatchDownloadItem(conversationId: "c1"), BatchDownloadItem(conversationId: "c2", recordingId: "r2")])
        let hundred = (0..<100).map { #"{"conversationId": "c\#($0)"}"# }.joined(separator: ",")
        #expect(try BatchDownloadRequestValidator.validate(try parse(#"{"batchDownloadRequestList": [\#(hundred)]}"#)).get().count == 100)
        let many = (0..<101).map { #"{"conversationId": "c\#($0)"}"# }.joined(separator: ",")
        #expect(fields(BatchDownloadRequestValidator.validate(try parse(#"{"batchDownloadRequestList": [\#(many)]}"#))) == ["batchDownloadRequestList"])
        #expect(fields(BatchDownloadRequestValidator.validate(try parse(#"{"batchDownloadRequestList": []}"#))) == ["batchDownloadRequestList"])
        #expect(fields(BatchDownloadRequestValidator.validate(try parse(#"[]"#))) == ["body"])
        #expect(fields(BatchDownloadRequestValidator.validate(try parse(#"{"batchDownloadRequestList": {}}"#))) == ["batchDownloadRequestList"])
    }

    @Test func eachItemNamesItsConversation() throws {
        let bad = try parse(#"{"batchDownloadRequestList": [{"recordingId": "r"}, {"conversationId": ""}, {"conversationId": 3}, "c4", {"conversationId": "c5", "recordingID": "r"}], "extra": 1}"#)
        #expect(fields(BatchDownloadRequestValidator.validate(bad)) == [
            "extra", "batchDownloadRequestList[0].conversationId", "batchDownloadRequestList[1].conversationId",
            "batchDownloadRequestList[2].conversationId", "batchDownloadRequestList[3]", "batchDownloadRequestList[4].recordingID",
        ])
        // The SDK sends None as nothing; a literal null is "not given" too.
        #expect(try BatchDownloadRequestValidator.validate(try parse(#"{"batchDownloadRequestList": [{"conversationId": "c", "recordingId": null}]}"#)).get()
                == [BatchDownloadItem(conversationId: "c")])
    }

    @Test func resultsArePacedLikeExports() {
        let paced = BatchDownloadPacing(createdMillis: 10_000, exportRate: 5)
        #expect(paced.readyAt(0) == 11_000 && paced.readyAt(1) == 11_200 && paced.readyAt(4) == 11_800)
        #expect(paced.readyCount(total: 3, now: 10_999) == 0)
        #expect(paced.readyCount(total: 3, now: 11_000) == 1)
        #expect(paced.readyCount(total: 3, now: 11_399) == 2)
        #expect(paced.readyCount(total: 3, now: 11_400) == 3)
        #expect(paced.readyCount(total: 3, now: .max) == 3)
        #expect(paced.readyCount(total: 0, now: .max) == 0)
        let instant = BatchDownloadPacing(createdMillis: 10_000, exportRate: 0)
        #expect(instant.readyCount(total: 100, now: 10_000) == 100 && instant.readyAt(99) == 10_000)
        let late = BatchDownloadPacing(createdMillis: .max - 10, exportRate: 0.001)
        #expect(late.readyAt(99) == .max, "no overflow at the end of time")
    }

    @Test func urlLifetimesRunFromTwoToSixtyMinutes() throws {
        let now = RecordingSettings.defaults
        #expect(now.recordingBatchDownloadUrlTtl == 60 && now.batchDownloadUrlTtlMillis == 3_600_000)
        let (two, given) = try RecordingSettingsValidator.apply(try parse(#"{"recordingBatchDownloadUrlTtl": 2}"#), to: now).get()
        #expect(two.recordingBatchDownloadUrlTtl == 2 && two.recordingPlaybackUrlTtl == 60 && given == ["recordingBatchDownloadUrlTtl"])
        for bad in [#"{"recordingBatchDownloadUrlTtl": 1}"#, #"{"recordingBatchDownloadUrlTtl": 61}"#,
                    #"{"recordingBatchDownloadUrlTtl": "5"}"#, #"{"recordingBatchDownloadUrlTtl": 5.5}"#,
                    #"{"recordingPlaybackUrlTtl": 0}"#, #"{"regionalRecordingStorageEnabled": "yes"}"#, #"{"ttl": 5}"#, "[]"] {
            #expect(throws: ValidationFailure.self, "\(bad)") { try RecordingSettingsValidator.apply(try parse(bad), to: now).get() }
        }
        #expect(RecordingSettingsValidator.permissions["recordingBatchDownloadUrlTtl"] == "recording:settings:editUrlExpiration")
    }
}
