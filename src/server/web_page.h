// The single self-contained HTML page served at "/" (inline CSS and JS, no external resources).
#pragma once

#include <string_view>

namespace storyline::server {

std::string_view web_page();

}  // namespace storyline::server
