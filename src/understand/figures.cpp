// Figures: counts with what they count, money, percentages, ordinals of events and durations.
// Years are dates (dates.cpp), not figures.
#include <algorithm>
#include <cmath>
#include <string>

#include "understand/internal.h"

namespace storyline::understand::internal {
namespace {

// Words before an ordinal that make it an ordinal of something ("his fourth", "the third").
constexpr std::string_view kOrdinalDeterminers[] = {"the", "his", "her",  "its",  "their", "a",
                                                    "our", "my",  "your", "this", "that"};

// Words before "one" that make it a pronoun ("no one", "the one").
constexpr std::string_view kOnePronounContext[] = {"no",   "the",  "any",   "every",   "each",
                                                   "this", "that", "which", "someone", "only"};

// Nouns after which a number names an item, not an amount ("version 10.4", "number one").
constexpr std::string_view kDesignatorNouns[] = {"number",  "no",    "version", "flight",
                                                 "route",   "model", "page",    "chapter",
                                                 "article", "gate",  "channel", "section"};

// Determiners before a spelled-out small number that make it a reference to things already
// named, not a figure ("the two companies", "both three-member teams").
constexpr std::string_view kAnaphoricDeterminers[] = {"the", "these", "those", "its", "their"};

// Unit abbreviations glued to a number ("2GB", "500km", "2.4GHz") and unit nouns after a
// hyphen ("3.5-inch", "20-tonne"): measured quantities.
constexpr std::string_view kUnitSuffixes[] = {"kb",  "mb",  "gb",  "tb", "km", "kg",  "mm",  "cm",
                                              "ghz", "mhz", "kw",  "mw", "gw", "kwh", "mph", "kmh",
                                              "ft",  "lb",  "lbs", "oz", "mi", "nm"};
constexpr std::string_view kUnitNouns[] = {
    "inch",      "foot",     "feet",     "mile",  "metre",  "meter",     "kilometre",
    "kilometer", "pound",    "ton",      "tonne", "gallon", "litre",     "liter",
    "acre",      "seat",     "storey",   "story", "member", "megapixel", "gigabyte",
    "megabyte",  "terabyte", "kilogram", "kilo",  "degree"};

// "hundreds of", "a score of": vague counts, the span ending with "of" (as MUC/MEANTIME
// number expressions mark them).
struct VagueCount {
  std::string_view word;
  double value;
};
constexpr VagueCount kVagueCounts[] = {{"dozens", 24},      {"scores", 40},    {"hundreds", 200},
                                       {"thousands", 2000}, {"millions", 2e6}, {"billions", 2e9},
                                       {"score", 20},       {"dozen", 12}};

template <std::size_t N>
bool in_list(const std::string_view (&list)[N], std::string_view w) {
  for (std::string_view x : list)
    if (x == w) return true;
  return false;
}

// Parses "1,200", "3.5", "21bn" (suffix returned), "4th"; with `decimal_comma` (most
// languages other than English) "1.200" and "3,5".
bool parse_number(std::string_view s, double& value, std::string_view& suffix,
                  bool decimal_comma = false) {
  const char group = decimal_comma ? '.' : ',';
  const char point = decimal_comma ? ',' : '.';
  double v = 0, scale = 0;
  std::size_t i = 0;
  bool digits = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      digits = true;
      if (scale > 0) {
        v += (c - '0') * scale;
        scale /= 10;
      } else {
        v = v * 10 + (c - '0');
      }
    } else if (c == group && scale == 0) {
      continue;
    } else if (c == point && scale == 0) {
      scale = 0.1;
    } else {
      break;
    }
  }
  if (!digits) return false;
  value = v;
  suffix = s.substr(i);
  return true;
}

std::string singular(std::string_view w) {
  if (w.size() > 3 && w.ends_with("ies")) return std::string(w.substr(0, w.size() - 3)) + "y";
  if (w.size() > 2 && w.ends_with("s") && !w.ends_with("ss"))
    return std::string(w.substr(0, w.size() - 1));
  return std::string(w);
}

class FigureFinder {
 public:
  FigureFinder(const Context& ctx, Analysis& out) : ctx_(ctx), out_(out) {}

