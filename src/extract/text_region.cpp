// The main story of a scraped page rendered as lines: menus, teasers, footers and comments
// come as lines too, so the story is found as the densest run of sentence-like lines
// (boilerpipe's shallow text features and jusText's length/punctuation classes, scored as a
// maximum-sum run). Every feature is language-neutral: length in words (CJK characters
// counted as half words), sentence punctuation, the share of capitalised words, repeats.
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/text_util.h"
#include "extract/extract_internal.h"
#include "extract/lexicon.h"

namespace storyline::extract::detail {

namespace {

// A line of at least this many words that ends a sentence is story text.
constexpr double kGoodMinUnits = 8;
// A line this long is story text even without a sentence end (a paragraph cut off, a list).
constexpr double kLongUnits = 30;
// Below this many words a line is a label, a menu entry or a counter.
constexpr double kShortUnits = 5;
// Weight of a story line: its length, capped so one huge block (a comment, a legal notice)
// cannot outweigh a whole story of normal paragraphs.
constexpr double kGoodCap = 40;
// Cost of each non-story line inside a run: menus between two blocks of prose split them.
constexpr double kShortCost = 5;
constexpr double kMediumCost = 10;
// Capitalised-word share from which a line reads as a headline or a teaser title.
constexpr double kTitleCaseShare = 0.7;
// Story lines after a comment-section heading count this much less (per heading): readers'
// comments are prose too, and the story comes before them.
constexpr double kCommentZoneFactor = 0.2;
// Lines without story text in a row that separate blocks of the run, and the share of story
// lines a block beside the story's core needs to join it (see trim_sparse_blocks).
constexpr std::size_t kGapLines = 4;
constexpr double kMinBlockDensity = 0.5;
// Up to this many short lines after a story line ending in ':' are the list it announces,
// each worth a little (so a list that ends the story is kept). A line ending in ':' needs
// kMinAnnouncingUnits words to be a story line ("Jane on May 3 said:" is a label).
constexpr int kMaxAnnouncedItems = 30;
constexpr double kMinAnnouncingUnits = 15;
constexpr double kListItemValue = 1;
// Weight of a story line without a story line next to it (see select_main_lines).
constexpr double kLoneLineFactor = 0.5;
// Weight of story text before the first comment heading that settles the story there.
constexpr double kMinStoryBeforeComments = 40;
// A comment heading with a count may carry the story's title: "12 comments on “...”".
constexpr double kMaxCountedHeadingUnits = 20;
// Story lines before the headline's repetition in the page (the page's <h1>) count this much
// less: what comes before the headline is navigation and teasers.
constexpr double kBeforeHeadlineFactor = 0.3;
// A line repeats the headline when this share of its words is in the page title and it holds
// at least this share of the title's words.
constexpr double kHeadlineWordsIn = 0.8;
constexpr double kHeadlineCoverage = 0.5;

// Rows numbered in sequence (1, 2, 3, ... or "1a", "2a", ...) right after the headline or a
// story line are the story's own table (standings, a calendar, results); each row is worth up
// to kMaxRowUnits (see mark_numbered_rows).
constexpr std::size_t kMaxRowsAfterAnchor = 8;
constexpr std::size_t kMinNumberedRows = 5;
constexpr std::size_t kMinRowsAfterStory = 10;
constexpr double kMaxRowUnits = 8;

enum class LineClass { kGood, kShort, kMedium, kRepeat, kCommentHeading };

UChar32 decode_at(std::string_view s, std::size_t& i) {
  UChar32 c = 0;
  int32_t pos = static_cast<int32_t>(i);
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), pos, static_cast<int32_t>(s.size()), c);
  i = static_cast<std::size_t>(pos);
  return c < 0 ? 0xFFFD : c;
}

bool is_space_byte(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Scripts written without spaces between words.
bool is_unspaced_script(UChar32 c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x0E00 && c <= 0x0E7F);
}

struct LineFeatures {
  double units = 0;  // words, CJK characters counted as half a word
  bool sentence_end = false;
  bool ellipsis = false;   // ends with "..." or "…"
  bool announces = false;  // ends with ':'
  double title_case = 0;   // share of capitalised words among words starting with a letter
};

