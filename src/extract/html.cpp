// HTML pages: one pass of the fast parser (fast_html.h; gumbo is its reference in the tests),
// one iterative pass over the tree for metadata and text statistics, readability-style scoring
// to find the article container, then paragraph blocks in reading order. Every walk uses an
// explicit stack or the tree's pre-order ranges; depth is bounded beforehand by html_bound.cpp.

#include <algorithm>
#include <climits>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/text_util.h"
#include "extract/extract_internal.h"
#include "extract/fast_html.h"
#include "extract/html_bound.h"
#include "extract/lexicon.h"

namespace storyline::extract::detail {

namespace {

// A text run longer than this between two tags is not an article paragraph; cut it.
constexpr std::size_t kMaxTextRun = std::size_t{1} << 20;
constexpr std::size_t kMaxJsonLdBytes = std::size_t{1} << 20;
// Bytes read from a <title>, <h1> or byline element.
constexpr std::size_t kMaxMetaTextBytes = 1024;
// Readability's constants: paragraphs shorter than this do not vote for their container.
constexpr uint32_t kMinScoredText = 25;
constexpr int kScoredAncestors = 5;
constexpr double kClassWeight = 25;
// Close runners-up (within 75% of the best score) that make their common ancestor the story.
constexpr int kMinCloseCandidates = 3;
// Paragraph text an unscored sibling of the container needs to join it.
constexpr uint32_t kMinSiblingText = 200;
// Paragraphs of story before trailing italic notes are dropped as the outlet's notes.
constexpr std::size_t kMinPlainBeforeNote = 3;
// A list item with a link and at most this many words is an entry of a list of links.
constexpr std::size_t kMaxLinkItemWords = 25;

// A line under a teaser's title in a grid of teasers is at most this long, and a grid with
// such lines needs at least this many entries.
constexpr std::size_t kMaxBlurbWords = 30;
constexpr std::size_t kMinBlurbItems = 3;

// ---- small DOM helpers ---------------------------------------------------------------

using fast_html::Document;
using fast_html::kNoNode;
using fast_html::NodeId;

// An element of the parsed page: the document, the node and its tag, passed by value.
struct El {
  const Document& doc;
  NodeId id;
  GumboTag tag;
};

El element(const Document& doc, NodeId n) { return {doc, n, doc.tag(n)}; }

std::string_view attr(const El& el, std::string_view name) { return el.doc.attr(el.id, name); }
bool has_attr(const El& el, std::string_view name) { return el.doc.has_attr(el.id, name); }

bool is_heading(GumboTag t) {
  return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4 ||
         t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6;
}

// Elements that end a paragraph of text.
bool is_block_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_CAPTION:
      return true;
    default:
      return is_heading(t);
  }
}

// Elements never part of the body text.
bool is_skipped_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_LABEL:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_IMG:
      return true;
    default:
      return false;
  }
}

// The hint lists indexed by first byte: matching walks the lowercased class/id once and
// only compares the few hints that start with the byte at hand (an order of magnitude
// cheaper than one substring search per hint). Word hints must sit between separators
// (space, '-', '_'), as words of the attribute.
enum : unsigned {
  kDropBit = 1,
  kNegativeBit = 2,
  kPositiveBit = 4,
  kStrongBit = 8,
  kBoxTitleBit = 16
};

bool is_hint_separator(char c) { return c == ' ' || c == '-' || c == '_'; }

struct HintIndex {
  struct Entry {
    std::string_view text;
    bool whole_word;
    unsigned bit;
  };
  std::vector<Entry> by_first[256];
  HintIndex() {
    auto add = [&](const auto& hints, unsigned bit) {
      for (const lexicon::Hint& h : hints) {
        if (h.text.empty()) continue;
        by_first[static_cast<unsigned char>(h.text[0])].push_back(
            {h.text, h.match == lexicon::HintMatch::kWord, bit});
      }
    };
    add(lexicon::kDropHints, kDropBit);
    add(lexicon::kNegativeHints, kNegativeBit);
    add(lexicon::kPositiveHints, kPositiveBit);
    add(lexicon::kStrongPositiveHints, kStrongBit);
    add(lexicon::kBoxTitleHints, kBoxTitleBit);
  }
};

unsigned hint_bits(std::string_view v) {
  static const HintIndex index;
  unsigned bits = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    for (const HintIndex::Entry& h : index.by_first[static_cast<unsigned char>(v[i])]) {
      if ((bits & h.bit) || v.compare(i, h.text.size(), h.text) != 0) continue;
      if (h.whole_word) {
        const std::size_t end = i + h.text.size();
        if (i > 0 && !is_hint_separator(v[i - 1])) continue;
        if (end < v.size() && !is_hint_separator(v[end])) continue;
      }
      bits |= h.bit;
    }
  }
  return bits;
}

enum class Hint { kNone, kPositive, kNegative, kDrop };

Hint hint_of(unsigned bits) {
  if (bits & kDropBit) return Hint::kDrop;
  if (bits & kNegativeBit) return (bits & kStrongBit) ? Hint::kNone : Hint::kNegative;
  return (bits & kPositiveBit) ? Hint::kPositive : Hint::kNone;
}

// Pages repeat the same class strings hundreds of times ("menu-item menu-item-type-..."):
// the hint of a lowercased class/id string is remembered under its 64-bit hash, in a fixed
// table per thread (no allocation; a slot is simply overwritten on collision of slots).
struct HintCache {
  static constexpr std::size_t kSlots = 4096;
  uint64_t key[kSlots] = {};
  unsigned bits[kSlots] = {};
};

// The hint bits of the element's class and id. `buf` is scratch space reused across calls (no
// allocation per element once it has grown).
unsigned class_hint_bits(const El& el, std::string& buf) {
  const std::string_view cls = attr(el, "class"), id = attr(el, "id");
  if (cls.empty() && id.empty()) return 0;
  buf.clear();
  uint64_t hash = 14695981039346656037ull;  // FNV-1a
  auto add_lower = [&](std::string_view v) {
    for (char c : v) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      buf += c;
      hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    }
  };
  add_lower(cls);
  add_lower(" ");
  add_lower(id);
  hash |= 1;  // 0 marks an empty slot
  thread_local HintCache cache;
  const std::size_t slot = (hash >> 20) % HintCache::kSlots;
  if (cache.key[slot] == hash) return cache.bits[slot];
  const unsigned bits = hint_bits(buf);
  cache.key[slot] = hash;
  cache.bits[slot] = bits;
  return bits;
}