  void run() {
    int i = 0;
    const int n = ctx_.size();
    // Numbers written after a name are designations ("Boeing 737", "iPhone 4"); the same
    // number elsewhere in the article is the same model ("the 737 programme", "737-800").
    for (int k = 1; k < n; ++k) {
      if (!ctx_.tokens[k].has(kNumber) || !same(k, k - 1) || !word(k - 1) ||
          ctx_.tokens[k - 1].has(kNumber) || !has_upper(k - 1) || lex::month_index(lw(k - 1)) > 0 ||
          lex::weekday_index(lw(k - 1)) >= 0 || is_year_token(ctx_, k))
        continue;
      if (k - 1 == first_word_of(k) && !is_mention(k - 1)) continue;
      const std::string_view d = number_head(k);
      if (d.size() >= 3 && designations_.size() < kMaxDesignations &&
          std::find(designations_.begin(), designations_.end(), d) == designations_.end())
        designations_.push_back(d);
    }
    while (i < n) {
      const int next = match(i);
      i = next > i ? next : i + 1;
    }
  }

 private:
  bool word(int i) const { return i >= 0 && i < ctx_.size() && ctx_.tokens[i].has(kWord); }
  bool same(int a, int b) const {
    return b >= 0 && b < ctx_.size() && ctx_.tokens[a].sentence == ctx_.tokens[b].sentence;
  }
  std::string_view lw(int i) const { return ctx_.lcore(i); }
  // Other languages' words for per cent after a number ("Prozent", "por ciento",
  // "процентов"): the last token of them, or -1.
  int other_percent_word(int k) const {
    static constexpr std::string_view kWords[] = {
        "prozent",
        "procent",
        "procento",
        "procenta",
        "prosent",
        "prosentti",
        "\xD0\xBF\xD1\x80\xD0\xBE\xD1\x86\xD0\xB5\xD0\xBD\xD1\x82",          // процент
        "\xD0\xBF\xD1\x80\xD0\xBE\xD1\x86\xD0\xB5\xD0\xBD\xD1\x82\xD0\xB0",  // процента
        "\xD0\xBF\xD1\x80\xD0\xBE\xD1\x86\xD0\xB5\xD0\xBD\xD1\x82\xD0\xBE\xD0\xB2"};  // процентов
    if (!word(k)) return -1;
    if (in_list(kWords, lw(k))) return k;
    if ((lw(k) == "por" || lw(k) == "per" || lw(k) == "pour") && word(k + 1) &&
        (lw(k + 1) == "ciento" || lw(k + 1) == "cento" || lw(k + 1) == "cent"))
      return k + 1;
    return -1;
  }
  std::string_view tok(int i) const { return ctx_.tok(i); }
  bool glued_before(int i) const { return i > 0 && ctx_.tokens[i - 1].end == ctx_.tokens[i].begin; }
  // Any uppercase ASCII letter in the token ("Boeing", "iPhone").
  bool has_upper(int i) const {
    for (char c : tok(i))
      if (c >= 'A' && c <= 'Z') return true;
    return false;
  }
  int first_word_of(int i) const {
    const int s = ctx_.tokens[i].sentence;
    for (int k = ctx_.sentence_first[s]; k < ctx_.sentence_first[s + 1]; ++k)
      if (word(k)) return k;
    return -1;
  }

  std::string_view currency_symbol(int i) const {
    if (i < 0 || !ctx_.tokens[i].has(kPunct)) return {};
    std::string_view p = tok(i);
    std::string_view prefix = (i > 0 && glued_before(i) && word(i - 1)) ? lw(i - 1) : "";
    if (p == "$") {
      if (prefix == "a") return "AUD";
      if (prefix == "c") return "CAD";
      if (prefix == "hk") return "HKD";
      if (prefix == "nt") return "TWD";
      if (prefix == "r") return "BRL";
      if (prefix == "nz") return "NZD";
      if (prefix == "s") return "SGD";
      return "USD";
    }
    if (p == "\xE2\x82\xAC") return "EUR";
    if (p == "\xC2\xA3") return "GBP";
    if (p == "\xC2\xA5") return "JPY";
    if (p == "\xE2\x82\xB4") return "UAH";
    if (p == "\xE2\x82\xBD") return "RUB";
    return {};
  }

  // The digits of a number token up to a hyphen or letter ("737" of "737-800", "A380" no).
  std::string_view number_head(int k) const {
    std::string_view s = tok(k);
    std::size_t e = 0;
    while (e < s.size() && s[e] >= '0' && s[e] <= '9') ++e;
    if (e < s.size() && s[e] != '-' && s[e] != '\'') return {};
    return s.substr(0, e);
  }

