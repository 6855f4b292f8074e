// ingest_bench: how fast ingest reads a gzip WARC compared with decompressing it alone.
//
//   ingest_bench --make /tmp/crawl.warc.gz --from examples/pages --records 20000 [--encoded]
//                [--digests]
//   ingest_bench /tmp/crawl.warc.gz [--repeat 3]
//
// --make writes a per-record gzip WARC (request + response pairs, the HTML and text files of
// --from as response bodies, alternately plain and chunked, and with --encoded also gzip
// content-encoded, which costs a second inflate that zcat does not do; with --digests every
// record carries SHA-1 block and payload digests, which the reader verifies). Reading
// prints, best of --repeat runs: the time to gunzip the file alone (GzipStream into a reused
// buffer, what `zcat > /dev/null` does), the time for ingest::Reader to read it into pages
// (records parsed, HTTP decoded, pages handed to a counting sink), the ratio, and the peak
// resident memory. Compare with `time zcat FILE > /dev/null` on the same file.
#include <sys/resource.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/decompress.h"
#include "ingest/ingest.h"
#include "ingest/warc.h"

namespace {

namespace fs = std::filesystem;
using storyline::Page;
using namespace storyline::ingest;

std::string gzip_member(const std::string& bytes) {
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

std::string record(const std::string& type, const std::string& uri, const std::string& block,
                   bool digests) {
  std::string digest_lines;
  if (digests) {
    const std::size_t head_end = block.find("\r\n\r\n");
    const std::string_view payload = head_end == std::string::npos
                                         ? std::string_view()
                                         : std::string_view(block).substr(head_end + 4);
    digest_lines = "WARC-Block-Digest: " + storyline::ingest::warc_sha1_digest(block) +
                   "\r\nWARC-Payload-Digest: " + storyline::ingest::warc_sha1_digest(payload) +
                   "\r\n";
  }
  std::string out =
      "WARC/1.0\r\nWARC-Type: " + type + "\r\nWARC-Target-URI: " + uri +
      "\r\nWARC-Date: 2025-04-26T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:" + uri + ">\r\n" +
      digest_lines +
      "Content-Type: application/http; msgtype=" + (type == "request" ? "request" : "response") +
      "\r\nContent-Length: " + std::to_string(block.size()) + "\r\n\r\n" + block + "\r\n\r\n";
  return out;
}

std::string chunk(const std::string& body) {
  std::string out;
  for (std::size_t at = 0; at < body.size(); at += 4096) {
    const std::string piece = body.substr(at, 4096);
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    out += size + piece + "\r\n";
  }
  return out + "0\r\n\r\n";
}

int make(const std::string& out_path, const std::string& from, int records, bool encoded,
         bool digests) {
  std::vector<std::string> bodies;
  for (const auto& entry : fs::directory_iterator(from)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".html" && ext != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string body = buffer.str();
    if (ext == ".txt") {  // wrap scraped text so every response is HTML
      std::string html = "<!doctype html><html><body>";
      std::istringstream lines(body);
      for (std::string line; std::getline(lines, line);) html += "<p>" + line + "</p>\n";
      body = html + "</body></html>";
    }
    bodies.push_back(std::move(body));
  }
  if (bodies.empty()) {
    std::fprintf(stderr, "no .html or .txt files in %s\n", from.c_str());
    return 1;
  }
  std::ofstream out(out_path, std::ios::binary);
  for (int i = 0; i < records; ++i) {
    const std::string uri = "https://bench.example/" + std::to_string(i);
    const std::string& body = bodies[static_cast<std::size_t>(i) % bodies.size()];
    std::string http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n";
    switch (encoded ? i % 3 : i % 2) {
      case 0:
        http += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        break;
      case 1:
        http += "Transfer-Encoding: chunked\r\n\r\n" + chunk(body);
        break;
      default: {
        const std::string encoded = gzip_member(body);
        http += "Content-Encoding: gzip\r\nContent-Length: " + std::to_string(encoded.size()) +
                "\r\n\r\n" + encoded;
      }
    }
    const std::string request =
        "GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: bench.example\r\n\r\n";
    const std::string a = gzip_member(record("request", uri, request, digests));
    const std::string b = gzip_member(record("response", uri, http, digests));
    out.write(a.data(), static_cast<std::streamsize>(a.size()));
    out.write(b.data(), static_cast<std::streamsize>(b.size()));
  }
  return 0;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Process CPU time (user + system): on a shared machine wall time also measures the others.
double cpu_seconds() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 2 && args[0] == "--make") {
    std::string from = "examples/pages";
    int records = 20000;
    bool encoded = false;
    bool digests = false;
    for (std::size_t i = 2; i < args.size(); ++i) {
      if (args[i] == "--from" && i + 1 < args.size())
        from = args[++i];
      else if (args[i] == "--records" && i + 1 < args.size())
        records = std::stoi(args[++i]);
      else if (args[i] == "--encoded")
        encoded = true;
      else if (args[i] == "--digests")
        digests = true;
    }
    return make(args[1], from, records, encoded, digests);
  }
  if (args.empty()) {
    std::fprintf(stderr,
                 "usage: ingest_bench FILE.warc.gz [--repeat N] | --make OUT "
                 "[--from DIR] [--records N] [--encoded] [--digests]\n");
    return 2;
  }
  const std::string path = args[0];
  int repeat = 3;
  if (args.size() >= 3 && args[1] == "--repeat") repeat = std::stoi(args[2]);

  double best_gunzip = 1e9;
  double best_read = 1e9;
  double best_gunzip_cpu = 1e9;
  double best_read_cpu = 1e9;
  std::size_t decoded_bytes = 0;
  std::size_t pages = 0;
  std::size_t records = 0;
  std::size_t problems = 0;
  std::size_t warnings = 0;
  std::vector<char> buffer(256 * 1024);
  for (int run = 0; run < repeat; ++run) {
    {
      std::FILE* file = std::fopen(path.c_str(), "rb");
      if (!file) return 1;
      FileStream raw(file);
      GzipStream gzip(&raw);
      const auto start = std::chrono::steady_clock::now();
      const double cpu_start = cpu_seconds();
      decoded_bytes = 0;
      for (;;) {
        auto got = gzip.read(buffer.data(), buffer.size());
        if (!got || *got == 0) break;
        decoded_bytes += *got;
      }
      best_gunzip = std::min(best_gunzip, seconds_since(start));
      best_gunzip_cpu = std::min(best_gunzip_cpu, cpu_seconds() - cpu_start);
      std::fclose(file);
    }
    {
      const Reader reader;
      const auto start = std::chrono::steady_clock::now();
      const double cpu_start = cpu_seconds();
      pages = 0;
      const Report report = reader.read({path}, [&](Page&&) { ++pages; });
      best_read = std::min(best_read, seconds_since(start));
      best_read_cpu = std::min(best_read_cpu, cpu_seconds() - cpu_start);
      records = report.records;
      problems = report.problems.size();
      warnings = report.warnings.size();
    }
  }
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  const double mb = static_cast<double>(decoded_bytes) / 1e6;
  std::printf("file %s: %.1f MB decoded, %zu records, %zu pages, %zu problems, %zu warnings\n",
              path.c_str(), mb, records, pages, problems, warnings);
  std::printf("gunzip alone   wall %.3f s  %.1f MB/s   cpu %.3f s  %.1f MB/s\n", best_gunzip,
              mb / best_gunzip, best_gunzip_cpu, mb / best_gunzip_cpu);
  std::printf("ingest read    wall %.3f s  %.1f MB/s   cpu %.3f s  %.1f MB/s\n", best_read,
              mb / best_read, best_read_cpu, mb / best_read_cpu);
  std::printf("ratio          wall %.1f%%  cpu %.1f%% of gunzip speed\n",
              100.0 * best_gunzip / best_read, 100.0 * best_gunzip_cpu / best_read_cpu);
  std::printf("peak RSS       %.1f MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
