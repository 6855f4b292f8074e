// Private pieces of the understand stage shared between its source files: the token stream,
// lexicon look-ups and the per-part analysers. Not part of the public API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/civil_date.h"
#include "common/document.h"

namespace storyline::understand::internal {

// ---- Lexicon (lexicon.cpp). Arguments are lowercase ASCII unless noted. ----
namespace lex {
bool is_common_word(std::string_view lower);
bool is_interface_word(std::string_view lower);
bool is_non_entity(std::string_view lower);  // capitalised terms that name nothing ("GDP")
int weekday_index(std::string_view lower);   // 0 = Monday, -1 when not a weekday
int month_index(std::string_view lower);     // 1..12 (full names or 3-letter abbreviations), 0
bool is_title_word(std::string_view lower);
bool is_title_head(std::string_view lower);
bool is_role_word(std::string_view lower);
bool is_org_tail_lower(std::string_view lower);
bool is_org_word(std::string_view lower);
bool is_org_name(std::string_view lower);
bool is_place_word(std::string_view lower);
bool is_place_tail_lower(std::string_view lower);
bool is_place(std::string_view lower);
bool is_demonym(std::string_view lower);
bool is_first_name(std::string_view as_written);
bool is_connector(std::string_view lower);
bool is_possessive_in_name(std::string_view lower);
bool is_subject_pronoun(std::string_view lower);
bool is_cue_verb(std::string_view lower);
int number_word(std::string_view lower);                 // -1 when not a number word
int ordinal_word(std::string_view lower);                // -1 when not an ordinal word
double multiplier(std::string_view lower);               // 0 when not a multiplier
std::string_view currency_word(std::string_view lower);  // ISO code or empty
bool is_duration_unit(std::string_view singular_lower);
bool is_not_unit(std::string_view lower);
bool is_ordinal_adjective(std::string_view lower);
bool is_product_noun(std::string_view lower);  // "aircraft", "browser", "operating system"
bool is_event_word(std::string_view lower);    // "conference", "show", "games"
bool is_legal_form(std::string_view lower);    // "inc", "plc", "company"
std::string_view place_key_alias(std::string_view key);  // "us" -> "united states", or empty
// Length in words (1..3) of the qualifier ending at words[n-1], 0 when none.
int qualifier_words(const std::string_view* words_lower, int n);
}  // namespace lex

// Lowercases ASCII into `buf` (truncating at its size) and returns a view of it.
std::string_view lower_into(std::string_view word, char* buf, std::size_t size);

// ---- Other languages (languages.cpp). Keys are lowercase UTF-8. ----
struct LanguageRules {
  bool nouns_capitalised = false;                 // German: a lone capitalised word is no evidence
  std::unordered_map<std::string, int> months;    // "april", "kwietnia" -> 1..12
  std::unordered_map<std::string, int> weekdays;  // 0 = Monday
  std::unordered_map<std::string, std::pair<int, std::string>> relative;  // day offset, part
  std::unordered_map<std::string, std::string> parts;                     // "abend" -> "TEV"
  std::unordered_set<std::string> this_words, month_prepositions, joiners, year_words, titles, stop,
      connectors, org_words, places;
  // Quotations (quotes_lang.cpp); empty for languages without reporting-verb tables.
  struct Speech {
    std::unordered_set<std::string> verbs;        // "déclaré", "sagte", "сказал"
    std::unordered_set<std::string> according;    // "selon", "по словам" (speaker after)
    std::unordered_set<std::string> after_quote;  // "so", "aldus": only right after a quotation
    std::unordered_set<std::string> pronouns;     // third-person subject pronouns
    std::unordered_set<std::string> roles;        // "porte-parole", "sprecher"
    std::unordered_set<std::string> determiners;  // "le", "der", "el"
    std::unordered_set<std::string> complementizers;  // "que", "dass", "что"
    std::unordered_set<std::string> auxiliaries;      // "a", "hat", "ha"
    bool any() const { return !verbs.empty(); }
  } speech;
};
// "de" of "de-AT", "DE", "de_CH"; "en" of "eng".
std::string primary_language(std::string_view code);
// Articles in English or of unknown language ("", "en", "en-US", "un") take the English rules.
bool uses_english_rules(std::string_view language);
// Languages writing "3,5" for three and a half and "1.000" for a thousand.
bool uses_decimal_comma(std::string_view language);
// Tables for a language, null when it has none (the script-neutral rules still apply).
const LanguageRules* language_rules(std::string_view language);
std::string lower_utf8(std::string_view s);
// Appends `s` lowercased (UTF-8) to `out`.
void append_lower_utf8(std::string_view s, std::string& out);
// The longest place name in a caseless script (CJK, Arabic...) starting at text[pos], or empty.
std::string_view script_place_at(std::string_view text, std::size_t pos);

// ---- Tokens (tokens.cpp). ----
enum TokenFlags : uint16_t {
  kWord = 1,          // letters (and digits/apostrophes/hyphens inside)
  kNumber = 2,        // starts with a digit
  kPunct = 4,         // one non-space, non-word code point
  kCap = 8,           // first letter is uppercase
  kAllCaps = 16,      // at least two letters, all uppercase
  kLower = 32,        // first letter is lowercase
  kNoCase = 64,       // letters without case (CJK, Arabic...)
  kPossessive = 128,  // ends in 's or ’s
  kSpaceBefore = 256,
  kHyphen = 512,    // contains an inner hyphen
  kInQuote = 1024,  // inside quotation marks
};

struct Token {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t core_end = 0;  // end without a possessive suffix
  uint16_t flags = 0;
  int sentence = 0;
  bool has(uint16_t f) const { return (flags & f) != 0; }
};

// Splits `text` into tokens and assigns each its sentence (sentences sorted, covering text).
std::vector<Token> tokenize(std::string_view text, const std::vector<Sentence>& sentences);

// Sentence spans from ICU, merged so that a quotation opened in a sentence closes in it.
std::vector<Sentence> split_sentences(std::string_view text);

// Quotation mark kinds for a punctuation token.
enum class QuoteMark { kNone, kOpen, kClose, kStraight };
QuoteMark quote_mark(std::string_view punct, bool letter_before, bool letter_after);

// ---- Parts. ----
struct Context {
  std::string_view text;
  std::string_view lower;  // ASCII-lowercased copy of text (same offsets)
  const std::vector<Token>& tokens;
  const std::vector<Sentence>& sentences;
  std::optional<CivilDate> published;
  // First token index of each sentence (size sentences + 1).
  std::vector<int> sentence_first;
  bool decimal_comma = false;  // "3,5" is three and a half (most languages but English)
  std::string_view tok(int i) const {
    return text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin);
  }
  std::string_view core(int i) const {
    return text.substr(tokens[i].begin, tokens[i].core_end - tokens[i].begin);
  }
  std::string_view ltok(int i) const {
    return lower.substr(tokens[i].begin, tokens[i].end - tokens[i].begin);
  }
  std::string_view lcore(int i) const {
    return lower.substr(tokens[i].begin, tokens[i].core_end - tokens[i].begin);
  }
  int size() const { return static_cast<int>(tokens.size()); }
  // Whether a line break separates sentence s from sentence s + 1.
  bool paragraph_break(int s) const {
    const Sentence& a = sentences[static_cast<std::size_t>(s)];
    const Sentence& b = sentences[static_cast<std::size_t>(s) + 1];
    return text.substr(a.span.end, b.span.begin - a.span.end).find('\n') != std::string_view::npos;
  }
};

