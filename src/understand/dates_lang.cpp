// Dates in articles not in English: the language's month names (with their genitive and
// other case forms), day-first numeric dates, yesterday/today/tomorrow words with parts of
// the day, weekdays, and CJK dates; resolved by the English finder's code (date_finder.h),
// so values and granularity follow the same conventions.
#include <algorithm>
#include <cctype>

#include "understand/date_finder.h"

namespace storyline::understand::internal {
namespace {

// "4", "1er", "1º": a day of the month in other languages, else 0.
int day_number_lang(std::string_view s) {
  std::size_t d = 0;
  while (d < s.size() && s[d] >= '0' && s[d] <= '9') ++d;
  if (d == 0 || d > 2) return 0;
  std::string_view suf = s.substr(d);
  if (!(suf.empty() || suf == "er" || suf == "\xC2\xBA" || suf == "\xC2\xB0")) return 0;
  const int v = to_int(s.substr(0, d));
  return v >= 1 && v <= 31 ? v : 0;
}

// Reads a number of ASCII digits at text[i]; returns its value and advances i, or -1.
int read_digits(std::string_view text, std::size_t& i, std::size_t max_len) {
  std::size_t j = i;
  while (j < text.size() && j - i < max_len + 1 && text[j] >= '0' && text[j] <= '9') ++j;
  if (j == i || j - i > max_len) return -1;
  const int v = to_int(text.substr(i, j - i));
  i = j;
  return v;
}

class LangDateFinder : public DateFinder {
 public:
  LangDateFinder(const Context& ctx, Analysis& out, const LanguageRules* rules)
      : DateFinder(ctx, out), rules_(rules) {}

  // Other languages: the language's words (when it has tables), numeric and CJK dates.
  void run() {
    const int n = ctx_.size();
    lw8_.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
      if (ctx_.tokens[i].has(kWord)) lw8_[i] = lower_utf8(ctx_.core(i));
    int i = 0;
    while (i < n) {
      const int next = match_lang(i);
      i = next > i ? next : i + 1;
    }
    scan_cjk();
    // The CJK scan adds out of order: sort by position, as the English path emits them.
    std::vector<std::size_t> order(out_.dates.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return out_.dates[a].span.begin < out_.dates[b].span.begin;
    });
    std::vector<DateMention> dates;
    std::vector<int> sentence;
    std::vector<bool> week;
    for (std::size_t k : order) {
      dates.push_back(std::move(out_.dates[k]));
      sentence.push_back(sentence_[k]);
      week.push_back(week_[k]);
    }
    out_.dates = std::move(dates);
    sentence_ = std::move(sentence);
    week_ = std::move(week);
    pick_event_date();
  }

 private:
  std::string_view l8(int i) const {
    return i >= 0 && i < ctx_.size() ? std::string_view(lw8_[i]) : std::string_view();
  }
  int month_lang(int i) const {
    if (!rules_ || !word(i)) return 0;
    auto it = rules_->months.find(lw8_[i]);
    return it == rules_->months.end() ? 0 : it->second;
  }
  bool in_set(const std::unordered_set<std::string>& set, int i) const {
    return word(i) && set.count(lw8_[i]) != 0;
  }
  bool sentence_first(int i) const {
    return i == 0 || ctx_.tokens[i - 1].sentence != ctx_.tokens[i].sentence;
  }
  // A part of the day right after token i: its TIMEX3 suffix, or empty.
  std::string_view part_after(int i) const {
    if (!rules_ || !word(i + 1) || !same_sentence(i, i + 1)) return {};
    auto it = rules_->parts.find(lw8_[i + 1]);
    return it == rules_->parts.end() ? std::string_view() : std::string_view(it->second);
  }
  void add_value_span(uint32_t begin, uint32_t end, int sentence, std::string value,
                      DateGranularity g, bool relative) {
    DateMention d;
    d.span = Span{begin, end};
    d.text = std::string(ctx_.text.substr(begin, end - begin));
    d.value = std::move(value);
    d.granularity = g;
    d.relative = relative;
    out_.dates.push_back(std::move(d));
    sentence_.push_back(sentence);
    week_.push_back(false);
    year_back_.push_back(false);
  }
  // A year after token k, with an optional year word ("года", "roku", "r."): the year and the
  // last token of the expression in `last`; 0 when none.
  int year_after(int k, int& last) const {
    if (!word(k) || !same_sentence(k - 1, k) || !ctx_.tokens[k].has(kNumber)) return 0;
    const int year = year_number(ctx_.core(k));
    if (year == 0) return 0;
    last = k;
    if (rules_ && in_set(rules_->year_words, k + 1) && same_sentence(k, k + 1)) {
      last = k + 1;
      if (punct(k + 2, ".") && l8(k + 1).size() <= 2) last = k + 2;
    }
    return year;
  }