LineFeatures features(std::string_view line) {
  LineFeatures f;
  std::size_t words = 0, unspaced = 0, alpha_words = 0, capital_words = 0;
  bool in_word = false;
  UChar32 last = 0, last_non_closing = 0, before_last = 0;
  for (std::size_t i = 0; i < line.size();) {
    const bool space = is_space_byte(line[i]);
    const UChar32 c = decode_at(line, i);
    if (space) {
      in_word = false;
      continue;
    }
    if (!in_word) {
      in_word = true;
      ++words;
      if (u_isalpha(c)) {
        ++alpha_words;
        if (u_isupper(c) || u_istitle(c)) ++capital_words;
      }
    }
    if (is_unspaced_script(c)) ++unspaced;
    last = c;
    // Closing quotes and brackets after the full stop: "... he said.”
    if (!(c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019 ||
          c == 0x00BB || c == 0x300D)) {
      before_last = last_non_closing;
      last_non_closing = c;
    }
  }
  (void)last;
  f.units = static_cast<double>(words) + static_cast<double>(unspaced) / 2.0;
  switch (last_non_closing) {
    case '.':
    case '!':
    case '?':
    case 0x3002:  // 。
    case 0xFF01:  // ！
    case 0xFF1F:  // ？
    case 0x06D4:  // ۔
      f.sentence_end = true;
      break;
    case ':':
    case 0xFF1A:  // ：
      // "... the offers are these:" announces a list or a quotation that belongs to the story;
      // a short line ending so is a label ("Related coverage:", "Jane on May 3 said:").
      f.announces = true;
      break;
    default:
      break;
  }
  // "...", "…" and "[…]" close a teaser cut off by the page, not a sentence.
  if (last_non_closing == 0x2026 || (last_non_closing == '.' && before_last == '.')) {
    f.sentence_end = false;
    f.ellipsis = true;
  }
  if (f.announces && f.units >= kMinAnnouncingUnits) f.sentence_end = true;
  if (alpha_words >= 4)
    f.title_case = static_cast<double>(capital_words) / static_cast<double>(alpha_words);
  return f;
}

// "Comments", "[ 167 comments ]", "Leave a Reply:", "Kommentare (3)".
// A count in front allows the title after the heading word: "34 responses to “Headline”",
// "3 Kommentare zu „…“". Two-word headings also match as a prefix, for the button printed
// next to them ("Leave a Reply Cancel reply").
bool is_comment_heading(std::string_view line, double units, bool sentence_end) {
  const bool counted = !line.empty() && line.front() >= '0' && line.front() <= '9';
  if (counted ? (units > kMaxCountedHeadingUnits || sentence_end) : units > 6) return false;
  if (line.size() > (counted ? 400 : 80)) return false;
  std::string lower;
  lower.reserve(line.size());
  for (std::size_t i = 0; i < line.size();) {
    const UChar32 c = u_tolower(decode_at(line, i));
    char buf[4];
    int32_t n = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, c, error);
    if (!error) lower.append(buf, static_cast<std::size_t>(n));
  }
  std::string_view t = lower;
  auto strip_edge = [](char c) {
    return c == '[' || c == ']' || c == '(' || c == ')' || c == ':' || c == ' ' || c == '#' ||
           (c >= '0' && c <= '9');
  };
  while (!t.empty() && strip_edge(t.front())) t.remove_prefix(1);
  while (!t.empty() && strip_edge(t.back())) t.remove_suffix(1);
  for (std::string_view heading : lexicon::kCommentSectionHeadings) {
    if (t == heading) return true;
    const bool prefix = counted || heading.find(' ') != std::string_view::npos;
    if (prefix && t.size() > heading.size() && t.starts_with(heading) && t[heading.size()] == ' ')
      return true;
  }
  if (counted) {
    for (std::string_view heading : lexicon::kCountedCommentHeadings) {
      if (t.size() > heading.size() && t.starts_with(heading) && t[heading.size()] == ' ')
        return true;
    }
  }
  return false;
}

// "Facebook / Twitter / Comments / Print / Email": a comment heading between two sharing
// buttons is the share bar's link to the comments, above the story, not their heading.
bool in_share_bar(const std::vector<std::string_view>& lines, std::size_t from, std::size_t i) {
  return i > from && i + 1 < lines.size() && is_boilerplate_line(lines[i - 1]) &&
         is_boilerplate_line(lines[i + 1]);
}

