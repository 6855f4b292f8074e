// libFuzzer target: arbitrary bytes through format detection and the ingest reader
// (text, HTML, JSON Lines paths).
#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/ingest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const storyline::ingest::Reader reader;
  storyline::ingest::Report report;
  std::size_t pages = 0;
  reader.read_bytes("fuzz", std::string(reinterpret_cast<const char*>(data), size),
                    [&](storyline::Page&& page) { ++pages; }, report);
  if (report.pages != pages) __builtin_trap();
  return 0;
}
