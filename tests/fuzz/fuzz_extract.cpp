// libFuzzer target: arbitrary bytes as an HTML page and as a scraped-text page through the
// extractor. Build: cmake -DSTORYLINE_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ (see tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/text_util.h"
#include "extract/extract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const storyline::extract::Extractor extractor;
  storyline::Page page;
  page.id = "fuzz";
  page.origin = "fuzz";
  page.content.assign(reinterpret_cast<const char*>(data), size);
  for (auto format : {storyline::PageFormat::kHtml, storyline::PageFormat::kText,
                      storyline::PageFormat::kUnknown}) {
    page.format = format;
    auto output = extractor.run(page);
    if (output) {
      for (const auto& article : output->articles) {
        // The extractor promises valid UTF-8 out, whatever came in.
        if (!storyline::is_valid_utf8(article.text) || !storyline::is_valid_utf8(article.title))
          __builtin_trap();
      }
    }
  }
  return 0;
}