// Case-insensitive equality with a lowercase ASCII word.
bool iequals(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// Case-insensitive search for a lowercase ASCII needle (the first byte filters cheaply).
bool icontains(std::string_view hay, std::string_view lower) {
  if (lower.empty()) return true;
  if (lower.size() > hay.size()) return false;
  const char first = lower[0];
  const char first_upper = first >= 'a' && first <= 'z' ? static_cast<char>(first - 32) : first;
  for (std::size_t i = 0; i + lower.size() <= hay.size(); ++i) {
    if (hay[i] != first && hay[i] != first_upper) continue;
    if (iequals(hay.substr(i, lower.size()), lower)) return true;
  }
  return false;
}

NodeId first_element_child(const Document& doc, NodeId n) {
  NodeId c = doc.first_child(n);
  while (c != kNoNode && !doc.is_element(c)) c = doc.next_sibling(c);
  return c;
}

// True when the element and its subtree are never article text, whatever the page: the tag
// (scripts, navigation, forms, media), hidden elements and landmark roles.
bool structural_drop(const El& el) {
  if (is_skipped_tag(el.tag)) return true;
  if (el.tag == GUMBO_TAG_HTML || el.tag == GUMBO_TAG_BODY) return false;
  if (has_attr(el, "hidden")) return true;
  if (iequals(attr(el, "aria-hidden"), "true")) return true;
  const std::string_view style = attr(el, "style");
  if (!style.empty() && (icontains(style, "display:none") || icontains(style, "display: none")))
    return true;
  const std::string_view role = attr(el, "role");
  return iequals(role, "navigation") || iequals(role, "banner") || iequals(role, "contentinfo") ||
         iequals(role, "complementary") || iequals(role, "dialog") ||
         iequals(role, "alertdialog") || iequals(role, "menu");
}

// True when the class/id words mark the element as furniture (comments, ads, menus, ...).
// Only a candidate for removal: a "furniture" element that holds most of the page's text is
// a page wrapper with an unlucky class ("content paywall", "has-sidebar", "ad-layout") and
// stays (see build_tree).
bool hint_drop(GumboTag tag, Hint hint) {
  if (tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_BODY) return false;
  if (tag == GUMBO_TAG_MAIN || tag == GUMBO_TAG_ARTICLE) return hint == Hint::kDrop;
  return hint == Hint::kDrop || hint == Hint::kNegative;
}

// Visible text of a subtree, whitespace collapsed, at most `max_bytes`.
std::string node_text(const Document& doc, NodeId root, std::size_t max_bytes) {
  std::string out;
  const NodeId end = doc.subtree_end(root);
  for (NodeId n = root; n < end && out.size() < max_bytes;) {
    if (doc.is_text(n)) {
      // Cut at a code point boundary: half a character would leave invalid UTF-8 behind.
      const std::string_view text = doc.text(n);
      std::size_t take = text.size();
      if (take > max_bytes) {
        take = max_bytes;
        while (take > 0 && (static_cast<unsigned char>(text[take]) & 0xC0) == 0x80) --take;
      }
      out.append(text.substr(0, take));
      out += ' ';
      ++n;
      continue;
    }
    if (doc.is_element(n)) {
      const GumboTag t = doc.tag(n);
      if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_NOSCRIPT ||
          t == GUMBO_TAG_TEMPLATE) {
        n = doc.subtree_end(n);
        continue;
      }
    }
    ++n;
  }
  std::string text = collapse_whitespace(out);
  if (text.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
  }
  return text;
}

// ---- metadata ------------------------------------------------------------------------

struct Metadata {
  std::string html_lang;
  std::string title_tag, h1, itemprop_headline;
  std::string og_title, og_site_name, og_url, canonical;
  std::string og_description, meta_description;
  std::string meta_author, rel_author, byline;
  int byline_rank = INT_MAX;  // lower is better
  std::string date;
  int date_rank = INT_MAX;
  std::vector<std::string> json_ld;
  // From JSON-LD.
  std::string ld_headline, ld_date, ld_author, ld_publisher, ld_description, ld_url;
};

void offer_date(Metadata& meta, std::string_view value, int rank) {
  if (rank >= meta.date_rank || value.empty()) return;
  if (auto iso = normalize_date(value)) {
    meta.date = *iso;
    meta.date_rank = rank;
  }
}

void offer_byline(Metadata& meta, std::string value, int rank) {
  if (rank >= meta.byline_rank) return;
  value = clean_byline(value);
  if (value.size() < 3 || word_count(value) > 8 || value.rfind("http", 0) == 0) return;
  meta.byline = std::move(value);
  meta.byline_rank = rank;
}

int date_meta_rank(std::string_view key) {
  int rank = 10;  // after JSON-LD and itemprop
  for (std::string_view name : lexicon::kDateMetaNames) {
    if (key == name) return rank;
    ++rank;
  }
  return -1;
}

void read_meta(Metadata& meta, const El& el) {
  std::string key = ascii_lower(attr(el, "property"));
  if (key.empty()) key = ascii_lower(attr(el, "name"));
  if (key.empty()) key = ascii_lower(attr(el, "itemprop"));
  const std::string_view content = trim(attr(el, "content"));
  if (key.empty() || content.empty()) return;
  auto set_once = [&](std::string& field) {
    if (field.empty()) field = collapse_whitespace(content);
  };
  if (key == "og:title")
    set_once(meta.og_title);
  else if (key == "twitter:title" && meta.og_title.empty())
    set_once(meta.og_title);
  else if (key == "og:site_name")
    set_once(meta.og_site_name);
  else if (key == "og:url")
    set_once(meta.og_url);
  else if (key == "og:description")
    set_once(meta.og_description);
  else if (key == "description" || key == "twitter:description")
    set_once(meta.meta_description);
  else if (key == "author" || key == "article:author" || key == "byl" || key == "dc.creator") {
    if (content.rfind("http", 0) != 0) set_once(meta.meta_author);
  } else if (key == "headline") {
    set_once(meta.itemprop_headline);
  } else if (key == "datepublished") {
    offer_date(meta, content, 2);
  } else if (const int rank = date_meta_rank(key); rank >= 0) {
    offer_date(meta, content, rank);
  }
}

