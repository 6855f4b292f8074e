// Private helpers shared by the HTML and scraped-text paths of extract. Not a public API.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/document.h"
#include "common/result.h"
#include "extract/extract.h"

namespace storyline::extract::detail {

// ---- line rules (text_rules.cpp) -------------------------------------------------------

// True for lines that are page furniture, not story text: social counters ("0 0"), tag lines,
// login/share/cookie prompts, photo credits, "Advertisement", bullets only.
bool is_boilerplate_line(std::string_view line);

// Number of whitespace-separated words.
std::size_t word_count(std::string_view text);

// True when the text ends like a finished sentence or a quotation (., !, ?, …, closing quote,
// closing bracket, ':' or ';').
bool ends_with_terminal(std::string_view text);

// "ECONOMIC OUTLOOK: The ..." -> {kicker "ECONOMIC OUTLOOK", rest "The ..."}.
struct KickerSplit {
  std::string_view kicker;
  std::string_view rest;
};
std::optional<KickerSplit> split_kicker(std::string_view line);

// "Moscow: In a ..." / "PARIS (AFP) - The ..." / "KYIV, Ukraine — ..." -> place and the rest.
struct DatelineSplit {
  std::string_view place;
  std::string_view rest;
};
std::optional<DatelineSplit> split_dateline(std::string_view paragraph);

// A teaser's sub-headline running into its lede: "..., a paper said The UK plans ..." ->
// {title "... , a paper said", rest "The UK plans ..."}.
struct HeadlineSplit {
  std::string_view title;
  std::string_view rest;
};
std::optional<HeadlineSplit> split_run_in_headline(std::string_view text);

// A short line that reads like a headline rather than a sentence.
bool looks_like_headline(std::string_view line);

// A short line that is only a byline ("By Jane Doe") or a date/time stamp.
bool is_byline_or_stamp(std::string_view line);

// Strips "By " and trailing separators from a byline.
std::string clean_byline(std::string_view text);

// ---- main story of a scraped page (text_region.cpp) ----------------------------------------

// Which of `lines` (trimmed, non-empty) from index `from` on belong to the page's main story:
// the densest run of sentence-like lines, comment sections and repeated captions left out.
// All false when no line reads like story text.
std::vector<bool> select_main_lines(const std::vector<std::string_view>& lines, std::size_t from);

// ---- dates (dates.cpp) -----------------------------------------------------------------

// Normalises a date or date-time as found in metadata to "YYYY-MM-DD" or
// "YYYY-MM-DDTHH:MM:SS[Z|+HH:MM]". Empty optional when it cannot be read.
std::optional<std::string> normalize_date(std::string_view text);

// ---- paths -------------------------------------------------------------------------------

// Scraped plain text (valid UTF-8). Fills text-derived fields of the articles.
Output extract_text(std::string_view text, const Page& page, const Options& options);

// HTML: valid UTF-8 with control bytes other than tab, LF and CR blanked (Extractor::run).
Result<Output> extract_html(std::string_view html, const Page& page, const Options& options);

// Converts `bytes` from the named charset to UTF-8 with ICU; nullopt when unknown/failing.
std::optional<std::string> convert_to_utf8(std::string_view bytes, const std::string& charset);

// The charset named by a <meta charset> / http-equiv content-type in the first bytes.
std::string sniff_meta_charset(std::string_view bytes);

// "UTF-16LE"/"UTF-16BE" from a byte-order mark, else "".
std::string sniff_bom(std::string_view bytes);

// ICU's guess at the charset of bytes that are not UTF-8 ("" when it has none).
std::string detect_charset(std::string_view bytes);

// True when the bytes hold more well-formed multi-byte UTF-8 sequences than ill-formed
// ones: UTF-8 with a few broken bytes, to be repaired rather than re-decoded.
bool mostly_utf8(std::string_view bytes);

}  // namespace storyline::extract::detail
