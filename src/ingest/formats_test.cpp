// Tests of the archive, feed and sitemap readers behind ingest::Reader, on fixtures written
// here (compressed in the test with zlib/zstd/brotli, so no binary files are kept).
#include <brotli/encode.h>
#include <gtest/gtest.h>
#include <nettle/sha1.h>
#include <zlib.h>
#include <zstd.h>

#include <cctype>
#include <string>
#include <vector>

#include "ingest/dates.h"
#include "ingest/decompress.h"
#include "ingest/feed.h"
#include "ingest/ingest.h"
#include "ingest/sanitize.h"
#include "ingest/sitemap.h"
#include "ingest/warc.h"

namespace storyline::ingest {
namespace {

using namespace std::string_literals;

std::string gzip(std::string_view bytes) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, bytes.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string zstd(std::string_view bytes) {
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), 3));
  return out;
}

std::string brotli(std::string_view bytes) {
  std::size_t size = BrotliEncoderMaxCompressedSize(bytes.size()) + 16;
  std::string out(size, '\0');
  BrotliEncoderCompress(5, 22, BROTLI_MODE_TEXT, bytes.size(),
                        reinterpret_cast<const uint8_t*>(bytes.data()), &size,
                        reinterpret_cast<uint8_t*>(out.data()));
  out.resize(size);
  return out;
}

std::string warc_record(std::string_view type, std::string_view uri, std::string_view date,
                        std::string_view block, std::string_view content_type = {}) {
  std::string out = "WARC/1.1\r\nWARC-Type: " + std::string(type) + "\r\n";
  if (!uri.empty()) out += "WARC-Target-URI: " + std::string(uri) + "\r\n";
  out += "WARC-Date: " + std::string(date) + "\r\n";
  out += "WARC-Record-ID: <urn:uuid:" + std::to_string(block.size()) + ">\r\n";
  if (!content_type.empty()) out += "Content-Type: " + std::string(content_type) + "\r\n";
  out += "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n";
  out += block;
  out += "\r\n\r\n";
  return out;
}

const std::string kArticleHtml =
    "<!doctype html><html><head><title>Lock gates repaired</title></head><body><article>"
    "<h1>Lock gates repaired</h1><p>The canal trust finished the repair of the upper lock "
    "gates on Tuesday, two weeks ahead of the date it had given boat owners.</p></article>"
    "</body></html>";

std::string http_response(std::string_view body, std::string_view extra_headers = {},
                          int status = 200, std::string_view type = "text/html; charset=utf-8") {
  return "HTTP/1.1 " + std::to_string(status) + " OK\r\nContent-Type: " + std::string(type) +
         "\r\n" + std::string(extra_headers) + "\r\n" + std::string(body);
}

// A small crawl: warcinfo, request, response (HTML), response (image), revisit.
std::vector<std::string> crawl_records() {
  return {
      warc_record("warcinfo", "", "2025-03-02T10:00:00Z", "software: fixture-writer\r\n",
                  "application/warc-fields"),
      warc_record("request", "https://canal.example/news/locks", "2025-03-02T10:00:01Z",
                  "GET /news/locks HTTP/1.1\r\nHost: canal.example\r\n\r\n",
                  "application/http; msgtype=request"),
      warc_record("response", "<https://canal.example/news/locks>", "2025-03-02T11:00:01+01:00",
                  http_response(kArticleHtml), "application/http; msgtype=response"),
      warc_record("response", "https://canal.example/gate.png", "2025-03-02T10:00:02Z",
                  http_response("\x89PNG....", {}, 200, "image/png"),
                  "application/http; msgtype=response"),
      warc_record("revisit", "https://canal.example/news/locks", "2025-03-03T10:00:00Z",
                  "HTTP/1.1 304 Not Modified\r\n\r\n", "application/http; msgtype=response"),
  };
}

struct Read {
  Report report;
  std::vector<Page> pages;
  std::vector<Pointer> pointers;
};

Read read(std::string_view origin, std::string bytes, Options options = {}) {
  Read out;
  const Reader reader(std::move(options));
  const PointerSink pointers = [&](Pointer&& p) { out.pointers.push_back(std::move(p)); };
  reader.read_bytes(
      origin, std::move(bytes), [&](Page&& page) { out.pages.push_back(std::move(page)); },
      &pointers, out.report);
  return out;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += part;
  return out;
}

