// Line-level rules shared by the scraped-text and HTML paths: boilerplate, kickers, datelines,
// run-in teaser headlines, bylines. All work on views; none allocate except clean_byline.
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>

#include "common/text_util.h"
#include "extract/extract_internal.h"
#include "extract/lexicon.h"

namespace storyline::extract::detail {

namespace {

// Decodes the code point at `i` (advancing it); U+FFFD for ill-formed bytes.
UChar32 next_code_point(std::string_view s, std::size_t& i) {
  UChar32 c = 0;
  int32_t pos = static_cast<int32_t>(i);
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), pos, static_cast<int32_t>(s.size()), c);
  i = static_cast<std::size_t>(pos);
  return c < 0 ? 0xFFFD : c;
}

// The code point that ends `s` (0 when empty).
UChar32 last_code_point(std::string_view s) {
  if (s.empty()) return 0;
  std::size_t start = s.size() - 1;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  std::size_t i = start;
  return next_code_point(s, i);
}

UChar32 first_code_point(std::string_view s) {
  if (s.empty()) return 0;
  std::size_t i = 0;
  return next_code_point(s, i);
}

// A caption is at most this long; a longer line ending in a credit is a paragraph.
constexpr std::size_t kMaxCaptionWords = 40;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Opening quotation marks and brackets allowed before the first word of a sentence.
bool is_opening_quote(UChar32 c) {
  return c == '"' || c == '\'' || c == 0x201C || c == 0x2018 || c == 0x00AB || c == '(';
}

bool is_closing_quote(UChar32 c) {
  return c == '"' || c == '\'' || c == 0x201D || c == 0x2019 || c == 0x00BB;
}

// True when the text starts like a sentence: capital letter, digit or opening quote.
bool starts_like_sentence(std::string_view s) {
  const UChar32 c = first_code_point(s);
  return u_isupper(c) || u_istitle(c) || u_isdigit(c) || is_opening_quote(c) ||
         (u_isalpha(c) && !u_islower(c));  // scripts without case (CJK, Arabic)
}

// Strips leading bullets, dashes and pipes that scrapers keep from list markup.
std::string_view strip_bullets(std::string_view s) {
  static constexpr std::array<std::string_view, 9> kBullets = {
      "\xE2\x80\xA2", "\xC2\xB7", "\xE2\x80\x93", "\xE2\x80\x94", "\xC2\xBB", "-", "*", "|", ">"};
  bool again = true;
  while (again) {
    again = false;
    s = trim(s);
    for (std::string_view b : kBullets) {
      if (s.substr(0, b.size()) == b) {
        s.remove_prefix(b.size());
        again = true;
      }
    }
  }
  return s;
}

bool has_letter(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (u_isalpha(next_code_point(s, i))) return true;
  }
  return false;
}

bool rule_matches(const lexicon::LineRule& rule, std::string_view lower) {
  switch (rule.match) {
    case lexicon::Match::kExact: {
      std::string_view t = lower;
      while (!t.empty() && (t.back() == ':' || t.back() == '.' || t.back() == '!')) {
        t.remove_suffix(1);
      }
      return trim(t) == rule.text;
    }
    case lexicon::Match::kPrefix: {
      if (lower.substr(0, rule.text.size()) != rule.text) return false;
      // Word boundary: "share" must not match "shares in Acme fell".
      if (lower.size() == rule.text.size() || !is_ascii_alnum(rule.text.back())) return true;
      return !is_ascii_alnum(lower[rule.text.size()]);
    }
    case lexicon::Match::kContains:
      return lower.find(rule.text) != std::string_view::npos;
  }
  return false;
}

bool in_list(std::string_view word, const auto& list) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

// Lowercase connectors allowed inside place names ("Rio de Janeiro", "Frankfurt am Main").
constexpr std::string_view kPlaceConnectors[] = {"de", "da",   "do",  "dos", "la",  "le",
                                                 "el", "al",   "am",  "an",  "der", "di",
                                                 "of", "upon", "sur", "en",  "y"};

// True for 1..4 words that each start with a capital letter (connectors aside), letters and
// a few punctuation marks only: "Moscow", "St Petersburg", "NEW YORK", "Rio de Janeiro".
bool is_place_name(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 40) return false;
  int words = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size()) break;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    std::string_view word = s.substr(start, i - start);
    ++words;
    if (words > 4) return false;
    const UChar32 first = first_code_point(word);
    if (!(u_isupper(first) || u_istitle(first))) {
      if (!in_list(word, kPlaceConnectors) || words == 1) return false;
    }
    for (std::size_t j = 0; j < word.size();) {
      const UChar32 c = next_code_point(word, j);
      if (!(u_isalpha(c) || c == '.' || c == '-' || c == '\'' || c == 0x2019)) return false;
    }
  }
  if (words == 0) return false;
  return !in_list(ascii_lower(s), lexicon::kNotPlaces);
}

