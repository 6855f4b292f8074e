// Streaming decompression for ingest. Every decoder writes straight into the caller's buffer
// (no per-chunk allocation) and every one-shot decoder is capped, so a small bomb cannot
// exhaust memory.
#include "ingest/decompress.h"

#include <brotli/decode.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>

#include "common/text_util.h"

namespace storyline::ingest {
namespace {

constexpr std::size_t kInputChunk = 256 * 1024;  // compressed bytes read at a time
constexpr std::size_t kKeptMembers = 1 << 16;    // member starts remembered by GzipStream
constexpr std::size_t kOneShotChunk = 64 * 1024;

struct MagicEntry {
  std::string_view prefix;
  Compression compression;
};
constexpr std::array<MagicEntry, 6> kMagic = {{
    {"\x1f\x8b", Compression::kGzip},
    {"\x28\xb5\x2f\xfd", Compression::kZstd},
    {"\xfd\x37zXZ\x00", Compression::kXz},
    {"PK\x03\x04", Compression::kZip},
    {"BZh", Compression::kBzip2},
    {"\x1f\x9d", Compression::kGzip},  // never matched: compress(1) is refused as gzip fails
}};

Error stream_error(std::string message) {
  return make_error(ErrorCode::kInvalidInput, std::move(message));
}

Error too_large(std::size_t max_bytes) {
  return make_error(ErrorCode::kTooLarge,
                    "decoded input exceeds the limit (" + std::to_string(max_bytes) + " bytes)");
}

// inflate() over a whole buffer with the given windowBits, capped; members concatenated
// when `multi_member`.
Result<std::string> inflate_all(std::string_view bytes, int window_bits, std::size_t max_bytes,
                                bool multi_member, bool* truncated = nullptr) {
  z_stream z{};
  if (inflateInit2(&z, window_bits) != Z_OK) return stream_error("zlib init failed");
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(std::min<std::size_t>(bytes.size(), UINT32_MAX));
  std::size_t remaining = bytes.size() - z.avail_in;
  int status = Z_OK;
  for (;;) {
    if (out.size() > max_bytes) {
      inflateEnd(&z);
      return too_large(max_bytes);
    }
    const std::size_t old = out.size();
    out.resize(old + kOneShotChunk);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + old);
    z.avail_out = kOneShotChunk;
    status = inflate(&z, Z_NO_FLUSH);
    out.resize(old + kOneShotChunk - z.avail_out);
    if (z.avail_in == 0 && remaining > 0) {
      const std::size_t take = std::min<std::size_t>(remaining, UINT32_MAX);
      z.next_in =
          reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data() + bytes.size() - remaining));
      z.avail_in = static_cast<uInt>(take);
      remaining -= take;
    }
    if (status == Z_STREAM_END) {
      if (!multi_member || (z.avail_in == 0 && remaining == 0)) break;
      if (z.avail_in < 2 || z.next_in[0] != 0x1f || z.next_in[1] != 0x8b) break;  // padding
      inflateReset(&z);
      continue;
    }
    if (status == Z_BUF_ERROR) {
      if (z.avail_in > 0 || remaining > 0) continue;
      inflateEnd(&z);
      // A cut-off body (a short record) still gives what it holds when the caller wants it.
      if (truncated && !out.empty()) {
        *truncated = true;
        return out;
      }
      return stream_error("compressed data is truncated");
    }
    if (status != Z_OK) {
      const std::string message = z.msg ? z.msg : "corrupt compressed data";
      inflateEnd(&z);
      return stream_error("cannot decompress: " + message);
    }
  }
  inflateEnd(&z);
  if (out.size() > max_bytes) return too_large(max_bytes);
  return out;
}

Result<std::string> brotli_all(std::string_view bytes, std::size_t max_bytes) {
  BrotliDecoderState* state = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
  if (!state) return stream_error("brotli init failed");
  std::string out;
  std::size_t avail_in = bytes.size();
  const auto* next_in = reinterpret_cast<const uint8_t*>(bytes.data());
  BrotliDecoderResult result = BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT;
  while (result == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) {
    if (out.size() > max_bytes) break;
    const std::size_t old = out.size();
    out.resize(old + kOneShotChunk);
    std::size_t avail_out = kOneShotChunk;
    auto* next_out = reinterpret_cast<uint8_t*>(out.data() + old);
    result =
        BrotliDecoderDecompressStream(state, &avail_in, &next_in, &avail_out, &next_out, nullptr);
    out.resize(old + kOneShotChunk - avail_out);
  }
  BrotliDecoderDestroyInstance(state);
  if (out.size() > max_bytes) return too_large(max_bytes);
  if (result == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT)
    return stream_error("brotli data is truncated");
  if (result != BROTLI_DECODER_RESULT_SUCCESS) return stream_error("cannot decompress brotli");
  return out;
}

}  // namespace