TEST(Warc, PlainCrawlGivesOnePageAndCountsTheRest) {
  const Read got = read("crawl.warc", joined(crawl_records()));
  ASSERT_EQ(got.pages.size(), 1u);
  const Page& page = got.pages[0];
  EXPECT_EQ(page.url, "https://canal.example/news/locks");  // angle brackets stripped
  EXPECT_EQ(page.published, "2025-03-02T10:00:01Z");        // +01:00 turned into UTC
  EXPECT_EQ(page.format, PageFormat::kHtml);
  EXPECT_EQ(page.content, kArticleHtml);
  EXPECT_EQ(page.charset, "utf-8");  // from the HTTP Content-Type, for the extractor
  const std::size_t offset = crawl_records()[0].size() + crawl_records()[1].size();
  EXPECT_EQ(page.origin, "crawl.warc@" + std::to_string(offset));
  EXPECT_EQ(page.id, "crawl@" + std::to_string(offset));
  EXPECT_EQ(got.report.records, 5u);
  EXPECT_EQ(got.report.skipped.at("warc-warcinfo"), 1u);
  EXPECT_EQ(got.report.skipped.at("warc-request"), 1u);
  EXPECT_EQ(got.report.skipped.at("warc-revisit"), 1u);
  EXPECT_EQ(got.report.skipped.at("warc-response-not-html"), 1u);
  EXPECT_TRUE(got.report.problems.empty());
}

TEST(Warc, PerRecordGzipNamesRecordsByCompressedOffset) {
  std::string file;
  std::vector<std::uint64_t> member_offsets;
  for (const std::string& record : crawl_records()) {
    member_offsets.push_back(file.size());
    file += gzip(record);
  }
  MemoryStream raw(file);
  GzipStream gz(&raw);
  WarcReader reader(gz, &gz, 1 << 20);
  WarcRecord record;
  std::vector<WarcIssue> issues;
  std::vector<std::uint64_t> offsets;
  while (reader.next(record, issues)) offsets.push_back(record.offset);
  EXPECT_EQ(offsets, member_offsets);
  EXPECT_TRUE(issues.empty());
  EXPECT_EQ(gz.members(), 5u);

  const Read got = read("crawl.warc.gz", file);
  ASSERT_EQ(got.pages.size(), 1u);
  EXPECT_EQ(got.pages[0].origin, "crawl.warc.gz@" + std::to_string(member_offsets[2]));
  EXPECT_TRUE(got.report.warnings.empty());
}

TEST(Warc, WholeFileGzipAndZstdAreReadWithAWarningForGzip) {
  const std::string plain = joined(crawl_records());
  const Read gz = read("crawl.warc.gz", gzip(plain));
  EXPECT_EQ(gz.pages.size(), 1u);
  EXPECT_EQ(gz.report.records, 5u);
  ASSERT_EQ(gz.report.warnings.size(), 1u);
  EXPECT_EQ(gz.report.warnings[0].kind, "warc-gzip");

  const Read zst = read("crawl.warc.zst", zstd(plain));
  EXPECT_EQ(zst.pages.size(), 1u);
  EXPECT_EQ(zst.report.records, 5u);
  EXPECT_TRUE(zst.report.problems.empty());
}

TEST(Warc, ChunkedAndContentEncodedBodiesAreDecoded) {
  // Chunked transfer over a gzip body, then a brotli body, then a raw-deflate body.
  const std::string gz_body = gzip(kArticleHtml);
  std::string chunked;
  for (std::size_t at = 0; at < gz_body.size(); at += 40) {
    const std::string piece = gz_body.substr(at, 40);
    char size[16];
    std::snprintf(size, sizeof size, "%zx", piece.size());
    chunked += std::string(size) + "\r\n" + piece + "\r\n";
  }
  chunked += "0\r\n\r\n";
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string raw_deflate(1024, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(kArticleHtml.data()));
  z.avail_in = static_cast<uInt>(kArticleHtml.size());
  z.next_out = reinterpret_cast<Bytef*>(raw_deflate.data());
  z.avail_out = static_cast<uInt>(raw_deflate.size());
  deflate(&z, Z_FINISH);
  raw_deflate.resize(z.total_out);
  deflateEnd(&z);

  const std::string file =
      warc_record(
          "response", "https://canal.example/a", "2025-03-02T10:00:00Z",
          http_response(chunked, "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n"),
          "application/http; msgtype=response") +
      warc_record("response", "https://canal.example/b", "2025-03-02T10:00:00Z",
                  http_response(brotli(kArticleHtml), "Content-Encoding: br\r\n"),
                  "application/http; msgtype=response") +
      warc_record("response", "https://canal.example/c", "2025-03-02T10:00:00Z",
                  http_response(raw_deflate, "Content-Encoding: deflate\r\n"),
                  "application/http; msgtype=response");
  const Read got = read("encoded.warc", file);
  ASSERT_EQ(got.pages.size(), 3u);
  for (const Page& page : got.pages) EXPECT_EQ(page.content, kArticleHtml) << page.url;
  EXPECT_TRUE(got.report.problems.empty());
}

