// HTML cleaning for feed fields. The tokenizer follows the SGML-style reading feed readers
// use (tags are handled one by one, never nested or balanced; a start tag ends at the first
// '<' or '>' outside a quoted value), so the output matches what those readers show.
#include "ingest/sanitize.h"

#include <libxml/HTMLparser.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace storyline::ingest {
namespace {

// A fixed set of words, sorted once; lookups by binary search (no allocation).
class WordSet {
 public:
  WordSet(std::initializer_list<std::string_view> words) : words_(words) {
    std::sort(words_.begin(), words_.end());
  }
  bool has(std::string_view word) const {
    return std::binary_search(words_.begin(), words_.end(), word);
  }

 private:
  std::vector<std::string_view> words_;
};

const WordSet& html_elements() {
  static const WordSet set = {
      "a",          "abbr",     "acronym", "address",    "area",    "article",      "aside",
      "audio",      "b",        "big",     "blockquote", "br",      "button",       "canvas",
      "caption",    "center",   "cite",    "code",       "col",     "colgroup",     "command",
      "datagrid",   "datalist", "dd",      "del",        "details", "dfn",          "dialog",
      "dir",        "div",      "dl",      "dt",         "em",      "event-source", "fieldset",
      "figcaption", "figure",   "font",    "footer",     "form",    "h1",           "h2",
      "h3",         "h4",       "h5",      "h6",         "header",  "hr",           "i",
      "img",        "input",    "ins",     "kbd",        "keygen",  "label",        "legend",
      "li",         "m",        "map",     "menu",       "meter",   "multicol",     "nav",
      "nextid",     "noscript", "ol",      "optgroup",   "option",  "output",       "p",
      "pre",        "progress", "q",       "rp",         "rt",      "ruby",         "s",
      "samp",       "section",  "select",  "small",      "sound",   "source",       "spacer",
      "span",       "strike",   "strong",  "sub",        "sup",     "table",        "tbody",
      "td",         "textarea", "tfoot",   "th",         "thead",   "time",         "tr",
      "tt",         "u",        "ul",      "var",        "video"};
  return set;
}

const WordSet& html_attributes() {
  static const WordSet set = {"abbr",
                              "accept",
                              "accept-charset",
                              "accesskey",
                              "action",
                              "align",
                              "alt",
                              "autocomplete",
                              "autofocus",
                              "axis",
                              "background",
                              "balance",
                              "bgcolor",
                              "bgproperties",
                              "border",
                              "bordercolor",
                              "bordercolordark",
                              "bordercolorlight",
                              "bottompadding",
                              "cellpadding",
                              "cellspacing",
                              "ch",
                              "challenge",
                              "char",
                              "charoff",
                              "charset",
                              "checked",
                              "choff",
                              "cite",
                              "class",
                              "clear",
                              "color",
                              "cols",
                              "colspan",
                              "compact",
                              "contenteditable",
                              "controls",
                              "coords",
                              "data",
                              "datafld",
                              "datapagesize",
                              "datasrc",
                              "datetime",
                              "default",
                              "delay",
                              "dir",
                              "disabled",
                              "draggable",
                              "dynsrc",
                              "enctype",
                              "end",
                              "face",
                              "for",
                              "form",
                              "frame",
                              "galleryimg",
                              "gutter",
                              "headers",
                              "height",
                              "hidden",
                              "hidefocus",
                              "high",
                              "href",
                              "hreflang",
                              "hspace",
                              "icon",
                              "id",
                              "inputmode",
                              "ismap",
                              "keytype",
                              "label",
                              "lang",
                              "leftspacing",
                              "list",
                              "longdesc",
                              "loop",
                              "loopcount",
                              "loopend",
                              "loopstart",
                              "low",
                              "lowsrc",
                              "max",
                              "maxlength",
                              "media",
                              "method",
                              "min",
                              "multiple",
                              "name",
                              "nohref",
                              "noshade",
                              "nowrap",
                              "open",
                              "optimum",
                              "pattern",
                              "ping",
                              "point-size",
                              "poster",
                              "pqg",
                              "preload",
                              "prompt",
                              "radiogroup",
                              "readonly",
                              "rel",
                              "repeat-max",
                              "repeat-min",
                              "replace",
                              "required",
                              "rev",
                              "rightspacing",
                              "rows",
                              "rowspan",
                              "rules",
                              "scope",
                              "selected",
                              "shape",
                              "size",
                              "span",
                              "src",
                              "start",
                              "step",
                              "style",
                              "summary",
                              "suppress",
                              "tabindex",
                              "target",
                              "template",
                              "title",
                              "toppadding",
                              "type",
                              "unselectable",
                              "urn",
                              "usemap",
                              "valign",
                              "value",
                              "variable",
                              "volume",
                              "vrml",
                              "vspace",
                              "width",
                              "wrap",
                              "xml:lang"};
  return set;
}

// Dropped together with everything inside them.
const WordSet& dropped_with_content() {
  static const WordSet set = {"applet", "script", "style"};
  return set;
}

const WordSet& void_elements() {
  static const WordSet set = {"area",  "base",  "basefont", "br",    "col",     "command", "embed",
                              "frame", "hr",    "img",      "input", "isindex", "keygen",  "link",
                              "meta",  "param", "source",   "track", "wbr"};
  return set;
}

const WordSet& css_properties() {
  static const WordSet set = {"azimuth",
                              "background-color",
                              "border-bottom-color",
                              "border-collapse",
                              "border-color",
                              "border-left-color",
                              "border-right-color",
                              "border-top-color",
                              "clear",
                              "color",
                              "cursor",
                              "direction",
                              "display",
                              "elevation",
                              "float",
                              "font",
                              "font-family",
                              "font-size",
                              "font-style",
                              "font-variant",
                              "font-weight",
                              "height",
                              "letter-spacing",
                              "line-height",
                              "overflow",
                              "pause",
                              "pause-after",
                              "pause-before",
                              "pitch",
                              "pitch-range",
                              "richness",
                              "speak",
                              "speak-header",
                              "speak-numeral",
                              "speak-punctuation",
                              "speech-rate",
                              "stress",
                              "text-align",
                              "text-decoration",
                              "text-indent",
                              "unicode-bidi",
                              "vertical-align",
                              "voice-family",
                              "volume",
                              "white-space",
                              "width"};
  return set;
}

const WordSet& css_keywords() {
  static const WordSet set = {
      "!important", "aqua",   "auto",   "black",       "block",     "blue",   "bold",    "both",
      "bottom",     "brown",  "center", "collapse",    "dashed",    "dotted", "fuchsia", "gray",
      "green",      "italic", "left",   "lime",        "maroon",    "medium", "navy",    "none",
      "normal",     "nowrap", "olive",  "pointer",     "purple",    "red",    "right",   "silver",
      "solid",      "teal",   "top",    "transparent", "underline", "white",  "yellow"};
  return set;
}

const WordSet& svg_css_properties() {
  static const WordSet set = {"fill",           "fill-opacity",   "fill-rule",
                              "stroke",         "stroke-linecap", "stroke-linejoin",
                              "stroke-opacity", "stroke-width"};
  return set;
}

const WordSet& mathml_elements() {
  static const WordSet set = {"annotation",
                              "annotation-xml",
                              "maction",
                              "maligngroup",
                              "malignmark",
                              "math",
                              "menclose",
                              "merror",
                              "mfenced",
                              "mfrac",
                              "mglyph",
                              "mi",
                              "mlabeledtr",
                              "mlongdiv",
                              "mmultiscripts",
                              "mn",
                              "mo",
                              "mover",
                              "mpadded",
                              "mphantom",
                              "mprescripts",
                              "mroot",
                              "mrow",
                              "ms",
                              "mscarries",
                              "mscarry",
                              "msgroup",
                              "msline",
                              "mspace",
                              "msqrt",
                              "msrow",
                              "mstack",
                              "mstyle",
                              "msub",
                              "msubsup",
                              "msup",
                              "mtable",
                              "mtd",
                              "mtext",
                              "mtr",
                              "munder",
                              "munderover",
                              "none",
                              "semantics"};
  return set;
}

const WordSet& mathml_attributes() {
  static const WordSet set = {"accent",
                              "accentunder",
                              "actiontype",
                              "align",
                              "alignmentscope",
                              "altimg",
                              "altimg-height",
                              "altimg-valign",
                              "altimg-width",
                              "alttext",
                              "bevelled",
                              "charalign",
                              "close",
                              "columnalign",
                              "columnlines",
                              "columnspacing",
                              "columnspan",
                              "columnwidth",
                              "crossout",
                              "decimalpoint",
                              "denomalign",
                              "depth",
                              "dir",
                              "display",
                              "displaystyle",
                              "edge",
                              "encoding",
                              "equalcolumns",
                              "equalrows",
                              "fence",
                              "fontstyle",
                              "fontweight",
                              "form",
                              "frame",
                              "framespacing",
                              "groupalign",
                              "height",
                              "href",
                              "id",
                              "indentalign",
                              "indentalignfirst",
                              "indentalignlast",
                              "indentshift",
                              "indentshiftfirst",
                              "indentshiftlast",
                              "indenttarget",
                              "infixlinebreakstyle",
                              "largeop",
                              "length",
                              "linebreak",
                              "linebreakmultchar",
                              "linebreakstyle",
                              "lineleading",
                              "linethickness",
                              "location",
                              "longdivstyle",
                              "lquote",
                              "lspace",
                              "mathbackground",
                              "mathcolor",
                              "mathsize",
                              "mathvariant",
                              "maxsize",
                              "minlabelspacing",
                              "minsize",
                              "movablelimits",
                              "notation",
                              "numalign",
                              "open",
                              "other",
                              "overflow",
                              "position",
                              "rowalign",
                              "rowlines",
                              "rowspacing",
                              "rowspan",
                              "rquote",
                              "rspace",
                              "scriptlevel",
                              "scriptminsize",
                              "scriptsizemultiplier",
                              "selection",
                              "separator",
                              "separators",
                              "shift",
                              "side",
                              "src",
                              "stackalign",
                              "stretchy",
                              "subscriptshift",
                              "superscriptshift",
                              "symmetric",
                              "voffset",
                              "width",
                              "xlink:href",
                              "xlink:show",
                              "xlink:type",
                              "xmlns",
                              "xmlns:xlink"};
  return set;
}

// SVG Tiny vocabulary; names are compared in lowercase and written in their own case.
constexpr std::string_view kSvgElements[] = {"a",
                                             "animate",
                                             "animateColor",
                                             "animateMotion",
                                             "animateTransform",
                                             "circle",
                                             "defs",
                                             "desc",
                                             "ellipse",
                                             "font-face",
                                             "font-face-name",
                                             "font-face-src",
                                             "foreignObject",
                                             "g",
                                             "glyph",
                                             "hkern",
                                             "line",
                                             "linearGradient",
                                             "marker",
                                             "metadata",
                                             "missing-glyph",
                                             "mpath",
                                             "path",
                                             "polygon",
                                             "polyline",
                                             "radialGradient",
                                             "rect",
                                             "set",
                                             "stop",
                                             "svg",
                                             "switch",
                                             "text",
                                             "title",
                                             "tspan",
                                             "use"};
constexpr std::string_view kSvgAttributes[] = {"accent-height",
                                               "accumulate",
                                               "additive",
                                               "alphabetic",
                                               "arabic-form",
                                               "ascent",
                                               "attributeName",
                                               "attributeType",
                                               "baseProfile",
                                               "bbox",
                                               "begin",
                                               "by",
                                               "calcMode",
                                               "cap-height",
                                               "class",
                                               "color",
                                               "color-rendering",
                                               "content",
                                               "cx",
                                               "cy",
                                               "d",
                                               "descent",
                                               "display",
                                               "dur",
                                               "dx",
                                               "dy",
                                               "end",
                                               "fill",
                                               "fill-opacity",
                                               "fill-rule",
                                               "font-family",
                                               "font-size",
                                               "font-stretch",
                                               "font-style",
                                               "font-variant",
                                               "font-weight",
                                               "from",
                                               "fx",
                                               "fy",
                                               "g1",
                                               "g2",
                                               "glyph-name",
                                               "gradientUnits",
                                               "hanging",
                                               "height",
                                               "horiz-adv-x",
                                               "horiz-origin-x",
                                               "id",
                                               "ideographic",
                                               "k",
                                               "keyPoints",
                                               "keySplines",
                                               "keyTimes",
                                               "lang",
                                               "marker-end",
                                               "marker-mid",
                                               "marker-start",
                                               "markerHeight",
                                               "markerUnits",
                                               "markerWidth",
                                               "mathematical",
                                               "max",
                                               "min",
                                               "name",
                                               "offset",
                                               "opacity",
                                               "orient",
                                               "origin",
                                               "overline-position",
                                               "overline-thickness",
                                               "panose-1",
                                               "path",
                                               "pathLength",
                                               "points",
                                               "preserveAspectRatio",
                                               "r",
                                               "refX",
                                               "refY",
                                               "repeatCount",
                                               "repeatDur",
                                               "requiredExtensions",
                                               "requiredFeatures",
                                               "restart",
                                               "rotate",
                                               "rx",
                                               "ry",
                                               "slope",
                                               "stemh",
                                               "stemv",
                                               "stop-color",
                                               "stop-opacity",
                                               "strikethrough-position",
                                               "strikethrough-thickness",
                                               "stroke",
                                               "stroke-dasharray",
                                               "stroke-dashoffset",
                                               "stroke-linecap",
                                               "stroke-linejoin",
                                               "stroke-miterlimit",
                                               "stroke-opacity",
                                               "stroke-width",
                                               "systemLanguage",
                                               "target",
                                               "text-anchor",
                                               "to",
                                               "transform",
                                               "type",
                                               "u1",
                                               "u2",
                                               "underline-position",
                                               "underline-thickness",
                                               "unicode",
                                               "unicode-range",
                                               "units-per-em",
                                               "values",
                                               "version",
                                               "viewBox",
                                               "visibility",
                                               "width",
                                               "widths",
                                               "x",
                                               "x-height",
                                               "x1",
                                               "x2",
                                               "xlink:actuate",
                                               "xlink:arcrole",
                                               "xlink:href",
                                               "xlink:role",
                                               "xlink:show",
                                               "xlink:title",
                                               "xlink:type",
                                               "xml:base",
                                               "xml:lang",
                                               "xml:space",
                                               "xmlns",
                                               "xmlns:xlink",
                                               "y",
                                               "y1",
                                               "y2",
                                               "zoomAndPan"};

// Lowercase name -> name as written, sorted by the lowercase name.
class CaseMap {
 public:
  template <std::size_t N>
  explicit CaseMap(const std::string_view (&names)[N]) {
    for (const std::string_view name : names) {
      std::string lower(name);
      for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      entries_.emplace_back(std::move(lower), name);
    }
    std::sort(entries_.begin(), entries_.end());
  }
  // The name as written, or empty when `lower` is not in the set.
  std::string_view find(std::string_view lower) const {
    const auto it =
        std::lower_bound(entries_.begin(), entries_.end(), lower,
                         [](const std::pair<std::string, std::string_view>& e, std::string_view k) {
                           return std::string_view(e.first) < k;
                         });
    if (it == entries_.end() || it->first != lower) return {};
    return it->second;
  }

