// The date finder shared by dates.cpp (the English rules) and dates_lang.cpp (other
// languages, which reuse its output, resolution and event-date code). Private to those two
// files; the English rules are compiled in dates.cpp alone, as before other languages.
#pragma once

#include <cstdio>
#include <string>
#include <utility>

#include "understand/internal.h"

namespace storyline::understand::internal {
namespace {

constexpr std::string_view kMonthPrepositions[] = {
    "in",      "since",  "until", "till",    "by",  "last", "next",
    "this",    "early",  "late",  "mid",     "of",  "from", "during",
    "through", "before", "after", "between", "and", "to",   "throughout"};

// Words before a weekday that make it an upcoming day. Only auxiliaries and adjectives that
// mark the future: nouns and particles such as "plans" or "to" are far more often part of a
// past-tense report ("backed plans on Monday", "rushed to Kyiv on Friday").
constexpr std::string_view kFutureCues[] = {"will",     "next",   "due",   "scheduled",
                                            "upcoming", "coming", "shall", "'ll"};

template <std::size_t N>
bool in_list(const std::string_view (&list)[N], std::string_view w) {
  for (std::string_view x : list)
    if (x == w) return true;
  return false;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') break;
    v = v * 10 + (c - '0');
    if (v > 100000) break;
  }
  return v;
}

// "4", "4th", "21st": a day of the month, else 0.
int day_number(std::string_view s) {
  std::size_t d = 0;
  while (d < s.size() && s[d] >= '0' && s[d] <= '9') ++d;
  if (d == 0 || d > 2) return 0;
  std::string_view suf = s.substr(d);
  if (!(suf.empty() || suf == "st" || suf == "nd" || suf == "rd" || suf == "th")) return 0;
  const int v = to_int(s.substr(0, d));
  return v >= 1 && v <= 31 ? v : 0;
}

// TIMEX3 parts of the day ("this morning" -> "TMO"); empty when `w` names none.
std::string_view part_of_day(std::string_view w) {
  if (w == "morning") return "TMO";
  if (w == "afternoon") return "TAF";
  if (w == "evening") return "TEV";
  if (w == "night" || w == "tonight") return "TNI";
  return {};
}

// ISO 8601 week of a day: "2006-W14".
std::string iso_week(long days) {
  const int wd = CivilDate::from_days(days).weekday();
  const long thursday = days - wd + 3;
  const int year = CivilDate::from_days(thursday).year;
  const long jan1 = CivilDate{year, 1, 1}.days_since_epoch();
  const long week = (thursday - jan1) / 7 + 1;
  std::string out = std::to_string(year) + "-W";
  if (week < 10) out.push_back('0');
  out += std::to_string(week);
  return out;
}

int year_number(std::string_view s) {
  if (s.size() != 4 || !all_digits(s)) return 0;
  const int v = to_int(s);
  return v >= 1800 && v <= 2200 ? v : 0;
}

class DateFinder {
 public:
  DateFinder(const Context& ctx, Analysis& out) : ctx_(ctx), out_(out) {}

  void run() {
    const int n = ctx_.size();
    int i = 0;
    while (i < n) {
      const int next = match(i);
      i = next > i ? next : i + 1;
    }
    pick_event_date();
  }

 protected:
  std::string_view lw(int i) const { return ctx_.lcore(i); }
  bool word(int i) const { return i >= 0 && i < ctx_.size() && ctx_.tokens[i].has(kWord); }
  bool same_sentence(int a, int b) const {
    return b >= 0 && b < ctx_.size() && ctx_.tokens[a].sentence == ctx_.tokens[b].sentence;
  }
  bool is(int i, std::string_view w) const { return word(i) && lw(i) == w; }
  bool punct(int i, std::string_view p) const {
    return i >= 0 && i < ctx_.size() && ctx_.tokens[i].has(kPunct) && ctx_.tok(i) == p;
  }

