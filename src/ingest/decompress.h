// Byte streams for the ingest readers: files, memory, and streaming decompression chosen by
// magic bytes (gzip, multi-member included; zstd), plus one-shot decoding of HTTP
// Content-Encoding bodies (gzip, deflate, br). Internal to src/ingest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace storyline::ingest {

enum class Compression { kNone, kGzip, kZstd, kXz, kZip, kBzip2 };
const char* compression_name(Compression compression);
Compression detect_compression(std::string_view head);

// A source of bytes read front to back. read() returns 0 at the end; errors are Results.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  virtual Result<std::size_t> read(char* out, std::size_t capacity) = 0;
};

// Does not own the FILE.
class FileStream final : public ByteStream {
 public:
  explicit FileStream(std::FILE* file) : file_(file) {}
  Result<std::size_t> read(char* out, std::size_t capacity) override;

 private:
  std::FILE* file_;
};

// A view of bytes owned by the caller.
class MemoryStream final : public ByteStream {
 public:
  explicit MemoryStream(std::string_view bytes) : bytes_(bytes) {}
  Result<std::size_t> read(char* out, std::size_t capacity) override;

 private:
  std::string_view bytes_;
};

// Bytes already read from the front of `rest` (a sniffed head), then the rest of it. An error
// met while the head was read (`after_head`) is returned once between the two.
class ChainStream final : public ByteStream {
 public:
  ChainStream(std::string head, ByteStream* rest, std::optional<Error> after_head = {})
      : head_(std::move(head)), rest_(rest), after_head_(std::move(after_head)) {}
  Result<std::size_t> read(char* out, std::size_t capacity) override;

 private:
  std::string head_;
  std::size_t at_ = 0;
  ByteStream* rest_;
  std::optional<Error> after_head_;
};

// Where a gzip member (or, with `plain`, a run of non-gzip bytes) began: its offset in the
// compressed input and in the decoded output.
struct MemberStart {
  std::uint64_t compressed = 0;
  std::uint64_t decoded = 0;
  bool plain = false;
};

// Streaming gzip decoder over another stream; concatenated members (per-record gzip WARC) are
// read one after another and their starts remembered (the last kKeptMembers) so a reader can
// name records by compressed offset. Damage never ends the stream: bytes after a member that
// are not gzip are handed out as they are (a warning; a WARC reader then reads plain records
// there or resyncs), and corrupt deflate data is an error returned after the bytes decoded
// before it, after which reading goes on at the next gzip member.
class GzipStream final : public ByteStream {
 public:
  explicit GzipStream(ByteStream* source);
  ~GzipStream() override;
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;
  Result<std::size_t> read(char* out, std::size_t capacity) override;

  std::size_t members() const { return members_; }
  // The compressed offset of the member that starts exactly at `decoded` (or of that byte in
  // a run of plain bytes), or -1. Starts before `decoded` are forgotten: a reader asks in
  // increasing order.
  std::int64_t member_at(std::uint64_t decoded);
  // Compressed offset of the last corrupt spot reported as an error.
  std::uint64_t error_offset() const { return error_offset_; }
  // Notes on input read anyway (plain bytes after a member), oldest first; cleared.
  struct Note {
    std::uint64_t offset = 0;  // in the compressed input
    std::string message;
  };
  std::vector<Note> take_warnings();

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::size_t members_ = 0;
  std::uint64_t error_offset_ = 0;
  std::deque<MemberStart> starts_;  // read ahead of the caller, oldest first
  std::vector<Note> warnings_;
};

class ZstdStream final : public ByteStream {
 public:
  explicit ZstdStream(ByteStream* source);
  ~ZstdStream() override;
  ZstdStream(const ZstdStream&) = delete;
  ZstdStream& operator=(const ZstdStream&) = delete;
  Result<std::size_t> read(char* out, std::size_t capacity) override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Reads `stream` to its end; more than `max_bytes` is a kTooLarge error.
Result<std::string> read_all(ByteStream& stream, std::size_t max_bytes);

// Decodes an HTTP body by its Content-Encoding ("gzip", "x-gzip", "deflate", "br", "identity",
// or a comma list applied in order). The output is capped at `max_bytes` (decompression bombs).
// With `truncated`, a cut-off gzip/deflate body gives what it holds and sets *truncated.
Result<std::string> decode_content_encoding(std::string body, std::string_view encoding,
                                            std::size_t max_bytes, bool* truncated = nullptr);

// One-shot gzip (possibly multi-member) of bytes in memory, capped at `max_bytes`.
Result<std::string> gunzip(std::string_view bytes, std::size_t max_bytes);

}  // namespace storyline::ingest
