#include "ingest/ingest.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace storyline::ingest {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;

std::string testdata(std::string_view rel = {}) {
  std::string path = std::string(STORYLINE_SOURCE_DIR) + "/src/ingest/testdata/pages";
  if (!rel.empty()) path += "/" + std::string(rel);
  return path;
}

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("storyline_ingest_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string write(const std::string& rel, std::string_view bytes) const {
    const fs::path file = path_ / rel;
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return file.string();
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

Options options_with(std::string published, std::string source,
                     std::size_t max_file_bytes = Options{}.max_file_bytes) {
  Options options;
  options.published = std::move(published);
  options.source = std::move(source);
  options.max_file_bytes = max_file_bytes;
  return options;
}

struct Collected {
  Report report;
  std::vector<Page> pages;
};

Collected read_all(const Reader& reader, const std::vector<std::string>& paths) {
  Collected out;
  out.report = reader.read(paths, [&](Page&& page) { out.pages.push_back(std::move(page)); });
  return out;
}

const Page* find_page(const Collected& collected, std::string_view id) {
  for (const Page& page : collected.pages)
    if (page.id == id) return &page;
  return nullptr;
}

const Problem* find_problem(const Report& report, std::string_view origin_suffix) {
  for (const Problem& problem : report.problems)
    if (std::string_view(problem.origin).ends_with(origin_suffix)) return &problem;
  return nullptr;
}

// ---------------------------------------------------------------- format detection

struct FormatCase {
  const char* name;
  std::string bytes;
  InputFormat expected;
};

std::string all_byte_values(int repeats) {
  std::string bytes;
  for (int r = 0; r < repeats; ++r)
    for (int b = 0; b < 256; ++b) bytes.push_back(static_cast<char>(b));
  return bytes;
}

TEST(DetectFormat, Table) {
  const std::vector<FormatCase> cases = {
      {"scraped text", "Ferry strike ends\n0 0\nKestrel Point: Ferry crews returned to work.\n",
       InputFormat::kText},
      {"text with comparison signs", "Prices rose <5% while wages rose by >3%, a < b.\n",
       InputFormat::kText},
      {"text quoting one tag pair", "Readers asked what <b>bold</b> means.\n", InputFormat::kText},
      {"text starting with a brace", "{Update} The council meets again on Friday.\n",
       InputFormat::kText},
      {"JSON array is not JSON Lines", "[{\"id\": \"a\", \"text\": \"x\"}]\n", InputFormat::kText},
      {"html with doctype", "<!DOCTYPE html>\n<html><head><title>T</title></head></html>",
       InputFormat::kHtml},
      {"html without doctype", "\n  <html><body><p>Council votes.</p></body></html>",
       InputFormat::kHtml},
      {"uppercase tags", "<HTML><BODY><P>Council votes.</P></BODY></HTML>", InputFormat::kHtml},
      {"html fragment", "<div class=\"story\"><p>The mayor spoke.</p></div>", InputFormat::kHtml},
      {"paragraph fragment", "<p>The mayor spoke.</p>\n<p>The council listened.</p>",
       InputFormat::kHtml},
      {"text line then markup", "Breaking news\n<em>a</em> <strong>b</strong> <br/> c",
       InputFormat::kHtml},
      {"xhtml with xml prolog",
       "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"></html>",
       InputFormat::kHtml},
      {"json lines", "{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": \"b\", \"text\": \"y\"}\n",
       InputFormat::kJsonLines},
      {"one damaged JSON record", "{\"id\": 0,}\n", InputFormat::kJsonLines},
      {"text line ending in a brace", "{Corrected} The mayor is Ana Brill {sic}.\n",
       InputFormat::kText},
      {"pretty-printed JSON object", "{\n  \"id\": \"a\",\n  \"text\": \"<p>x</p>\"\n}\n",
       InputFormat::kJsonLines},
      {"json lines, bad first line", "{broken\n{\"id\": \"b\", \"text\": \"y\"}\n",
       InputFormat::kJsonLines},
      {"json lines with CRLF and blank lines", "\r\n\r\n{\"text\": \"x\"}\r\n{\"text\": \"y\"}\r\n",
       InputFormat::kJsonLines},
      {"BOM + json lines", "\xEF\xBB\xBF{\"text\": \"x\"}\n", InputFormat::kJsonLines},
      {"BOM + text", "\xEF\xBB\xBFValley flood waters recede\n", InputFormat::kText},
      {"BOM + html", "\xEF\xBB\xBF<!doctype html><p>x</p>", InputFormat::kHtml},
      {"BOM only", "\xEF\xBB\xBF", InputFormat::kEmpty},
      {"empty", "", InputFormat::kEmpty},
      {"whitespace only", " \n\t\r\n  \n", InputFormat::kEmpty},
      {"all byte values", all_byte_values(32), InputFormat::kBinary},
      {"NUL-heavy", std::string(64, '\0') + "abc", InputFormat::kBinary},
      {"UTF-16LE with BOM", "\xFF\xFEH\0i\0\n\0"s, InputFormat::kBinary},
      {"gzip magic", "\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03"s, InputFormat::kBinary},
      {"zstd magic", "\x28\xB5\x2F\xFD\x04\x00"s, InputFormat::kBinary},
      {"invalid UTF-8 text", "Caf\xE9 owners in Marlow Bay protest \xFF\xFE new rules\n",
       InputFormat::kText},
      {"one control byte in a tiny file", "[\"a\x7f\x01b\"]", InputFormat::kText},
      {"stray NUL in html", "<html><body><p>Before\0after the NUL byte, text goes on.</p>"s,
       InputFormat::kHtml},
  };
  for (const FormatCase& c : cases) {
    EXPECT_EQ(input_format_name(detect_format(c.bytes)), std::string(input_format_name(c.expected)))
        << c.name;
  }
}

TEST(DetectFormat, HugeLineDoesNotConfuseSniffer) {
  // A single JSON Lines record far bigger than the sniff window is still JSON Lines.
  const std::string line = "{\"id\": \"long\", \"text\": \"" + std::string(100000, 'w') + "\"}\n";
  EXPECT_EQ(detect_format(line), InputFormat::kJsonLines);
}

// ---------------------------------------------------------------- expand

TEST(Expand, DirectoryIsWalkedRecursivelySortedAndHiddenSkipped) {
  const Reader reader;
  auto files = reader.expand({testdata()});
  ASSERT_TRUE(files) << files.error().to_string();
  const std::vector<std::string> expected = {
      testdata("feeds/wire.jsonl"), testdata("harbor_vote.txt"), testdata("html/ferry_fares.html")};
  EXPECT_EQ(*files, expected);
}

TEST(Expand, FilesAndStdinStayAsGivenInOrder) {
  const Reader reader;
  auto files = reader.expand({testdata("html/ferry_fares.html"), "-", testdata("harbor_vote.txt")});
  ASSERT_TRUE(files);
  EXPECT_EQ(*files, (std::vector<std::string>{testdata("html/ferry_fares.html"), "-",
                                              testdata("harbor_vote.txt")}));
}

TEST(Expand, MissingPathIsNotFound) {
  const Reader reader;
  const std::string missing = testdata("no_such_dir/nope.txt");
  auto files = reader.expand({testdata("harbor_vote.txt"), missing});
  ASSERT_FALSE(files);
  EXPECT_EQ(files.error().code, ErrorCode::kNotFound);
  EXPECT_NE(files.error().to_string().find("nope.txt"), std::string::npos);
}

TEST(Expand, SymlinkLoopTerminates) {
  TempDir dir;
  dir.write("top.txt", "Top story text.\n");
  dir.write("sub/inner.txt", "Inner story text.\n");
  fs::create_directory_symlink("..", fs::path(dir.path()) / "sub" / "loop");
  const Reader reader;
  auto files = reader.expand({dir.path()});
  ASSERT_TRUE(files);
  ASSERT_EQ(files->size(), 2u);
  EXPECT_TRUE(files->at(0).ends_with("sub/inner.txt"));
  EXPECT_TRUE(files->at(1).ends_with("top.txt"));
}

TEST(Expand, DanglingLinkIsListedAndReportedNotDropped) {
  TempDir dir;
  dir.write("story.txt", "Tarn ferry resumes service.\n");
  fs::create_symlink("missing-target.txt", fs::path(dir.path()) / "broken.txt");
  const Reader reader;
  const auto got = read_all(reader, {dir.path()});
  EXPECT_EQ(got.pages.size(), 1u);
  ASSERT_EQ(got.report.problems.size(), 1u);
  EXPECT_TRUE(got.report.problems[0].origin.ends_with("broken.txt"));
  EXPECT_EQ(got.report.problems[0].error.code, ErrorCode::kNotFound);
}

// ---------------------------------------------------------------- read

TEST(Read, TextFileGivesOnePageNamedByStem) {
  const Reader reader;
  const auto got = read_all(reader, {testdata("harbor_vote.txt")});
  EXPECT_EQ(got.report.inputs, 1u);
  EXPECT_EQ(got.report.pages, 1u);
  EXPECT_TRUE(got.report.problems.empty());
  ASSERT_EQ(got.pages.size(), 1u);
  const Page& page = got.pages[0];
  EXPECT_EQ(page.id, "harbor_vote");
  EXPECT_EQ(page.origin, testdata("harbor_vote.txt"));
  EXPECT_EQ(page.format, PageFormat::kText);
  EXPECT_TRUE(page.content.starts_with("Marlow Bay council backs new harbor wall"));
  EXPECT_TRUE(page.published.empty());
  EXPECT_TRUE(page.source.empty());
}

TEST(Read, DirectoryReadsEveryFormatAndKeepsGoodJsonLines) {
  const Reader reader;
  const auto got = read_all(reader, {testdata()});
  EXPECT_EQ(got.report.inputs, 3u);
  EXPECT_EQ(got.report.pages, 6u);
  EXPECT_EQ(got.pages.size(), 6u);
  ASSERT_EQ(got.report.problems.size(), 3u);

  // Pages arrive in file order, JSONL lines in line order.
  std::vector<std::string> ids;
  for (const Page& page : got.pages) ids.push_back(page.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"wire-101", "wire-102", "wire:7", "107", "harbor_vote",
                                           "ferry_fares"}));

  const Page* html = find_page(got, "ferry_fares");
  ASSERT_NE(html, nullptr);
  EXPECT_EQ(html->format, PageFormat::kHtml);

  // Bad lines: each named "path:line" with the parser's reason.
  const Problem* not_json = find_problem(got.report, "wire.jsonl:3");
  ASSERT_NE(not_json, nullptr);
  EXPECT_EQ(not_json->error.code, ErrorCode::kInvalidInput);
  EXPECT_NE(not_json->error.message.find("parse error"), std::string::npos)
      << not_json->error.message;
  const Problem* array = find_problem(got.report, "wire.jsonl:4");
  ASSERT_NE(array, nullptr);
  EXPECT_NE(array->error.message.find("array"), std::string::npos) << array->error.message;
  const Problem* no_body = find_problem(got.report, "wire.jsonl:5");
  ASSERT_NE(no_body, nullptr);
  EXPECT_NE(no_body->error.message.find("text"), std::string::npos) << no_body->error.message;
}

