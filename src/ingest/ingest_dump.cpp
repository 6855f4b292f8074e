// ingest_dump [--format jsonl] FILE...   : prints, as JSON Lines, what storyline's readers see in
// each file — the structure (WARC records with offsets, feed and items, sitemap entries) and what
// ingest::Reader makes of it (pages, pointers, problems, warnings, the report). Test-only:
// eval/ingest.py compares it with the peers' expectations.
// ingest_dump --truncations FILE...       : reads every prefix of each file (every truncation)
// through the Reader and prints one summary line per file: a crash or hang shows as the
// process dying or timing out.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ingest/decompress.h"
#include "ingest/feed.h"
#include "ingest/ingest.h"
#include "ingest/sitemap.h"
#include "ingest/warc.h"

namespace {

using nlohmann::json;
using namespace storyline;
using namespace storyline::ingest;

constexpr std::size_t kMaxBytes = std::size_t{256} << 20;
constexpr std::size_t kHeadChars = 120;

void emit(const json& line) {
  std::printf("%s\n", line.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
}

struct CloseFile {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

// Structure of one file, by the same detection the Reader uses.
void dump_structure(const std::string& path) {
  std::unique_ptr<std::FILE, CloseFile> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    emit({{"kind", "input"}, {"file", path}, {"error", "cannot open"}});
    return;
  }
  FileStream raw(file.get());
  std::string head(8192, '\0');
  auto got = raw.read(head.data(), head.size());
  head.resize(got ? *got : 0);
  const Compression compression = detect_compression(head);
  ChainStream chained(head, &raw);
  std::unique_ptr<GzipStream> gzip;
  std::unique_ptr<ZstdStream> zstd;
  ByteStream* decoded = &chained;
  if (compression == Compression::kGzip) {
    gzip = std::make_unique<GzipStream>(&chained);
    decoded = gzip.get();
  } else if (compression == Compression::kZstd) {
    zstd = std::make_unique<ZstdStream>(&chained);
    decoded = zstd.get();
  }
  std::string inner(8192, '\0');
  std::size_t have = 0;
  std::optional<Error> after_head;  // returned after the head, as ingest::Reader does
  while (have < inner.size()) {
    auto n = decoded->read(inner.data() + have, inner.size() - have);
    if (!n) after_head = n.error();
    if (!n || *n == 0) break;
    have += *n;
  }
  inner.resize(have);
  std::string_view start(inner);
  if (start.starts_with("\xEF\xBB\xBF")) start.remove_prefix(3);
  while (!start.empty() && (start.front() == ' ' || start.front() == '\r' ||
                            start.front() == '\n' || start.front() == '\t'))
    start.remove_prefix(1);
  ChainStream body(inner, decoded, std::move(after_head));

  if (start.starts_with("WARC/")) {
    emit({{"kind", "input"},
          {"file", path},
          {"compression", compression_name(compression)},
          {"format", "warc"}});
    WarcReader reader(body, gzip.get(), kMaxBytes);
    WarcRecord record;
    std::vector<WarcIssue> issues;
    auto flush = [&] {
      for (const WarcIssue& issue : issues)
        emit({{"kind", "warc_issue"},
              {"offset", issue.offset},
              {"issue", issue.kind},
              {"message", issue.message},
              {"warning", issue.warning}});
      issues.clear();
    };
    while (reader.next(record, issues)) {
      flush();
      emit({{"kind", "warc_record"},
            {"type", record.type},
            {"target_uri", record.target_uri},
            {"date", record.date},
            {"record_id", record.record_id},
            {"offset", record.offset},
            {"decoded_offset", record.decoded_offset},
            {"content_length", record.content_length},
            {"block_bytes", record.block.size()}});
    }
    flush();
    return;
  }
  auto bytes = read_all(body, kMaxBytes);
  if (!bytes) {
    emit({{"kind", "input"},
          {"file", path},
          {"compression", compression_name(compression)},
          {"error", bytes.error().message}});
    return;
  }
  const std::string& all = *bytes;
  if (looks_like_xml_feed(all) ||
      (start.starts_with("{") && all.find("jsonfeed.org") != std::string::npos)) {
    auto feed = looks_like_xml_feed(all) ? parse_xml_feed(all) : parse_json_feed(all);
    emit({{"kind", "input"},
          {"file", path},
          {"compression", compression_name(compression)},
          {"format", "feed"}});
    if (!feed) {
      emit({{"kind", "feed"}, {"error", feed.error().message}, {"bozo", true}});
      return;
    }
    emit({{"kind", "feed"},
          {"version", feed->version},
          {"title", feed->title},
          {"link", feed->link},
          {"language", feed->language},
          {"subtitle", feed->subtitle},
          {"bozo", !feed->well_formed},
          {"warnings", feed->warnings},
          {"items", feed->items.size()}});
    for (const FeedItem& item : feed->items) {
      emit({{"kind", "item"},
            {"title", item.title},
            {"link", item.link},
            {"id", item.id},
            {"published", item.published},
            {"updated", item.updated},
            {"author", item.author},
            {"summary", item.summary},
            {"content", item.content},
            {"is_article", !article_body(item).empty()}});
    }
    return;
  }
  if (looks_like_sitemap(all)) {
    emit({{"kind", "input"},
          {"file", path},
          {"compression", compression_name(compression)},
          {"format", "sitemap"}});
    auto sitemap = parse_sitemap(all);
    if (!sitemap) {
      emit({{"kind", "sitemap"}, {"error", sitemap.error().message}});
      return;
    }
    emit({{"kind", "sitemap"},
          {"type", sitemap->type},
          {"urls", sitemap->urls.size()},
          {"well_formed", sitemap->well_formed},
          {"warnings", sitemap->warnings}});
    for (const SitemapUrl& url : sitemap->urls) {
      emit({{"kind", "url"},
            {"loc", url.loc},
            {"lastmod", url.lastmod},
            {"changefreq", url.changefreq},
            {"priority", url.priority},
            {"news_name", url.news_name},
            {"news_language", url.news_language},
            {"news_publication_date", url.news_publication_date},
            {"news_title", url.news_title}});
    }
    return;
  }
  emit({{"kind", "input"},
        {"file", path},
        {"compression", compression_name(compression)},
        {"format", input_format_name(detect_format(all))}});
}

void dump_truncations(const std::string& path) {
  std::unique_ptr<std::FILE, CloseFile> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    emit({{"kind", "truncations"}, {"file", path}, {"error", "cannot open"}});
    return;
  }
  FileStream raw(file.get());
  auto bytes = read_all(raw, kMaxBytes);
  if (!bytes) return;
  const Reader reader;
  std::size_t pages = 0;
  std::size_t problems = 0;
  double max_ms = 0;
  for (std::size_t n = 0; n <= bytes->size(); ++n) {
    const auto begin = std::chrono::steady_clock::now();
    Report report;
    reader.read_bytes(
        "prefix", bytes->substr(0, n), [&](Page&&) { ++pages; }, nullptr, report);
    problems += report.problems.size();
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
    max_ms = std::max(max_ms, ms);
  }
  emit({{"kind", "truncations"},
        {"file", path},
        {"truncations", bytes->size() + 1},
        {"pages", pages},
        {"problems", problems},
        {"max_ms", max_ms}});
}

void dump_reader(const std::string& path, const Options& options) {
  const Reader reader(options);
  const Report report = reader.read(
      {path},
      [](Page&& page) {
        emit({{"kind", "page"},
              {"id", page.id},
              {"origin", page.origin},
              {"url", page.url},
              {"published", page.published},
              {"title", page.title},
              {"source", page.source},
              {"format", page_format_name(page.format)},
              {"bytes", page.content.size()},
              {"head", page.content.substr(0, kHeadChars)},
              {"content", page.content}});
      },
      [](Pointer&& pointer) {
        emit({{"kind", "pointer"},
              {"url", pointer.url},
              {"title", pointer.title},
              {"published", pointer.published},
              {"source", pointer.source},
              {"language", pointer.language},
              {"origin", pointer.origin},
              {"pointer_kind", pointer.kind}});
      });
  for (const auto* list : {&report.problems, &report.warnings}) {
    for (const Problem& problem : *list) {
      emit({{"kind", list == &report.problems ? "problem" : "warning"},
            {"origin", problem.origin},
            {"problem_kind", problem.kind},
            {"message", problem.error.message}});
    }
  }
  emit({{"kind", "report"}, {"summary", json::parse(report.summary_json())}});
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  bool truncations = false;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--format" && i + 1 < argc) {
      options.format = argv[++i];
    } else if (arg == "--truncations") {
      truncations = true;
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: ingest_dump [--format jsonl] [--truncations] FILE...\n");
    return 2;
  }
  for (const std::string& path : paths) {
    if (truncations) {
      dump_truncations(path);
      continue;
    }
    if (options.format.empty()) dump_structure(path);
    dump_reader(path, options);
  }
  return 0;
}
