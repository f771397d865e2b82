import Foundation

/// ISO-8601 parsing and formatting without Foundation formatters (which are not Sendable-safe on Linux).
/// Output is always UTC with milliseconds and `Z`; input accepts `Z`, any `±HH:MM` / `±HHMM` offset, or none (UTC).
public enum Timestamp {
    /// The instants the mock can write as four-digit years: 0001-01-01T00:00:00.000Z … 9999-12-31T23:59:59.999Z.
    public static let minMillis: Int64 = -62_135_596_800_000
    public static let maxMillis: Int64 = 253_402_300_799_999

    /// Milliseconds since the Unix epoch for a date, rounded to the millisecond.
    public static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    public static func date(millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    /// `2023-03-26T01:30:00.000Z`
    public static func format(_ date: Date) -> String { format(millis: millis(date)) }

    public static func format(millis: Int64) -> String {
        let p = parts(millis: millis)
        guard (0...9999).contains(p.year) else {
            return "\(pad(p.year, 4))-\(pad(p.month, 2))-\(pad(p.day, 2))T\(pad(p.hour, 2)):\(pad(p.minute, 2)):\(pad(p.second, 2)).\(pad(p.millisecond, 3))Z"
        }
        // `YYYY-MM-DDTHH:MM:SS.mmmZ` written digit by digit: listings format thousands of these per answer.
        return String(unsafeUninitializedCapacity: 24) { buf in
            func put(_ v: Int, _ width: Int, at i: Int) {
                var v = v
                for k in stride(from: i + width - 1, through: i, by: -1) { buf[k] = UInt8(48 + v % 10); v /= 10 }
            }
            put(p.year, 4, at: 0); buf[4] = 45
            put(p.month, 2, at: 5); buf[7] = 45
            put(p.day, 2, at: 8); buf[10] = 84
            put(p.hour, 2, at: 11); buf[13] = 58
            put(p.minute, 2, at: 14); buf[16] = 58
            put(p.second, 2, at: 17); buf[19] = 46
            put(p.millisecond, 3, at: 20); buf[23] = 90
            return 24
        }
    }

    public struct Parts: Sendable, Equatable {
        public var year, month, day, hour, minute, second, millisecond: Int
    }

    /// Calendar parts of an instant, in UTC.
    public static func parts(millis: Int64) -> Parts {
        let msPerDay: Int64 = 86_400_000
        var days = millis / msPerDay
        var rem = millis % msPerDay
        if rem < 0 { rem += msPerDay; days -= 1 }
        let (y, m, d) = civil(fromDays: Int(days))
        let r = Int(rem)
        return Parts(year: y, month: m, day: d, hour: r / 3_600_000, minute: (r / 60_000) % 60,
                     second: (r / 1000) % 60, millisecond: r % 1000)
    }

    public static func parts(_ date: Date) -> Parts { parts(millis: millis(date)) }

    /// Parses `YYYY-MM-DDTHH:MM[:SS[.fff…]][Z|±HH:MM|±HHMM]`. Returns nil for anything else or an impossible date.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                let c = b[k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func expect(_ ch: UInt8) -> Bool {
            guard i < b.count, b[i] == ch else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2) else { return nil }
        guard i < b.count, b[i] == 84 || b[i] == 116 || b[i] == 32 else { return nil }  // T, t or space
        i += 1
        guard let hour = digits(2), expect(58), let minute = digits(2) else { return nil }
        var second = 0
        var millis = 0
        if expect(58) {
            guard let s = digits(2) else { return nil }
            second = s
            if i < b.count, b[i] == 46 || b[i] == 44 {  // . or ,
                i += 1
                var scale = 100
                var count = 0
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    millis += Int(b[i] - 48) * scale
                    scale /= 10
                    i += 1
                    count += 1
                }
                guard count > 0, count <= 9 else { return nil }
            }
        }
        var offsetMinutes = 0
        if i < b.count {
            if b[i] == 90 || b[i] == 122 {  // Z z
                i += 1
            } else if b[i] == 43 || b[i] == 45 {  // + -
                let sign = b[i] == 45 ? -1 : 1
                i += 1
                guard let oh = digits(2) else { return nil }
                _ = expect(58)
                guard let om = digits(2), oh <= 23, om <= 59 else { return nil }
                offsetMinutes = sign * (oh * 60 + om)
            } else {
                return nil
            }
        }
        guard i == b.count else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        let days = Int64(self.days(fromCivil: year, month, day))
        let ms = days * 86_400_000 + Int64(hour * 3_600_000 + minute * 60_000 + second * 1000 + millis)
            - Int64(offsetMinutes) * 60_000
        guard (minMillis...maxMillis).contains(ms) else { return nil }
        return date(millis: ms)
    }

    /// Parses `start/end`; nil unless both ends parse.
    public static func parseInterval(_ text: String) -> (start: Date, end: Date)? {
        let halves = text.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2, let s = parse(String(halves[0])), let e = parse(String(halves[1])) else { return nil }
        return (s, e)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's civil-calendar algorithms.
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
