// The fast HTML path: unit tests on our own fixtures, and a reference check against gumbo.
//
// Reference check: both trees are reduced to text blocks (what html.cpp reads: the text between
// block-level boundaries, whitespace collapsed, script/style/noscript/template/head skipped),
// and a page agrees when the sequence of blocks is the same: innermost block tag, its class
// attribute, the text, and the bytes of it inside links (html.cpp's link density). Known
// tree-construction differences that change no text are tolerated by construction (formatting
// elements are inline, so cloning them changes no block); foster-parented table text (gumbo
// moves text misplaced in <table> before it) is a documented difference and counts as a miss.
//
//   STORYLINE_HTML_CORPUS=../shared/bench/extraction/scrapinghub-aeb/html
//     ./build-x/src/extract/fast_html_test --gtest_filter='*Corpus*'
// prints the agreement rate over the corpus (*.html and *.html.gz files).
#include "extract/fast_html.h"

#include <gtest/gtest.h>
#include <gumbo.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bench/page_corpus.h"

namespace storyline::extract::fast_html {
namespace {

// ---- block reduction shared by both trees --------------------------------------------------

bool is_block(GumboTag t) {
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
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
      return true;
    default:
      return false;
  }
}

bool is_hidden(GumboTag t) {
  return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_NOSCRIPT ||
         t == GUMBO_TAG_TEMPLATE || t == GUMBO_TAG_HEAD || t == GUMBO_TAG_TITLE;
}

struct Block {
  GumboTag tag;
  std::string cls;  // class attribute of the innermost block element
  std::string text;
  std::size_t link_bytes = 0;  // text bytes inside <a> (html.cpp's link density)
  bool operator==(const Block&) const = default;
};

class BlockSink {
 public:
  void enter(GumboTag t, std::string_view cls) {
    if (t == GUMBO_TAG_A) ++links_;
    if (is_block(t)) {
      flush();
      tags_.push_back({t, std::string(cls)});
    }
  }
  void leave(GumboTag t) {
    if (t == GUMBO_TAG_A) --links_;
    if (is_block(t)) {
      flush();
      tags_.pop_back();
    }
  }
  void text(std::string_view s) {
    for (char c : s) {
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
        space_ = !current_.empty();
      } else {
        if (space_) current_ += ' ';
        space_ = false;
        current_ += c;
        if (links_ > 0) ++link_bytes_;
      }
    }
  }
  std::vector<Block> finish() {
    flush();
    return std::move(blocks_);
  }

 private:
  void flush() {
    if (!current_.empty()) {
      blocks_.push_back({tags_.empty() ? GUMBO_TAG_BODY : tags_.back().first,
                         tags_.empty() ? std::string() : tags_.back().second, current_,
                         link_bytes_});
    }
    current_.clear();
    space_ = false;
    link_bytes_ = 0;
  }
  std::vector<std::pair<GumboTag, std::string>> tags_;
  int links_ = 0;
  std::size_t link_bytes_ = 0;
  std::vector<Block> blocks_;
  std::string current_;
  bool space_ = false;
};

std::vector<Block> gumbo_blocks(std::string_view html) {
  std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> out(
      gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()),
      [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
  BlockSink sink;
  struct Frame {
    const GumboNode* node;
    bool exit;
  };
  std::vector<Frame> stack{{out->root, false}};
  while (!stack.empty()) {
    const Frame f = stack.back();
    stack.pop_back();
    const GumboNode* n = f.node;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
      sink.text(n->v.text.text);
      continue;
    }
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) continue;
    const GumboTag t = n->v.element.tag;
    if (f.exit) {
      sink.leave(t);
      continue;
    }
    if (is_hidden(t)) continue;
    const GumboAttribute* cls = gumbo_get_attribute(&n->v.element.attributes, "class");
    sink.enter(t, cls ? cls->value : "");
    stack.push_back({n, true});
    const GumboVector& children = n->v.element.children;
    for (unsigned i = children.length; i > 0; --i)
      stack.push_back({static_cast<const GumboNode*>(children.data[i - 1]), false});
  }
  return sink.finish();
}

