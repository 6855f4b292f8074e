// Small UTF-8 and string helpers shared by the stages. Hot-path friendly: views in, no
// allocation unless the function returns a string.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace storyline {

// True when `bytes` is well-formed UTF-8.
bool is_valid_utf8(std::string_view bytes);

// Returns `bytes` with every ill-formed sequence replaced by U+FFFD and NUL bytes dropped.
// `replaced` (optional) receives the number of replacements.
std::string sanitize_utf8(std::string_view bytes, std::size_t* replaced = nullptr);

// ASCII whitespace trim (also strips U+00A0 no-break spaces at the ends).
std::string_view trim(std::string_view text);

// Lowercases ASCII letters only; other bytes unchanged.
std::string ascii_lower(std::string_view text);

// Splits on '\n' (dropping a trailing '\r'); views into `text`.
std::vector<std::string_view> split_lines(std::string_view text);

// Collapses runs of whitespace into one space and trims.
std::string collapse_whitespace(std::string_view text);

// Host of a URL ("https://www.example.com/a" -> "example.com", leading "www." dropped).
std::string url_host(std::string_view url);

}  // namespace storyline