TEST(Read, JsonLinesFieldsAndAliases) {
  const Reader reader;
  const auto got = read_all(reader, {testdata("feeds/wire.jsonl")});
  ASSERT_EQ(got.pages.size(), 4u);

  const Page* first = find_page(got, "wire-101");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->origin, testdata("feeds/wire.jsonl") + ":1");
  EXPECT_EQ(first->url, "https://valleywire.example/2025/03/bridge");
  EXPECT_EQ(first->source, "Valley Wire");
  EXPECT_EQ(first->published, "2025-03-04");
  EXPECT_EQ(first->title, "Old Mill bridge reopens");
  EXPECT_EQ(first->format, PageFormat::kText);
  EXPECT_NE(first->content.find("\nEngineers replaced"), std::string::npos);

  // No id: "<stem>:<line>"; "outlet" and "date" aliases; "html" field gives an HTML page.
  const Page* market = find_page(got, "wire:7");
  ASSERT_NE(market, nullptr);
  EXPECT_EQ(market->source, "Valley Wire");
  EXPECT_EQ(market->published, "2025-03-06");
  EXPECT_EQ(market->format, PageFormat::kHtml);

  // Numeric id; "site" and "published_at" aliases; "content" sniffed as HTML.
  const Page* pass = find_page(got, "107");
  ASSERT_NE(pass, nullptr);
  EXPECT_EQ(pass->source, "Valley Wire");
  EXPECT_EQ(pass->published, "2025-03-07");
  EXPECT_EQ(pass->format, PageFormat::kHtml);
}

