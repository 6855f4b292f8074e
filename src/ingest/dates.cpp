// Date parsing for ingest: a hand-written scanner (no regex, no locale) over the few shapes
// feeds and archives use.
#include "ingest/dates.h"

#include <array>
#include <cstdio>

#include "common/civil_date.h"
#include "common/text_util.h"

namespace storyline::ingest {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

struct Zone {
  std::string_view name;
  int minutes;  // offset east of UTC
};
// RFC 822 zone names plus a few common ones feeds use.
constexpr std::array<Zone, 16> kZones = {{{"ut", 0},
                                          {"utc", 0},
                                          {"gmt", 0},
                                          {"z", 0},
                                          {"est", -300},
                                          {"edt", -240},
                                          {"cst", -360},
                                          {"cdt", -300},
                                          {"mst", -420},
                                          {"mdt", -360},
                                          {"pst", -480},
                                          {"pdt", -420},
                                          {"cet", 60},
                                          {"cest", 120},
                                          {"bst", 60},
                                          {"ist", 330}}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `count` digits at `at`.
bool digits(std::string_view text, std::size_t& at, int count, int& value) {
  if (at + static_cast<std::size_t>(count) > text.size()) return false;
  value = 0;
  for (int i = 0; i < count; ++i) {
    if (!is_digit(text[at])) return false;
    value = value * 10 + (text[at] - '0');
    ++at;
  }
  return true;
}

// Reads 1..max digits.
bool some_digits(std::string_view text, std::size_t& at, int max, int& value) {
  value = 0;
  int n = 0;
  while (at < text.size() && is_digit(text[at]) && n < max) {
    value = value * 10 + (text[at] - '0');
    ++at;
    ++n;
  }
  return n > 0;
}

struct Stamp {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool has_time = false;
  int offset = 0;  // minutes east of UTC
};

bool valid(const Stamp& s) {
  if (s.year < 1000 || s.year > 9999 || s.month < 1 || s.month > 12 || s.day < 1 ||
      s.day > days_in_month(s.year, s.month))
    return false;
  return s.hour <= 24 && s.minute <= 59 && s.second <= 60;
}

std::string format(Stamp s) {
  char buffer[32];
  if (!s.has_time) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", s.year, s.month, s.day);
    return buffer;
  }
  long long seconds = (CivilDate{s.year, s.month, s.day}.days_since_epoch() * 86400LL) +
                      s.hour * 3600LL + s.minute * 60LL + std::min(s.second, 59) - s.offset * 60LL;
  long long days = seconds / 86400;
  long long rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  const CivilDate date = CivilDate::from_days(static_cast<long>(days));
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", date.year, date.month,
                date.day, static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60),
                static_cast<int>(rest % 60));
  return buffer;
}

// "+02:00", "-0500", "Z", "GMT", "EST"; absent = UTC.
bool zone(std::string_view text, std::size_t& at, int& offset) {
  while (at < text.size() && text[at] == ' ') ++at;
  offset = 0;
  if (at >= text.size()) return true;
  if (text[at] == '+' || text[at] == '-') {
    const int sign = text[at] == '-' ? -1 : 1;
    ++at;
    int hours = 0;
    int minutes = 0;
    if (!digits(text, at, 2, hours)) return false;
    if (at < text.size() && text[at] == ':') ++at;
    if (at < text.size() && is_digit(text[at]) && !digits(text, at, 2, minutes)) return false;
    offset = sign * (hours * 60 + minutes);
    return hours <= 23 && minutes <= 59;
  }
  std::size_t end = at;
  while (end < text.size() && ((text[end] | 0x20) >= 'a' && (text[end] | 0x20) <= 'z')) ++end;
  const std::string name = ascii_lower(text.substr(at, end - at));
  for (const Zone& z : kZones) {
    if (name == z.name) {
      offset = z.minutes;
      at = end;
      return true;
    }
  }
  return false;
}

