// libFuzzer target: arbitrary text as an article body through the analyzer; every span it
// returns must lie inside the text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/text_util.h"
#include "understand/understand.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const storyline::understand::Analyzer analyzer;
  storyline::Article article;
  article.text = storyline::sanitize_utf8(
      std::string_view(reinterpret_cast<const char*>(data), size));
  article.published = "2025-04-26";
  const storyline::Analysis analysis = analyzer.run(article);
  const auto inside = [&](const storyline::Span& span) {
    return span.begin <= span.end && span.end <= article.text.size();
  };
  for (const auto& m : analysis.mentions)
    if (!inside(m.span)) __builtin_trap();
  for (const auto& q : analysis.quotes)
    if (!inside(q.span)) __builtin_trap();
  for (const auto& f : analysis.figures)
    if (!inside(f.span)) __builtin_trap();
  for (const auto& d : analysis.dates)
    if (!inside(d.span)) __builtin_trap();
  return 0;
}