  // "is set to", "are expected to": a present-tense plan, so a weekday after it is ahead.
  bool scheduled_at(int k) const {
    const std::string_view w = lw(k);
    if (w != "set" && w != "expected" && w != "scheduled" && w != "slated") return false;
    if (!is(k + 1, "to") || !word(k - 1)) return false;
    const std::string_view aux = lw(k - 1);
    return aux == "is" || aux == "are" || aux == "am";
  }

  void add(int first, int last, std::string value, DateGranularity g, bool relative,
           bool week = false) {
    DateMention d;
    d.span = Span{ctx_.tokens[first].begin, ctx_.tokens[last].core_end};
    d.text = std::string(ctx_.text.substr(d.span.begin, d.span.end - d.span.begin));
    d.value = std::move(value);
    d.granularity = g;
    d.relative = relative;
    out_.dates.push_back(std::move(d));
    sentence_.push_back(ctx_.tokens[first].sentence);
    week_.push_back(week);
  }

  std::string day_iso(long days) const { return CivilDate::from_days(days).iso(); }

  // Returns the token after the match, or i when nothing matched at i.
  int match(int i) {
    const Token& t = ctx_.tokens[i];
    if (!t.has(kWord)) return i;
    const auto& pub = ctx_.published;
    std::string_view l = lw(i);
    if (t.has(kNumber)) return match_number(i);
    // Month names.
    int month = lex::month_index(l);
    if (month > 0 && t.has(kCap)) {
      const bool abbrev = l.size() <= 4 && l != "june" && l != "july";
      const bool full = !abbrev || l == "may";
      int j = i + 1;
      if (abbrev && punct(j, ".")) ++j;
      // Day Month [Year] ("4 April 2025").
      if (i > 0 && same_sentence(i, i - 1) && ctx_.tokens[i - 1].has(kNumber)) {
        if (int day = day_number(ctx_.tok(i - 1)); day > 0) {
          if (word(i + 1) && same_sentence(i, i + 1) && year_number(ctx_.tok(i + 1))) {
            add(i - 1, i + 1, CivilDate{year_number(ctx_.tok(i + 1)), month, day}.iso(),
                DateGranularity::kDay, false);
            return i + 2;
          }
          add(i - 1, i, yearless(month, day), DateGranularity::kDay, true);
          return i + 1;
        }
      }
      // Month Day[, Year]
      if (word(j) && same_sentence(i, j) && ctx_.tokens[j].has(kNumber)) {
        if (int day = day_number(ctx_.tok(j)); day > 0 && day <= days_in_month(2000, month)) {
          int k = j + 1;
          if (punct(k, ",")) ++k;
          if (word(k) && same_sentence(i, k) && year_number(ctx_.tok(k))) {
            add(i, k, CivilDate{year_number(ctx_.tok(k)), month, day}.iso(), DateGranularity::kDay,
                false);
            return k + 1;
          }
          add(i, j, yearless(month, day), DateGranularity::kDay, true);
          return j + 1;
        }
        if (int year = year_number(ctx_.tok(j)); year > 0) {
          add(i, j, CivilDate{year, month, 0}.iso(), DateGranularity::kMonth, false);
          return j + 1;
        }
      }
      // A bare month after a preposition: "In February", "since March".
      if (full && i > 0 && same_sentence(i, i - 1) && in_list(kMonthPrepositions, lw(i - 1))) {
        std::string value;
        if (pub) {
          int year = pub->year;
          const std::string_view prep = lw(i - 1);
          if (prep == "next") {
            if (month <= pub->month) ++year;
          } else if (month > pub->month || (prep == "last" && month == pub->month)) {
            --year;
          }
          value = CivilDate{year, month, 0}.iso();
        }
        // TIMEX3 spans leave prepositions out: "In February" -> "February".
        add(i, i, value, DateGranularity::kMonth, true);
        return i + 1;
      }
      return i;
    }
    // Weekdays, with "last"/"next"/"this" but without "on"; a part of the day after one
    // is kept: "Friday morning" -> "2010-07-16TMO".
    const int wd = lex::weekday_index(l);
    if (wd >= 0 && t.has(kCap)) {
      int first = i;
      bool future = false, last = false;
      if (i > 0 && same_sentence(i, i - 1)) {
        std::string_view prev = lw(i - 1);
        if (prev == "last" || prev == "next" || prev == "this") first = i - 1;
        last = prev == "last";
        future = prev == "next";
      }
      for (int k = i - 1; k >= 0 && k >= i - 6 && same_sentence(i, k) && !future && !last; --k)
        if (word(k) && (in_list(kFutureCues, lw(k)) || scheduled_at(k))) future = true;
      std::string value;
      if (pub) {
        const long p = pub->days_since_epoch();
        const int pwd = pub->weekday();
        long d;
        if (future) {
          int delta = (wd - pwd + 7) % 7;
          if (delta == 0) delta = 7;
          d = p + delta;
        } else {
          int delta = (pwd - wd + 7) % 7;
          if (delta == 0 && last) delta = 7;
          d = p - delta;
        }
        value = day_iso(d);
      }
      int end = i;
      if (word(i + 1) && same_sentence(i, i + 1)) {
        std::string_view part = part_of_day(lw(i + 1));
        if (!part.empty()) {
          end = i + 1;
          if (!value.empty()) value += part;
        }
      }
      add(first, end, value, DateGranularity::kDay, true);
      return end + 1;
    }
    // Deictic days, with a part of the day ("yesterday morning", "tonight").
    if (l == "yesterday" || l == "today" || l == "tomorrow" || l == "tonight") {
      const long off = l == "yesterday" ? -1 : (l == "tomorrow" ? 1 : 0);
      std::string value = pub ? day_iso(pub->days_since_epoch() + off) : std::string();
      int end = i;
      std::string_view part = part_of_day(l);
      if (part.empty() && word(i + 1) && same_sentence(i, i + 1)) {
        part = part_of_day(lw(i + 1));
        if (!part.empty()) end = i + 1;
      }
      if (!value.empty()) value += part;
      add(i, end, value, DateGranularity::kDay, true);
      return end + 1;
    }
    if (const int next = match_reference(i); next > i) return next;
    if (const int next = match_quarter(i); next > i) return next;
    if (const int next = match_period_edge(i); next > i) return next;
    // "last night", "this morning", "this/last/next week|month|year", "earlier this week".
    if ((l == "last" || l == "this" || l == "next" || (l == "past" && is(i - 1, "the"))) &&
        word(i + 1) && same_sentence(i, i + 1)) {
      std::string_view unit = lw(i + 1);
      int first = i;
      if (i > 0 && same_sentence(i, i - 1) && (lw(i - 1) == "earlier" || lw(i - 1) == "later"))
        first = i - 1;
      const int dir = (l == "last" || l == "past") ? -1 : (l == "next" ? 1 : 0);
      if (l == "past" && unit != "decade") return i;  // "the past week" is a duration
      if (std::string_view part = part_of_day(unit); !part.empty()) {
        if (l == "next") return i;
        const long off = l == "last" ? -1 : 0;
        std::string value = pub ? day_iso(pub->days_since_epoch() + off) : std::string();
        if (!value.empty()) value += part;
        add(first, i + 1, value, DateGranularity::kDay, true);
        return i + 2;
      }
      // Weeks are ISO weeks ("2006-W14"), weekends TIMEX3 "2010-W04-WE".
      if (unit == "week" || unit == "weekend") {
        std::string value;
        if (pub) {
          value = iso_week(pub->days_since_epoch() + 7L * dir);
          if (unit == "weekend") value += "-WE";
        }
        add(first, i + 1, value, DateGranularity::kWeek, true, true);
        return i + 2;
      }
      if (unit == "quarter") {
        add(first, i + 1, pub ? quarter_value(pub->year, (pub->month - 1) / 3 + 1 + dir) : "",
            DateGranularity::kMonth, true);
        return i + 2;
      }
      if (unit == "decade") {
        // TIMEX3 decades: "the past decade" in 2011 -> "200" (the 2000s).
        std::string value;
        if (pub) value = std::to_string(pub->year / 10 + dir);
        add(first, i + 1, value, DateGranularity::kYear, true);
        return i + 2;
      }
      if (unit == "month") {
        std::string value;
        if (pub) {
          int y = pub->year, m = pub->month + dir;
          if (m < 1) {
            m = 12;
            --y;
          } else if (m > 12) {
            m = 1;
            ++y;
          }
          value = CivilDate{y, m, 0}.iso();
        }
        add(first, i + 1, value, DateGranularity::kMonth, true);
        return i + 2;
      }
      if (unit == "year") {
        // "later this year" published in October lies in the fourth quarter, "earlier this
        // year" published in March in the first: the narrowest period that holds it.
        if (pub && l == "this" && first == i - 1) {
          const int q = (pub->month - 1) / 3 + 1;
          if ((lw(first) == "later" && q == 4) || (lw(first) == "earlier" && q == 1)) {
            add(first, i + 1, quarter_value(pub->year, q), DateGranularity::kMonth, true);
            return i + 2;
          }
        }
        add(first, i + 1, pub ? CivilDate{pub->year + dir, 0, 0}.iso() : std::string(),
            DateGranularity::kYear, true);
        return i + 2;
      }
    }
    return i;
  }

