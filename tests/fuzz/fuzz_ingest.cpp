// libFuzzer target: arbitrary bytes through format detection and the whole ingest reader
// (text, HTML, JSON Lines, WARC, feeds, sitemaps, URL lists, gzip/zstd), by content and with
// JSON Lines forced.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const storyline::ingest::Reader reader;
  static const storyline::ingest::Reader jsonl_reader([] {
    storyline::ingest::Options options;
    options.format = "jsonl";
    return options;
  }());
  for (const auto* r : {&reader, &jsonl_reader}) {
    storyline::ingest::Report report;
    std::size_t pages = 0;
    std::size_t pointers = 0;
    const storyline::ingest::PointerSink pointer_sink = [&](storyline::ingest::Pointer&&) {
      ++pointers;
    };
    r->read_bytes(
        "fuzz", std::string(reinterpret_cast<const char*>(data), size),
        [&](storyline::Page&& page) { ++pages; }, &pointer_sink, report);
    if (report.pages != pages || report.pointers != pointers) __builtin_trap();
    (void)report.summary();
  }
  return 0;
}
