// libFuzzer target: arbitrary bytes through the WARC record reader, plain and behind the gzip
// stream decoder, and through HTTP response parsing of every record block.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/decompress.h"
#include "ingest/warc.h"

using namespace storyline::ingest;

namespace {
void read_all_records(ByteStream& stream, GzipStream* gzip) {
  WarcReader reader(stream, gzip, 1 << 20);
  WarcRecord record;
  std::vector<WarcIssue> issues;
  std::uint64_t last = 0;
  while (reader.next(record, issues)) {
    // Records come in order; a reader that stops advancing would loop forever.
    if (record.decoded_offset < last) __builtin_trap();
    last = record.decoded_offset;
    if (!record.block_skipped) (void)parse_http_response(record.block, 1 << 20);
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  {
    MemoryStream stream(bytes);
    read_all_records(stream, nullptr);
  }
  {
    MemoryStream stream(bytes);
    GzipStream gzip(&stream);
    read_all_records(gzip, &gzip);
  }
  std::string out;
  (void)dechunk(bytes, out);
  return 0;
}
