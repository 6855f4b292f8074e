// Whole-page extraction speed (charset checks, parse, scoring, blocks, metadata, language) on a
// page corpus: Extractor::run on pages already in memory, so neither file reading nor JSON
// output is timed. One core: thread CPU time per round (median of N), robust to other load on
// the machine. Both cores: wall time of the same pages spread over `--threads` workers.
// Figures: bench/RESULTS_extraction.md, "Speed".
//
//   ./build/bench/extract_bench [DIR] [--rounds N] [--threads T]
//   DIR defaults to ../shared/bench/extraction/scrapinghub-aeb/html (*.html, *.html.gz)
#include <sys/resource.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "extract/extract.h"

namespace {

using storyline::Page;
using storyline::extract::Extractor;

std::string read_page(const std::filesystem::path& path) {
  std::string data;
  if (path.extension() == ".gz") {
    gzFile f = gzopen(path.c_str(), "rb");
    if (f == nullptr) return data;
    char buf[1 << 16];
    int got;
    while ((got = gzread(f, buf, sizeof buf)) > 0) data.append(buf, static_cast<std::size_t>(got));
    gzclose(f);
    return data;
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

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
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".html") || name.ends_with(".html.gz")) files.push_back(entry.path());
  }
  if (files.empty()) {
    std::fprintf(stderr, "no *.html or *.html.gz pages in %s\n", dir.c_str());
    return 1;
  }
  std::sort(files.begin(), files.end());
  std::vector<Page> pages;
  std::size_t bytes = 0;
  for (const auto& f : files) {
    Page page;
    page.id = f.stem().string();
    page.origin = f.string();
    page.content = read_page(f);
    bytes += page.content.size();
    pages.push_back(std::move(page));
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
    const double start = thread_cpu_seconds();
    for (const Page& page : pages) run(page);
    seconds.push_back(thread_cpu_seconds() - start);
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  std::printf("one core   %.3f ms/page (best %.3f)  %.0f pages/s  %.1f MB/s  (CPU time, median of "
              "%d rounds)\n",
              1e3 * median / n, 1e3 * seconds.front() / n, n / median,
              static_cast<double>(bytes) / 1e6 / median, rounds);

  // Both cores: every round's pages shared by `threads` workers; wall time.
  const auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r) {
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      for (std::size_t i = next++; i < pages.size(); i = next++) run(pages[i]);
    };
    std::vector<std::jthread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / rounds;
  std::printf("%d threads  %.3f ms/page  %.0f pages/s  %.1f MB/s  (wall time per round)\n",
              threads, 1e3 * wall / n, n / wall, static_cast<double>(bytes) / 1e6 / wall);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS   %.1f MB (pages held in memory: %.1f MB)\n",
              static_cast<double>(usage.ru_maxrss) / 1024, static_cast<double>(bytes) / 1e6);
  std::fprintf(stderr, "(checksum %zu)\n", sink);
  return 0;
}
