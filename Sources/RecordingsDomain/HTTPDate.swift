extension Timestamp {
    /// RFC 7231 date, as S3 sends `Last-Modified`: `Fri, 27 Nov 2026 05:32:26 GMT`.
    public static func httpDate(millis: Int64) -> String {
        let p = parts(millis: millis)
        let days = Int((millis - Int64(p.hour * 3_600_000 + p.minute * 60_000 + p.second * 1000 + p.millisecond)) / 86_400_000)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[((days % 7) + 7) % 7]
        return "\(weekday), \(pad(p.day, 2)) \(months[p.month - 1]) \(pad(p.year, 4)) \(pad(p.hour, 2)):\(pad(p.minute, 2)):\(pad(p.second, 2)) GMT"
    }
}
