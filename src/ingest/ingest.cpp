// Reader: files, directories and stdin into Pages. The format is sniffed from the bytes; the
// file name is only used for ids and origins.
#include "ingest/ingest.h"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>
#include <unordered_set>
#include <utility>

#include "common/text_util.h"

namespace storyline::ingest {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t kSniffBytes = 8192;      // how much of an input the format sniffer reads
constexpr std::size_t kReadChunk = 64 * 1024;  // read size for streams of unknown length
constexpr int kJsonSniffLines = 8;             // non-blank lines tried when sniffing JSON Lines
constexpr int kMaxJsonDepth = 1000;            // deeper JSONL lines are refused before parsing
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kStdinOrigin = "stdin";

// Openings that make an input HTML on their own (compared lowercase, after BOM and blanks).
constexpr std::array<std::string_view, 18> kHtmlOpeners = {
    "<!doctype", "<html",   "<head", "<body",  "<article", "<div",  "<p>", "<p ",  "<section",
    "<main",     "<header", "<meta", "<title", "<table",   "<span", "<h1", "<!--", "<script"};
// Without one of the openers, this many tags (one of them a closing tag) make an input HTML.
constexpr int kMinTagsForHtml = 3;

struct Magic {
  std::string_view prefix;
  std::string_view message;
};
// Signatures of inputs we recognise but cannot read yet; each gets its own clear message.
constexpr std::array<Magic, 6> kUnsupportedMagic = {{
    {"\x1f\x8b", "compressed input not supported yet (gzip)"},
    {"\x28\xb5\x2f\xfd", "compressed input not supported yet (zstd)"},
    {"\xfd\x37zXZ", "compressed input not supported yet (xz)"},
    {"PK\x03\x04", "compressed input not supported yet (zip)"},
    {"\xff\xfe", "UTF-16 input not supported yet; convert it to UTF-8"},
    {"\xfe\xff", "UTF-16 input not supported yet; convert it to UTF-8"},
}};

// JSON Lines field names, first match wins.
constexpr std::array<const char*, 3> kPublishedFields = {"published", "published_at", "date"};
constexpr std::array<const char*, 3> kSourceFields = {"source", "outlet", "site"};
constexpr std::array<const char*, 2> kTitleFields = {"title", "headline"};
constexpr std::array<const char*, 2> kUrlFields = {"url", "link"};
constexpr std::array<const char*, 2> kSniffedBodyFields = {"content", "body"};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view strip_bom(std::string_view bytes) {
  if (bytes.starts_with(kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
  return bytes;
}

std::string_view unsupported_magic(std::string_view bytes) {
  for (const Magic& magic : kUnsupportedMagic) {
    if (bytes.starts_with(magic.prefix)) return magic.message;
  }
  return {};
}

// Binary: several NUL bytes, or several C0 control bytes making up more than 5% of the sample.
// A lone stray NUL or control byte in a text or HTML page is not enough: extract drops it and
// keeps the page.
bool looks_binary(std::string_view sample) {
  std::size_t nul = 0;
  std::size_t control = 0;
  for (const char ch : sample) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte == 0) ++nul;
    if (byte < 0x20 && !is_blank(ch) && byte != 0x0b) ++control;
  }
  if (nul > 1 && nul * 200 > sample.size()) return true;
  return control > 1 && control * 20 > sample.size();
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Counts tag-shaped runs ("<p>", "</div>", "<a href=...") in the sample.
bool has_several_tags(std::string_view sample) {
  int tags = 0;
  int closing = 0;
  for (std::size_t at = sample.find('<'); at != std::string_view::npos;
       at = sample.find('<', at + 1)) {
    std::size_t name = at + 1;
    const bool is_closing = name < sample.size() && sample[name] == '/';
    if (is_closing) ++name;
    if (name >= sample.size() || !is_ascii_alpha(sample[name])) continue;
    std::size_t end = name;
    while (end < sample.size() &&
           (is_ascii_alpha(sample[end]) || (sample[end] >= '0' && sample[end] <= '9') ||
            sample[end] == '-'))
      ++end;
    if (end >= sample.size()) break;
    const char after = sample[end];
    if (after != '>' && after != '/' && !is_blank(after)) continue;
    ++tags;
    if (is_closing) ++closing;
    if (tags >= kMinTagsForHtml && closing > 0) return true;
  }
  return false;
}

// Nesting depth of a JSON text, ignoring brackets inside strings; stops counting past `limit`.
int json_depth(std::string_view line, int limit) {
  int depth = 0;
  int max_depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
      if (max_depth > limit) return max_depth;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

// A line shaped like one JSON object: "{" ... "}". A damaged record keeps that shape, so the
// file is still read as JSON Lines and the bad line becomes a Problem instead of the whole
// file turning into one garbage text page.
bool is_object_shaped(std::string_view line) {
  return line.size() >= 2 && line.front() == '{' && line.back() == '}';
}

// Some of the first non-blank lines are object-shaped. Looking past the first line keeps a
// feed readable whose first record was cut off.
bool looks_like_json_lines(std::string_view bytes) {
  int tried = 0;
  std::size_t start = 0;
  while (start < bytes.size() && tried < kJsonSniffLines) {
    std::size_t end = bytes.find('\n', start);
    if (end == std::string_view::npos) end = bytes.size();
    const std::string_view line = trim(bytes.substr(start, end - start));
    start = end + 1;
    if (line.empty()) continue;
    ++tried;
    if (is_object_shaped(line)) return true;
  }
  return false;
}

std::string hash8(std::string_view bytes) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(bytes.data(), bytes.size())));
  return std::string(buffer, 8);
}

