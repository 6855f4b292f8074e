// Feed readers: RSS 0.9x/1.0/2.0, Atom 0.3/1.0 (libxml2, see xml_util.h for the safety rules)
// and JSON Feed 1.x. Internal to src/ingest (used by Reader and ingest_dump).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace storyline::ingest {

struct FeedItem {
  std::string title;
  std::string link;
  std::string id;
  std::string published;  // as written
  std::string updated;    // as written
  std::string author;
  std::string summary;  // description / summary (HTML or text)
  std::string content;  // content:encoded / atom content / content_html|content_text
};

struct Feed {
  std::string version;  // "rss20", "rss10", "rss090", "rss091", "rss092", "atom10", "atom03",
                        // "json1", or "rss"/"atom" when unsure
  std::string title;
  std::string link;
  std::string language;
  std::string subtitle;
  std::vector<FeedItem> items;
  bool well_formed = true;  // false: read in recover mode (the warning says why)
  std::vector<std::string> warnings;
};

// True when the first element of `bytes` is a feed root (rss, rdf:RDF, feed, channel).
bool looks_like_xml_feed(std::string_view bytes);

// Parses an RSS or Atom document. Fails only when nothing feed-like can be recovered.
Result<Feed> parse_xml_feed(std::string_view bytes);

// Parses a JSON Feed document (its "version" names jsonfeed.org).
Result<Feed> parse_json_feed(std::string_view bytes);

// The item's body when it is a whole article (long enough once tags are dropped), else empty.
std::string_view article_body(const FeedItem& item);

}  // namespace storyline::ingest
