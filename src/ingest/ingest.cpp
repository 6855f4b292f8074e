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
#include <optional>
#include <string>
#include <system_error>
#include <unordered_set>
#include <utility>

#include "common/text_util.h"
#include "ingest/dates.h"
#include "ingest/decompress.h"
#include "ingest/feed.h"
#include "ingest/sitemap.h"
#include "ingest/warc.h"

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
    {"\x1f\x8b", "compressed input inside compressed input (gzip)"},
    {"\x28\xb5\x2f\xfd", "compressed input inside compressed input (zstd)"},
    {"\xfd\x37zXZ", "unsupported format: xz-compressed input; decompress it first"},
    {"PK\x03\x04", "unsupported format: zip archive; unpack it first"},
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

// Opens a file for reading, with the error a person needs when it cannot be.
Result<FilePtr> open_file(const std::string& path) {
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
  errno = 0;
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    return make_error(ErrorCode::kIo, "cannot open: " + errno_message(errno), path);
  }
  return file;
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

// Archive formats we recognise but do not read; they would otherwise be one huge text page.
std::string unsupported_container(std::string_view bytes) {
  bytes = strip_bom(bytes);
  std::size_t at = 0;
  while (at < bytes.size() && is_blank(bytes[at])) ++at;
  bytes.remove_prefix(at);
  if (bytes.starts_with("filedesc://"))
    return "unsupported format: ARC (an older web archive format); convert it to WARC";
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

namespace {

constexpr std::size_t kHeadBytes = 8192;  // sniffed before choosing a decoder and a format
constexpr std::string_view kWarcMagic = "WARC/";

// One read: where pages, pointers and problems go, for one input at a time.
struct Context {
  const Options& options;
  const PageSink& sink;
  const PointerSink* pointers;
  Report& report;
  std::string origin;
  std::string stem;

  void problem(const std::string& where, std::string_view kind, const std::string& message,
               ErrorCode code = ErrorCode::kInvalidInput) {
    report.problems.push_back({where, make_error(code, message, where), std::string(kind)});
  }
  void warning(const std::string& where, std::string_view kind, const std::string& message) {
    report.warnings.push_back(
        {where, make_error(ErrorCode::kInvalidInput, message, where), std::string(kind)});
  }
  void page(Page&& page) {
    if (page.published.empty()) page.published = options.published;
    if (page.source.empty()) page.source = options.source;
    sink(std::move(page));
    ++report.pages;
  }
  void pointer(Pointer&& pointer) {
    ++report.pointers;
    if (pointers && *pointers) (*pointers)(std::move(pointer));
  }
};

std::string_view kind_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::kTooLarge:
      return "too-large";
    case ErrorCode::kIo:
    case ErrorCode::kNotFound:
      return "io";
    default:
      return "compression";
  }
}

// A date in UTC ISO when it parses, else as written.
std::string iso_or_raw(std::string_view date) {
  std::string iso = to_utc_iso(date);
  return iso.empty() ? std::string(trim(date)) : iso;
}

// Up to `want` bytes from the front of a stream (fewer only at its end or at an error).
struct Head {
  std::string bytes;
  std::optional<Error> error;  // met after `bytes`: to be returned after them
};

Head read_head(ByteStream& stream, std::size_t want) {
  Head head;
  head.bytes.resize(want);
  std::size_t have = 0;
  while (have < want) {
    auto got = stream.read(head.bytes.data() + have, want - have);
    if (!got) {
      head.error = got.error();
      break;
    }
    if (*got == 0) break;
    have += *got;
  }
  head.bytes.resize(have);
  return head;
}

std::string_view skip_bom_and_blanks(std::string_view bytes) {
  bytes = strip_bom(bytes);
  std::size_t at = 0;
  while (at < bytes.size() && is_blank(bytes[at])) ++at;
  return bytes.substr(at);
}

bool is_html_media_type(std::string_view type) {
  return type == "text/html" || type == "application/xhtml+xml" || type == "text/xhtml";
}

