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

// Bit (c - 'a') set for every lowercase letter c of `letters`.
constexpr uint32_t mask_of(std::string_view letters) {
  uint32_t m = 0;
  for (char c : letters) m |= 1u << (c - 'a');
  return m;
}

class DateFinder {
 public:
  DateFinder(const Context& ctx, Analysis& out)
      : ctx_(ctx),
        out_(out),
        // Fiscal-year phrases are rare: look for them only in texts that have the words.
        fiscal_text_(ctx.lower.find("fiscal") != std::string_view::npos ||
                     ctx.lower.find("financial") != std::string_view::npos ||
                     ctx.text.find("FY") != std::string_view::npos) {}

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

  // TIMEX3 keeps "early", "late" and "mid" inside the expression they modify ("late March",
  // "early Monday", "late last year"): the first token of the expression that starts at i.
  int modified_start(int i) const {
    if (i > 0 && same_sentence(i, i - 1) && word(i - 1)) {
      const std::string_view m = lw(i - 1);
      if (m == "early" || m == "late" || m == "mid") return i - 1;
    }
    return i;
  }

  // The month `dir` months from publication, "2024-02"; empty without a publication date.
  std::string month_from_published(int dir) const {
    if (!ctx_.published) return {};
    int y = ctx_.published->year, m = ctx_.published->month + dir;
    while (m < 1) m += 12, --y;
    while (m > 12) m -= 12, ++y;
    return CivilDate{y, m, 0}.iso();
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
    // "4 p.m. on Friday", "6:30 yesterday": a clock time without an earlier date in its
    // sentence takes the day written right after it.
    if (undated_time_ >= 0 && g == DateGranularity::kDay && value.size() >= 10 && value[4] == '-' &&
        value[7] == '-' &&
        (first == undated_time_end_ + 1 ||
         (first == undated_time_end_ + 2 && (is(first - 1, "on") || punct(first - 1, ","))))) {
      std::string& time = out_.dates[static_cast<std::size_t>(undated_time_)].value;
      if (time.size() > 10) time.replace(0, 10, value, 0, 10);
    }
    undated_time_ = -1;
    d.value = std::move(value);
    d.granularity = g;
    d.relative = relative;
    out_.dates.push_back(std::move(d));
    sentence_.push_back(ctx_.tokens[first].sentence);
    week_.push_back(week);
    year_back_.push_back(false);
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
          add(modified_start(i), j, CivilDate{year, month, 0}.iso(), DateGranularity::kMonth,
              false);
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
        // TIMEX3 spans leave prepositions out ("In February" -> "February") but keep
        // modifiers ("early February").
        add(modified_start(i), i, value, DateGranularity::kMonth, true);
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
        if (first == i) first = modified_start(i);  // "late Friday"
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
    // Every rule below starts at a word beginning with one of these letters ("the", "last",
    // "yesterday", "fiscal", "Q3", "summer", "now"...): one test spares the other words.
    constexpr uint32_t kStartLetters = mask_of("abceflmnpqrstwy");
    if (l.empty() || l[0] < 'a' || l[0] > 'z' || !(kStartLetters >> (l[0] - 'a') & 1u)) return i;
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
    if (starts_period_phrase(l)) {
      if (const int next = match_fiscal(i); next > i) return next;
      if (const int next = match_season(i); next > i) return next;
      if (const int next = match_same_period(i); next > i) return next;
      if (const int next = match_adjacent_day(i); next > i) return next;
    }
    // "last night", "this morning", "this/last/next week|month|year", "earlier this week".
    // "the current quarter" is this quarter.
    if ((l == "last" || l == "this" || l == "next" ||
         ((l == "past" || l == "current") && is(i - 1, "the"))) &&
        word(i + 1) && same_sentence(i, i + 1)) {
      std::string_view unit = lw(i + 1);
      int first = i;
      if (i > 0 && same_sentence(i, i - 1) && (lw(i - 1) == "earlier" || lw(i - 1) == "later"))
        first = i - 1;
      else
        first = modified_start(i);  // "late last year", "early next month"
      if (l == "current") {
        if (unit != "week" && unit != "month" && unit != "quarter" && unit != "year") return i;
        first = i - 1;
      }
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
        add(first, i + 1, month_from_published(dir), DateGranularity::kMonth, true);
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
  // after it; 0 when there is none. "of the year"/"of this year" is the publication year,
  // "of last/next year" the one before/after it.
  // With `fiscal`, a fiscal year ("of fiscal 2008", "of the financial year") is taken too
  // and flagged.
  int year_after_of(int k, int& next, bool* fiscal = nullptr) const {
    if (!is(k, "of") || !same_sentence(k, k + 1)) return 0;
    if (fiscal) {
      *fiscal = false;
      if (const int year = fiscal_year_at(k + 1, next); year > 0) {
        *fiscal = true;
        return year;
      }
    }
    if (word(k + 1) && ctx_.tokens[k + 1].has(kNumber) && is_year_token(ctx_, k + 1)) {
      next = k + 2;
      return year_number(ctx_.core(k + 1));
    }
    if (!ctx_.published || !is(k + 2, "year") || !same_sentence(k, k + 2)) return 0;
    const int dir = is(k + 1, "last") ? -1 : is(k + 1, "next") ? 1 : 0;
    if (dir == 0 && !is(k + 1, "the") && !is(k + 1, "this")) return 0;
    next = k + 3;
    return ctx_.published->year + dir;
  }

  // TIMEX3 fiscal years ("FY2008"): the year of a fiscal-year phrase starting at token k,
  // with the token after it in `next`; 0 when there is none. "fiscal 2008", "fiscal year
  // 2008", "the 2008 financial year", "FY2008", "FY08"; "the/this/current fiscal year" is the
  // publication year (fiscal years are named after the calendar year they end in, and most
  // end within the calendar year they are written in), "last/next fiscal year" the one before
  // or after.
  int fiscal_year_at(int k, int& next) const {
    if (!fiscal_text_ || !word(k)) return 0;
    const std::string_view w = lw(k);
    if (w.size() >= 4 && w[0] == 'f' && w[1] == 'y' && ctx_.tokens[k].has(kAllCaps) &&
        all_digits(w.substr(2)) && (w.size() == 4 || w.size() == 6)) {
      next = k + 1;
      return w.size() == 6 ? to_int(w.substr(2)) : 2000 + to_int(w.substr(2));
    }
    auto fiscal_word = [&](int j) { return is(j, "fiscal") || is(j, "financial"); };
    auto year_at = [&](int j) {
      return word(j) && same_sentence(k, j) && ctx_.tokens[j].has(kNumber) && is_year_token(ctx_, j)
                 ? year_number(ctx_.core(j))
                 : 0;
    };
    if (fiscal_word(k)) {
      // "fiscal 2008", "fiscal year 2008"
      if (const int y = year_at(k + 1); y > 0 && w == "fiscal") {
        next = k + 2;
        return y;
      }
      if (is(k + 1, "year") && same_sentence(k, k + 1)) {
        if (const int y = year_at(k + 2); y > 0) {
          next = k + 3;
          return y;
        }
      }
      return 0;
    }
    // "the 2008 fiscal year"
    if (w == "the" && fiscal_word(k + 2) && is(k + 3, "year") && same_sentence(k, k + 3))
      if (const int y = year_at(k + 1); y > 0) {
        next = k + 4;
        return y;
      }
    int j = k;
    int dir = 0;
    if (w == "the" &&
        (is(k + 1, "current") || is(k + 1, "last") || is(k + 1, "previous") || is(k + 1, "next")))
      ++j;
    const std::string_view d = lw(j);
    if (d == "last" || d == "previous") {
      dir = -1;
    } else if (d == "next") {
      dir = 1;
    } else if (d != "the" && d != "this" && d != "current") {
      return 0;
    }
    if (!fiscal_word(j + 1) || !is(j + 2, "year") || !same_sentence(k, j + 2) || !ctx_.published)
      return 0;
    next = j + 3;
    return ctx_.published->year + dir;
  }

  // "fiscal 2008", "the current financial year", "FY09": TIMEX3 "FY2008". Called at the
  // fiscal word (or "FY..."); a determiner before it joins the expression.
  int match_fiscal(int i) {
    int first = i, next = i;
    int year = fiscal_year_at(i, next);
    if (year == 0 && is(i + 1, "year") && word(i - 1) && same_sentence(i - 1, i)) {
      const std::string_view d = lw(i - 1);
      first = (d == "current" || d == "last" || d == "previous" || d == "next") && is(i - 2, "the")
                  ? i - 2
                  : i - 1;
      year = fiscal_year_at(first, next);
    }
    if (year == 0) return i;
    add(first, next - 1, "FY" + std::to_string(year), DateGranularity::kYear, true);
    return next;
  }

  // The words the rarer period matchers (seasons, fiscal years, "the same period", "the
  // previous day") start at: a cheap test that spares every other token those matchers.
  static bool starts_period_phrase(std::string_view l) {
    switch (l.size()) {
      case 4:
        return l == "same" || l == "fall" || l == "next" || (l[0] == 'f' && l[1] == 'y');
      case 5:
        return l == "prior";
      case 6:
        return l == "spring" || l == "summer" || l == "autumn" || l == "winter" || l == "fiscal" ||
               (l[0] == 'f' && l[1] == 'y');
      case 8:
        return l == "previous";
      case 9:
        return l == "following" || l == "financial";
      default:
        return false;
    }
  }

  // The month a "... of the month / of March (2009) / of next month" phrase ending at token k
  // names ("2009-03"), with the token after it; empty when there is none. A year-less month
  // is the one nearest publication ("the end of January" written in December: next January).
  std::string month_after_of(int k, int& next) const {
    if (!is(k, "of") || !same_sentence(k, k + 1)) return {};
    if (is(k + 2, "month") && same_sentence(k, k + 2)) {
      const int dir = is(k + 1, "last") ? -1 : is(k + 1, "next") ? 1 : 0;
      if (dir == 0 && !is(k + 1, "the") && !is(k + 1, "this")) return {};
      next = k + 3;
      return ctx_.published ? month_from_published(dir) : std::string("XXXX-XX");
    }
    const int month = lex::month_index(lw(k + 1));
    if (month <= 0 || !ctx_.tokens[k + 1].has(kCap) || lw(k + 1).size() < 3) return {};
    if (word(k + 2) && same_sentence(k, k + 2) && ctx_.tokens[k + 2].has(kNumber) &&
        is_year_token(ctx_, k + 2)) {
      next = k + 3;
      return CivilDate{year_number(ctx_.core(k + 2)), month, 0}.iso();
    }
    next = k + 2;
    if (!ctx_.published) return "XXXX-XX";
    const int diff = month - ctx_.published->month;
    const int year = ctx_.published->year + (diff > 6 ? -1 : diff < -6 ? 1 : 0);
    return CivilDate{year, month, 0}.iso();
  }

  // "the first quarter (of 2008)", "fourth-quarter", "the last quarter": TIMEX3 "2008-Q1".
  // Without a year, an ordinal quarter is the latest one not after publication; "last"
  // is the quarter before publication's. Halves of a year ("the second half of 2009",
  // TIMEX3 "2009-H2") need the year: "the second half" alone is as often a match's.
  int match_quarter(int i) {
    const std::string_view l = lw(i);
    int quarter = 0;
    int last = -1;
    // "Q3", "Q3 2008": not after a name ("Audi Q3" is a car).
    if (l.size() == 2 && l[0] == 'q' && l[1] >= '1' && l[1] <= '4' && ctx_.tokens[i].has(kCap) &&
        !(i > 0 && same_sentence(i, i - 1) && ctx_.tokens[i - 1].has(kCap) &&
          ctx_.tokens[i - 1].has(kWord))) {
      const int q = l[1] - '0';
      if (word(i + 1) && same_sentence(i, i + 1) && ctx_.tokens[i + 1].has(kNumber) &&
          is_year_token(ctx_, i + 1)) {
        add(i, i + 1, quarter_value(year_number(ctx_.core(i + 1)), q), DateGranularity::kMonth,
            false);
        return i + 2;
      }
      std::string value;
      if (const auto& pub = ctx_.published)
        value = quarter_value(q <= (pub->month - 1) / 3 + 1 ? pub->year : pub->year - 1, q);
      add(i, i, std::move(value), DateGranularity::kMonth, true);
      return i + 1;
    }
    if (ctx_.tokens[i].has(kHyphen) && l.ends_with("-quarter")) {
      quarter = lex::ordinal_word(l.substr(0, l.size() - 8));
      last = i;
    } else if (is(i + 1, "quarter") && same_sentence(i, i + 1)) {
      quarter = lex::ordinal_word(l);
      if (l == "last" || l == "previous") quarter = -1;
      last = i + 1;
    } else if (is(i + 1, "half") && same_sentence(i, i + 1) && (l == "first" || l == "second")) {
      int after = i + 2;
      const int year = year_after_of(i + 2, after);
      if (year == 0 || !is(i - 1, "the")) return i;
      add(i - 1, after - 1, std::to_string(year) + (l == "first" ? "-H1" : "-H2"),
          DateGranularity::kMonth, true);
      return after;
    }
    if (last < 0 || quarter == 0 || quarter < -1 || quarter > 4) return i;
    if (quarter == -1 && !(l == "last" || l == "previous")) return i;
    if (quarter > 0 &&
        !(is(i - 1, "the") || is(i - 1, "its") || is(i - 1, "their") ||
          (i > 0 && ctx_.tokens[i - 1].has(kPossessive)) || ctx_.tokens[i].has(kHyphen)))
      return i;
    int next = last + 1;
    bool fiscal = false;
    const int year = year_after_of(last + 1, next, &fiscal);
    std::string value;
    const auto& pub = ctx_.published;
    const int first = is(i - 1, "the") ? i - 1 : i;
    if (year > 0 && quarter > 0) {
      value = (fiscal ? "FY" : "") + quarter_value(year, quarter);  // "FY2008-Q1"
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
  // Months likewise: "the end of the month", "the start of March" -> "2024-03".
  // "the very end of ..." keeps "very"; fiscal years: "the end of the financial year".
  int match_period_edge(int i) {
    const std::string_view l = lw(i);
    if (!(l == "beginning" || l == "start" || l == "end" || l == "middle")) return i;
    const int the = is(i - 1, "very") ? i - 2 : i - 1;
    if (!is(the, "the") || !same_sentence(the, i)) return i;
    int next = i + 1;
    bool fiscal = false;
    const int year = year_after_of(i + 1, next, &fiscal);
    if (year > 0) {
      add(the, next - 1, (fiscal ? "FY" : "") + std::to_string(year), DateGranularity::kYear, true);
      return next;
    }
    std::string month = month_after_of(i + 1, next);
    if (month.empty()) return i;
    if (month == "XXXX-XX") month.clear();  // relative, without a publication date
    add(the, next - 1, std::move(month), DateGranularity::kMonth, true);
    return next;
  }

  // TIMEX3 seasons: "this summer" -> "2024-SU", "last winter", "summer 2023", "the autumn of
  // 2022" (SP, SU, FA, WI; the winter of 2023 starts in December 2023). A bare season is
  // left alone ("in summer" is as often any summer).
  int match_season(int i) {
    const std::string_view l = lw(i);
    if (l.size() < 4 || l.size() > 6) return i;
    const int season = l == "spring"                    ? 0
                       : l == "summer"                  ? 1
                       : (l == "autumn" || l == "fall") ? 2
                       : l == "winter"                  ? 3
                                                        : -1;
    if (season < 0) return i;
    static constexpr std::string_view kCodes[] = {"SP", "SU", "FA", "WI"};
    int first = i, end = i, year = 0;
    if (word(i + 1) && same_sentence(i, i + 1) && ctx_.tokens[i + 1].has(kNumber) &&
        is_year_token(ctx_, i + 1)) {
      year = year_number(ctx_.core(i + 1));
      end = i + 1;
    } else if (int after = i + 1; is(i - 1, "the") && (year = year_after_of(i + 1, after)) > 0) {
      first = i - 1;
      end = after - 1;
    }
    if (year > 0) {
      add(modified_start(first), end, std::to_string(year) + "-" + std::string(kCodes[season]),
          DateGranularity::kMonth, year_number(ctx_.core(end)) == 0);
      return end + 1;
    }
    if (i == 0 || !same_sentence(i, i - 1)) return i;
    const std::string_view prev = lw(i - 1);
    if (prev != "this" && prev != "last" && prev != "next") return i;
    // "this fall in prices" is no season.
    if (l == "fall" && (is(i + 1, "in") || is(i + 1, "of") || is(i + 1, "to"))) return i;
    std::string value;
    if (const auto& pub = ctx_.published) {
      // Seasons numbered year * 4 + season; January and February are the previous winter.
      const int m = pub->month;
      const int current = m <= 2 ? (pub->year - 1) * 4 + 3 : pub->year * 4 + (m - 3) / 3;
      int target;
      if (prev == "last") {
        target = current - 1;
        while ((target % 4 + 4) % 4 != season) --target;
      } else if (prev == "next") {
        target = current + 1;
        while ((target % 4 + 4) % 4 != season) ++target;
      } else {
        // "this": the season of the publication year; in January and February the winter
        // under way.
        target = (m <= 2 && season == 3 ? pub->year - 1 : pub->year) * 4 + season;
      }
      value = std::to_string(target / 4) + "-" + std::string(kCodes[season]);
    }
    first = i - 1;
    if (first > 0 && same_sentence(first, first - 1) &&
        (lw(first - 1) == "earlier" || lw(first - 1) == "later"))
      --first;
    else
      first = modified_start(first);
    add(first, i, std::move(value), DateGranularity::kMonth, true);
    return i + 1;
  }

  // The year-on-year comparison of business news: "the same period last year", "the same
  // quarter of the previous year", "the same period a year earlier". TIMEX3 marks the whole
  // phrase; its value is the period last named (a quarter, half, month or week) a year back,
  // else the year before publication.
  int match_same_period(int i) {
    if (lw(i) != "same" || !is(i - 1, "the") || !same_sentence(i, i + 3)) return i;
    const std::string_view unit = lw(i + 1);
    if (unit != "period" && unit != "quarter" && unit != "month" && unit != "week" &&
        unit != "half" && unit != "time")
      return i;
    int k = i + 2;
    if (is(k, "of") || is(k, "in")) ++k;
    if (is(k, "the")) ++k;
    int end = -1;
    if ((is(k, "last") || is(k, "previous") || is(k, "prior")) && is(k + 1, "year")) {
      end = k + 1;
    } else if ((is(k, "a") || is(k, "one")) && is(k + 1, "year") &&
               (is(k + 2, "earlier") || is(k + 2, "ago") || is(k + 2, "before"))) {
      end = k + 2;
    }
    if (end < 0 || !same_sentence(i, end)) return i;
    if (unit == "time" && is(end, "ago")) return i;  // "at the same time a year ago": a point
    std::string value;
    for (std::size_t d = out_.dates.size(); d-- > 0;) {
      if (year_back_[d]) continue;  // a second "same period" compares with the same one
      // "2006-Q4", "2006-H2", "2006-10", "2006-W42", and fiscal years "FY2007", "FY2007-Q1":
      // reporting periods; a year back keeps the part. A calendar year alone is more often
      // background ("founded in 1976") than the period compared.
      std::string_view v = out_.dates[d].value;
      const bool fiscal = v.starts_with("FY");
      if (fiscal) v.remove_prefix(2);
      if (v.size() < 4 || !all_digits(v.substr(0, 4))) continue;
      const std::string_view part = v.substr(4);
      if (fiscal ||
          ((part.size() == 3 || (part.size() == 4 && part[1] == 'W')) && part[0] == '-')) {
        value = (fiscal ? "FY" : "") + std::to_string(to_int(v) - 1) + std::string(part);
        break;
      }
    }
    if (value.empty() && ctx_.published) value = std::to_string(ctx_.published->year - 1);
    const DateGranularity g = value.size() == 4 ? DateGranularity::kYear : DateGranularity::kMonth;
    add(i - 1, end, std::move(value), g, true);
    year_back_.back() = true;
    return end + 1;
  }

  // "the previous day", "the following day", "the next day": the day before or after the
  // last full date written before it, else publication. "the previous year", "the following
  // month" likewise from the last year or month written ("the next year" is as often a
  // duration, "over the next year", and is left alone).
  int match_adjacent_day(int i) {
    const std::string_view l = lw(i);
    const int dir = (l == "previous" || l == "prior")   ? -1
                    : (l == "following" || l == "next") ? 1
                                                        : 0;
    if (dir == 0 || !is(i - 1, "the") || !same_sentence(i, i + 1)) return i;
    if ((is(i + 1, "year") || is(i + 1, "month")) && l != "next") {
      const bool year = is(i + 1, "year");
      std::string value;
      for (std::size_t d = out_.dates.size(); d-- > 0 && value.empty();) {
        std::string_view v = out_.dates[d].value;
        const bool fiscal = v.starts_with("FY");  // "the previous year" of FY2007 is FY2006
        if (fiscal) v.remove_prefix(2);
        if (v.size() < 4 || !all_digits(v.substr(0, 4))) continue;
        if (year) {
          value = (fiscal ? "FY" : "") + std::to_string(to_int(v) + dir);
        } else if (!fiscal && v.size() >= 7 && v[4] == '-' && all_digits(v.substr(5, 2))) {
          int y = to_int(v), m = to_int(v.substr(5, 2)) + dir;
          if (m < 1) m = 12, --y;
          if (m > 12) m = 1, ++y;
          value = CivilDate{y, m, 0}.iso();
        }
      }
      if (value.empty() && ctx_.published)
        value = year ? std::to_string(ctx_.published->year + dir) : month_from_published(dir);
      add(i - 1, i + 1, std::move(value), year ? DateGranularity::kYear : DateGranularity::kMonth,
          true);
      return i + 2;
    }
    if (!is(i + 1, "day")) return i;
    std::string value;
    for (std::size_t d = out_.dates.size(); d-- > 0 && value.empty();) {
      const std::string& v = out_.dates[d].value;
      if (v.size() >= 10 && v[4] == '-' && v[7] == '-')
        if (auto day = parse_iso_date(std::string_view(v).substr(0, 10)))
          value = day_iso(day->days_since_epoch() + dir);
    }
    if (value.empty() && ctx_.published) value = day_iso(ctx_.published->days_since_epoch() + dir);
    add(i - 1, i + 1, std::move(value), DateGranularity::kDay, true);
    return i + 2;
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
    if ((l == "now" && !is(i + 1, "that")) || l == "currently" || l == "nowadays") {
      add(i, i, "PRESENT_REF", DateGranularity::kDay, true);
      return i + 1;
    }
    // "in the (near) future", "for the foreseeable future", "in the (recent) past": FUTURE_REF
    // and PAST_REF, the span without the preposition. Other uses ("the future of the plant",
    // "the past year") name no time of their own.
    if (l == "future" || l == "past") {
      int the = i - 1;
      if (word(the) && (lw(the) == "near" || lw(the) == "foreseeable" || lw(the) == "distant" ||
                        lw(the) == "recent" || lw(the) == "immediate"))
        --the;
      if (the < 1 || !is(the, "the") || !same_sentence(the - 1, i)) return i;
      const std::string_view prep = lw(the - 1);
      const bool future = l == "future" && (prep == "in" || prep == "for" || prep == "into");
      const bool past =
          l == "past" && prep == "in" &&
          !(word(i + 1) && same_sentence(i, i + 1) && !ctx_.tokens[i + 1].has(kNumber) &&
            !is(i + 1, "and") && !is(i + 1, "or") && !is(i + 1, "but"));
      if (!future && !past) return i;
      if (is(i + 1, "of") && same_sentence(i, i + 1)) return i;
      add(the, i, future ? "FUTURE_REF" : "PAST_REF", DateGranularity::kDay, true);
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
  // Parses a.m./p.m. after token k (tokenised "p" "." "m" ".", or "pm"), adjusting the
  // 12-hour `hour`; returns the last token of the marker, or k when there is none.
  int meridiem_after(int k, int& hour) const {
    bool pm = false;
    int end = k;
    if (word(k + 1) && (lw(k + 1) == "pm" || lw(k + 1) == "am")) {
      pm = lw(k + 1) == "pm";
      end = k + 1;
    } else if (word(k + 1) && (lw(k + 1) == "p" || lw(k + 1) == "a") && punct(k + 2, ".") &&
               is(k + 3, "m")) {
      pm = lw(k + 1) == "p";
      end = k + 3;
      if (punct(end + 1, ".") && ctx_.tokens[end + 1].begin == ctx_.tokens[end].end) ++end;
    }
    if (end == k) return k;
    if (pm && hour < 12) hour += 12;
    if (!pm && hour == 12) hour = 0;
    return end;
  }

  // A time zone after token k, which TIMEX3 keeps in the expression: "UTC", "GMT", "EST",
  // "local time", "GMT+8", "(GMT +8)". Returns its last token (k when none); `utc` when the
  // zone is UTC itself, so the value can carry "Z" (other zones keep the local clock time).
  int zone_after(int k, bool& utc) const {
    utc = false;
    int j = k + 1;
    const bool paren = punct(j, "(");
    if (paren) ++j;
    // No sentence check here: the sentence splitter ends a sentence at "p.m. GMT".
    if (!word(j)) return k;
    const std::string_view z = lw(j);
    int end = -1;
    if (z == "utc" || z == "gmt") {
      utc = true;
      end = j;
    } else if (z == "local" && is(j + 1, "time") && same_sentence(k, j)) {
      end = j + 1;
    } else if (ctx_.tokens[j].has(kAllCaps) &&
               (z == "est" || z == "edt" || z == "cst" || z == "cdt" || z == "mst" || z == "mdt" ||
                z == "pst" || z == "pdt" || z == "et" || z == "pt" || z == "cet" || z == "cest" ||
                z == "bst" || z == "jst" || z == "aest" || z == "aedt" || z == "hkt" ||
                z == "sgt" || z == "eet" || z == "msk")) {
      end = j;
    }
    if (end < 0) return k;
    // An offset: "+8", "-05:00".
    if ((punct(end + 1, "+") || punct(end + 1, "-") || punct(end + 1, "\xE2\x88\x92")) &&
        word(end + 2) && ctx_.tokens[end + 2].has(kNumber) && same_sentence(j, end + 2)) {
      if (to_int(ctx_.tok(end + 2)) != 0) utc = false;
      end += 2;
      if (punct(end + 1, ":") && word(end + 2) && ctx_.tokens[end + 2].has(kNumber)) end += 2;
    }
    if (paren) {
      if (!punct(end + 1, ")")) return k;
      ++end;
    }
    return end;
  }

  // "18:00 UTC", "6:40 p.m.", "4 p.m.", "10am": a clock time on the day of the sentence's last
  // full date, else on the publication day. Returns the token after it, or i.
  int match_time(int i) {
    std::string_view h = ctx_.tok(i);
    int hour = 0, minute = 0, end = i;
    if (h.size() <= 2 && all_digits(h) && punct(i + 1, ":") && word(i + 2) &&
        ctx_.tokens[i + 1].begin == ctx_.tokens[i].end &&
        ctx_.tokens[i + 2].begin == ctx_.tokens[i + 1].end) {
      std::string_view m = ctx_.tok(i + 2);
      if (m.size() != 2 || !all_digits(m)) return i;
      hour = to_int(h);
      minute = to_int(m);
      if (hour > 23 || minute > 59) return i;
      end = meridiem_after(i + 2, hour);
    } else if (h.size() <= 2 && all_digits(h)) {
      // A whole hour needs a.m./p.m.: "4 p.m.".
      hour = to_int(h);
      if (hour < 1 || hour > 12) return i;
      end = meridiem_after(i, hour);
      if (end == i) return i;
    } else if ((h.size() == 3 || h.size() == 4) && all_digits(h.substr(0, h.size() - 2))) {
      // "4pm", "10am" written as one token.
      const std::string_view suffix = ctx_.ltok(i).substr(h.size() - 2);
      if (suffix != "am" && suffix != "pm") return i;
      hour = to_int(h);
      if (hour < 1 || hour > 12) return i;
      if (suffix == "pm" && hour < 12) hour += 12;
      if (suffix == "am" && hour == 12) hour = 0;
    } else {
      return i;
    }
    bool utc = false;
    end = zone_after(end, utc);
    std::string day;
    for (std::size_t k = out_.dates.size(); k-- > 0;) {
      if (sentence_[k] != ctx_.tokens[i].sentence) break;
      if (out_.dates[k].value.size() >= 10 && out_.dates[k].value[4] == '-' &&
          out_.dates[k].value[7] == '-') {
        day = out_.dates[k].value.substr(0, 10);
        break;
      }
    }
    const bool undated = day.empty();
    if (undated && ctx_.published) day = ctx_.published->iso();
    std::string value;
    if (!day.empty()) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%02d:%02d", hour, minute);
      value = day + "T" + buf + (utc ? "Z" : "");
    }
    add(i, end, value, DateGranularity::kDay, true);
    if (undated) {
      undated_time_ = static_cast<int>(out_.dates.size()) - 1;
      undated_time_end_ = end;
    }
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
    // TIMEX3 decades: "the 1990s" -> "199", "the early 2000s" -> "200".
    if (s.size() == 5 && s[3] == '0' && s[4] == 's' && year_number(s.substr(0, 4)) > 0) {
      int first = modified_start(i);
      if (is(first - 1, "the")) --first;
      add(first, i, std::string(s.substr(0, 3)), DateGranularity::kYear, false);
      return i + 1;
    }
    if (is_year_token(ctx_, i)) {
      // "the 2008 fiscal year": FY2008.
      if (int next = i; is(i - 1, "the") && fiscal_year_at(i - 1, next) > 0) {
        add(i - 1, next - 1, "FY" + std::string(s.substr(0, 4)), DateGranularity::kYear, false);
        return next;
      }
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
      // A calendar day: "PRESENT_REF" and "FUTURE_REF" are day-sized but name no day.
      if (d.granularity == DateGranularity::kDay && d.value.size() >= 10 && d.value[4] == '-' &&
          !week_[k]) {
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
  std::vector<bool> year_back_;
  bool fiscal_text_ = false;  // "the same period last year": never an anchor itself
  int undated_time_ = -1;     // index in out_.dates of a clock time dated by publication only
  int undated_time_end_ = -1;
};

}  // namespace
}  // namespace storyline::understand::internal