TEST(Warc, MalformedRecordIsAnErrorWithOffsetAndGoodRecordsAreKept) {
  const std::vector<std::string> records = crawl_records();
  // A record whose Content-Length is too short by 5, and a header cut to garbage.
  std::string short_record = records[2];
  const std::string length_line = "Content-Length: ";
  const std::size_t at = short_record.find(length_line) + length_line.size();
  const std::size_t end = short_record.find("\r\n", at);
  const int length = std::stoi(short_record.substr(at, end - at));
  short_record.replace(at, end - at, std::to_string(length - 5));
  const std::string garbage = "this is not a record header\r\nat all\r\n\r\n";
  const std::string file = records[0] + short_record + garbage + records[2] + records[1];
  const Read got = read("broken.warc", file);
  EXPECT_EQ(got.pages.size(), 2u);  // the cut one (kept, it is a page) and the good copy
  ASSERT_EQ(got.report.problems.size(), 1u);
  const Problem& problem = got.report.problems[0];
  EXPECT_EQ(problem.kind, "warc-malformed");
  EXPECT_EQ(problem.origin, "broken.warc@" + std::to_string(records[0].size()));
  EXPECT_EQ(got.report.records, 4u);
  EXPECT_EQ(got.report.skipped.at("warc-request"), 1u);
}

TEST(Warc, EveryTruncationIsReadWithoutCrashAndKeepsEarlierRecords) {
  const std::string file = joined(crawl_records());
  const std::string gz = [&] {
    std::string out;
    for (const std::string& record : crawl_records()) out += gzip(record);
    return out;
  }();
  for (const std::string* bytes : {&file, &gz}) {
    for (std::size_t n = 0; n <= bytes->size(); n += 7) {
      const Read got = read("cut.warc", bytes->substr(0, n));
      EXPECT_LE(got.pages.size(), 1u);
    }
  }
  // Cut inside the last record: the first four are all read.
  const Read got = read("cut.warc", file.substr(0, file.size() - 10));
  EXPECT_EQ(got.pages.size(), 1u);
  EXPECT_EQ(got.report.records, 5u);
  ASSERT_FALSE(got.report.problems.empty());
  EXPECT_EQ(got.report.problems[0].kind, "warc-truncated");
}

// Per-record gzip members followed by bytes that are not gzip, and a damaged member in the
// middle: every good record is kept and each problem names the file offset.
TEST(Warc, DamagedGzipKeepsEveryGoodRecord) {
  for (const std::size_t padding : {std::size_t{0}, std::size_t{300000}}) {
    std::vector<std::string> records = crawl_records();
    // Large records push the damage past the first reads of every buffer.
    if (padding > 0)
      records[0] =
          warc_record("warcinfo", "", "2025-03-02T10:00:00Z",
                      "comment: " + std::string(padding, 'x') + "\r\n", "application/warc-fields");
    std::string members;
    std::vector<std::uint64_t> offsets;
    for (const std::string& record : records) {
      offsets.push_back(members.size());
      members += gzip(record);
    }

    // 1. Trailing garbage: the five records, then one error at the garbage's offset.
    const std::string garbage = "trailing bytes that are not a record\r\n";
    const Read tail = read("tail.warc.gz", members + garbage);
    EXPECT_EQ(tail.report.records, 5u) << padding;
    EXPECT_EQ(tail.pages.size(), 1u);
    ASSERT_EQ(tail.report.problems.size(), 1u);
    EXPECT_EQ(tail.report.problems[0].kind, "warc-malformed");
    EXPECT_EQ(tail.report.problems[0].origin, "tail.warc.gz@" + std::to_string(members.size()));
    ASSERT_EQ(tail.report.warnings.size(), 1u);
    EXPECT_EQ(tail.report.warnings[0].kind, "warc-gzip");

    // 2. A plain record after the members is read, named by its offset in the file.
    const Read mixed = read("mixed.warc.gz", members + records[2]);
    EXPECT_EQ(mixed.report.records, 6u);
    ASSERT_EQ(mixed.pages.size(), 2u);
    EXPECT_EQ(mixed.pages[1].origin, "mixed.warc.gz@" + std::to_string(members.size()));
    EXPECT_TRUE(mixed.report.problems.empty());

    // 3. The deflate data of the third member damaged: the other four are kept.
    std::string damaged = members;
    for (std::size_t i = offsets[2] + 12; i < offsets[2] + 40; ++i) damaged[i] = '\xff';
    const Read middle = read("middle.warc.gz", damaged);
    std::vector<std::string> types;
    EXPECT_EQ(middle.report.records, 4u);
    EXPECT_EQ(middle.report.skipped.at("warc-request"), 1u);
    EXPECT_EQ(middle.report.skipped.at("warc-revisit"), 1u);
    EXPECT_EQ(middle.report.skipped.at("warc-warcinfo"), 1u);
    ASSERT_FALSE(middle.report.problems.empty());
    bool named = false;
    for (const Problem& problem : middle.report.problems) {
      EXPECT_TRUE(problem.origin.starts_with("middle.warc.gz@")) << problem.origin;
      if (problem.kind == "warc-stream") {
        const std::uint64_t at = std::stoull(problem.origin.substr(problem.origin.find('@') + 1));
        EXPECT_GE(at, offsets[2]);
        EXPECT_LT(at, offsets[3]);
        named = true;
      }
    }
    EXPECT_TRUE(named);
  }
}

std::string base32_sha1(std::string_view bytes) {
  sha1_ctx ctx;
  sha1_init(&ctx);
  sha1_update(&ctx, bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()));
  std::uint8_t digest[SHA1_DIGEST_SIZE];
  sha1_digest(&ctx, sizeof digest, digest);
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const std::uint8_t byte : digest) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kAlphabet[(buffer >> bits) & 31];
    }
  }
  return out;
}