std::string errno_message(int error_number) {
  return std::error_code(error_number, std::generic_category()).message();
}

// The name part of an origin without its extension; "stdin" for stdin.
std::string origin_stem(std::string_view origin) {
  if (origin == kStdinOrigin) return std::string(kStdinOrigin);
  std::string stem = fs::path(origin).stem().string();
  if (stem.empty()) stem = fs::path(origin).filename().string();
  return stem;
}

struct CloseFile {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, CloseFile>;

// Reads a stream to its end in chunks, refusing once it grows past `max_bytes`.
Result<std::string> read_stream(std::FILE* file, std::size_t max_bytes, std::string_view origin,
                                std::string bytes = {}) {
  for (;;) {
    const std::size_t old_size = bytes.size();
    if (old_size > max_bytes) {
      return make_error(ErrorCode::kTooLarge,
                        "input exceeds max_file_bytes (" + std::to_string(max_bytes) + " bytes)",
                        std::string(origin));
    }
    // A buffer reserved for a file of known size is filled by one read.
    const std::size_t chunk = std::max(kReadChunk, bytes.capacity() - old_size);
    bytes.resize(old_size + chunk);
    const std::size_t got = std::fread(bytes.data() + old_size, 1, chunk, file);
    bytes.resize(old_size + got);
    if (got < chunk) {
      if (std::ferror(file)) {
        return make_error(ErrorCode::kIo, "read failed: " + errno_message(errno),
                          std::string(origin));
      }
      break;
    }
  }
  if (bytes.size() > max_bytes) {
    return make_error(ErrorCode::kTooLarge,
                      "input exceeds max_file_bytes (" + std::to_string(max_bytes) + " bytes)",
                      std::string(origin));
  }
  return bytes;
}

Result<std::string> read_file(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    const bool missing = !ec || ec == std::errc::no_such_file_or_directory;
    return make_error(missing ? ErrorCode::kNotFound : ErrorCode::kIo,
                      missing ? "no such file or directory" : "cannot stat: " + ec.message(), path);
  }
  if (fs::is_directory(status)) {
    return make_error(ErrorCode::kIo, "cannot list directory (permission denied?)", path);
  }
  std::string bytes;
  if (fs::is_regular_file(status)) {
    // Check the size first so an oversized file is refused without reading it.
    const std::uintmax_t size = fs::file_size(path, ec);
    if (!ec && size > max_bytes) {
      return make_error(ErrorCode::kTooLarge,
                        "file of " + std::to_string(size) + " bytes exceeds max_file_bytes (" +
                            std::to_string(max_bytes) + ")",
                        path);
    }
    if (!ec) bytes.reserve(static_cast<std::size_t>(size) + 1);
  }
  errno = 0;
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    return make_error(ErrorCode::kIo, "cannot open: " + errno_message(errno), path);
  }
  return read_stream(file.get(), max_bytes, path, std::move(bytes));
}

// First string value among `names` (numbers are accepted for ids); empty when none.
template <std::size_t N>
std::string string_field(const json& object, const std::array<const char*, N>& names) {
  for (const char* name : names) {
    const auto it = object.find(name);
    if (it != object.end() && it->is_string()) {
      const auto& value = it->get_ref<const std::string&>();
      if (!trim(value).empty()) return std::string(trim(value));
    }
  }
  return {};
}

// Moves the first non-blank string among `names` out of `object` (bodies can be megabytes).
template <std::size_t N>
std::string take_body(json& object, const std::array<const char*, N>& names) {
  for (const char* name : names) {
    const auto it = object.find(name);
    if (it != object.end() && it->is_string()) {
      auto& value = it->get_ref<std::string&>();
      if (!trim(value).empty()) return std::move(value);
    }
  }
  return {};
}

