import Foundation

/// One coverage-guided target: its name (also its seed folder `Fuzz/Corpus/<name>/` and its dictionary
/// `Fuzz/Dictionaries/<name>.dict`) and a function that feeds the bytes to the parser the server itself uses.
/// It must never crash; `expect` traps when a parser's answer breaks a rule it promises, which libFuzzer reports
/// (and `scripts/fuzz` counts) as a finding.
struct FuzzTarget: Sendable {
    let name: String
    let run: @Sendable (UnsafeBufferPointer<UInt8>) -> Void

    /// Every target. To add one: a file in Targets/ with a `static let`, a line here, a seed folder and a dictionary.
    static let all: [FuzzTarget] = [
        .exportRequest, .fastJSON, .s3XML, .sigV4Header, .presigned, .awsChunked, .range, .dates, .namesAndKeys,
        .consoleForm, .conversation, .verify, .edges, .apiQueries,
    ]
}

/// Traps, naming the broken rule, when `condition` is false.
func expect(_ condition: Bool, _ rule: @autoclosure () -> String) {
    if !condition {
        FileHandle.standardError.write(Data(("invariant broken: \(rule())\n").utf8))
        abort()
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The bytes as text, invalid UTF-8 repaired, as the server reads a body or a header.
    var text: String { String(decoding: self, as: UTF8.self) }
}
