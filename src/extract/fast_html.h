// Private to extract: a fast, allocation-light HTML parser that builds a flat tree in one pass.
//
//   fast_html::Parser parser;                        // reuse one per worker thread
//   const fast_html::Document& doc = parser.parse(html);  // views into `html` and the parser
//   for (NodeId c = doc.first_child(doc.body()); c != kNoNode; c = doc.next_sibling(c)) ...
//
// Why: gumbo builds a full, spec-exact DOM at ~13 ms per 174 KB news page; extraction needs the
// element tree, attributes and visible text, which a single tokenizer pass with simplified
// tree construction gives at a fraction of the cost. What is implemented of HTML5:
// comments, doctype, CDATA (in svg/math), raw text (script, style, xmp, iframe, noembed,
// noframes, noscript as a scripting browser sees it) and escapable raw text (title, textarea),
// plaintext, void elements, self-closing tags in svg/math, implied html/head/body, implied end
// tags (p, li, dt/dd, option/optgroup, headings, tr/td/th/tbody/thead/tfoot with implied tbody
// and tr), nested <a>, mis-nested end tags (closed up to the nearest matching open element,
// within scope; a stray end tag is ignored), named (all 2,231 HTML5 names) and numeric
// character references, NUL and invalid UTF-8 replaced by U+FFFD.
// Known differences from a spec parser (gumbo), which change no visible text: no adoption
// agency (a mis-nested formatting element such as <b> or <a> stays the ancestor of the blocks
// opened inside it, where gumbo clones it into them), no foster parenting (text or elements
// misplaced directly inside <table> stay there; gumbo moves them before the table), no
// reconstruction of formatting elements, attributes of a repeated <html>/<body> ignored,
// adjacent text runs separated by an ignored tag stay two text nodes, CR is kept.
//
// Bounds: elements nested deeper than `max_depth` are not created (their text goes to the
// deepest open element; `flattened()` says so); parsing stops after `max_nodes` nodes
// (`truncated()`). Time is linear in the input: every end tag searches at most `max_depth`
// open elements.
//
// Porting from gumbo (html.cpp), mechanically:
//   const GumboNode* n            -> NodeId n (uint32_t index; kNoNode for none)
//   n->type == GUMBO_NODE_ELEMENT -> doc.is_element(n)   (TEXT/WHITESPACE/CDATA -> doc.is_text(n),
//                                     doc.is_whitespace(n) for gumbo's WHITESPACE nodes)
//   n->v.element.tag              -> doc.tag(n)           (the same GumboTag values)
//   gumbo_get_attribute(&el.attributes, "x") != nullptr -> doc.has_attr(n, "x")
//   attr(el, "x")                 -> doc.attr(n, "x")     ("" when absent; names lowercase)
//   n->v.text.text                -> doc.text(n)          (decoded; a view, not NUL-terminated)
//   el.children.data[i], reverse  -> for (c = doc.last_child(n); c != kNoNode;
//                                          c = doc.prev_sibling(c))
//   n->parent                     -> doc.parent(n)
//   output->root                  -> doc.root()           (the <html> element; body(), head())
// Node ids are in document order and a subtree is the contiguous range [n, doc.subtree_end(n)),
// so html.cpp's flat pre-order list can index the parser's nodes directly.
//
// Thread-safety: a Parser is single-threaded; the Document it returns is valid until the next
// parse() and views into both the parser and the input bytes, which must outlive it.
#pragma once

#include <gumbo.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace storyline::extract::fast_html {

using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = 0xFFFFFFFFu;

enum class NodeType : std::uint8_t { kDocument, kElement, kText, kComment };

struct Attribute {
  std::string_view name;   // lowercase
  std::string_view value;  // character references decoded, valid UTF-8
};