std::string id_field(const json& object) {
  const auto it = object.find("id");
  if (it == object.end()) return {};
  if (it->is_string()) return std::string(trim(it->get_ref<const std::string&>()));
  if (it->is_number_integer() || it->is_number_unsigned()) return it->dump();
  return {};
}

const char* json_type_name(const json& value) { return value.type_name(); }

std::string_view first_nonblank_line(std::string_view bytes) {
  std::size_t start = 0;
  while (start < bytes.size()) {
    std::size_t end = bytes.find('\n', start);
    if (end == std::string_view::npos) end = bytes.size();
    const std::string_view line = trim(bytes.substr(start, end - start));
    if (!line.empty()) return line;
    start = end + 1;
  }
  return {};
}

bool is_json_feed(const json& document) {
  const auto it = document.find("version");
  return it != document.end() && it->is_string() &&
         it->get_ref<const std::string&>().find("jsonfeed.org") != std::string::npos;
}

// One JSON record as a Page (format, body, metadata; Options are applied by the caller).
Result<Page> page_from_record(json& object, std::string default_id, std::string origin) {
  Page page;
  // Prefer caller-cleaned text over markup; "content"/"body" may hold either, so sniff them.
  if (std::string text = take_body(object, std::array{"text"}); !text.empty()) {
    page.format = PageFormat::kText;
    page.content = std::move(text);
  } else if (std::string html = take_body(object, std::array{"html"}); !html.empty()) {
    page.format = PageFormat::kHtml;
    page.content = std::move(html);
  } else if (std::string body = take_body(object, kSniffedBodyFields); !body.empty()) {
    page.format = detect_format(body) == InputFormat::kHtml ? PageFormat::kHtml : PageFormat::kText;
    page.content = std::move(body);
  } else {
    return make_error(ErrorCode::kInvalidInput, "no non-empty \"text\" or \"html\" string field");
  }
  page.id = id_field(object);
  if (page.id.empty()) page.id = std::move(default_id);
  page.origin = std::move(origin);
  page.url = string_field(object, kUrlFields);
  page.source = string_field(object, kSourceFields);
  page.published = string_field(object, kPublishedFields);
  page.title = string_field(object, kTitleFields);
  return page;
}

// Containers recognised by their first bytes or first element that we cannot read yet; they
// would otherwise be mistaken for one huge text or HTML page.
constexpr std::array<std::string_view, 6> kFeedElements = {"rss",    "feed",         "rdf:rdf",
                                                           "urlset", "sitemapindex", "channel"};
constexpr std::size_t kFirstElementWindow = 4096;

std::string unsupported_container(std::string_view bytes) {
  bytes = strip_bom(bytes);
  std::size_t at = 0;
  while (at < bytes.size() && is_blank(bytes[at])) ++at;
  bytes.remove_prefix(at);
  if (bytes.starts_with("WARC/")) return "WARC input not supported yet";
  if (bytes.starts_with("filedesc://")) return "ARC input not supported yet";
  const std::string_view window = bytes.substr(0, kFirstElementWindow);
  std::size_t pos = 0;
  while ((pos = window.find('<', pos)) != std::string_view::npos && pos + 1 < window.size()) {
    const char next = window[pos + 1];
    if (next == '?' || next == '!') {  // prolog, doctype, comment: skip to its end
      const bool comment = window.substr(pos).starts_with("<!--");
      const std::size_t close = comment ? window.find("-->", pos) : window.find('>', pos);
      if (close == std::string_view::npos) return {};
      pos = close + 1;
      continue;
    }
    std::size_t end = pos + 1;
    while (end < window.size() && (is_ascii_alpha(window[end]) || window[end] == ':' ||
                                   (window[end] >= '0' && window[end] <= '9')))
      ++end;
    const std::string name = ascii_lower(window.substr(pos + 1, end - pos - 1));
    const std::size_t colon = name.find(':');  // "sm:urlset": compare the local name too
    const std::string_view local = colon == std::string::npos
                                       ? std::string_view(name)
                                       : std::string_view(name).substr(colon + 1);
    for (const std::string_view feed : kFeedElements) {
      if (name == feed || local == feed)
        return "RSS/Atom feed and sitemap input not supported yet (<" + name + ">)";
    }
    return {};  // the first element is something else: a page
  }
  return {};
}

}  // namespace

