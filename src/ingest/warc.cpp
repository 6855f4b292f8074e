// WARC record reader over a ByteStream. One buffer holds headers and small reads; a record
// block is read straight into its own string (or skipped), so memory is the largest kept
// block plus the buffer.
#include "ingest/warc.h"

#include <nettle/sha1.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "common/text_util.h"

namespace storyline::ingest {
namespace {

constexpr std::size_t kBufferBytes = 256 * 1024;
constexpr std::size_t kMaxLine = 64 * 1024;    // a longer header line is malformed
constexpr std::size_t kMaxHeaderLines = 1024;  // per record
constexpr std::size_t kMaxHttpHeaderBytes = 256 * 1024;
constexpr std::string_view kWarcPrefix = "WARC/";
constexpr std::size_t kMaxStreamErrors = 64;  // from a source other than gzip

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool equals_ci(std::string_view a, std::string_view b) {
  return a.size() == b.size() && starts_with_ci(a, ascii_lower(b));
}

bool parse_u64(std::string_view text, std::uint64_t& value) {
  text = trim(text);
  if (text.empty()) return false;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// "<http://x/>" -> "http://x/"; spaces inside a target are percent-encoded (wget and others
// write them raw).
std::string clean_target_uri(std::string_view uri) {
  uri = trim(uri);
  if (uri.size() >= 2 && uri.front() == '<' && uri.back() == '>')
    uri = trim(uri.substr(1, uri.size() - 2));
  std::string out;
  out.reserve(uri.size());
  for (const char c : uri) {
    if (c == ' ')
      out += "%20";
    else
      out += c;
  }
  return out;
}

// "sha1:<digest>" in base32 (the WARC convention), base16 or base64 (plain or URL-safe) ->
// the 20 bytes; empty for another algorithm; "?" when it is SHA-1 but not readable (a
// digest that cannot match).
std::string sha1_from_header(std::string_view value) {
  value = trim(value);
  if (!starts_with_ci(value, "sha1:")) return {};
  const std::string_view text = trim(value.substr(5));
  std::string out;
  auto decode = [&](std::string_view alphabet, int bits_per_char, bool fold_case) {
    out.clear();
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
      if (c == '=') break;
      if (bits_per_char == 6 && c == '-') c = '+';
      if (bits_per_char == 6 && c == '_') c = '/';
      if (fold_case && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      const std::size_t index = alphabet.find(c);
      if (index == std::string_view::npos) return false;
      buffer = (buffer << bits_per_char) | static_cast<unsigned>(index);
      bits += bits_per_char;
      if (bits >= 8) {
        bits -= 8;
        out += static_cast<char>((buffer >> bits) & 0xFF);
      }
      buffer &= (1u << bits) - 1;
    }
    return out.size() == SHA1_DIGEST_SIZE;
  };
  if (text.size() == 32 && decode("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 5, true)) return out;
  if (text.size() == 40 && decode("0123456789ABCDEF", 4, true)) return out;
  if (decode("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 6, false))
    return out;
  return "?";
}

}  // namespace

// Hashes a record block as it goes by (in pieces) and, for HTTP messages, the payload after
// the header block.
class WarcReader::DigestCheck {
 public:
  explicit DigestCheck(const WarcRecord& record)
      : block_expected_(sha1_from_header(record.block_digest)),
        // A revisit's payload digest names the earlier capture's payload, not this block's.
        payload_expected_(record.type == "revisit" ? std::string()
                                                   : sha1_from_header(record.payload_digest)) {
    http_ = starts_with_ci(trim(record.content_type), "application/http");
    if (!block_expected_.empty()) sha1_init(&block_);
    if (!payload_expected_.empty()) sha1_init(&payload_);
    in_payload_ = !http_;
  }
  bool active() const { return !block_expected_.empty() || !payload_expected_.empty(); }

  void update(std::string_view bytes) {
    if (!block_expected_.empty())
      sha1_update(&block_, bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()));
    if (payload_expected_.empty()) return;
    if (!in_payload_) {
      // The HTTP header block ends at the first empty line.
      const std::size_t old = head_.size();
      const std::size_t take = std::min(bytes.size(), kMaxHttpHeaderBytes + 4 - old);
      head_.append(bytes.substr(0, take));
      std::size_t end = std::string::npos;
      const std::size_t from = old >= 3 ? old - 3 : 0;
      if (const std::size_t crlf = head_.find("\n\r\n", from); crlf != std::string::npos)
        end = crlf + 3;
      if (const std::size_t lf = head_.find("\n\n", from); lf != std::string::npos)
        end = std::min(end, lf + 2);
      if (end == std::string::npos) {
        if (head_.size() > kMaxHttpHeaderBytes) payload_expected_.clear();  // give up
        return;
      }
      in_payload_ = true;
      const std::size_t consumed_here = end - old;  // bytes of `bytes` in the header
      std::string().swap(head_);
      bytes.remove_prefix(std::min(consumed_here, bytes.size()));
    }
    sha1_update(&payload_, bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()));
  }

  void finish(std::uint64_t offset, std::vector<WarcIssue>& issues) {
    std::uint8_t digest[SHA1_DIGEST_SIZE];
    if (!block_expected_.empty()) {
      sha1_digest(&block_, SHA1_DIGEST_SIZE, digest);
      if (block_expected_ != std::string_view(reinterpret_cast<char*>(digest), sizeof digest))
        issues.push_back({offset, "warc-digest", "block digest failed (WARC-Block-Digest)",
                          /*warning=*/true});
    }
    if (!payload_expected_.empty()) {
      if (!in_payload_) sha1_init(&payload_);  // headers never ended: an empty payload
      sha1_digest(&payload_, SHA1_DIGEST_SIZE, digest);
      if (payload_expected_ != std::string_view(reinterpret_cast<char*>(digest), sizeof digest))
        issues.push_back({offset, "warc-digest", "payload digest failed (WARC-Payload-Digest)",
                          /*warning=*/true});
    }
  }

 private:
  std::string block_expected_;
  std::string payload_expected_;
  sha1_ctx block_{};
  sha1_ctx payload_{};
  bool http_ = false;
  bool in_payload_ = false;
  std::string head_;  // the HTTP header block so far
};

WarcReader::WarcReader(ByteStream& stream, GzipStream* gzip, std::size_t max_block_bytes)
    : stream_(stream), gzip_(gzip), max_block_bytes_(max_block_bytes) {
  buffer_.resize(kBufferBytes);
}

bool WarcReader::fill(std::size_t want) {
  while (end_ - begin_ < want && !eof_) {
    if (begin_ > 0 && (end_ == begin_ || buffer_.size() - end_ < kBufferBytes / 4)) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);  // want > buffer: grow
    auto got = stream_.read(buffer_.data() + end_, buffer_.size() - end_);
    if (!got) {
      stream_failed(got.error().message, position_ + (end_ - begin_));
      break;
    }
    if (*got == 0) eof_ = true;
    end_ += *got;
  }
  return end_ - begin_ >= want;
}

void WarcReader::stream_failed(std::string message, std::uint64_t decoded) {
  // The bytes before the damage are read as if the input ended there; once they are used
  // up, next() reports the error and goes on with what the stream gives after it.
  eof_ = true;
  stopped_at_error_ = true;
  std::uint64_t offset = decoded;
  if (gzip_) {
    offset = gzip_->error_offset();
  } else if (++stream_errors_ > kMaxStreamErrors) {
    failed_ = true;  // a source that keeps failing (I/O): stop
  }
  stream_issue_ = WarcIssue{offset, "warc-stream", std::move(message), false};
}

void WarcReader::consume(std::size_t n) {
  begin_ += n;
  position_ += n;
}

bool WarcReader::read_line(std::string_view& line, bool& overlong) {
  overlong = false;
  std::size_t scanned = 0;
  for (;;) {
    const char* start = buffer_.data() + begin_;
    const void* nl = std::memchr(start + scanned, '\n', end_ - begin_ - scanned);
    if (nl) {
      const std::size_t length = static_cast<const char*>(nl) - start;
      line = std::string_view(start, length);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      consume(length + 1);
      return true;
    }
    scanned = end_ - begin_;
    if (scanned >= kMaxLine) {
      overlong = true;
      consume(scanned);  // drop the run; the caller resyncs
      return false;
    }
    if (!fill(scanned + 1)) {
      if (scanned == 0) return false;
      line = std::string_view(start = buffer_.data() + begin_, scanned);
      consume(scanned);
      return true;
    }
  }
}

void WarcReader::note_gzip_layout(std::uint64_t decoded, std::vector<WarcIssue>& issues) {
  if (!gzip_ || warned_layout_) return;
  if (gzip_->member_at(decoded) >= 0) return;
  warned_layout_ = true;
  issues.push_back({decoded, "warc-gzip",
                    "gzip members do not match WARC records (whole-file gzip?): read anyway; "
                    "offsets from here on are in the decompressed stream",
                    /*warning=*/true});
}

std::uint64_t WarcReader::record_offset(std::uint64_t decoded) {
  if (!gzip_) return decoded;
  const std::int64_t member = gzip_->member_at(decoded);
  return member >= 0 ? static_cast<std::uint64_t>(member) : decoded;
}

// Skips to the next line starting "WARC/" (that line is left in the buffer).
void WarcReader::resync(bool at_line_start) {
  constexpr std::size_t kKeep = kWarcPrefix.size();  // a tail that may start "\nWARC/"
  for (;;) {
    fill(kKeep + 1);
    const std::string_view window(buffer_.data() + begin_, end_ - begin_);
    if (at_line_start && window.starts_with(kWarcPrefix)) return;
    const std::size_t found = window.find("\nWARC/");
    if (found != std::string_view::npos) {
      consume(found + 1);
      return;
    }
    if (eof_) {
      consume(window.size());
      return;
    }
    at_line_start = false;
    if (window.size() > kKeep) consume(window.size() - kKeep);
    fill(end_ - begin_ + 1);
  }
}

bool WarcReader::next(WarcRecord& record, std::vector<WarcIssue>& issues) {
  for (;;) {
    // Blank lines between records (the CRLF CRLF after a block is consumed already).
    while (fill(1) && (buffer_[begin_] == '\r' || buffer_[begin_] == '\n')) consume(1);
    if (end_ == begin_) {
      if (!stopped_at_error_) return false;
      // The bytes before a damaged spot are used up: report it and read on after it.
      issues.push_back(std::move(stream_issue_));
      stopped_at_error_ = false;
      eof_ = false;
      if (failed_) return false;
      continue;
    }
    if (gzip_) {
      for (GzipStream::Note& note : gzip_->take_warnings())
        issues.push_back({note.offset, "warc-gzip", std::move(note.message), /*warning=*/true});
    }

    const std::uint64_t start = position_;
    std::string_view line;
    bool overlong = false;
    if (!read_line(line, overlong) || !line.starts_with(kWarcPrefix)) {
      const std::string shown(line.substr(0, std::min<std::size_t>(line.size(), 40)));
      issues.push_back({record_offset(start), "warc-malformed",
                        overlong ? "no WARC header (overlong line)"
                                 : "no WARC header here (\"" + sanitize_utf8(shown) + "\")",
                        false});
      resync(/*at_line_start=*/!overlong);
      continue;
    }
    record = WarcRecord{};
    record.version = std::string(trim(line));
    record.decoded_offset = start;
    note_gzip_layout(start, issues);
    record.offset = record_offset(start);

    bool have_length = false;
    bool bad_header = false;
    std::size_t lines = 0;
    std::string last_name;
    for (;;) {
      // A new record where a header line should be: this one was cut off.
      if (fill(kWarcPrefix.size()) &&
          std::string_view(buffer_.data() + begin_, kWarcPrefix.size()) == kWarcPrefix) {
        bad_header = true;
        break;
      }
      if (!read_line(line, overlong)) {
        bad_header = true;
        break;
      }
      if (line.empty()) break;
      if (++lines > kMaxHeaderLines) {
        bad_header = true;
        break;
      }
      if ((line.front() == ' ' || line.front() == '\t') && !last_name.empty()) continue;
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;  // tolerated, like warcio
      const std::string_view name = trim(line.substr(0, colon));
      const std::string_view value = trim(line.substr(colon + 1));
      last_name = std::string(name);
      if (equals_ci(name, "WARC-Type")) {
        record.type = ascii_lower(value);
      } else if (equals_ci(name, "WARC-Target-URI")) {
        record.target_uri = clean_target_uri(value);
      } else if (equals_ci(name, "WARC-Date")) {
        record.date = std::string(value);
      } else if (equals_ci(name, "WARC-Record-ID")) {
        record.record_id = std::string(value);
      } else if (equals_ci(name, "WARC-Block-Digest")) {
        record.block_digest = std::string(value);
      } else if (equals_ci(name, "WARC-Payload-Digest")) {
        record.payload_digest = std::string(value);
      } else if (equals_ci(name, "Content-Type")) {
        record.content_type = std::string(value);
      } else if (equals_ci(name, "Content-Length")) {
        have_length = parse_u64(value, record.content_length);
      }
    }
    if (bad_header || !have_length) {
      issues.push_back({record.offset, bad_header ? "warc-truncated" : "warc-malformed",
                        bad_header ? "record header cut off or overlong"
                                   : "record without a valid Content-Length",
                        false});
      if (bad_header && end_ == begin_ && eof_ && !stopped_at_error_) return false;
      resync(/*at_line_start=*/!overlong);
      continue;
    }

    // The block.
    const bool wanted = keep_types_.empty() || std::find(keep_types_.begin(), keep_types_.end(),
                                                         record.type) != keep_types_.end();
    std::uint64_t left = record.content_length;
    DigestCheck digest(record);
    const bool check_digest = digest.active();
    if (wanted && left <= max_block_bytes_) {
      record.block.resize(static_cast<std::size_t>(left));
      std::size_t have = 0;
      const std::size_t buffered = std::min<std::size_t>(end_ - begin_, left);
      std::memcpy(record.block.data(), buffer_.data() + begin_, buffered);
      consume(buffered);
      have = buffered;
      while (have < record.block.size()) {
        if (eof_) break;
        auto got = stream_.read(record.block.data() + have, record.block.size() - have);
        if (!got) {
          stream_failed(got.error().message, position_);
          break;
        }
        if (*got == 0) {
          eof_ = true;
          break;
        }
        have += *got;
        position_ += *got;
      }
      left -= have;
      record.block.resize(have);
      if (check_digest) digest.update(record.block);
    } else {
      record.block_skipped = true;
      if (wanted) {
        issues.push_back(
            {record.offset, "warc-too-large",
             "record block of " + std::to_string(left) + " bytes exceeds the limit; skipped",
             false});
      }
      while (left > 0 && fill(1)) {
        const std::size_t n = std::min<std::uint64_t>(left, end_ - begin_);
        if (check_digest) digest.update(std::string_view(buffer_.data() + begin_, n));
        consume(n);
        left -= n;
      }
    }
    if (check_digest) digest.finish(record.offset, issues);
    if (left > 0) {
      issues.push_back({record.offset, "warc-truncated",
                        std::string(stopped_at_error_ ? "damaged input" : "input ends") +
                            " inside the record block (" + std::to_string(left) + " of " +
                            std::to_string(record.content_length) + " bytes missing)",
                        false});
      // A partial block is still handed out: the good part of a cut-off page may be useful,
      // and the record list stays complete.
      return true;
    }

    // CR LF CR LF must follow. Extra line ends are tolerated (some writers add them); other
    // bytes right after the block mean the Content-Length was wrong: resync on the next
    // header.
    constexpr std::size_t kMaxTrailingBlanks = 16;
    fill(kMaxTrailingBlanks + kWarcPrefix.size());
    const std::string_view after(buffer_.data() + begin_, end_ - begin_);
    std::size_t blanks = 0;
    while (blanks < after.size() && blanks < kMaxTrailingBlanks &&
           (after[blanks] == '\r' || after[blanks] == '\n'))
      ++blanks;
    const std::string_view rest = after.substr(blanks);
    const std::string_view ending = after.substr(0, blanks);
    // Properly ended: what follows is not this record's fault; next() names its offset.
    const bool terminated = ending.find("\n\r\n") != std::string_view::npos ||
                            ending.find("\n\n") != std::string_view::npos;
    if (!rest.empty() && !rest.starts_with(kWarcPrefix) && !terminated) {
      issues.push_back({record.offset, "warc-malformed",
                        "record block not followed by CRLF CRLF (wrong Content-Length?); "
                        "resynchronised on the next record",
                        false});
      consume(blanks);
      resync(/*at_line_start=*/false);
      return true;
    }
    consume(blanks);
    return true;
  }
}

std::string warc_sha1_digest(std::string_view bytes) {
  sha1_ctx ctx;
  sha1_init(&ctx);
  sha1_update(&ctx, bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()));
  std::uint8_t digest[SHA1_DIGEST_SIZE];
  sha1_digest(&ctx, sizeof digest, digest);
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out = "sha1:";
  unsigned buffer = 0;
  int bits = 0;
  for (const std::uint8_t byte : digest) {  // 160 bits: 32 characters, no padding
    buffer = ((buffer << 8) | byte) & 0xFFFFu;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kAlphabet[(buffer >> bits) & 31];
    }
  }
  return out;
}

bool dechunk(std::string_view body, std::string& out) {
  out.clear();
  std::size_t at = 0;
  for (;;) {
    const std::size_t eol = body.find('\n', at);
    if (eol == std::string_view::npos) return false;
    std::string_view size_line = body.substr(at, eol - at);
    if (const std::size_t semi = size_line.find(';'); semi != std::string_view::npos)
      size_line = size_line.substr(0, semi);
    size_line = trim(size_line);
    std::uint64_t size = 0;
    const auto [ptr, ec] =
        std::from_chars(size_line.data(), size_line.data() + size_line.size(), size, 16);
    if (size_line.empty() || ec != std::errc() || ptr != size_line.data() + size_line.size())
      return false;
    at = eol + 1;
    if (size == 0) return true;  // trailers ignored
    if (size > body.size() - at) {
      out.append(body.substr(at));  // cut off: keep what there is
      return true;
    }
    out.append(body.substr(at, size));
    at += size;
    if (at < body.size() && body[at] == '\r') ++at;
    if (at < body.size() && body[at] == '\n') ++at;
    if (at >= body.size()) return true;
  }
}

Result<HttpResponse> parse_http_response(std::string block, std::size_t max_body_bytes) {
  HttpResponse response;
  std::string_view view(block);
  const std::size_t status_end = view.find('\n');
  if (!starts_with_ci(view, "http/") || status_end == std::string_view::npos)
    return make_error(ErrorCode::kInvalidInput, "no HTTP status line");
  {
    std::string_view status_line = trim(view.substr(0, status_end));
    const std::size_t space = status_line.find(' ');
    if (space == std::string_view::npos)
      return make_error(ErrorCode::kInvalidInput, "bad HTTP status line");
    const std::string_view code = trim(status_line.substr(space + 1)).substr(0, 3);
    const auto [ptr, ec] = std::from_chars(code.data(), code.data() + code.size(), response.status);
    if (ec != std::errc()) return make_error(ErrorCode::kInvalidInput, "bad HTTP status code");
  }
  std::size_t at = status_end + 1;
  std::size_t body_start = std::string_view::npos;
  while (at < view.size() && at < kMaxHttpHeaderBytes) {
    std::size_t eol = view.find('\n', at);
    if (eol == std::string_view::npos) eol = view.size();
    std::string_view line = view.substr(at, eol - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    at = eol + 1;
    if (line.empty()) {
      body_start = std::min(at, view.size());
      break;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (equals_ci(name, "Content-Type")) {
      const std::size_t semi = value.find(';');
      response.content_type = ascii_lower(trim(value.substr(0, semi)));
      if (semi != std::string_view::npos) {
        const std::string params = ascii_lower(value.substr(semi + 1));
        if (const std::size_t cs = params.find("charset="); cs != std::string::npos) {
          std::string_view charset = std::string_view(params).substr(cs + 8);
          charset = charset.substr(0, charset.find(';'));
          charset = trim(charset);
          if (charset.size() >= 2 && (charset.front() == '"' || charset.front() == '\''))
            charset = charset.substr(1, charset.size() - 2);
          response.charset = std::string(charset);
        }
      }
    } else if (equals_ci(name, "Content-Encoding")) {
      response.content_encoding = std::string(value);
    } else if (equals_ci(name, "Transfer-Encoding")) {
      response.transfer_encoding = ascii_lower(value);
    }
  }
  if (body_start == std::string_view::npos) {
    response.warnings.push_back("HTTP headers not terminated; no body");
    return response;
  }
  block.erase(0, body_start);
  if (response.transfer_encoding.find("chunked") != std::string::npos) {
    std::string plain;
    if (dechunk(block, plain)) {
      block = std::move(plain);
    } else {
      response.warnings.push_back("body marked chunked is not; kept as is");
    }
  }
  if (!response.content_encoding.empty()) {
    bool truncated = false;
    auto decoded =
        decode_content_encoding(block, response.content_encoding, max_body_bytes, &truncated);
    if (truncated) response.warnings.push_back("compressed body is cut off; kept what it holds");
    if (!decoded) {
      return make_error(ErrorCode::kInvalidInput, "Content-Encoding " + response.content_encoding +
                                                      ": " + decoded.error().message);
    }
    block = std::move(*decoded);
  }
  response.body = std::move(block);
  return response;
}

}  // namespace storyline::ingest