// A JSON value as a person's or organisation's name: "Jane", {"name": "Jane"}, [..].
std::string json_names(const nlohmann::json& value) {
  std::string out;
  auto add = [&](const nlohmann::json& v) {
    std::string name;
    if (v.is_string())
      name = v.get<std::string>();
    else if (v.is_object() && v.contains("name") && v["name"].is_string())
      name = v["name"].get<std::string>();
    name = collapse_whitespace(name);
    if (name.empty() || name.rfind("http", 0) == 0 || out.find(name) != std::string::npos) return;
    if (!out.empty()) out += ", ";
    out += name;
  };
  if (value.is_array()) {
    for (const auto& v : value) add(v);
  } else {
    add(value);
  }
  return out;
}

std::string json_string(const nlohmann::json& obj, const char* key) {
  if (!obj.contains(key)) return {};
  const nlohmann::json& v = obj[key];
  if (v.is_string()) return collapse_whitespace(v.get<std::string>());
  if (v.is_object() && v.contains("@id") && v["@id"].is_string())
    return v["@id"].get<std::string>();
  return {};
}

bool is_article_type(const nlohmann::json& obj) {
  if (!obj.contains("@type")) return false;
  const nlohmann::json& type = obj["@type"];
  auto matches = [](const nlohmann::json& t) {
    if (!t.is_string()) return false;
    const std::string lower = ascii_lower(t.get<std::string>());
    for (std::string_view a : lexicon::kArticleTypes)
      if (lower == a) return true;
    return false;
  };
  if (type.is_array()) return std::any_of(type.begin(), type.end(), matches);
  return matches(type);
}

void read_json_ld(Metadata& meta, std::vector<std::string>& warnings) {
  int failures = 0;
  for (const std::string& script : meta.json_ld) {
    nlohmann::json doc = nlohmann::json::parse(script, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
      ++failures;
      continue;
    }
    // Items: the document, an array of them, or an @graph list (one level, no recursion).
    std::vector<const nlohmann::json*> items;
    auto add_items = [&](const nlohmann::json& v) {
      if (v.is_object()) {
        items.push_back(&v);
        if (v.contains("@graph") && v["@graph"].is_array())
          for (const auto& g : v["@graph"]) items.push_back(&g);
      }
    };
    if (doc.is_array()) {
      for (const auto& v : doc) add_items(v);
    } else {
      add_items(doc);
    }
    const nlohmann::json* article = nullptr;
    for (const nlohmann::json* item : items) {
      if (item->is_object() && is_article_type(*item)) {
        article = item;
        break;
      }
    }
    if (!article) {
      for (const nlohmann::json* item : items)
        if (item->is_object() && item->contains("headline")) article = item;
    }
    if (!article) continue;
    const nlohmann::json& a = *article;
    if (meta.ld_headline.empty()) meta.ld_headline = json_string(a, "headline");
    if (meta.ld_date.empty()) meta.ld_date = json_string(a, "datePublished");
    if (meta.ld_description.empty()) meta.ld_description = json_string(a, "description");
    if (meta.ld_url.empty()) meta.ld_url = json_string(a, "url");
    if (meta.ld_url.empty()) meta.ld_url = json_string(a, "mainEntityOfPage");
    if (meta.ld_author.empty() && a.contains("author")) meta.ld_author = json_names(a["author"]);
    if (meta.ld_publisher.empty() && a.contains("publisher"))
      meta.ld_publisher = json_names(a["publisher"]);
  }
  if (failures > 0) warnings.push_back("unreadable JSON-LD block ignored");
  offer_date(meta, meta.ld_date, 1);
}

// ---- the flat tree -------------------------------------------------------------------

struct Node {
  NodeId node = kNoNode;
  int parent = -1;
  int block = -1;  // the nearest block element, this one or an ancestor (owns loose text)
  GumboTag tag = GUMBO_TAG_UNKNOWN;
  bool dropped = false;     // this element or an ancestor is not article text
  bool structural = false;  // this element or an ancestor is never text (structural_drop)
  bool furniture = false;   // class/id hints mark this element itself as furniture (hint_drop)
  bool in_link = false;
  bool in_paragraph = false;  // inside a <p>
  bool has_block = false;     // a block element below (else it is a leaf block)
  bool box = false;           // opened by a heading hinted as the title of other stories
  bool has_h1 = false;        // an <h1> below that was not cut off
  uint32_t links = 0;         // <a> elements below
  uint32_t images = 0;        // <img> elements below
  Hint hint = Hint::kNone;
  uint32_t text = 0;  // bytes of visible text in the subtree
  uint32_t link_text = 0;
  uint32_t paragraph_text = 0;  // bytes of the text inside <p> elements
  uint32_t commas = 0;
  uint32_t stops = 0;  // sentence ends
  uint32_t paragraphs = 0;
  uint32_t loose_text = 0;  // bytes of text not inside a block descendant (a block's own text)
  uint32_t loose_link = 0;
  uint32_t loose_commas = 0;
  double score = 0;
  bool candidate = false;
};

double link_density(const Node& n) {
  return n.text == 0 ? 0 : static_cast<double>(n.link_text) / n.text;
}

double tag_weight(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
      return 5;
    case GUMBO_TAG_SECTION:
      return 3;
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_BLOCKQUOTE:
      return 3;
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_FORM:
      return -3;
    case GUMBO_TAG_TH:
      return -5;
    default:
      return is_heading(t) ? -5 : 0;
  }
}

double hint_weight(Hint h) {
  return h == Hint::kPositive ? kClassWeight : (h == Hint::kNegative ? -kClassWeight : 0);
}

struct Tree {
  std::vector<Node> nodes;
  std::vector<int> index_of;  // parser node id -> index in `nodes` (-1 for text nodes)
  int body = -1;
};

// A furniture-hinted element is kept when it holds at least this share of the page's text.
constexpr double kWrapperShare = 0.5;