const char* input_format_name(InputFormat format) {
  switch (format) {
    case InputFormat::kText:
      return "text";
    case InputFormat::kHtml:
      return "html";
    case InputFormat::kJsonLines:
      return "jsonl";
    case InputFormat::kBinary:
      return "binary";
    case InputFormat::kEmpty:
      return "empty";
  }
  return "unknown";
}

InputFormat detect_format(std::string_view bytes) {
  if (!unsupported_magic(bytes).empty()) return InputFormat::kBinary;
  bytes = strip_bom(bytes);
  std::size_t first = 0;
  while (first < bytes.size() && is_blank(bytes[first])) ++first;
  if (first == bytes.size()) return InputFormat::kEmpty;
  if (looks_binary(bytes.substr(0, kSniffBytes))) return InputFormat::kBinary;

  const std::string_view rest = bytes.substr(first);
  if (rest.front() == '{' &&
      (looks_like_json_lines(rest) || (json_depth(rest, kMaxJsonDepth) <= kMaxJsonDepth &&
                                       json::accept(rest.begin(), rest.end()))))
    return InputFormat::kJsonLines;

  const std::string_view sample = rest.substr(0, kSniffBytes);
  for (const std::string_view opener : kHtmlOpeners) {
    if (starts_with_ci(sample, opener)) return InputFormat::kHtml;
  }
  // An XML prolog in front of XHTML.
  if (starts_with_ci(sample, "<?xml") && sample.find("<html") != std::string_view::npos)
    return InputFormat::kHtml;
  if (has_several_tags(sample)) return InputFormat::kHtml;
  return InputFormat::kText;
}

Reader::Reader(Options options) : options_(std::move(options)) {}

Result<std::vector<std::string>> Reader::expand(const std::vector<std::string>& paths) const {
  std::vector<std::string> out;
  try {
    for (const std::string& path : paths) {
      if (path == "-") {
        out.push_back(path);
        continue;
      }
      std::error_code ec;
      const fs::file_status status = fs::status(path, ec);
      if (ec || !fs::exists(status)) {
        if (!ec || ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory)
          return make_error(ErrorCode::kNotFound, "no such file or directory", path);
        return make_error(ErrorCode::kIo, "cannot stat: " + ec.message(), path);
      }
      if (!fs::is_directory(status)) {
        out.push_back(path);
        continue;
      }
      // Iterative walk; canonical paths of visited directories break symlink loops.
      std::vector<fs::path> files;
      std::vector<fs::path> pending = {fs::path(path)};
      std::unordered_set<std::string> visited;
      while (!pending.empty()) {
        const fs::path dir = std::move(pending.back());
        pending.pop_back();
        const fs::path canonical = fs::canonical(dir, ec);
        if (!ec && !visited.insert(canonical.string()).second) continue;
        fs::directory_iterator it(dir, ec);
        if (ec) {
          files.push_back(dir);  // read() reports it as unreadable rather than dropping it
          continue;
        }
        for (; it != fs::directory_iterator(); it.increment(ec)) {
          const fs::path& entry = it->path();
          if (entry.filename().string().starts_with('.')) continue;  // hidden
          std::error_code entry_ec;
          if (it->is_directory(entry_ec)) {
            pending.push_back(entry);
          } else if (it->is_regular_file(entry_ec)) {
            files.push_back(entry);
          } else if (it->is_symlink(entry_ec) && !fs::exists(it->status(entry_ec))) {
            files.push_back(entry);  // dangling link: read() reports it
          }
          // Sockets, FIFOs and devices inside a directory are skipped: reading could block.
        }
        if (ec) files.push_back(dir);
      }
      std::sort(files.begin(), files.end());
      files.erase(std::unique(files.begin(), files.end()), files.end());
      for (const fs::path& file : files) out.push_back(file.string());
    }
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kIo, std::string("cannot expand inputs: ") + e.what());
  }
  return out;
}

Report Reader::read(const std::vector<std::string>& paths, const PageSink& sink) const {
  Report report;
  for (const std::string& path : paths) {
    try {
      if (path == "-") {
        auto bytes = read_stream(stdin, options_.max_file_bytes, kStdinOrigin);
        if (!bytes) {
          ++report.inputs;
          report.problems.push_back({std::string(kStdinOrigin), bytes.error()});
          continue;
        }
        read_bytes(kStdinOrigin, std::move(*bytes), sink, report);
        continue;
      }
      auto files = expand({path});
      if (!files) {
        report.problems.push_back({path, files.error()});
        continue;
      }
      for (const std::string& file : *files) {
        try {
          auto bytes = read_file(file, options_.max_file_bytes);
          if (!bytes) {
            ++report.inputs;
            report.problems.push_back({file, bytes.error()});
            continue;
          }
          read_bytes(file, std::move(*bytes), sink, report);
        } catch (const std::exception& e) {
          report.problems.push_back(
              {file,
               make_error(ErrorCode::kInternal, std::string("read failed: ") + e.what(), file)});
        }
      }
    } catch (const std::exception& e) {
      report.problems.push_back(
          {path, make_error(ErrorCode::kInternal, std::string("read failed: ") + e.what(), path)});
    }
  }
  return report;
}