std::vector<Block> fast_blocks(const Document& doc) {
  BlockSink sink;
  std::vector<NodeId> open;  // elements entered, closed when the walk passes their subtree end
  const NodeId end = doc.subtree_end(doc.root());
  for (NodeId i = doc.root(); i < end;) {
    while (!open.empty() && i >= doc.subtree_end(open.back())) {
      sink.leave(doc.tag(open.back()));
      open.pop_back();
    }
    if (doc.is_text(i)) {
      sink.text(doc.text(i));
      ++i;
      continue;
    }
    if (!doc.is_element(i) || is_hidden(doc.tag(i))) {
      i = doc.subtree_end(i);
      continue;
    }
    sink.enter(doc.tag(i), doc.attr(i, "class"));
    open.push_back(i);
    ++i;
  }
  while (!open.empty()) {
    sink.leave(doc.tag(open.back()));
    open.pop_back();
  }
  return sink.finish();
}

std::string joined(const std::vector<Block>& blocks) {
  std::string out;
  for (const Block& b : blocks) {
    if (!out.empty()) out += '\n';
    out += b.text;
  }
  return out;
}

std::vector<Block> fast_blocks(std::string_view html) {
  Parser parser;
  return fast_blocks(parser.parse(html));
}

std::string fast_text(std::string_view html) { return joined(fast_blocks(html)); }

// ---- fixtures ------------------------------------------------------------------------------

std::filesystem::path testdata_dir() {
  const char* env = std::getenv("STORYLINE_SOURCE_DIR");
  return std::filesystem::path(env ? env : STORYLINE_SOURCE_DIR) / "src/extract/testdata";
}

// Pages written for these tests: the common ways real markup is broken.
const char* const kFixtures[] = {
    // Implied html/head/body, unclosed paragraphs and list items.
    "<title>Harbour news</title><p>First paragraph<p>Second paragraph<ul><li>one<li>two</ul>"
    "<p>After the list",
    // Tables without tbody, unclosed cells and rows.
    "<table><tr><td>Year<td>Tonnes<tr><td>2023<td>1,204</table><p>Source: port authority",
    // Definition lists, headings closed by the wrong level, a stray close.
    "<dl><dt>Term<dd>Meaning<dt>Other<dd>More</dl><h2>Title</h3><p>Text</span> goes on</p>",
    // Mis-nested formatting: the paragraph text stays in order.
    "<div><p>Council <b>voted <i>late</b> on</i> Tuesday</p><p>Next</p></div>",
    // Raw text: markup inside script and style is not parsed, comments are skipped.
    "<body><script>if (a<b) document.write('<p>no</p>')</script><style>p{}</style>"
    "<!-- <p>hidden</p> --><p>Visible &amp; decoded &eacute;t&eacute; &#8212; &#x41;&copy</p>",
    // Options and selects, an inline end tag that must not close its block.
    "<div><select><option>A<option>B</select><span>inline<div>block</span>rest</div></div>",
    // svg with self-closing children, CDATA inside foreign content.
    "<p>Chart:<svg><path d='M0'/><text>label</text><![CDATA[raw]]></svg> end</p>",
    // A nested anchor closes the first one; textarea is escapable raw text.
    "<p><a href=/a>one<a href=/b>two</a></p><textarea>x &lt; y <b>not bold</b></textarea>",
    // Content after </body> and </html> belongs to the body.
    "<html><head><meta charset=utf-8></head><body><p>In</p></body></html><p>After</p>",
    // Uppercase tags and attributes, unquoted values, a doctype.
    "<!DOCTYPE html><HTML><BODY><DIV CLASS=Story><P>Upper case</P></DIV></BODY></HTML>",
};

TEST(FastHtml, ImpliedStructure) {
  Parser parser;
  const Document& doc = parser.parse("<p>Hello <b>world</b>");
  ASSERT_NE(doc.root(), kNoNode);
  EXPECT_EQ(doc.tag(doc.root()), GUMBO_TAG_HTML);
  EXPECT_EQ(doc.tag(doc.head()), GUMBO_TAG_HEAD);
  EXPECT_EQ(doc.tag(doc.body()), GUMBO_TAG_BODY);
  EXPECT_EQ(doc.parent(doc.body()), doc.root());
  const NodeId p = doc.first_child(doc.body());
  ASSERT_NE(p, kNoNode);
  EXPECT_EQ(doc.tag(p), GUMBO_TAG_P);
  EXPECT_EQ(doc.text(doc.first_child(p)), "Hello ");
  const NodeId b = doc.last_child(p);
  EXPECT_EQ(doc.tag(b), GUMBO_TAG_B);
  EXPECT_EQ(doc.prev_sibling(b), doc.first_child(p));
  EXPECT_EQ(doc.text(doc.first_child(b)), "world");
  EXPECT_EQ(doc.subtree_end(p), doc.size());
}