void read_warc(Context& context, ByteStream& stream, GzipStream* gzip) {
  WarcReader reader(stream, gzip, context.options.max_file_bytes);
  reader.keep_blocks_of({"response"});
  WarcRecord record;
  std::vector<WarcIssue> issues;
  auto where = [&](std::uint64_t offset) { return context.origin + "@" + std::to_string(offset); };
  auto flush_issues = [&] {
    for (const WarcIssue& issue : issues) {
      if (issue.warning) {
        context.warning(where(issue.offset), issue.kind, issue.message);
      } else {
        context.problem(where(issue.offset), issue.kind, issue.message);
      }
    }
    issues.clear();
  };
  while (reader.next(record, issues)) {
    flush_issues();
    ++context.report.records;
    const std::string location = where(record.offset);
    if (record.type != "response") {
      ++context.report.skipped["warc-" + (record.type.empty() ? "untyped" : record.type)];
      continue;
    }
    if (record.block_skipped) continue;  // too large: already a problem
    const std::string content_type = ascii_lower(record.content_type);
    if (!content_type.empty() && !content_type.starts_with("application/http")) {
      ++context.report.skipped["warc-response-not-http"];
      continue;
    }
    auto response = parse_http_response(std::move(record.block), context.options.max_file_bytes);
    if (!response) {
      context.problem(location, "warc-http", response.error().message);
      continue;
    }
    for (const std::string& warning : response->warnings)
      context.warning(location, "warc-http", warning);
    if (response->status != 200) {
      ++context.report.skipped["warc-response-not-200"];
      continue;
    }
    const bool html =
        is_html_media_type(response->content_type) ||
        (response->content_type.empty() && detect_format(response->body) == InputFormat::kHtml);
    if (!html || trim(response->body).empty()) {
      ++context.report.skipped["warc-response-not-html"];
      continue;
    }
    Page page;
    page.id = context.stem + "@" + std::to_string(record.offset);
    page.origin = location;
    page.url = record.target_uri;
    page.published = iso_or_raw(record.date);
    page.format = PageFormat::kHtml;
    page.charset = response->charset;
    page.content = std::move(response->body);
    context.page(std::move(page));
  }
  flush_issues();
}

bool is_absolute_url(std::string_view text) {
  if (!text.starts_with("http://") && !text.starts_with("https://")) return false;
  for (const char c : text) {
    if (static_cast<unsigned char>(c) <= ' ') return false;
  }
  return true;
}

void read_feed(Context& context, Result<Feed> feed) {
  if (!feed) {
    context.problem(context.origin, "feed", feed.error().message);
    return;
  }
  for (const std::string& warning : feed->warnings)
    context.warning(context.origin, feed->well_formed ? "feed" : "feed-illformed", warning);
  std::size_t index = 0;
  for (FeedItem& item : feed->items) {
    ++index;
    ++context.report.records;
    const std::string suffix = ":item" + std::to_string(index);
    const std::string date = item.published.empty() ? item.updated : item.published;
    if (const std::string_view body = article_body(item); !body.empty()) {
      Page page;
      page.id = context.stem + suffix;
      page.origin = context.origin + suffix;
      page.url = item.link;
      page.title = item.title;
      page.published = iso_or_raw(date);
      page.source = context.options.source.empty() ? feed->title : context.options.source;
      page.format =
          detect_format(body) == InputFormat::kHtml ? PageFormat::kHtml : PageFormat::kText;
      page.content = std::string(body);
      context.page(std::move(page));
      continue;
    }
    // Without a link, an id that is a URL (an RSS guid, even one not marked a permalink) is
    // the best pointer there is.
    std::string url = item.link;
    if (url.empty() && is_absolute_url(item.id)) url = item.id;
    if (url.empty()) {
      ++context.report.skipped["feed-item-without-link"];
      continue;
    }
    context.pointer({std::move(url), item.title, iso_or_raw(date), feed->title, feed->language,
                     context.origin + suffix, "feed-item"});
  }
}

void read_sitemap(Context& context, Result<Sitemap> sitemap) {
  if (!sitemap) {
    context.problem(context.origin, "sitemap", sitemap.error().message);
    return;
  }
  for (const std::string& warning : sitemap->warnings)
    context.warning(context.origin, "sitemap", warning);
  const bool index = sitemap->type == "sitemapindex";
  std::size_t n = 0;
  for (SitemapUrl& url : sitemap->urls) {
    ++n;
    ++context.report.records;
    const std::string date =
        url.news_publication_date.empty() ? url.lastmod : url.news_publication_date;
    context.pointer({std::move(url.loc), std::move(url.news_title), iso_or_raw(date),
                     std::move(url.news_name), std::move(url.news_language),
                     context.origin + ":url" + std::to_string(n),
                     index ? "sitemap-index" : "sitemap-url"});
  }
}