// Pre-order walk: fills the flat node list (parents before children) and the metadata.
Tree build_tree(const Document& doc, NodeId root, Metadata& meta) {
  Tree tree;
  tree.index_of.assign(doc.size(), -1);
  std::string hint_buf;
  uint64_t page_text = 0;            // visible text outside structurally dropped elements
  uint64_t page_paragraph_text = 0;  // the part of it inside <p> elements
  struct Frame {
    NodeId node;
    int parent;
  };
  std::vector<Frame> stack{{root, -1}};
  while (!stack.empty()) {
    const Frame f = stack.back();
    stack.pop_back();
    const NodeId n = f.node;
    if (doc.is_text(n)) {
      if (f.parent < 0 || doc.is_whitespace(n)) continue;
      Node& p = tree.nodes[f.parent];
      if (p.structural) continue;
      const std::string_view t = trim(doc.text(n));
      const auto size = static_cast<uint32_t>(t.size());
      page_text += size;
      p.text += size;
      if (p.in_link) p.link_text += size;
      if (p.in_paragraph) {
        p.paragraph_text += size;
        page_paragraph_text += size;
      }
      uint32_t commas = 0;
      for (char c : t) {
        if (c == ',') ++commas;
        if (c == '.' || c == '!' || c == '?') ++p.stops;
      }
      p.commas += commas;
      if (p.block >= 0) {
        Node& b = tree.nodes[p.block];
        b.loose_text += size;
        b.loose_commas += commas;
        if (p.in_link) b.loose_link += size;
      }
      continue;
    }
    if (!doc.is_element(n)) continue;
    const El el = element(doc, n);
    const int idx = static_cast<int>(tree.nodes.size());
    tree.index_of[n] = idx;
    Node node;
    node.node = n;
    node.parent = f.parent;
    node.tag = el.tag;
    const unsigned hint_bits = class_hint_bits(el, hint_buf);
    node.hint = hint_of(hint_bits);
    node.has_h1 = el.tag == GUMBO_TAG_H1;
    const Node* parent = f.parent >= 0 ? &tree.nodes[f.parent] : nullptr;
    node.structural = (parent && parent->structural) || structural_drop(el);
    node.furniture = hint_drop(el.tag, node.hint);
    node.block = is_block_tag(el.tag) ? idx : (parent ? parent->block : -1);
    node.in_link = (parent && parent->in_link) || el.tag == GUMBO_TAG_A;
    node.in_paragraph = (parent && parent->in_paragraph) || el.tag == GUMBO_TAG_P;
    if (el.tag == GUMBO_TAG_BODY && tree.body < 0) tree.body = idx;
    tree.nodes.push_back(node);
    if ((hint_bits & kBoxTitleBit) && is_heading(el.tag) && f.parent >= 0 &&
        first_element_child(doc, tree.nodes[f.parent].node) == n) {
      tree.nodes[f.parent].box = true;
    }

    // Metadata, wherever it sits (bylines and dates are often in dropped headers).
    const std::string_view itemprop = attr(el, "itemprop");
    switch (el.tag) {
      case GUMBO_TAG_HTML:
        if (meta.html_lang.empty()) meta.html_lang = ascii_lower(attr(el, "lang"));
        break;
      case GUMBO_TAG_TITLE:
        if (meta.title_tag.empty()) meta.title_tag = node_text(doc, n, kMaxMetaTextBytes);
        break;
      case GUMBO_TAG_META:
        read_meta(meta, el);
        break;
      case GUMBO_TAG_LINK: {
        const std::string rel = ascii_lower(attr(el, "rel"));
        if (rel == "canonical" && meta.canonical.empty())
          meta.canonical = std::string(trim(attr(el, "href")));
        break;
      }
      case GUMBO_TAG_SCRIPT: {
        const std::string type = ascii_lower(attr(el, "type"));
        const NodeId child = doc.first_child(n);
        if (type.find("ld+json") != std::string::npos && child != kNoNode) {
          if (doc.is_text(child)) {
            const std::string_view text = doc.text(child);
            if (text.size() <= kMaxJsonLdBytes) meta.json_ld.emplace_back(text);
          }
        }
        continue;  // no children to walk
      }
      case GUMBO_TAG_TIME: {
        const bool pub = has_attr(el, "pubdate") || iequals(itemprop, "datepublished");
        std::string_view dt = attr(el, "datetime");
        std::string text;
        if (dt.empty()) {
          text = node_text(doc, n, 128);
          dt = text;
        }
        offer_date(meta, dt, pub ? 3 : 40);
        break;
      }
      case GUMBO_TAG_H1:
        if (meta.h1.empty()) meta.h1 = node_text(doc, n, kMaxMetaTextBytes);
        break;
      case GUMBO_TAG_A:
        if (ascii_lower(attr(el, "rel")).find("author") != std::string::npos)
          offer_byline(meta, node_text(doc, n, kMaxMetaTextBytes), 2);
        break;
      default:
        break;
    }
    if (iequals(itemprop, "author")) {
      offer_byline(meta, node_text(doc, n, kMaxMetaTextBytes), 1);
    } else if (iequals(itemprop, "datepublished")) {
      std::string_view v = attr(el, "content");
      if (v.empty()) v = attr(el, "datetime");
      offer_date(meta, v, 2);
    } else if (iequals(itemprop, "headline") && meta.itemprop_headline.empty()) {
      meta.itemprop_headline = node_text(doc, n, kMaxMetaTextBytes);
    }
    if (el.tag != GUMBO_TAG_HTML && el.tag != GUMBO_TAG_BODY && el.tag != GUMBO_TAG_META) {
      const std::string_view cls = attr(el, "class");
      if (icontains(cls, "byline")) {
        offer_byline(meta, node_text(doc, n, kMaxMetaTextBytes), 3);
      } else if (icontains(cls, "author") && !icontains(cls, "bio")) {
        offer_byline(meta, node_text(doc, n, kMaxMetaTextBytes), 4);
      }
    }

    if (el.tag == GUMBO_TAG_STYLE || el.tag == GUMBO_TAG_NOSCRIPT || el.tag == GUMBO_TAG_SVG ||
        el.tag == GUMBO_TAG_MATH) {
      continue;
    }
    for (NodeId c = doc.last_child(n); c != kNoNode; c = doc.prev_sibling(c)) {
      stack.push_back({c, idx});
    }
  }
  // Subtree sums: children come after their parent, so a reverse sweep adds bottom-up. A
  // furniture element's sums are complete when it is reached: it is cut off (its text not
  // added to its parent) unless it holds a large share of the page's text, as a wrapper does.
  // Furniture inside it was cut off first, so a comment section whose comments are marked
  // holds little text of its own and goes.
  const double wrapper_text = kWrapperShare * static_cast<double>(page_text);
  const double wrapper_paragraphs = kWrapperShare * static_cast<double>(page_paragraph_text);
  for (std::size_t i = tree.nodes.size(); i-- > 1;) {
    Node& n = tree.nodes[i];
    if (n.tag == GUMBO_TAG_IMG && n.parent >= 0) ++tree.nodes[n.parent].images;
    if (n.parent < 0 || n.structural) continue;
    // An inline element in a paragraph holding a picture and nothing but links is a card
    // (a hover card on a name, an inline teaser), not words of the sentence around it.
    if (n.in_paragraph && !is_block_tag(n.tag) && n.tag != GUMBO_TAG_A && n.images > 0 &&
        n.links >= 2 && n.link_text * 10 >= n.text * 9) {
      n.dropped = true;
      continue;
    }
    // A box titled "Related posts" goes whatever its size: several teasers with their
    // excerpts can outweigh a short story, which the wrapper test below would then keep.
    if (n.box && !n.has_h1 && n.tag != GUMBO_TAG_BODY && n.tag != GUMBO_TAG_HTML) {
      n.dropped = true;
      continue;
    }
    if (n.furniture && (n.text < kMinScoredText ||
                        (n.text < wrapper_text && n.paragraph_text <= wrapper_paragraphs))) {
      n.dropped = true;
      continue;
    }
    Node& p = tree.nodes[n.parent];
    p.text += n.text;
    p.link_text += n.link_text;
    p.paragraph_text += n.paragraph_text;
    p.commas += n.commas;
    p.stops += n.stops;
    if (n.tag == GUMBO_TAG_P) ++p.paragraphs;
    p.has_h1 = p.has_h1 || n.has_h1;
    p.links += n.links + (n.tag == GUMBO_TAG_A ? 1 : 0);
    p.images += n.images;
    if (is_block_tag(n.tag) || n.has_block) p.has_block = true;
  }
  // Drops are inherited: parents come first.
  for (Node& n : tree.nodes) {
    n.dropped = n.dropped || n.structural || (n.parent >= 0 && tree.nodes[n.parent].dropped);
  }
  return tree;
}