// Lowercased \w-like tokens of a line (letters and digits), for headline matching.
void word_tokens(std::string_view line, std::vector<std::string>& out) {
  out.clear();
  std::string token;
  for (std::size_t i = 0; i <= line.size();) {
    UChar32 c = ' ';
    if (i < line.size()) {
      c = decode_at(line, i);
    } else {
      ++i;
    }
    if (u_isalnum(c)) {
      c = u_tolower(c);
      char buf[4];
      int32_t n = 0;
      UBool error = false;
      U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, c, error);
      if (!error) token.append(buf, static_cast<std::size_t>(n));
    } else if (!token.empty()) {
      out.push_back(std::move(token));
      token.clear();
    }
  }
}

// Index of the first line after `from` that repeats the page title (the first line), or npos.
std::size_t find_headline(const std::vector<std::string_view>& lines, std::size_t from) {
  if (lines.empty()) return std::string_view::npos;
  std::vector<std::string> title;
  word_tokens(lines[0], title);
  std::sort(title.begin(), title.end());
  title.erase(std::unique(title.begin(), title.end()), title.end());
  if (title.size() < 3) return std::string_view::npos;
  std::vector<std::string> tokens;
  for (std::size_t i = std::max<std::size_t>(from, 1); i < lines.size(); ++i) {
    const std::size_t words = word_count(lines[i]);
    if (words < 3 || words > title.size() + 2) continue;
    word_tokens(lines[i], tokens);
    if (tokens.size() < 3) continue;
    std::size_t in_title = 0;
    for (const std::string& t : tokens) {
      if (std::binary_search(title.begin(), title.end(), t)) ++in_title;
    }
    std::sort(tokens.begin(), tokens.end());
    const std::size_t distinct =
        static_cast<std::size_t>(std::unique(tokens.begin(), tokens.end()) - tokens.begin());
    if (static_cast<double>(in_title) >= kHeadlineWordsIn * static_cast<double>(tokens.size()) &&
        static_cast<double>(distinct) >= kHeadlineCoverage * static_cast<double>(title.size())) {
      return i;
    }
  }
  return std::string_view::npos;
}

// The run split into blocks of content lines (positive score) at gaps of kGapLines or more
// lines without content: the heaviest dense block is the story's core, and blocks after it join
// only while at least half of their lines are content. A list of teasers (title, author,
// date, one story line) or a discussion after a block of tags and share buttons is positive
// in sum but sparse, while the story's own paragraphs come close together. Blocks before the
// core stay: a list article (item, shop link, one paragraph) ends in its densest block.
//
// Blocks before the headline's repetition go when the core comes after it: teasers in the
// menu above the headline are discounted but can still carry the run up to the story.
void trim_sparse_blocks(const std::vector<double>& score, std::size_t headline, std::size_t& begin,
                        std::size_t& end) {
  struct Block {
    std::size_t begin, end;  // first and one past the last content line
    std::size_t content = 0;
    double weight = 0;
  };
  std::vector<Block> blocks;
  std::size_t empty_run = 0;
  for (std::size_t i = begin; i < end; ++i) {
    if (score[i] <= 0) {
      ++empty_run;
      continue;
    }
    if (blocks.empty() || empty_run >= kGapLines) blocks.push_back({i, i + 1});
    Block& b = blocks.back();
    b.end = i + 1;
    ++b.content;
    b.weight += score[i];
    empty_run = 0;
  }
  if (blocks.size() < 2) return;
  auto dense = [&](const Block& b) {
    return static_cast<double>(b.content) >=
           kMinBlockDensity * static_cast<double>(b.end - b.begin);
  };
  // The core: the heaviest dense block (the heaviest of all when none is dense).
  std::size_t core = 0;
  for (std::size_t k = 1; k < blocks.size(); ++k) {
    const bool better_density = dense(blocks[k]) && !dense(blocks[core]);
    const bool same_density = dense(blocks[k]) == dense(blocks[core]);
    if (better_density || (same_density && blocks[k].weight > blocks[core].weight)) core = k;
  }
  std::size_t last = core;
  // Single story lines spaced by gaps, one after another, are a list of teasers (label,
  // title, lede, ...), each "dense" on its own: the run stops at the first of two in a row.
  auto spaced_single = [&](std::size_t k) {
    return k < blocks.size() && blocks[k].content == 1 && k + 1 < blocks.size() &&
           blocks[k + 1].content == 1;
  };
  while (last + 1 < blocks.size() && dense(blocks[last + 1]) && !spaced_single(last + 1)) ++last;
  if (last + 1 < blocks.size()) end = blocks[last].end;
  if (headline != std::string_view::npos && headline < blocks[core].begin) {
    std::size_t first = 0;
    while (first < core && blocks[first].begin < headline) ++first;
    begin = std::max(begin, blocks[first].begin);
  }
}

