// Whole-page extraction speed (charset checks, parse, scoring, blocks, metadata, language) on a
// page corpus: Extractor::run on pages already in memory, so neither file reading nor JSON
// output is timed. One core: thread CPU time per round (median of N), robust to other load on
// the machine. Both cores: wall time of the same pages spread over `--threads` workers.
// Figures: bench/RESULTS_extraction.md, "Speed".
//
//   ./build/bench/extract_bench [DIR] [--rounds N] [--threads T]
//   DIR defaults to ../shared/bench/extraction/scrapinghub-aeb/html (*.html, *.html.gz)
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "common/parallel.h"
#include "extract/extract.h"
#include "page_corpus.h"

namespace {

using storyline::Page;
using storyline::extract::Extractor;

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "../shared/bench/extraction/scrapinghub-aeb/html";
  int rounds = 10;
  int threads = 2;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rounds" && i + 1 < argc)
      rounds = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--threads" && i + 1 < argc)
      threads = std::max(1, std::atoi(argv[++i]));
    else
      dir = arg;
  }
  std::vector<Page> pages;
  std::size_t bytes = 0;
  for (auto& corpus_page : storyline::bench::read_page_corpus(dir)) {
    Page page;
    page.id = corpus_page.path.stem().string();
    page.origin = corpus_page.path.string();
    page.content = std::move(corpus_page.bytes);
    bytes += page.content.size();
    pages.push_back(std::move(page));
  }
  if (pages.empty()) {
    std::fprintf(stderr, "no *.html or *.html.gz pages in %s\n", dir.c_str());
    return 1;
  }
  const double n = static_cast<double>(pages.size());
  std::printf("%zu pages, %.1f MB, %.0f KB/page\n", pages.size(), static_cast<double>(bytes) / 1e6,
              static_cast<double>(bytes) / 1e3 / n);

  const Extractor extractor;
  std::size_t sink = 0;
  auto run = [&](const Page& page) {
    auto out = extractor.run(page);
    if (out && !out->articles.empty()) sink += out->articles.front().text.size();
  };
  for (const Page& page : pages) run(page);  // warm-up: allocator, parser buffers, lexicons

  std::vector<double> seconds;
  for (int r = 0; r < rounds; ++r) {
    const double start = storyline::bench::thread_cpu_seconds();
    for (const Page& page : pages) run(page);
    seconds.push_back(storyline::bench::thread_cpu_seconds() - start);
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  std::printf(
      "one core   %.3f ms/page (best %.3f)  %.0f pages/s  %.1f MB/s  (CPU time, median of "
      "%d rounds)\n",
      1e3 * median / n, 1e3 * seconds.front() / n, n / median,
      static_cast<double>(bytes) / 1e6 / median, rounds);

  // Both cores: every round's pages shared by `threads` workers; wall time.
  const auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r) {
    storyline::parallel_for(pages.size(), threads, [&](std::size_t i) { run(pages[i]); });
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / rounds;
  std::printf("%d threads  %.3f ms/page  %.0f pages/s  %.1f MB/s  (wall time per round)\n", threads,
              1e3 * wall / n, n / wall, static_cast<double>(bytes) / 1e6 / wall);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS   %.1f MB (pages held in memory: %.1f MB)\n",
              static_cast<double>(usage.ru_maxrss) / 1024, static_cast<double>(bytes) / 1e6);
  std::fprintf(stderr, "(checksum %zu)\n", sink);
  return 0;
}