  // TIMEX3 quarter "2006-Q4", rolling over year ends; empty for an impossible quarter.
  static std::string quarter_value(int year, int quarter) {
    while (quarter < 1) {
      quarter += 4;
      --year;
    }
    while (quarter > 4) {
      quarter -= 4;
      ++year;
    }
    return std::to_string(year) + "-Q" + std::to_string(quarter);
  }

  // The year a "..." of the year / of YEAR phrase ending at token k names, with the token
  // after it; 0 when there is none. "of the year"/"of this year" is the publication year.
  int year_after_of(int k, int& next) const {
    if (!is(k, "of") || !same_sentence(k, k + 1)) return 0;
    if (word(k + 1) && ctx_.tokens[k + 1].has(kNumber) && is_year_token(ctx_, k + 1)) {
      next = k + 2;
      return year_number(ctx_.core(k + 1));
    }
    if ((is(k + 1, "the") || is(k + 1, "this")) && is(k + 2, "year") && ctx_.published) {
      next = k + 3;
      return ctx_.published->year;
    }
    return 0;
  }

  // "the first quarter (of 2008)", "fourth-quarter", "the last quarter": TIMEX3 "2008-Q1".
  // Without a year, an ordinal quarter is the latest one not after publication; "last"
  // is the quarter before publication's.
  int match_quarter(int i) {
    const std::string_view l = lw(i);
    int quarter = 0;
    int last = -1;
    if (ctx_.tokens[i].has(kHyphen) && l.ends_with("-quarter")) {
      quarter = lex::ordinal_word(l.substr(0, l.size() - 8));
      last = i;
    } else if (is(i + 1, "quarter") && same_sentence(i, i + 1)) {
      quarter = lex::ordinal_word(l);
      if (l == "last" || l == "previous") quarter = -1;
      last = i + 1;
    }
    if (last < 0 || quarter == 0 || quarter < -1 || quarter > 4) return i;
    if (quarter == -1 && !(l == "last" || l == "previous")) return i;
    if (quarter > 0 &&
        !(is(i - 1, "the") || is(i - 1, "its") || is(i - 1, "their") ||
          (i > 0 && ctx_.tokens[i - 1].has(kPossessive)) || ctx_.tokens[i].has(kHyphen)))
      return i;
    int next = last + 1;
    const int year = year_after_of(last + 1, next);
    std::string value;
    const auto& pub = ctx_.published;
    const int first = is(i - 1, "the") ? i - 1 : i;
    if (year > 0 && quarter > 0) {
      value = quarter_value(year, quarter);
    } else if (pub) {
      const int pq = (pub->month - 1) / 3 + 1;
      if (quarter < 0) {
        value = quarter_value(pub->year, pq - 1);
      } else {
        value = quarter_value(quarter <= pq ? pub->year : pub->year - 1, quarter);
      }
    }
    add(first, next - 1, value, DateGranularity::kMonth, year == 0);
    return next;
  }

