#include "extract/extract.h"

#include <gtest/gtest.h>
#include <unicode/ucnv.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "common/text_util.h"

namespace storyline::extract {
namespace {

std::string testdata(const std::string& name) {
  const char* env = std::getenv("STORYLINE_SOURCE_DIR");
  const std::string root = env ? env : STORYLINE_SOURCE_DIR;
  std::ifstream in(root + "/src/extract/testdata/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Page make_page(std::string content, PageFormat format = PageFormat::kUnknown) {
  Page page;
  page.id = "p1";
  page.origin = "test";
  page.format = format;
  page.content = std::move(content);
  return page;
}

Output run_ok(const Page& page, Options options = {}) {
  Result<Output> out = Extractor(options).run(page);
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().to_string());
  return out ? *out : Output{};
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

bool has_warning(const Output& out) { return !out.warnings.empty(); }

// ---- HTML ------------------------------------------------------------------------------

TEST(ExtractHtml, NewsArticleMetadata) {
  Page page = make_page(testdata("news_article.html"));
  const Output out = run_ok(page);
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  EXPECT_EQ(a.page_id, "p1");
  EXPECT_EQ(a.title, "Harbour city approves floating solar farm after long debate");
  EXPECT_EQ(a.author, "Marta Ellingsen, Tobias Krane");
  EXPECT_EQ(a.published, "2024-03-14T08:45:00+01:00");
  EXPECT_EQ(a.site_name, "Coastal Ledger");
  EXPECT_EQ(a.source, "Coastal Ledger");
  EXPECT_EQ(a.canonical_url, "https://www.coastalledger.example/news/2024/floating-solar-farm");
  EXPECT_EQ(a.description,
            "Councillors voted 9-4 to build a floating solar array on the old quarry lake.");
  EXPECT_EQ(a.language, "en");
  EXPECT_EQ(a.dateline, "NORDHAVEN");
  EXPECT_FALSE(a.truncated);
  EXPECT_FALSE(a.is_teaser);
}

TEST(ExtractHtml, NewsArticleBodyWithoutBoilerplate) {
  const Output out = run_ok(make_page(testdata("news_article.html")));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  // Key paragraphs, in reading order, the dateline removed from the first.
  EXPECT_EQ(text.rfind("The city council on Wednesday approved", 0), 0u) << text;
  const std::size_t vote = text.find("Councillors voted nine to four");
  const std::size_t quote = text.find("This is the cheapest clean power");
  const std::size_t grebes = text.find("nesting season of the grebes");
  ASSERT_NE(vote, std::string::npos);
  ASSERT_NE(quote, std::string::npos);
  ASSERT_NE(grebes, std::string::npos);
  EXPECT_LT(vote, quote);
  EXPECT_LT(quote, grebes);
  EXPECT_TRUE(contains(text, "Costs and timeline"));
  // None of the furniture.
  for (const char* junk : {"We use cookies",
                           "Share on Facebook",
                           "Sport",
                           "Weather",
                           "Quarry lake swimmers",
                           "Energy prices rise",
                           "Tags:",
                           "Comments",
                           "Finally some common sense",
                           "the fish",
                           "Most read",
                           "Ferry timetable",
                           "All rights reserved",
                           "Photo: Ledger archive",
                           "quarry lake seen",
                           "Advertisement",
                           "By Marta",
                           "14 March 2024",
                           "NORDHAVEN",
                           "window.dataLayer",
                           "position:fixed",
                           "Harbour city approves"}) {
    EXPECT_FALSE(contains(text, junk)) << junk << "\n" << text;
  }
  // One paragraph a line, valid UTF-8, no empty lines.
  EXPECT_TRUE(is_valid_utf8(text));
  EXPECT_FALSE(contains(text, "\n\n"));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 6);
}

TEST(ExtractHtml, CallerMetadataWins) {
  Page page = make_page(testdata("news_article.html"), PageFormat::kHtml);
  page.source = "Ledger (print)";
  page.published = "2024-03-15";
  page.url = "https://coastalledger.example/x?utm=1";
  const Output out = run_ok(page);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].source, "Ledger (print)");
  EXPECT_EQ(out.articles[0].published, "2024-03-15");
  EXPECT_EQ(out.articles[0].url, "https://coastalledger.example/x?utm=1");
}

TEST(ExtractHtml, PageWithoutMetadata) {
  Page page = make_page(testdata("no_metadata.html"));
  page.url = "https://www.valleycourier.example/local/library";
  const Output out = run_ok(page);
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  // The " - Valley Courier" suffix goes: the h1 is the clean form.
  EXPECT_EQ(a.title, "Library opens late on Fridays");
  EXPECT_EQ(a.source, "valleycourier.example");
  EXPECT_EQ(a.author, "");
  EXPECT_EQ(a.published, "");
  EXPECT_TRUE(contains(a.text, "Librarian Petra Holm said"));
  EXPECT_TRUE(contains(a.text, "fewer than twenty visitors"));
  EXPECT_FALSE(contains(a.text, "Obituaries"));
  EXPECT_FALSE(contains(a.text, "Contact"));
  EXPECT_EQ(std::count(a.text.begin(), a.text.end(), '\n'), 2);
}

TEST(ExtractHtml, TitleSuffixMatchingSiteNameIsStripped) {
  const Output out = run_ok(make_page(
      "<html><head><title>Bridge reopens after repairs | Northern Echo Daily</title>"
      "<meta property=\"og:site_name\" content=\"Northern Echo Daily\"></head><body>"
      "<p>The river bridge reopened to traffic on Friday after six weeks of repairs to its "
      "bearings, the roads department said, well ahead of the holiday traffic.</p></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].title, "Bridge reopens after repairs");
  EXPECT_EQ(out.articles[0].source, "Northern Echo Daily");
}

TEST(ExtractHtml, GermanPage) {
  const Output out = run_ok(make_page(testdata("german.html")));
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  EXPECT_EQ(a.language, "de");
  EXPECT_EQ(a.title, "Neue Fahrradbrücke über den Kanal eröffnet");
  EXPECT_EQ(a.author, "Katrin Albers");
  EXPECT_EQ(a.source, "Rheintaler Bote");
  EXPECT_TRUE(contains(a.text, "verkürzt den Weg für Pendler"));
  EXPECT_FALSE(contains(a.text, "Veröffentlicht"));
  EXPECT_FALSE(contains(a.text, "Impressum"));
}

TEST(ExtractHtml, JsonLdAuthorAsStringAndBrokenJsonTolerated) {
  const Output out = run_ok(make_page(
      "<html><head><script type=\"application/ld+json\">{broken</script>"
      "<script type=\"application/ld+json\">[{\"@type\":[\"NewsArticle\"],"
      "\"headline\":\"Ferry fares frozen\",\"author\":\"Oskar Lind\","
      "\"datePublished\":\"March 3, 2025\"}]</script></head><body><article>"
      "<p>Ferry fares will stay at last year's level until the end of the season, the island "
      "council decided after a long meeting on Monday evening.</p></article></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].title, "Ferry fares frozen");
  EXPECT_EQ(out.articles[0].author, "Oskar Lind");
  EXPECT_EQ(out.articles[0].published, "2025-03-03");
  EXPECT_TRUE(has_warning(out));  // the broken block
}

TEST(ExtractHtml, DeclaredCharsetIsConverted) {
  // "Café" and "Müller" in ISO-8859-1.
  std::string html =
      "<html><head><meta charset=\"iso-8859-1\"><title>Caf\xE9 reopens</title></head><body>"
      "<p>The old harbour caf\xE9 reopened on Saturday under new owner Hanna M\xFCller, who "
      "kept the original tiles, the menu and most of the staff from before.</p></body></html>";
  const Output out = run_ok(make_page(html));
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].title, "Caf\xC3\xA9 reopens");
  EXPECT_TRUE(contains(out.articles[0].text, "Hanna M\xC3\xBCller"));
  EXPECT_TRUE(is_valid_utf8(out.articles[0].text));
}

// `utf8` re-encoded in `charset` with ICU, as a server in that charset would send it.
std::string encode_as(const std::string& utf8, const char* charset) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 8, '\0');
  const int32_t len = ucnv_convert(charset, "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                                   utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  out.resize(U_SUCCESS(status) ? static_cast<std::size_t>(len) : 0);
  return out;
}

// An invented Russian story (UTF-8 source text), long enough for statistics.
const std::string kRussianStory =
    "<html><head><title>Мост через реку откроют весной</title></head><body><article>"
    "<p>Новый мост через реку в центре города откроют для движения весной, сообщили в "
    "городской администрации во вторник. Строительство началось три года назад и стоило "
    "дороже, чем планировали.</p><p>По словам главного инженера проекта, рабочие уже "
    "закончили укладку асфальта и сейчас устанавливают освещение и ограждения. Жители "
    "соседних районов ждут открытия, потому что старый мост давно закрыт на ремонт.</p>"
    "</article></body></html>";

TEST(ExtractHtml, UndeclaredCharsetIsDetected) {
  const std::string cp1251 = encode_as(kRussianStory, "windows-1251");
  ASSERT_FALSE(is_valid_utf8(cp1251));
  const Output out = run_ok(make_page(cp1251));
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].title, "Мост через реку откроют весной");
  EXPECT_TRUE(contains(out.articles[0].text, "главного инженера проекта"));
  EXPECT_EQ(out.articles[0].language, "ru");
  const bool detected = std::any_of(out.warnings.begin(), out.warnings.end(), [](const auto& w) {
    return w.find("detected charset") != std::string::npos;
  });
  EXPECT_TRUE(detected);
}

