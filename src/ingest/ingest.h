// ingest: turns files, directories and stdin into Pages, detecting each input's format by its
// content (never by its name).
//
//   ingest::Reader reader({.published = "2025-04-26"});
//   auto report = reader.read({"pages/", "-"},
//                             [&](Page&& page) { pipeline.add(std::move(page)); });
//
// Formats, each decided by content: plain text (one paragraph a line), HTML, JSON Lines (one
// object a line with id, url, source, published, title and text or html; also accepted:
// content/body, date/published_at, outlet/site, headline, link; a pretty-printed single JSON
// object is one record), WARC 1.0/1.1/0.18 (response records holding HTTP 200 HTML become
// pages; streamed record by record), RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed (items with a
// whole article become pages, the others Pointers), sitemaps, sitemap indexes, Google News
// sitemaps and plain URL lists (Pointers). Any of them may be gzip- or zstd-compressed
// (whole file or, for WARC, per record). A bad JSONL line, a malformed WARC record, an
// unreadable, empty, binary or oversized file, and unsupported inputs (ARC, xz, zip, bzip2,
// UTF-16) are Problems in the Report; every other record and input is still read.
// read() never throws.
//
// Pages: text/HTML files give one page, id = file stem, origin = path; stdin gives id
// "stdin-<hash8>", origin "stdin"; a JSONL record gives id = its "id" or "<stem>:<line>",
// origin "path:line"; a WARC page gives id "<stem>@<offset>", origin "path@offset", the
// record's target URL and its WARC-Date in UTC ("2017-03-06T04:02:06Z"); a feed item gives
// id "<stem>:item<n>", origin "path:item<n>". Options::published/source fill only fields a
// page lacks (a feed's title is the source of its items).
// Thread-safety: a Reader is immutable after construction; read() may run concurrently.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/document.h"
#include "common/result.h"

namespace storyline::ingest {

struct Options {
  // Larger inputs (after decompression) are a kTooLarge problem; a WARC file is streamed and
  // may be of any size, but a record block larger than this is skipped with a problem.
  std::size_t max_file_bytes = std::size_t{256} << 20;
  std::string published;  // publication date for pages that carry none ("2025-04-26")
  std::string source;     // outlet name for pages that carry none
  // "" (default): every input's format is decided by its content; "jsonl": every input is read
  // as JSON Lines (after decompression), whatever it looks like.
  std::string format;
};

enum class InputFormat { kText, kHtml, kJsonLines, kBinary, kEmpty };
const char* input_format_name(InputFormat format);

// Decides by content (a UTF-8 BOM and leading blanks are skipped): only blanks -> empty;
// several NUL bytes or >5% control bytes in the first 8 KB, or gzip/zstd/xz/zip/UTF-16 magic
// -> binary; one of the first non-blank lines shaped like a JSON object ("{...}", parsed or
// not: a damaged record is a per-line Problem) -> JSON Lines; markup (doctype, <html>, <body>,
// <div>, <p>, ... or several tags) -> HTML; else text.
InputFormat detect_format(std::string_view bytes);

struct Problem {
  std::string origin;  // "path", "path:line", "path@byte-offset" (WARC)
  Error error;
  // Short class for counting: "io", "empty", "binary", "too-large", "unsupported-format",
  // "compression", "jsonl-syntax" (not JSON), "jsonl-record" (JSON, but not a usable
  // record), "warc-malformed", "warc-truncated", "warc-gzip",
  // "warc-too-large", "warc-http", "feed", "feed-illformed", "sitemap", ... Empty = "other".
  std::string kind;
};

// A feed item or sitemap entry that is not an article itself: a URL for a later fetch, or
// for matching a page from a crawl.
struct Pointer {
  std::string url;
  std::string title;
  std::string published;  // UTC ISO when the date parses, else as written; may be empty
  std::string source;     // the feed's title, the news sitemap's publication name
  std::string language;   // news sitemap / feed language; may be empty
  std::string origin;     // "path:item3", "path:url3"
  std::string kind;       // "feed-item", "sitemap-url", "sitemap-index", "url-list"
};

struct Report {
  std::size_t inputs = 0;         // files (or stdin) read
  std::size_t pages = 0;          // pages handed to the sink
  std::vector<Problem> problems;  // errors: something was lost

  // Added with the WARC/feed/sitemap readers.
  std::size_t records = 0;   // records read: WARC records, feed items, sitemap entries,
                             // JSONL lines, single-page files
  std::size_t pointers = 0;  // Pointers handed to the pointer sink (counted without one too)
  std::map<std::string, std::size_t> skipped;  // by kind: "warc-request", "warc-revisit",
                                               // "warc-response-not-html", ...
  std::vector<Problem> warnings;  // read anyway: ill-formed feed, whole-file gzip WARC, ...

  std::map<std::string, std::size_t> errors_by_kind() const;
  // A few lines for a person: counts, skipped and errors by kind with the first
  // `max_locations` locations of each.
  std::string summary(std::size_t max_locations = 3) const;
  // The same as one JSON object (records, pages, pointers, skipped, errors, warnings).
  std::string summary_json(std::size_t max_locations = 3) const;
};

// One problem as a JSON object line (origin, kind, code, message, context), for an errors file.
std::string problem_json(const Problem& problem);

using PageSink = std::function<void(Page&&)>;
using PointerSink = std::function<void(Pointer&&)>;

class Reader {
 public:
  explicit Reader(Options options = {});

  // Expands directories (recursively, sorted) into the files read() will visit; "-" stays "-".
  // A path that does not exist is an error.
  [[nodiscard]] Result<std::vector<std::string>> expand(
      const std::vector<std::string>& paths) const;

  // Reads every input in order and hands each page to `sink` (and each Pointer to
  // `pointers`, when given; else they are only counted).
  Report read(const std::vector<std::string>& paths, const PageSink& sink) const;
  Report read(const std::vector<std::string>& paths, const PageSink& sink,
              const PointerSink& pointers) const;

  // Reads one input already in memory; `origin` names it ("stdin", a path). Appends to `report`.
  void read_bytes(std::string_view origin, std::string bytes, const PageSink& sink,
                  Report& report) const;
  void read_bytes(std::string_view origin, std::string bytes, const PageSink& sink,
                  const PointerSink* pointers, Report& report) const;

 private:
  Options options_;
};

}  // namespace storyline::ingest
