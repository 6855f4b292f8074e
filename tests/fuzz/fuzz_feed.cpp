// libFuzzer target: arbitrary bytes through the RSS/Atom reader (libxml2, no network, no entity
// substitution), the JSON Feed reader, the sitemap reader and the HTML sanitizer of feed
// fields.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/feed.h"
#include "ingest/sanitize.h"
#include "ingest/sitemap.h"

using namespace storyline::ingest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto feed = parse_xml_feed(bytes)) {
    for (const FeedItem& item : feed->items) (void)article_body(item);
  }
  (void)parse_json_feed(bytes);
  (void)parse_sitemap(bytes);
  (void)looks_like_xml_feed(bytes);
  (void)looks_like_sitemap(bytes);
  (void)sanitize_html(bytes, "https://fuzz.example/a/", false);
  (void)sanitize_html(bytes, "", true);
  (void)looks_like_html(bytes);
  return 0;
}
