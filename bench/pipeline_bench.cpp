// pipeline_bench: runs a corpus (JSON Lines, files or directories) through the whole pipeline into
// a fresh store and reports pages/s end to end, seconds per stage, and peak memory.
//
//   python3 bench/make_corpus.py --pages 20000 --out /tmp/corpus.jsonl
//   ./build/bench/pipeline_bench /tmp/corpus.jsonl [--threads N] [--checkpoint PAGES] [--db FILE]
//                                [--report-every PAGES]
//
// With --report-every, a line per interval shows that interval's pages/s, its CPU ms/page per
// stage and the memory held, so a long run shows whether the cost per page grows with what the
// store already holds (and which stage grows).
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/pipeline.h"
#include "store/store.h"

using namespace storyline;

namespace {
long current_rss_kib() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (!statm) return 0;
  long pages_total = 0, pages_resident = 0;
  if (std::fscanf(statm, "%ld %ld", &pages_total, &pages_resident) != 2) pages_resident = 0;
  std::fclose(statm);
  return pages_resident * (sysconf(_SC_PAGESIZE) / 1024);
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}
}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> inputs;
  std::string db = "/tmp/storyline_bench.db";
  pipeline::Options options;
  std::size_t report_every = 0;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) {
      options.threads = std::atoi(argv[++i]);
    } else if (!std::strcmp(argv[i], "--checkpoint") && i + 1 < argc) {
      options.checkpoint_pages = std::strtoul(argv[++i], nullptr, 10);
    } else if (!std::strcmp(argv[i], "--report-every") && i + 1 < argc) {
      report_every = std::strtoul(argv[++i], nullptr, 10);
    } else if (!std::strcmp(argv[i], "--story-span") && i + 1 < argc) {
      options.cluster.story_span_days = std::atoi(argv[++i]);
    } else if (!std::strcmp(argv[i], "--story-replace") && i + 1 < argc) {
      options.cluster.story_replace = std::atoi(argv[++i]);
    } else if (!std::strcmp(argv[i], "--db") && i + 1 < argc) {
      db = argv[++i];
    } else {
      inputs.emplace_back(argv[i]);
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr,
                 "usage: pipeline_bench CORPUS... [--threads N] [--checkpoint PAGES] [--db FILE] "
                 "[--report-every PAGES] [--story-span DAYS] [--story-replace N]\n");
    return 2;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  std::uintmax_t bytes = 0;
  for (const auto& input : inputs)
    if (std::filesystem::is_regular_file(input)) bytes += std::filesystem::file_size(input);

  auto store = store::Store::open(db);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().to_string().c_str());
    return 1;
  }
  auto pipe = pipeline::Pipeline::open(**store, options);
  if (!pipe) {
    std::fprintf(stderr, "%s\n", pipe.error().to_string().c_str());
    return 1;
  }
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  auto interval_start = started;
  std::size_t next_report = report_every, interval_pages = 0;
  if (report_every)
    std::printf("%10s %10s %12s %10s %10s  %s\n", "pages", "seconds", "pages/s now", "RSS MiB",
                "peak MiB", "ms/page in interval: extract understand dedup cluster store");
  pipeline::StageTimes interval_times;
  auto report = [&](std::size_t, std::size_t, std::size_t pages) {
    if (!report_every || pages < next_report) return;
    const auto now = Clock::now();
    const double interval = std::chrono::duration<double>(now - interval_start).count();
    // Stage times of this interval alone: a stage whose cost grows with the store shows here
    // even when the wall rate is blurred by other work on the machine.
    const pipeline::StageTimes times = (*pipe)->running_times();
    const double ms = 1000.0 / static_cast<double>(pages - interval_pages);
    std::printf("%10zu %10.1f %12.0f %10.1f %10.1f  %.3f %.3f %.3f %.3f %.3f\n", pages,
                std::chrono::duration<double>(now - started).count(),
                (pages - interval_pages) / interval, current_rss_kib() / 1024.0,
                peak_rss_kib() / 1024.0, (times.extract - interval_times.extract) * ms,
                (times.understand - interval_times.understand) * ms,
                (times.dedup - interval_times.dedup) * ms,
                (times.cluster - interval_times.cluster) * ms,
                (times.store - interval_times.store) * ms);
    interval_times = times;
    std::fflush(stdout);
    interval_start = now;
    interval_pages = pages;
    while (next_report <= pages) next_report += report_every;
  };
  auto summary = (*pipe)->ingest(inputs, report);
  if (!summary) {
    std::fprintf(stderr, "%s\n", summary.error().to_string().c_str());
    return 1;
  }
  const auto& s = *summary;
  const double mb = bytes / 1e6;
  std::printf("pages            %zu (%zu failed, %zu problems)\n", s.pages, s.pages_failed,
              s.problems.size());
  std::printf("articles         %zu new, %zu duplicates\n", s.articles, s.duplicates);
  std::printf("stories          %zu, storylines %zu\n", s.stories_new, s.storylines_new);
  std::printf("wall             %.2f s  ->  %.0f pages/s, %.1f MB/s of input\n", s.seconds,
              s.pages / s.seconds, mb / s.seconds);
  std::printf(
      "stage CPU s      extract %.2f  understand %.2f  dedup %.2f  cluster %.2f  store %.2f\n",
      s.times.extract, s.times.understand, s.times.dedup, s.times.cluster, s.times.store);
  auto per_page = [&](double t) { return s.pages ? 1000.0 * t / s.pages : 0.0; };
  std::printf(
      "stage ms/page    extract %.3f  understand %.3f  dedup %.3f  cluster %.3f  store %.3f\n",
      per_page(s.times.extract), per_page(s.times.understand), per_page(s.times.dedup),
      per_page(s.times.cluster), per_page(s.times.store));
  std::printf("peak memory      %.1f MiB\n", peak_rss_kib() / 1024.0);
  return 0;
}