 private:
  std::vector<std::pair<std::string, std::string_view>> entries_;
};

const CaseMap& svg_elements() {
  static const CaseMap map(kSvgElements);
  return map;
}
const CaseMap& svg_attributes() {
  static const CaseMap map(kSvgAttributes);
  return map;
}

const WordSet& url_schemes() {
  static const WordSet set = {"file",  "ftp",      "gopher",  "h323",   "hdl",   "http", "https",
                              "imap",  "magnet",   "mailto",  "mms",    "news",  "nntp", "prospero",
                              "rsync", "rtsp",     "rtspu",   "sftp",   "shttp", "sip",  "sips",
                              "snews", "svn",      "svn+ssh", "telnet", "wais",  "aim",  "callto",
                              "cvs",   "facetime", "feed",    "git",    "gtalk", "irc",  "ircs",
                              "irc6",  "itms",     "msnim",   "skype",  "ssh",   "smb",  "ymsg"};
  return set;
}

// (element, attribute) pairs holding a URL to resolve against the base.
bool holds_relative_url(std::string_view tag, std::string_view attr) {
  static constexpr std::pair<std::string_view, std::string_view> kPairs[] = {
      {"a", "href"},          {"applet", "codebase"}, {"area", "href"},       {"audio", "src"},
      {"blockquote", "cite"}, {"body", "background"}, {"del", "cite"},        {"form", "action"},
      {"frame", "longdesc"},  {"frame", "src"},       {"iframe", "longdesc"}, {"iframe", "src"},
      {"head", "profile"},    {"img", "longdesc"},    {"img", "src"},         {"img", "usemap"},
      {"input", "src"},       {"input", "usemap"},    {"ins", "cite"},        {"link", "href"},
      {"object", "classid"},  {"object", "codebase"}, {"object", "data"},     {"object", "usemap"},
      {"q", "cite"},          {"script", "src"},      {"source", "src"},      {"video", "poster"},
      {"video", "src"}};
  for (const auto& [t, a] : kPairs) {
    if (t == tag && a == attr) return true;
  }
  return false;
}

// Windows-1252 code points 128-159 that stand for other characters in character references.
std::uint32_t cp1252(std::uint32_t value) {
  static constexpr std::uint16_t kMap[32] = {
      0x20ac, 0,      0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
      0x2039, 0x0152, 0,      0x017d, 0,      0,      0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
      0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,      0x017e, 0x0178};
  if (value < 128 || value > 159) return 0;
  return kMap[value - 128];
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
// A word character; bytes of non-ASCII UTF-8 count as letters.
bool is_word(char c) { return is_alnum(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

std::string_view strip(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool is_html_entity(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  const std::string z(name);
  return htmlEntityLookup(reinterpret_cast<const xmlChar*>(z.c_str())) != nullptr;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  if (text.find(from) == std::string::npos) return;
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (std::size_t hit = text.find(from); hit != std::string::npos; hit = text.find(from, at)) {
    out.append(text, at, hit - at);
    out += to;
    at = hit + from.size();
  }
  out.append(text, at, std::string::npos);
  text = std::move(out);
}

// The scheme of a URL the way URL parsers split it ("JavaScript:x" -> "javascript"), or
// empty. Leading blanks and control characters are ignored, tabs and line ends dropped.
std::string url_scheme(std::string_view url) {
  std::string cleaned;
  for (const char c : url) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (cleaned.empty() && static_cast<unsigned char>(c) <= ' ') continue;
    cleaned += c;
  }
  const std::size_t colon = cleaned.find(':');
  if (colon == std::string::npos || colon == 0 || !is_alpha(cleaned[0])) return {};
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = cleaned[i];
    if (!is_alnum(c) && c != '+' && c != '-' && c != '.') return {};
  }
  return lower(std::string_view(cleaned).substr(0, colon));
}

// The parts of a URL reference (RFC 3986 section 3), as views into it.
struct UrlParts {
  std::string_view scheme, authority, path, query, fragment;
  bool has_authority = false, has_query = false, has_fragment = false;
};

UrlParts split_url(std::string_view url) {
  UrlParts parts;
  const std::size_t colon = url.find(':');
  if (colon != std::string_view::npos && colon > 0 && is_alpha(url[0]) &&
      url.find_first_of("/?#") > colon) {
    bool valid = true;
    for (std::size_t i = 0; i < colon; ++i) {
      const char c = url[i];
      valid = valid && (is_alnum(c) || c == '+' || c == '-' || c == '.');
    }
    if (valid) {
      parts.scheme = url.substr(0, colon);
      url.remove_prefix(colon + 1);
    }
  }
  if (const std::size_t hash = url.find('#'); hash != std::string_view::npos) {
    parts.has_fragment = true;
    parts.fragment = url.substr(hash + 1);
    url = url.substr(0, hash);
  }
  if (const std::size_t question = url.find('?'); question != std::string_view::npos) {
    parts.has_query = true;
    parts.query = url.substr(question + 1);
    url = url.substr(0, question);
  }
  if (url.starts_with("//")) {
    parts.has_authority = true;
    const std::size_t slash = url.find('/', 2);
    parts.authority = url.substr(2, slash == std::string_view::npos ? url.npos : slash - 2);
    url = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
  }
  parts.path = url;
  return parts;
}

// RFC 3986 5.2.4.
std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string_view> out;
  const bool absolute = path.starts_with('/');
  std::size_t at = absolute ? 1 : 0;
  bool trailing_slash = false;
  while (at <= path.size()) {
    std::size_t slash = path.find('/', at);
    if (slash == std::string_view::npos) slash = path.size();
    const std::string_view segment = path.substr(at, slash - at);
    const bool last = slash == path.size();
    if (segment == "..") {
      if (!out.empty()) out.pop_back();
      trailing_slash = last;
    } else if (segment == ".") {
      trailing_slash = last;
    } else {
      out.push_back(segment);
      trailing_slash = false;
    }
    at = slash + 1;
  }
  std::string result = absolute ? "/" : "";
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i > 0) result += '/';
    result.append(out[i]);
  }
  if (trailing_slash && !result.ends_with('/')) result += '/';
  return result;
}