// A plain-text sitemap: every non-blank line (of the first kSniffBytes) is an absolute URL.
bool looks_like_url_list(std::string_view bytes) {
  std::size_t urls = 0;
  for (const std::string_view line : split_lines(strip_bom(bytes.substr(0, kSniffBytes)))) {
    const std::string_view value = trim(line);
    if (value.empty()) continue;
    if (!is_absolute_url(value)) return false;
    ++urls;
  }
  return urls > 0;
}

void read_url_list(Context& context, std::string_view bytes) {
  std::size_t n = 0;
  for (const std::string_view line : split_lines(strip_bom(bytes))) {
    const std::string_view value = trim(line);
    if (value.empty()) continue;
    ++n;
    ++context.report.records;
    if (!is_absolute_url(value)) {
      context.problem(context.origin + ":" + std::to_string(n), "url-list", "not a URL");
      continue;
    }
    context.pointer({std::string(value),
                     {},
                     {},
                     {},
                     {},
                     context.origin + ":url" + std::to_string(n),
                     "url-list"});
  }
}

// One line of a JSON Lines input: a page, or a Problem naming the line (blank lines are skipped).
void read_json_line(Context& context, std::string_view raw_line, std::size_t line_number) {
  const std::string_view line = trim(raw_line);
  if (line.empty()) return;
  ++context.report.records;
  const std::string line_origin = context.origin + ":" + std::to_string(line_number);
  const std::string bad = "bad JSON Lines line: ";
  if (json_depth(line, kMaxJsonDepth) > kMaxJsonDepth) {
    context.problem(line_origin, "jsonl-syntax",
                    bad + "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return;
  }
  if (line.find('\0') != std::string_view::npos) {
    context.problem(line_origin, "jsonl-syntax", bad + "NUL byte");
    return;
  }
  json object;
  try {
    object = json::parse(line.begin(), line.end());
  } catch (const json::exception& e) {
    context.problem(line_origin, "jsonl-syntax", bad + e.what());
    return;
  }
  if (!object.is_object()) {
    context.problem(line_origin, "jsonl-record",
                    bad + "not a JSON object but " + json_type_name(object));
    return;
  }
  auto page =
      page_from_record(object, context.stem + ":" + std::to_string(line_number), line_origin);
  if (!page) {
    context.problem(line_origin, "jsonl-record", bad + page.error().message);
    return;
  }
  context.page(std::move(*page));
}

// A decoded input held in memory: one of the document formats.
void read_document(Context& context, std::string bytes) {
  const std::string& origin_text = context.origin;
  const bool forced_jsonl = context.options.format == "jsonl";
  if (!forced_jsonl && looks_like_xml_feed(bytes)) return read_feed(context, parse_xml_feed(bytes));
  if (!forced_jsonl && looks_like_sitemap(bytes))
    return read_sitemap(context, parse_sitemap(bytes));
  const InputFormat format = forced_jsonl ? InputFormat::kJsonLines : detect_format(bytes);
  switch (format) {
    case InputFormat::kEmpty:
      context.problem(origin_text, "empty", "empty input");
      return;
    case InputFormat::kBinary: {
      const std::string_view magic = unsupported_magic(bytes);
      const std::string message =
          magic.empty() ? "binary content (NUL or control bytes), not text, HTML or JSON Lines"
                        : std::string(magic);
      context.problem(origin_text, magic.empty() ? "binary" : "unsupported-format", message);
      return;
    }
    case InputFormat::kText:
    case InputFormat::kHtml: {
      if (const std::string message = unsupported_container(bytes); !message.empty()) {
        context.problem(origin_text, "unsupported-format", message);
        return;
      }
      if (format == InputFormat::kText && looks_like_url_list(bytes))
        return read_url_list(context, bytes);
      ++context.report.records;
      Page page;
      page.id = origin_text == kStdinOrigin ? "stdin-" + hash8(bytes) : context.stem;
      if (page.id.empty()) page.id = "page-" + hash8(bytes);
      page.origin = origin_text;
      page.format = format == InputFormat::kHtml ? PageFormat::kHtml : PageFormat::kText;
      if (std::string_view(bytes).starts_with(kUtf8Bom)) bytes.erase(0, kUtf8Bom.size());
      page.content = std::move(bytes);
      context.page(std::move(page));
      return;
    }
    case InputFormat::kJsonLines:
      break;
  }

  // JSON Lines: one page per object line; a bad line is a Problem and the rest are still read.
  const std::string& stem = context.stem;
  const std::string_view all = strip_bom(bytes);

  // A pretty-printed JSON document (its first line is not a whole record) is one value.
  if (!is_object_shaped(first_nonblank_line(all)) && all.find('\0') == std::string_view::npos &&
      json_depth(all, kMaxJsonDepth) <= kMaxJsonDepth) {
    json document = json::parse(all.begin(), all.end(), nullptr, /*allow_exceptions=*/false);
    if (!document.is_discarded()) {
      if (!document.is_object()) {
        ++context.report.records;
        context.problem(origin_text, "jsonl-record",
                        std::string("a JSON ") + json_type_name(document) +
                            ", not JSON Lines (one object per line)");
      } else if (is_json_feed(document)) {
        document = json();  // parsed again by the feed reader, which keeps only strings
        read_feed(context, parse_json_feed(all));
      } else if (auto page = page_from_record(document, stem, origin_text); page) {
        ++context.report.records;
        context.page(std::move(*page));
      } else {
        ++context.report.records;
        context.problem(origin_text, "jsonl-record", "JSON document: " + page.error().message);
      }
      return;
    }
  }

  std::size_t start = 0;
  std::size_t line_number = 0;
  if (forced_jsonl && trim(all).empty()) {
    context.problem(origin_text, "empty", "empty input");
    return;
  }
  while (start < all.size()) {
    std::size_t end = all.find('\n', start);
    if (end == std::string_view::npos) end = all.size();
    read_json_line(context, all.substr(start, end - start), ++line_number);
    start = end + 1;
  }
}

// JSON Lines of any size, read line by line: memory holds one read chunk and one line, so a
// multi-gigabyte dataset streams like a WARC file. A line longer than max_file_bytes is a
// Problem and is skipped; a read error keeps the lines before it.
void read_json_lines_stream(Context& context, ByteStream& body) {
  std::string pending;  // bytes after the last complete line
  std::vector<char> chunk(std::size_t{1} << 20);
  std::size_t line_number = 0;
  bool skipping_long_line = false;  // inside a line already reported as too long
  bool at_start = true;
  auto too_long = [&] {
    context.problem(context.origin + ":" + std::to_string(line_number + 1),
                    kind_of(ErrorCode::kTooLarge),
                    "JSON Lines line longer than " +
                        std::to_string(context.options.max_file_bytes) + " bytes skipped",
                    ErrorCode::kTooLarge);
  };
  for (;;) {
    auto got = body.read(chunk.data(), chunk.size());
    if (!got) {
      context.problem(context.origin, kind_of(got.error().code),
                      got.error().message + " (after line " + std::to_string(line_number) + ")",
                      got.error().code);
      return;
    }
    if (*got == 0) break;
    std::string_view data(chunk.data(), *got);
    if (at_start) {
      at_start = false;
      if (data.starts_with(kUtf8Bom)) data.remove_prefix(kUtf8Bom.size());
    }
    while (!data.empty()) {
      const std::size_t newline = data.find('\n');
      if (newline == std::string_view::npos) {
        if (!skipping_long_line) pending.append(data);
        break;
      }
      if (skipping_long_line) {
        skipping_long_line = false;
        ++line_number;
      } else if (pending.size() + newline > context.options.max_file_bytes) {
        too_long();
        ++line_number;
        pending.clear();
      } else if (pending.empty()) {
        read_json_line(context, data.substr(0, newline), ++line_number);
      } else {
        pending.append(data.substr(0, newline));
        read_json_line(context, pending, ++line_number);
        pending.clear();
      }
      data.remove_prefix(newline + 1);
    }
    if (pending.size() > context.options.max_file_bytes) {
      too_long();
      pending.clear();
      pending.shrink_to_fit();
      skipping_long_line = true;
    }
  }
  if (!skipping_long_line && !pending.empty()) read_json_line(context, pending, ++line_number);
}

// Whether an input whose decoded head is `head` (BOM and blank lines skipped) is JSON Lines
// to be streamed: its first line is whole within the head and object-shaped. Anything else
// (one pretty-printed JSON document, a feed, a page) is read whole.
bool streams_as_json_lines(const Context& context, std::string_view head) {
  const std::size_t newline = head.find('\n');
  if (newline == std::string_view::npos || !is_object_shaped(trim(head.substr(0, newline))))
    return false;
  return context.options.format == "jsonl" || detect_format(head) == InputFormat::kJsonLines;
}

// Any input as a stream: undo compression by magic bytes, then stream a WARC or read a
// document into memory (bounded by max_file_bytes).
void read_input(Context& context, ByteStream& raw) {
  Head head = read_head(raw, kHeadBytes);
  if (head.error && head.bytes.empty()) {
    context.problem(context.origin, kind_of(head.error->code), head.error->message,
                    head.error->code);
    return;
  }
  const Compression compression = detect_compression(head.bytes);
  ChainStream chained(std::move(head.bytes), &raw, std::move(head.error));
  std::unique_ptr<GzipStream> gzip;
  std::unique_ptr<ZstdStream> zstd;
  ByteStream* decoded = &chained;
  switch (compression) {
    case Compression::kNone:
      break;
    case Compression::kGzip:
      gzip = std::make_unique<GzipStream>(&chained);
      decoded = gzip.get();
      break;
    case Compression::kZstd:
      zstd = std::make_unique<ZstdStream>(&chained);
      decoded = zstd.get();
      break;
    case Compression::kXz:
    case Compression::kZip:
    case Compression::kBzip2:
      context.problem(context.origin, "unsupported-format",
                      std::string("unsupported format: ") + compression_name(compression) +
                          "-compressed input; decompress it first (gzip and zstd are read)");
      return;
  }
  // An error after some decoded bytes comes after them: a WARC reader keeps the records
  // before it and goes on after it.
  Head inner_head = read_head(*decoded, kHeadBytes);
  if (inner_head.error && inner_head.bytes.empty()) {
    context.problem(context.origin, kind_of(inner_head.error->code), inner_head.error->message,
                    inner_head.error->code);
    return;
  }
  const std::string_view start = skip_bom_and_blanks(inner_head.bytes);
  const bool warc = start.starts_with(kWarcMagic);
  const bool json_lines = !warc && streams_as_json_lines(context, start);
  ChainStream body(std::move(inner_head.bytes), decoded, std::move(inner_head.error));
  if (warc) return read_warc(context, body, gzip.get());
  if (json_lines) {
    read_json_lines_stream(context, body);
    if (gzip) {
      for (const GzipStream::Note& note : gzip->take_warnings())
        context.warning(context.origin, "compression", note.message);
    }
    return;
  }
  auto bytes = read_all(body, context.options.max_file_bytes);
  if (!bytes) {
    std::string message = bytes.error().message;
    if (bytes.error().code == ErrorCode::kTooLarge && compression != Compression::kNone)
      message += " once decompressed";
    context.problem(context.origin, kind_of(bytes.error().code), message, bytes.error().code);
    return;
  }
  if (gzip) {
    for (const GzipStream::Note& note : gzip->take_warnings())
      context.warning(context.origin, "compression", note.message);
  }
  read_document(context, std::move(*bytes));
}

}  // namespace