  bool is_mention(int k) const {
    const uint32_t b = ctx_.tokens[k].begin;
    auto it = std::upper_bound(out_.mentions.begin(), out_.mentions.end(), b,
                               [](uint32_t pos, const Mention& m) { return pos < m.span.begin; });
    return it != out_.mentions.begin() && std::prev(it)->span.end > b;
  }

  // A number that names something rather than counting: a model seen after a name in this
  // article, "version 10.4", "iLife '11", parts of "7/8/07", "GMT +8".
  bool is_designation(int i) const {
    const std::string_view head = number_head(i);
    if (!head.empty() &&
        std::find(designations_.begin(), designations_.end(), head) != designations_.end())
      return true;
    if (i > 0 && same(i, i - 1) && word(i - 1) && ctx_.tokens[i - 1].has(kLower) &&
        in_list(kDesignatorNouns, lw(i - 1)))
      return true;
    if (glued_before(i)) {
      const std::string_view p = tok(i - 1);
      if (p == "'" || p == "\xE2\x80\x99" || p == "/") return true;
      if ((p == "+" || p == "-") && i > 1 && word(i - 2) &&
          (lw(i - 2) == "gmt" || lw(i - 2) == "utc"))
        return true;
    }
    if (i + 1 < ctx_.size() && ctx_.tokens[i + 1].begin == ctx_.tokens[i].end && tok(i + 1) == "/")
      return true;
    return false;
  }

  // "thousands of pages", "a score of jets": a vague count, span through "of".
  int match_vague(int i) {
    const std::string_view l = lw(i);
    if (!word(i + 1) || !same(i, i + 1) || lw(i + 1) != "of") return i;
    // "hundreds of thousands of": one count, taken at its last word.
    if (word(i + 2) && word(i + 3) && lw(i + 3) == "of" &&
        (lw(i + 2) == "thousands" || lw(i + 2) == "millions"))
      return i;
    for (const VagueCount& v : kVagueCounts) {
      if (l != v.word) continue;
      const bool singular_word = l == "score" || l == "dozen";
      int first = i;
      if (singular_word) {
        if (!(i > 0 && same(i, i - 1) && word(i - 1) && lw(i - 1) == "a")) return i;
        first = i - 1;
      } else if (i > 1 && same(i, i - 2) && lw(i - 1) == "of" && word(i - 2) &&
                 (lw(i - 2) == "tens" || lw(i - 2) == "hundreds")) {
        first = i - 2;  // "tens of thousands of"
      }
      const int u = unit_after(i + 2);
      add(first, i + 1, FigureKind::kCount, v.value,
          u < 0 ? std::string()
                : std::string(ctx_.lower.substr(ctx_.tokens[u].begin,
                                                ctx_.tokens[u].core_end - ctx_.tokens[u].begin)),
          "about");
      return i + 2;
    }
    return i;
  }

  // The noun a count counts: next word, past demonyms and one adjective before a plural.
  int unit_after(int k) const {
    if (!word(k) || !same(k - 1, k) || ctx_.tokens[k].has(kNumber)) return -1;
    while (word(k) && ctx_.tokens[k].has(kCap) && lex::is_demonym(lw(k))) ++k;
    if (!word(k) || !ctx_.tokens[k].has(kLower)) return -1;
    std::string_view w = lw(k);
    if (lex::is_not_unit(w) || lex::multiplier(w) > 0) return -1;
    if (word(k + 1) && same(k, k + 1) && ctx_.tokens[k + 1].has(kLower) && !w.ends_with("s")) {
      std::string_view w2 = lw(k + 1);
      if (w2.size() > 3 && w2.ends_with("s") && !w2.ends_with("ss") && !lex::is_not_unit(w2) &&
          !lex::is_ordinal_adjective(w2))
        return k + 1;
    }
    return k;
  }

  void add(int first, int last, FigureKind kind, double value, std::string unit,
           std::string qualifier) {
    Figure f;
    f.span = Span{ctx_.tokens[first].begin, ctx_.tokens[last].core_end};
    f.text = std::string(ctx_.text.substr(f.span.begin, f.span.end - f.span.begin));
    f.kind = kind;
    f.value = value;
    f.unit = std::move(unit);
    f.qualifier = std::move(qualifier);
    out_.figures.push_back(std::move(f));
  }