// `rel` resolved against `base` (RFC 3986 5.2.2; characters are taken as they are, so
// non-ASCII ones survive).
std::string join_url(std::string_view base, std::string_view rel) {
  const UrlParts r = split_url(rel);
  const UrlParts b = split_url(base);
  if (!r.scheme.empty() && lower(r.scheme) != lower(b.scheme)) return std::string(rel);
  std::string out(b.scheme);
  if (!out.empty()) out += ':';
  if (r.has_authority) {
    out += "//";
    out.append(r.authority);
    out += remove_dot_segments(r.path);
    if (r.has_query) out.append("?").append(r.query);
  } else {
    if (b.has_authority) out.append("//").append(b.authority);
    if (r.path.empty()) {
      out.append(b.path);
      if (r.has_query) {
        out.append("?").append(r.query);
      } else if (b.has_query) {
        out.append("?").append(b.query);
      }
    } else {
      std::string merged;
      if (r.path.starts_with('/')) {
        merged = r.path;
      } else if (b.has_authority && b.path.empty()) {
        merged = "/" + std::string(r.path);
      } else {
        const std::size_t slash = b.path.rfind('/');
        merged = std::string(slash == std::string_view::npos ? std::string_view()
                                                             : b.path.substr(0, slash + 1));
        merged.append(r.path);
      }
      out += remove_dot_segments(merged);
      if (r.has_query) out.append("?").append(r.query);
    }
  }
  if (r.has_fragment) out.append("#").append(r.fragment);
  return out;
}