Report Reader::read(const std::vector<std::string>& paths, const PageSink& sink) const {
  return read(paths, sink, PointerSink());
}

Report Reader::read(const std::vector<std::string>& paths, const PageSink& sink,
                    const PointerSink& pointers) const {
  Report report;
  for (const std::string& path : paths) {
    try {
      if (path == "-") {
        ++report.inputs;
        Context context{options_,
                        sink,
                        &pointers,
                        report,
                        std::string(kStdinOrigin),
                        std::string(kStdinOrigin)};
        FileStream stream(stdin);
        read_input(context, stream);
        continue;
      }
      auto files = expand({path});
      if (!files) {
        report.problems.push_back({path, files.error(), "io"});
        continue;
      }
      for (const std::string& file : *files) {
        try {
          ++report.inputs;
          auto opened = open_file(file);
          if (!opened) {
            report.problems.push_back({file, opened.error(), "io"});
            continue;
          }
          Context context{options_, sink, &pointers, report, file, origin_stem(file)};
          FileStream stream(opened->get());
          read_input(context, stream);
        } catch (const std::exception& e) {
          report.problems.push_back(
              {file,
               make_error(ErrorCode::kInternal, std::string("read failed: ") + e.what(), file),
               "internal"});
        }
      }
    } catch (const std::exception& e) {
      report.problems.push_back(
          {path, make_error(ErrorCode::kInternal, std::string("read failed: ") + e.what(), path),
           "internal"});
    }
  }
  return report;
}