// The number a line starts with ("12 Kyle ...", "3a etapa", "4) ..."), or -1.
long leading_number(std::string_view line) {
  long n = 0;
  std::size_t i = 0;
  for (; i < line.size() && i < 6 && line[i] >= '0' && line[i] <= '9'; ++i)
    n = n * 10 + (line[i] - '0');
  if (i == 0 || i == 6 || (i < line.size() && line[i] >= '0' && line[i] <= '9')) return -1;
  return n;
}

// The story's table: a run of rows numbered in sequence that starts within
// kMaxRowsAfterAnchor lines of the headline's repetition (at least kMinNumberedRows rows) or
// of a story line (at least kMinRowsAfterStory rows: a short "most read 1-5" list after a
// story stays out). Its rows are short lines like a menu's, so they get a value of their own;
// numbered rows in sequence are rare in menus, which also do not sit right under the story.
void mark_numbered_rows(const std::vector<std::string_view>& lines,
                        const std::vector<LineClass>& classes, std::size_t from,
                        std::size_t headline, std::vector<double>& score) {
  for (std::size_t start = from; start < lines.size();) {
    long expect = leading_number(lines[start]);
    if (expect < 0) {
      ++start;
      continue;
    }
    std::size_t end = start;
    while (end < lines.size() && leading_number(lines[end]) == expect) {
      ++end;
      ++expect;
    }
    const std::size_t rows = end - start;
    if (rows >= kMinNumberedRows) {
      bool anchored = false;
      for (std::size_t k = start; k-- > from && start - k <= kMaxRowsAfterAnchor && !anchored;) {
        anchored =
            (k == headline) || (classes[k] == LineClass::kGood && rows >= kMinRowsAfterStory);
      }
      if (anchored) {
        for (std::size_t i = start; i < end; ++i)
          score[i] = std::max(score[i], std::min(features(lines[i]).units, kMaxRowUnits));
      }
    }
    start = std::max(end, start + 1);
  }
}

}  // namespace