void Reader::read_bytes(std::string_view origin, std::string bytes, const PageSink& sink,
                        Report& report) const {
  ++report.inputs;
  const std::string origin_text(origin);
  const InputFormat format = detect_format(bytes);
  switch (format) {
    case InputFormat::kEmpty:
      report.problems.push_back(
          {origin_text, make_error(ErrorCode::kInvalidInput, "empty input", origin_text)});
      return;
    case InputFormat::kBinary: {
      const std::string_view magic = unsupported_magic(bytes);
      const std::string message =
          magic.empty() ? "binary content (NUL or control bytes), not text, HTML or JSON Lines"
                        : std::string(magic);
      report.problems.push_back(
          {origin_text, make_error(ErrorCode::kInvalidInput, message, origin_text)});
      return;
    }
    case InputFormat::kText:
    case InputFormat::kHtml: {
      if (const std::string message = unsupported_container(bytes); !message.empty()) {
        report.problems.push_back(
            {origin_text, make_error(ErrorCode::kInvalidInput, message, origin_text)});
        return;
      }
      Page page;
      page.id = origin == kStdinOrigin ? "stdin-" + hash8(bytes) : origin_stem(origin);
      if (page.id.empty()) page.id = "page-" + hash8(bytes);
      page.origin = origin_text;
      page.format = format == InputFormat::kHtml ? PageFormat::kHtml : PageFormat::kText;
      page.published = options_.published;
      page.source = options_.source;
      if (std::string_view(bytes).starts_with(kUtf8Bom)) bytes.erase(0, kUtf8Bom.size());
      page.content = std::move(bytes);
      sink(std::move(page));
      ++report.pages;
      return;
    }
    case InputFormat::kJsonLines:
      break;
  }

  // JSON Lines: one page per object line; a bad line is a Problem and the rest are still read.
  const std::string stem = origin_stem(origin);
  const std::string_view all = strip_bom(bytes);
  auto fail = [&](const std::string& where, const std::string& message) {
    report.problems.push_back({where, make_error(ErrorCode::kInvalidInput, message, where)});
  };
  auto emit = [&](Page&& page) {
    if (page.published.empty()) page.published = options_.published;
    if (page.source.empty()) page.source = options_.source;
    sink(std::move(page));
    ++report.pages;
  };

  // A pretty-printed JSON document (its first line is not a whole record) is one value.
  if (!is_object_shaped(first_nonblank_line(all)) &&
      json_depth(all, kMaxJsonDepth) <= kMaxJsonDepth) {
    json document = json::parse(all.begin(), all.end(), nullptr, /*allow_exceptions=*/false);
    if (!document.is_discarded()) {
      if (!document.is_object()) {
        fail(origin_text, std::string("a JSON ") + json_type_name(document) +
                              ", not JSON Lines (one object per line)");
      } else if (is_json_feed(document)) {
        fail(origin_text, "JSON Feed input not supported yet");
      } else if (auto page = page_from_record(document, stem, origin_text); page) {
        emit(std::move(*page));
      } else {
        fail(origin_text, "JSON document: " + page.error().message);
      }
      return;
    }
  }

  std::size_t start = 0;
  std::size_t line_number = 0;
  while (start < all.size()) {
    std::size_t end = all.find('\n', start);
    if (end == std::string_view::npos) end = all.size();
    const std::string_view line = trim(all.substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty()) continue;

    const std::string line_origin = origin_text + ":" + std::to_string(line_number);
    const std::string bad = "bad JSON Lines line: ";
    if (json_depth(line, kMaxJsonDepth) > kMaxJsonDepth) {
      fail(line_origin, bad + "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
      continue;
    }
    json object;
    try {
      object = json::parse(line.begin(), line.end());
    } catch (const json::exception& e) {
      fail(line_origin, bad + e.what());
      continue;
    }
    if (!object.is_object()) {
      fail(line_origin, bad + "not a JSON object but " + json_type_name(object));
      continue;
    }
    auto page = page_from_record(object, stem + ":" + std::to_string(line_number), line_origin);
    if (!page) {
      fail(line_origin, bad + page.error().message);
      continue;
    }
    emit(std::move(*page));
  }
}

}  // namespace storyline::ingest
