/// Fixed slots that two threads fill at once, each only its own indices, and that are read once both are done
/// (`FileSink.inLanes` joins them). The slots live in one allocation, so that distinct indices are distinct memory:
/// no copy-on-write, no shared array header. Hence `@unchecked Sendable`: the discipline above is the caller's.
final class LaneSlots<T>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    subscript(index: Int) -> T? {
        get { slots[index] }
        set { slots[index] = newValue }
    }
}
