#if canImport(Glibc)
import Glibc

/// `mallopt(3)`: Glibc's Swift module does not include `malloc.h`.
@_silgen_name("mallopt")
private func c_mallopt(_ param: Int32, _ value: Int32) -> Int32

@_silgen_name("malloc_trim")
private func c_malloc_trim(_ pad: Int) -> Int32
#endif

/// glibc gives a thread that allocates while others do its own malloc arena, up to eight per core, and an arena
/// keeps much of what was freed in it. An export keeps several threads allocating at once (rendering, staging,
/// placing, committing): at 100k recordings that took the server's peak RSS from 105 MB to 142 MB, near the
/// 150 MB goal. Four arenas brought it to 118 MB at the same speed (two: 101 MB, but the export was 12% slower).
package enum MallocArenas {
    /// Caps the arenas at `count`, unless `MALLOC_ARENA_MAX` says otherwise. Call it before the server starts
    /// its threads: glibc fixes the limit when it first needs more than eight arenas.
    package static func cap(_ count: Int32 = 4, environment: [String: String]) {
        #if canImport(Glibc)
        guard environment["MALLOC_ARENA_MAX"] == nil else { return }
        let arenaMax: Int32 = -8  // M_ARENA_MAX
        _ = c_mallopt(arenaMax, count)
        #endif
    }

    /// Hands the free pages inside every arena back to the system (`malloc_trim(3)`), not only those at a heap's
    /// top. Batch after batch, the freed rows, documents and buffers of several threads leave free holes across the
    /// arenas that a long export never gives back: at 400k objects that was 12 MB more than at 40k (none with one
    /// arena). The export worker calls it between its passes, on a blocking-IO thread (it takes each arena's lock).
    package static func trim() {
        #if canImport(Glibc)
        _ = c_malloc_trim(0)
        #endif
    }
}