// `rel` resolved against `base` (both non-empty), extra slashes after "scheme://" dropped;
// empty when the result's scheme is not a safe one.
std::string resolve_url(std::string_view base, std::string_view rel) {
  std::string fixed(rel);
  {
    std::size_t at = 0;
    if (!fixed.empty() && is_alpha(fixed[0])) {
      while (at < fixed.size() && (is_alnum(fixed[at]) || fixed[at] == '+' || fixed[at] == '-' ||
                                   fixed[at] == '.' || fixed[at] == ','))
        ++at;
      if (fixed.compare(at, 3, "://") == 0) {
        std::size_t slashes = at + 3;
        while (slashes < fixed.size() && fixed[slashes] == '/') ++slashes;
        fixed.erase(at + 3, slashes - at - 3);
      }
    }
  }
  const std::string joined = join_url(base, fixed);
  const std::string_view trimmed = strip(joined);
  const std::string scheme = lower(trimmed.substr(0, trimmed.find(':')));
  if (!url_schemes().has(scheme)) return {};
  return joined;
}

// --- style attributes ------------------------------------------------------------------

// Drops "url(...)" values (replaced by a space, as the reference does).
std::string drop_css_urls(std::string_view style) {
  std::string out;
  std::size_t at = 0;
  while (at < style.size()) {
    const std::size_t hit = style.find("url", at);
    if (hit == std::string_view::npos) break;
    std::size_t p = hit + 3;
    while (p < style.size() && is_space(style[p])) ++p;
    bool matched = false;
    if (p < style.size() && style[p] == '(') {
      ++p;
      while (p < style.size() && is_space(style[p])) ++p;
      const std::size_t run = p;
      while (p < style.size() && !is_space(style[p]) && style[p] != ')') ++p;
      if (p > run) {
        while (p < style.size() && is_space(style[p])) ++p;
        if (p < style.size() && style[p] == ')') {
          ++p;
          while (p < style.size() && is_space(style[p])) ++p;
          matched = true;
        }
      }
    }
    if (matched) {
      out.append(style.substr(at, hit - at));
      out += ' ';
      at = p;
    } else {
      out.append(style.substr(at, hit + 1 - at));
      at = hit + 1;
    }
  }
  out.append(style.substr(std::min(at, style.size())));
  return out;
}

// Every character of `style` is one of the safe CSS tokens: [:,;#%. letters digits !] and
// blanks, "a-b" between word characters, quoted words, or "(1, 2)" groups. Decided over all
// ways of splitting (a reachability pass, linear in the length).
bool css_gauntlet(std::string_view style) {
  const std::size_t n = style.size();
  std::vector<char> reach(n + 1, 0);
  reach[0] = 1;
  for (std::size_t i = 0; i < n; ++i) {
    if (!reach[i]) continue;
    const char c = style[i];
    if (is_alnum(c) || is_space(c) || c == ':' || c == ',' || c == ';' || c == '#' || c == '%' ||
        c == '.' || c == '!')
      reach[i + 1] = 1;
    if (i + 2 < n && is_word(c) && style[i + 1] == '-' && is_word(style[i + 2])) reach[i + 3] = 1;
    if (c == '\'' || c == '"') {
      std::size_t p = i + 1;
      while (p < n && (is_space(style[p]) || is_word(style[p]))) ++p;
      if (p > i + 1 && p < n && style[p] == c) reach[p + 1] = 1;
    }
    if (c == '(') {
      std::size_t p = i + 1;
      while (p < n && (is_digit(style[p]) || style[p] == ',' || is_space(style[p]))) ++p;
      if (p > i + 1 && p < n && style[p] == ')') reach[p + 1] = 1;
    }
  }
  return reach[n] != 0;
}

