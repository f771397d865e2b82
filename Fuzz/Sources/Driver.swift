import Foundation

// The libFuzzer entry points under SwiftPM (see ../shared/SWIFT-NOTES.md): SwiftPM links an executable with
// `main=<Target>_main`, so that function hands the command line to libFuzzer's driver. The first argument names
// the target (`GenesysFuzz range -max_total_time=60 CORPUS`); `GenesysFuzz --list` prints them all.

/// The target chosen on the command line; set once before the driver starts, then only read.
nonisolated(unsafe) var selected: FuzzTarget?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    selected?.run(UnsafeBufferPointer(start: data, count: count))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>,
               _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("GenesysFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    guard let argv, argc >= 2, let first = argv[1] else { return usage() }
    let name = String(cString: first)
    if name == "--list" {
        for target in FuzzTarget.all { print(target.name) }
        return 0
    }
    guard let target = FuzzTarget.all.first(where: { $0.name == name }) else { return usage() }
    selected = target
    // libFuzzer sees the program name and everything after the target's name.
    var rest: [UnsafeMutablePointer<CChar>?] = [argv[0]] + (2..<Int(argc)).map { argv[$0] } + [nil]
    var count = CInt(rest.count - 1)
    return rest.withUnsafeMutableBufferPointer { buffer in
        var pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
        return runDriver(&count, &pointer, fuzzOne)
    }
}

func usage() -> CInt {
    let names = FuzzTarget.all.map(\.name).joined(separator: " ")
    FileHandle.standardError.write(Data(("usage: GenesysFuzz TARGET [libFuzzer options] [CORPUS...]   (or --list)\ntargets: \(names)\n").utf8))
    return 2
}