// A response record with digest headers.
std::string digested_record(std::string_view uri, std::string_view block_digest,
                            std::string_view payload_digest, std::string_view block) {
  std::string out = "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + std::string(uri) +
                    "\r\nWARC-Date: 2025-03-02T10:00:00Z\r\n";
  out += "WARC-Block-Digest: " + std::string(block_digest) + "\r\n";
  out += "WARC-Payload-Digest: " + std::string(payload_digest) + "\r\n";
  out += "Content-Type: application/http; msgtype=response\r\n";
  out += "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n";
  out += block;
  out += "\r\n\r\n";
  return out;
}

TEST(Warc, Sha1DigestsAreCheckedAndAMismatchIsAWarningWithOffset) {
  const std::string block = http_response(kArticleHtml);
  const std::string good = digested_record("https://canal.example/a", "sha1:" + base32_sha1(block),
                                           "sha1:" + base32_sha1(kArticleHtml), block);
  // The payload digest of another body; the block digest in lowercase base32 still matches.
  std::string lower_digest = base32_sha1(block);
  for (char& c : lower_digest) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string bad = digested_record("https://canal.example/b", "sha1:" + lower_digest,
                                          "sha1:" + base32_sha1("something else"), block);
  const Read got = read("digests.warc", good + bad);
  EXPECT_EQ(got.pages.size(), 2u);  // a failed digest is a warning: the page is kept
  EXPECT_TRUE(got.report.problems.empty());
  ASSERT_EQ(got.report.warnings.size(), 1u);
  EXPECT_EQ(got.report.warnings[0].kind, "warc-digest");
  EXPECT_EQ(got.report.warnings[0].origin, "digests.warc@" + std::to_string(good.size()));
  EXPECT_NE(got.report.warnings[0].error.message.find("payload"), std::string::npos);

  // Records whose blocks are not kept (requests) are checked too; an unreadable SHA-1 value
  // fails, other algorithms are not checked.
  const std::string request = "GET /a HTTP/1.1\r\nHost: canal.example\r\n\r\n";
  std::string file;
  for (const std::string_view payload : {"sha1:NOT-A-DIGEST", "sha256:abcdef"}) {
    std::string record =
        "WARC/1.0\r\nWARC-Type: request\r\nWARC-Target-URI: https://canal.example/a\r\n"
        "WARC-Date: 2025-03-02T10:00:00Z\r\nWARC-Block-Digest: sha1:" +
        base32_sha1(request) + "\r\nWARC-Payload-Digest: " + std::string(payload) +
        "\r\nContent-Type: application/http; msgtype=request\r\nContent-Length: " +
        std::to_string(request.size()) + "\r\n\r\n" + request + "\r\n\r\n";
    file += record;
  }
  const Read requests = read("requests.warc", file);
  ASSERT_EQ(requests.report.warnings.size(), 1u);
  EXPECT_EQ(requests.report.warnings[0].origin, "requests.warc@0");
}

TEST(Warc, DechunkRejectsWhatIsNotChunked) {
  std::string out;
  EXPECT_TRUE(dechunk("4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\n\r\n", out));
  EXPECT_EQ(out, "Wikipedia");
  EXPECT_FALSE(dechunk("<html>not chunked</html>", out));
}

const std::string kLongParagraph =
    "<p>The regional rail operator confirmed on Friday that the coastal line will reopen next "
    "month after engineers finished shoring up the embankment that slid onto the tracks during "
    "the winter storms. Passengers have relied on replacement buses since January, adding close "
    "to an hour to the journey between the harbour towns.</p>";

TEST(Feed, Rss2ItemsArePointersUnlessTheyCarryAWholeArticle) {
  std::string article;
  for (int i = 0; i < 6; ++i) article += kLongParagraph;
  const std::string rss =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>"
      "<title>Coast Courier</title><link>https://coast.example/</link><language>en-gb</language>"
      "<item><title>Coastal line to reopen</title><link>https://coast.example/rail</link>"
      "<guid isPermaLink=\"false\">rail-2025-0412</guid>"
      "<pubDate>Sat, 12 Apr 2025 08:30:00 +0100</pubDate><dc:creator>Ada Brooks</dc:creator>"
      "<description>Short teaser &amp; more</description>"
      "<content:encoded><![CDATA[" +
      article +
      "]]></content:encoded></item>"
      "<item><title>Ferry timetable</title><link>https://coast.example/ferry</link>"
      "<pubDate>Sun, 13 Apr 2025 09:00:00 GMT</pubDate>"
      "<description>Summer sailings start in May.</description></item>"
      "</channel></rss>";
  auto feed = parse_xml_feed(rss);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->version, "rss20");
  EXPECT_EQ(feed->title, "Coast Courier");
  EXPECT_EQ(feed->language, "en-gb");
  ASSERT_EQ(feed->items.size(), 2u);
  EXPECT_EQ(feed->items[0].id, "rail-2025-0412");
  EXPECT_EQ(feed->items[0].author, "Ada Brooks");
  EXPECT_EQ(feed->items[0].summary, "Short teaser & more");
  EXPECT_TRUE(feed->well_formed);

  const Read got = read("coast.rss", rss);
  ASSERT_EQ(got.pages.size(), 1u);
  EXPECT_EQ(got.pages[0].url, "https://coast.example/rail");
  EXPECT_EQ(got.pages[0].title, "Coastal line to reopen");
  EXPECT_EQ(got.pages[0].published, "2025-04-12T07:30:00Z");
  EXPECT_EQ(got.pages[0].source, "Coast Courier");
  EXPECT_EQ(got.pages[0].format, PageFormat::kHtml);
  EXPECT_EQ(got.pages[0].origin, "coast.rss:item1");
  ASSERT_EQ(got.pointers.size(), 1u);
  EXPECT_EQ(got.pointers[0].url, "https://coast.example/ferry");
  EXPECT_EQ(got.pointers[0].published, "2025-04-13T09:00:00Z");
  EXPECT_EQ(got.report.pointers, 1u);
  EXPECT_EQ(got.report.records, 2u);
}