// "prop: value;" at `at` (after optional blanks): the end of the declaration and its parts.
bool css_declaration(std::string_view style, std::size_t at, std::size_t& end,
                     std::string_view& property, std::string_view& value) {
  std::size_t p = at;
  while (p < style.size() && is_space(style[p])) ++p;
  const std::size_t name = p;
  while (p < style.size() && (is_word(style[p]) || style[p] == '-')) ++p;
  if (p == name) return false;
  property = style.substr(name, p - name);
  while (p < style.size() && is_space(style[p])) ++p;
  if (p >= style.size() || style[p] != ':') return false;
  ++p;
  while (p < style.size() && is_space(style[p])) ++p;
  const std::size_t v = p;
  while (p < style.size() && style[p] != ':' && style[p] != ';') ++p;
  value = style.substr(v, p - v);
  if (p < style.size() && style[p] == ';') ++p;
  end = p;
  return true;
}

// A CSS value word allowed in background/border/margin/padding shorthands: a colour
// ("#1a2b3c", "rgb(1,2,3)") or a small length ("1.5em", "10px", "50%").
bool css_value_word(std::string_view word) {
  if (word.size() >= 2 && word[0] == '#') {
    for (std::size_t i = 1; i < word.size(); ++i) {
      const char c = word[i];
      if (!is_digit(c) && !(c >= 'a' && c <= 'f')) return false;
    }
    return true;
  }
  if (word.starts_with("rgb(")) {
    std::size_t p = 4;
    auto digits = [&] {
      const std::size_t from = p;
      while (p < word.size() && is_digit(word[p])) ++p;
      return p - from;
    };
    auto optional = [&](char c) {
      if (p < word.size() && word[p] == c) ++p;
    };
    if (digits() == 0) return false;
    optional('%');
    if (p >= word.size() || word[p] != ',') return false;
    ++p;
    digits();
    optional('%');
    optional(',');
    digits();
    optional('%');
    optional(')');
    return p == word.size();
  }
  std::size_t p = 0;
  std::size_t before = 0;
  while (p < word.size() && is_digit(word[p])) ++p, ++before;
  if (p < word.size() && word[p] == '.') {
    if (before > 2) return false;
    ++p;
    std::size_t after = 0;
    while (p < word.size() && is_digit(word[p])) ++p, ++after;
    if (after > 2) return false;
  } else if (before > 4) {
    return false;
  }
  const std::string_view unit = word.substr(p);
  if (unit.empty()) return true;
  for (const std::string_view u : {"cm", "em", "ex", "in", "mm", "pc", "pt", "px", "%", ",", ")"}) {
    if (unit == u) return true;
  }
  return false;
}

std::string sanitize_style(std::string_view raw, bool in_svg) {
  const std::string style = drop_css_urls(raw);
  if (!css_gauntlet(style)) return {};
  // The whole value must be a run of declarations.
  for (std::size_t at = 0; at < style.size();) {
    std::size_t end = 0;
    std::string_view property, value;
    if (css_declaration(style, at, end, property, value)) {
      at = end;
    } else if (is_space(style[at])) {
      ++at;
    } else {
      return {};
    }
  }
  std::string clean;
  for (std::size_t at = 0; at < style.size();) {
    // Next "prop: value" (the value runs to ':' or ';', blanks after it kept).
    std::size_t p = at;
    while (p < style.size() && !(is_word(style[p]) || style[p] == '-')) ++p;
    if (p >= style.size()) break;
    std::size_t end = 0;
    std::string_view property, value;
    if (!css_declaration(style, p, end, property, value)) {
      at = p + 1;
      continue;
    }
    at = end;
    if (end > p && style[end - 1] == ';') at = end - 1;  // findall resumes at the ';'
    if (at <= p) at = p + 1;
    if (value.empty()) continue;
    const std::string name = lower(property);
    bool keep = css_properties().has(name);
    if (!keep) {
      const std::string_view family = std::string_view(name).substr(0, name.find('-'));
      if (family == "background" || family == "border" || family == "margin" ||
          family == "padding") {
        keep = true;
        std::size_t w = 0;
        while (w < value.size()) {
          while (w < value.size() && is_space(value[w])) ++w;
          const std::size_t start = w;
          while (w < value.size() && !is_space(value[w])) ++w;
          if (w == start) break;
          const std::string_view word = value.substr(start, w - start);
          if (!css_keywords().has(word) && !css_value_word(word)) {
            keep = false;
            break;
          }
        }
      } else if (in_svg && svg_css_properties().has(name)) {
        keep = true;
      }
    }
    if (!keep) continue;
    if (!clean.empty()) clean += ' ';
    clean.append(property);
    clean += ": ";
    clean.append(value);
    clean += ';';
  }
  return clean;
}

// --- the tag-by-tag reader -------------------------------------------------------------

using Attribute = std::pair<std::string, std::string>;

class Sanitizer {
 public:
  Sanitizer(std::string_view base, bool xhtml) : base_(base), xhtml_(xhtml) {}

  std::string run(std::string_view html);

 private:
  std::size_t start_tag(std::string_view s, std::size_t i);
  std::size_t end_tag(std::string_view s, std::size_t i);
  std::size_t declaration(std::string_view s, std::size_t i);
  static std::size_t end_bracket(std::string_view s, std::size_t from);

  void on_start(std::string tag, std::vector<Attribute> attrs);
  void on_end(std::string tag);
  void on_data(std::string_view text) {
    if (dropping_ == 0) out_.append(text);
  }
  void on_charref(std::string_view ref);
  void on_entityref(std::string_view name);

  std::string_view base_;
  bool xhtml_;
  std::string out_;
  std::string last_tag_;
  int dropping_ = 0;  // inside script/style/applet
  int mathml_ = 0;
  int svg_ = 0;
};

// Where a tag that starts before `from` ends: the first '<' or '>' outside a quoted value
// (a quote counts only when closed and followed by '>', '/', a blank or another attribute);
// failing that, the first '<' or '>' on the same line. npos when there is none.
std::size_t Sanitizer::end_bracket(std::string_view s, std::size_t from) {
  std::size_t p = from;
  while (p < s.size()) {
    const char c = s[p];
    if (c == '<' || c == '>') return p;
    if (c == '"' || c == '\'') {
      const std::size_t close = s.find(c, p + 1);
      if (close == std::string_view::npos) break;
      const std::size_t next = close + 1;
      bool ok = next < s.size() && (s[next] == '>' || s[next] == '/' || is_space(s[next]));
      if (!ok && next < s.size() && is_word(s[next])) {
        std::size_t w = next;
        while (w < s.size() && is_word(s[w])) ++w;
        ok = w < s.size() && s[w] == '=';
      }
      if (!ok) break;
      p = next;
      continue;
    }
    ++p;
  }
  for (std::size_t q = from; q < s.size(); ++q) {
    if (s[q] == '\n') return std::string_view::npos;
    if (s[q] == '<' || s[q] == '>') return q;
  }
  return std::string_view::npos;
}

