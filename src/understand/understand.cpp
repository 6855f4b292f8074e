// Analyzer::run: sentences, tokens, then entities, quotes, figures and dates over them.
#include "understand/understand.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <climits>

#include "common/civil_date.h"
#include "common/text_util.h"
#include "understand/internal.h"

namespace storyline::understand {

namespace {

// ICU ends a sentence at "4. April" (German day numbers take a period) and after abbreviated
// titles ("M.", "Sr."): join the two when the next one starts with a month name of the
// language, or the first ends with a title of the language.
void merge_false_breaks(std::string_view text, const internal::LanguageRules& rules,
                        std::vector<Sentence>& sentences) {
  std::vector<Sentence> merged;
  merged.reserve(sentences.size());
  for (const Sentence& s : sentences) {
    if (!merged.empty()) {
      Sentence& prev = merged.back();
      const std::string_view p = text.substr(prev.span.begin, prev.span.end - prev.span.begin);
      // "a déclaré M. Laroche", "dijo el Sr. Pérez": an abbreviated title ends no sentence.
      if (p.size() >= 2 && p.back() == '.' && s.span.begin >= prev.span.end) {
        std::size_t b = p.size() - 1;
        while (b > 0 && p[b - 1] != ' ' && p[b - 1] != '\n' && p.size() - b <= 6) --b;
        const std::string_view abbr = p.substr(b, p.size() - 1 - b);
        if (!abbr.empty() && abbr.size() <= 4 && rules.titles.count(internal::lower_utf8(abbr)) &&
            text.substr(prev.span.end, s.span.begin - prev.span.end).find('\n') ==
                std::string_view::npos) {
          prev.span.end = s.span.end;
          continue;
        }
      }
      if (p.size() >= 2 && p.back() == '.' && p[p.size() - 2] >= '0' && p[p.size() - 2] <= '9' &&
          s.span.begin >= prev.span.end) {
        std::size_t e = s.span.begin;
        while (e < s.span.end && text[e] != ' ' && text[e] != ',' && text[e] != '.') ++e;
        const std::string first = internal::lower_utf8(text.substr(s.span.begin, e - s.span.begin));
        if (rules.months.count(first) &&
            text.substr(prev.span.end, s.span.begin - prev.span.end).find('\n') ==
                std::string_view::npos) {
          prev.span.end = s.span.end;
          continue;
        }
      }
    }
    merged.push_back(s);
  }
  sentences = std::move(merged);
}

}  // namespace

Analyzer::Analyzer(Options options) : options_(options) {}

Analysis Analyzer::run(const Article& article) const {
  Analysis out;
  // Article::text is promised valid UTF-8. If it is not, analyse a copy in which every byte
  // of an ill-formed sequence (and NUL) is replaced by one ASCII byte: the length is kept,
  // so spans stay valid offsets into the caller's text.
  std::string repaired;
  std::string_view text = article.text;
  if (!is_valid_utf8(text) || text.find('\0') != std::string_view::npos) {
    repaired.assign(text.data(), text.size());
    const int32_t n = static_cast<int32_t>(std::min<std::size_t>(repaired.size(), INT32_MAX));
    int32_t i = 0;
    while (i < n) {
      const int32_t start = i;
      UChar32 c;
      U8_NEXT(repaired.data(), i, n, c);
      if (c < 0) {
        for (int32_t k = start; k < i; ++k) repaired[static_cast<std::size_t>(k)] = '?';
      } else if (c == 0) {
        repaired[static_cast<std::size_t>(start)] = ' ';
      }
    }
    text = repaired;
  }
  // Spans are 32-bit; analyse at most 4 GiB (far beyond any article).
  if (text.size() > 0xFFFFFFF0u) text = text.substr(0, 0xFFFFFFF0u);

  out.sentences = internal::split_sentences(text);
  if (out.sentences.empty() && !trim(text).empty())
    out.sentences.push_back(Sentence{{0, static_cast<uint32_t>(text.size())}});
  const bool english = internal::uses_english_rules(article.language);
  const internal::LanguageRules* rules =
      english ? nullptr : internal::language_rules(article.language);
  if (rules) merge_false_breaks(text, *rules, out.sentences);
  const std::vector<internal::Token> tokens = internal::tokenize(text, out.sentences);
  const std::string lower = ascii_lower(text);
  internal::Context ctx{text, lower, tokens, out.sentences, parse_iso_date(article.published), {}};
  ctx.decimal_comma = !english && internal::uses_decimal_comma(article.language);
  if (ctx.published && (ctx.published->month == 0 || ctx.published->day == 0))
    ctx.published.reset();  // relative dates need a full publication date
  ctx.sentence_first.assign(out.sentences.size() + 1, static_cast<int>(tokens.size()));
  for (int i = static_cast<int>(tokens.size()) - 1; i >= 0; --i)
    ctx.sentence_first[static_cast<std::size_t>(tokens[static_cast<std::size_t>(i)].sentence)] = i;
  // Sentences without tokens start where the next one does.
  for (int s = static_cast<int>(out.sentences.size()) - 1; s >= 0; --s)
    if (ctx.sentence_first[static_cast<std::size_t>(s)] >
        ctx.sentence_first[static_cast<std::size_t>(s) + 1])
      ctx.sentence_first[static_cast<std::size_t>(s)] =
          ctx.sentence_first[static_cast<std::size_t>(s) + 1];

  if (!english) {
    // Other languages: entities and dates by the language's tables (or script-neutral
    // rules); figures and quotes keep the English rules.
    if (options_.entities || options_.quotes) internal::find_entities_lang(ctx, rules, out);
  } else if (options_.entities || options_.quotes) {
    internal::find_entities(ctx, out);
  }
  if (options_.quotes) {
    // Languages with reporting-verb tables get their own quote rules; the others keep the
    // English ones (quotation marks found, speakers only where English cues stand).
    if (rules && rules->speech.any()) {
      internal::find_quotes_lang(ctx, *rules, out);
    } else {
      internal::find_quotes(ctx, out);
    }
  }
  if (!options_.entities) {
    // Quotes needed the entities; the caller did not ask for them.
    for (Quote& q : out.quotes) q.speaker_entity = -1;
    out.entities.clear();
    out.mentions.clear();
  }
  if (options_.figures) internal::find_figures(ctx, out);
  // Dates always run: event_date depends on them.
  if (english) {
    internal::find_dates(ctx, out);
  } else {
    internal::find_dates_lang(ctx, rules, out);
    // The English figure rules know only English month names: a day or year inside a date
    // found by the language's rules ("4 avril 2024") is no figure.
    std::erase_if(out.figures, [&](const Figure& f) {
      for (const DateMention& d : out.dates)
        if (f.span.begin < d.span.end && d.span.begin < f.span.end) return true;
      return false;
    });
  }
  if (!options_.dates) out.dates.clear();
  return out;
}

}  // namespace storyline::understand