  // "4 April", "4. April 2024", "4 de abril de 2024", "1er mai", "4 апреля 2024 года".
  int match_day_month_lang(int i) {
    const int day = day_number_lang(ctx_.core(i));
    if (day == 0) return i;
    int j = i + 1;
    // "4. April" (German): the period may have ended an ICU sentence; the merge keeps both in
    // one, but accept the next token regardless.
    if (punct(j, ".") && ctx_.tokens[j].begin == ctx_.tokens[i].end) ++j;
    if (rules_ && in_set(rules_->joiners, j) && same_sentence(i, j)) ++j;
    const int month = month_lang(j);
    if (month == 0 || day > days_in_month(2000, month)) return i;
    int last = j;
    int k = j + 1;
    if (rules_ && in_set(rules_->joiners, k) && same_sentence(j, k)) ++k;
    if (const int year = year_after(k, last); year > 0) {
      if (day > days_in_month(year, month)) return i;
      add(i, last, CivilDate{year, month, day}.iso(), DateGranularity::kDay, false);
      return last + 1;
    }
    last = j;
    add(i, last, yearless(month, day), DateGranularity::kDay, true);
    return last + 1;
  }

  // "04.04.2024", "4/4/2024" (day first), "2024-04-04".
  int match_numeric_lang(int i) {
    std::string_view s = ctx_.tok(i);
    int day = 0, month = 0, year = 0, last = i;
    if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
      auto d = parse_iso_date(s);
      if (!d) return i;
      day = d->day, month = d->month, year = d->year;
    } else if (std::size_t p = s.find_first_of(".-"); p != std::string_view::npos && p <= 2) {
      // The tokenizer keeps "04.04.2024" and "12-04-2024" whole.
      std::size_t q = s.find(s[p], p + 1);
      if (q == std::string_view::npos || q - p - 1 < 1 || q - p - 1 > 2) return i;
      std::string_view a = s.substr(0, p), b = s.substr(p + 1, q - p - 1), c = s.substr(q + 1);
      if (!all_digits(a) || !all_digits(b) || !all_digits(c) || (c.size() != 4 && c.size() != 2))
        return i;
      day = to_int(a), month = to_int(b), year = to_int(c);
      if (c.size() == 2) year += year < 50 ? 2000 : 1900;
    } else if (slash_date_parts(i, day, month, year)) {  // day first
      last = i + 4;
    } else {
      return i;
    }
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return i;
    add(i, last, CivilDate{year, month, day}.iso(), DateGranularity::kDay, false);
    return last + 1;
  }

  // The day `offset` days from publication, with a part of the day, or empty.
  std::string relative_value(int offset, std::string_view part) const {
    if (!ctx_.published) return {};
    std::string value = day_iso(ctx_.published->days_since_epoch() + offset);
    value += part;
    return value;
  }

