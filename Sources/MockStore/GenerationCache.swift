import Synchronization

/// A bounded in-memory map whose entries are valid only for the table generation they were read at (see
/// `TableChanges`). The lock is held for a dictionary lookup or store, never across an `await`.
package final class GenerationCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var generation: UInt64
        var value: Value
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let capacity: Int

    package init(capacity: Int) { self.capacity = capacity }

    /// The value stored for `key` at exactly this generation, or nil.
    package func get(_ key: Key, generation: UInt64) -> Value? {
        entries.withLock { e in
            guard let entry = e[key], entry.generation == generation else { return nil }
            return entry.value
        }
    }

    /// Stores a value read at `generation` (the generation taken *before* the read). When full, entries of
    /// older generations go first; if all are current the map starts over (a cache, not a store).
    package func put(_ key: Key, _ value: Value, generation: UInt64) {
        entries.withLock { e in
            if e.count >= capacity, e[key] == nil {
                e = e.filter { $0.value.generation == generation }
                if e.count >= capacity { e.removeAll(keepingCapacity: true) }
            }
            e[key] = Entry(generation: generation, value: value)
        }
    }
}

/// A string key compared byte for byte. Swift's `String ==` treats canonically equivalent spellings as equal
/// ("café" in NFC and in NFD), while S3 keys, SQL lookups and ids are byte strings: caches of things a client
/// names must not mix them up.
package struct ExactKey: Hashable, Sendable {
    package let text: String

    package init(_ text: String) { self.text = text }

    package static func == (a: ExactKey, b: ExactKey) -> Bool {
        var x = a.text, y = b.text
        return x.withUTF8 { p in y.withUTF8 { q in p.count == q.count && p.elementsEqual(q) } }
    }

    package func hash(into hasher: inout Hasher) {
        // The UTF-8 bytes in one call (`withUTF8` makes them contiguous if they are not), not a byte at a time.
        var t = text
        hasher.combine(t.utf8.count)
        t.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