TEST(Read, OptionsFillOnlyGaps) {
  const Reader reader(options_with("2025-03-10", "County Desk"));
  const auto got = read_all(reader, {testdata("feeds/wire.jsonl"), testdata("harbor_vote.txt")});
  const Page* own = find_page(got, "wire-101");
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(own->published, "2025-03-04");
  EXPECT_EQ(own->source, "Valley Wire");
  const Page* gaps = find_page(got, "wire-102");
  ASSERT_NE(gaps, nullptr);
  EXPECT_EQ(gaps->published, "2025-03-10");
  EXPECT_EQ(gaps->source, "County Desk");
  const Page* text = find_page(got, "harbor_vote");
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->published, "2025-03-10");
  EXPECT_EQ(text->source, "County Desk");
}

TEST(Read, MissingPathIsAProblemAndOtherInputsAreRead) {
  const Reader reader;
  const std::string missing = testdata("nope.txt");
  const auto got = read_all(reader, {missing, testdata("harbor_vote.txt")});
  EXPECT_EQ(got.pages.size(), 1u);
  ASSERT_EQ(got.report.problems.size(), 1u);
  EXPECT_EQ(got.report.problems[0].origin, missing);
  EXPECT_EQ(got.report.problems[0].error.code, ErrorCode::kNotFound);
}

