// Private: bounds the nesting depth and text-run length of HTML before gumbo sees it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace storyline::extract::detail {

struct BoundedHtml {
  std::string html;
  bool flattened = false;  // tags nested deeper than the limit were removed
  bool text_cut = false;   // a text run longer than the limit was cut
};

// nullopt when `html` is within both limits (use it as is); else a rewritten copy.
std::optional<BoundedHtml> bound_html(std::string_view html, int max_depth,
                                      std::size_t max_text_run);

}  // namespace storyline::extract::detail