TEST(ExtractHtml, TransportCharsetComesBeforeDetection) {
  // Polish in ISO-8859-2, declared only by the HTTP response (as a WARC record carries it).
  const std::string story =
      "<html><body><p>Żółta łódź wypłynęła z portu w Gdańsku w środę rano, a załoga wróciła "
      "po południu z pełnymi sieciami, jak podało biuro kapitanatu.</p></body></html>";
  Page page = make_page(encode_as(story, "ISO-8859-2"));
  page.charset = "iso-8859-2";
  const Output out = run_ok(page);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_TRUE(contains(out.articles[0].text, "Żółta łódź wypłynęła z portu w Gdańsku"));
}

TEST(ExtractHtml, MostlyUtf8WithAStrayByteIsRepairedNotRedecoded) {
  // One Latin-1 byte inside an otherwise UTF-8 page: the Cyrillic stays Cyrillic.
  std::string html = kRussianStory;
  html.insert(html.find("<p>") + 3, "caf\xE9 ");
  ASSERT_FALSE(is_valid_utf8(html));
  const Output out = run_ok(make_page(html));
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_TRUE(contains(out.articles[0].text, "главного инженера проекта"));
  EXPECT_TRUE(is_valid_utf8(out.articles[0].text));
}

TEST(ExtractText, Utf16WithBomAndUtf8Bom) {
  const std::string story =
      "Night ferry cancelled\nThe night ferry to the islands was cancelled on Sunday because "
      "of a storm warning, the operator said.\n";
  std::string utf16 = "\xFF\xFE";
  for (char c : story) {
    utf16 += c;
    utf16 += '\0';
  }
  for (const std::string& content : {utf16, "\xEF\xBB\xBF" + story}) {
    const Output out = run_ok(make_page(content));
    ASSERT_EQ(out.articles.size(), 1u);
    EXPECT_EQ(out.articles[0].title, "Night ferry cancelled");
    EXPECT_EQ(out.articles[0].text.rfind("The night ferry to the islands", 0), 0u);
  }
}

TEST(ExtractText, HugeSingleLine) {
  std::string text;
  text.reserve((std::size_t{50} << 20) + 8);
  while (text.size() < (std::size_t{50} << 20)) text += "word, ";
  const Output out = run_ok(make_page(std::move(text), PageFormat::kText));
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_TRUE(out.articles[0].truncated);
}