// A parenthesised agency name: "(AFP)", "(Reuters)", "(AP Photo)".
bool is_agency(std::string_view s) {
  s = trim(s);
  return s.size() >= 3 && s.size() <= 32 && s.front() == '(' && s.back() == ')' && has_letter(s) &&
         s.find('(', 1) == std::string_view::npos;
}

// A region or date after the place: "Ukraine", "April 12", "Calif.".
bool is_region_or_date(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 30 || word_count(s) > 3) return false;
  const UChar32 first = first_code_point(s);
  if (!(u_isupper(first) || u_isdigit(first))) return false;
  for (std::size_t j = 0; j < s.size();) {
    const UChar32 c = next_code_point(s, j);
    if (!(u_isalnum(c) || c == ' ' || c == '.' || c == '-' || c == '\'')) return false;
  }
  return true;
}

// "Jane Doe and Tom Lee", "Ana de Souza in Lisbon": capitalised words with a few connectors,
// and no sentence end ("By Friday, most roads were clear." is a sentence).
bool is_name_list(std::string_view s) {
  static constexpr std::string_view kConnectors[] = {"and", "&",   "in",  "for", "with", "de",
                                                     "van", "von", "der", "da",  "al",   "|"};
  s = trim(s);
  const std::size_t words = word_count(s);
  if (words == 0 || words > 8) return false;
  const UChar32 last = last_code_point(s);
  if (last == '.' || last == '!' || last == '?' || last == ':') return false;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    const std::size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    if (start == i) break;
    std::string_view word = s.substr(start, i - start);
    if (!word.empty() && word.back() == ',') word.remove_suffix(1);
    if (word.empty() || in_list(word, kConnectors)) continue;
    const UChar32 first = first_code_point(word);
    if (!(u_isupper(first) || u_istitle(first) || (u_isalpha(first) && !u_islower(first)))) {
      return false;
    }
  }
  return true;
}

// Dash separators used after a dateline.
constexpr std::string_view kDateDashes[] = {" -- ", " - ", " \xE2\x80\x94 ", " \xE2\x80\x93 ",
                                            "\xE2\x80\x94"};

// "segunda-feira, 22 de janeiro de 2018 às 0:13", "22. Januar 2018, 10:13 Uhr": a short line
// holding a year and a clock time, without a sentence end, is a time stamp in any language.
bool is_time_stamp(std::string_view line, std::size_t words) {
  if (words > 10 || ends_with_terminal(line)) return false;
  bool year = false, clock = false;
  auto digit = [&](std::size_t i) { return i < line.size() && line[i] >= '0' && line[i] <= '9'; };
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (!digit(i) || (i > 0 && digit(i - 1))) continue;
    std::size_t j = i;
    while (digit(j)) ++j;
    const std::string_view run = line.substr(i, j - i);
    if (run.size() == 4 && (run.starts_with("19") || run.starts_with("20"))) year = true;
    if (run.size() <= 2 && j < line.size() && line[j] == ':' && digit(j + 1) && digit(j + 2) &&
        !digit(j + 3))
      clock = true;
  }
  return year && clock;
}

}  // namespace

std::size_t word_count(std::string_view text) {
  std::size_t count = 0;
  bool in_word = false;
  for (char c : text) {
    if (is_space(c)) {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      ++count;
    }
  }
  return count;
}

bool ends_with_terminal(std::string_view text) {
  text = trim(text);
  const UChar32 c = last_code_point(text);
  switch (c) {
    case '.':
    case '!':
    case '?':
    case ':':
    case ';':
    case ')':
    case ']':
    case '"':
    case '\'':
    case 0x2026:  // …
    case 0x201D:  // ”
    case 0x2019:  // ’
    case 0x00BB:  // »
    case 0x3002:  // 。
    case 0xFF01:  // ！
    case 0xFF1F:  // ？
    case 0x300D:  // 」
      return true;
    default:
      return false;
  }
}

// A caption closed by its picture credit: "... in the square (Image: Getty)", "(Foto: dpa)",
// "(Photo credit: Jane Doe)": a parenthesis at the very end holding a one- or two-word label,
// a colon and a short name.
bool ends_with_credit(std::string_view line, std::size_t words) {
  if (words > kMaxCaptionWords) return false;
  line = trim(line);
  if (line.empty() || line.back() != ')') return false;
  const std::size_t open = line.rfind('(');
  if (open == std::string_view::npos || line.size() - open > 48) return false;
  const std::string_view inside = line.substr(open + 1, line.size() - open - 2);
  const std::size_t colon = inside.find(':');
  if (colon == std::string_view::npos) return false;
  const std::size_t label_words = word_count(inside.substr(0, colon));
  const std::size_t name_words = word_count(inside.substr(colon + 1));
  return label_words >= 1 && label_words <= 2 && name_words >= 1 && name_words <= 4 &&
         has_letter(inside.substr(colon + 1));
}

