// Sitemap reader: <urlset>, <sitemapindex> and the Google News extension, lenient about
// namespaces (crawlers meet many wrong ones). Reading a sitemap never fetches what it points
// to, so an index cannot loop. Internal to src/ingest.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace storyline::ingest {

struct SitemapUrl {
  std::string loc;
  std::string lastmod;
  std::string changefreq;
  std::string priority;
  // Google News (<news:news>).
  std::string news_name;
  std::string news_language;
  std::string news_publication_date;
  std::string news_title;
};

struct Sitemap {
  std::string type;              // "urlset" or "sitemapindex"
  std::vector<SitemapUrl> urls;  // pages (urlset) or child sitemaps (index)
  bool well_formed = true;
  std::vector<std::string> warnings;
};

// True when the first element of `bytes` is <urlset> or <sitemapindex> (any prefix).
bool looks_like_sitemap(std::string_view bytes);

Result<Sitemap> parse_sitemap(std::string_view bytes);

}  // namespace storyline::ingest
