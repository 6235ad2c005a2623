public import Foundation

/// A date as GRDB stores it, `yyyy-MM-dd HH:mm:ss.SSS` in UTC, made with integer arithmetic
/// instead of a DateFormatter: the purchase and push transactions pass several dates each, and
/// formatting them through ICU was most of their time inside the single writer. The text is the
/// same as GRDB's (a test compares them), so both kinds compare alike in SQL.
public enum DatabaseTime {
    public static func text(_ date: Date) -> String {
        // Rounded to the nearest millisecond, as ICU does behind the DateFormatter.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let days = milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000
        let ofDay = milliseconds - days * 86_400_000
        let (year, month, day) = civil(fromDays: days)
        var text = ""
        text.reserveCapacity(23)
        func append(_ value: Int64, width: Int) {
            let digits = String(value)
            text += String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        append(year, width: 4)
        text += "-"
        append(month, width: 2)
        text += "-"
        append(day, width: 2)
        text += " "
        append(ofDay / 3_600_000, width: 2)
        text += ":"
        append(ofDay / 60_000 % 60, width: 2)
        text += ":"
        append(ofDay / 1000 % 60, width: 2)
        text += "."
        append(ofDay % 1000, width: 3)
        return text
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's algorithm).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
