// libxml2 helpers for the feed and sitemap readers.
#include "ingest/xml_util.h"

#include <libxml/HTMLparser.h>
#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/uri.h>
#include <libxml/xmlsave.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <utility>

#include "common/text_util.h"

namespace storyline::ingest::xml {
namespace {

constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                              XML_PARSE_NOCDATA | XML_PARSE_NOBLANKS;
constexpr std::size_t kMaxEntityChars = 1024;  // an internal entity expanded by text()
constexpr std::size_t kMaxEntityName = 32;
constexpr std::array<std::string_view, 5> kXmlEntities = {"amp", "lt", "gt", "quot", "apos"};

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Prepares feed bytes for a strict XML parser the way lenient feed readers read them:
// "&eacute;" -> "&#233;" for HTML 4 entity names the document does not declare, "&#X41;" ->
// "&#x41;", and a bare '&' or an unknown entity name kept as literal text ("&amp;...").
// `repaired` is set when the input was not well-formed XML because of them.
std::string prepare_entities(std::string_view bytes, bool& repaired) {
  repaired = false;
  if (bytes.find('&') == std::string_view::npos) return std::string(bytes);
  const bool has_dtd = bytes.find("<!ENTITY") != std::string_view::npos;
  // CDATA sections and comments, where '&' is plain text: found lazily, in order.
  std::size_t raw_begin = 0;
  std::size_t raw_end = 0;
  auto next_raw = [&](std::size_t from) {
    const std::size_t cdata = bytes.find("<![CDATA[", from);
    const std::size_t comment = bytes.find("<!--", from);
    raw_begin = std::min(cdata, comment);
    if (raw_begin == std::string_view::npos) {
      raw_end = raw_begin;
      return;
    }
    const std::size_t close = bytes.find(raw_begin == cdata ? "]]>" : "-->", raw_begin);
    raw_end = close == std::string_view::npos ? bytes.size() : close;
  };
  next_raw(0);
  std::string out;
  out.reserve(bytes.size() + 64);
  std::size_t at = 0;
  while (at < bytes.size()) {
    const std::size_t amp = bytes.find('&', at);
    if (amp == std::string_view::npos) {
      out.append(bytes.substr(at));
      break;
    }
    out.append(bytes.substr(at, amp - at));
    at = amp + 1;
    while (raw_begin != std::string_view::npos && raw_end < amp) next_raw(raw_end);
    if (raw_begin != std::string_view::npos && raw_begin < amp && amp < raw_end) {
      out += '&';
      continue;
    }
    if (amp + 1 < bytes.size() && bytes[amp + 1] == '#') {
      std::size_t end = amp + 2;
      const bool hex = end < bytes.size() && (bytes[end] == 'x' || bytes[end] == 'X');
      if (hex) ++end;
      const std::size_t digits_start = end;
      while (end < bytes.size() && end - amp <= kMaxEntityName &&
             (hex ? std::isxdigit(static_cast<unsigned char>(bytes[end]))
                  : std::isdigit(static_cast<unsigned char>(bytes[end]))))
        ++end;
      if (end > digits_start && end < bytes.size() && bytes[end] == ';') {
        out += hex ? "&#x" : "&#";
        out.append(bytes.substr(digits_start, end - digits_start + 1));
        at = end + 1;
        continue;
      }
      out += "&amp;";
      repaired = true;
      continue;
    }
    std::size_t end = amp + 1;
    while (end < bytes.size() && end - amp <= kMaxEntityName &&
           (is_name_char(bytes[end]) || bytes[end] == '.' || bytes[end] == '-' ||
            bytes[end] == '_' || bytes[end] == ':'))
      ++end;
    if (end < bytes.size() && bytes[end] == ';' && end > amp + 1) {
      const std::string name(bytes.substr(amp + 1, end - amp - 1));
      bool keep = false;
      for (const std::string_view xml_name : kXmlEntities) keep = keep || name == xml_name;
      if (!keep && has_dtd && bytes.find("<!ENTITY " + name) != std::string_view::npos) keep = true;
      if (keep) {
        out += '&';
        continue;
      }
      if (const htmlEntityDesc* entity =
              htmlEntityLookup(reinterpret_cast<const xmlChar*>(name.c_str()))) {
        out += "&#" + std::to_string(entity->value) + ";";
        at = end + 1;
        continue;
      }
    }
    out += "&amp;";
    repaired = true;
  }
  return out;
}

// libxml2 reports some errors (encoding conversion) through its generic handler, which
// prints to stderr by default; a library must not print, and the parser context already
// tells us whether the document was well-formed.
void ignore_generic(void*, const char*, ...) {}
void ignore_structured(void*, xmlErrorPtr) {}

void append_capped(std::string& out, std::string_view piece, std::size_t max_bytes) {
  if (out.size() >= max_bytes) return;
  out.append(piece.substr(0, max_bytes - out.size()));
}

}  // namespace

Parsed parse(std::string_view bytes) {
  Parsed parsed;
  // Per thread in libxml2: set before every parse, as other code may have changed it.
  xmlSetGenericErrorFunc(nullptr, &ignore_generic);
  xmlSetStructuredErrorFunc(nullptr, &ignore_structured);
  bool repaired = false;
  const std::string prepared = prepare_entities(bytes, repaired);
  const int size = static_cast<int>(std::min<std::size_t>(prepared.size(), INT32_MAX));
  xmlParserCtxtPtr context = xmlNewParserCtxt();
  if (!context) return parsed;
  xmlDoc* doc = xmlCtxtReadMemory(context, prepared.data(), size, nullptr, nullptr, kParseOptions);
  parsed.well_formed = doc && context->wellFormed;
  if (parsed.well_formed && repaired) {
    parsed.well_formed = false;
    parsed.error = "bare '&' or unknown entity kept as text";
  } else if (!parsed.well_formed) {
    if (const xmlError* error = xmlCtxtGetLastError(context); error && error->message) {
      parsed.error = std::string(trim(error->message));
      if (error->line > 0) parsed.error += " (line " + std::to_string(error->line) + ")";
    } else {
      parsed.error = "not well-formed XML";
    }
    if (doc) xmlFreeDoc(doc);
    doc = xmlCtxtReadMemory(context, prepared.data(), size, nullptr, nullptr,
                            kParseOptions | XML_PARSE_RECOVER);
  }
  xmlFreeParserCtxt(context);
  parsed.doc.reset(doc);
  return parsed;
}

std::string local_name(const xmlNode* node) {
  if (!node || !node->name) return {};
  std::string_view name(reinterpret_cast<const char*>(node->name));
  if (const std::size_t colon = name.rfind(':'); colon != std::string_view::npos)
    name.remove_prefix(colon + 1);  // recover mode keeps unbound prefixes in the name
  return ascii_lower(name);
}

std::string_view ns_uri(const xmlNode* node) {
  if (!node || !node->ns || !node->ns->href) return {};
  return reinterpret_cast<const char*>(node->ns->href);
}

std::string attribute(const xmlNode* node, const char* name) {
  if (!node || node->type != XML_ELEMENT_NODE) return {};
  for (const xmlAttr* attr = node->properties; attr; attr = attr->next) {
    if (!attr->name) continue;
    if (ascii_lower(reinterpret_cast<const char*>(attr->name)) != name) continue;
    std::string value;
    for (const xmlNode* c = attr->children; c; c = c->next) {
      if (c->content) value += reinterpret_cast<const char*>(c->content);
    }
    return std::string(trim(value));
  }
  return {};
}

bool has_attribute(const xmlNode* node, const char* name) {
  if (!node || node->type != XML_ELEMENT_NODE) return false;
  for (const xmlAttr* attr = node->properties; attr; attr = attr->next) {
    if (attr->name && ascii_lower(reinterpret_cast<const char*>(attr->name)) == name) return true;
  }
  return false;
}

std::vector<xmlNode*> children(const xmlNode* node) {
  std::vector<xmlNode*> out;
  if (!node) return out;
  for (xmlNode* c = node->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  }
  return out;
}

xmlNode* child(const xmlNode* node, std::string_view name) {
  if (!node) return nullptr;
  for (xmlNode* c = node->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && local_name(c) == name) return c;
  }
  return nullptr;
}