bool is_boilerplate_line(std::string_view line) {
  std::string_view t = strip_bullets(line);
  if (t.empty()) return true;
  const std::size_t words = word_count(t);
  // Social counters and stray markers: "0 0", "12 3", "|", "1.2K"? (no letters at all).
  if (!has_letter(t)) return words <= 6;
  if (ends_with_credit(t, words)) return true;
  if (words > 60) return false;
  const std::string lower = ascii_lower(t);
  for (const lexicon::LineRule& rule : lexicon::kBoilerplateLines) {
    if (static_cast<int>(words) <= rule.max_words && rule_matches(rule, lower)) return true;
  }
  return false;
}

std::optional<KickerSplit> split_kicker(std::string_view line) {
  line = trim(line);
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon < 2 || colon > 60) return std::nullopt;
  std::string_view kicker = trim(line.substr(0, colon));
  std::string_view rest = line.substr(colon + 1);
  if (rest.empty() || !is_space(rest.front())) return std::nullopt;  // "12:30", "http:"
  rest = trim(rest);
  if (rest.empty() || word_count(kicker) > 6) return std::nullopt;
  int letters = 0;
  for (std::size_t i = 0; i < kicker.size();) {
    const UChar32 c = next_code_point(kicker, i);
    if (u_isalpha(c)) {
      if (u_islower(c)) return std::nullopt;
      ++letters;
    } else if (!(u_isdigit(c) || c == ' ' || c == '&' || c == '\'' || c == '-' || c == '.' ||
                 c == ',' || c == '/' || c == 0x2019)) {
      return std::nullopt;
    }
  }
  // Two capitals ("US", "UK") are an abbreviation more often than a label.
  if (letters < 3) return std::nullopt;
  return KickerSplit{kicker, rest};
}

std::optional<DatelineSplit> split_dateline(std::string_view paragraph) {
  paragraph = trim(paragraph);
  const std::string_view head = paragraph.substr(0, 96);
  // "Moscow: In a significant ..." (a capitalised place, not an ALL-CAPS kicker).
  const std::size_t colon = head.find(": ");
  if (colon != std::string_view::npos && colon <= 40) {
    std::string_view place = head.substr(0, colon);
    std::string_view rest = trim(paragraph.substr(colon + 1));
    if (is_place_name(place) && !split_kicker(paragraph) && word_count(rest) >= 4 &&
        starts_like_sentence(rest)) {
      return DatelineSplit{trim(place), rest};
    }
  }
  // "PARIS (AFP) - ...", "KYIV, Ukraine — ...", "LONDON, April 12 (Reuters) - ...".
  std::size_t dash = std::string_view::npos, dash_len = 0;
  for (std::string_view d : kDateDashes) {
    const std::size_t at = head.find(d);
    if (at != std::string_view::npos && at < dash) {
      dash = at;
      dash_len = d.size();
    }
  }
  if (dash == std::string_view::npos || dash > 80) return std::nullopt;
  std::string_view lead = trim(head.substr(0, dash));
  std::string_view rest = trim(paragraph.substr(dash + dash_len));
  if (word_count(rest) < 4 || !starts_like_sentence(rest)) return std::nullopt;
  bool has_agency = false;
  if (!lead.empty() && lead.back() == ')') {
    const std::size_t open = lead.rfind('(');
    if (open == std::string_view::npos || !is_agency(lead.substr(open))) return std::nullopt;
    has_agency = true;
    lead = trim(lead.substr(0, open));
  }
  std::string_view place = lead;
  const std::size_t comma = lead.find(',');
  if (comma != std::string_view::npos) {
    place = trim(lead.substr(0, comma));
    std::string_view region = lead.substr(comma + 1);
    // "KYIV, Ukraine" or "LONDON, April 12"; a second comma is allowed for "Ore., May 3".
    const std::size_t comma2 = region.find(',');
    if (comma2 != std::string_view::npos) {
      if (!is_region_or_date(region.substr(comma2 + 1))) return std::nullopt;
      region = region.substr(0, comma2);
    }
    if (!is_region_or_date(region)) return std::nullopt;
  }
  if (!is_place_name(place)) return std::nullopt;
  // Without an agency or a region, a title-case word before a dash is too often a subject
  // ("Trump - who ..."): demand ALL CAPS then.
  if (!has_agency && comma == std::string_view::npos) {
    for (std::size_t i = 0; i < place.size();) {
      if (u_islower(next_code_point(place, i))) return std::nullopt;
    }
  }
  return DatelineSplit{place, rest};
}