TEST(Feed, AtomAndRss1AndJsonFeed) {
  const std::string atom =
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"nl\" "
      "xml:base=\"https://dijk.example/nieuws/\"><title type=\"html\">Dijk &amp;lt;b&amp;gt;"
      "</title><link rel=\"self\" href=\"feed.xml\"/><link href=\"index.html\"/>"
      "<entry><title>Sluis open</title><link rel=\"alternate\" href=\"sluis.html\"/>"
      "<id>tag:dijk.example,2025:1</id><updated>2025-05-01T12:00:00Z</updated>"
      "<author><name>Joke Visser</name><email>joke@dijk.example</email></author>"
      "<summary type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">De <b>sluis</b> is "
      "open.</div></summary></entry></feed>";
  auto feed = parse_xml_feed(atom);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->version, "atom10");
  EXPECT_EQ(feed->title, "Dijk &lt;b&gt;");  // type="html": the HTML text, as written
  EXPECT_EQ(feed->link, "https://dijk.example/nieuws/index.html");  // xml:base resolved
  EXPECT_EQ(feed->language, "nl");
  ASSERT_EQ(feed->items.size(), 1u);
  EXPECT_EQ(feed->items[0].link, "https://dijk.example/nieuws/sluis.html");
  EXPECT_EQ(feed->items[0].author, "Joke Visser (joke@dijk.example)");
  EXPECT_EQ(feed->items[0].summary, "De <b>sluis</b> is open.");

  const std::string rdf =
      "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
      "xmlns=\"http://purl.org/rss/1.0/\"><channel><title>Moor Notes</title></channel>"
      "<item><title>Peat survey</title><link>https://moor.example/peat</link></item>"
      "<item><title>Bog walk</title><link>https://moor.example/bog</link></item></rdf:RDF>";
  auto rss1 = parse_xml_feed(rdf);
  ASSERT_TRUE(rss1);
  EXPECT_EQ(rss1->version, "rss10");
  ASSERT_EQ(rss1->items.size(), 2u);
  EXPECT_EQ(rss1->items[1].link, "https://moor.example/bog");

  const std::string json_feed =
      R"({"version": "https://jsonfeed.org/version/1.1", "title": "Quarry Log",
          "items": [{"id": "q1", "url": "https://quarry.example/q1", "title": "Blasting paused",
                     "date_published": "2025-06-01T06:00:00-04:00",
                     "authors": [{"name": "Sam Orr"}], "content_text": "Paused for nesting."}]})";
  const Read got = read("quarry.json", json_feed);
  EXPECT_TRUE(got.pages.empty());
  ASSERT_EQ(got.pointers.size(), 1u);
  EXPECT_EQ(got.pointers[0].title, "Blasting paused");
  EXPECT_EQ(got.pointers[0].published, "2025-06-01T10:00:00Z");
  EXPECT_EQ(got.pointers[0].source, "Quarry Log");
}

TEST(Feed, IllFormedFeedGivesItemsWithAWarning) {
  const std::string broken =
      "<rss version=\"2.0\"><channel><title>Fen &amp; Marsh &nbsp;News</title>"
      "<item><title>Sluice gate & pump</title><link>https://fen.example/a?x=1&y=2</link></item>"
      "<item><title>Unclosed item<link>https://fen.example/b</link></item>";
  const Read got = read("fen.rss", broken);
  EXPECT_TRUE(got.report.problems.empty());
  ASSERT_FALSE(got.report.warnings.empty());
  EXPECT_EQ(got.report.warnings[0].kind, "feed-illformed");
  ASSERT_GE(got.pointers.size(), 1u);
  EXPECT_EQ(got.pointers[0].title, "Sluice gate & pump");
  EXPECT_EQ(got.pointers[0].url, "https://fen.example/a?x=1&y=2");
  EXPECT_EQ(got.pointers[0].source, "Fen & Marsh \xC2\xA0News");
}