// hh:mm[:ss[.fff]]
bool clock(std::string_view text, std::size_t& at, Stamp& s) {
  if (!some_digits(text, at, 2, s.hour)) return false;
  if (at >= text.size() || text[at] != ':') return false;
  ++at;
  if (!digits(text, at, 2, s.minute)) return false;
  if (at < text.size() && text[at] == ':') {
    ++at;
    if (!digits(text, at, 2, s.second)) return false;
    if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
      ++at;
      while (at < text.size() && is_digit(text[at])) ++at;
    }
  }
  s.has_time = true;
  return true;
}

std::string parse_iso(std::string_view text) {
  Stamp s;
  std::size_t at = 0;
  if (!digits(text, at, 4, s.year)) return {};
  if (at == text.size()) return {};
  if (text.size() >= 14 && is_digit(text[at])) {  // 20140216050221
    if (!digits(text, at, 2, s.month) || !digits(text, at, 2, s.day)) return {};
    if (at < text.size() && digits(text, at, 2, s.hour) && digits(text, at, 2, s.minute) &&
        digits(text, at, 2, s.second))
      s.has_time = true;
    if (at != text.size() && !(at < text.size() && text[at] == 'Z')) return {};
    return valid(s) ? format(s) : std::string();
  }
  if (text[at] != '-') return {};
  ++at;
  if (!digits(text, at, 2, s.month)) return {};
  if (at == text.size()) {
    if (s.month < 1 || s.month > 12) return {};
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d", s.year, s.month);
    return buffer;
  }
  if (text[at] != '-') return {};
  ++at;
  if (!digits(text, at, 2, s.day)) return {};
  if (at < text.size() && (text[at] == 'T' || text[at] == 't' || text[at] == ' ')) {
    ++at;
    if (!clock(text, at, s)) return {};
    if (!zone(text, at, s.offset)) return {};
  }
  while (at < text.size() && text[at] == ' ') ++at;
  if (at != text.size()) return {};
  return valid(s) ? format(s) : std::string();
}

// [Wdy,] DD Mon YYYY [hh:mm[:ss]] [zone]
std::string parse_rfc822(std::string_view text) {
  Stamp s;
  std::size_t at = 0;
  if (const std::size_t comma = text.find(','); comma != std::string_view::npos && comma < 12)
    at = comma + 1;
  else if (text.size() > 3 && !is_digit(text[0]) && text[3] == ' ')
    at = 4;  // "Sun 06 Sep ..." without the comma
  while (at < text.size() && text[at] == ' ') ++at;
  if (!some_digits(text, at, 2, s.day)) return {};
  while (at < text.size() && (text[at] == ' ' || text[at] == '-')) ++at;
  if (at + 3 > text.size()) return {};
  const std::string month = ascii_lower(text.substr(at, 3));
  for (std::size_t m = 0; m < kMonths.size(); ++m) {
    if (month == kMonths[m]) s.month = static_cast<int>(m) + 1;
  }
  if (s.month == 0) return {};
  at += 3;
  while (at < text.size() && text[at] != ' ' && text[at] != '-') ++at;  // "September"
  while (at < text.size() && (text[at] == ' ' || text[at] == '-')) ++at;
  const std::size_t year_start = at;
  if (!some_digits(text, at, 4, s.year)) return {};
  if (at - year_start == 2) s.year += s.year < 50 ? 2000 : 1900;
  while (at < text.size() && text[at] == ' ') ++at;
  if (at < text.size() && is_digit(text[at])) {
    if (!clock(text, at, s)) return {};
    if (!zone(text, at, s.offset)) return {};
  }
  while (at < text.size() && text[at] == ' ') ++at;
  if (at != text.size()) return {};
  return valid(s) ? format(s) : std::string();
}

}  // namespace

std::string to_utc_iso(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 64) return {};
  if (std::string iso = parse_iso(text); !iso.empty()) return iso;
  return parse_rfc822(text);
}

}  // namespace storyline::ingest