  int match_lang(int i) {
    const Token& t = ctx_.tokens[i];
    if (!t.has(kWord)) return i;
    const auto& pub = ctx_.published;
    if (t.has(kNumber)) {
      if (const int next = match_time(i); next > i) return next;
      if (const int next = match_numeric_lang(i); next > i) return next;
      if (const int next = match_day_month_lang(i); next > i) return next;
      if (is_year_token(ctx_, i) && year_number(ctx_.tok(i))) {
        add(i, i, std::string(ctx_.tok(i).substr(0, 4)), DateGranularity::kYear, false);
        return i + 1;
      }
      return i;
    }
    if (!rules_) return i;
    // A capitalised weekday or day word inside a sentence is a name ("Domingo") in languages
    // that write them in lowercase.
    const bool odd_cap = t.has(kCap) && !rules_->nouns_capitalised && !sentence_first(i);
    // Month [joiner] Year ("April 2024", "abril de 2024"); a bare month after a preposition.
    if (const int month = month_lang(i); month > 0) {
      int k = i + 1;
      if (in_set(rules_->joiners, k) && same_sentence(i, k)) ++k;
      int last = i;
      if (const int year = year_after(k, last); year > 0) {
        add(i, last, CivilDate{year, month, 0}.iso(), DateGranularity::kMonth, false);
        return last + 1;
      }
      if (!odd_cap && i > 0 && same_sentence(i, i - 1) &&
          in_set(rules_->month_prepositions, i - 1)) {
        std::string value;
        if (pub) value = CivilDate{month > pub->month ? pub->year - 1 : pub->year, month, 0}.iso();
        add(i, i, value, DateGranularity::kMonth, true);
        return i + 1;
      }
      return i;
    }
    if (odd_cap) return i;
    // Weekdays: the latest such day up to publication, as in English without a future cue.
    if (auto it = rules_->weekdays.find(lw8_[i]); it != rules_->weekdays.end()) {
      std::string value;
      if (pub) value = day_iso(pub->days_since_epoch() - (pub->weekday() - it->second + 7) % 7);
      int end = i;
      if (std::string_view part = part_after(i); !part.empty()) {
        end = i + 1;
        if (!value.empty()) value += part;
      }
      add(i, end, value, DateGranularity::kDay, true);
      return end + 1;
    }
    if (auto it = rules_->relative.find(lw8_[i]); it != rules_->relative.end()) {
      // German "Morgen" is the morning; Spanish "la mañana" too.
      if (rules_->nouns_capitalised && t.has(kCap) && rules_->parts.count(lw8_[i])) return i;
      static constexpr std::string_view kDeterminers[] = {"la", "una", "cada", "toda",
                                                          "el", "de",  "por"};
      if (rules_->parts.count(lw8_[i]) && i > 0 && same_sentence(i, i - 1) &&
          in_list(kDeterminers, l8(i - 1)))
        return i;
      std::string_view part = it->second.second;
      int end = i;
      if (part.empty()) {
        part = part_after(i);
        if (!part.empty()) end = i + 1;
      }
      add(i, end, relative_value(it->second.first, part), DateGranularity::kDay, true);
      return end + 1;
    }
    // "esta mañana", "ce soir": today's part of the day.
    if (rules_->this_words.count(lw8_[i])) {
      if (std::string_view part = part_after(i); !part.empty()) {
        add(i, i + 1, relative_value(0, part), DateGranularity::kDay, true);
        return i + 2;
      }
    }
    return i;
  }

  // Chinese, Japanese and Korean dates ("2024年4月4日", "4月4日", "2024년 4월 4일") and
  // their words for yesterday, today and tomorrow, found in the text itself (these scripts
  // run words together, so tokens do not separate them).
  void scan_cjk() {
    struct Unit {
      std::string_view year, month, day;
    };
    static constexpr Unit kUnits[] = {{"\xE5\xB9\xB4", "\xE6\x9C\x88", "\xE6\x97\xA5"},  // 年月日
                                      {"\xEB\x85\x84", "\xEC\x9B\x94", "\xEC\x9D\xBC"}};  // 년월일
    static constexpr std::pair<std::string_view, int> kWords[] = {
        {"\xE6\x98\xA8\xE5\xA4\xA9", -1},  // 昨天
        {"\xE4\xBB\x8A\xE5\xA4\xA9", 0},   // 今天
        {"\xE6\x98\x8E\xE5\xA4\xA9", 1},   // 明天
        {"\xE5\x89\x8D\xE5\xA4\xA9", -2},  // 前天
        {"\xE5\x90\x8E\xE5\xA4\xA9", 2},   // 后天
        {"\xE6\x98\xA8\xE6\x97\xA5", -1},  // 昨日
        {"\xE4\xBB\x8A\xE6\x97\xA5", 0},   // 今日
        {"\xE6\x98\x8E\xE6\x97\xA5", 1},   // 明日
        {"\xEC\x96\xB4\xEC\xA0\x9C", -1},  // 어제
        {"\xEC\x98\xA4\xEB\x8A\x98", 0},   // 오늘
        {"\xEB\x82\xB4\xEC\x9D\xBC", 1},   // 내일
    };
    const std::string_view text = ctx_.text;
    auto unit_at = [&](std::size_t& p, std::string_view u) {
      std::size_t q = p;
      while (q < text.size() && text[q] == ' ') ++q;
      if (text.compare(q, u.size(), u) != 0) return false;
      p = q + u.size();
      return true;
    };
    std::size_t i = 0;
    while (i < text.size()) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (c < 0xE0) {
        // Digits start a date only when not inside a longer ASCII number or word.
        if (c >= '0' && c <= '9' &&
            (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
          if (const std::size_t next = match_cjk_date(i, kUnits, unit_at); next > i) {
            i = next;
            continue;
          }
          while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
          continue;
        }
        ++i;
        continue;
      }
      bool found = false;
      for (const auto& [w, off] : kWords) {
        if (text.compare(i, w.size(), w) != 0) continue;
        add_value_span(static_cast<uint32_t>(i), static_cast<uint32_t>(i + w.size()),
                       sentence_at(i), relative_value(off, ""), DateGranularity::kDay, true);
        i += w.size();
        found = true;
        break;
      }
      if (!found) ++i;
    }
  }

