import Foundation

/// Whether an active legal hold covers a conversation (CONTRACT §4): named explicitly, or matched by the hold's
/// filter (every criterion it has must match; a filter without criteria covers nothing).
public enum HoldCoverage {
    public static func covers(conversationIds: [String], filterMediaTypes: [String]?, filterInterval: String?,
                              conversationId: String, messengerType: String, start: Date) -> Bool {
        if conversationIds.contains(conversationId) { return true }
        guard filterMediaTypes != nil || filterInterval != nil else { return false }
        if let types = filterMediaTypes, !types.contains(messengerType) { return false }
        if let raw = filterInterval {
            guard let iv = Timestamp.parseInterval(raw), start >= iv.start, start < iv.end else { return false }
        }
        return true
    }
}
