// The page corpus of the extraction benches: every *.html and *.html.gz in a folder (the AEB
// layout), read and decompressed into memory in name order, and the thread CPU clock they time
// with (CPU time, not wall time: the machine's cores are shared, and waiting is not work).
#pragma once

#include <zlib.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace storyline::bench {

struct CorpusPage {
  std::filesystem::path path;
  std::string bytes;
};

inline std::string read_page(const std::filesystem::path& path) {
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

// Empty when the folder holds no pages (or cannot be read).
inline std::vector<CorpusPage> read_page_corpus(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".html") || name.ends_with(".html.gz")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<CorpusPage> pages;
  for (const auto& f : files) pages.push_back({f, read_page(f)});
  return pages;
}

inline double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace storyline::bench