TEST(ExtractHtml, BrSeparatedParagraphsAndBodyByline) {
  const Output out = run_ok(make_page(
      "<html><head><title>Roads cleared</title></head><body>"
      "<div class=\"nav\"><a href=\"/\">Home</a> <a href=\"/x\">World</a></div>"
      "<div id=\"content\"><div class=\"entry\">Snow ploughs worked through the night to clear "
      "the main roads into the valley, the county said.<br><br>By Friday, most of the roads "
      "were clear, but several villages remained cut off.<br><br>By Anna Berg<br>Schools in the "
      "upper valley will stay closed until Monday, officials said.</div></div>"
      "<div class=\"footer\">Contact us</div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  EXPECT_EQ(a.author, "Anna Berg");
  EXPECT_EQ(a.title, "Roads cleared");
  EXPECT_TRUE(contains(a.text, "\nBy Friday, most of the roads were clear"));
  EXPECT_FALSE(contains(a.text, "Anna Berg"));
  EXPECT_FALSE(contains(a.text, "Home"));
  EXPECT_FALSE(contains(a.text, "Contact us"));
  EXPECT_EQ(std::count(a.text.begin(), a.text.end(), '\n'), 2);
}

TEST(ExtractHtml, TableRowsBecomeLines) {
  const Output out = run_ok(make_page(
      "<html><body><div class=\"article-body\"><p>The election committee published the final "
      "results on Sunday, confirming the count announced on election night.</p>"
      "<table><tr><th>Party</th><th>Seats</th></tr><tr><td>Green Alliance</td><td>12</td></tr>"
      "</table></div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_TRUE(contains(out.articles[0].text, "\nGreen Alliance | 12")) << out.articles[0].text;
}

TEST(ExtractHtml, WrapperWithFurnitureClassKeepsTheStory) {
  // The whole page sits in a wrapper whose class names furniture ("sidebar", "paywall"): it is
  // a wrapper, not a sidebar, because it holds most of the page's text. Real furniture inside
  // it (the sidebar list, the marked comments) still goes.
  const Output out = run_ok(make_page(
      "<html><head><title>Ferry timetable</title></head><body>"
      "<div class=\"layout has-sidebar\"><div class=\"wrap paywall\">"
      "<div class=\"story\"><p>The island ferry will run every forty minutes from May, the "
      "operator said on Tuesday, after a year of complaints about crowded crossings.</p>"
      "<p>Two new boats, built at the yard across the bay, will join the fleet in April and "
      "carry up to three hundred passengers each.</p>"
      "<p>Commuters welcomed the change, though several said the fares were still too high "
      "for families who travel every day.</p></div>"
      "<div class=\"sidebar\"><p>Most read: harbour lights, market prices and weather.</p></div>"
      "<div id=\"comments\"><div class=\"comment\"><p>I have waited years for this, finally "
      "some good news for those of us on the island.</p></div></div>"
      "</div></div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "The island ferry will run every forty minutes")) << text;
  EXPECT_TRUE(contains(text, "Commuters welcomed the change")) << text;
  EXPECT_FALSE(contains(text, "Most read")) << text;
  EXPECT_FALSE(contains(text, "I have waited years")) << text;
}

TEST(ExtractHtml, WrapperHoldingMostParagraphsKeepsTheStory) {
  // Long link menus make up most of the page's text, but the paragraphs are all in the
  // story's box, whose class happens to name a popup.
  std::string menu = "<div class=\"mega-menu\">";
  for (int i = 0; i < 40; ++i)
    menu += "<a href=\"/s" + std::to_string(i) + "\">Section " + std::to_string(i) +
            " news and more</a> ";
  menu += "</div>";
  const Output out = run_ok(make_page(
      "<html><body>" + menu +
      "<div class=\"box modal-enabled\"><p>The river rose by two metres overnight, and the "
      "town closed the lower bridge to traffic before dawn on Thursday.</p>"
      "<p>Volunteers filled sandbags at the fire station, where the mayor said the water "
      "should peak on Friday afternoon.</p></div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "The river rose by two metres overnight")) << text;
  EXPECT_TRUE(contains(text, "Volunteers filled sandbags")) << text;
  EXPECT_FALSE(contains(text, "Section 3 news")) << text;
}

// Three sentences of invented story text for chunk `i`.
std::string chunk_paragraphs(int i) {
  const std::string n = std::to_string(i);
  return "<p>In part " + n +
         " of the survey, the team counted nesting birds along the coast, "
         "from the dunes to the old harbour wall, over four weeks.</p>"
         "<p>The counts for stretch " +
         n +
         " were higher than last year, the report said, "
         "although storms washed out two of the smaller colonies.</p>";
}

TEST(ExtractHtml, StorySplitIntoChunksIsJoined) {
  // Each chunk of the story sits in its own grid cell; the cells are cousins, not siblings.
  std::string chunks = "<div class=\"chunks\">";
  for (int i = 1; i <= 4; ++i)
    chunks += "<div class=\"grid\"><div class=\"cell\">" + chunk_paragraphs(i) +
              "</div><div class=\"rail\"></div></div>";
  chunks += "</div>";
  const Output out = run_ok(make_page("<html><body>" + chunks +
                                      "<div class=\"more\"><a href=\"/a\">Other news</a>"
                                      "</div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  for (int i = 1; i <= 4; ++i)
    EXPECT_TRUE(contains(text, "In part " + std::to_string(i) + " of the survey")) << text;
  EXPECT_FALSE(contains(text, "Other news")) << text;
}

TEST(ExtractHtml, HigherScoringAncestorGathersCousinBlocks) {
  // The best block is a column in the first row; the second row's paragraphs are its cousins.
  // Going up, the score drops at the row and rises again at the story: the story is the
  // container.
  const Output out = run_ok(
      make_page("<html><body><div class=\"wrap\">"
                "<section class=\"row\"><div class=\"col\">" +
                chunk_paragraphs(1) + chunk_paragraphs(2) +
                "</div></section><section class=\"row\">" + chunk_paragraphs(3) +
                "</section></div><div class=\"foot\"><p>Contact the newsroom by mail.</p></div>"
                "</body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "In part 1 of the survey")) << text;
  EXPECT_TRUE(contains(text, "In part 3 of the survey")) << text;
  EXPECT_FALSE(contains(text, "Contact the newsroom")) << text;
}

TEST(ExtractHtml, GalleriesAndRailsInsideTheStoryAreDropped) {
  const Output out = run_ok(
      make_page("<html><body><article><div class=\"article-body\">" + chunk_paragraphs(1) +
                "<div class=\"inline-gallery\"><div class=\"item\"><span>Image 1 of 2</span>"
                "<p>Terns on the breakwater at low tide, seen from the pier on a clear morning.</p>"
                "</div></div>" +
                chunk_paragraphs(2) +
                "<div class=\"rail rail--trending\"><div class=\"item\"><h3>HARBOUR HORROR</h3>"
                "<p>Fisherman finds a message in a bottle sent forty years ago from far away.</p>"
                "</div></div></div></article></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "In part 2 of the survey")) << text;
  EXPECT_FALSE(contains(text, "Image 1 of 2")) << text;
  EXPECT_FALSE(contains(text, "Terns on the breakwater")) << text;
  EXPECT_FALSE(contains(text, "message in a bottle")) << text;
}

TEST(ExtractHtml, DeeplyNestedSiblingChunkJoinsTheStory) {
  // The story comes in two blocks of the same class; the first nests its paragraphs so deep
  // that none of their votes reaches the block.
  std::string deep = "<div class=\"story-part\">";
  for (int i = 0; i < 7; ++i) deep += "<div class=\"level\">";
  deep += chunk_paragraphs(1) + chunk_paragraphs(2);
  for (int i = 0; i < 7; ++i) deep += "</div>";
  deep += "</div>";
  const Output out =
      run_ok(make_page("<html><body><div class=\"post\">" + deep +
                       "<div class=\"related\"><a href=\"/x\">"
                       "Read more stories about the coast</a></div><div class=\"story-part\">" +
                       chunk_paragraphs(3) + chunk_paragraphs(4) + chunk_paragraphs(5) +
                       "</div></div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "In part 1 of the survey")) << text;
  EXPECT_TRUE(contains(text, "In part 5 of the survey")) << text;
  EXPECT_FALSE(contains(text, "Read more stories")) << text;
}

TEST(ExtractHtml, WeakPositiveWordsDoNotRescueFurniture) {
  // "text" and "post" are too common to cancel "share" and "widget"; "blog" and "content" do.
  const Output out = run_ok(make_page(
      "<html><body><div class=\"widget blog\" id=\"blog1\"><div class=\"entry\">"
      "<p class=\"share-text\">Spread the word, tell your friends!</p>" +
      chunk_paragraphs(1) + chunk_paragraphs(2) +
      "<div class=\"likes-widget-wrapper\" id=\"like-post-wrapper-12\"><h3>Liked it:</h3>"
      "<p>Be the first to like this story of ours.</p></div></div></div>"
      "<div class=\"widget\"><p>Archive: a list of all the older posts of this blog.</p></div>"
      "</body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "In part 2 of the survey")) << text;
  EXPECT_FALSE(contains(text, "Spread the word")) << text;
  EXPECT_FALSE(contains(text, "Be the first to like")) << text;
  EXPECT_FALSE(contains(text, "Archive:")) << text;
}

TEST(ExtractHtml, LabelsOfLinkListsAndAdLabelsAreDropped) {
  const Output out = run_ok(make_page(
      "<html><body><div class=\"article-body\">" + chunk_paragraphs(1) + "<p>Anzeige</p>" +
      chunk_paragraphs(2) + "<h3>Boat of the week</h3><p><a href=\"/boat\">See it here</a></p>" +
      chunk_paragraphs(3) +
      "<div class=\"more\">More coast stories</div><ul><li><a href=\"/1\">Dunes on the move "
      "again</a></li><li><a href=\"/2\">The lighthouse keeper retires</a></li></ul>"
      "<h3>Pass it on:</h3></div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "In part 3 of the survey")) << text;
  EXPECT_TRUE(contains(text, "Boat of the week")) << text;  // one link: a product, not a list
  EXPECT_FALSE(contains(text, "Anzeige")) << text;
  EXPECT_FALSE(contains(text, "More coast stories")) << text;
  EXPECT_FALSE(contains(text, "Pass it on")) << text;
}

TEST(ExtractHtml, TrailingItalicNotesWithLinksAreDropped) {
  const Output out = run_ok(make_page(
      "<html><body><div class=\"article-body\">" + chunk_paragraphs(1) +
      "<p><em>Read the <a href=\"/2018\">first survey</a> from five years ago, which counted "
      "fewer birds along the same stretch of coast.</em></p>" +
      chunk_paragraphs(2) +
      "<p><i>(Counting by volunteers of the bird society; edited by the desk)</i></p>"
      "<p><em>Have a tip? Write to <a href=\"mailto:desk@example.org\">desk@example.org</a> "
      "or follow the desk on social media for more stories.</em></p></div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "Read the first survey")) << text;   // inside the story
  EXPECT_TRUE(contains(text, "Counting by volunteers")) << text;  // no link: the story's own
  EXPECT_FALSE(contains(text, "Have a tip")) << text;
}

TEST(ExtractHtml, LabelledListOfPartLinksIsDropped) {
  // "More stories" with items that are only partly links; a contents list whose items carry
  // a small "(more)" link stays.
  const Output out = run_ok(make_page(
      "<html><body><div class=\"article-body\"><p>This report covers:</p><ul>"
      "<li>Where the birds nested this year and why. <a href=\"#a\">(more)</a></li>"
      "<li>What the storms did to the smaller colonies. <a href=\"#b\">(more)</a></li></ul>" +
      chunk_paragraphs(1) + chunk_paragraphs(2) +
      "<hr><div class=\"h3\">More Great Coast Stories</div><ul>"
      "<li>Dunes are moving again on the north shore, <a href=\"/1\">whatever the council "
      "says</a></li><li>The lighthouse keeper retires after forty years. <a href=\"/2\">His "
      "last night on the rock</a></li><li>Could a seal lost at sea <a href=\"/3\">find its way "
      "home alone</a>, and how?</li></ul>"
      "</div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "Where the birds nested this year")) << text;
  EXPECT_TRUE(contains(text, "In part 2 of the survey")) << text;
  EXPECT_FALSE(contains(text, "More Great Coast Stories")) << text;
  EXPECT_FALSE(contains(text, "Dunes are moving")) << text;
  EXPECT_FALSE(contains(text, "Could a seal")) << text;
}

TEST(ExtractHtml, LooseTextInContainerIsScored) {
  // The story is written straight into a div after a title paragraph, with <br> breaks; a
  // block of short teaser paragraphs elsewhere must not win.
  const Output out = run_ok(make_page(
      "<html><body><div class=\"col\"><div class=\"box\">"
      "<p>Council agenda for the coming week, published.</p>"
      "<p>Library opening hours during the holidays, updated.</p>"
      "<p>Road works on the ring road: the list of closures.</p></div></div>"
      "<div class=\"col\"><p class=\"titulo\">Clinic cars broken into</p>"
      "<small>05/10/2018 - Health</small><br>"
      "The staff of the home-care clinic found two of its five cars broken into this morning, "
      "with the batteries gone and the doors damaged.<br><br>"
      "A police report was filed, and officers came to the site to look at the damage, the "
      "clinic said, adding that visits would go on as planned.</div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "The staff of the home-care clinic found two")) << text;
  EXPECT_TRUE(contains(text, "A police report was filed")) << text;
  EXPECT_FALSE(contains(text, "Library opening hours")) << text;
}

// ---- scraped text ------------------------------------------------------------------------

TEST(ExtractText, SingleStoryPage) {
  const Output out = run_ok(make_page(testdata("scraped_single.txt")));
  ASSERT_EQ(out.articles.size(), 1u);
  const Article& a = out.articles[0];
  EXPECT_EQ(a.title, "Dockworkers End Strike After Wage Deal in Port City");
  EXPECT_EQ(a.dateline, "Westmouth");
  EXPECT_EQ(a.language, "en");
  EXPECT_FALSE(a.truncated);
  EXPECT_FALSE(a.is_teaser);
  EXPECT_EQ(a.text.rfind("Dockworkers at the port of Westmouth returned", 0), 0u) << a.text;
  EXPECT_TRUE(contains(a.text, "\n\xE2\x80\x9CWe did not get everything we wanted"));
  EXPECT_TRUE(contains(a.text, "add night shifts"));
  for (const char* junk : {"3 12", "Dockworkers End Strike", "Photo:", "Harbour Press Agency",
                           "Tags", "Share this", "login", "Login/Register", "Westmouth:"}) {
    EXPECT_FALSE(contains(a.text, junk)) << junk;
  }
  EXPECT_EQ(std::count(a.text.begin(), a.text.end(), '\n'), 4);
}

TEST(ExtractText, MultiStoryPage) {
  const Output out = run_ok(make_page(testdata("scraped_multi.txt"), PageFormat::kText));
  ASSERT_EQ(out.articles.size(), 4u);
  const Article& main = out.articles[0];
  EXPECT_EQ(main.segment, 0);
  EXPECT_EQ(main.title, "");  // the first line is a sentence, not a headline
  EXPECT_EQ(main.kicker, "");
  EXPECT_FALSE(main.truncated);
  EXPECT_FALSE(main.is_teaser);
  EXPECT_EQ(std::count(main.text.begin(), main.text.end(), '\n'), 3);
  EXPECT_FALSE(contains(main.text, "Photo by"));
  EXPECT_TRUE(contains(main.text, "Shop owners said the flooding"));

  const Article& dredging = out.articles[1];
  EXPECT_EQ(dredging.segment, 1);
  EXPECT_EQ(dredging.kicker, "HARBOUR DREDGING");
  EXPECT_EQ(dredging.title,
            "The project would keep larger ferries in service through the winter, the transport "
            "office said");
  EXPECT_EQ(dredging.text.rfind("The regional transport office plans", 0), 0u);
  EXPECT_FALSE(contains(dredging.text, "HARBOUR DREDGING"));
  EXPECT_TRUE(dredging.truncated);
  EXPECT_TRUE(dredging.is_teaser);

  const Article& meals = out.articles[2];
  EXPECT_EQ(meals.kicker, "SCHOOL MEALS");
  EXPECT_EQ(meals.text.rfind("The education board on Wednesday", 0), 0u);
  EXPECT_TRUE(meals.truncated);
  EXPECT_TRUE(meals.is_teaser);

  // No kicker: a new story only because the one before was cut off.
  const Article& museum = out.articles[3];
  EXPECT_EQ(museum.kicker, "");
  EXPECT_EQ(museum.title, "");
  EXPECT_EQ(museum.text.rfind("The museum of local history", 0), 0u);
  EXPECT_TRUE(museum.truncated);
  EXPECT_TRUE(museum.is_teaser);
  for (const Article& a : out.articles) {
    EXPECT_EQ(a.page_id, "p1");
    EXPECT_EQ(a.language, "en");
    EXPECT_EQ(a.text.find('\n'), a.segment == 0 ? a.text.find('\n') : std::string::npos);
  }
}

TEST(ExtractText, SplittingCanBeTurnedOff) {
  Options options;
  options.split_stories = false;
  const Output out = run_ok(make_page(testdata("scraped_multi.txt"), PageFormat::kText), options);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_TRUE(contains(out.articles[0].text, "The museum of local history"));
  EXPECT_TRUE(out.articles[0].truncated);
}

TEST(ExtractText, BylineLineBecomesAuthor) {
  const Output out = run_ok(make_page(
      "Orchard harvest starts early\nBy Jonas Ek\n"
      "Apple growers in the valley began picking two weeks earlier than usual this year after "
      "a warm spring, the growers' association said.\n"));
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].author, "Jonas Ek");
  EXPECT_EQ(out.articles[0].text.rfind("Apple growers in the valley", 0), 0u);
}

TEST(ExtractText, AgencyDateline) {
  const Output out = run_ok(make_page(
      "Grain exports rise for third month\n"
      "LISBON (Tagus News) - Grain exports rose for a third month in a row in June, the farm "
      "ministry said on Tuesday, helped by a strong harvest in the south.\n"
      "The ministry expects shipments to slow in the autumn.\n"));
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].title, "Grain exports rise for third month");
  EXPECT_EQ(out.articles[0].dateline, "LISBON");
  EXPECT_EQ(out.articles[0].text.rfind("Grain exports rose for a third month", 0), 0u);
}

TEST(ExtractText, SentenceAboutAPlaceIsNotADateline) {
  const Output out = run_ok(
      make_page("Officials in Brussels said on Monday that the talks would resume next week.\n"
                "Trade ministers are expected to attend.\n"));
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].dateline, "");
  EXPECT_EQ(out.articles[0].text.rfind("Officials in Brussels", 0), 0u);
}

TEST(ExtractText, PageDateIsNormalised) {
  Page page = make_page("A short note about the weather, which was fine all week long.\n");
  page.published = "2025-04-12T09:30:00Z";
  const Output out = run_ok(page);
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_EQ(out.articles[0].published, "2025-04-12T09:30:00Z");
}

TEST(DetectLanguage, KnownAndUnknown) {
  EXPECT_EQ(detect_language("The council approved the budget on Tuesday after a long debate "
                            "about the costs of the new school buildings."),
            "en");
  EXPECT_EQ(detect_language("Le conseil municipal a approuvé mardi le budget après un long débat "
                            "sur le coût des nouvelles écoles de la ville."),
            "fr");
  EXPECT_EQ(detect_language("ok"), "un");
  EXPECT_EQ(detect_language(""), "un");
}

// ---- bad input -------------------------------------------------------------------------

TEST(ExtractBadInput, EmptyPage) {
  for (const char* content : {"", "   \n\n  "}) {
    const Output out = run_ok(make_page(content));
    EXPECT_TRUE(out.articles.empty());
    EXPECT_TRUE(has_warning(out));
  }
  const Output html = run_ok(make_page("<html><body></body></html>", PageFormat::kHtml));
  EXPECT_TRUE(html.articles.empty());
  EXPECT_TRUE(has_warning(html));
}

TEST(ExtractBadInput, BinaryBytes) {
  std::string bytes;
  for (int i = 0; i < 5000; ++i) bytes += static_cast<char>((i * 7919) % 256);
  for (PageFormat format : {PageFormat::kUnknown, PageFormat::kHtml, PageFormat::kText}) {
    const Output out = run_ok(make_page(bytes, format));
    EXPECT_TRUE(has_warning(out));
    for (const Article& a : out.articles) EXPECT_TRUE(is_valid_utf8(a.text));
  }
}

TEST(ExtractBadInput, InvalidUtf8IsReplacedWithWarning) {
  const Output out = run_ok(make_page(
      "Market stalls reopen \xFF\xFE after the flood, and traders count the \xC3 losses.\n"
      "Most stalls were open again by noon on Saturday, the market office said.\n"));
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_TRUE(is_valid_utf8(out.articles[0].text));
  EXPECT_TRUE(is_valid_utf8(out.articles[0].title));
  EXPECT_TRUE(contains(out.articles[0].text, "\xEF\xBF\xBD"));
  EXPECT_FALSE(out.articles[0].warnings.empty());
}

TEST(ExtractBadInput, NulBytes) {
  std::string with_nuls("<html><body><p>Night buses return to the");
  with_nuls += std::string(3, '\0');
  with_nuls += " city centre from Friday, the transport authority said after a long trial.</p>";
  with_nuls += std::string(2, '\0');
  with_nuls += "</body></html>";
  const Output out = run_ok(make_page(with_nuls));
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_FALSE(contains(out.articles[0].text, std::string(1, '\0')));
  EXPECT_TRUE(contains(out.articles[0].text, "city centre from Friday"));
  EXPECT_TRUE(has_warning(out));
}

TEST(ExtractBadInput, DeeplyNestedTagsAreFlattened) {
  std::string html = "<html><body>";
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "<p>The deepest paragraph on the page still has something to say, and says it.</p>";
  for (int i = 0; i < 100000; ++i) html += "</div>";
  html += "</body></html>";
  const Output out = run_ok(make_page(html));
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_TRUE(contains(out.articles[0].text, "The deepest paragraph on the page"));
  EXPECT_TRUE(has_warning(out));
}

TEST(ExtractBadInput, DeeplyNestedInlineAndUnclosedTags) {
  std::string html = "<html><body><p>Start of a page with a long run of unclosed tags.";
  for (int i = 0; i < 100000; ++i) html += (i % 2 ? "<b>" : "<span><i>");
  html += "end</body></html>";
  const Output out = run_ok(make_page(html));
  EXPECT_TRUE(has_warning(out));
}

TEST(ExtractBadInput, HugeTextNode) {
  std::string html = "<html><body><p>";
  std::string word = "lorem ";
  html.reserve((std::size_t{50} << 20) + 64);
  while (html.size() < (std::size_t{50} << 20)) html += word;
  html += "</p></body></html>";
  const Output out = run_ok(make_page(std::move(html)));
  EXPECT_TRUE(has_warning(out));
  for (const Article& a : out.articles) EXPECT_LE(a.text.size(), std::size_t{2} << 20);
}

TEST(ExtractBadInput, TooLargeIsAnError) {
  Options options;
  options.max_page_bytes = 1000;
  const Result<Output> out = Extractor(options).run(make_page(std::string(1001, 'a')));
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::kTooLarge);
}

TEST(ExtractBadInput, MalformedEntitiesAndMarkup) {
  const Output out = run_ok(make_page(
      "<html><body><div class=\"story\"><p>Prices &amp rents &#xZZ; rose &#99999999; by 4 "
      "&percnt; in the capital &lt;last year&gt, the statistics office said on Monday."
      "<p>Another paragraph <b><i>with</b></i> crossed tags and an <unknown>element</p>"
      "</div></body>"));
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_TRUE(is_valid_utf8(out.articles[0].text));
  EXPECT_TRUE(contains(out.articles[0].text, "Prices & rents"));
}

// Found by fuzz_extract: a page whose <title> holds invalid bytes and is never closed.
// Whatever the declared format, every field must come out as valid UTF-8.
TEST(ExtractBadInput, FuzzInvalidBytesInUnclosedTitle) {
  const std::string bytes = testdata("fuzz_crash_invalid_utf8_title.html");
  ASSERT_FALSE(bytes.empty());
  for (PageFormat format : {PageFormat::kHtml, PageFormat::kText, PageFormat::kUnknown}) {
    Result<Output> out = Extractor().run(make_page(bytes, format));
    if (!out) continue;
    for (const Article& article : out->articles) {
      EXPECT_TRUE(is_valid_utf8(article.text)) << static_cast<int>(format);
      EXPECT_TRUE(is_valid_utf8(article.title)) << static_cast<int>(format);
    }
  }
}

// A whole web page rendered as lines: menus, teasers, a byline, the story (with a
// sub-heading), a most-read list, readers' comments and a footer.
TEST(ExtractText, WebPageKeepsOnlyTheStory) {
  Output out = run_ok(make_page(testdata("scraped_webpage.txt"), PageFormat::kText));
  ASSERT_FALSE(out.articles.empty());
  const Article& a = out.articles[0];
  EXPECT_EQ(a.segment, 0);
  EXPECT_TRUE(a.text.starts_with("The small passenger ferry")) << a.text;
  EXPECT_TRUE(contains(a.text, "NEW TIMETABLE\nBoats will leave")) << a.text;
  EXPECT_TRUE(contains(a.text, "who runs the service with her brother.")) << a.text;
  for (const char* furniture :
       {"Subscribe", "Council approves", "Bakery wins", "Most Read", "Share this", "Finally!",
        "later Friday boat", "Privacy", "Updated 09:15", "Menu"}) {
    EXPECT_FALSE(contains(a.text, furniture)) << furniture << " in " << a.text;
  }
  EXPECT_EQ(a.author, "Clara Winton");
}

// The same features work without English words: a German page with navigation, the story and
// a comment section under "Kommentare".
TEST(ExtractText, WebPageInGerman) {
  const std::string page =
      "Neue Brücke über die Lahn eröffnet | Lahnbote\n"
      "Startseite\nPolitik\nWirtschaft\nKultur\nSport\n"
      "Stadtrat streitet über Parkgebühren\n"
      "Neue Brücke über die Lahn eröffnet\n"
      "Nach zwei Jahren Bauzeit ist die neue Fußgängerbrücke am Samstag mit einem kleinen Fest "
      "für den Verkehr freigegeben worden.\n"
      "Die Brücke verbindet die Altstadt mit dem neuen Wohngebiet am anderen Ufer und soll vor "
      "allem Schulkindern einen langen Umweg ersparen.\n"
      "Die Kosten lagen mit knapp vier Millionen Euro etwas über der ersten Schätzung, wie die "
      "Stadt mitteilte.\n"
      "Kommentare (2)\n"
      "Endlich müssen unsere Kinder nicht mehr den gefährlichen Weg an der Bundesstraße entlang "
      "gehen, vielen Dank an alle Beteiligten.\n"
      "Impressum\nDatenschutz\n";
  Output out = run_ok(make_page(page, PageFormat::kText));
  ASSERT_FALSE(out.articles.empty());
  const Article& a = out.articles[0];
  EXPECT_TRUE(a.text.starts_with("Nach zwei Jahren")) << a.text;
  EXPECT_TRUE(contains(a.text, "wie die Stadt mitteilte.")) << a.text;
  EXPECT_FALSE(contains(a.text, "Endlich")) << a.text;
  EXPECT_FALSE(contains(a.text, "Stadtrat")) << a.text;
  EXPECT_FALSE(contains(a.text, "Impressum")) << a.text;
}

// A labelled line inside a story ("UPDATE: ...") does not cut the story in two: only a single
// cut-off paragraph after a story is a teaser of another one.
TEST(ExtractText, LabelInsideStoryDoesNotSplitIt) {
  const std::string page =
      "Water main repaired on Elm Street\n"
      "Crews worked through the night to repair a burst water main that flooded part of Elm "
      "Street on Tuesday evening, the water company said.\n"
      "Residents of about forty homes were without water for several hours.\n"
      "UPDATE: The road reopened to traffic at noon on Wednesday, and the company said supply "
      "had been restored to every affected home.\n"
      "A spokesman said the pipe, laid in the 1950s, would be replaced next year.\n";
  Output out = run_ok(make_page(page, PageFormat::kText));
  ASSERT_EQ(out.articles.size(), 1u);
  EXPECT_TRUE(contains(out.articles[0].text, "UPDATE: The road reopened")) << out.articles[0].text;
  EXPECT_TRUE(contains(out.articles[0].text, "replaced next year.")) << out.articles[0].text;
}

// A "Comment" entry in the site's menu (an opinion section) comes before the story: it does not
// mark the story as readers' comments.
TEST(ExtractText, CommentEntryInTheMenuIsNotTheCommentSection) {
  const std::string page =
      "Lighthouse keeper retires after forty years | Coastline Post\n"
      "Home\nNews\nComment\nSport\nTravel\n"
      "Lighthouse keeper retires after forty years\n"
      "After forty years of climbing the same hundred and twelve steps, the keeper of the "
      "Rossby light handed over his keys on Monday.\n"
      "He had seen the lamp converted from paraffin to electricity and finally to a solar panel "
      "that needs almost no care.\n"
      "Friends from the village gathered at the foot of the tower to thank him with a cake.\n"
      "Related articles\n"
      "Ferry timetable changes for the winter\n"
      "Harbour wall repairs delayed again\n"
      "Related articles\n";
  Output out = run_ok(make_page(page, PageFormat::kText));
  ASSERT_FALSE(out.articles.empty());
  const Article& a = out.articles[0];
  EXPECT_TRUE(a.text.starts_with("After forty years")) << a.text;
  EXPECT_TRUE(contains(a.text, "thank him with a cake.")) << a.text;
}

// Comment sections announced with a count and the story's title, or with the form's button on
// the same line, end the story like a plain "Comments" heading.
TEST(ExtractText, CountedAndButtonedCommentHeadingsEndTheStory) {
  for (const char* heading : {"3 responses to \xE2\x80\x9C"
                              "Canal boats return to the town centre\xE2\x80\x9D",
                              "Leave a Reply Cancel reply",
                              "12 thoughts on \xE2\x80\x9C"
                              "Canal boats return to the town centre\xE2\x80\x9D",
                              "2 Gedanken zu \xE2\x80\x9E"
                              "Canal boats return to the town centre\xE2\x80\x9C"}) {
    const std::string page =
        "Canal boats return to the town centre\n"
        "For the first time in a decade, narrow boats can moor again at the old wharf behind "
        "the market hall, after the lock was rebuilt.\n"
        "The council spent two years clearing silt and repairing the gates, and it expects "
        "visitors to bring trade to the shops nearby.\n" +
        std::string(heading) +
        "\nMarta on May 2 at 9:14 am\n"
        "I walked along the towpath this morning and it was lovely to see the boats there "
        "again after all these years of waiting for it.\n"
        "Tom on May 2 at 11:40 am\n"
        "The parking near the wharf is still a problem and nobody seems to have thought about "
        "where all the visitors are going to leave their cars.\n"
        "Sam on May 3 at 8:02 am\n"
        "My grandfather worked on these boats when the canal still carried coal, so this news "
        "means a great deal to our whole family and to many others.\n";
    Output out = run_ok(make_page(page, PageFormat::kText));
    ASSERT_FALSE(out.articles.empty());
    const Article& a = out.articles[0];
    EXPECT_TRUE(contains(a.text, "shops nearby.")) << heading << ": " << a.text;
    EXPECT_FALSE(contains(a.text, "towpath")) << heading << ": " << a.text;
    EXPECT_FALSE(contains(a.text, "grandfather")) << heading << ": " << a.text;
  }
}

// The story wins over a longer discussion below a comment heading.
TEST(ExtractText, StoryBeforeALongDiscussionIsTheStory) {
  std::string page =
      "Open thread for March\n"
      "This is our monthly open thread, where readers can raise questions about our research "
      "and our recommendations for the coming year.\n"
      "Comments\n";
  for (int i = 0; i < 8; ++i) {
    page += "Reader " + std::to_string(i) + " on March 3 said:\n";
    page +=
        "I have been wondering for a while how you weigh the long-term effects of a programme "
        "against the short-term ones, and whether the answer changes over time.\n"
        "Could you say more about the way the estimates are revised when new studies appear "
        "and older ones are found to be weaker than they first looked?\n";
  }
  Output out = run_ok(make_page(page, PageFormat::kText));
  ASSERT_FALSE(out.articles.empty());
  const Article& a = out.articles[0];
  EXPECT_TRUE(a.text.starts_with("This is our monthly open thread")) << a.text;
  EXPECT_FALSE(contains(a.text, "long-term effects")) << a.text;
}

// Excerpts cut off with an ellipsis and teasers made of a title, a date and one story line are
// other pages' stories, not this one's, even when their lines are long.
TEST(ExtractText, ExcerptsAndTeaserListAfterTheStoryAreDropped) {
  std::string page =
      "Orchard harvest comes early this year\n"
      "Apple growers in the valley began picking two weeks earlier than usual, after a warm "
      "spring and a dry summer ripened the fruit ahead of time.\n"
      "Most farms expect a good crop, although some smaller orchards lost blossom to a late "
      "frost in April and will pick far less than last year.\n"
      "Pickers from the town have been hired for the extra weeks, the growers' association "
      "said on Tuesday.\n"
      "You may also like\n";
  for (int i = 0; i < 5; ++i) {
    const std::string n = std::to_string(i);
    page += "Cider festival number " + n + " draws a big crowd to the square\n";
    page += "12 September 2025\n";
    page +=
        "Thousands of visitors came to taste the new season's cider and to listen to the "
        "bands that played on the stage in front of the old town hall until late.\n";
  }
  page +=
      "A walk through the valley in autumn shows the orchards at their very best, with rows of "
      "trees bending under the weight of the ripe fruit and the smell of apples in the air "
      "everywhere you\xE2\x80\xA6\n"
      "Beekeepers say the warm spring was kind to their hives and that this year's honey is "
      "among the best they have tasted in a long time, with a flavour that\xE2\x80\xA6\n";
  Output out = run_ok(make_page(page, PageFormat::kText));
  ASSERT_FALSE(out.articles.empty());
  const Article& a = out.articles[0];
  EXPECT_TRUE(a.text.starts_with("Apple growers")) << a.text;
  EXPECT_TRUE(contains(a.text, "said on Tuesday.")) << a.text;
  EXPECT_FALSE(contains(a.text, "Thousands of visitors")) << a.text;
  EXPECT_FALSE(contains(a.text, "Beekeepers")) << a.text;
  EXPECT_FALSE(contains(a.text, "A walk through the valley")) << a.text;
}

// A list announced by a story line ending in ':' belongs to the story, short entries included,
// up to the page's menu repeated below it.
TEST(ExtractText, ListAnnouncedByTheStoryIsKept) {
  const std::string page =
      "Five board games for a rainy weekend\n"
      "Home\nGames\nAbout us\n"
      "Rain is forecast for the whole weekend, so our games editor has picked a few board "
      "games that the whole family can play together around the kitchen table:\n"
      "1) Harbour Traders\n"
      "2) The Lost Lighthouse\n"
      "3) Tiny Gardens\n"
      "4) Night Train to Vellin\n"
      "5) Marble Towers\n"
      "Home\nGames\nAbout us\nNewsletter\n";
  Output out = run_ok(make_page(page, PageFormat::kText));
  ASSERT_FALSE(out.articles.empty());
  const Article& a = out.articles[0];
  EXPECT_TRUE(contains(a.text, "1) Harbour Traders")) << a.text;
  EXPECT_TRUE(contains(a.text, "5) Marble Towers")) << a.text;
  EXPECT_FALSE(contains(a.text, "Newsletter")) << a.text;
}

// After the story and a block of tags, a long list of teasers (title, author, date, a long
// first paragraph) adds up to more than the gap before it, but it is sparse: it stays out.
TEST(ExtractText, SparseTeaserListAfterTheStoryIsDropped) {
  std::string page =
      "Night trains return to the northern line\n"
      "The first night train in twelve years left the capital on Sunday evening, with every "
      "sleeping car sold out weeks in advance, the operator said.\n"
      "The service will run three times a week until March and daily from the spring, if the "
      "demand holds up as well as the first bookings suggest.\n"
      "Travellers on the first train were welcomed at the northern terminus by a brass band "
      "and the mayor, who called it a good day for the region.\n"
      "Rail\nTravel\nNorth\nTourism\nShare this story\n";
  for (int i = 0; i < 10; ++i) {
    page += "Teaser headline number " + std::to_string(i) + " about another matter\n";
    page += "Author Name\n";
    page += "Monday 3 March 2025\n";
    page += "This is the opening paragraph of a different story (number " + std::to_string(i) +
            ") on the same site, written long "
            "enough to count as prose on its own, with several clauses, some names and a number or "
            "two, so that it looks just like a paragraph of the story itself does.\n";
  }
  Output out = run_ok(make_page(page, PageFormat::kText));
  ASSERT_FALSE(out.articles.empty());
  const Article& a = out.articles[0];
  EXPECT_TRUE(contains(a.text, "a good day for the region.")) << a.text;
  EXPECT_FALSE(contains(a.text, "opening paragraph of a different story")) << a.text;
  EXPECT_FALSE(contains(a.text, "Teaser headline")) << a.text;
}

// Captions closed by a picture credit in brackets are dropped in any language; a long paragraph
// that happens to end with a bracketed source is not a caption.
TEST(ExtractText, CaptionsEndingInACreditAreDropped) {
  const std::string page =
      "Bridge repairs finished ahead of schedule\n"
      "Engineers finished repairing the old stone bridge over the river two weeks earlier than "
      "planned, the county council said on Thursday.\n"
      "The bridge was reopened to cars in the afternoon (Image: Getty)\n"
      "Work began in May after divers found cracks in two of the piers, and the bridge had been "
      "closed to traffic since the start of the summer.\n"
      "Die Br\xC3\xBC"
      "cke am Abend nach der Wiederer\xC3\xB6"
      "ffnung (Foto: dpa)\n"
      "Traffic through the town centre had doubled during the closure, and shop owners said "
      "fewer customers came to the high street while the diversion was in place, which matches "
      "a survey published last month by the regional statistics office on the effect of road "
      "works on small businesses (Source: Regional Statistics Office)\n"
      "The council said the final cost was slightly below the budget approved last year.\n";
  Output out = run_ok(make_page(page, PageFormat::kText));
  ASSERT_FALSE(out.articles.empty());
  const Article& a = out.articles[0];
  EXPECT_TRUE(contains(a.text, "start of the summer.")) << a.text;
  EXPECT_TRUE(contains(a.text, "(Source: Regional Statistics Office)")) << a.text;
  EXPECT_TRUE(contains(a.text, "below the budget approved last year.")) << a.text;
  EXPECT_FALSE(contains(a.text, "(Image: Getty)")) << a.text;
  EXPECT_FALSE(contains(a.text, "(Foto: dpa)")) << a.text;
}

// A caption left in the story's container as a paragraph, closed by its credit, is dropped.
TEST(ExtractHtml, CaptionParagraphEndingInACreditIsDropped) {
  const Output out = run_ok(
      make_page("<html><body><div class=\"article-body\">" + chunk_paragraphs(1) +
                "<p>The harbour at dawn on the first day of the season (Photo: Jan Berg)</p>" +
                chunk_paragraphs(2) + "</div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "In part 2 of the survey")) << text;
  EXPECT_FALSE(contains(text, "Photo: Jan Berg")) << text;
}

TEST(ExtractHtml, BoxTitledAsRelatedStoriesIsDroppedHoweverLong) {
  // A short story followed by a box of teasers whose excerpts outweigh it. The box has no
  // furniture class of its own; its heading's class says what it is ("related posts title").
  std::string box = "<article class=\"postbox\"><h3 class=\"relatedpoststitle\">Veja mais</h3>";
  for (int i = 0; i < 6; ++i) {
    const std::string n = std::to_string(i);
    box += "<article class=\"postbox\"><div><a href=\"/t" + n + "\">Teaser " + n +
           "</a></div><p>Excerpt " + n +
           ": a long reflection on patience, on friends who stay, on mornings that start "
           "slowly and on the small kindnesses that make a day bearable, told at length.</p>"
           "</article>";
  }
  box += "</article>";
  const Output out = run_ok(make_page(
      "<html><head><title>Rain on the hills</title></head><body><div id=\"primary\">"
      "<article class=\"postbox\"><h1>Rain on the hills</h1><p>It rained on the hills for the "
      "third day, and the shepherds brought the flocks down to the valley farms early, said "
      "the farmers' union, which expects the roads to reopen on Monday.</p></article>" +
      box + "</div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "It rained on the hills for the third day")) << text;
  EXPECT_FALSE(contains(text, "Excerpt 3")) << text;
  EXPECT_FALSE(contains(text, "Veja mais")) << text;
}

TEST(ExtractHtml, HoverCardInsideAParagraphIsDropped) {
  // A name in the story carries a hidden-by-CSS card: the person's picture, the name again and
  // links to other stories. Only the name belongs to the sentence.
  const std::string card =
      "<span class=\"person\"><a href=\"/people/ana-ruiz\">Ana Ruiz</a><span class=\"card\">"
      "<img src=\"/ana.jpg\" alt=\"\"><a href=\"/people/ana-ruiz\">Ana Ruiz</a>"
      "<a href=\"/s/1\">Council approves the new tram line after a long night of debate</a> "
      "<a href=\"/s/2\">Budget talks stall over school repairs</a></span></span>";
  const Output out = run_ok(
      make_page("<html><body><div class=\"article-body\"><p>The deputy mayor, " + card +
                ", said the market square will be closed to cars from June, after two years of "
                "consultation with shop owners.</p>" +
                chunk_paragraphs(1) + "</div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "The deputy mayor, Ana Ruiz")) << text;
  EXPECT_TRUE(contains(text, "market square will be closed")) << text;
  EXPECT_FALSE(contains(text, "tram line")) << text;
  EXPECT_FALSE(contains(text, "Budget talks")) << text;
}

TEST(ExtractHtml, HeadedGridOfTeasersWithBlurbsAfterTheStoryIsDropped) {
  // After the story: a heading, then teasers of a title link and a one-line blurb each. The
  // blurbs have no links, so the list-of-links rule alone would keep them.
  std::string grid = "<div id=\"grid\"><h2>Beliebte Rezepte</h2>";
  const char* blurbs[] = {"Schnell gemacht und gut vorzubereiten. Vier Portionen in 20 Minuten.",
                          "Ein Klassiker mit frischen Kr\xC3\xA4utern. Gelingt immer.",
                          "Leicht und sommerlich. Mit Zitrone und Minze.",
                          "F\xC3\xBCr kalte Tage. Zwei Varianten zum Ausprobieren."};
  for (int i = 0; i < 4; ++i) {
    const std::string n = std::to_string(i);
    grid += "<div class=\"tile\"><div class=\"t\"><a href=\"/r" + n + "\">Rezept " + n +
            "</a></div><div class=\"b\">" + blurbs[i] + "</div></div>";
  }
  grid += "</div>";
  const Output out =
      run_ok(make_page("<html><body><div class=\"article-body\">" + chunk_paragraphs(1) +
                       chunk_paragraphs(2) + grid + "</div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "In part 2 of the survey")) << text;
  EXPECT_FALSE(contains(text, "Beliebte Rezepte")) << text;
  EXPECT_FALSE(contains(text, "Gelingt immer")) << text;
  EXPECT_FALSE(contains(text, "Zwei Varianten")) << text;
}

TEST(ExtractHtml, ShortLinesBetweenLinksInsideTheStoryAreKept) {
  // The same shape in the middle of the story (a heading, links, short lines) is kept: only
  // a grid that ends the body is taken for teasers.
  const Output out = run_ok(
      make_page("<html><body><div class=\"article-body\">" + chunk_paragraphs(1) +
                "<h2>Where to go</h2><p><a href=\"/a\">North pier</a></p><p>Open from nine.</p>"
                "<p><a href=\"/b\">Old lighthouse</a></p><p>Closed on Mondays.</p>"
                "<p><a href=\"/c\">Dune path</a></p><p>Free entry.</p>" +
                chunk_paragraphs(2) + "</div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "Closed on Mondays.")) << text;
  EXPECT_TRUE(contains(text, "In part 2 of the survey")) << text;
}

TEST(ExtractText, NumberedTableUnderTheHeadlineIsTheStory) {
  // The story is a table of short numbered rows right under the headline; the only prose on
  // the page comes after the comment heading. Rows numbered in sequence are the story.
  std::string page =
      "Regional chess league standings | Board Weekly | Results\nHome\nResults\n"
      "Clubs\nCalendar\nRegional chess league standings\nMonday, 3 March 2025\nShare\n";
  const char* clubs[] = {"Harbour Knights", "Old Town Rooks", "Riverside Pawns", "Hill Bishops",
                         "North Gambit",    "Castle Lane",    "Mill Street",     "Quay Queens",
                         "Bay Endgame",     "West Forks"};
  for (int i = 0; i < 10; ++i)
    page += std::to_string(i + 1) + " " + clubs[i] + " " + std::to_string(40 - 3 * i) + " " +
            std::to_string(12 - i) + "\n";
  page += "Leave a comment\n";
  for (int i = 0; i < 3; ++i)
    page += "Reader " + std::to_string(i) +
            " wrote that the league should move the spring rounds to the library hall, "
            "since the old club room is far too small for ten teams and their supporters.\n";
  page += "Archive\nContact\nAbout us\n";
  Output out = run_ok(make_page(page, PageFormat::kText));
  ASSERT_FALSE(out.articles.empty());
  const Article& a = out.articles[0];
  EXPECT_TRUE(contains(a.text, "1 Harbour Knights 40 12")) << a.text;
  EXPECT_TRUE(contains(a.text, "10 West Forks 13 3")) << a.text;
  EXPECT_FALSE(contains(a.text, "library hall")) << a.text;
}

TEST(ExtractText, TeasersAboveTheHeadlineDoNotJoinTheStory) {
  // The menu above the headline holds teasers long enough to read as prose; discounted, they
  // still carry the run down to the story through a few menu lines. They stay out.
  std::string page = "Town hall roof to be replaced after storm damage - Valley News\nMenu\n";
  for (int i = 0; i < 6; ++i)
    page += "Teaser " + std::to_string(i) +
            " Headline About Another Matter Entirely The opening words of that story, which "
            "describe a market, a concert and a new bakery on the high street, run on here.\n";
  for (int i = 0; i < 5; ++i) page += "Section " + std::to_string(i) + "\n";
  page +=
      "Town hall roof to be replaced after storm damage\nShare\n"
      "The roof of the town hall will be replaced this summer after last month's storm tore "
      "away a third of its slates, the council said on Monday.\n"
      "Engineers found that the timber frame was sound, so the work should take ten weeks and "
      "cost less than first feared, according to the council's report.\n"
      "Weddings booked in the council chamber will move to the library for the duration, "
      "and the mayor's office will work from the old school building across the square.\n"
      "The council will ask the government for help with the bill, as it did after the floods "
      "six years ago, when the county paid for most of the repairs to the bridge.\n"
      "Contact\nPrivacy\nJobs\nArchive\n";
  Output out = run_ok(make_page(page, PageFormat::kText));
  ASSERT_FALSE(out.articles.empty());
  const Article& a = out.articles[0];
  EXPECT_TRUE(contains(a.text, "The roof of the town hall")) << a.text;
  EXPECT_TRUE(contains(a.text, "move to the library")) << a.text;
  EXPECT_FALSE(contains(a.text, "new bakery")) << a.text;
}

TEST(ExtractText, BlogCommentCountHeadingEndsTheStory) {
  // "N thoughts on “Title”" is how blog themes head the comments; the replies below it are
  // long and come in runs, so only the heading tells them from the story.
  for (const char* heading : {"12 thoughts on \xE2\x80\x9C"
                              "Canal boats return to the town centre\xE2\x80\x9D",
                              "2 Gedanken zu \xE2\x80\x9E"
                              "Canal boats return to the town centre\xE2\x80\x9C"}) {
    std::string page =
        "Canal boats return to the town centre\n"
        "For the first time in a decade, narrow boats can moor again at the old wharf behind "
        "the market hall, after the lock was rebuilt.\n"
        "The council spent two years clearing silt and repairing the gates, and it expects "
        "visitors to bring trade to the shops nearby.\n" +
        std::string(heading) + "\n";
    for (int i = 0; i < 4; ++i)
      page += "Reply " + std::to_string(i) +
              ": I walked along the towpath this morning and it was lovely to see the boats "
              "there again after all these years, though parking is still a problem.\n";
    Output out = run_ok(make_page(page, PageFormat::kText));
    ASSERT_FALSE(out.articles.empty());
    const Article& a = out.articles[0];
    EXPECT_TRUE(contains(a.text, "shops nearby.")) << heading << ": " << a.text;
    EXPECT_FALSE(contains(a.text, "towpath")) << heading << ": " << a.text;
  }
}

TEST(ExtractText, HeadlineListSetIntoTheStoryIsDropped) {
  // A "most read" box printed between two halves of the story: labels and headlines of other
  // stories, none a sentence. A short list announced by a line ending in ':' stays.
  const std::string page =
      "Harbour crane collapses in storm\n"
      "A crane at the container harbour collapsed during the storm on Tuesday night, the port "
      "authority said, and nobody was hurt because the terminal had closed early.\n"
      "Engineers will inspect the other cranes this week before the terminal reopens, which "
      "could take until the weekend if the wind does not ease.\n"
      "Most read in the region\n"
      "Council rejects plan for a second bridge over the river again\n"
      "WEATHER\n"
      "Snow expected on the hills as temperatures fall below zero tonight\n"
      "SPORT\n"
      "Local club signs striker from the capital in record transfer deal\n"
      "The port authority said shipping would be diverted to the northern terminal meanwhile, "
      "and that the crane's operator had been asked for its maintenance records.\n"
      "Dock workers said the crane had been due for replacement for years, and their union "
      "asked for an independent inquiry into how the terminal is run.\n"
      "The terminal handles a third of the region's container traffic, most of it bound for "
      "the factories along the river, which may now face delays of several days.\n"
      "Ships diverted so far:\n"
      "Nordlys, a feeder from Bergen\n"
      "Marta B, a coaster with timber\n"
      "Ostend Star, a ferry out of service\n"
      "Queen of Tides, a dredger\n"
      "A full report on the collapse is expected within a month, the authority said in its "
      "statement on Wednesday morning, adding that the terminal's insurers had been told.\n"
      "The mayor called the collapse a warning and said the city would press the government "
      "for the money to renew the harbour's equipment before the winter storms.\n";
  Output out = run_ok(make_page(page, PageFormat::kText));
  ASSERT_FALSE(out.articles.empty());
  const Article& a = out.articles[0];
  EXPECT_TRUE(contains(a.text, "nobody was hurt")) << a.text;
  EXPECT_TRUE(contains(a.text, "maintenance records")) << a.text;
  EXPECT_TRUE(contains(a.text, "Marta B, a coaster with timber")) << a.text;
  EXPECT_TRUE(contains(a.text, "within a month")) << a.text;
  EXPECT_FALSE(contains(a.text, "second bridge")) << a.text;
  EXPECT_FALSE(contains(a.text, "record transfer")) << a.text;
}

TEST(ExtractText, CommentsButtonInTheShareBarIsNotTheCommentHeading) {
  // "Comments" between two sharing buttons above the story is a link to the comments; taken
  // for their heading, it discounted the whole story below and only a piece of it was kept.
  std::string page =
      "Library to open on Sundays\nNews\nLibrary to open on Sundays\nFacebook\n"
      "Comments\nPrint\n";
  for (int i = 0; i < 3; ++i) {
    const std::string n = std::to_string(i);
    page += "Part " + n +
            ": the central library will open on Sundays from next month, the council said, "
            "after a petition signed by more than four thousand readers last winter.\n"
            "Part " +
            n +
            " continued: staff will work the new shift on a rota, and the reading rooms will "
            "close an hour earlier on Mondays to pay for it, the librarian explained.\n"
            "Readers in reading room " +
            n +
            " on a weekday afternoon in March\n"
            "The old card catalogue " +
            n + ", kept in the hall as a display piece\n";
  }
  Output out = run_ok(make_page(page, PageFormat::kText));
  ASSERT_FALSE(out.articles.empty());
  const Article& a = out.articles[0];
  EXPECT_TRUE(contains(a.text, "Part 0: the central library")) << a.text;
  EXPECT_TRUE(contains(a.text, "Part 2 continued")) << a.text;
}

TEST(ExtractText, SpacedTeaserLedesAfterTheStoryAreDropped) {
  // After the story: teasers of a section label, the title printed twice and a one-line lede.
  // The labels and titles repeat, so each lede stands alone between gaps, "dense" by itself.
  std::string page =
      "Night trains return to the northern line\n"
      "The first night train in twelve years left the capital on Sunday evening, with every "
      "sleeping car sold out weeks in advance, the operator said.\n"
      "The service will run three times a week until March and daily from the spring, if the "
      "demand holds up as well as the first bookings suggest.\n"
      "Travellers on the first train were welcomed at the northern terminus by a brass band "
      "and the mayor, who called it a good day for the region.\n"
      "Newsletter\nGet our weekly travel letter\nJane Doe\nMore from the paper\n";
  for (int i = 0; i < 5; ++i) {
    const std::string n = std::to_string(i);
    const std::string title = "Other headline number " + n + " about the harbour";
    page += "Travel\n" + title + "\nTravel\n" + title + "\n" + "The opening line of teaser " + n +
            " says what that other story is about, in one sentence of a fair length.\n";
  }
  Output out = run_ok(make_page(page, PageFormat::kText));
  ASSERT_FALSE(out.articles.empty());
  const Article& a = out.articles[0];
  EXPECT_TRUE(contains(a.text, "a good day for the region.")) << a.text;
  EXPECT_FALSE(contains(a.text, "opening line of teaser")) << a.text;
}

TEST(ExtractHtml, TimeStampLinesInAnyLanguageAreDropped) {
  // A short line with a year and a clock time and no sentence end is the page's time stamp,
  // whatever the language; a sentence that mentions a time stays.
  const Output out =
      run_ok(make_page("<html><body><div class=\"article-body\">"
                       "<p>segunda-feira, 22 de janeiro de 2018 \xC3\xA0s 0:13</p>"
                       "<p>22. Januar 2018, 10:13 Uhr</p>" +
                       chunk_paragraphs(1) + "<p>The ferry left at 10:15 on 3 May 2018.</p>" +
                       chunk_paragraphs(2) + "</div></body></html>"));
  ASSERT_EQ(out.articles.size(), 1u);
  const std::string& text = out.articles[0].text;
  EXPECT_TRUE(contains(text, "In part 2 of the survey")) << text;
  EXPECT_TRUE(contains(text, "The ferry left at 10:15 on 3 May 2018.")) << text;
  EXPECT_FALSE(contains(text, "janeiro")) << text;
  EXPECT_FALSE(contains(text, "Januar")) << text;
}

}  // namespace
}  // namespace storyline::extract