// Readability-style scoring: paragraphs vote for their ancestors; returns the best container.
int choose_container(const Document& doc, Tree& tree) {
  auto& nodes = tree.nodes;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const Node& n = nodes[i];
    if (n.dropped || n.text < kMinScoredText) continue;
    const bool paragraph = n.tag == GUMBO_TAG_P || n.tag == GUMBO_TAG_PRE ||
                           n.tag == GUMBO_TAG_TD || n.tag == GUMBO_TAG_BLOCKQUOTE;
    // Text written straight into a container ("<div>Story text<br>more text<p>..."), not
    // wrapped in paragraphs, is a paragraph of that container (readability turns it into <p>).
    const bool loose = !paragraph &&
                       (n.tag == GUMBO_TAG_DIV || n.tag == GUMBO_TAG_SECTION ||
                        n.tag == GUMBO_TAG_ARTICLE || n.tag == GUMBO_TAG_MAIN) &&
                       n.loose_text >= kMinScoredText && n.loose_link * 2 < n.loose_text;
    if (!paragraph && !loose) continue;
    const double vote = paragraph ? 1 + n.commas + std::min<double>(n.text / 100, 3)
                                  : 1 + n.loose_commas + std::min<double>(n.loose_text / 100, 3);
    int ancestor = loose ? static_cast<int>(i) : n.parent;
    for (int level = 0; ancestor >= 0 && level < kScoredAncestors; ++level) {
      Node& a = nodes[ancestor];
      if (a.dropped) break;
      if (!a.candidate) {
        a.candidate = true;
        a.score = tag_weight(a.tag) + hint_weight(a.hint);
      }
      const double divider = level == 0 ? 1 : (level == 1 ? 2 : level * 3);
      a.score += vote / divider;
      ancestor = a.parent;
    }
  }
  // The best five candidates, best first.
  constexpr int kTop = 5;
  int top[kTop];
  int top_count = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    Node& n = nodes[i];
    if (!n.candidate) continue;
    n.score *= 1 - link_density(n);
    int at = top_count;
    while (at > 0 && nodes[top[at - 1]].score < n.score) --at;
    if (at >= kTop) continue;
    for (int j = std::min(top_count, kTop - 1); j > at; --j) top[j] = top[j - 1];
    top[at] = static_cast<int>(i);
    top_count = std::min(top_count + 1, kTop);
  }
  if (top_count == 0) return -1;
  int best = top[0];
  auto is_top = [&](int n) { return nodes[n].tag == GUMBO_TAG_BODY || nodes[n].parent < 0; };
  // A story split into several chunks (one container per few paragraphs) gives several
  // close candidates: their nearest common ancestor holding three of them is the story.
  int close = 0;
  for (int j = 1; j < top_count; ++j)
    if (nodes[top[j]].score >= 0.75 * nodes[best].score) ++close;
  if (close >= kMinCloseCandidates) {
    for (int a = nodes[best].parent; a >= 0 && !is_top(a); a = nodes[a].parent) {
      const NodeId first = nodes[a].node, end = doc.subtree_end(first);
      int inside = 0;
      for (int j = 1; j < top_count; ++j) {
        const NodeId c = nodes[top[j]].node;
        if (nodes[top[j]].score >= 0.75 * nodes[best].score && c > first && c < end) ++inside;
      }
      if (inside >= kMinCloseCandidates) {
        best = a;
        break;
      }
    }
  }
  // A parent scoring higher than its child on the way up gathers more of the story.
  double last = nodes[best].score;
  const double floor = last / 3;
  for (int a = nodes[best].parent; a >= 0 && !is_top(a); a = nodes[a].parent) {
    if (!nodes[a].candidate) continue;
    if (nodes[a].score < floor) break;
    if (nodes[a].score > last) {
      best = a;
      break;
    }
    last = nodes[a].score;
  }
  // An only child stands for its parent.
  for (int a = nodes[best].parent; a >= 0 && !is_top(a) && !nodes[a].dropped; a = nodes[a].parent) {
    const NodeId dom = nodes[a].node;
    int elements = 0;
    for (NodeId c = doc.first_child(dom); c != kNoNode && elements < 2; c = doc.next_sibling(c))
      if (doc.is_element(c)) ++elements;
    if (elements != 1) break;
    best = a;
  }
  return best;
}

