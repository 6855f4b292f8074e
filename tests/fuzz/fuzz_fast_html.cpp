// libFuzzer target: arbitrary bytes through the fast HTML parser (src/extract/fast_html.h),
// checking its promises: every text and attribute value is valid UTF-8, node ids are in
// document order with consistent links and subtree ranges, depth stays bounded.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/text_util.h"
#include "extract/fast_html.h"

namespace fh = storyline::extract::fast_html;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static fh::Parser parser([] {
    fh::ParseOptions options;
    options.max_depth = 64;  // small bounds so the fuzzer reaches them
    options.max_nodes = 5000;
    options.keep_comments = true;
    return options;
  }());
  const fh::Document& doc =
      parser.parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (doc.root() == fh::kNoNode || doc.head() == fh::kNoNode || doc.body() == fh::kNoNode)
    __builtin_trap();
  for (fh::NodeId n = 1; n < doc.size(); ++n) {
    const fh::Node& node = doc.node(n);
    if (node.parent >= n || node.subtree_end <= n || node.subtree_end > doc.size())
      __builtin_trap();
    if (doc.subtree_end(node.parent) < node.subtree_end) __builtin_trap();
    if (node.prev_sibling != fh::kNoNode && doc.next_sibling(node.prev_sibling) != n)
      __builtin_trap();
    if (!storyline::is_valid_utf8(std::string(node.text))) __builtin_trap();
    for (const fh::Attribute& a : doc.attrs(n)) {
      if (!storyline::is_valid_utf8(std::string(a.name)) ||
          !storyline::is_valid_utf8(std::string(a.value)))
        __builtin_trap();
    }
  }
  return 0;
}