  // Qualifier words ending right before token `i`; sets `first` to its first token.
  std::string qualifier_before(int i, int& first) const {
    std::string_view words[3];
    int idx[3];
    int n = 0;
    for (int k = i - 1; k >= 0 && n < 3 && same(i, k) && word(k); --k) {
      words[2 - n] = lw(k);
      idx[2 - n] = k;
      ++n;
    }
    const int len = lex::qualifier_words(words + (3 - n), n);
    if (len == 0) return {};
    first = idx[3 - len];
    std::string q;
    for (int k = 3 - len; k < 3; ++k) {
      if (!q.empty()) q.push_back(' ');
      q.append(words[k]);
    }
    return q;
  }

  int match(int i) {
    const Token& t = ctx_.tokens[i];
    if (!t.has(kWord)) return i;
    std::string_view l = lw(i);
    double value = 0;
    int last = i;  // last token of the number itself
    bool ordinal = false;
    std::string_view suffix;
    std::string duration_unit;  // from "four-hour"
    std::string qualifier;
    if (t.has(kNumber)) {
      if (is_year_token(ctx_, i)) return i + 1;
      std::string_view s = tok(i);
      if (t.has(kHyphen)) {
        const std::size_t h = s.find('-');
        std::string_view head = s.substr(0, h),
                         tail = ctx_.lower.substr(t.begin + h + 1, t.core_end - t.begin - h - 1);
        if (tail.find('-') != std::string_view::npos) return i + 1;  // "2025-04-12", "5-year-old"
        std::string unit = singular(tail);
        double high = 0;
        std::string_view high_suffix;
        if (parse_number(head, value, suffix, ctx_.decimal_comma) && suffix.empty() &&
            parse_number(tail, high, high_suffix, ctx_.decimal_comma) && high_suffix.empty() &&
            high > value) {
          // A range "200-250": the figure is its low end, the span both.
        } else if (in_list(kUnitNouns, unit) &&
                   parse_number(head, value, suffix, ctx_.decimal_comma) && suffix.empty()) {
          add(i, i, FigureKind::kCount, value, unit, {});  // "3.5-inch", "20-tonne"
          return i + 1;
        } else if (!lex::is_duration_unit(unit) ||
                   !parse_number(head, value, suffix, ctx_.decimal_comma) || !suffix.empty()) {
          return i + 1;
        } else {
          duration_unit = unit;
        }
      } else {
        if (!parse_number(s, value, suffix, ctx_.decimal_comma)) return i + 1;
        // "1 000 euros": groups of three digits after a space, where a comma is decimal.
        if (ctx_.decimal_comma && suffix.empty() && s.size() <= 3) {
          while (last + 1 < ctx_.size() && same(i, last + 1) &&
                 ctx_.tokens[last + 1].has(kNumber) && tok(last + 1).size() == 3 &&
                 tok(last + 1).find_first_not_of("0123456789") == std::string_view::npos) {
            const std::string_view gap = ctx_.text.substr(
                ctx_.tokens[last].end, ctx_.tokens[last + 1].begin - ctx_.tokens[last].end);
            if (gap != " " && gap != "\xC2\xA0" && gap != "\xE2\x80\xAF") break;
            double group = 0;
            std::string_view group_suffix;
            parse_number(tok(last + 1), group, group_suffix, true);
            value = value * 1000 + group;
            ++last;
          }
        }
      }
      if (is_designation(i)) return i + 1;
      // "No. 1", times "10:30", dates "April 4".
      if (i >= 2 && tok(i - 1) == "." && lw(i - 2) == "no") return i + 1;
      if (i + 2 < ctx_.size() && tok(i + 1) == ":" && ctx_.tokens[i + 2].has(kNumber)) return i + 3;
      // Whole hours "4 p.m.", "11 am" are times (dates.cpp).
      if (word(i + 1) && (lw(i + 1) == "am" || lw(i + 1) == "pm" ||
                          ((lw(i + 1) == "a" || lw(i + 1) == "p") && i + 3 < ctx_.size() &&
                           tok(i + 2) == "." && lw(i + 3) == "m")))
        return i + 1;
      if (i > 0 && same(i, i - 1) && lex::month_index(lw(i - 1)) > 0 &&
          ctx_.tokens[i - 1].has(kCap))
        return i + 1;
      if (word(i + 1) && same(i, i + 1) && lex::month_index(lw(i + 1)) > 0 &&
          ctx_.tokens[i + 1].has(kCap))
        return i + 1;
      if (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") {
        ordinal = true;
      } else if (!suffix.empty()) {
        const std::string_view lsuf = ctx_.lower.substr(t.core_end - suffix.size(), suffix.size());
        const double m = lex::multiplier(lsuf);
        if (m > 0) {
          value *= m;
        } else if (in_list(kUnitSuffixes, lsuf) ||
                   (lsuf.size() > 1 && lsuf[0] == 'x' && lsuf[1] >= '0' && lsuf[1] <= '9')) {
          // "2GB", "500km", "320x240": a measured quantity, the whole token.
          if (i > 0 && same(i, i - 1) && word(i - 1) && has_upper(i - 1) &&
              i - 1 != first_word_of(i))
            return i + 1;  // "iPod 4GB" stays with the name
          int qf = i;
          std::string q = qualifier_before(i, qf);
          add(q.empty() ? i : qf, i, FigureKind::kCount, value, std::string(lsuf), q);
          return i + 1;
        } else {
          return i + 1;  // "1990s", "F16s"
        }
      }
    } else if (const int next = match_vague(i); next > i) {
      return next;
    } else if (int ord = lex::ordinal_word(l); ord > 0) {
      value = ord;
      ordinal = true;
    } else {
      // Number words, with hyphenated tens ("twenty-five") and a following "hundred".
      int v = lex::number_word(l);
      if (v < 0 && t.has(kHyphen)) {
        const std::size_t h = l.find('-');
        const int a = lex::number_word(l.substr(0, h));
        std::string_view rest = l.substr(h + 1);
        const int b = lex::number_word(rest);
        if (a >= 20 && b > 0 && b < 10) {
          v = a + b;
        } else if (a > 0 && lex::is_duration_unit(singular(rest))) {
          v = a;
          duration_unit = singular(rest);
        }
      }
      if (l == "several" || l == "few") {
        if (word(i + 1) && same(i, i + 1) && (lw(i + 1) == "hundred" || lw(i + 1) == "thousand")) {
          // "several hundred": an approximate count, value of three times the unit.
          value = (l == "several" ? 3 : 2) * (lw(i + 1) == "hundred" ? 100 : 1000);
          qualifier = std::string(l);
          last = i + 1;
          v = 0;
        } else {
          return i + 1;
        }
      } else if (v < 0) {
        return i + 1;
      } else {
        if (l == "hundred" || l == "thousand" || l == "dozen") {
          if (!(i > 0 && same(i, i - 1) && lw(i - 1) == "a")) return i + 1;
        }
        if (l == "one" && ((i > 0 && same(i, i - 1) && in_list(kOnePronounContext, lw(i - 1))) ||
                           (word(i + 1) && lw(i + 1) == "of")))
          return i + 1;
        // "the two companies": a reference to things named before, not a figure ("the
        // four-hour discussion" is a duration all the same).
        if (v < 10 && duration_unit.empty() && i > 0 && same(i, i - 1) && word(i - 1) &&
            in_list(kAnaphoricDeterminers, lw(i - 1)))
          return i + 1;
        // "two and a half years": a duration (a time expression, not a figure).
        if (word(i + 1) && lw(i + 1) == "and" && word(i + 2) && lw(i + 2) == "a" && word(i + 3) &&
            lw(i + 3) == "half")
          return i + 4;
        value = v;
        if (word(i + 1) && same(i, i + 1) && (lw(i + 1) == "hundred" || lw(i + 1) == "thousand")) {
          value *= lw(i + 1) == "hundred" ? 100 : 1000;
          last = i + 1;
        }
      }
    }
    // Multiplier words: "21 billion", "1.5 million".
    if (!ordinal && duration_unit.empty() && word(last + 1) && same(i, last + 1)) {
      const double m = lex::multiplier(lw(last + 1));
      if (m >= 1e6 || (m == 1e3 && lw(last + 1) == "thousand")) {
        value *= m;
        ++last;
      }
    }
    int first = i;
    if (qualifier.empty()) {
      // Before money the qualifier precedes the currency: "about US$16 million".
      int qstart = i;
      if (!currency_symbol(i - 1).empty() && glued_before(i)) {
        qstart = i - 1;
        if (qstart > 0 && glued_before(qstart) && word(qstart - 1)) --qstart;
      }
      int qf = i;
      qualifier = qualifier_before(qstart, qf);
      if (!qualifier.empty()) first = qf;
    }
    // The high end of a range belongs to the span: "$12 million to $20 million",
    // "between 12 and 20"; the value stays the low end.
    int range_last = -1;
    if (!ordinal && duration_unit.empty() && word(last + 1) && same(i, last + 1) &&
        (lw(last + 1) == "to" || (lw(last + 1) == "and" && qualifier == "between"))) {
      int k = last + 2;
      // A currency before the high end: "to $28 million", "to US$28 million".
      if (word(k) && lw(k) == "us" && k + 1 < ctx_.size() && glued_before(k + 1)) ++k;
      if (k < ctx_.size() && same(i, k) && !currency_symbol(k).empty()) ++k;
      if (word(k) && same(i, k) && ctx_.tokens[k].has(kNumber) && !is_year_token(ctx_, k) &&
          (k == last + 2 || glued_before(k))) {
        range_last = k;
        if (word(k + 1) && same(i, k + 1) && lex::multiplier(lw(k + 1)) >= 1e6) ++range_last;
      }
    }
    // Money: a currency sign before (glued, or one space: "USD$ 23 billion"), or a
    // currency word after.
    std::string_view currency = currency_symbol(i - 1);
    if (!currency.empty() && i > 0 && same(i, i - 1) &&
        (glued_before(i) || ctx_.tokens[i].begin == ctx_.tokens[i - 1].end + 1)) {
      int cfirst = i - 1;
      if (cfirst > 0 && glued_before(cfirst) && word(cfirst - 1)) {
        --cfirst;  // "US$"
      } else if (cfirst > 0 && same(i, cfirst - 1) && word(cfirst - 1) &&
                 ctx_.tokens[cfirst - 1].has(kAllCaps) && tok(cfirst - 1).size() <= 3 &&
                 ctx_.tokens[cfirst].begin == ctx_.tokens[cfirst - 1].end + 1) {
        --cfirst;  // "GB £20.1 billion": a country or currency code before the sign
      }
      if (first == i || first > cfirst) first = cfirst;
      int end = range_last >= 0 ? range_last : last;
      if (word(end + 1) && same(i, end + 1) && lex::currency_word(lw(end + 1)) == currency) {
        ++end;  // "$249 USD", "$23 billion dollars"
      } else if (word(end + 1) && same(i, end + 1) && lw(end + 1) == "us" && word(end + 2) &&
                 lex::currency_word(lw(end + 2)) == currency) {
        end += 2;  // "$9.99 US dollars"
      } else if (end + 3 < ctx_.size() && same(i, end + 3) && tok(end + 1) == "(" &&
                 word(end + 2) && ctx_.tokens[end + 2].has(kAllCaps) &&
                 lex::currency_word(lw(end + 2)) == currency && tok(end + 3) == ")") {
        end += 3;  // "$99 (USD)"
      }
      add(first, end, FigureKind::kMoney, value, std::string(currency), qualifier);
      return end + 1;
    }
    if (!ordinal && word(last + 1) && same(i, last + 1)) {
      std::string_view cw = lex::currency_word(lw(last + 1));
      if (!cw.empty()) {
        add(first, last + 1, FigureKind::kMoney, value, std::string(cw), qualifier);
        return last + 2;
      }
    }
    // Percentages.
    if (!ordinal && range_last >= 0 && range_last + 1 < ctx_.size() && same(i, range_last + 1) &&
        (tok(range_last + 1) == "%" || lw(range_last + 1) == "percent"))
      last = range_last;
    if (!ordinal && last + 1 < ctx_.size() && same(i, last + 1)) {
      int end = -1;
      if (tok(last + 1) == "%") end = last + 1;
      if (lw(last + 1) == "percent" || lw(last + 1) == "pct") end = last + 1;
      if (lw(last + 1) == "per" && word(last + 2) && lw(last + 2) == "cent") end = last + 2;
      if (ctx_.decimal_comma && end < 0) end = other_percent_word(last + 1);
      if (end >= 0) {
        std::string unit = "%";
        int next = end + 1;
        if (word(end + 1) && lw(end + 1) == "of" && word(end + 2) && same(i, end + 2) &&
            (ctx_.tokens[end + 2].has(kAllCaps) || ctx_.tokens[end + 2].has(kCap))) {
          unit += " of ";
          unit += tok(end + 2);
          next = end + 3;
        }
        add(first, end, FigureKind::kPercent, value, unit, qualifier);
        return next;
      }
    }
    // Durations: "four-hour", "24 hours", "100 days".
    if (!duration_unit.empty()) {
      add(first, last, FigureKind::kDuration, value, duration_unit, qualifier);
      return last + 1;
    }
    if (!ordinal && word(last + 1) && same(i, last + 1)) {
      std::string unit = singular(lw(last + 1));
      if (lex::is_duration_unit(unit)) {
        add(first, last + 1, FigureKind::kDuration, value, unit, qualifier);
        return last + 2;
      }
    }
    if (ordinal) return match_ordinal(i, last, value);
    // A number after a name is part of it: "Boeing 737", "iPhone 4", "Windows 7".
    if (i > 0 && same(i, i - 1) && word(i - 1) && !ctx_.tokens[i - 1].has(kNumber) &&
        has_upper(i - 1) && i - 1 != first_word_of(i))
      return last + 1;
    const int span_last = range_last >= 0 ? range_last : last;
    // Counts: the span is the number with its qualifier, as in TIMEX/NUMEX-style
    // annotation; what it counts is the unit.
    const int u = unit_after(last + 1);
    if (u < 0) {
      // A number on its own ("rose to 179", "five of them"); "one" is too often a pronoun.
      if (l == "one" || (!t.has(kNumber) && qualifier.empty() && value < 2)) return last + 1;
      add(first, span_last, FigureKind::kOther, value, {}, qualifier);
      return span_last + 1;
    }
    add(first, span_last, FigureKind::kCount, value,
        std::string(ctx_.lower.substr(ctx_.tokens[u].begin,
                                      ctx_.tokens[u].core_end - ctx_.tokens[u].begin)),
        qualifier);
    return std::max(span_last, u) + 1;
  }

