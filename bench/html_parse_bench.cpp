// HTML parse speed on a page corpus, one core: gumbo (the reference parser html.cpp uses
// today) against the fast path (src/extract/fast_html.h). Pages are read and decompressed into
// memory first; only parsing is timed. Figures: bench/RESULTS_extraction.md, "Fast HTML path".
//
//   ./build/bench/html_parse_bench [DIR] [--rounds N] [--fast-only]   (--fast-only: for perf)
//   DIR defaults to ../shared/bench/extraction/scrapinghub-aeb/html (*.html, *.html.gz)
#include <gumbo.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "extract/fast_html.h"
#include "page_corpus.h"

namespace {

namespace fast_html = storyline::extract::fast_html;

// CPU seconds of this thread for one pass over all pages (CPU time, not wall time: the
// machine's 2 cores are shared, and waiting for a core is not parsing). `sink` keeps the work
// observable.
template <typename Fn>
double time_pass(const std::vector<std::string>& pages, Fn&& parse, std::size_t& sink) {
  const double start = storyline::bench::thread_cpu_seconds();
  for (const std::string& page : pages) sink += parse(page);
  return storyline::bench::thread_cpu_seconds() - start;
}

void report(const char* name, std::vector<double> seconds, std::size_t pages, std::size_t bytes) {
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2], best = seconds.front();
  std::printf("%-10s %8.3f ms/page (best %.3f)  %8.1f MB/s  median of %zu rounds, CPU time\n", name,
              1e3 * median / static_cast<double>(pages), 1e3 * best / static_cast<double>(pages),
              static_cast<double>(bytes) / 1e6 / median, seconds.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "../shared/bench/extraction/scrapinghub-aeb/html";
  int rounds = 10;
  bool fast_only = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rounds" && i + 1 < argc)
      rounds = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--fast-only")
      fast_only = true;
    else
      dir = arg;
  }
  std::vector<std::string> pages;
  std::size_t bytes = 0;
  for (auto& page : storyline::bench::read_page_corpus(dir)) {
    bytes += page.bytes.size();
    pages.push_back(std::move(page.bytes));
  }
  if (pages.empty()) {
    std::fprintf(stderr, "no *.html or *.html.gz pages in %s\n", dir.c_str());
    return 1;
  }
  std::printf("%zu pages, %.1f MB, %.0f KB/page\n", pages.size(), static_cast<double>(bytes) / 1e6,
              static_cast<double>(bytes) / 1e3 / static_cast<double>(pages.size()));

  std::size_t sink = 0;
  // gumbo as html.cpp configures it (errors capped).
  GumboOptions gumbo_options = kGumboDefaultOptions;
  gumbo_options.max_errors = 16;
  auto gumbo = [&](const std::string& page) -> std::size_t {
    GumboOutput* out = gumbo_parse_with_options(&gumbo_options, page.data(), page.size());
    const std::size_t children = out->root->v.element.children.length;
    gumbo_destroy_output(&gumbo_options, out);
    return children;
  };
  fast_html::Parser parser;  // reused across pages, as a worker does
  auto fast = [&](const std::string& page) -> std::size_t { return parser.parse(page).size(); };

  std::vector<double> gumbo_s, fast_s;
  const int gumbo_rounds = fast_only ? 0 : std::max(1, rounds / 5);
  time_pass(pages, fast, sink);  // warm-up: page cache, allocator, parser buffers
  for (int r = 0; r < gumbo_rounds; ++r) gumbo_s.push_back(time_pass(pages, gumbo, sink));
  for (int r = 0; r < rounds; ++r) fast_s.push_back(time_pass(pages, fast, sink));
  if (!gumbo_s.empty()) report("gumbo", gumbo_s, pages.size(), bytes);
  report("fast_html", fast_s, pages.size(), bytes);
  // The tree's size: what a worker's parser keeps allocated between pages.
  std::size_t max_nodes = 0, sum_nodes = 0, max_tree_bytes = 0;
  for (const std::string& page : pages) {
    const fast_html::Document& doc = parser.parse(page);
    std::size_t attrs = 0;
    for (fast_html::NodeId n = 0; n < doc.size(); ++n) attrs += doc.attrs(n).size();
    const std::size_t tree_bytes =
        doc.size() * sizeof(fast_html::Node) + attrs * sizeof(fast_html::Attribute);
    max_nodes = std::max(max_nodes, doc.size());
    sum_nodes += doc.size();
    max_tree_bytes = std::max(max_tree_bytes, tree_bytes);
  }
  std::printf("fast_html tree: %zu nodes/page on average, at most %zu (%.1f MB with attributes)\n",
              sum_nodes / pages.size(), max_nodes, static_cast<double>(max_tree_bytes) / 1e6);
  std::fprintf(stderr, "(checksum %zu)\n", sink);
  return 0;
}
