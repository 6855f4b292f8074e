// ingest: turns files, directories and stdin into Pages, detecting each input's format by its
// content (never by its name).
//
//   ingest::Reader reader({.published = "2025-04-26"});
//   auto report = reader.read({"pages/", "-"},
//                             [&](Page&& page) { pipeline.add(std::move(page)); });
//
// Formats: plain text (one paragraph a line), HTML, JSON Lines (one object a line with
// id, url, source, published, title and text or html; also accepted: content/body,
// date/published_at, outlet/site, headline, link). A pretty-printed single JSON object is one
// record. A bad JSONL line, an unreadable, empty, binary or oversized file, and inputs not
// readable yet (gzip/zstd/xz/zip, UTF-16, WARC, RSS/Atom feeds, sitemaps, JSON Feed) are
// per-input Problems in the Report; the other inputs are still read. read() never throws.
//
// Pages: text/HTML files give one page, id = file stem, origin = path; stdin gives id
// "stdin-<hash8>", origin "stdin"; a JSONL record gives id = its "id" or "<stem>:<line>",
// origin "path:line". Options::published/source fill only fields a page lacks.
// Thread-safety: a Reader is immutable after construction; read() may run concurrently.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/document.h"
#include "common/result.h"

namespace storyline::ingest {

struct Options {
  std::size_t max_file_bytes = std::size_t{256} << 20;  // larger inputs: kTooLarge problem
  std::string published;  // publication date for pages that carry none ("2025-04-26")
  std::string source;     // outlet name for pages that carry none
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
  std::string origin;  // "path", "path:line"
  Error error;
};

struct Report {
  std::size_t inputs = 0;  // files (or stdin) read
  std::size_t pages = 0;   // pages handed to the sink
  std::vector<Problem> problems;
};

using PageSink = std::function<void(Page&&)>;

class Reader {
 public:
  explicit Reader(Options options = {});

  // Expands directories (recursively, sorted) into the files read() will visit; "-" stays "-".
  // A path that does not exist is an error.
  [[nodiscard]] Result<std::vector<std::string>> expand(
      const std::vector<std::string>& paths) const;

  // Reads every input in order and hands each page to `sink`.
  Report read(const std::vector<std::string>& paths, const PageSink& sink) const;

  // Reads one input already in memory; `origin` names it ("stdin", a path). Appends to `report`.
  void read_bytes(std::string_view origin, std::string bytes, const PageSink& sink,
                  Report& report) const;

 private:
  Options options_;
};

}  // namespace storyline::ingest