TEST(Read, FileOverMaxBytesIsRefused) {
  TempDir dir;
  const std::string big = dir.write("big.txt", std::string(4096, 'x') + "\n");
  const std::string small = dir.write("small.txt", "A short page about the harbor.\n");
  const Reader reader(options_with("", "", 1000));
  const auto got = read_all(reader, {big, small});
  EXPECT_EQ(got.report.inputs, 2u);
  ASSERT_EQ(got.pages.size(), 1u);
  EXPECT_EQ(got.pages[0].id, "small");
  ASSERT_EQ(got.report.problems.size(), 1u);
  EXPECT_EQ(got.report.problems[0].origin, big);
  EXPECT_EQ(got.report.problems[0].error.code, ErrorCode::kTooLarge);
}

TEST(Read, EmptyBinaryAndCompressedFilesAreProblemsGoodFilesKept) {
  TempDir dir;
  dir.write("a_good.txt", "Harbor wall approved\nThe council voted on Monday.\n");
  dir.write("b_empty.txt", "");
  dir.write("c_binary.bin", all_byte_values(64));
  dir.write("d_archive.txt", "\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03garbage"s);
  dir.write("e_latin1.txt", "Caf\xE9 owners protest\nThe owners said the rules were unfair.\n");
  const Reader reader;
  const auto got = read_all(reader, {dir.path()});
  EXPECT_EQ(got.report.inputs, 5u);
  EXPECT_EQ(got.pages.size(), 2u);
  ASSERT_EQ(got.report.problems.size(), 3u);
  const Problem* empty = find_problem(got.report, "b_empty.txt");
  ASSERT_NE(empty, nullptr);
  EXPECT_NE(empty->error.message.find("empty"), std::string::npos);
  const Problem* binary = find_problem(got.report, "c_binary.bin");
  ASSERT_NE(binary, nullptr);
  EXPECT_NE(binary->error.message.find("binary"), std::string::npos);
  const Problem* gzip = find_problem(got.report, "d_archive.txt");
  ASSERT_NE(gzip, nullptr);
  // A gzip header with a corrupt stream behind it: a decompression problem naming gzip.
  EXPECT_NE(gzip->error.message.find("gzip"), std::string::npos);
  // Invalid UTF-8 is kept as bytes for extract to repair.
  const Page* latin = find_page(got, "e_latin1");
  ASSERT_NE(latin, nullptr);
  EXPECT_EQ(latin->content.substr(0, 4), "Caf\xE9");
}

TEST(Read, BundledExamplesReadWithoutProblems) {
  // examples/ is what the Quick start ingests: every file must be readable as-is.
  const Reader reader;
  const auto got = read_all(reader, {std::string(STORYLINE_SOURCE_DIR) + "/examples/pages"});
  EXPECT_TRUE(got.report.problems.empty());
  EXPECT_EQ(got.report.inputs, 9u);
  EXPECT_EQ(got.pages.size(), 11u);
  int html = 0;
  int text = 0;
  for (const Page& page : got.pages) {
    (page.format == PageFormat::kHtml ? html : text) += 1;
    if (page.origin.find("feed.jsonl:") != std::string::npos) {
      EXPECT_FALSE(page.published.empty()) << page.id;
      EXPECT_EQ(page.source, "Valley Wire");
    }
  }
  EXPECT_EQ(html, 4);
  EXPECT_EQ(text, 7);
}

