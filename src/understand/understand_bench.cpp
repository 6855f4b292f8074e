// Analyzer throughput without any output: reads JSON Lines ({"text", "published", "language"}),
// runs the analyzer and the entity directory over every text `--repeat` times and prints one JSON
// object with MB/s of text per core (CPU time), articles/s and peak memory.
//
//   understand_bench FILE.jsonl [--repeat N]
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "understand/understand.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: understand_bench FILE.jsonl [--repeat N]\n");
    return 2;
  }
  int repeat = 1;
  for (int i = 2; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--repeat") repeat = std::max(1, std::atoi(argv[i + 1]));
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  std::vector<storyline::Article> articles;
  std::string line;
  while (std::getline(in, line)) {
    auto record = nlohmann::json::parse(line, nullptr, false);
    if (!record.is_object() || !record.contains("text") || !record["text"].is_string()) continue;
    storyline::Article a;
    a.text = record["text"].get<std::string>();
    a.published = record.value("published", "");
    a.language = record.value("language", "");  // other languages take their own rules
    articles.push_back(std::move(a));
  }
  storyline::understand::Analyzer analyzer;
  storyline::understand::EntityDirectory directory;
  double bytes = 0;
  std::size_t entities = 0;
  const std::clock_t t0 = std::clock();
  for (int r = 0; r < repeat; ++r) {
    for (const storyline::Article& a : articles) {
      storyline::Analysis an = analyzer.run(a);
      for (storyline::Entity& e : an.entities) e = directory.resolve(e);
      entities += an.entities.size();
      bytes += static_cast<double>(a.text.size());
    }
  }
  const double cpu = static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double n = static_cast<double>(articles.size()) * repeat;
  std::printf(
      "{\"mb\": %.3f, \"articles\": %.0f, \"cpu_s\": %.3f, \"mb_per_s_per_core\": %.2f, "
      "\"articles_per_s\": %.1f, \"peak_rss_mb\": %.1f, \"entities\": %zu}\n",
      bytes / 1e6, n, cpu, cpu > 0 ? bytes / 1e6 / cpu : 0.0, cpu > 0 ? n / cpu : 0.0,
      static_cast<double>(usage.ru_maxrss) / 1024.0, entities);
  return 0;
}
