// Calendar dates without time zones: parsing ISO prefixes and day arithmetic.
// Used to resolve relative dates (understand) and to window clustering by days (cluster).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace storyline {

struct CivilDate {
  int year = 0;
  int month = 0;  // 1..12, 0 when only the year is known
  int day = 0;    // 1..31, 0 when only the month is known

  // Days since 1970-01-01 (missing month/day count as the first).
  long days_since_epoch() const;
  static CivilDate from_days(long days);
  // 0 = Monday .. 6 = Sunday (requires a full date).
  int weekday() const;
  // "2025-04-25", "2025-04", "2025".
  std::string iso() const;
  bool operator==(const CivilDate&) const = default;
};

// Parses the leading "YYYY", "YYYY-MM" or "YYYY-MM-DD" of an ISO date or date-time.
std::optional<CivilDate> parse_iso_date(std::string_view text);

int days_in_month(int year, int month);

}  // namespace storyline