TEST(ReadBytes, StdinTextAndJsonLines) {
  const Reader reader(options_with("2025-05-01", ""));
  Report report;
  std::vector<Page> pages;
  const auto sink = [&](Page&& page) { pages.push_back(std::move(page)); };

  reader.read_bytes("stdin", "\xEF\xBB\xBFRiver levels fall in Ashford\nThe water fell.\n", sink,
                    report);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_TRUE(pages[0].id.starts_with("stdin-"));
  EXPECT_EQ(pages[0].id.size(), 14u);
  EXPECT_EQ(pages[0].origin, "stdin");
  EXPECT_TRUE(pages[0].content.starts_with("River levels"));  // BOM removed
  EXPECT_EQ(pages[0].published, "2025-05-01");

  reader.read_bytes("stdin",
                    "{\"text\": \"Ashford bridge reopens.\"}\r\n\r\n{\"text\": \"Ashford school "
                    "closes.\", \"id\": \"s2\"}\r\n",
                    sink, report);
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(pages[1].id, "stdin:1");
  EXPECT_EQ(pages[1].origin, "stdin:1");
  EXPECT_EQ(pages[1].content, "Ashford bridge reopens.");
  EXPECT_EQ(pages[2].id, "s2");
  EXPECT_EQ(pages[2].origin, "stdin:3");
  EXPECT_EQ(report.inputs, 2u);
  EXPECT_EQ(report.pages, 3u);
  EXPECT_TRUE(report.problems.empty());
}

TEST(ReadBytes, DeeplyNestedAndHostileLinesAreProblems) {
  const Reader reader;
  Report report;
  std::vector<Page> pages;
  std::string bytes = "{\"text\": \"First good line.\"}\n";
  bytes += std::string(200000, '[') + "\n";                     // 2: too deep
  bytes += "{\"text\": \"bad utf8 \xFF\xFE\"}\n";               // 3: invalid UTF-8
  bytes += "{\"text\": 42}\n";                                  // 4: text is not a string
  bytes += "{\"text\": \"\"}\n";                                // 5: empty text
  bytes += "{\"id\": \"x\", \"text\": \"Last good line.\"}\n";  // 6
  bytes += "{\"text\": \"unterminated";                         // 7: cut off, no newline
  reader.read_bytes(
      "feed.jsonl", std::move(bytes), [&](Page&& page) { pages.push_back(std::move(page)); },
      report);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].id, "feed:1");
  EXPECT_EQ(pages[1].id, "x");
  std::vector<std::string> origins;
  for (const Problem& problem : report.problems) origins.push_back(problem.origin);
  EXPECT_EQ(origins, (std::vector<std::string>{"feed.jsonl:2", "feed.jsonl:3", "feed.jsonl:4",
                                               "feed.jsonl:5", "feed.jsonl:7"}));
  EXPECT_NE(report.problems[0].error.message.find("deeper"), std::string::npos);
}

TEST(ReadBytes, FileOfOnlyDamagedRecordsGivesProblemsNotAPage) {
  const Reader reader;
  Report report;
  int pages = 0;
  reader.read_bytes(
      "broken.jsonl", "{\"id\": 1,}\n{\"text\": \"cut off}\n", [&](Page&&) { ++pages; }, report);
  EXPECT_EQ(pages, 0);
  ASSERT_EQ(report.problems.size(), 2u);
  EXPECT_EQ(report.problems[0].origin, "broken.jsonl:1");
  EXPECT_EQ(report.problems[1].origin, "broken.jsonl:2");
}