  // "the beginning of the year", "the end of 2008", "later this year": the period itself.
  int match_period_edge(int i) {
    const std::string_view l = lw(i);
    if (!(is(i - 1, "the") && (l == "beginning" || l == "start" || l == "end" || l == "middle")))
      return i;
    int next = i + 1;
    const int year = year_after_of(i + 1, next);
    if (year == 0) return i;
    add(i - 1, next - 1, std::to_string(year), DateGranularity::kYear, true);
    return next;
  }

  // TIMEX3 reference words: "now", "currently" (PRESENT_REF), "recently" (PAST_REF).
  int match_reference(int i) {
    const std::string_view l = lw(i);
    if (ctx_.tokens[i].has(kHyphen) || ctx_.tokens[i].has(kInQuote)) return i;
    if (l == "recently") {
      const int first = is(i - 1, "more") || is(i - 1, "most") || is(i - 1, "only") ? i - 1 : i;
      add(first, i, "PAST_REF", DateGranularity::kDay, true);
      return i + 1;
    }
    // "now that ..." is a conjunction; "just now" and "until now" keep the reference.
    if ((l == "now" && !is(i + 1, "that")) || l == "currently") {
      add(i, i, "PRESENT_REF", DateGranularity::kDay, true);
      return i + 1;
    }
    return i;
  }

