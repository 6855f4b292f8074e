// libFuzzer target: arbitrary bytes through the streaming gzip and zstd decoders, the HTTP
// Content-Encoding decoders and the date parser.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/dates.h"
#include "ingest/decompress.h"

using namespace storyline::ingest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  constexpr std::size_t kCap = 4 << 20;
  {
    MemoryStream stream(bytes);
    GzipStream gzip(&stream);
    (void)read_all(gzip, kCap);
  }
  {
    MemoryStream stream(bytes);
    ZstdStream zstd(&stream);
    (void)read_all(zstd, kCap);
  }
  for (const char* coding : {"gzip", "deflate", "br", "gzip, br"}) {
    bool truncated = false;
    (void)decode_content_encoding(std::string(bytes), coding, kCap, &truncated);
  }
  (void)to_utc_iso(bytes.substr(0, 80));
  return 0;
}
