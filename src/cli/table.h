// Plain-text tables for the CLI's human-readable output.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace storyline::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers, std::vector<std::size_t> max_widths = {});
  void add_row(std::vector<std::string> cells);
  void print(std::FILE* out) const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> headers_;
  std::vector<std::size_t> max_widths_;  // in code points; 0 = unbounded
  std::vector<std::vector<std::string>> rows_;
};

// Number of code points in UTF-8 text (display width approximation).
std::size_t display_width(const std::string& text);
// Cuts to at most `width` code points, ending in "…" when cut; newlines become spaces.
std::string fit(const std::string& text, std::size_t width);

}  // namespace storyline::cli