  // "7/8/07" at token i, written without spaces: two numbers of one or two digits and a year of
  // two or four (a two-digit year is 19xx from 50, else 20xx), in written order. Which of the
  // first two is the month is the caller's (the language's) order.
  bool slash_date_parts(int i, int& first, int& second, int& year) const {
    if (!punct(i + 1, "/") || !word(i + 2) || !punct(i + 3, "/") || !word(i + 4)) return false;
    for (int k = i; k < i + 4; ++k)
      if (ctx_.tokens[k + 1].begin != ctx_.tokens[k].end) return false;
    const std::string_view a = ctx_.tok(i), b = ctx_.tok(i + 2), c = ctx_.tok(i + 4);
    if (!all_digits(a) || !all_digits(b) || !all_digits(c) || a.size() > 2 || b.size() > 2 ||
        (c.size() != 2 && c.size() != 4))
      return false;
    first = to_int(a), second = to_int(b), year = to_int(c);
    if (c.size() == 2) year += year < 50 ? 2000 : 1900;
    return true;
  }

  // "7/8/07", "12/25/2008": numeric dates in the US order month/day/year, unless the first
  // part cannot be a month ("25/12/2008" is day/month/year).
  int match_numeric_date(int i) {
    int month = 0, day = 0, year = 0;
    if (!slash_date_parts(i, month, day, year)) return i;
    if (month > 12) std::swap(month, day);
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return i;
    add(i, i + 4, CivilDate{year, month, day}.iso(), DateGranularity::kDay, false);
    return i + 5;
  }