bool has_element_children(const xmlNode* node) {
  if (!node) return false;
  for (const xmlNode* c = node->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) return true;
  }
  return false;
}

std::string text(const xmlNode* node, std::size_t max_bytes) {
  std::string out;
  if (!node) return out;
  // Iterative pre-order walk below `node`.
  const xmlNode* current = node->children;
  while (current && out.size() < max_bytes) {
    if (current->type == XML_TEXT_NODE || current->type == XML_CDATA_SECTION_NODE) {
      if (current->content)
        append_capped(out, reinterpret_cast<const char*>(current->content), max_bytes);
    } else if (current->type == XML_ENTITY_REF_NODE) {
      // One level: the declared replacement text, short, taken literally.
      const xmlEntity* entity = xmlGetDocEntity(current->doc, current->name);
      if (entity && entity->etype == XML_INTERNAL_GENERAL_ENTITY && entity->content) {
        const std::string_view content(reinterpret_cast<const char*>(entity->content));
        if (content.size() <= kMaxEntityChars) append_capped(out, content, max_bytes);
      }
    } else if (current->type == XML_ELEMENT_NODE && current->children) {
      current = current->children;
      continue;
    }
    while (current && !current->next && current != node) current = current->parent;
    if (!current || current == node) break;
    current = current->next;
  }
  return std::string(trim(out));
}