std::size_t Sanitizer::start_tag(std::string_view s, std::size_t i) {
  // "<tag/data/": the SGML short form of <tag>data</tag>.
  {
    std::size_t p = i + 1;
    while (p < s.size() && (is_alnum(s[p]) || s[p] == '-' || s[p] == '.')) ++p;
    if (p < s.size() && s[p] == '/') {
      const std::size_t close = s.find('/', p + 1);
      if (close == std::string_view::npos) return std::string_view::npos;
      std::string tag = lower(s.substr(i + 1, p - i - 1));
      last_tag_ = tag;
      on_start(tag, {});
      on_data(s.substr(p + 1, close - p - 1));
      on_end(tag);
      return close + 1;
    }
  }
  std::size_t j = end_bracket(s, i + 1);
  if (j == std::string_view::npos) return j;
  std::size_t k = i + 1;
  while (k < s.size() &&
         (is_alnum(s[k]) || s[k] == '-' || s[k] == '_' || s[k] == '.' || s[k] == ':'))
    ++k;
  std::string tag = lower(s.substr(i + 1, k - i - 1));
  last_tag_ = tag;
  std::vector<Attribute> attrs;
  while (k < j) {
    std::size_t p = k;
    while (p < s.size() && is_space(s[p])) ++p;
    if (p >= s.size() || !(is_alpha(s[p]) || s[p] == '_')) break;
    const std::size_t name_start = p;
    while (p < s.size() &&
           (is_alnum(s[p]) || s[p] == '-' || s[p] == ':' || s[p] == '.' || s[p] == '_'))
      ++p;
    std::string name = lower(s.substr(name_start, p - name_start));
    if (p < s.size() && s[p] == '$') ++p;  // "i$=..." (a known blog-engine slip) reads as "i"
    // "= value", optional.
    std::size_t q = p;
    while (q < s.size() && is_space(s[q])) ++q;
    if (q < s.size() && s[q] == '=') {
      ++q;
      while (q < s.size() && is_space(s[q])) ++q;
      std::string_view value;
      std::size_t end = q;
      if (q < s.size() && (s[q] == '\'' || s[q] == '"') &&
          s.find(s[q], q + 1) != std::string_view::npos) {
        end = s.find(s[q], q + 1) + 1;
        value = s.substr(q + 1, end - q - 2);
      } else {
        static constexpr std::string_view kBare = "[]-./,:;+*%?!&$()_#=~'\"@";
        while (end < s.size() && (is_alnum(s[end]) || kBare.find(s[end]) != std::string_view::npos))
          ++end;
        value = s.substr(q, end - q);
        if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') &&
            value.back() == value.front())
          value = value.substr(1, value.size() - 2);
      }
      // Numeric references in values get their ';' ("&#39" -> "&#39;").
      std::string converted;
      for (std::size_t v = 0; v < value.size(); ++v) {
        converted += value[v];
        if (value[v] == '&' && v + 1 < value.size() && value[v + 1] == '#') {
          std::size_t d = v + 2;
          while (d < value.size() && is_digit(value[d])) ++d;
          if (d > v + 2) {
            converted.append(value.substr(v + 1, d - v - 1));
            converted += ';';
            v = d - 1;
            if (d < value.size() && value[d] == ';') v = d;
          }
        }
      }
      attrs.emplace_back(std::move(name), std::move(converted));
      k = end;
    } else {
      attrs.emplace_back(name, name);  // <input checked> reads as checked="checked"
      k = p;
    }
  }
  if (j < s.size() && s[j] == '>') ++j;
  const bool self_closing = j >= i + 3 && s[j - 1] == '>' && s[j - 2] == '/';
  on_start(tag, std::move(attrs));
  if (xhtml_ && self_closing) on_end(last_tag_);
  return j;
}

std::size_t Sanitizer::end_tag(std::string_view s, std::size_t i) {
  std::size_t j = end_bracket(s, i + 1);
  if (j == std::string_view::npos) return j;
  std::string tag = lower(strip(s.substr(i + 2, j - i - 2)));
  if (s[j] == '>') ++j;
  on_end(std::move(tag));
  return j;
}

// "<!DOCTYPE ...>" and marked sections ("<![if ...]>"): dropped. What does not parse as one
// is text: "&lt;" and reading goes on after the '<'.
std::size_t Sanitizer::declaration(std::string_view s, std::size_t i) {
  std::size_t j = i + 2;
  if (j < s.size() && s[j] == '>') return j + 1;
  if (j >= s.size() || s[j] == '-') return std::string_view::npos;
  auto fail = [&] {
    on_data("&lt;");
    return i + 1;
  };
  if (s[j] == '[') {
    std::size_t p = j + 1;
    while (p < s.size() && is_alpha(s[p])) ++p;
    const std::string name = lower(s.substr(j + 1, p - j - 1));
    std::string_view close;
    if (name == "temp" || name == "cdata" || name == "ignore" || name == "include" ||
        name == "rcdata")
      close = "]]>";
    else if (name == "if" || name == "else" || name == "endif")
      close = "]>";
    else
      return fail();
    const std::size_t end = s.find(close, j);
    if (end == std::string_view::npos) return std::string_view::npos;
    return end + close.size();
  }
  if (!is_alpha(s[j])) return fail();
  bool doctype = false;
  {
    std::size_t p = j;
    while (p < s.size() &&
           (is_alnum(s[p]) || s[p] == '-' || s[p] == '_' || s[p] == '.' || s[p] == ':'))
      ++p;
    doctype = lower(s.substr(j, p - j)) == "doctype";
    while (p < s.size() && is_space(s[p])) ++p;
    if (p >= s.size()) return std::string_view::npos;
    j = p;
  }
  while (j < s.size()) {
    const char c = s[j];
    if (c == '>') return j + 1;  // the declaration itself is dropped
    if (c == '"' || c == '\'') {
      const std::size_t close = s.find(c, j + 1);
      if (close == std::string_view::npos) return std::string_view::npos;
      j = close + 1;
      while (j < s.size() && is_space(s[j])) ++j;
    } else if (is_alpha(c)) {
      while (j < s.size() &&
             (is_alnum(s[j]) || s[j] == '-' || s[j] == '_' || s[j] == '.' || s[j] == ':'))
        ++j;
      while (j < s.size() && is_space(s[j])) ++j;
    } else if (c == '[' && doctype) {
      const std::size_t close = s.find("]", j + 1);
      if (close == std::string_view::npos) return std::string_view::npos;
      j = close + 1;
      while (j < s.size() && is_space(s[j])) ++j;
    } else {
      return fail();
    }
  }
  return std::string_view::npos;
}