// A 4-digit number that is a year, not an amount ("2014 occupation", not "2000 troops").
bool is_year_token(const Context& ctx, int i);

void find_entities(const Context& ctx, Analysis& out);
// Articles in other languages (languages.cpp, entities_lang.cpp, dates_lang.cpp).
// Entities and dates by the language's tables; null tables: script-neutral rules only.
void find_entities_lang(const Context& ctx, const LanguageRules* rules, Analysis& out);
void find_dates_lang(const Context& ctx, const LanguageRules* rules, Analysis& out);
// Shared by the quote finders (quotes.cpp, quotes_lang.cpp).
struct QuoteRegion {
  int open = 0, close = 0;  // quotation mark tokens
  int words = 0;
};
struct QuoteSpeaker {
  std::string name;
  int entity = -1;
  bool found = false;
  Span span;  // the speaker as written in the sentence; empty when not known
};
// For each token, the index of the mention overlapping it, or -1 (mentions sorted by span).
std::vector<int> mention_per_token(const Context& ctx, const Analysis& out);

// The walk both quote finders share; what a language changes is which marks open and close a
// quotation and what is done with each quote and sentence.
//
// Quotation regions, in text order: a mark that `opens(i, mark)`, then the first that
// `closes(i, mark, open_mark)` in the same paragraph (punctuation tokens only), kept when
// words stand between them.
template <class Opens, class Closes>
std::vector<QuoteRegion> find_quote_regions(const Context& ctx, Opens&& opens, Closes&& closes) {
  std::vector<QuoteRegion> regions;
  const int n = ctx.size();
  int open = -1;
  std::string_view open_mark;
  for (int i = 0; i < n; ++i) {
    const Token& t = ctx.tokens[i];
    if (open >= 0 && i > open &&
        ctx.text.substr(ctx.tokens[i - 1].end, t.begin - ctx.tokens[i - 1].end).find('\n') !=
            std::string_view::npos)
      open = -1;  // quotations do not cross paragraphs here
    if (!t.has(kPunct)) continue;
    const std::string_view mark = ctx.tok(i);
    if (open < 0) {
      if (opens(i, mark)) {
        open = i;
        open_mark = mark;
      }
      continue;
    }
    if (closes(i, mark, open_mark)) {
      QuoteRegion r{open, i, 0};
      for (int k = open + 1; k < i; ++k) r.words += ctx.tokens[k].has(kWord) ? 1 : 0;
      if (r.words > 0) regions.push_back(r);
      open = -1;
    }
  }
  return regions;
}