const char* compression_name(Compression compression) {
  switch (compression) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
    case Compression::kXz:
      return "xz";
    case Compression::kZip:
      return "zip";
    case Compression::kBzip2:
      return "bzip2";
  }
  return "unknown";
}

Compression detect_compression(std::string_view head) {
  for (const MagicEntry& magic : kMagic) {
    if (head.starts_with(magic.prefix)) {
      // "BZh" must be followed by a block size digit, or plain text starting "BZh" is bzip2.
      if (magic.compression == Compression::kBzip2 &&
          (head.size() < 4 || head[3] < '1' || head[3] > '9'))
        continue;
      return magic.compression;
    }
  }
  return Compression::kNone;
}

Result<std::size_t> FileStream::read(char* out, std::size_t capacity) {
  const std::size_t got = std::fread(out, 1, capacity, file_);
  if (got < capacity && std::ferror(file_)) {
    return make_error(ErrorCode::kIo, std::string("read failed: ") + std::strerror(errno));
  }
  return got;
}

Result<std::size_t> MemoryStream::read(char* out, std::size_t capacity) {
  const std::size_t n = std::min(capacity, bytes_.size());
  std::memcpy(out, bytes_.data(), n);
  bytes_.remove_prefix(n);
  return n;
}

Result<std::size_t> ChainStream::read(char* out, std::size_t capacity) {
  if (at_ < head_.size()) {
    const std::size_t n = std::min(capacity, head_.size() - at_);
    std::memcpy(out, head_.data() + at_, n);
    at_ += n;
    if (at_ == head_.size()) {
      std::string().swap(head_);  // the head is not needed twice
      at_ = 0;
    }
    return n;
  }
  if (after_head_) {
    Error error = std::move(*after_head_);
    after_head_.reset();
    return error;
  }
  return rest_->read(out, capacity);
}

struct GzipStream::State {
  enum class Mode {
    kMember,   // inside a gzip member
    kBetween,  // a member ended: a new magic, zero padding, other bytes or the end follow
    kRaw,      // plain bytes after a member: handed out as they are up to the next magic
    kSkip,     // after corrupt data: bytes dropped up to the next magic
  };
  // An error met after some bytes were decoded in the same read(): those bytes are returned
  // first and the error on the next call, so the records before a damaged spot are kept.
  std::optional<Error> pending;
  ByteStream* source = nullptr;
  z_stream z{};
  std::string in;             // compressed input buffer
  std::uint64_t read_in = 0;  // compressed bytes read from the source
  std::uint64_t decoded = 0;  // bytes handed out
  Mode mode = Mode::kMember;
  bool source_done = false;
  bool finished = false;   // the input ended
  bool truncated = false;  // the input ended inside a member: reported on the next read

  std::uint64_t consumed() const { return read_in - z.avail_in; }

  // Makes at least `want` unread input bytes available unless the source ends (moving the
  // unread bytes to the front of `in`). An error of the source is returned.
  Result<bool> ensure_input(std::size_t want) {
    while (z.avail_in < want && !source_done) {
      if (z.avail_in > 0 && reinterpret_cast<char*>(z.next_in) != in.data())
        std::memmove(in.data(), z.next_in, z.avail_in);
      z.next_in = reinterpret_cast<Bytef*>(in.data());
      auto got = source->read(in.data() + z.avail_in, in.size() - z.avail_in);
      if (!got) return got.error();
      if (*got == 0) {
        source_done = true;
      } else {
        read_in += *got;
        z.avail_in += static_cast<uInt>(*got);
      }
    }
    return z.avail_in >= want;
  }

  // Where the next gzip magic (1f 8b 08) starts in the unread input: avail_in when there is
  // none; a possible magic cut by the end of the buffer counts as found (its start).
  std::size_t next_magic() const {
    const char* data = reinterpret_cast<const char*>(z.next_in);
    const std::size_t size = z.avail_in;
    std::size_t at = 0;
    while (at < size) {
      const void* hit = std::memchr(data + at, 0x1f, size - at);
      if (!hit) return size;
      at = static_cast<const char*>(hit) - data;
      if (at + 1 >= size) return at;
      if (static_cast<unsigned char>(data[at + 1]) == 0x8b &&
          (at + 2 >= size || data[at + 2] == 0x08))
        return at;
      ++at;
    }
    return size;
  }
};

GzipStream::GzipStream(ByteStream* source) : state_(std::make_unique<State>()) {
  state_->source = source;
  state_->in.resize(kInputChunk);
  inflateInit2(&state_->z, 16 + MAX_WBITS);
  starts_.push_back({0, 0, false});
  members_ = 1;
}