void Sanitizer::on_start(std::string tag, std::vector<Attribute> attrs) {
  const WordSet* allowed = &html_attributes();
  bool svg_names = false;
  if (!html_elements().has(tag) || svg_ > 0) {
    if (dropped_with_content().has(tag)) ++dropping_;
    auto has_attr = [&](std::string_view name, std::string_view value) {
      for (const auto& [k, v] : attrs) {
        if (k == name && v == value) return true;
      }
      return false;
    };
    // HTML5 inline SVG/MathML carry their namespace implicitly.
    if (!xhtml_) {
      bool has_xmlns = false;
      for (const auto& [k, v] : attrs) has_xmlns = has_xmlns || (k == "xmlns" && !v.empty());
      if (!has_xmlns && tag == "svg") attrs.emplace_back("xmlns", "http://www.w3.org/2000/svg");
      if (!has_xmlns && tag == "math")
        attrs.emplace_back("xmlns", "http://www.w3.org/1998/Math/MathML");
    }
    if (tag == "math" && has_attr("xmlns", "http://www.w3.org/1998/Math/MathML")) ++mathml_;
    if (tag == "svg" && has_attr("xmlns", "http://www.w3.org/2000/svg")) ++svg_;
    if (mathml_ > 0 && mathml_elements().has(tag)) {
      allowed = &mathml_attributes();
    } else if (svg_ > 0 && !svg_elements().find(tag).empty()) {
      tag = std::string(svg_elements().find(tag));
      allowed = nullptr;
      svg_names = true;
    } else if (!html_elements().has(tag)) {
      return;
    }
  }
  if (mathml_ > 0 || svg_ > 0) {
    bool xlink = false;
    for (const auto& [k, v] : attrs) xlink = xlink || k.starts_with("xlink:");
    bool declared = false;
    for (const auto& [k, v] : attrs)
      declared = declared || (k == "xmlns:xlink" && v == "http://www.w3.org/1999/xlink");
    if (xlink && !declared) attrs.emplace_back("xmlns:xlink", "http://www.w3.org/1999/xlink");
  }
  // One value per name (the last), names sorted; rel and type lowercased.
  std::vector<Attribute> unique;
  for (auto& attr : attrs) {
    auto it = std::find_if(unique.begin(), unique.end(),
                           [&](const Attribute& u) { return u.first == attr.first; });
    if (it == unique.end()) {
      unique.push_back(std::move(attr));
    } else {
      it->second = std::move(attr.second);
    }
  }
  std::sort(unique.begin(), unique.end());
  out_ += '<';
  out_ += tag;
  for (auto& [key, value] : unique) {
    if (key == "rel" || key == "type") value = lower(value);
    if (holds_relative_url(tag, key)) {
      value = base_.empty() ? std::string(strip(value)) : resolve_url(base_, strip(value));
    }
    std::string name = key;
    bool keep = false;
    if (svg_names) {
      const std::string_view written = svg_attributes().find(key);
      keep = !written.empty() || (key == "style");
      if (!written.empty()) name = std::string(written);
      if (key == "style" && written.empty()) keep = false;
    } else {
      keep = allowed->has(key);
    }
    if (!keep) continue;
    if (key == "style") {
      value = sanitize_style(value, svg_ > 0);
      if (value.empty()) continue;
    } else if (key == "href") {
      value = safe_url(value);
    }
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    for (std::size_t v = 0; v < value.size(); ++v) {
      const char c = value[v];
      if (c == '>') {
        out_ += "&gt;";
      } else if (c == '<') {
        out_ += "&lt;";
      } else if (c == '"') {
        out_ += "&quot;";
      } else if (c == '&') {
        // A bare '&' (not starting a reference) is escaped.
        std::size_t p = v + 1;
        bool reference = false;
        if (p < value.size() && value[p] == '#') {
          ++p;
          const bool hex = p < value.size() && value[p] == 'x';
          if (hex) ++p;
          const std::size_t digits = p;
          while (p < value.size() && (hex ? is_hex(value[p]) : is_digit(value[p]))) ++p;
          reference = p > digits && p < value.size() && value[p] == ';';
        } else {
          const std::size_t word = p;
          while (p < value.size() && is_word(value[p])) ++p;
          reference = p > word && p < value.size() && value[p] == ';';
        }
        out_ += reference ? "&" : "&amp;";
      } else {
        out_ += c;
      }
    }
    out_ += '"';
  }
  out_ += void_elements().has(tag) ? " />" : ">";
}

void Sanitizer::on_end(std::string tag) {
  if (!html_elements().has(tag)) {
    // Not clamped at zero, as the reference reader does: a stray </script> hides the text up
    // to the next <script> (whose body then shows as text, harmless without the tag).
    if (dropped_with_content().has(tag)) --dropping_;
    if (mathml_ > 0 && mathml_elements().has(tag)) {
      if (tag == "math") --mathml_;
    } else if (svg_ > 0 && !svg_elements().find(tag).empty()) {
      tag = std::string(svg_elements().find(tag));
      if (tag == "svg") --svg_;
    } else {
      return;
    }
  }
  if (void_elements().has(tag)) return;
  out_ += "</";
  out_ += tag;
  out_ += '>';
}

void Sanitizer::on_charref(std::string_view ref) {
  std::string name = lower(ref);
  std::uint32_t value = 0;
  bool small = name.size() <= 8;
  if (small) {
    if (name[0] == 'x') {
      for (std::size_t i = 1; i < name.size(); ++i)
        value = value * 16 +
                static_cast<std::uint32_t>(is_digit(name[i]) ? name[i] - '0' : name[i] - 'a' + 10);
    } else {
      for (const char c : name) value = value * 10 + static_cast<std::uint32_t>(c - '0');
    }
  }
  if (const std::uint32_t mapped = small ? cp1252(value) : 0) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "&#x%x;", mapped);
    out_ += hex;
    return;
  }
  out_ += "&#";
  out_ += name;
  out_ += ';';
}

void Sanitizer::on_entityref(std::string_view name) {
  if (is_html_entity(name) || name == "apos") {
    out_ += '&';
    out_.append(name);
    out_ += ';';
  } else {
    out_ += "&amp;";
    out_.append(name);
  }
}

