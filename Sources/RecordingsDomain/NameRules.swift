/// Syntax rules for S3 bucket names, AWS region codes, key prefixes and case ids.
public enum NameRules {
    /// 3–63 chars of lower-case letters, digits, `.` and `-`; starts and ends with a letter or digit;
    /// no `..`; not shaped like an IP address.
    public static func isBucketName(_ s: String) -> Bool {
        // One pass over the bytes: every object an export writes passes here.
        var s = s
        return s.withUTF8 { b in
            guard (3...63).contains(b.count) else { return false }
            func alnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
            guard alnum(b[0]), alnum(b[b.count - 1]) else { return false }
            // An IP address: four dot-separated parts, each non-empty and all digits.
            var dots = 0, partIsNumber = false, allPartsNumbers = true, previous: UInt8 = 0
            for c in b {
                guard alnum(c) || c == 46 || c == 45 else { return false }
                if c == 46 {
                    if previous == 46 { return false }  // `..`
                    dots += 1
                    allPartsNumbers = allPartsNumbers && partIsNumber
                    partIsNumber = false
                } else {
                    let digit = c >= 48 && c <= 57
                    partIsNumber = (previous == 46 || previous == 0) ? digit : partIsNumber && digit
                }
                previous = c
            }
            return !(dots == 3 && allPartsNumbers && partIsNumber)
        }
    }

    /// `us-east-1`, `eu-west-2`, `ap-southeast-3`, `us-gov-west-1`: letters-groups joined by `-`, ending in a number.
    public static func isRegion(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts.count <= 4, s.utf8.count <= 32 else { return false }
        guard parts[0].count == 2, parts[0].utf8.allSatisfy({ $0 >= 97 && $0 <= 122 }) else { return false }
        for middle in parts[1..<(parts.count - 1)] {
            guard !middle.isEmpty, middle.utf8.allSatisfy({ $0 >= 97 && $0 <= 122 }) else { return false }
        }
        let last = parts[parts.count - 1]
        return !last.isEmpty && last.count <= 2 && last.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 })
    }

    /// A problem with a key prefix, or nil when it is fine: ≤ 512 bytes, no leading `/`, no `..` segment,
    /// no control characters.
    public static func prefixProblem(_ s: String) -> String? {
        if s.utf8.count > 512 { return "must be at most 512 bytes of UTF-8" }
        if s.hasPrefix("/") { return "must not start with '/'" }
        if s.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            return "must not contain control characters"
        }
        if s.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." }) {
            return "must not contain a '..' segment"
        }
        if s.contains("//") { return "must not contain an empty segment ('//')" }
        if s.split(separator: "/").contains(where: { $0.utf8.count > 255 }) {
            return "must not have a segment longer than 255 bytes (each segment of a key is a folder in the sink)"
        }
        return nil
    }

    /// 1–64 chars of `A-Z a-z 0-9 . _ -`.
    public static func isCaseId(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard (1...64).contains(b.count) else { return false }
        return b.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 95 || $0 == 45 }
    }
}