// The container and its siblings that look like more of the same article, in page order.
std::vector<int> content_roots(const Document& doc, const Tree& tree, int best) {
  const auto& nodes = tree.nodes;
  const Node& top = nodes[best];
  if (top.parent < 0 || top.tag == GUMBO_TAG_BODY || top.tag == GUMBO_TAG_HTML) return {best};
  const double threshold = std::max(10.0, top.score * 0.2);
  const std::string_view top_class = doc.attr(top.node, "class");
  std::vector<int> roots;
  for (std::size_t i = static_cast<std::size_t>(top.parent) + 1; i < nodes.size(); ++i) {
    const Node& n = nodes[i];
    if (n.parent != top.parent || n.dropped) continue;
    if (static_cast<int>(i) == best) {
      roots.push_back(best);
      continue;
    }
    double bonus = 0;
    if (!top_class.empty() && doc.attr(n.node, "class") == top_class) bonus = top.score * 0.2;
    bool include = n.candidate && n.score + bonus >= threshold;
    // A sibling whose paragraphs sit deeper than the scored ancestors got no votes; judge it
    // by its text: mostly paragraphs, few links, and the top's class or a fair share of text.
    if (!include && !n.candidate && n.paragraph_text * 2 >= n.text && link_density(n) < 0.25 &&
        n.paragraph_text >= kMinSiblingText) {
      include = (bonus > 0) || n.paragraph_text * 4 >= top.paragraph_text;
    }
    if (!include && n.tag == GUMBO_TAG_P) {
      const double ld = link_density(n);
      include =
          (n.text > 80 && ld < 0.25) || (n.text <= 80 && n.text > 0 && ld == 0 && n.stops > 0);
    }
    if (include) roots.push_back(static_cast<int>(i));
  }
  return roots;
}

// ---- block extraction ----------------------------------------------------------------

struct Block {
  std::string text;
  std::size_t link_bytes = 0;
  std::size_t italic_bytes = 0;  // inside <em> or <i>
  GumboTag tag = GUMBO_TAG_P;
};

class BlockBuilder {
 public:
  explicit BlockBuilder(std::vector<Block>& blocks) : blocks_(blocks) {}

  void text(std::string_view t, bool in_link, bool in_pre, bool in_italic) {
    in_italic_ = in_italic;
    if (in_pre) {
      // Preformatted text keeps its lines.
      std::size_t start = 0;
      while (start <= t.size()) {
        std::size_t nl = t.find('\n', start);
        if (nl == std::string_view::npos) nl = t.size();
        append(t.substr(start, nl - start), in_link);
        if (nl < t.size()) flush();
        start = nl + 1;
      }
      return;
    }
    append(t, in_link);
  }

  void cell_break() {
    if (!current_.empty() && !pending_cell_) {
      current_ += " |";
      pending_space_ = true;
      pending_cell_ = true;
    }
  }

  void flush() {
    while (!current_.empty() && (current_.back() == ' ' || current_.back() == '|')) {
      current_.pop_back();
    }
    if (!current_.empty()) {
      blocks_.push_back({std::move(current_), link_bytes_, italic_bytes_, tag_});
    }
    current_.clear();
    link_bytes_ = 0;
    italic_bytes_ = 0;
    pending_space_ = false;
    pending_cell_ = false;
  }

  void set_tag(GumboTag tag) { tag_ = tag; }

 private:
  void append(std::string_view t, bool in_link) {
    for (char c : t) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        pending_space_ = !current_.empty();
        continue;
      }
      if (pending_space_) {
        current_ += ' ';
        if (in_italic_) ++italic_bytes_;  // spaces count as italic only inside the italics
      }
      pending_space_ = false;
      pending_cell_ = false;
      current_ += c;
      if (in_link) ++link_bytes_;
      if (in_italic_) ++italic_bytes_;
    }
    // "Hello <b>world</b>": the space before the inline element is in the previous node.
  }

  std::vector<Block>& blocks_;
  std::string current_;
  std::size_t link_bytes_ = 0;
  std::size_t italic_bytes_ = 0;
  bool in_italic_ = false;
  bool pending_space_ = false;
  bool pending_cell_ = false;
  GumboTag tag_ = GUMBO_TAG_P;
};

void collect_blocks(const Document& doc, const Tree& tree, NodeId root,
                    std::vector<Block>& blocks) {
  BlockBuilder builder(blocks);
  struct Frame {
    NodeId node;
    bool exit;
  };
  std::vector<Frame> stack{{root, false}};
  std::vector<GumboTag> block_tags{GUMBO_TAG_P};
  int link_depth = 0, pre_depth = 0, italic_depth = 0;
  while (!stack.empty()) {
    const Frame f = stack.back();
    stack.pop_back();
    const NodeId n = f.node;
    if (doc.is_text(n)) {
      builder.set_tag(block_tags.back());
      builder.text(doc.text(n), link_depth > 0, pre_depth > 0, italic_depth > 0);
      continue;
    }
    if (!doc.is_element(n)) continue;
    const El el = element(doc, n);
    const bool block = is_block_tag(el.tag);
    if (f.exit) {
      if (el.tag == GUMBO_TAG_A) --link_depth;
      if (el.tag == GUMBO_TAG_EM || el.tag == GUMBO_TAG_I) --italic_depth;
      if (el.tag == GUMBO_TAG_PRE) --pre_depth;
      if (block) {
        builder.flush();
        block_tags.pop_back();
      }
      continue;
    }
    if (const int i = tree.index_of[n]; i < 0 || tree.nodes[i].dropped) continue;
    if (el.tag == GUMBO_TAG_BR) {
      builder.flush();
      continue;
    }
    if (el.tag == GUMBO_TAG_TD || el.tag == GUMBO_TAG_TH) builder.cell_break();
    if (block) {
      builder.flush();
      block_tags.push_back(el.tag);
    }
    if (el.tag == GUMBO_TAG_A) ++link_depth;
    if (el.tag == GUMBO_TAG_EM || el.tag == GUMBO_TAG_I) ++italic_depth;
    if (el.tag == GUMBO_TAG_PRE) ++pre_depth;
    stack.push_back({n, true});
    for (NodeId c = doc.last_child(n); c != kNoNode; c = doc.prev_sibling(c)) {
      stack.push_back({c, false});
    }
  }
  builder.flush();
}