std::string Sanitizer::run(std::string_view input) {
  // The rewrites done before reading: CDATA and other "<!" markup that is neither a doctype
  // nor a comment become text, "<x/>" is spelt out, and two references become characters.
  std::string s;
  s.reserve(input.size() + 16);
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (input[i] == '<' && i + 1 < input.size() && input[i + 1] == '!') {
      const std::string_view rest = input.substr(i + 2);
      const bool keep = rest.starts_with("--") ||
                        (rest.size() >= 7 && lower(rest.substr(0, 7)) == "doctype") ||
                        (rest.starts_with("[") && !rest.starts_with("[CDATA["));
      if (!keep) {
        s += "&lt;!";
        ++i;
        continue;
      }
    }
    if (input[i] == '<') {
      // "<name/>" or "<name />" with no blank inside the name.
      std::size_t p = i + 1;
      while (p < input.size() && input[p] != '<' && input[p] != '>' && !is_space(input[p])) ++p;
      std::size_t match = std::string_view::npos;
      std::size_t match_end = 0;
      for (std::size_t q = i + 2; q <= p; ++q) {
        std::size_t r = q;
        if (q == p) {
          while (r < input.size() && is_space(input[r])) ++r;
        }
        if (input.compare(r, 2, "/>") == 0) {
          match = q;
          match_end = r + 2;
          break;
        }
      }
      if (match != std::string_view::npos) {
        const std::string_view tag = input.substr(i + 1, match - i - 1);
        s += '<';
        s.append(tag);
        if (void_elements().has(tag)) {
          s += " />";
        } else {
          s += "></";
          s.append(tag);
          s += '>';
        }
        i = match_end - 1;
        continue;
      }
    }
    s += input[i];
  }
  replace_all(s, "&#39;", "'");
  replace_all(s, "&#34;", "\"");

  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    std::size_t j = s.find_first_of("&<", i);
    if (j == std::string::npos) j = n;
    if (i < j) on_data(std::string_view(s).substr(i, j - i));
    i = j;
    if (i == n) break;
    const std::string_view view(s);
    if (s[i] == '<') {
      std::size_t k = std::string_view::npos;
      bool handled = true;
      if (i + 1 < n && is_alpha(s[i + 1])) {
        k = start_tag(view, i);
      } else if (view.substr(i).starts_with("</")) {
        k = end_tag(view, i);
      } else if (view.substr(i).starts_with("<!--")) {
        const std::size_t close = s.find("--", i + 4);
        // "--" then blanks then '>' closes; a "--...>" without it ends a malicious or broken
        // comment; none at all drops the rest.
        std::size_t end = std::string::npos;
        for (std::size_t c = close; c != std::string::npos; c = s.find("--", c + 1)) {
          std::size_t p = c + 2;
          while (p < n && is_space(s[p])) ++p;
          if (p < n && s[p] == '>') {
            out_ += "<!--";
            out_.append(s, i + 4, c - i - 4);
            out_ += "-->";
            end = p + 1;
            break;
          }
        }
        if (end == std::string::npos && close != std::string::npos) {
          const std::size_t gt = s.find('>', close);
          if (gt != std::string::npos) end = gt + 1;
        }
        k = end == std::string::npos ? n : end;
      } else if (view.substr(i).starts_with("<?")) {
        const std::size_t gt = s.find('>', i + 2);
        k = gt == std::string::npos ? gt : gt + 1;  // processing instructions are dropped
      } else if (view.substr(i).starts_with("<!")) {
        k = declaration(view, i);
      } else {
        handled = false;
      }
      if (handled) {
        if (k == std::string_view::npos) break;
        i = k;
        continue;
      }
    } else {
      // "&#123;" / "&#x1F;"
      if (i + 2 < n && s[i + 1] == '#') {
        std::size_t p = i + 2;
        const bool hex = s[p] == 'x' || s[p] == 'X';
        if (hex) ++p;
        const std::size_t digits = p;
        while (p < n && (hex ? is_hex(s[p]) : is_digit(s[p]))) ++p;
        if (p > digits && p < n && s[p] == ';') {
          on_charref(view.substr(i + 2, p - i - 2));
          i = p + 1;
          continue;
        }
      }
      // "&name;" or "&name" followed by something that is not a letter or digit.
      if (i + 1 < n && is_alpha(s[i + 1])) {
        std::size_t p = i + 2;
        while (p < n && (is_alnum(s[p]) || s[p] == '-' || s[p] == '.')) ++p;
        // At the end of the text the name gives back a trailing '-' or '.' to end it.
        if (p == n) {
          std::size_t q = n;
          while (q > i + 2 && s[q - 1] != '-' && s[q - 1] != '.') --q;
          p = q > i + 2 ? q - 1 : n;
        }
        if (p < n) {
          on_entityref(view.substr(i + 1, p - i - 1));
          i = s[p] == ';' ? p + 1 : p;
          continue;
        }
      }
    }
    // Something that only starts like markup: kept as text, up to where it could continue.
    std::size_t len = 1;
    if (s[i] == '&') {
      std::size_t p = i + 1;
      if (p < n && is_alpha(s[p])) {
        while (p < n && is_alnum(s[p])) ++p;
      } else if (p < n && s[p] == '#') {
        ++p;
        while (p < n && is_digit(s[p])) ++p;
      }
      len = p - i;
    }  // a '<' that starts nothing is one character of text
    if (i + len >= n) break;
    on_data(view.substr(i, len));
    i += len;
  }
  if (i < n) on_data(std::string_view(s).substr(i));

  std::string result(strip(out_));
  replace_all(result, "\r\n", "\n");
  return result;
}

}  // namespace

std::string safe_url(std::string_view url) {
  if (url.empty()) return {};
  const std::string scheme = url_scheme(url);
  if (scheme.empty() || url_schemes().has(scheme)) return std::string(url);
  return {};
}

std::string sanitize_html(std::string_view html, std::string_view base, bool xhtml) {
  Sanitizer sanitizer(base, xhtml);
  return sanitizer.run(html);
}

bool looks_like_html(std::string_view text) {
  // An end tag or a character reference is needed.
  bool marker = false;
  for (std::size_t at = text.find("</"); at != std::string_view::npos && !marker;
       at = text.find("</", at + 1)) {
    std::size_t p = at + 2;
    while (p < text.size() && is_word(text[p])) ++p;
    marker = p > at + 2 && p < text.size() && text[p] == '>';
  }
  for (std::size_t at = text.find('&'); at != std::string_view::npos && !marker;
       at = text.find('&', at + 1)) {
    std::size_t p = at + 1;
    if (p < text.size() && text[p] == '#') ++p;
    const std::size_t word = p;
    while (p < text.size() && is_word(text[p])) ++p;
    marker = p > word && p < text.size() && text[p] == ';';
  }
  if (!marker) return false;
  // Every tag whitelisted.
  for (std::size_t at = text.find('<'); at != std::string_view::npos; at = text.find('<', at + 1)) {
    std::size_t p = at + 1;
    if (p < text.size() && text[p] == '/') ++p;
    const std::size_t word = p;
    while (p < text.size() && is_word(text[p])) ++p;
    if (p > word && !html_elements().has(lower(text.substr(word, p - word)))) return false;
  }
  // Every named reference an HTML one.
  for (std::size_t at = text.find('&'); at != std::string_view::npos; at = text.find('&', at + 1)) {
    std::size_t p = at + 1;
    const std::size_t word = p;
    while (p < text.size() && is_word(text[p])) ++p;
    if (p > word && p < text.size() && text[p] == ';') {
      const std::string_view name = text.substr(word, p - word);
      if (name == "apos" || !is_html_entity(name)) return false;
    }
  }
  return true;
}

}  // namespace storyline::ingest