  // "18:00 UTC", "6:40 p.m.": a clock time on the day of the sentence's last full date, else
  // on the publication day. Returns the token after it, or i.
  int match_time(int i) {
    std::string_view h = ctx_.tok(i);
    if (h.size() > 2 || !all_digits(h) || !punct(i + 1, ":") || !word(i + 2)) return i;
    if (ctx_.tokens[i + 1].begin != ctx_.tokens[i].end ||
        ctx_.tokens[i + 2].begin != ctx_.tokens[i + 1].end)
      return i;
    std::string_view m = ctx_.tok(i + 2);
    if (m.size() != 2 || !all_digits(m)) return i;
    int hour = to_int(h);
    const int minute = to_int(m);
    if (hour > 23 || minute > 59) return i;
    int end = i + 2;
    // a.m. / p.m. (tokenised "p" "." "m" "."), am / pm.
    if (word(end + 1) && (lw(end + 1) == "pm" || lw(end + 1) == "am")) {
      if (lw(end + 1) == "pm" && hour < 12) hour += 12;
      if (lw(end + 1) == "am" && hour == 12) hour = 0;
      ++end;
    } else if (word(end + 1) && (lw(end + 1) == "p" || lw(end + 1) == "a") && punct(end + 2, ".") &&
               is(end + 3, "m")) {
      if (lw(end + 1) == "p" && hour < 12) hour += 12;
      if (lw(end + 1) == "a" && hour == 12) hour = 0;
      end += 3;
      if (punct(end + 1, ".") && ctx_.tokens[end + 1].begin == ctx_.tokens[end].end) ++end;
    }
    bool utc = false;
    if (word(end + 1) && same_sentence(i, end + 1) &&
        (lw(end + 1) == "utc" || lw(end + 1) == "gmt")) {
      utc = true;
      ++end;
    }
    std::string day;
    for (std::size_t k = out_.dates.size(); k-- > 0;) {
      if (sentence_[k] != ctx_.tokens[i].sentence) break;
      if (out_.dates[k].value.size() >= 10 && out_.dates[k].value[4] == '-' &&
          out_.dates[k].value[7] == '-') {
        day = out_.dates[k].value.substr(0, 10);
        break;
      }
    }
    if (day.empty() && ctx_.published) day = ctx_.published->iso();
    std::string value;
    if (!day.empty()) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%02d:%02d", hour, minute);
      value = day + "T" + buf + (utc ? "Z" : "");
    }
    add(i, end, value, DateGranularity::kDay, true);
    return end + 1;
  }

  int match_number(int i) {
    if (const int next = match_time(i); next > i) return next;
    if (const int next = match_numeric_date(i); next > i) return next;
    std::string_view s = ctx_.tok(i);
    // ISO date "2025-04-12".
    if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
      if (auto d = parse_iso_date(s); d && d->month >= 1 && d->month <= 12 && d->day >= 1 &&
                                      d->day <= days_in_month(d->year, d->month)) {
        add(i, i, d->iso(), DateGranularity::kDay, false);
        return i + 1;
      }
    }
    if (is_year_token(ctx_, i)) {
      // "early 2009", "late 2010": the modifier is part of the expression, the value the year.
      int first = i;
      if (word(i - 1) && same_sentence(i, i - 1) &&
          (lw(i - 1) == "early" || lw(i - 1) == "late" || lw(i - 1) == "mid"))
        first = i - 1;
      add(first, i, std::string(s.substr(0, 4)), DateGranularity::kYear, false);
      return i + 1;
    }
    return i;
  }

  std::string yearless(int month, int day) const {
    if (!ctx_.published) return {};
    const CivilDate& p = *ctx_.published;
    CivilDate d{p.year, month, day};
    if (d.days_since_epoch() - p.days_since_epoch() > 183) d.year -= 1;
    if (day > days_in_month(d.year, month)) return {};
    return d.iso();
  }

  void pick_event_date() {
    for (std::size_t k = 0; k < out_.dates.size(); ++k) {
      const DateMention& d = out_.dates[k];
      if (sentence_[k] > 1) break;
      if (d.granularity == DateGranularity::kDay && !d.value.empty() && !week_[k]) {
        out_.event_date = d.value.substr(0, 10);  // without a time or part of the day
        return;
      }
    }
    if (ctx_.published) out_.event_date = ctx_.published->iso();
  }

  const Context& ctx_;
  Analysis& out_;
  std::vector<int> sentence_;
  std::vector<bool> week_;
};

}  // namespace
}  // namespace storyline::understand::internal