std::optional<HeadlineSplit> split_run_in_headline(std::string_view text) {
  text = trim(text);
  std::size_t pos = 0;
  while (pos < text.size()) {
    // Next word.
    while (pos < text.size() && is_space(text[pos])) ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && !is_space(text[pos])) ++pos;
    if (start >= pos) break;
    const std::string_view word = text.substr(start, pos - start);
    if (!in_list(word, lexicon::kAttributionVerbs)) continue;
    const std::string_view title = trim(text.substr(0, pos));
    const std::string_view rest = trim(text.substr(pos));
    if (rest.empty() || !starts_like_sentence(rest)) continue;
    const std::size_t title_words = word_count(title);
    if (title_words < 5 || title_words > 60 || word_count(rest) < 5) continue;
    // The attribution is a short clause after a comma: "..., a paper said".
    const std::string_view before = text.substr(0, start);
    const std::size_t comma = before.rfind(',');
    if (comma == std::string_view::npos) continue;
    std::string_view clause = before.substr(comma + 1);
    while (!clause.empty() && !is_space(clause.front())) {
      std::size_t i = 0;
      const UChar32 c = next_code_point(clause, i);
      if (!is_closing_quote(c)) break;
      clause.remove_prefix(i);
    }
    const std::size_t clause_words = word_count(clause);
    if (clause_words < 1 || clause_words > 5) continue;
    // A sub-headline has no full stop: a sentence break before the verb means the line is a
    // normal paragraph whose second sentence happens to contain "said".
    bool sentence_break = false;
    for (std::size_t i = 0; i + 2 < title.size(); ++i) {
      if ((title[i] == '.' || title[i] == '?' || title[i] == '!') && title[i + 1] == ' ' &&
          starts_like_sentence(title.substr(i + 2))) {
        sentence_break = true;
        break;
      }
    }
    if (sentence_break) return std::nullopt;
    return HeadlineSplit{title, rest};
  }
  return std::nullopt;
}

bool looks_like_headline(std::string_view line) {
  line = trim(line);
  const std::size_t words = word_count(line);
  if (words < 2 || words > 25 || line.size() > 250) return false;
  const UChar32 last = last_code_point(line);
  if (last == '.' || last == ',' || last == ';' || last == ':' || last == 0x2026) return false;
  if (!starts_like_sentence(line)) return false;
  for (std::size_t i = 0; i + 2 < line.size(); ++i) {
    if ((line[i] == '.' || line[i] == '?' || line[i] == '!') && line[i + 1] == ' ' &&
        starts_like_sentence(line.substr(i + 2)) && i > 3) {
      // "Two sentences. Like this" is a paragraph; "U.S. envoy" has no space after the dot.
      return false;
    }
  }
  return true;
}

bool is_byline_or_stamp(std::string_view line) {
  line = strip_bullets(line);
  const std::size_t words = word_count(line);
  if (words == 0 || words > 12) return false;
  const std::string lower = ascii_lower(line.substr(0, 24));
  if (lower.starts_with("by ")) return is_name_list(line.substr(3));
  static constexpr std::string_view kStampPrefixes[] = {
      "published",  "updated", "last updated", "posted",     "first published",
      "written by", "author:", "reporting by", "editing by", "modified"};
  for (std::string_view p : kStampPrefixes) {
    if (lower.starts_with(p)) return true;
  }
  return (words <= 6 && normalize_date(line).has_value()) || is_time_stamp(line, words);
}

std::string clean_byline(std::string_view text) {
  std::string s = collapse_whitespace(text);
  std::string_view v = s;
  static constexpr std::string_view kPrefixes[] = {
      "written by ", "by ", "author: ", "authors: ", "von ", "par ", "por "};
  const std::string lower = ascii_lower(v.substr(0, 16));
  for (std::string_view p : kPrefixes) {
    if (lower.starts_with(p)) {
      v.remove_prefix(p.size());
      break;
    }
  }
  // Cut at a separator that usually introduces a date or a role: "Jane Doe | April 3".
  const std::size_t cut = v.find_first_of("|\n");
  if (cut != std::string_view::npos) v = v.substr(0, cut);
  v = trim(v);
  while (!v.empty() && (v.back() == ',' || v.back() == '-' || v.back() == ':')) {
    v.remove_suffix(1);
    v = trim(v);
  }
  if (v.size() > 120) return {};
  return std::string(v);
}

}  // namespace storyline::extract::detail