  template <typename Units, typename UnitAt>
  std::size_t match_cjk_date(std::size_t start, const Units& units, UnitAt& unit_at) {
    for (const auto& u : units) {
      std::size_t p = start;
      int year = 0, month = 0, day = 0;
      const int first = read_digits(ctx_.text, p, 4);
      if (first < 0) return start;
      std::size_t q = p;
      if (unit_at(q, u.year)) {
        if (first < 1800 || first > 2200) continue;
        year = first;
        p = q;
        std::size_t r = p;
        while (r < ctx_.text.size() && ctx_.text[r] == ' ') ++r;
        const int m = read_digits(ctx_.text, r, 2);
        if (m >= 1 && m <= 12 && unit_at(r, u.month)) {
          month = m;
          p = r;
          std::size_t s = p;
          while (s < ctx_.text.size() && ctx_.text[s] == ' ') ++s;
          const int d = read_digits(ctx_.text, s, 2);
          if (d >= 1 && d <= days_in_month(year, month) && unit_at(s, u.day)) {
            day = d;
            p = s;
          }
        }
      } else if (first >= 1 && first <= 12 && unit_at(q, u.month)) {
        month = first;
        std::size_t s = q;
        while (s < ctx_.text.size() && ctx_.text[s] == ' ') ++s;
        const int d = read_digits(ctx_.text, s, 2);
        if (d < 1 || d > days_in_month(2000, month) || !unit_at(s, u.day)) continue;
        day = d;
        p = s;
      } else {
        continue;
      }
      const int sentence = sentence_at(start);
      const auto b = static_cast<uint32_t>(start), e = static_cast<uint32_t>(p);
      if (year > 0 && day > 0) {
        add_value_span(b, e, sentence, CivilDate{year, month, day}.iso(), DateGranularity::kDay,
                       false);
      } else if (year > 0 && month > 0) {
        add_value_span(b, e, sentence, CivilDate{year, month, 0}.iso(), DateGranularity::kMonth,
                       false);
      } else if (year > 0) {
        add_value_span(b, e, sentence, std::to_string(year), DateGranularity::kYear, false);
      } else {
        add_value_span(b, e, sentence, yearless(month, day), DateGranularity::kDay, true);
      }
      return p;
    }
    return start;
  }

  int sentence_at(std::size_t pos) const {
    const auto& toks = ctx_.tokens;
    auto it = std::upper_bound(toks.begin(), toks.end(), static_cast<uint32_t>(pos),
                               [](uint32_t p, const Token& t) { return p < t.begin; });
    if (it == toks.begin()) return 0;
    return std::prev(it)->sentence;
  }

  const LanguageRules* rules_ = nullptr;
  std::vector<std::string> lw8_;
};

}  // namespace

void find_dates_lang(const Context& ctx, const LanguageRules* rules, Analysis& out) {
  LangDateFinder(ctx, out, rules).run();
}

}  // namespace storyline::understand::internal
