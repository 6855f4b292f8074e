// Scraped plain text: one paragraph a line, page furniture mixed in, sometimes several stories
// on one page. Lines are classified by the rules in text_rules.cpp; this file only decides the
// structure (headline, segments, datelines).
#include <algorithm>
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
  std::vector<std::string_view> lines;  // the paragraphs as on the page (kicker, dateline kept)
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
  // Every non-empty line of the page, and whether the line rules call it furniture.
  std::vector<std::string_view> lines;
  std::vector<bool> furniture;
  std::size_t dropped = 0;
  std::string byline;
  for (std::string_view line : split_lines(text)) {
    line = trim(line);
    if (line.empty()) continue;
    bool drop = false;
    if (is_boilerplate_line(line)) {
      drop = true;
    } else if (is_byline_or_stamp(line)) {
      if (byline.empty() && ascii_lower(line.substr(0, 3)) == "by ") byline = clean_byline(line);
      drop = true;
    }
    dropped += drop ? 1 : 0;
    lines.push_back(line);
    furniture.push_back(drop);
  }
  std::vector<std::size_t> content_lines;  // indices into `lines`
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!furniture[i]) content_lines.push_back(i);
  }
  if (content_lines.empty()) {
    out.warnings.push_back(dropped ? "no story text: every line was page furniture"
                                   : "no text on the page");
    return out;
  }

  // The headline: the caller's title when the page repeats it, else a short first line that
  // does not read like a sentence (and is followed by something).
  std::string_view title;
  std::size_t first = 0;
  const std::string given_title = collapse_whitespace(page.title);
  const std::string_view top = lines[content_lines[0]];
  if (!given_title.empty() && same_text(collapse_whitespace(top), given_title)) {
    title = top;
    first = 1;
  } else if (content_lines.size() >= 2 && looks_like_headline(top) && !split_kicker(top) &&
             !split_dateline(top)) {
    title = top;
    first = 1;
  }

  // The story's lines: the main run of story-like lines after the headline (menus, teasers,
  // footers and comments around it left out), furniture removed. A page without any
  // story-like line keeps all its content lines.
  std::vector<std::string_view> content;
  if (first == 1) content.push_back(title);
  const std::size_t from = first == 1 ? content_lines[0] + 1 : 0;
  const std::vector<bool> main = select_main_lines(lines, from);
  const bool found = std::find(main.begin(), main.end(), true) != main.end();
  for (std::size_t k = first; k < content_lines.size(); ++k) {
    const std::size_t i = content_lines[k];
    if (!found || main[i]) content.push_back(lines[i]);
  }
  if (content.size() == first) {
    for (std::size_t k = first; k < content_lines.size(); ++k)
      content.push_back(lines[content_lines[k]]);
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
    seg.lines.push_back(line);
    previous_cut = is_cut_off(body);
    seg.truncated = previous_cut;
  }

  // A story on a multi-story page is a single cut-off paragraph (a teaser, as on a front page).
  // A longer run that was split off (by a label such as "UPDATE:", or after a list item
  // without a full stop) continues the story before it: put it back, as written.
  std::vector<Segment> merged;
  for (Segment& seg : segments) {
    const bool teaser = seg.paragraphs.size() == 1 && seg.truncated;
    const bool previous_teaser =
        !merged.empty() && merged.back().paragraphs.size() == 1 && merged.back().truncated;
    if (merged.empty() || teaser || previous_teaser) {
      merged.push_back(std::move(seg));
      continue;
    }
    Segment& previous = merged.back();
    for (std::string_view line : seg.lines) {
      previous.paragraphs.push_back(line);
      previous.lines.push_back(line);
    }
    previous.truncated = seg.truncated;
  }
  segments = std::move(merged);

  // The page's main story is its longest segment; it comes first (segment 0), the others
  // follow in reading order. A page opening with a short item before the story (a cut-off
  // teaser, a labelled notice) keeps its headline on the story.
  std::size_t main_segment = 0, main_size = 0;
  for (std::size_t s = 0; s < segments.size(); ++s) {
    std::size_t size = 0;
    for (std::string_view p : segments[s].paragraphs) size += p.size();
    if (size > main_size) {
      main_size = size;
      main_segment = s;
    }
  }
  if (main_segment != 0) {
    if (segments[main_segment].title.empty())
      std::swap(segments[0].title, segments[main_segment].title);
    std::rotate(segments.begin(), segments.begin() + static_cast<std::ptrdiff_t>(main_segment),
                segments.begin() + static_cast<std::ptrdiff_t>(main_segment) + 1);
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