// HTML in feeds is cleaned the way feed readers clean it: scripts and event handlers go,
// safe markup stays, relative URLs are resolved against xml:base.
TEST(Feed, HtmlIsSanitizedAndRelativeUrlsResolved) {
  const std::string rss =
      "<rss version=\"2.0\" xml:base=\"https://fen.example/news/\"><channel><title>Fen</title>"
      "<item><title>Pumps &amp; sluices</title><description><![CDATA["
      "<p onclick=\"steal()\" class=\"lead\" style=\"color: red; position: absolute\">Water "
      "<b>rose</b><script>alert(1)</script> again.</p><img src=\"pump.jpg\" alt=\"Pump\"/>"
      "<a href=\"javascript:alert(2)\">x</a><a href=\"/about\">About</a>]]></description></item>"
      "<item><title>Levels &lt;em&gt;up&lt;/em&gt; at the weir</title></item>"
      "<item><title>Use &lt;blink&gt;now&lt;/blink&gt;</title></item>"
      "</channel></rss>";
  auto feed = parse_xml_feed(rss);
  ASSERT_TRUE(feed);
  ASSERT_EQ(feed->items.size(), 3u);
  EXPECT_EQ(feed->items[0].summary,
            "<p class=\"lead\" style=\"color: red;\">Water <b>rose</b> again.</p>"
            "<img alt=\"Pump\" src=\"https://fen.example/news/pump.jpg\" />"
            "<a href=\"\">x</a><a href=\"https://fen.example/about\">About</a>");
  // RSS titles are text unless they look like HTML made of known elements.
  EXPECT_EQ(feed->items[0].title, "Pumps & sluices");
  EXPECT_EQ(feed->items[1].title, "Levels <em>up</em> at the weir");
  EXPECT_EQ(feed->items[2].title, "Use <blink>now</blink>");

  const std::string atom =
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:svg=\"http://www.w3.org/2000/svg\">"
      "<title>Gauges</title><entry><title type=\"html\">Gauge &lt;i&gt;readings&lt;/i&gt;"
      "&lt;style&gt;i {color: red}&lt;/style&gt;</title>"
      "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Level: "
      "<svg:svg width=\"10\" height=\"10\"><svg:rect width=\"10\" height=\"5\" onload=\"x()\"/>"
      "</svg:svg> &amp; rising<br/></p></div></content></entry></feed>";
  auto gauges = parse_xml_feed(atom);
  ASSERT_TRUE(gauges);
  ASSERT_EQ(gauges->items.size(), 1u);
  EXPECT_EQ(gauges->items[0].title, "Gauge <i>readings</i>");
  EXPECT_EQ(gauges->items[0].content,
            "<p>Level: <svg height=\"10\" width=\"10\" xmlns=\"http://www.w3.org/2000/svg\">"
            "<rect height=\"5\" width=\"10\"></rect></svg> &amp; rising<br /></p>");
}

TEST(Sanitize, BrokenMarkupNeverFailsAndStaysBounded) {
  EXPECT_EQ(sanitize_html("", "", false), "");
  EXPECT_EQ(sanitize_html("a < b && c > d", "", false), "a < b && c > d");
  EXPECT_EQ(sanitize_html("<b>bold <i>both</b> unclosed <span class=\"x", "", false),
            "<b>bold <i>both</b> unclosed <span class=\"x");
  EXPECT_EQ(sanitize_html("<!-- note --><![CDATA[x]]>&copy &bogus; &#150;", "", false),
            "<!-- note -->&lt;![CDATA[x]]>&copy; &amp;bogus &#x2013;");
  EXPECT_EQ(safe_url(" JavaScript:alert(1)"), "");
  EXPECT_EQ(safe_url("mailto:desk@fen.example"), "mailto:desk@fen.example");
  // Long runs of tags, quotes and references: linear, no crash.
  std::string hostile;
  for (int i = 0; i < 20000; ++i) hostile += "<a title='\"<x y=\"&#x";
  EXPECT_LE(sanitize_html(hostile, "https://x.example/", true).size(),
            hostile.size() * 6);  // '"' -> "&quot;" at most
}

TEST(Feed, EntitiesAreNotExpandedAndNetworkIsNeverUsed) {
  // A "billion laughs" document and an external entity: neither grows nor reaches out.
  std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"hahahahahahahahahaha\">";
  char previous = 'a';
  for (char name = 'b'; name <= 'k'; ++name) {
    laughs += std::string("<!ENTITY ") + name + " \"";
    for (int i = 0; i < 10; ++i) laughs += std::string("&") + previous + ";";
    laughs += "\">";
    previous = name;
  }
  laughs +=
      "<!ENTITY ext SYSTEM \"http://127.0.0.1:9/secret\">]>"
      "<rss version=\"2.0\"><channel><title>&k;&ext;</title>"
      "<item><title>x</title><link>https://laughs.example/</link></item></channel></rss>";
  auto feed = parse_xml_feed(laughs);
  if (feed) {
    EXPECT_LT(feed->title.size(), 100000u);
  }
  const Read got = read("laughs.rss", laughs);
  EXPECT_LE(got.pointers.size(), 1u);
}

