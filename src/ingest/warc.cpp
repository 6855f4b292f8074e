// WARC record reader over a ByteStream. One buffer holds headers and small reads; a record
// block is read straight into its own string (or skipped), so memory is the largest kept
// block plus the buffer.
#include "ingest/warc.h"

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

}  // namespace

WarcReader::WarcReader(ByteStream& stream, GzipStream* gzip, std::size_t max_block_bytes)
    : stream_(stream), gzip_(gzip), max_block_bytes_(max_block_bytes) {
  buffer_.resize(kBufferBytes);
}

bool WarcReader::fill(std::size_t want) {
  while (end_ - begin_ < want && !eof_ && !failed_) {
    if (begin_ > 0 && (end_ == begin_ || buffer_.size() - end_ < kBufferBytes / 4)) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);  // want > buffer: grow
    auto got = stream_.read(buffer_.data() + end_, buffer_.size() - end_);
    if (!got) {
      failed_ = true;
      last_error_ = got.error().message;
      break;
    }
    if (*got == 0) eof_ = true;
    end_ += *got;
  }
  return end_ - begin_ >= want;
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
    if (eof_ || failed_) {
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
    if (failed_) return false;
    // Blank lines between records (the CRLF CRLF after a block is consumed already).
    while (fill(1) && (buffer_[begin_] == '\r' || buffer_[begin_] == '\n')) consume(1);
    if (failed_) {
      issues.push_back({position_, "warc-stream", last_error_, false});
      return false;
    }
    if (end_ == begin_) return false;

    const std::uint64_t start = position_;
    std::string_view line;
    bool overlong = false;
    if (!read_line(line, overlong) || !line.starts_with(kWarcPrefix)) {
      const std::string shown(line.substr(0, std::min<std::size_t>(line.size(), 40)));
      issues.push_back({start, "warc-malformed",
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
      } else if (equals_ci(name, "Content-Type")) {
        record.content_type = std::string(value);
      } else if (equals_ci(name, "Content-Length")) {
        have_length = parse_u64(value, record.content_length);
      }
    }
    if (bad_header || !have_length) {
      issues.push_back({start, bad_header ? "warc-truncated" : "warc-malformed",
                        bad_header ? "record header cut off or overlong"
                                   : "record without a valid Content-Length",
                        false});
      if (bad_header && end_ == begin_ && eof_) return false;
      resync(/*at_line_start=*/!overlong);
      continue;
    }

    // The block.
    const bool wanted = keep_types_.empty() || std::find(keep_types_.begin(), keep_types_.end(),
                                                         record.type) != keep_types_.end();
    std::uint64_t left = record.content_length;
    if (wanted && left <= max_block_bytes_) {
      record.block.resize(static_cast<std::size_t>(left));
      std::size_t have = 0;
      const std::size_t buffered = std::min<std::size_t>(end_ - begin_, left);
      std::memcpy(record.block.data(), buffer_.data() + begin_, buffered);
      consume(buffered);
      have = buffered;
      while (have < record.block.size()) {
        auto got = stream_.read(record.block.data() + have, record.block.size() - have);
        if (!got) {
          failed_ = true;
          last_error_ = got.error().message;
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
    } else {
      record.block_skipped = true;
      if (wanted) {
        issues.push_back(
            {start, "warc-too-large",
             "record block of " + std::to_string(left) + " bytes exceeds the limit; skipped",
             false});
      }
      while (left > 0 && fill(1)) {
        const std::size_t n = std::min<std::uint64_t>(left, end_ - begin_);
        consume(n);
        left -= n;
      }
    }
    if (left > 0) {
      issues.push_back({start, failed_ ? "warc-stream" : "warc-truncated",
                        failed_ ? last_error_
                                : "input ends inside the record block (" + std::to_string(left) +
                                      " of " + std::to_string(record.content_length) +
                                      " bytes missing)",
                        false});
      // A partial block is still handed out: the good part of a cut-off page may be useful,
      // and the record list stays complete.
      return true;
    }

    // CR LF CR LF must follow. Extra line ends are tolerated (some writers add them); other
    // bytes mean the Content-Length was wrong: resync on the next header.
    constexpr std::size_t kMaxTrailingBlanks = 16;
    fill(kMaxTrailingBlanks + kWarcPrefix.size());
    const std::string_view after(buffer_.data() + begin_, end_ - begin_);
    std::size_t blanks = 0;
    while (blanks < after.size() && blanks < kMaxTrailingBlanks &&
           (after[blanks] == '\r' || after[blanks] == '\n'))
      ++blanks;
    const std::string_view rest = after.substr(blanks);
    if (!rest.empty() && !rest.starts_with(kWarcPrefix)) {
      issues.push_back({start, "warc-malformed",
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