GzipStream::~GzipStream() { inflateEnd(&state_->z); }

std::int64_t GzipStream::member_at(std::uint64_t decoded) {
  while (!starts_.empty()) {
    const MemberStart& front = starts_.front();
    if (front.decoded >= decoded) break;
    // Inside a run of plain bytes: offsets map one to one.
    if (front.plain && (starts_.size() == 1 || starts_[1].decoded > decoded)) break;
    starts_.pop_front();
  }
  if (starts_.empty()) return -1;
  const MemberStart& front = starts_.front();
  if (front.decoded == decoded) return static_cast<std::int64_t>(front.compressed);
  if (front.plain && front.decoded < decoded)
    return static_cast<std::int64_t>(front.compressed + (decoded - front.decoded));
  return -1;
}

std::vector<GzipStream::Note> GzipStream::take_warnings() {
  std::vector<Note> out;
  out.swap(warnings_);
  return out;
}

Result<std::size_t> GzipStream::read(char* out, std::size_t capacity) {
  using Mode = State::Mode;
  State& s = *state_;
  z_stream& z = s.z;
  if (s.pending) {
    Error error = std::move(*s.pending);
    s.pending.reset();
    return error;
  }
  if (s.truncated) {
    s.truncated = false;
    s.finished = true;
    return stream_error("gzip data is truncated at compressed offset " + std::to_string(s.read_in));
  }
  if (s.finished || capacity == 0) return std::size_t{0};
  z.next_out = reinterpret_cast<Bytef*>(out);
  z.avail_out = static_cast<uInt>(std::min<std::size_t>(capacity, UINT32_MAX));
  // An error after some output waits for the next call; with none, it is returned now.
  auto fail = [&](Error error) -> std::optional<Error> {
    if (capacity == z.avail_out) return error;
    s.pending = std::move(error);
    return std::nullopt;
  };
  auto start_member = [&] {
    inflateReset(&z);
    starts_.push_back({s.consumed(), s.decoded + (capacity - z.avail_out), false});
    if (starts_.size() > kKeptMembers) starts_.pop_front();
    ++members_;
    s.mode = Mode::kMember;
  };
  while (z.avail_out > 0 && !s.pending) {
    const std::size_t want = s.mode == Mode::kMember ? 1 : 3;
    auto have = s.ensure_input(want);
    if (!have) {
      if (auto error = fail(have.error())) return *error;
      break;
    }
    if (z.avail_in == 0 && s.source_done) {
      if (s.mode == Mode::kMember)
        s.truncated = true;
      else
        s.finished = true;
      break;
    }
    if (s.mode == Mode::kBetween) {
      // Between members: a new gzip magic, zero padding, or plain bytes.
      if (z.next_in[0] == 0) {
        ++z.next_in;
        --z.avail_in;
        continue;
      }
      if (s.next_magic() == 0) {
        start_member();
        continue;
      }
      warnings_.push_back({s.consumed(), "data after a gzip member at compressed offset " +
                                             std::to_string(s.consumed()) +
                                             " is not gzip: read as plain bytes"});
      starts_.push_back({s.consumed(), s.decoded + (capacity - z.avail_out), true});
      if (starts_.size() > kKeptMembers) starts_.pop_front();
      s.mode = Mode::kRaw;
    }
    if (s.mode == Mode::kRaw || s.mode == Mode::kSkip) {
      const std::size_t magic = s.next_magic();
      if (magic == 0) {
        if (z.avail_in < 3 && !s.source_done) continue;  // ensure_input(3) could not yet
        if (z.avail_in >= 3) {
          start_member();
          continue;
        }
      }
      // Up to the magic (or all of it when a cut-off magic ends the input).
      const std::size_t run = magic == 0 ? z.avail_in : magic;
      std::size_t take = run;
      if (s.mode == Mode::kRaw) {
        take = std::min<std::size_t>(run, z.avail_out);
        std::memcpy(z.next_out, z.next_in, take);
        z.next_out += take;
        z.avail_out -= static_cast<uInt>(take);
      }
      z.next_in += take;
      z.avail_in -= static_cast<uInt>(take);
      continue;
    }
    const int status = inflate(&z, Z_NO_FLUSH);
    if (status == Z_STREAM_END) {
      s.mode = Mode::kBetween;
      continue;
    }
    if (status == Z_BUF_ERROR) continue;  // needs more input: ensure_input above
    if (status != Z_OK) {
      Error error = stream_error(
          std::string("corrupt gzip data at compressed offset ") + std::to_string(s.consumed()) +
          ": " + (z.msg ? z.msg : "inflate failed") + "; skipped to the next gzip member");
      error_offset_ = s.consumed();
      s.mode = Mode::kSkip;
      if (auto now = fail(std::move(error))) return *now;
      break;
    }
  }
  const std::size_t produced = capacity - z.avail_out;
  s.decoded += produced;
  return produced;
}

