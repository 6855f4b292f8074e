// Publication dates as they appear in page metadata, normalised to ISO 8601.
#include <cstdio>

#include "common/civil_date.h"
#include "common/text_util.h"
#include "extract/extract_internal.h"
#include "extract/lexicon.h"

namespace storyline::extract::detail {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool digits_at(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return false;
  for (std::size_t i = at; i < at + n; ++i)
    if (!is_digit(s[i])) return false;
  return true;
}

int number_at(std::string_view s, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

std::optional<std::string> format_date(int year, int month, int day) {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month)) {
    return std::nullopt;
  }
  return CivilDate{year, month, day}.iso();
}

// "T10:30", "T10:30:05.123Z", " 10:30:05+02:00" after an ISO date.
std::string iso_time_suffix(std::string_view s) {
  if (s.size() < 6 || (s[0] != 'T' && s[0] != 't' && s[0] != ' ')) return {};
  if (!digits_at(s, 1, 2) || s[3] != ':' || !digits_at(s, 4, 2)) return {};
  const int hour = number_at(s, 1, 2), minute = number_at(s, 4, 2);
  int second = 0;
  std::size_t i = 6;
  if (i < s.size() && s[i] == ':' && digits_at(s, i + 1, 2)) {
    second = number_at(s, i + 1, 2);
    i += 3;
  }
  if (hour > 23 || minute > 59 || second > 60) return {};
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d", hour, minute, second);
  std::string out = buf;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    out += 'Z';
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-') && digits_at(s, i + 1, 2)) {
    const char sign = s[i];
    const int tz_hour = number_at(s, i + 1, 2);
    int tz_minute = 0;
    if (i + 3 < s.size() && s[i + 3] == ':' && digits_at(s, i + 4, 2)) {
      tz_minute = number_at(s, i + 4, 2);
    } else if (digits_at(s, i + 3, 2)) {
      tz_minute = number_at(s, i + 3, 2);
    }
    if (tz_hour <= 14 && tz_minute <= 59) {
      std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, tz_hour, tz_minute);
      out += buf;
    }
  }
  return out;
}

int month_from_word(std::string_view word) {
  const std::string lower = ascii_lower(word);
  for (const lexicon::MonthName& m : lexicon::kMonthNames) {
    if (lower == m.name) return m.month;
  }
  return 0;
}

// "April 12, 2025", "12 April 2025", "Sat, 12 Apr 2025 10:00:00 GMT", "12.04.2025".
std::optional<std::string> parse_worded_date(std::string_view s) {
  int year = 0, month = 0, day = 0;
  int numbers[4] = {0, 0, 0, 0};
  std::size_t numbers_len[4] = {0, 0, 0, 0};
  int number_count = 0;
  std::size_t i = 0;
  int tokens = 0;
  while (i < s.size() && tokens < 12) {
    while (i < s.size() &&
           !(is_digit(s[i]) || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) {
      ++i;
    }
    const std::size_t start = i;
    if (i < s.size() && is_digit(s[i])) {
      while (i < s.size() && is_digit(s[i])) ++i;
      if (i < s.size() && s[i] == ':') break;  // the time starts: the date is complete
      if (number_count < 4 && i - start <= 4) {
        numbers[number_count] = number_at(s, start, i - start);
        numbers_len[number_count] = i - start;
        ++number_count;
      }
      // Ordinal suffixes: "12th".
      while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) ++i;
    } else {
      while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) ++i;
      if (const int m = month_from_word(s.substr(start, i - start)); m != 0 && month == 0) {
        month = m;
      }
    }
    ++tokens;
  }
  if (month != 0) {
    for (int k = 0; k < number_count; ++k) {
      if (numbers_len[k] == 4) {
        year = numbers[k];
      } else if (day == 0 && numbers[k] >= 1 && numbers[k] <= 31) {
        day = numbers[k];
      }
    }
    return format_date(year, month, day);
  }
  // Numeric day-first with dots: "12.04.2025" (the European convention).
  if (number_count == 3 && numbers_len[2] == 4 && s.find('.') != std::string_view::npos) {
    return format_date(numbers[2], numbers[1], numbers[0]);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> normalize_date(std::string_view text) {
  std::string_view s = trim(text);
  if (s.size() < 6 || s.size() > 80) return std::nullopt;
  // ISO 8601 and its slash variant: "2025-04-12", "2025/04/12T10:00Z".
  if (digits_at(s, 0, 4) && s.size() >= 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4] &&
      digits_at(s, 5, 2) && digits_at(s, 8, 2)) {
    auto date = format_date(number_at(s, 0, 4), number_at(s, 5, 2), number_at(s, 8, 2));
    if (!date) return std::nullopt;
    if (s.size() > 10) *date += iso_time_suffix(s.substr(10));
    return date;
  }
  // Compact "20250412".
  if (s.size() == 8 && digits_at(s, 0, 8)) {
    return format_date(number_at(s, 0, 4), number_at(s, 4, 2), number_at(s, 6, 2));
  }
  return parse_worded_date(s);
}

}  // namespace storyline::extract::detail