TEST(ReadBytes, PrettyPrintedJsonDocumentIsOneRecord) {
  const Reader reader;
  Report report;
  std::vector<Page> pages;
  const auto sink = [&](Page&& page) { pages.push_back(std::move(page)); };
  reader.read_bytes("story.json",
                    "{\n  \"title\": \"Tarn ferry resumes\",\n  \"source\": \"Fjord Desk\",\n"
                    "  \"text\": \"The Tarn ferry resumed on Monday, its operator said.\"\n}\n",
                    sink, report);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].id, "story");
  EXPECT_EQ(pages[0].origin, "story.json");
  EXPECT_EQ(pages[0].title, "Tarn ferry resumes");
  EXPECT_EQ(pages[0].source, "Fjord Desk");
  EXPECT_TRUE(report.problems.empty());

  // A pretty-printed JSON Feed is a feed, not a record: its short item without a link is
  // skipped and counted, not a page and not a problem.
  reader.read_bytes("feed.json",
                    "{\n  \"version\": \"https://jsonfeed.org/version/1.1\",\n"
                    "  \"items\": [\n    {\"id\": \"1\", \"content_text\": \"x\"}\n  ]\n}\n",
                    sink, report);
  EXPECT_EQ(pages.size(), 1u);
  EXPECT_TRUE(report.problems.empty());
  EXPECT_EQ(report.skipped["feed-item-without-link"], 1u);
}

TEST(ReadBytes, FeedsSitemapsAndWarcAreReadNotTakenForPages) {
  const Reader reader;
  Report report;
  int pages = 0;
  std::vector<Pointer> pointers;
  const auto sink = [&](Page&&) { ++pages; };
  const PointerSink pointer_sink = [&](Pointer&& p) { pointers.push_back(std::move(p)); };
  reader.read_bytes("news.rss",
                    "<?xml version=\"1.0\"?>\n<!-- generated -->\n<rss version=\"2.0\"><channel>"
                    "<title>Valley Wire</title><item><title>Ferry fares rise</title>"
                    "<link>https://valley.example/ferry</link></item></channel></rss>",
                    sink, &pointer_sink, report);
  reader.read_bytes("sitemap.xml",
                    "<?xml version=\"1.0\"?><urlset><url><loc>https://valley.example/a</loc>"
                    "</url></urlset>",
                    sink, &pointer_sink, report);
  reader.read_bytes("crawl.warc",
                    "WARC/1.1\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n"
                    "\r\n\r\n",
                    sink, &pointer_sink, report);
  EXPECT_EQ(pages, 0);
  EXPECT_TRUE(report.problems.empty());
  ASSERT_EQ(pointers.size(), 2u);
  EXPECT_EQ(pointers[0].url, "https://valley.example/ferry");
  EXPECT_EQ(pointers[0].title, "Ferry fares rise");
  EXPECT_EQ(pointers[0].source, "Valley Wire");
  EXPECT_EQ(pointers[0].kind, "feed-item");
  EXPECT_EQ(pointers[1].url, "https://valley.example/a");
  EXPECT_EQ(pointers[1].kind, "sitemap-url");
  EXPECT_EQ(report.skipped["warc-warcinfo"], 1u);
  EXPECT_EQ(report.records, 3u);

  // XHTML with a prolog and a comment is still a page.
  reader.read_bytes("page.xhtml",
                    "<?xml version=\"1.0\"?>\n<!-- feed of thoughts -->\n<html><body><p>The "
                    "feed store reopened.</p></body></html>",
                    sink, report);
  EXPECT_EQ(pages, 1);
}

TEST(ReadBytes, ArcAndOtherArchivesAreAClearUnsupportedFormat) {
  const Reader reader;
  Report report;
  int pages = 0;
  const auto sink = [&](Page&&) { ++pages; };
  reader.read_bytes("old.arc",
                    "filedesc://crawl.arc 0.0.0.0 20240101000000 text/plain 70\n1 0 "
                    "Valley Archive\nURL IP-address Archive-date Content-type Archive-length\n",
                    sink, report);
  reader.read_bytes("bundle.zip", "PK\x03\x04\x14\x00\x00\x00"s, sink, report);
  reader.read_bytes("pages.xz", "\xfd\x37zXZ\x00\x00\x04"s, sink, report);
  EXPECT_EQ(pages, 0);
  ASSERT_EQ(report.problems.size(), 3u);
  for (const Problem& problem : report.problems) {
    EXPECT_EQ(problem.kind, "unsupported-format") << problem.origin;
    EXPECT_NE(problem.error.message.find("unsupported format"), std::string::npos);
  }
  EXPECT_EQ(report.errors_by_kind().at("unsupported-format"), 3u);
}

TEST(ReadBytes, SinkExceptionDoesNotEscapeRead) {
  const Reader reader;
  const auto report = reader.read({testdata("harbor_vote.txt")},
                                  [](Page&&) { throw std::runtime_error("sink failed"); });
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].error.code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace storyline::ingest