struct ZstdStream::State {
  ByteStream* source = nullptr;
  ZSTD_DStream* stream = nullptr;
  std::string in;
  ZSTD_inBuffer input{nullptr, 0, 0};
  bool source_done = false;
  std::size_t last_hint = 1;  // 0 once a frame ended exactly
};

ZstdStream::ZstdStream(ByteStream* source) : state_(std::make_unique<State>()) {
  state_->source = source;
  state_->stream = ZSTD_createDStream();
  ZSTD_initDStream(state_->stream);
  state_->in.resize(ZSTD_DStreamInSize());
}

ZstdStream::~ZstdStream() { ZSTD_freeDStream(state_->stream); }

Result<std::size_t> ZstdStream::read(char* out, std::size_t capacity) {
  State& s = *state_;
  ZSTD_outBuffer output{out, capacity, 0};
  while (output.pos < output.size) {
    if (s.input.pos == s.input.size && !s.source_done) {
      auto got = s.source->read(s.in.data(), s.in.size());
      if (!got) return got.error();
      if (*got == 0) {
        s.source_done = true;
      } else {
        s.input = {s.in.data(), *got, 0};
      }
    }
    if (s.input.pos == s.input.size && s.source_done) {
      if (s.last_hint != 0 && output.pos == 0) {
        s.last_hint = 0;
        return stream_error("zstd data is truncated");
      }
      break;
    }
    const std::size_t hint = ZSTD_decompressStream(s.stream, &output, &s.input);
    if (ZSTD_isError(hint)) {
      s.source_done = true;
      s.input.pos = s.input.size;
      return stream_error(std::string("corrupt zstd data: ") + ZSTD_getErrorName(hint));
    }
    s.last_hint = hint;
  }
  return output.pos;
}

Result<std::string> read_all(ByteStream& stream, std::size_t max_bytes) {
  std::string bytes;
  constexpr std::size_t kChunk = 64 * 1024;
  // Read into a scratch chunk and append: growing the string by resize() would zero-fill
  // every chunk before it is overwritten.
  const auto chunk = std::make_unique_for_overwrite<char[]>(kChunk);
  for (;;) {
    if (bytes.size() > max_bytes) break;
    auto got = stream.read(chunk.get(), kChunk);
    if (!got) return got.error();
    if (*got == 0) break;
    bytes.append(chunk.get(), *got);
  }
  if (bytes.size() > max_bytes) {
    return make_error(ErrorCode::kTooLarge,
                      "input exceeds max_file_bytes (" + std::to_string(max_bytes) + " bytes)");
  }
  return bytes;
}

Result<std::string> gunzip(std::string_view bytes, std::size_t max_bytes) {
  return inflate_all(bytes, 16 + MAX_WBITS, max_bytes, /*multi_member=*/true);
}

Result<std::string> decode_content_encoding(std::string body, std::string_view encoding,
                                            std::size_t max_bytes, bool* truncated) {
  // "gzip, br": applied in that order, so undone from the last.
  std::vector<std::string> codings;
  std::size_t start = 0;
  while (start <= encoding.size()) {
    std::size_t end = encoding.find(',', start);
    if (end == std::string_view::npos) end = encoding.size();
    const std::string coding = ascii_lower(trim(encoding.substr(start, end - start)));
    if (!coding.empty()) codings.push_back(coding);
    start = end + 1;
  }
  for (auto it = codings.rbegin(); it != codings.rend(); ++it) {
    const std::string& coding = *it;
    Result<std::string> decoded = std::string();
    if (coding == "identity" || coding == "none" || coding == "utf-8" || coding == "utf8") {
      continue;  // the last two: a server mistake seen in crawls; the body is plain
    } else if (coding == "gzip" || coding == "x-gzip") {
      decoded = inflate_all(body, 32 + MAX_WBITS, max_bytes, true, truncated);  // gzip or zlib
    } else if (coding == "deflate") {
      // RFC 9110 says zlib-wrapped; many servers send raw deflate.
      decoded = inflate_all(body, MAX_WBITS, max_bytes, false, truncated);
      if (!decoded) decoded = inflate_all(body, -MAX_WBITS, max_bytes, false, truncated);
    } else if (coding == "br") {
      decoded = brotli_all(body, max_bytes);
    } else {
      return stream_error("unsupported Content-Encoding \"" + coding + "\"");
    }
    if (!decoded) return decoded.error();
    body = std::move(*decoded);
  }
  return body;
}

}  // namespace storyline::ingest