TEST(Sitemap, UrlsetNewsAndIndexWithoutLoc) {
  const std::string news =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
      "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">"
      "<url><loc>https://harbour.example/2025/07/quay</loc><changefreq>Hourly</changefreq>"
      "<news:news><news:publication><news:name>Harbour Daily</news:name>"
      "<news:language>en</news:language></news:publication>"
      "<news:publication_date>2025-07-04T18:00:00+02:00</news:publication_date>"
      "<news:title>Quay extension approved</news:title></news:news></url>"
      "<url><loc>https://harbour.example/about</loc><lastmod>2025-01-02</lastmod></url>"
      "</urlset>";
  const Read got = read("news-sitemap.xml", gzip(news));  // gzip by magic bytes
  ASSERT_EQ(got.pointers.size(), 2u);
  EXPECT_EQ(got.pointers[0].url, "https://harbour.example/2025/07/quay");
  EXPECT_EQ(got.pointers[0].title, "Quay extension approved");
  EXPECT_EQ(got.pointers[0].source, "Harbour Daily");
  EXPECT_EQ(got.pointers[0].language, "en");
  EXPECT_EQ(got.pointers[0].published, "2025-07-04T16:00:00Z");
  EXPECT_EQ(got.pointers[1].published, "2025-01-02");
  EXPECT_EQ(got.pointers[1].kind, "sitemap-url");

  auto index = parse_sitemap(
      "<sitemapindex><sitemap>\n https://harbour.example/s1.xml?a=1&amp;b=2\n</sitemap>"
      "<sitemap><loc>https://harbour.example/s2.xml</loc></sitemap><sitemap/></sitemapindex>");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->type, "sitemapindex");
  ASSERT_EQ(index->urls.size(), 2u);
  EXPECT_EQ(index->urls[0].loc, "https://harbour.example/s1.xml?a=1&b=2");
  EXPECT_EQ(index->warnings.size(), 1u);  // the empty entry
}

TEST(Sitemap, PlainUrlListIsPointers) {
  const Read got = read("urls.txt", "\xEF\xBB\xBFhttps://a.example/1\nhttps://a.example/2\n\n");
  EXPECT_TRUE(got.pages.empty());
  ASSERT_EQ(got.pointers.size(), 2u);
  EXPECT_EQ(got.pointers[1].kind, "url-list");
}

TEST(JsonLines, CompressedJsonLinesAndForcedFormat) {
  const std::string jsonl =
      "{\"id\": \"w1\", \"title\": \"Weir\", \"text\": \"The weir was rebuilt.\"}\n"
      "{\"id\": \"w2\", \"title\": broken}\n"
      "{\"id\": \"w3\", \"title\": \"Mill\", \"text\": \"The mill reopened.\"}\n";
  for (const std::string& bytes : {gzip(jsonl), zstd(jsonl)}) {
    const Read got = read("wire.jsonl.gz", bytes);
    ASSERT_EQ(got.pages.size(), 2u);
    ASSERT_EQ(got.report.problems.size(), 1u);
    EXPECT_EQ(got.report.problems[0].origin, "wire.jsonl.gz:2");
    EXPECT_EQ(got.report.problems[0].kind, "jsonl-syntax");
  }
  Options forced;
  forced.format = "jsonl";
  const Read array = read("one.json", "[1, 2]", forced);
  ASSERT_EQ(array.report.problems.size(), 1u);
  EXPECT_EQ(array.report.problems[0].kind, "jsonl-record");
  const Read bad = read("bad.json", "[1,]", forced);
  ASSERT_EQ(bad.report.problems.size(), 1u);
  EXPECT_EQ(bad.report.problems[0].kind, "jsonl-syntax");
}

TEST(Decompress, BombsAreCappedAndGarbageIsAnError) {
  const std::string zeros(4 << 20, '\0');
  Options small;
  small.max_file_bytes = 1 << 20;
  const Read got = read("bomb.gz", gzip(zeros), small);
  ASSERT_EQ(got.report.problems.size(), 1u);
  EXPECT_EQ(got.report.problems[0].error.code, ErrorCode::kTooLarge);
  auto decoded = decode_content_encoding(gzip(zeros), "gzip", 1000);
  EXPECT_FALSE(decoded);
  EXPECT_FALSE(decode_content_encoding("not compressed", "br", 1000));
  EXPECT_FALSE(decode_content_encoding("x", "compress", 1000));
  EXPECT_EQ(*decode_content_encoding("plain", "identity", 1000), "plain");
}