void Reader::read_bytes(std::string_view origin, std::string bytes, const PageSink& sink,
                        Report& report) const {
  read_bytes(origin, std::move(bytes), sink, nullptr, report);
}

void Reader::read_bytes(std::string_view origin, std::string bytes, const PageSink& sink,
                        const PointerSink* pointers, Report& report) const {
  ++report.inputs;
  Context context{options_, sink, pointers, report, std::string(origin), origin_stem(origin)};
  // Uncompressed and not a WARC: no need to stream, and no copy.
  if (detect_compression(bytes) == Compression::kNone &&
      !skip_bom_and_blanks(std::string_view(bytes).substr(0, kHeadBytes)).starts_with(kWarcMagic)) {
    if (bytes.size() > options_.max_file_bytes) {
      context.problem(
          context.origin, "too-large",
          "input exceeds max_file_bytes (" + std::to_string(options_.max_file_bytes) + " bytes)",
          ErrorCode::kTooLarge);
      return;
    }
    read_document(context, std::move(bytes));
    return;
  }
  MemoryStream stream(bytes);
  read_input(context, stream);
}

std::map<std::string, std::size_t> Report::errors_by_kind() const {
  std::map<std::string, std::size_t> counts;
  for (const Problem& problem : problems) ++counts[problem.kind.empty() ? "other" : problem.kind];
  return counts;
}