  int match_ordinal(int i, int last, double value) {
    const int s0 = ctx_.sentence_first[ctx_.tokens[i].sentence];
    const bool determined = i > s0 && (ctx_.tokens[i - 1].has(kPossessive) ||
                                       (word(i - 1) && in_list(kOrdinalDeterminers, lw(i - 1))));
    if (!determined) return last + 1;
    if (word(last + 1) && same(i, last + 1) && ctx_.tokens[last + 1].has(kNumber))
      return last + 1;  // "the first 100 days": the count is the figure
    int k = last + 1;
    while (word(k) && same(i, k) && ctx_.tokens[k].has(kLower) && lex::is_ordinal_adjective(lw(k)))
      ++k;
    std::string unit;
    int end = last;
    if (word(k) && same(i, k) && ctx_.tokens[k].has(kLower) && !lex::is_not_unit(lw(k))) {
      unit = singular(lw(k));
      end = k;
    } else {
      // Elided noun: "Witkoff's meeting with Putin is his fourth" -> meeting; "The talk ...
      // was the second" -> talk.
      for (int b = std::max(s0, i - 60); b < i - 1; ++b) {
        const bool opener =
            ctx_.tokens[b].has(kPossessive) || (word(b) && (lw(b) == "the" || lw(b) == "a"));
        if (opener && word(b + 1) && ctx_.tokens[b + 1].has(kLower) &&
            !lex::is_not_unit(lw(b + 1))) {
          unit = singular(lw(b + 1));
          break;
        }
      }
      if (unit.empty()) return last + 1;
    }
    add(i - 1 >= s0 && ctx_.tokens[i - 1].has(kPossessive) ? i : i, end, FigureKind::kOrdinal,
        value, unit, {});
    return end + 1;
  }

  // Bounds the per-article designation list (a page of part numbers stays linear).
  static constexpr std::size_t kMaxDesignations = 64;

  const Context& ctx_;
  Analysis& out_;
  std::vector<std::string_view> designations_;
};

}  // namespace

void find_figures(const Context& ctx, Analysis& out) { FigureFinder(ctx, out).run(); }

}  // namespace storyline::understand::internal