TEST(Dates, FeedAndArchiveShapesBecomeUtcIso) {
  EXPECT_EQ(to_utc_iso("2017-03-06T04:02:06Z"), "2017-03-06T04:02:06Z");
  EXPECT_EQ(to_utc_iso("2025-01-01T00:30:00+01:00"), "2024-12-31T23:30:00Z");
  EXPECT_EQ(to_utc_iso("2025-04-26"), "2025-04-26");
  EXPECT_EQ(to_utc_iso("2025-04"), "2025-04");
  EXPECT_EQ(to_utc_iso("Sun, 06 Sep 2009 16:20:00 +0000"), "2009-09-06T16:20:00Z");
  EXPECT_EQ(to_utc_iso("Thu, 05 Jan 17 12:34:50 GMT"), "2017-01-05T12:34:50Z");
  EXPECT_EQ(to_utc_iso("5 Jan 2017 07:34:50 EST"), "2017-01-05T12:34:50Z");
  EXPECT_EQ(to_utc_iso("20140216050221"), "2014-02-16T05:02:21Z");
  EXPECT_EQ(to_utc_iso("2025-02-30"), "");
  EXPECT_EQ(to_utc_iso("yesterday"), "");
}

TEST(ReportOutput, SummaryNamesKindsAndFirstLocations) {
  Report report;
  report.inputs = 1;
  report.records = 3;
  report.pages = 1;
  report.skipped["warc-request"] = 2;
  for (int i = 0; i < 5; ++i)
    report.problems.push_back({"c.warc@" + std::to_string(i * 100),
                               make_error(ErrorCode::kInvalidInput, "bad"), "warc-malformed"});
  const std::string text = report.summary(2);
  EXPECT_NE(text.find("warc-malformed: 5"), std::string::npos);
  EXPECT_NE(text.find("c.warc@100"), std::string::npos);
  EXPECT_EQ(text.find("c.warc@200"), std::string::npos);
  EXPECT_NE(report.summary_json().find("\"warc-request\":2"), std::string::npos);
  EXPECT_NE(problem_json(report.problems[0]).find("\"kind\":\"warc-malformed\""),
            std::string::npos);
}

// ------------------------------------------------------------ JSON Lines, streamed

// One JSONL record of about 120 bytes for report `n`.
std::string wire_line(int n) {
  return "{\"id\": \"wire-" + std::to_string(n) +
         "\", \"title\": \"Ferry timetable changes\", \"text\": \"Report " + std::to_string(n) +
         ": the ferry company moved the first crossing of the day to half past six.\"}\n";
}

TEST(JsonLinesStream, DatasetLargerThanMaxBytesIsReadLineByLine) {
  std::string dataset;
  for (int n = 1; n <= 300; ++n) {
    if (n == 120) {  // one line longer than the limit: skipped, the rest still read
      dataset += "{\"id\": \"huge\", \"text\": \"" + std::string(6000, 'x') + "\"}\n";
      continue;
    }
    dataset += wire_line(n);
  }
  Options options;
  options.max_file_bytes = 4096;  // the whole dataset is ten times this
  const Read got = read("wire.jsonl.gz", gzip(dataset), options);
  ASSERT_EQ(got.pages.size(), 299u);
  EXPECT_EQ(got.pages.front().id, "wire-1");
  EXPECT_EQ(got.pages[118].id, "wire-119");
  EXPECT_EQ(got.pages[119].id, "wire-121");
  EXPECT_EQ(got.pages.back().id, "wire-300");
  ASSERT_EQ(got.report.problems.size(), 1u);
  EXPECT_EQ(got.report.problems[0].origin, "wire.jsonl.gz:120");
  EXPECT_EQ(got.report.problems[0].error.code, ErrorCode::kTooLarge);
}

TEST(JsonLinesStream, TruncatedGzipKeepsTheLinesBeforeTheCut) {
  std::string dataset;
  for (int n = 1; n <= 2000; ++n) dataset += wire_line(n);
  std::string compressed = gzip(dataset);
  compressed.resize(compressed.size() / 2);
  const Read got = read("cut.jsonl.gz", compressed);
  // Lines decoded before the cut are pages (the last, partial one is a bad line at most);
  // the truncation is reported, not silently dropped.
  EXPECT_GT(got.pages.size(), 100u);
  EXPECT_LT(got.pages.size(), 2000u);
  for (std::size_t i = 0; i < got.pages.size(); ++i)
    EXPECT_EQ(got.pages[i].id, "wire-" + std::to_string(i + 1));
  EXPECT_FALSE(got.report.problems.empty());
}

TEST(JsonLinesStream, BomCrLfAndBlankLinesAsWhenReadWhole) {
  const std::string dataset = "\xEF\xBB\xBF" + wire_line(1) + "\r\n\n" + wire_line(2) + "   \n" +
                              "{\"id\": \"no-newline-at-end\", \"text\": \"Last line.\"}";
  const Read streamed = read("a.jsonl.gz", gzip(dataset));
  const Read whole = read("a.jsonl", dataset);
  ASSERT_EQ(streamed.pages.size(), 3u);
  ASSERT_EQ(whole.pages.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(streamed.pages[i].id, whole.pages[i].id);
    EXPECT_EQ(streamed.pages[i].content, whole.pages[i].content);
  }
  EXPECT_EQ(streamed.report.records, whole.report.records);
  EXPECT_TRUE(streamed.report.problems.empty());
}

}  // namespace
}  // namespace storyline::ingest
