#include "cli/table.h"

#include <algorithm>

namespace storyline::cli {

std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80;
  return width;
}

std::string fit(const std::string& text, std::size_t width) {
  std::string out;
  out.reserve(text.size());
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool starts_point = (c & 0xC0) != 0x80;
    if (starts_point) {
      if (width && points + 1 > width && i < text.size()) {
        // Cut: drop the last code point to make room for the ellipsis.
        while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
        if (!out.empty()) out.pop_back();
        out += "…";
        return out;
      }
      ++points;
    }
    out += (c == '\n' || c == '\t' || c == '\r') ? ' ' : static_cast<char>(c);
  }
  return out;
}

Table::Table(std::vector<std::string> headers, std::vector<std::size_t> max_widths)
    : headers_(std::move(headers)), max_widths_(std::move(max_widths)) {
  max_widths_.resize(headers_.size(), 0);
}

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (std::size_t i = 0; i < cells.size(); ++i) cells[i] = fit(cells[i], max_widths_[i]);
  rows_.push_back(std::move(cells));
}

void Table::print(std::FILE* out) const {
  std::vector<std::size_t> widths(headers_.size());
  for (std::size_t i = 0; i < headers_.size(); ++i) widths[i] = display_width(headers_[i]);
  for (const auto& row : rows_)
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - display_width(row[i]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::fprintf(out, "%s\n", line.c_str());
  };
  print_row(headers_);
  std::vector<std::string> rule;
  for (std::size_t w : widths) rule.emplace_back(w, '-');
  print_row(rule);
  for (const auto& row : rows_) print_row(row);
}

}  // namespace storyline::cli