namespace {

// Problems grouped by kind, in first-seen order of their locations.
std::map<std::string, std::vector<const Problem*>> group(const std::vector<Problem>& problems) {
  std::map<std::string, std::vector<const Problem*>> groups;
  for (const Problem& problem : problems)
    groups[problem.kind.empty() ? "other" : problem.kind].push_back(&problem);
  return groups;
}

json grouped_json(const std::vector<Problem>& problems, std::size_t max_locations) {
  json out = json::object();
  for (const auto& [kind, list] : group(problems)) {
    json first = json::array();
    for (std::size_t i = 0; i < list.size() && i < max_locations; ++i)
      first.push_back({{"origin", list[i]->origin}, {"message", list[i]->error.message}});
    out[kind] = {{"count", list.size()}, {"first", first}};
  }
  return out;
}

}  // namespace

std::string Report::summary(std::size_t max_locations) const {
  std::string out = "read " + std::to_string(inputs) + " inputs, " + std::to_string(records) +
                    " records: " + std::to_string(pages) + " pages, " + std::to_string(pointers) +
                    " pointers\n";
  if (!skipped.empty()) {
    out += "skipped:";
    for (const auto& [kind, count] : skipped) out += " " + kind + " " + std::to_string(count);
    out += "\n";
  }
  for (const auto* list : {&problems, &warnings}) {
    for (const auto& [kind, items] : group(*list)) {
      out += (list == &problems ? "errors " : "warnings ") + kind + ": " +
             std::to_string(items.size()) + "\n";
      for (std::size_t i = 0; i < items.size() && i < max_locations; ++i)
        out += "  " + items[i]->origin + ": " + items[i]->error.message + "\n";
    }
  }
  return out;
}

std::string Report::summary_json(std::size_t max_locations) const {
  json out = {{"inputs", inputs},
              {"records", records},
              {"pages", pages},
              {"pointers", pointers},
              {"skipped", skipped},
              {"errors", grouped_json(problems, max_locations)},
              {"warnings", grouped_json(warnings, max_locations)}};
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string problem_json(const Problem& problem) {
  const json out = {{"origin", problem.origin},
                    {"kind", problem.kind.empty() ? "other" : problem.kind},
                    {"code", error_code_name(problem.error.code)},
                    {"message", problem.error.message},
                    {"context", problem.error.context}};
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace storyline::ingest
