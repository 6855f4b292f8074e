// Scraped plain text: one paragraph a line, page furniture mixed in, sometimes several stories
// on one page. Lines are classified by the rules in text_rules.cpp; this file only decides the
// structure (headline, segments, datelines).
#include <string>
#include <string_view>
#include <vector>

#include "common/text_util.h"
#include "extract/extract_internal.h"

namespace storyline::extract::detail {

namespace {

// A long paragraph that stops without terminal punctuation was cut off by the page ("... to
// both questions. The"). Short lines without a full stop are headings or labels instead.
constexpr std::size_t kCutOffMinWords = 20;

struct Segment {
  std::string_view title;
  std::string_view kicker;
  std::string_view dateline;
  std::vector<std::string_view> paragraphs;
  bool truncated = false;
};

bool same_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ascii_lower(a) == ascii_lower(b);
}

bool is_cut_off(std::string_view paragraph) {
  return word_count(paragraph) >= kCutOffMinWords && !ends_with_terminal(paragraph);
}

}  // namespace

Output extract_text(std::string_view text, const Page& page, const Options& options) {
  Output out;
  std::vector<std::string_view> content;
  std::size_t dropped = 0;
  std::string byline;
  for (std::string_view line : split_lines(text)) {
    line = trim(line);
    if (is_boilerplate_line(line)) {
      if (!line.empty()) ++dropped;
      continue;
    }
    if (is_byline_or_stamp(line)) {
      if (byline.empty() && ascii_lower(line.substr(0, 3)) == "by ") byline = clean_byline(line);
      ++dropped;
      continue;
    }
    content.push_back(line);
  }
  if (content.empty()) {
    out.warnings.push_back(dropped ? "no story text: every line was page furniture"
                                   : "no text on the page");
    return out;
  }

  // The headline: the caller's title when the page repeats it, else a short first line that
  // does not read like a sentence (and is followed by something).
  std::string_view title;
  std::size_t first = 0;
  const std::string given_title = collapse_whitespace(page.title);
  if (!given_title.empty() && same_text(collapse_whitespace(content[0]), given_title)) {
    title = content[0];
    first = 1;
  } else if (content.size() >= 2 && looks_like_headline(content[0]) && !split_kicker(content[0]) &&
             !split_dateline(content[0])) {
    title = content[0];
    first = 1;
  }

  std::vector<Segment> segments(1);
  segments[0].title = title;
  bool previous_cut = false;
  for (std::size_t i = first; i < content.size(); ++i) {
    std::string_view line = content[i];
    // The headline is printed again above the body (often after a counter line): once only.
    if (!title.empty() && same_text(line, title)) continue;
    std::optional<KickerSplit> kicker =
        options.split_stories ? split_kicker(line) : std::optional<KickerSplit>{};
    const bool open_segment = !segments.back().paragraphs.empty();
    // A kicker opens a new story; so does any line after a story that was cut off, because a
    // cut-off story cannot continue on the next line.
    if (open_segment &&
        ((kicker && options.split_stories) || (previous_cut && options.split_stories))) {
      segments.emplace_back();
    }
    Segment& seg = segments.back();
    std::string_view body = line;
    if (kicker) {
      const bool lone_place_label = segments.size() == 1 && seg.paragraphs.empty() &&
                                    !seg.title.empty() && word_count(kicker->kicker) == 1 &&
                                    !split_run_in_headline(kicker->rest);
      if (lone_place_label) {
        // "PARIS: The ministry ..." right under the headline is a dateline, not a label.
        seg.dateline = kicker->kicker;
      } else {
        seg.kicker = kicker->kicker;
        if (seg.title.empty()) {
          if (auto headline = split_run_in_headline(kicker->rest)) {
            seg.title = headline->title;
            kicker->rest = headline->rest;
          }
        }
      }
      body = kicker->rest;
    }
    if (seg.paragraphs.empty() && seg.dateline.empty()) {
      if (auto dateline = split_dateline(body)) {
        seg.dateline = dateline->place;
        body = dateline->rest;
      }
    }
    seg.paragraphs.push_back(body);
    previous_cut = is_cut_off(body);
    seg.truncated = previous_cut;
  }

  int segment_index = 0;
  for (const Segment& seg : segments) {
    if (seg.paragraphs.empty() && seg.title.empty()) continue;
    Article article;
    article.segment = segment_index;
    article.title = std::string(seg.title);
    article.kicker = std::string(seg.kicker);
    article.dateline = std::string(seg.dateline);
    article.truncated = seg.truncated;
    article.is_teaser = segment_index > 0 && (seg.paragraphs.size() == 1 || !seg.kicker.empty());
    for (std::string_view p : seg.paragraphs) {
      if (!article.text.empty()) article.text += '\n';
      article.text += collapse_whitespace(p);
    }
    if (segment_index == 0) article.author = byline;
    if (article.text.empty()) article.warnings.push_back("headline without body text");
    out.articles.push_back(std::move(article));
    ++segment_index;
  }
  return out;
}

}  // namespace storyline::extract::detail
