// WARC 1.0/1.1 (and 0.18) record reader, streaming: memory is bounded by the largest record
// kept, not by the file. A malformed record is an issue with its byte offset; the reader
// resynchronises on the next line starting "WARC/" and keeps every good record. SHA-1 block
// and payload digests (base32, base16 or base64) are checked on the fly, kept blocks or not;
// a mismatch is a warning.
// Internal to src/ingest (used by Reader and by the ingest_dump test tool).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "ingest/decompress.h"

namespace storyline::ingest {

struct WarcRecord {
  std::string version;         // "WARC/1.0"
  std::string type;            // WARC-Type, lowercase ("response", "request", ...)
  std::string target_uri;      // WARC-Target-URI, angle brackets stripped
  std::string date;            // WARC-Date as written
  std::string record_id;       // WARC-Record-ID
  std::string block_digest;    // WARC-Block-Digest as written ("sha1:BASE32")
  std::string payload_digest;  // WARC-Payload-Digest as written
  std::string content_type;    // Content-Type of the block ("application/http; msgtype=response")
  std::uint64_t content_length = 0;
  // Offset of the record's first byte: in the compressed file when the record starts its own
  // gzip member, else in the decoded stream (plain files: the same thing).
  std::uint64_t offset = 0;
  std::uint64_t decoded_offset = 0;
  std::string block;           // the record block, unless skipped
  bool block_skipped = false;  // larger than the limit, or not wanted: not kept
};

struct WarcIssue {
  std::uint64_t offset = 0;
  std::string kind;  // "warc-malformed", "warc-truncated", "warc-gzip", "warc-too-large",
                     // "warc-stream", "warc-digest"
  std::string message;
  bool warning = false;  // read anyway (whole-file gzip, short Content-Length)
};

class WarcReader {
 public:
  // `gzip` (may be null) is the decoder under `stream`, used to name records by member offset.
  // Blocks longer than `max_block_bytes` are skipped with an issue; `keep_block(type)` decides
  // which record types' blocks are kept at all (others are skipped without reading them in).
  WarcReader(ByteStream& stream, GzipStream* gzip, std::size_t max_block_bytes);

  // Reads the next record into `record`; false at the end of the input. Problems found on the
  // way are appended to `issues`.
  bool next(WarcRecord& record, std::vector<WarcIssue>& issues);

  // Only blocks of these record types are kept (default: all).
  void keep_blocks_of(std::vector<std::string> types) { keep_types_ = std::move(types); }

 private:
  bool fill(std::size_t want);  // at least `want` bytes buffered unless the input ends
  void consume(std::size_t n);
  // A line (without CR LF) at the buffer front; false at the end or if longer than the limit
  // (then `overlong` is set and the line is dropped).
  bool read_line(std::string_view& line, bool& overlong);
  void resync(bool at_line_start);
  void stream_failed(std::string message, std::uint64_t decoded);
  class DigestCheck;
  void note_gzip_layout(std::uint64_t decoded, std::vector<WarcIssue>& issues);
  std::uint64_t record_offset(std::uint64_t decoded);

  ByteStream& stream_;
  GzipStream* gzip_;
  std::size_t max_block_bytes_;
  std::vector<std::string> keep_types_;
  std::string buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::uint64_t position_ = 0;  // decoded offset of buffer_[begin_]
  bool eof_ = false;            // the input ended, or a stream error stopped it for now (below)
  bool warned_layout_ = false;
  bool stopped_at_error_ = false;  // eof_ is a stream error: reading goes on after it
  bool failed_ = false;            // the stream keeps failing: stop
  std::size_t stream_errors_ = 0;
  WarcIssue stream_issue_;
};

// An HTTP response message as stored in a WARC response record.
struct HttpResponse {
  int status = 0;
  std::string content_type;      // lowercase media type without parameters
  std::string charset;           // from Content-Type, lowercase; may be empty
  std::string content_encoding;  // as given
  std::string transfer_encoding;
  std::string body;  // de-chunked and content-decoded
  std::vector<std::string> warnings;
};

// Parses `block` (status line, headers, body); decodes chunked transfer and Content-Encoding
// (bodies capped at `max_body_bytes`).
Result<HttpResponse> parse_http_response(std::string block, std::size_t max_body_bytes);

// Decodes an HTTP/1.1 chunked body; false when it is not well-formed chunked data.
bool dechunk(std::string_view body, std::string& out);

// "sha1:" + the SHA-1 of `bytes` in base32, as WARC-Block-Digest / WARC-Payload-Digest are
// written (for writers, tests and benchmarks).
std::string warc_sha1_digest(std::string_view bytes);

}  // namespace storyline::ingest