// A direct quote of region `r` said by `sp`: the words between the marks, spaces trimmed.
Quote direct_quote(const Context& ctx, const QuoteRegion& r, const QuoteSpeaker& sp);

// Per token, 1 inside a region (its marks included).
std::vector<char> quoted_tokens(const Context& ctx, const std::vector<QuoteRegion>& regions);

// Sentence by sentence, in order: `quote(region, s0, s1)` for each region that opens in the
// sentence (tokens s0 to s1 - 1), then `sentence(s0, s1, had_quote)`, then `paragraph_end()`
// when a paragraph ends after it (not after the last sentence).
template <class Quote, class Sentence, class ParagraphEnd>
void walk_quote_sentences(const Context& ctx, const std::vector<QuoteRegion>& regions,
                          Quote&& quote, Sentence&& sentence, ParagraphEnd&& paragraph_end) {
  std::size_t r = 0;
  const int nsent = static_cast<int>(ctx.sentences.size());
  for (int s = 0; s < nsent; ++s) {
    const int s0 = ctx.sentence_first[s], s1 = ctx.sentence_first[s + 1];
    bool had_quote = false;
    while (r < regions.size() && regions[r].open < s1) {
      if (regions[r].open >= s0) {
        quote(regions[r], s0, s1);
        had_quote = true;
      }
      ++r;
    }
    sentence(s0, s1, had_quote);
    if (s + 1 < nsent && ctx.paragraph_break(s)) paragraph_end();
  }
}

void find_quotes(const Context& ctx, Analysis& out);
// Quotes with speakers by the language's reporting verbs (rules->speech.any()).
void find_quotes_lang(const Context& ctx, const LanguageRules& rules, Analysis& out);
void find_figures(const Context& ctx, Analysis& out);
void find_dates(const Context& ctx, Analysis& out);

}  // namespace storyline::understand::internal
