// Sitemaps through libxml2 (no network, no entity substitution; see xml_util.h).
#include "ingest/sitemap.h"

#include "common/text_util.h"
#include "ingest/xml_util.h"

namespace storyline::ingest {
namespace {

std::string local(std::string name) {
  if (const std::size_t colon = name.find(':'); colon != std::string::npos)
    name = name.substr(colon + 1);
  return name;
}

// An entry's URL: <loc>, else the entry's own bare text (indexes written without <loc>).
std::string entry_location(const xmlNode* entry) {
  if (const xmlNode* loc = xml::child(entry, "loc")) return xml::text(loc);
  std::string bare;
  for (const xmlNode* c = entry->children; c; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
      bare += reinterpret_cast<const char*>(c->content);
  }
  return std::string(trim(bare));
}

void read_news(const xmlNode* news, SitemapUrl& url) {
  if (const xmlNode* publication = xml::child(news, "publication")) {
    url.news_name = xml::text(xml::child(publication, "name"));
    url.news_language = xml::text(xml::child(publication, "language"));
  }
  url.news_publication_date = xml::text(xml::child(news, "publication_date"));
  url.news_title = xml::text(xml::child(news, "title"));
}

}  // namespace

bool looks_like_sitemap(std::string_view bytes) {
  const std::string name = local(first_xml_element(bytes));
  return name == "urlset" || name == "sitemapindex";
}

Result<Sitemap> parse_sitemap(std::string_view bytes) {
  xml::Parsed parsed = xml::parse(bytes);
  if (!parsed.doc) {
    return make_error(ErrorCode::kInvalidInput,
                      "unreadable sitemap: " + (parsed.error.empty() ? "no XML" : parsed.error));
  }
  const xmlNode* root = xmlDocGetRootElement(parsed.doc.get());
  if (!root) return make_error(ErrorCode::kInvalidInput, "sitemap without a root element");
  Sitemap sitemap;
  sitemap.type = xml::local_name(root);
  if (sitemap.type != "urlset" && sitemap.type != "sitemapindex")
    return make_error(ErrorCode::kInvalidInput, "not a sitemap: <" + sitemap.type + ">");
  sitemap.well_formed = parsed.well_formed;
  if (!parsed.well_formed)
    sitemap.warnings.push_back("ill-formed XML, read leniently: " + parsed.error);
  const std::string entry_name = sitemap.type == "urlset" ? "url" : "sitemap";
  std::size_t without_location = 0;
  for (const xmlNode* entry : xml::children(root)) {
    if (xml::local_name(entry) != entry_name) continue;
    SitemapUrl url;
    url.loc = entry_location(entry);
    if (url.loc.empty()) {
      ++without_location;
      continue;
    }
    url.lastmod = xml::text(xml::child(entry, "lastmod"));
    url.changefreq = ascii_lower(xml::text(xml::child(entry, "changefreq")));
    url.priority = xml::text(xml::child(entry, "priority"));
    if (const xmlNode* news = xml::child(entry, "news")) read_news(news, url);
    sitemap.urls.push_back(std::move(url));
  }
  if (without_location > 0) {
    sitemap.warnings.push_back(std::to_string(without_location) + " <" + entry_name +
                               "> entries without a location skipped");
  }
  return sitemap;
}

}  // namespace storyline::ingest