bool same_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ascii_lower(a) == ascii_lower(b);
}

// A block that titles what follows: a heading element, or a short line that does not end a
// sentence ("More stories", "You may also like", "Like this:").
bool is_label_block(const Block& b, std::string_view text, std::size_t words) {
  if (is_heading(b.tag)) return true;
  if (words > 6) return false;
  const char last = text.back();
  return last == ':' || !ends_with_terminal(text) || text.ends_with("...") ||
         text.ends_with("\xE2\x80\xA6");
}

double link_share(const Block& b, std::string_view text) {
  return static_cast<double>(b.link_bytes) / static_cast<double>(text.size());
}

// A block that is mostly a link: a menu entry, a teaser title.
bool is_link_block(const Block& b, std::string_view text, std::size_t words) {
  const double ld = link_share(b, text);
  return (ld > 0.5 && words < 40) || (ld > 0.3 && words < 10);
}

// An entry of a list of links: a link block, or a short list item that is a good part link
// ("Paid ads are not the problem. <a>Our view on it</a>").
bool is_link_item(const Block& b) {
  const std::string_view text = trim(b.text);
  if (text.empty()) return false;
  const std::size_t words = word_count(text);
  return is_link_block(b, text, words) ||
         (b.tag == GUMBO_TAG_LI && link_share(b, text) > 0.25 && words < kMaxLinkItemWords);
}

// A heading over a grid of teasers that ends the body: entries of a title link and at most one
// short line without links (the teaser's blurb). Returns the end of the grid, or `from` when
// the blocks from `from` on are not one. Blurbs read like short paragraphs of the story, so
// only a grid that starts with a link, has several entries and runs to the end counts.
std::size_t teaser_list_end(const std::vector<Block>& blocks, std::size_t from) {
  std::size_t items = 0;
  bool after_item = false;
  for (std::size_t j = from; j < blocks.size(); ++j) {
    const std::string_view t = trim(blocks[j].text);
    if (t.empty()) continue;
    if (is_link_item(blocks[j])) {
      ++items;
      after_item = true;
      continue;
    }
    if (!after_item || blocks[j].link_bytes > 0 || is_heading(blocks[j].tag) ||
        word_count(t) > kMaxBlurbWords)
      return from;
    after_item = false;
  }
  return items >= kMinBlurbItems ? blocks.size() : from;
}

// Blocks of the article body: drops furniture that survives inside the container.
// `byline` receives the first "By ..." line dropped from the body. A label followed by a
// list of links ("Related stories" + two or more entries) goes with the list, and a label
// ending in ':' that ends the body ("Share this:") goes too.
std::vector<std::string> body_paragraphs(std::vector<Block>& blocks, const std::string& title,
                                         std::string& byline) {
  std::vector<std::string> out;
  bool last_is_label = false;
  std::size_t plain = 0;        // paragraphs not set in italics so far
  std::size_t italic_tail = 0;  // italic paragraphs since the last plain one
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const Block& b = blocks[i];
    if (b.tag == GUMBO_TAG_H1) continue;  // the headline is metadata
    const std::string_view text = trim(b.text);
    if (text.empty()) continue;
    const std::size_t words = word_count(text);
    if (is_link_block(b, text, words)) continue;  // link lists
    if (is_boilerplate_line(text)) continue;
    if (is_byline_or_stamp(text)) {
      if (byline.empty() && ascii_lower(text.substr(0, 3)) == "by ") byline = clean_byline(text);
      continue;
    }
    if (!title.empty() && same_text(text, title)) continue;
    if (!out.empty() && out.back() == text) continue;
    const bool label = is_label_block(b, text, words);
    if (label) {
      std::size_t j = i + 1, items = 0;
      for (; j < blocks.size(); ++j) {
        if (trim(blocks[j].text).empty()) continue;
        if (!is_link_item(blocks[j])) break;
        ++items;
      }
      if (items >= 2) {
        i = j - 1;
        continue;
      }
      if (is_heading(b.tag)) {
        if (const std::size_t end = teaser_list_end(blocks, i + 1); end > i + 1) {
          i = end - 1;
          continue;
        }
      }
    }
    out.emplace_back(text);
    if (b.italic_bytes * 10 >= text.size() * 9 && b.link_bytes > 0) {
      ++italic_tail;
    } else {
      ++plain;
      italic_tail = 0;
    }
    last_is_label = label;
  }
  if (last_is_label && out.size() > 1 && out.back().back() == ':') out.pop_back();
  // Notes set in italics, with a link, after the story ("Follow us on ...", "Have a tip?
  // Write to ...", "Join our forums") are the outlet's, not the story's.
  if (plain >= kMinPlainBeforeNote) out.resize(out.size() - std::min(italic_tail, out.size()));
  return out;
}

// ---- titles, urls --------------------------------------------------------------------

// Lowercase letters and digits only: "Daily Herald" and "dailyherald.example" compare.
std::string squash(std::string_view s) {
  std::string out;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      out += c;
    else if (c >= 'A' && c <= 'Z')
      out += static_cast<char>(c - 'A' + 'a');
    else if (static_cast<unsigned char>(c) >= 0x80)
      out += c;
  }
  return out;
}

bool names_site(std::string_view part, const std::vector<std::string>& site_names) {
  const std::string p = squash(part);
  if (p.empty()) return false;
  for (const std::string& site : site_names) {
    const std::string s = squash(site);
    if (s.empty()) continue;
    if (p == s || (s.size() >= 4 && p.find(s) != std::string::npos) ||
        (p.size() >= 4 && s.find(p) != std::string::npos)) {
      return true;
    }
  }
  return false;
}

constexpr std::string_view kTitleSeparators[] = {
    " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ", " \xC2\xB7 ", " \xE2\x80\xA2 "};

