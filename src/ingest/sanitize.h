// HTML in feed fields, cleaned the way feed readers clean it (feedparser's rules, the reference
// the peers' test suites check): markup is re-serialised tag by tag, elements outside a
// whitelist are dropped (script, applet and style with their content), attributes outside a
// whitelist are dropped (event handlers), style attributes keep only safe CSS, links with
// unsafe schemes (javascript:) are emptied, relative URLs are resolved against a base, and
// inline SVG/MathML keep their own vocabularies. Internal to src/ingest (used by feed.cpp).
//
// The scanner is a single forward pass over the text (no recursion, no backtracking), so
// any input, however broken, costs linear time.
#pragma once

#include <string>
#include <string_view>

namespace storyline::ingest {

// `html` as cleaned HTML. `base` (may be empty) resolves relative URLs in href/src/...;
// `xhtml` reads "<x ... />" as an empty element (inline XHTML content).
std::string sanitize_html(std::string_view html, std::string_view base, bool xhtml);

// True when text declared (or presumed) plain looks like HTML after all: it has an end tag
// or a character reference, every tag is a whitelisted element and every named reference is
// an HTML one. RSS titles and other plain-by-default fields are read as HTML then.
bool looks_like_html(std::string_view text);

// `url` when its scheme is safe to follow (http, https, mailto, ... or none), else empty.
std::string safe_url(std::string_view url);

}  // namespace storyline::ingest
