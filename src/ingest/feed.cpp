// RSS / Atom / JSON Feed readers. Element names are matched by local name so feeds with odd
// or missing namespaces still read; which element feeds which field is a table below.
#include "ingest/feed.h"

#include <array>
#include <nlohmann/json.hpp>

#include "common/text_util.h"
#include "ingest/sanitize.h"
#include "ingest/xml_util.h"

namespace storyline::ingest {
namespace {

using nlohmann::json;

constexpr std::string_view kAtom10Ns = "http://www.w3.org/2005/Atom";
constexpr std::string_view kAtom03Ns = "http://purl.org/atom/ns#";
constexpr std::string_view kRss10Ns = "http://purl.org/rss/1.0/";
constexpr std::string_view kRss090Ns = "http://my.netscape.com/rdf/simple/0.9/";
constexpr std::string_view kContentNs = "http://purl.org/rss/1.0/modules/content/";
constexpr std::size_t kMinArticleChars = 1000;  // visible characters for a full article

// Namespaces whose elements may feed the item fields; elements of other vocabularies with
// the same local names (media:title, itunes:summary, ...) describe something else.
constexpr std::array<std::string_view, 10> kFieldNamespaces = {
    "",  // RSS 0.9x/2.0 have none
    "http://purl.org/rss/1.0/",
    "http://my.netscape.com/rdf/simple/0.9/",
    "http://backend.userland.com/rss2",
    "http://www.w3.org/2005/Atom",
    "http://purl.org/atom/ns#",
    "http://purl.org/dc/elements/1.1/",
    "http://purl.org/dc/terms/",
    "http://purl.org/rss/1.0/modules/content/",
    "http://www.w3.org/1999/xhtml",
};
// Vocabularies whose title/author/summary stand in when the core ones are missing.
constexpr std::array<std::string_view, 2> kFallbackNamespaces = {
    "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "http://search.yahoo.com/mrss/",
};
constexpr int kFallbackRank = 10;  // added to a source's rank
constexpr int kMaxJsonDepth = 256;

// Item (and feed) fields by local element name, first match in document order wins within a
// rank; lower rank wins across names.
enum class Field {
  kTitle,
  kLink,
  kId,
  kPublished,
  kUpdated,
  kAuthor,
  kSummary,
  kContent,
  kLanguage,
  kSubtitle
};
struct Source {
  std::string_view name;
  Field field;
  int rank;
};
constexpr std::array<Source, 24> kSources = {{
    {"title", Field::kTitle, 0},
    {"link", Field::kLink, 0},
    {"guid", Field::kId, 0},
    {"id", Field::kId, 0},
    {"pubdate", Field::kPublished, 0},
    {"published", Field::kPublished, 0},
    {"issued", Field::kPublished, 1},
    {"created", Field::kPublished, 2},
    {"updated", Field::kUpdated, 0},
    {"modified", Field::kUpdated, 1},
    {"date", Field::kUpdated, 2},  // dc:date
    {"lastbuilddate", Field::kUpdated, 3},
    {"author", Field::kAuthor, 0},
    {"creator", Field::kAuthor, 1},  // dc:creator
    {"description", Field::kSummary, 0},
    {"summary", Field::kSummary, 0},
    {"abstract", Field::kSummary, 1},
    {"encoded", Field::kContent, 0},  // content:encoded
    {"content", Field::kContent, 0},
    {"body", Field::kContent, 1},  // xhtml:body
    {"fullitem", Field::kContent, 2},
    {"language", Field::kLanguage, 0},
    {"subtitle", Field::kSubtitle, 0},
    {"tagline", Field::kSubtitle, 1},
}};

bool is_atom(std::string_view version) { return version.starts_with("atom"); }

// Base64 text (whitespace ignored); empty when it is not base64.
std::string decode_base64(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : text) {
    int value;
    if (c >= 'A' && c <= 'Z')
      value = c - 'A';
    else if (c >= 'a' && c <= 'z')
      value = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      value = c - '0' + 52;
    else if (c == '+' || c == '-')
      value = 62;
    else if (c == '/' || c == '_')
      value = 63;
    else if (c == '=')
      break;
    else if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
      continue;
    else
      return {};
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

// Atom 1.0: a type that is neither text, html, xhtml, text/* nor an XML media type means the
// content is base64 (RFC 4287 4.1.3.3); Atom 0.3 says so with mode="base64".
bool is_base64_content(std::string_view type, std::string_view mode) {
  if (mode == "base64") return true;
  if (type.empty() || type == "text" || type == "html" || type == "xhtml") return false;
  if (type.starts_with("text/")) return false;
  if (type.ends_with("+xml") || type.ends_with("/xml")) return false;
  return type.find('/') != std::string_view::npos;
}

// The rank penalty of an element's namespace for the item fields, or -1 to ignore it. The
// feed root's own namespace counts as core, whatever it is (Atom drafts used many).
// Namespace URIs compare without regard to case, as feed readers match them (podcast feeds
// write ".../DTDs/Podcast-1.0.dtd").
int namespace_rank(std::string_view uri, std::string_view root_uri) {
  if (uri == root_uri) return 0;
  const std::string lower_uri = ascii_lower(uri);
  for (const std::string_view known : kFieldNamespaces) {
    if (lower_uri == known) return 0;
  }
  for (const std::string_view fallback : kFallbackNamespaces) {
    if (lower_uri == fallback) return kFallbackRank;
  }
  return -1;
}

constexpr std::string_view kMediaNs = "http://search.yahoo.com/mrss/";

// The element children that feed an item's fields: its own, and those of a media:group
// (Media RSS bundles description and title there).
std::vector<const xmlNode*> field_children(const xmlNode* parent) {
  std::vector<const xmlNode*> out;
  for (const xmlNode* node : xml::children(parent)) {
    out.push_back(node);
    if (xml::local_name(node) == "group" && ascii_lower(xml::ns_uri(node)) == kMediaNs) {
      for (const xmlNode* inner : xml::children(node)) out.push_back(inner);
    }
  }
  return out;
}

// The media type of a text construct: its type attribute ("text", "html", "xhtml" or a
// media type), else the element's default.
std::string content_type(const std::string& declared, std::string_view default_type) {
  if (declared.empty()) return std::string(default_type);
  if (declared == "text") return "text/plain";
  if (declared == "html") return "text/html";
  if (declared == "xhtml") return "application/xhtml+xml";
  return declared;
}

// The base URL in effect at `node` (xml:base), or empty.
std::string base_of(const xmlNode* node) {
  xmlChar* base = xmlNodeGetBase(node->doc, node);
  if (!base) return {};
  std::string out(reinterpret_cast<const char*>(base));
  xmlFree(base);
  return out;
}

// What an element's text is when its type is not declared: RSS descriptions and content
// modules carry HTML, XHTML bodies XHTML, Atom constructs and the rest plain text.
std::string_view default_type(std::string_view name) {
  if (name == "description" || name == "encoded" || name == "fullitem") return "text/html";
  if (name == "body") return "application/xhtml+xml";
  return "text/plain";
}

// Text of an RSS element or an Atom text construct. HTML (declared, the element's default,
// or plain RSS text that looks like HTML) is cleaned as feed readers clean it (sanitize.h).
std::string construct_text(const xmlNode* node, std::string_view version,
                           std::string_view default_type) {
  const std::string declared = ascii_lower(trim(xml::attribute(node, "type")));
  std::string type = content_type(declared, default_type);
  const std::string mode = ascii_lower(xml::attribute(node, "mode"));
  std::string out;
  if (is_base64_content(declared, mode) && !xml::has_element_children(node)) {
    const std::string raw = xml::text(node);
    std::string decoded = decode_base64(raw);
    out = decoded.empty() && !raw.empty() ? raw : std::string(trim(decoded));
  } else if (declared == "xhtml" || (version == "atom10" && declared == "application/xhtml+xml")) {
    // Atom 1.0 xhtml: the content of the wrapping div (RFC 4287 3.1.1.3); Atom 0.3's inline
    // XHTML keeps it.
    const xmlNode* div = xml::child(node, "div");
    out = xml::inner_xml(div ? div : node);
  } else if (declared == "html" || declared == "text/html" || declared == "text" ||
             declared == "text/plain") {
    // Declared text or escaped HTML: the text, even if stray elements are inside.
    out = xml::text(node);
  } else if (mode == "xml" || xml::has_element_children(node)) {
    out = xml::inner_xml(node);
    type = "application/xhtml+xml";
  } else {
    out = xml::text(node);
  }
  if (!is_atom(version) && type == "text/plain" && looks_like_html(out)) type = "text/html";
  const bool xhtml = type == "application/xhtml+xml";
  if (type == "text/html" || xhtml) out = sanitize_html(out, base_of(node), xhtml);
  return out;
}

std::string link_of(const xmlNode* node) {
  std::string href = xml::attribute(node, "href");
  if (href.empty()) href = xml::text(node);  // RSS, and Atom 0.3 writers that forget href
  return xml::resolve(node, href);
}

std::string person(const xmlNode* node) {
  if (!xml::has_element_children(node)) return xml::text(node);
  const std::string name = xml::text(xml::child(node, "name"));
  const std::string email = xml::text(xml::child(node, "email"));
  if (!name.empty() && !email.empty()) return name + " (" + email + ")";
  return name.empty() ? email : name;
}

const Source* source_of(std::string_view name) {
  for (const Source& source : kSources) {
    if (source.name == name) return &source;
  }
  return nullptr;
}

// Fills an item (or the feed's own fields) from an element's children.
struct Collector {
  std::array<int, 10> ranks;
  bool link_is_alternate = false;
  Collector() { ranks.fill(1 << 20); }

  bool take(Field field, int rank) {
    int& best = ranks[static_cast<int>(field)];
    if (rank >= best) return false;
    best = rank;
    return true;
  }
};

void collect(const xmlNode* parent, const std::string& version, FeedItem& item,
             std::string* language, std::string* subtitle) {
  const xmlNode* root = xmlDocGetRootElement(parent->doc);
  const std::string_view root_ns = xml::ns_uri(root);
  Collector collector;
  std::string guid_permalink;      // an RSS guid that is a permalink stands in for a missing link
  bool summary_from_core = false;  // an RSS description/summary was read
  for (const xmlNode* node : field_children(parent)) {
    const std::string name = xml::local_name(node);
    const Source* source = source_of(name);
    if (!source) continue;
    const int penalty = namespace_rank(xml::ns_uri(node), root_ns);
    if (penalty < 0) continue;
    // The Atom feed's <content> from a wrong namespace (RSS content module) is "encoded".
    if (name == "content" && xml::ns_uri(node) == kContentNs) continue;
    const Field field = source->field;
    int rank = source->rank + penalty;
    switch (field) {
      case Field::kLink: {
        const std::string rel = ascii_lower(xml::attribute(node, "rel"));
        if (!rel.empty() && rel != "alternate") continue;
        const std::string href = link_of(node);
        if (href.empty()) continue;
        // An atom:link inside RSS ranks below RSS's own <link>.
        if (!is_atom(version) && xml::has_attribute(node, "href")) rank += 1;
        if (collector.take(field, rank)) item.link = href;
        break;
      }
      case Field::kId: {
        const std::string id = xml::text(node);
        if (name == "guid") {
          const std::string permalink = ascii_lower(xml::attribute(node, "ispermalink"));
          if (permalink != "false" && (id.starts_with("http://") || id.starts_with("https://")))
            guid_permalink = id;
        }
        if (collector.take(field, rank)) item.id = id;
        break;
      }
      case Field::kTitle:
        if (collector.take(field, rank)) item.title = construct_text(node, version, "text/plain");
        break;
      case Field::kPublished:
        if (collector.take(field, rank)) item.published = xml::text(node);
        break;
      case Field::kUpdated:
        if (collector.take(field, rank)) item.updated = xml::text(node);
        break;
      case Field::kAuthor:
        if (collector.take(field, rank)) item.author = person(node);
        break;
      case Field::kSummary:
        // A second description/summary, with no content yet, is the content (readers show
        // the first as the summary and the other as the body).
        if (rank == 0 && summary_from_core && item.content.empty() &&
            collector.take(Field::kContent, rank)) {
          item.content = construct_text(node, version, default_type(name));
          break;
        }
        if (collector.take(field, rank))
          item.summary = construct_text(node, version, default_type(name));
        if (rank == 0) summary_from_core = true;
        break;
      case Field::kContent:
        if (collector.take(field, rank))
          item.content = construct_text(node, version, default_type(name));
        break;
      case Field::kLanguage:
        if (language && collector.take(field, rank)) *language = xml::text(node);
        break;
      case Field::kSubtitle:
        if (subtitle && collector.take(field, rank))
          *subtitle = construct_text(node, version, "text/plain");
        break;
    }
  }
  if (item.link.empty()) item.link = guid_permalink;
  // CDF dates items by attribute.
  if (item.updated.empty()) item.updated = xml::attribute(parent, "lastmod");
  // RSS 1.0 names an item (and CDF a channel) by attribute.
  if (item.id.empty()) item.id = xml::attribute(parent, "about");
  if (item.link.empty()) item.link = xml::resolve(parent, xml::attribute(parent, "href"));
  if (language) {
    for (char& c : *language) c = c == '_' ? '-' : c;  // "en_US" -> "en-US"
  }
  // Readers (feedparser among them) show the content as the summary when there is none.
  if (item.summary.empty()) item.summary = item.content;
}

std::string rss_version(const xmlNode* root) {
  const std::string name = xml::local_name(root);
  if (name == "rdf") {
    for (const xmlNode* c : xml::children(root)) {
      if (xml::ns_uri(c) == kRss10Ns) return "rss10";
      if (xml::ns_uri(c) == kRss090Ns) return "rss090";
    }
    return "rss10";
  }
  if (name == "feed") {
    if (xml::ns_uri(root) == kAtom10Ns) return "atom10";
    if (xml::ns_uri(root) == kAtom03Ns) return "atom03";
    const std::string version = xml::attribute(root, "version");
    return version == "0.3" ? "atom03" : "atom";
  }
  const std::string version = xml::attribute(root, "version");
  if (version.starts_with("2")) return "rss20";
  if (version == "0.91") return "rss091";
  if (version == "0.92") return "rss092";
  if (version == "0.93") return "rss093";
  if (version == "0.94") return "rss094";
  return "rss";
}

std::string xml_lang(const xmlNode* node) {
  for (const xmlAttr* attr = node->properties; attr; attr = attr->next) {
    if (attr->name && std::string_view(reinterpret_cast<const char*>(attr->name)) == "lang" &&
        attr->children && attr->children->content)
      return std::string(trim(reinterpret_cast<const char*>(attr->children->content)));
  }
  return {};
}

std::string visible_text(std::string_view html) {
  std::string out;
  bool in_tag = false;
  for (const char c : html) {
    if (c == '<') {
      in_tag = true;
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      out += c;
    }
  }
  return collapse_whitespace(out);
}

std::string json_string(const json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return {};
  return std::string(trim(it->get_ref<const std::string&>()));
}

int json_depth(std::string_view text) {
  int depth = 0;
  int max_depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

}  // namespace

bool looks_like_xml_feed(std::string_view bytes) {
  std::string name = first_xml_element(bytes);
  if (const std::size_t colon = name.find(':'); colon != std::string::npos)
    name = name.substr(colon + 1);
  return name == "rss" || name == "rdf" || name == "feed" || name == "channel";
}

Result<Feed> parse_xml_feed(std::string_view bytes) {
  xml::Parsed parsed = xml::parse(bytes);
  if (!parsed.doc) {
    return make_error(ErrorCode::kInvalidInput,
                      "unreadable feed: " + (parsed.error.empty() ? "no XML" : parsed.error));
  }
  const xmlNode* root = xmlDocGetRootElement(parsed.doc.get());
  if (!root) return make_error(ErrorCode::kInvalidInput, "feed without a root element");
  Feed feed;
  feed.well_formed = parsed.well_formed;
  if (!parsed.well_formed)
    feed.warnings.push_back("ill-formed XML, read leniently: " + parsed.error);
  feed.version = rss_version(root);

  // Where the feed's own fields and the items live.
  const xmlNode* channel = root;
  const std::string root_name = xml::local_name(root);
  if (root_name == "rss" || root_name == "rdf") {
    if (const xmlNode* c = xml::child(root, "channel")) channel = c;
  }
  FeedItem head;
  collect(channel, feed.version, head, &feed.language, &feed.subtitle);
  feed.title = std::move(head.title);
  feed.link = std::move(head.link);
  if (feed.language.empty()) {
    feed.language = xml_lang(root);
    for (char& c : feed.language) c = c == '_' ? '-' : c;
  }
  if (feed.subtitle.empty() && !is_atom(feed.version)) feed.subtitle = head.summary;

  const std::string item_name = is_atom(feed.version) ? "entry" : "item";
  std::vector<const xmlNode*> parents = {channel};
  if (channel != root) parents.push_back(root);  // RSS 1.0 items are the channel's siblings
  for (const xmlNode* parent : parents) {
    for (const xmlNode* node : xml::children(parent)) {
      if (xml::local_name(node) != item_name) continue;
      FeedItem item;
      collect(node, feed.version, item, nullptr, nullptr);
      feed.items.push_back(std::move(item));
    }
  }
  return feed;
}

Result<Feed> parse_json_feed(std::string_view bytes) {
  if (json_depth(bytes) > kMaxJsonDepth)
    return make_error(ErrorCode::kInvalidInput, "JSON Feed nested too deeply");
  const json document = json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (document.is_discarded() || !document.is_object())
    return make_error(ErrorCode::kInvalidInput, "JSON Feed is not a JSON object");
  Feed feed;
  const std::string version = json_string(document, "version");
  feed.version = version.find("/1.1") != std::string::npos ? "json11" : "json1";
  feed.title = json_string(document, "title");
  feed.link = json_string(document, "home_page_url");
  feed.language = json_string(document, "language");
  feed.subtitle = json_string(document, "description");
  const auto items = document.find("items");
  if (items == document.end() || !items->is_array()) {
    feed.warnings.push_back("JSON Feed without an \"items\" array");
    return feed;
  }
  for (const json& entry : *items) {
    if (!entry.is_object()) {
      feed.warnings.push_back("JSON Feed item that is not an object skipped");
      continue;
    }
    FeedItem item;
    item.title = json_string(entry, "title");
    item.link = json_string(entry, "url");
    if (item.link.empty()) item.link = json_string(entry, "external_url");
    item.id = json_string(entry, "id");
    if (const auto id = entry.find("id"); item.id.empty() && id != entry.end() && id->is_number())
      item.id = id->dump();
    item.published = json_string(entry, "date_published");
    item.updated = json_string(entry, "date_modified");
    item.summary = json_string(entry, "summary");
    item.content = json_string(entry, "content_html");
    if (item.content.empty()) item.content = json_string(entry, "content_text");
    for (const char* key : {"author", "authors"}) {
      const auto it = entry.find(key);
      if (it == entry.end() || !item.author.empty()) continue;
      const json* author = &*it;
      if (author->is_array() && !author->empty()) author = &(*author)[0];
      if (author->is_object()) item.author = json_string(*author, "name");
    }
    feed.items.push_back(std::move(item));
  }
  return feed;
}

std::string_view article_body(const FeedItem& item) {
  const std::string& body =
      item.content.size() >= item.summary.size() ? item.content : item.summary;
  if (body.size() < kMinArticleChars) return {};
  if (visible_text(body).size() < kMinArticleChars) return {};
  return body;
}

}  // namespace storyline::ingest
