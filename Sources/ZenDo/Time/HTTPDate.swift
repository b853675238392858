/// Parses the HTTP-date form of `Retry-After` (RFC 9110 IMF-fixdate).
enum HTTPDate {
  static func parse(_ text: String) -> Double? {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let parts = text.split(separator: " ")
    guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3])
    else { return nil }
    let months = [
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    guard let monthIndex = months.firstIndex(of: String(parts[2])) else { return nil }
    let time = parts[4].split(separator: ":").compactMap { Int($0) }
    guard time.count == 3 else { return nil }
    let days = daysFromCivil(year: year, month: monthIndex + 1, day: day)
    return Double(days * 86400 + time[0] * 3600 + time[1] * 60 + time[2])
  }

  /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }
}
