// extract: a Page in, clean Articles out.
//
//   extract::Extractor extractor;
//   Result<extract::Output> out = extractor.run(page);
//   for (const Article& a : out->articles) ...
//
// HTML: parsed with gumbo; the main content found by scoring blocks (text density, link
// density, paragraph structure, class/id hints), metadata from <title>, og:*, JSON-LD, <time>,
// meta author / bylines. Scraped plain text: boilerplate lines removed (social counters, tag
// lines, login prompts, photo credits, a repeated headline), headline and dateline detected, and
// a page holding several stories split into one Article each (kicker-led teasers, stories cut
// off mid-sentence flagged `truncated`). Language from cld2.
// Thread-safety: an Extractor is immutable after construction; run() may be called from many
// threads at once.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/document.h"
#include "common/result.h"

namespace storyline::extract {

struct Options {
  std::size_t max_page_bytes = std::size_t{64} << 20;  // bigger pages: Error kTooLarge
  int max_depth = 400;        // deeper HTML subtrees are flattened, with a warning
  bool split_stories = true;  // split scraped pages holding several stories
};

struct Output {
  std::vector<Article> articles;      // segment 0 first; empty only with a warning
  std::vector<std::string> warnings;  // page-level best-effort notes
};

class Extractor {
 public:
  explicit Extractor(Options options = {});
  [[nodiscard]] Result<Output> run(const Page& page) const;

 private:
  Options options_;
};

// ISO 639-1 code of `text`'s language ("en"), or "un" when cld2 is not reliable.
std::string detect_language(const std::string& text);

}  // namespace storyline::extract