std::string resolve(const xmlNode* node, const std::string& href) {
  if (href.empty() || !node) return href;
  xmlChar* base = xmlNodeGetBase(node->doc, node);
  if (!base) return href;
  xmlChar* full = xmlBuildURI(reinterpret_cast<const xmlChar*>(href.c_str()), base);
  xmlFree(base);
  if (!full) return href;
  std::string out(reinterpret_cast<const char*>(full));
  xmlFree(full);
  return out;
}

namespace {

// Attributes holding URLs, resolved against xml:base in inline content.
constexpr std::array<const char*, 4> kUrlAttributes = {"href", "src", "cite", "longdesc"};
constexpr std::string_view kXlinkNs = "http://www.w3.org/1999/xlink";
constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";
constexpr std::string_view kSvgNs = "http://www.w3.org/2000/svg";
constexpr std::string_view kMathNs = "http://www.w3.org/1998/Math/MathML";

// Resolves relative URL attributes (without a namespace) below `node` against their
// xml:base (iterative walk).
void resolve_descendants(xmlNode* node) {
  xmlNode* current = node->children;
  while (current) {
    if (current->type == XML_ELEMENT_NODE) {
      for (const char* name : kUrlAttributes) {
        xmlChar* value = xmlGetNoNsProp(current, reinterpret_cast<const xmlChar*>(name));
        if (!value) continue;
        const std::string resolved =
            resolve(current, std::string(trim(reinterpret_cast<const char*>(value))));
        xmlFree(value);
        xmlSetProp(current, reinterpret_cast<const xmlChar*>(name),
                   reinterpret_cast<const xmlChar*>(resolved.c_str()));
      }
      if (current->children) {
        current = current->children;
        continue;
      }
    }
    while (current && !current->next && current != node) current = current->parent;
    if (!current || current == node) break;
    current = current->next;
  }
}

void append_escaped(std::string& out, std::string_view text, bool attribute) {
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        if (attribute) {
          out += "&quot;";
          break;
        }
        [[fallthrough]];
      default:
        out += c;
    }
  }
}

std::string_view ns_href(const xmlNs* ns) {
  return ns && ns->href ? std::string_view(reinterpret_cast<const char*>(ns->href))
                        : std::string_view();
}

