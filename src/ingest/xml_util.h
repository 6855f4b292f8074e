// Safe libxml2 parsing for feeds and sitemaps, and small tree helpers. Internal to src/ingest.
//
// Safety: XML_PARSE_NONET (no network), no XML_PARSE_NOENT (entities are never substituted by
// the parser), no DTD loading; entity references left in the tree are expanded by the text
// helpers below one level deep and capped, so neither a loop nor a "billion laughs" document
// can grow the output. Tree walks are iterative; libxml2 itself limits nesting depth.
#pragma once

#include <libxml/tree.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace storyline::ingest::xml {

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

struct Parsed {
  DocPtr doc;
  bool well_formed = false;  // false: bare '&' or unknown entities repaired, or recover mode
  std::string error;         // the first well-formedness problem, if any
};

// Parses `bytes`; on a well-formedness error parses again in recover mode. HTML named
// entities (&nbsp;, &eacute;, ...) that the document does not declare are turned into
// character references first, as feeds use them without a DTD; a bare '&' and an unknown
// entity are kept as literal text (and make the document not well-formed). `doc` is null only when
// nothing could be recovered.
Parsed parse(std::string_view bytes);

// The element's local name, lowercase ("dc:creator" -> "creator").
std::string local_name(const xmlNode* node);
// The element's namespace URI, or empty.
std::string_view ns_uri(const xmlNode* node);
// The value of an attribute by local name (any namespace), or empty.
std::string attribute(const xmlNode* node, const char* name);
bool has_attribute(const xmlNode* node, const char* name);

// Element children, in order.
std::vector<xmlNode*> children(const xmlNode* node);
// First element child with this local name (and namespace prefix-free), or null.
xmlNode* child(const xmlNode* node, std::string_view name);

// Concatenated text of the node's descendants (CDATA included, entity references expanded
// one level), trimmed. Capped at `max_bytes`.
std::string text(const xmlNode* node, std::size_t max_bytes = std::size_t{8} << 20);
// The node's children serialized as XML (inline XHTML content), trimmed.
std::string inner_xml(const xmlNode* node);
// `href` resolved against the node's xml:base (inherited); `href` itself when there is no base
// or it is absolute already.
std::string resolve(const xmlNode* node, const std::string& href);
// True when the node has element children.
bool has_element_children(const xmlNode* node);

}  // namespace storyline::ingest::xml

namespace storyline::ingest {
// The first element's name in `bytes` (lowercase, prefix kept: "rdf:rdf"), skipping a BOM,
// the XML prolog, comments, processing instructions and a doctype; empty when the input does
// not start like XML. Looks at the first `window` bytes only. No parser involved.
std::string first_xml_element(std::string_view bytes, std::size_t window = 4096);
}  // namespace storyline::ingest