std::vector<bool> select_main_lines(const std::vector<std::string_view>& lines, std::size_t from) {
  std::vector<bool> keep(lines.size(), false);
  if (from >= lines.size()) return keep;
  std::unordered_map<std::string_view, int> seen;
  for (std::size_t i = from; i < lines.size(); ++i) ++seen[lines[i]];

  std::vector<LineClass> classes(lines.size(), LineClass::kShort);
  std::vector<bool> announcing(lines.size(), false);  // ends with ':'
  std::vector<double> score(lines.size(), 0.0);
  const std::size_t headline = find_headline(lines, from);
  double zone = 1.0;
  // A comment heading counts only once the story has begun (at the headline's repetition, or
  // at the first story-like line when the page does not repeat its title): before that it is
  // an entry of the site's menu ("Comment" as a section of an opinion site).
  bool story_begun = false;
  int list_left = 0;  // entries still allowed in a list announced by a story line
  for (std::size_t i = from; i < lines.size(); ++i) {
    const LineFeatures f = features(lines[i]);
    announcing[i] = f.announces;
    if (headline != std::string_view::npos && i >= headline) story_begun = true;
    LineClass cls;
    if (story_begun && is_comment_heading(lines[i], f.units, f.sentence_end) &&
        !in_share_bar(lines, from, i)) {
      cls = LineClass::kCommentHeading;
    } else if (seen[lines[i]] > 1) {
      cls = LineClass::kRepeat;
    } else if (f.ellipsis) {
      // An excerpt cut off with "…": a teaser of another page, however long.
      cls = f.units < kShortUnits ? LineClass::kShort : LineClass::kMedium;
    } else if (f.units >= kLongUnits ||
               (f.units >= kGoodMinUnits && f.sentence_end && f.title_case < kTitleCaseShare)) {
      cls = LineClass::kGood;
    } else if (f.units < kShortUnits) {
      cls = LineClass::kShort;
    } else {
      cls = LineClass::kMedium;
    }
    classes[i] = cls;
    // The entries of a list announced by a story line ("The offers:") are part of the story
    // however short they are, up to the next story line or a line the page repeats (its menu).
    if (cls == LineClass::kGood) {
      list_left = f.announces ? kMaxAnnouncedItems : 0;
    } else if (cls == LineClass::kRepeat || cls == LineClass::kCommentHeading) {
      list_left = 0;
    } else if (list_left > 0 && (cls == LineClass::kShort || cls == LineClass::kMedium)) {
      --list_left;
      score[i] = kListItemValue * zone;
      continue;
    }
    switch (cls) {
      case LineClass::kGood: {
        if (headline == std::string_view::npos) story_begun = true;
        double value = std::min(f.units, kGoodCap) * zone;
        if (headline != std::string_view::npos && i < headline) value *= kBeforeHeadlineFactor;
        score[i] = value;
        break;
      }
      case LineClass::kShort:
        score[i] = -kShortCost;
        break;
      case LineClass::kMedium:
        score[i] = -kMediumCost;
        break;
      case LineClass::kRepeat:
        score[i] = 0;
        break;
      case LineClass::kCommentHeading:
        // A run never crosses into the comments.
        score[i] = -1e9;
        zone *= kCommentZoneFactor;
        break;
    }
  }

  // A story line standing alone between lines of furniture is an entry of a list of teasers
  // (title, story line, title, ...) or a reader's comment between its name and date lines:
  // the story itself comes in runs of paragraphs. Repeated lines are looked through.
  for (std::size_t i = from; i < lines.size(); ++i) {
    if (classes[i] != LineClass::kGood) continue;
    auto good_neighbour = [&](std::size_t j, int step) {
      while (j >= from && j < lines.size() && classes[j] == LineClass::kRepeat) j += step;
      return j >= from && j < lines.size() && classes[j] == LineClass::kGood;
    };
    if (!good_neighbour(i - 1, -1) && !good_neighbour(i + 1, 1)) score[i] *= kLoneLineFactor;
  }

  mark_numbered_rows(lines, classes, from, headline, score);

  // Maximum-sum run (Kadane) over [from, end).
  double best = 0;
  std::size_t best_begin = 0, best_end = 0;
  auto max_run = [&](std::size_t end) {
    double current = 0;
    std::size_t begin = from;
    best = 0;
    best_begin = best_end = 0;
    for (std::size_t i = from; i < end; ++i) {
      if (current <= 0) {
        current = 0;
        begin = i;
      }
      current += score[i];
      if (current > best) {
        best = current;
        best_begin = begin;
        best_end = i + 1;
      }
    }
  };
  // A story of at least a paragraph before the comments is the story, however long the
  // discussion below it.
  const auto heading = std::find(classes.begin() + static_cast<std::ptrdiff_t>(from), classes.end(),
                                 LineClass::kCommentHeading);
  max_run(static_cast<std::size_t>(heading - classes.begin()));
  if (best < kMinStoryBeforeComments) max_run(lines.size());
  if (best_end == 0) return keep;
  trim_sparse_blocks(score, headline, best_begin, best_end);

  // A repeated line belongs to the story only when every copy lies inside it (a sub-heading
  // used twice); otherwise it is a caption, a teaser or a menu shown twice.
  std::unordered_map<std::string_view, int> inside;
  for (std::size_t i = best_begin; i < best_end; ++i) ++inside[lines[i]];
  // Inside the run, a stretch of kGapLines or more lines without story text, half of them of
  // medium length, is a list of headlines set into the story ("Most read", "Don't miss"), not
  // part of it. Menus of short words are left to the run; a stretch announced by a line ending
  // in ':' is the story's own list.
  std::vector<bool> in_gap(lines.size(), false);
  for (std::size_t i = best_begin; i < best_end;) {
    if (score[i] > 0) {
      ++i;
      continue;
    }
    std::size_t j = i, medium = 0;
    bool announced = i > 0 && announcing[i - 1];
    for (; j < best_end && score[j] <= 0; ++j) {
      medium += classes[j] == LineClass::kMedium ? 1 : 0;
      announced = announced || announcing[j];
    }
    if (j - i >= kGapLines && medium * 2 >= j - i && !announced)
      for (std::size_t k = i; k < j; ++k) in_gap[k] = true;
    i = j;
  }
  for (std::size_t i = best_begin; i < best_end; ++i) {
    if (classes[i] == LineClass::kCommentHeading || in_gap[i]) continue;
    if (classes[i] == LineClass::kRepeat && inside[lines[i]] != seen[lines[i]]) continue;
    keep[i] = true;
  }
  return keep;
}

}  // namespace storyline::extract::detail