// "<name attr="value" ...>" the way feed readers re-serialise inline XHTML: element names
// without their prefix, attributes by local name (xlink: and xml: kept), the SVG and MathML
// roots with their namespace, xlink declarations kept.
void open_tag(std::string& out, const xmlNode* node) {
  const std::string_view name(reinterpret_cast<const char*>(node->name));
  out += '<';
  out += name;
  for (const xmlAttr* attr = node->properties; attr; attr = attr->next) {
    out += ' ';
    const std::string_view href = ns_href(attr->ns);
    if (href == kXlinkNs) out += "xlink:";
    if (href == kXmlNs) out += "xml:";
    out += reinterpret_cast<const char*>(attr->name);
    out += "=\"";
    if (xmlChar* value = xmlNodeGetContent(reinterpret_cast<const xmlNode*>(attr))) {
      append_escaped(out, reinterpret_cast<const char*>(value), /*attribute=*/true);
      xmlFree(value);
    }
    out += '"';
  }
  const std::string_view href = ns_href(node->ns);
  if ((name == "svg" && href == kSvgNs) || (name == "math" && href == kMathNs)) {
    out += " xmlns=\"";
    out += href;
    out += '"';
  }
  for (const xmlNs* ns = node->nsDef; ns; ns = ns->next) {
    if (ns->prefix && ns_href(ns) == kXlinkNs) {
      out += " xmlns:";
      out += reinterpret_cast<const char*>(ns->prefix);
      out += "=\"";
      out += kXlinkNs;
      out += '"';
    }
  }
  out += '>';
}

}  // namespace

std::string inner_xml(const xmlNode* node) {
  if (!node) return {};
  // The tree is ours (parsed per call); resolving in place is cheaper than copying it.
  resolve_descendants(const_cast<xmlNode*>(node));
  std::string out;
  auto close = [&](const xmlNode* element) {
    out += "</";
    out += reinterpret_cast<const char*>(element->name);
    out += '>';
  };
  const xmlNode* current = node->children;
  while (current) {
    if (current->type == XML_TEXT_NODE || current->type == XML_CDATA_SECTION_NODE) {
      if (current->content)
        append_escaped(out, reinterpret_cast<const char*>(current->content), false);
    } else if (current->type == XML_ENTITY_REF_NODE) {
      const xmlEntity* entity = xmlGetDocEntity(current->doc, current->name);
      if (entity && entity->etype == XML_INTERNAL_GENERAL_ENTITY && entity->content) {
        const std::string_view content(reinterpret_cast<const char*>(entity->content));
        if (content.size() <= kMaxEntityChars) append_escaped(out, content, false);
      }
    } else if (current->type == XML_ELEMENT_NODE) {
      open_tag(out, current);
      if (current->children) {
        current = current->children;
        continue;
      }
      close(current);
    }
    while (current && !current->next && current != node) {
      current = current->parent;
      if (current && current != node) close(current);
    }
    if (!current || current == node) break;
    current = current->next;
  }
  return std::string(trim(out));
}

}  // namespace storyline::ingest::xml

namespace storyline::ingest {

std::string first_xml_element(std::string_view bytes, std::size_t window) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  bytes = bytes.substr(0, window);
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const char c = bytes[pos];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++pos;
      continue;
    }
    if (c != '<' || pos + 1 >= bytes.size()) return {};
    const char next = bytes[pos + 1];
    if (next == '?' || next == '!') {
      std::size_t close;
      if (bytes.substr(pos).starts_with("<!--")) {
        close = bytes.find("-->", pos);
        if (close != std::string_view::npos) close += 2;
      } else if (next == '!') {
        // A doctype may hold an internal subset in brackets.
        const std::size_t bracket = bytes.find('[', pos);
        const std::size_t gt = bytes.find('>', pos);
        close = gt;
        if (bracket != std::string_view::npos && gt != std::string_view::npos && bracket < gt) {
          const std::size_t end = bytes.find("]", bracket);
          close = end == std::string_view::npos ? end : bytes.find('>', end);
        }
      } else {
        close = bytes.find("?>", pos);
        if (close != std::string_view::npos) close += 1;
      }
      if (close == std::string_view::npos) return {};
      pos = close + 1;
      continue;
    }
    std::size_t end = pos + 1;
    while (end < bytes.size() && (xml::is_name_char(bytes[end]) || bytes[end] == ':' ||
                                  bytes[end] == '-' || bytes[end] == '_' || bytes[end] == '.'))
      ++end;
    return ascii_lower(bytes.substr(pos + 1, end - pos - 1));
  }
  return {};
}

}  // namespace storyline::ingest