// "Headline | Site" -> "Headline" when the suffix names the site or the prefix is the clean
// title given elsewhere (og:title, h1); also "Site | Headline".
std::string strip_site_suffix(const std::string& title, const std::vector<std::string>& sites,
                              const std::vector<std::string>& clean_forms) {
  for (std::string_view sep : kTitleSeparators) {
    const std::size_t last = title.rfind(sep);
    if (last != std::string::npos && last > 0) {
      const std::string prefix(trim(std::string_view(title).substr(0, last)));
      const std::string_view suffix = trim(std::string_view(title).substr(last + sep.size()));
      bool clean = names_site(suffix, sites);
      for (const std::string& form : clean_forms)
        if (!form.empty() && same_text(collapse_whitespace(form), prefix)) clean = true;
      if (clean && !prefix.empty()) return prefix;
    }
    const std::size_t first = title.find(sep);
    if (first != std::string::npos && first > 0) {
      const std::string_view prefix = trim(std::string_view(title).substr(0, first));
      const std::string rest(trim(std::string_view(title).substr(first + sep.size())));
      if (names_site(prefix, sites) && !rest.empty()) return rest;
    }
  }
  return title;
}

std::string resolve_url(const std::string& href, const std::string& base) {
  if (href.empty() || href.find("://") != std::string::npos) return href;
  const std::size_t scheme = base.find("://");
  if (scheme == std::string::npos) return href;
  if (href.rfind("//", 0) == 0) return base.substr(0, scheme + 1) + href;
  if (href.front() != '/') return href;
  const std::size_t path = base.find('/', scheme + 3);
  return (path == std::string::npos ? base : base.substr(0, path)) + href;
}

std::string first_of(std::initializer_list<const std::string*> values) {
  for (const std::string* v : values)
    if (!v->empty()) return *v;
  return {};
}

}  // namespace

Result<Output> extract_html(std::string_view html, const Page& page, const Options& options) {
  Output out;
  // The parser bounds depth itself; the rewriting pre-pass is only needed where a text run
  // can be overlong, i.e. on pages longer than the limit.
  std::optional<BoundedHtml> bounded;
  if (html.size() > kMaxTextRun) bounded = bound_html(html, options.max_depth, kMaxTextRun);
  bool flattened = false;
  if (bounded) {
    flattened = bounded->flattened;
    if (bounded->text_cut) out.warnings.push_back("overlong text run cut");
    html = bounded->html;
  }
  // One parser per thread: its node and attribute arrays are reused from page to page.
  fast_html::ParseOptions parse_options;
  parse_options.max_depth = options.max_depth;
  thread_local fast_html::Parser default_parser;
  std::optional<fast_html::Parser> own_parser;
  if (parse_options.max_depth != fast_html::ParseOptions{}.max_depth)
    own_parser.emplace(parse_options);
  // Extractor::run hands over valid UTF-8 with control bytes blanked (the bounded rewrite
  // may cut a character, so it is checked again).
  const Document& doc =
      (own_parser ? *own_parser : default_parser).parse(html, /*clean_utf8=*/!bounded);
  if (doc.truncated()) out.warnings.push_back("page has too many elements; the rest was not read");
  if (flattened || doc.flattened()) {
    out.warnings.push_back("markup nested deeper than " + std::to_string(options.max_depth) +
                           " levels was flattened");
  }

  Metadata meta;
  Tree tree = build_tree(doc, doc.root(), meta);
  read_json_ld(meta, out.warnings);

  Article article;
  article.site_name = first_of({&meta.og_site_name, &meta.ld_publisher});
  article.source = article.site_name;
  // A relative canonical link resolves against the page url, else against og:url.
  const std::string& base = page.url.empty() ? meta.og_url : page.url;
  article.canonical_url =
      resolve_url(first_of({&meta.canonical, &meta.og_url, &meta.ld_url}), base);
  const std::string host = url_host(page.url.empty() ? article.canonical_url : page.url);
  std::vector<std::string> sites{article.site_name, meta.ld_publisher, page.source};
  if (!host.empty()) sites.push_back(host.substr(0, host.find('.')));

  const std::string title_tag = strip_site_suffix(collapse_whitespace(meta.title_tag), sites,
                                                  {meta.og_title, meta.h1, meta.ld_headline});
  const std::string og_title = strip_site_suffix(meta.og_title, sites, {meta.h1});
  article.title =
      first_of({&og_title, &meta.ld_headline, &meta.itemprop_headline, &title_tag, &meta.h1});
  article.author = first_of({&meta.ld_author, &meta.meta_author, &meta.byline});
  article.published = meta.date;
  article.description =
      first_of({&meta.og_description, &meta.meta_description, &meta.ld_description});

  std::vector<std::string> paragraphs;
  std::string body_byline;
  if (!tree.nodes.empty()) {
    int best = choose_container(doc, tree);
    if (best < 0) best = tree.body >= 0 ? tree.body : 0;
    std::vector<Block> blocks;
    for (int root : content_roots(doc, tree, best))
      collect_blocks(doc, tree, tree.nodes[root].node, blocks);
    paragraphs = body_paragraphs(blocks, article.title, body_byline);
    if (paragraphs.empty() && best != tree.body && tree.body >= 0) {
      blocks.clear();
      collect_blocks(doc, tree, tree.nodes[tree.body].node, blocks);
      paragraphs = body_paragraphs(blocks, article.title, body_byline);
    }
  }
  if (article.author.empty()) article.author = body_byline;
  if (!paragraphs.empty()) {
    if (auto dateline = split_dateline(paragraphs.front())) {
      article.dateline = std::string(dateline->place);
      paragraphs.front() = std::string(dateline->rest);
    }
    article.truncated =
        word_count(paragraphs.back()) >= 20 && !ends_with_terminal(paragraphs.back());
  }
  for (const std::string& p : paragraphs) {
    if (!article.text.empty()) article.text += '\n';
    article.text += p;
  }
  if (article.text.empty()) article.warnings.push_back("no article text found in the HTML");

  article.language = detect_language(article.title + "\n" + article.text);
  if (article.language == "un" && meta.html_lang.size() >= 2) {
    const std::string primary = meta.html_lang.substr(0, meta.html_lang.find('-'));
    if (primary.size() == 2) article.language = primary;
  }
  if (article.text.empty() && article.title.empty()) {
    out.warnings.push_back("no article found in the HTML");
    return out;
  }
  out.articles.push_back(std::move(article));
  return out;
}

}  // namespace storyline::extract::detail
