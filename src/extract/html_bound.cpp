// A byte-level pre-scan of HTML that keeps gumbo fast and safe. gumbo's tree construction is
// quadratic in nesting depth (100,000 nested <div>s take over a minute) and its cleanup
// recurses, so elements nested deeper than a limit are dropped (their text kept), and very
// long text runs are cut. This is a tokenizer, not a parser: it only needs to count depth
// well enough to bound it, and pages within the limits are passed through untouched.
#include "extract/html_bound.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

namespace storyline::extract::detail {

namespace {

// Elements that never hold children, or whose end tag is optional and which cannot nest in
// themselves: counting them would make ordinary pages look deep.
constexpr std::array<std::string_view, 36> kUncounted = {
    "area", "base",   "br",       "col",      "embed",   "hr",     "img",   "input", "link",
    "meta", "param",  "source",   "track",    "wbr",     "keygen", "p",     "li",    "dt",
    "dd",   "option", "optgroup", "tr",       "td",      "th",     "tbody", "thead", "tfoot",
    "rb",   "rt",     "rp",       "colgroup", "caption", "html",   "head",  "body",  "frame"};

// Elements whose content is raw text up to their end tag.
constexpr std::array<std::string_view, 8> kRawText = {"script", "style",   "textarea", "title",
                                                      "xmp",    "noembed", "noframes", "iframe"};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == ':' || c == '_';
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Case-insensitive search for "</name" from `from`; npos when absent.
std::size_t find_end_tag(std::string_view html, std::string_view name, std::size_t from) {
  while (true) {
    const std::size_t lt = html.find("</", from);
    if (lt == std::string_view::npos) return lt;
    bool match = lt + 2 + name.size() <= html.size();
    for (std::size_t k = 0; match && k < name.size(); ++k) {
      match = lower(html[lt + 2 + k]) == name[k];
    }
    if (match) return lt;
    from = lt + 2;
  }
}

// End of a tag starting at `lt` (one past '>'), honouring quoted attribute values.
std::size_t tag_end(std::string_view html, std::size_t from) {
  char quote = 0;
  for (std::size_t i = from; i < html.size(); ++i) {
    const char c = html[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return html.size();
}

struct Scanner {
  std::string_view html;
  int max_depth;
  std::size_t max_text_run;
  bool rewrite;  // second pass: build `out`
  std::string out;
  int max_seen_depth = 0;
  std::size_t longest_run = 0;
  bool flattened = false;
  bool text_cut = false;

  void emit(std::size_t begin, std::size_t end) {
    if (rewrite) out.append(html.data() + begin, end - begin);
  }

  void emit_text(std::size_t begin, std::size_t end) {
    const std::size_t len = end - begin;
    longest_run = std::max(longest_run, len);
    if (len <= max_text_run) {
      emit(begin, end);
      return;
    }
    text_cut = true;
    std::size_t cut = begin + max_text_run;
    // Do not split a UTF-8 sequence.
    while (cut > begin && (static_cast<unsigned char>(html[cut]) & 0xC0) == 0x80) --cut;
    emit(begin, cut);
  }

  void run() {
    int depth = 0;
    std::size_t i = 0, text_start = 0;
    std::string name;
    while (i < html.size()) {
      const std::size_t lt = html.find('<', i);
      if (lt == std::string_view::npos) break;
      if (lt + 1 >= html.size()) {
        i = lt + 1;
        continue;
      }
      const char next = html[lt + 1];
      if (html.compare(lt, 4, "<!--") == 0) {
        emit_text(text_start, lt);
        std::size_t end = html.find("-->", lt + 4);
        end = end == std::string_view::npos ? html.size() : end + 3;
        emit(lt, end);
        i = text_start = end;
        continue;
      }
      if (next == '!' || next == '?') {
        emit_text(text_start, lt);
        const std::size_t end = tag_end(html, lt + 2);
        emit(lt, end);
        i = text_start = end;
        continue;
      }
      const bool closing = next == '/';
      const std::size_t name_start = lt + (closing ? 2 : 1);
      if (name_start >= html.size() || !is_alpha(html[name_start])) {
        i = lt + 1;  // a '<' in text
        continue;
      }
      emit_text(text_start, lt);
      std::size_t name_end = name_start;
      name.clear();
      while (name_end < html.size() && is_name_char(html[name_end]) && name.size() < 32) {
        name += lower(html[name_end]);
        ++name_end;
      }
      const std::size_t end = tag_end(html, name_end);
      const bool self_closing = end >= 2 && html[end - 2] == '/' && !closing;
      const bool counted =
          std::find(kUncounted.begin(), kUncounted.end(), name) == kUncounted.end();
      bool keep = true;
      if (counted && !self_closing) {
        if (closing) {
          keep = depth <= max_depth;
          depth = std::max(0, depth - 1);
        } else {
          ++depth;
          max_seen_depth = std::max(max_seen_depth, depth);
          keep = depth <= max_depth;
        }
      }
      if (keep) {
        emit(lt, end);
      } else {
        flattened = true;
        if (rewrite) out += ' ';  // the tag may have separated two words
      }
      i = text_start = end;
      if (!closing && !self_closing &&
          std::find(kRawText.begin(), kRawText.end(), name) != kRawText.end()) {
        // Raw text: copied as is (its size counts as a text run).
        const std::size_t close = find_end_tag(html, name, end);
        const std::size_t stop = close == std::string_view::npos ? html.size() : close;
        emit_text(end, stop);
        i = text_start = stop;
        if (close != std::string_view::npos) {
          const std::size_t close_end = tag_end(html, close + 2);
          if (counted) depth = std::max(0, depth - 1);
          if (keep) emit(close, close_end);
          i = text_start = close_end;
        }
      }
    }
    emit_text(text_start, html.size());
  }
};

}  // namespace

std::optional<BoundedHtml> bound_html(std::string_view html, int max_depth,
                                      std::size_t max_text_run) {
  Scanner probe{html, max_depth, max_text_run, false, {}};
  probe.run();
  if (probe.max_seen_depth <= max_depth && probe.longest_run <= max_text_run) return std::nullopt;
  Scanner writer{html, max_depth, max_text_run, true, {}};
  writer.out.reserve(std::min(html.size(), max_text_run * 4 + 1024));
  writer.run();
  return BoundedHtml{std::move(writer.out), writer.flattened, writer.text_cut};
}

}  // namespace storyline::extract::detail