struct Node {
  NodeType type = NodeType::kElement;
  bool whitespace = false;  // text node of only ASCII whitespace (gumbo's WHITESPACE)
  GumboTag tag = GUMBO_TAG_UNKNOWN;
  NodeId parent = kNoNode;
  NodeId first_child = kNoNode, last_child = kNoNode;
  NodeId prev_sibling = kNoNode, next_sibling = kNoNode;
  NodeId subtree_end = 0;  // one past the last descendant's id
  std::uint32_t attr_begin = 0, attr_count = 0;
  // Element: lowercase tag name (useful for GUMBO_TAG_UNKNOWN). Text/comment: the text.
  std::string_view text;
};

struct ParseOptions {
  int max_depth = 400;                           // deeper elements are not created (flattened)
  std::size_t max_nodes = std::size_t{1} << 21;  // parsing stops here (~100 MB of nodes)
  bool keep_comments = false;                    // comment nodes in the tree
};

class Document {
 public:
  NodeId document() const { return 0; }
  NodeId root() const { return html_; }  // the <html> element; always present
  NodeId head() const { return head_; }  // always present
  NodeId body() const { return body_; }  // always present
  std::size_t size() const { return nodes_.size(); }

  const Node& node(NodeId n) const { return nodes_[n]; }
  NodeType type(NodeId n) const { return nodes_[n].type; }
  bool is_element(NodeId n) const { return nodes_[n].type == NodeType::kElement; }
  bool is_text(NodeId n) const { return nodes_[n].type == NodeType::kText; }
  bool is_whitespace(NodeId n) const { return nodes_[n].whitespace; }
  GumboTag tag(NodeId n) const { return nodes_[n].tag; }
  std::string_view tag_name(NodeId n) const { return nodes_[n].text; }
  std::string_view text(NodeId n) const { return nodes_[n].text; }
  NodeId parent(NodeId n) const { return nodes_[n].parent; }
  NodeId first_child(NodeId n) const { return nodes_[n].first_child; }
  NodeId last_child(NodeId n) const { return nodes_[n].last_child; }
  NodeId next_sibling(NodeId n) const { return nodes_[n].next_sibling; }
  NodeId prev_sibling(NodeId n) const { return nodes_[n].prev_sibling; }
  NodeId subtree_end(NodeId n) const { return nodes_[n].subtree_end; }

  std::span<const Attribute> attrs(NodeId n) const {
    const Node& node = nodes_[n];
    return {attrs_.data() + node.attr_begin, node.attr_count};
  }
  // The first attribute named `name` (lowercase), or nullptr.
  const Attribute* find_attr(NodeId n, std::string_view name) const {
    for (const Attribute& a : attrs(n))
      if (a.name == name) return &a;
    return nullptr;
  }
  bool has_attr(NodeId n, std::string_view name) const { return find_attr(n, name) != nullptr; }
  std::string_view attr(NodeId n, std::string_view name) const {
    const Attribute* a = find_attr(n, name);
    return a ? a->value : std::string_view();
  }

  // Text of the subtree's text nodes appended to `out` in order, skipping script, style,
  // noscript and template, each node followed by one space (gumbo-walk compatible).
  void append_text(NodeId n, std::string& out) const;

  bool flattened() const { return flattened_; }  // elements deeper than max_depth dropped
  bool truncated() const { return truncated_; }  // max_nodes reached; the rest not parsed

 private:
  friend class Parser;
  std::vector<Node> nodes_;
  std::vector<Attribute> attrs_;
  NodeId html_ = kNoNode, head_ = kNoNode, body_ = kNoNode;
  bool flattened_ = false, truncated_ = false;
};

class Parser {
 public:
  explicit Parser(ParseOptions options = {});
  ~Parser();
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // Parses `html` (any bytes). The result views into `html` and into this parser.
  // `clean_utf8`: the caller has checked that `html` is valid UTF-8 without NUL or control
  // bytes other than tab, LF, CR and FF, so text runs are only scanned for references.
  const Document& parse(std::string_view html, bool clean_utf8 = false);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Decodes character references in `in` (text, or an attribute value when `in_attribute`),
// replacing NUL and invalid UTF-8 with U+FFFD; appends to `out`. Exposed for tests.
void decode_text(std::string_view in, bool in_attribute, std::string& out);

}  // namespace storyline::extract::fast_html