TEST(FastHtml, AttributesByName) {
  Parser parser;
  const Document& doc = parser.parse(
      "<div CLASS=\"story main\" data-x='1' id=lead hidden title=\"A &amp; B\" "
      "href=\"/s?a=1&copy=2&amp;b=3\" class=second>t</div>");
  const NodeId div = doc.first_child(doc.body());
  EXPECT_EQ(doc.attr(div, "class"), "story main");  // the first of two wins
  EXPECT_EQ(doc.attr(div, "data-x"), "1");
  EXPECT_EQ(doc.attr(div, "id"), "lead");
  EXPECT_TRUE(doc.has_attr(div, "hidden"));
  EXPECT_EQ(doc.attr(div, "hidden"), "");
  EXPECT_FALSE(doc.has_attr(div, "style"));
  EXPECT_EQ(doc.attr(div, "title"), "A & B");
  // A legacy reference followed by '=' stays literal inside an attribute.
  EXPECT_EQ(doc.attr(div, "href"), "/s?a=1&copy=2&b=3");
}

TEST(FastHtml, NamedAndNumericReferences) {
  auto decode = [](std::string_view in, bool attr = false) {
    std::string out;
    decode_text(in, attr, out);
    return out;
  };
  EXPECT_EQ(decode("&amp;&lt;&gt;&quot;&apos;"), "&<>\"'");
  EXPECT_EQ(decode("caf&eacute; na&iuml;ve &Uuml;ber &szlig;"), "café naïve Über ß");
  EXPECT_EQ(decode("&nbsp;&copy;&reg;&deg;&plusmn;&frac12;&times;&divide;"), "\u00A0©®°±½×÷");
  EXPECT_EQ(decode("&ndash;&mdash;&lsquo;&rsquo;&ldquo;&rdquo;&hellip;&bull;&euro;&trade;"),
            "–—‘’“”…•€™");
  EXPECT_EQ(decode("&laquo;&raquo;&prime;&Prime;&dagger;&permil;&thinsp;"), "«»′″†‰\u2009");
  EXPECT_EQ(decode("&#65;&#x42;&#X43;&#0067"), "ABCC");
  EXPECT_EQ(decode("&#150;&#x80;"), "–€");  // windows-1252 range
  EXPECT_EQ(decode("&#0;&#xD800;&#x110000;"), "\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(decode("&#99999999999999999;"), "\uFFFD");  // no overflow
  EXPECT_EQ(decode("&copy 2024 &notit; &notin;"), "© 2024 ¬it; ∉");
  EXPECT_EQ(decode("AT&T &unknown; & &; &#; &#x;"), "AT&T &unknown; & &; &#; &#x;");
  EXPECT_EQ(decode("&CounterClockwiseContourIntegral;"), "∳");
  EXPECT_EQ(decode("&NotSquareSubset;"), "\u228F\u0338");  // two code points
  EXPECT_EQ(decode("&copyx", /*attr=*/true), "&copyx");
  EXPECT_EQ(decode("&copyx"), "©x");
}

TEST(FastHtml, EveryLatin1NamedReference) {
  // The HTML 4 Latin-1 names all decode to U+00A0..U+00FF in order.
  const char* const names[] = {
      "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",
      "copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn",
      "sup2",   "sup3",   "acute",  "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",
      "raquo",  "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",  "Atilde",
      "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave",
      "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde",
      "Ouml",   "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",
      "szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
      "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",   "eth",
      "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave",
      "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml"};
  char32_t cp = 0xA0;
  for (const char* name : names) {
    for (const char* suffix : {";", ""}) {  // all of them are legacy names too
      std::string out;
      decode_text(std::string("&") + name + suffix + " ", false, out);
      std::string expected(2, '\0');
      expected[0] = static_cast<char>(0xC0 | (cp >> 6));
      expected[1] = static_cast<char>(0x80 | (cp & 0x3F));
      EXPECT_EQ(out, expected + " ") << name << suffix;
    }
    ++cp;
  }
}

TEST(FastHtml, InvalidBytesBecomeReplacementCharacters) {
  Parser parser;
  // One U+FFFD per maximal ill-formed subsequence ("\xE2\x82" is one); NUL is dropped from
  // text but replaced in attributes; control characters are replaced, as gumbo does.
  const std::string html = std::string(
                               "<p>a\xFF"
                               "b\xC3(c") +
                           std::string(1, '\0') + "d\x01\xE2\x82</p><p t='\xC0x" +
                           std::string(1, '\0') + "'>";
  const Document& doc = parser.parse(html);
  const NodeId p = doc.first_child(doc.body());
  EXPECT_EQ(doc.text(doc.first_child(p)), "a\uFFFDb\uFFFD(cd\uFFFD\uFFFD");
  EXPECT_EQ(doc.attr(doc.next_sibling(p), "t"), "\uFFFDx\uFFFD");
  EXPECT_EQ(fast_blocks(html), gumbo_blocks(html));
}

TEST(FastHtml, RawTextAndComments) {
  Parser parser;
  const Document& doc = parser.parse(
      "<head><script type=application/ld+json>{\"a\":\"<b>&amp;</b>\"}</script></head>"
      "<body><!-- c --><p>x</p><script>never</SCRIPT ><p>y</p><!-- unterminated");
  const NodeId script = doc.first_child(doc.head());
  ASSERT_NE(script, kNoNode);
  EXPECT_EQ(doc.tag(script), GUMBO_TAG_SCRIPT);
  EXPECT_EQ(doc.attr(script, "type"), "application/ld+json");
  EXPECT_EQ(doc.text(doc.first_child(script)), "{\"a\":\"<b>&amp;</b>\"}");
  std::string text;
  doc.append_text(doc.body(), text);
  EXPECT_EQ(text, "x y ");
}

TEST(FastHtml, UnknownAndCustomElements) {
  Parser parser;
  const Document& doc = parser.parse("<My-Widget data-id=3><x-item>in</x-item></my-widget>after");
  const NodeId w = doc.first_child(doc.body());
  EXPECT_EQ(doc.tag(w), GUMBO_TAG_UNKNOWN);
  EXPECT_EQ(doc.tag_name(w), "my-widget");
  EXPECT_EQ(doc.tag_name(doc.first_child(w)), "x-item");
  EXPECT_EQ(doc.text(doc.next_sibling(w)), "after");  // closed case-insensitively
}

TEST(FastHtml, FixturesMatchGumbo) {
  for (const char* html : kFixtures) {
    EXPECT_EQ(fast_blocks(html), gumbo_blocks(html)) << html;
  }
  // Our own pages under testdata/.
  for (const auto& entry : std::filesystem::directory_iterator(testdata_dir())) {
    if (entry.path().extension() != ".html") continue;
    const std::string html = bench::read_page(entry.path());
    EXPECT_EQ(fast_blocks(html), gumbo_blocks(html)) << entry.path();
  }
}

// Documented tree-construction differences: the visible text is the same, what differs is the
// block a piece of text is attributed to, or whether it counts as link text.
TEST(FastHtml, KnownDifferencesKeepTheText) {
  const char* const cases[] = {
      // Foster parenting: gumbo moves "stray" before the table, we keep it inside.
      "<table>stray<tr><td>cell</td></tr></table>",
      // Adoption agency: gumbo clones <a> into the div, so "more" is no link text there.
      "<p><a href=/x><div>inside</a>more</div>",
  };
  for (const char* html : cases) {
    EXPECT_EQ(joined(fast_blocks(html)), joined(gumbo_blocks(html))) << html;
  }
}

TEST(FastHtml, FixtureText) {
  EXPECT_EQ(fast_text(kFixtures[0]), "First paragraph\nSecond paragraph\none\ntwo\nAfter the list");
  EXPECT_EQ(fast_text(kFixtures[1]), "Year\nTonnes\n2023\n1,204\nSource: port authority");
  EXPECT_EQ(fast_text(kFixtures[4]), "Visible & decoded été — A©");
  EXPECT_EQ(fast_text(kFixtures[8]), "In\nAfter");
}

// ---- hostile input: bounded time and memory --------------------------------------------

TEST(FastHtmlBadInput, DeepNestingIsFlattened) {
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "deep text";
  for (int i = 0; i < 100000; ++i) html += "</div>";
  html += "<p>after</p>";
  ParseOptions options;
  options.max_depth = 256;
  Parser parser(options);
  const Document& doc = parser.parse(html);
  EXPECT_TRUE(doc.flattened());
  EXPECT_LT(doc.size(), 300u);
  std::string text;
  doc.append_text(doc.body(), text);
  EXPECT_EQ(text, "deep text after ");
}

TEST(FastHtmlBadInput, HugeTextRunAndManyTags) {
  Parser parser;
  std::string html = "<p>" + std::string(50u << 20, 'x') + "</p>";
  const Document& doc = parser.parse(html);
  const NodeId p = doc.first_child(doc.body());
  EXPECT_EQ(doc.text(doc.first_child(p)).size(), 50u << 20);

  std::string tags;
  for (int i = 0; i < 200000; ++i) tags += "<br>";
  ParseOptions options;
  options.max_nodes = 1000;
  Parser bounded(options);
  const Document& cut = bounded.parse(tags);
  EXPECT_TRUE(cut.truncated());
  EXPECT_LE(cut.size(), 1003u);  // html, head and body are always there
}

TEST(FastHtmlBadInput, TruncatedAndBinaryInput) {
  Parser parser;
  const char* const cases[] = {"",         "<",         "</",         "<a href=\"x",
                               "<!--",     "<!DOCTYPE", "<![CDATA[x", "&",
                               "&#x",      "<p a=",     "<script>x",  "<svg><![CDATA[",
                               "</p></p>", "<p/>",      "<?xml ?>",   "<table><td>x</tr>"};
  for (const char* html : cases) {
    const Document& doc = parser.parse(html);
    EXPECT_NE(doc.body(), kNoNode) << html;
  }
  std::string binary;
  for (int i = 0; i < 100000; ++i) binary += static_cast<char>((i * 7919) % 256);
  const Document& doc = parser.parse(binary);
  std::string text;
  doc.append_text(doc.body(), text);
  std::string check;
  decode_text(text, false, check);  // valid UTF-8 decodes to itself (no '&' is special here)
  EXPECT_EQ(std::count(text.begin(), text.end(), '\0'), 0);
}

TEST(FastHtmlBadInput, ParserIsReusable) {
  Parser parser;
  for (int i = 0; i < 3; ++i) {
    const Document& doc = parser.parse("<p>one &amp; two</p>");
    EXPECT_EQ(doc.text(doc.first_child(doc.first_child(doc.body()))), "one & two");
  }
}

// ---- the corpus reference check -----------------------------------------------------------

TEST(FastHtmlReference, Corpus) {
  const char* dir = std::getenv("STORYLINE_HTML_CORPUS");
  if (dir == nullptr || *dir == '\0') GTEST_SKIP() << "STORYLINE_HTML_CORPUS not set";
  const std::vector<bench::CorpusPage> pages = bench::read_page_corpus(dir);
  ASSERT_FALSE(pages.empty());
  Parser parser;
  std::size_t same_blocks = 0, same_text = 0, blocks_total = 0, blocks_matched = 0;
  for (const auto& [path, html] : pages) {
    const std::vector<Block> ref = gumbo_blocks(html);
    const std::vector<Block> got = fast_blocks(parser.parse(html));
    if (got == ref) ++same_blocks;
    if (joined(got) == joined(ref)) ++same_text;
    // Blocks in order: the longest common prefix and suffix, a cheap alignment.
    std::size_t prefix = 0;
    while (prefix < ref.size() && prefix < got.size() && ref[prefix] == got[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix + prefix < ref.size() && suffix + prefix < got.size() &&
           ref[ref.size() - 1 - suffix] == got[got.size() - 1 - suffix])
      ++suffix;
    blocks_total += ref.size();
    blocks_matched += prefix + suffix;
    if (got != ref && std::getenv("STORYLINE_HTML_CORPUS_VERBOSE")) {
      const std::string r = prefix < ref.size() ? ref[prefix].text : "<end>";
      const std::string g = prefix < got.size() ? got[prefix].text : "<end>";
      std::printf("%s: block %zu/%zu differs\n  gumbo: [%s] %.200s\n  fast:  [%s] %.200s\n",
                  path.filename().c_str(), prefix, ref.size(),
                  prefix < ref.size() ? gumbo_normalized_tagname(ref[prefix].tag) : "", r.c_str(),
                  prefix < got.size() ? gumbo_normalized_tagname(got[prefix].tag) : "", g.c_str());
    }
  }
  const double n = static_cast<double>(pages.size());
  std::printf(
      "fast_html vs gumbo over %zu pages: identical (tag, text) blocks %zu (%.1f%%), identical "
      "visible text %zu (%.1f%%), blocks matched in order %.2f%% of %zu\n",
      pages.size(), same_blocks, 100 * same_blocks / n, same_text, 100 * same_text / n,
      blocks_total ? 100.0 * blocks_matched / static_cast<double>(blocks_total) : 100.0,
      blocks_total);
  // Measured on the AEB pages: 100% of pages with identical visible text and blocks. The floor
  // leaves room for a corpus with rarer markup, not for a regression on common pages.
  EXPECT_GE(same_text / n, 0.95);
  if (blocks_total > 0) {
    EXPECT_GE(static_cast<double>(blocks_matched) / static_cast<double>(blocks_total), 0.99);
  }
}

}  // namespace
}  // namespace storyline::extract::fast_html
