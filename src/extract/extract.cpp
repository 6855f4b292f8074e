// extract: format dispatch, byte hygiene (size, charset, UTF-8) and the fields every article
// shares (page id, url, source, date, language). The two paths live in html.cpp and text.cpp.
#include "extract/extract.h"

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
#include <emmintrin.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "common/text_util.h"
#include "extract/control_bytes.h"
#include "extract/extract_internal.h"

namespace storyline::extract {

namespace {

// cld2 is linear but there is no gain in reading a whole book to name its language.
// CLD2 is reliable on a few hundred words; more text only costs (it was 15% of extraction).
constexpr std::size_t kLanguageSampleBytes = 4 * 1024;
// Fewer letters than this and cld2's guess is noise.
constexpr std::size_t kLanguageMinLetters = 24;
// Share of control bytes above which the content is reported as binary.
constexpr double kBinaryControlShare = 0.05;

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// HTML when the first markup-looking bytes are a doctype or a known document tag.
bool looks_like_html(std::string_view bytes) {
  std::string_view head = trim(bytes.substr(0, 4096));
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head = trim(head.substr(3));
  static constexpr std::string_view kOpeners[] = {
      "<!doctype html", "<html",  "<head", "<body",  "<meta", "<!--",     "<div",
      "<article",       "<p>",    "<p ",   "<title", "<?xml", "<section", "<main",
      "<header",        "<table", "<span", "<h1",    "<h2",   "<ul",      "<a "};
  if (!head.empty() && head.front() == '<') {
    for (std::string_view o : kOpeners)
      if (starts_with_ci(head, o)) return true;
  }
  // Text that only mentions a tag further in is still text; a page with <html> or <body> is not.
  const std::string lower = ascii_lower(head);
  return lower.find("<html") != std::string::npos || lower.find("<body") != std::string::npos;
}

// True when `bytes` hold no NUL and no control byte that blank_controls() would change: the
// common case, checked sixteen bytes at a time so that clean pages skip the byte loops.
bool free_of_controls(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t i = 0;
  for (; i + 16 <= bytes.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    if (_mm_movemask_epi8(detail::control_bytes(v, false, false)) != 0) return false;
  }
  for (; i < bytes.size(); ++i) {
    if (detail::is_control(p[i], false)) return false;
  }
  return true;
}

// Replaces C0 control bytes (other than tab and newline) by spaces; counts them.
std::size_t blank_controls(std::string& text) {
  std::size_t count = 0;
  for (char& c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\t' && c != '\r') {
      c = ' ';
      ++count;
    } else if (u == 0x7F) {
      c = ' ';
      ++count;
    }
  }
  return count;
}

std::string language_code(CLD2::Language language) {
  if (language == CLD2::UNKNOWN_LANGUAGE || language == CLD2::TG_UNKNOWN_LANGUAGE) return "un";
  std::string code = CLD2::LanguageCode(language);
  // cld2 keeps a few pre-1989 codes and script suffixes; ISO 639-1 wants the plain code.
  const std::size_t dash = code.find('-');
  if (dash != std::string::npos) code.resize(dash);
  if (code == "iw") return "he";
  if (code == "in") return "id";
  if (code == "jw") return "jv";
  if (code == "xx" || code.empty()) return "un";
  return code;
}

std::string published_from_page(const Page& page, std::vector<std::string>& warnings) {
  if (page.published.empty()) return {};
  if (auto iso = detail::normalize_date(page.published)) return *iso;
  warnings.push_back("publication date '" + page.published + "' is not a readable date");
  return page.published;
}

}  // namespace

Extractor::Extractor(Options options) : options_(options) {}

Result<Output> Extractor::run(const Page& page) const {
  if (page.content.size() > options_.max_page_bytes) {
    return make_error(ErrorCode::kTooLarge,
                      "page of " + std::to_string(page.content.size()) + " bytes exceeds " +
                          std::to_string(options_.max_page_bytes),
                      "extract: " + page.id);
  }
  std::vector<std::string> warnings;
  if (trim(page.content).empty()) {
    Output out;
    out.warnings.push_back("empty page");
    return out;
  }

  // Bytes to valid UTF-8: a declared charset first, then replacement of what is left.
  std::string text;
  const std::string_view content = page.content;
  const bool utf16_bom = content.starts_with("\xFF\xFE") || content.starts_with("\xFE\xFF");
  if (!utf16_bom && is_valid_utf8(content)) {
    text = content.starts_with("\xEF\xBB\xBF") ? content.substr(3) : content;
  } else {
    // Not UTF-8: the byte-order mark, the transport's charset, the page's own <meta>
    // declaration, then ICU's statistical detection, in that order of trust.
    std::string charset;
    std::optional<std::string> converted;
    std::string how = "declared";
    for (const std::string& candidate :
         {detail::sniff_bom(content), page.charset, detail::sniff_meta_charset(content)}) {
      if (candidate.empty()) continue;
      converted = detail::convert_to_utf8(content, candidate);
      if (converted) {
        charset = candidate;
        break;
      }
    }
    if (!converted && !detail::mostly_utf8(content)) {
      if (std::string detected = detail::detect_charset(content); !detected.empty()) {
        converted = detail::convert_to_utf8(content, detected);
        if (converted) {
          charset = detected;
          how = "detected";
        }
      }
    }
    if (converted) {
      text = std::move(*converted);
      warnings.push_back("converted from " + how + " charset " + charset);
    } else {
      std::size_t replaced = 0;
      text = sanitize_utf8(page.content, &replaced);
      warnings.push_back("invalid UTF-8: " + std::to_string(replaced) +
                         " byte sequences replaced or dropped");
    }
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);  // a BOM kept by the converter
  const bool clean = free_of_controls(text);
  if (!clean && text.find('\0') != std::string::npos) {
    std::size_t replaced = 0;
    text = sanitize_utf8(text, &replaced);
    warnings.push_back("NUL bytes dropped: " + std::to_string(replaced));
  }
  if (const std::size_t controls = clean ? 0 : blank_controls(text); controls > 0) {
    if (static_cast<double>(controls) > kBinaryControlShare * static_cast<double>(text.size())) {
      warnings.push_back("content looks binary: " + std::to_string(controls) +
                         " control bytes blanked");
    } else {
      warnings.push_back("control bytes blanked: " + std::to_string(controls));
    }
  }

  PageFormat format = page.format;
  if (format == PageFormat::kUnknown) {
    format = looks_like_html(text) ? PageFormat::kHtml : PageFormat::kText;
  }

  Output out;
  if (format == PageFormat::kHtml) {
    Result<Output> html = detail::extract_html(text, page, options_);
    if (!html) return html.error();
    out = std::move(*html);
  } else {
    out = detail::extract_text(text, page, options_);
  }

  warnings.insert(warnings.end(), out.warnings.begin(), out.warnings.end());
  out.warnings = std::move(warnings);
  std::vector<std::string> date_warnings;
  const std::string given_date = published_from_page(page, date_warnings);
  out.warnings.insert(out.warnings.end(), date_warnings.begin(), date_warnings.end());

  for (std::size_t i = 0; i < out.articles.size(); ++i) {
    Article& a = out.articles[i];
    a.page_id = page.id;
    a.segment = static_cast<int>(i);
    if (a.url.empty()) a.url = page.url.empty() ? a.canonical_url : page.url;
    if (!page.source.empty()) {
      a.source = page.source;
    } else if (a.source.empty()) {
      a.source = !a.site_name.empty() ? a.site_name : url_host(a.url);
    }
    if (!given_date.empty()) a.published = given_date;
    if (a.title.empty() && i == 0) a.title = collapse_whitespace(page.title);
    if (a.language.empty()) {
      a.language = detect_language(a.title.empty() ? a.text : a.title + "\n" + a.text);
    }
    // Articles of a segmented page share the page's notes; each must stand alone in the store.
    std::vector<std::string> notes = out.warnings;
    notes.insert(notes.end(), a.warnings.begin(), a.warnings.end());
    a.warnings = std::move(notes);
  }
  if (out.articles.empty() && out.warnings.empty()) out.warnings.push_back("no article found");
  return out;
}

std::string detect_language(const std::string& text) {
  std::string_view sample(text);
  if (sample.size() > kLanguageSampleBytes) {
    std::size_t cut = kLanguageSampleBytes;
    while (cut > 0 && (static_cast<unsigned char>(sample[cut]) & 0xC0) == 0x80) --cut;
    sample = sample.substr(0, cut);
  }
  std::size_t letters = 0;
  for (char c : sample) {
    const auto u = static_cast<unsigned char>(c);
    // ASCII letters and lead bytes of multi-byte characters (each a letter in most scripts).
    if ((u | 0x20) >= 'a' && (u | 0x20) <= 'z') ++letters;
    if (u >= 0xC0) ++letters;
  }
  if (letters < kLanguageMinLetters) return "un";
  CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  CLD2::Language language3[3];
  int percent3[3];
  double scores3[3];
  int text_bytes = 0;
  bool reliable = false;
  int valid_prefix = 0;
  const CLD2::Language language = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      sample.data(), static_cast<int>(sample.size()), /*is_plain_text=*/true, &hints, 0, language3,
      percent3, scores3, nullptr, &text_bytes, &reliable, &valid_prefix);
  if (!reliable) return "un";
  return language_code(language);
}

namespace detail {

// By shape (a lead byte and its continuation bytes), not text_util's strict
// utf8_sequence_length: overlong forms and CESU-8 surrogates (emoji written by Java-style
// encoders) are UTF-8 that is to be repaired; counted as broken they can send a UTF-8 page to
// charset detection, and all its accented letters would come out as mojibake.
bool mostly_utf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t good = 0, bad = 0;
  for (std::size_t i = 0; i < bytes.size();) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = c >= 0xF0 && c <= 0xF4  ? 4
                            : c >= 0xE0             ? 3
                            : c >= 0xC2 && c < 0xE0 ? 2
                                                    : 0;
    std::size_t k = 1;
    while (len && k < len && i + k < bytes.size() && (p[i + k] & 0xC0) == 0x80) ++k;
    if (len && k == len) {
      ++good;
      i += len;
    } else {
      ++bad;
      ++i;
    }
  }
  return good > bad;
}

std::string sniff_bom(std::string_view bytes) {
  if (bytes.size() >= 2) {
    if (bytes[0] == '\xFF' && bytes[1] == '\xFE') return "UTF-16LE";
    if (bytes[0] == '\xFE' && bytes[1] == '\xFF') return "UTF-16BE";
  }
  return {};
}

std::string detect_charset(std::string_view bytes) {
  // ICU's detector reads a sample; the page head and first paragraphs decide.
  constexpr std::size_t kSample = 64 * 1024;
  const std::string_view sample = bytes.substr(0, kSample);
  // A few stray high bytes in ASCII text are damage to repair, not a legacy charset.
  constexpr std::size_t kMinHighBytes = 16;
  const std::size_t high = static_cast<std::size_t>(std::count_if(
      sample.begin(), sample.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
  if (high < kMinHighBytes) return {};
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> detector(ucsdet_open(&status),
                                                                      &ucsdet_close);
  if (U_FAILURE(status) || !detector) return {};
  // Markup would skew the statistics toward ASCII charsets.
  ucsdet_enableInputFilter(detector.get(), true);
  ucsdet_setText(detector.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
  const UCharsetMatch* match = ucsdet_detect(detector.get(), &status);
  if (U_FAILURE(status) || match == nullptr) return {};
  // ICU's confidence is low even on clean legacy text (48 on a Cyrillic page) and high on a
  // few stray bytes in ASCII text, so only outright guesses are refused here; whether there
  // is enough non-ASCII text to decode at all is decided by the caller's byte count.
  constexpr int32_t kMinConfidence = 10;
  if (ucsdet_getConfidence(match, &status) < kMinConfidence) return {};
  const char* name = ucsdet_getName(match, &status);
  if (U_FAILURE(status) || name == nullptr) return {};
  const std::string lower = ascii_lower(name);
  if (lower == "utf-8") return {};  // invalid UTF-8 is repaired, not converted
  return name;
}

std::string sniff_meta_charset(std::string_view bytes) {
  const std::string head = ascii_lower(bytes.substr(0, 4096));
  std::size_t at = head.find("charset=");
  if (at == std::string::npos) return {};
  at += 8;
  while (at < head.size() && (head[at] == '"' || head[at] == '\'' || head[at] == ' ')) ++at;
  std::size_t end = at;
  while (end < head.size() && end - at < 40 &&
         ((head[end] >= 'a' && head[end] <= 'z') || (head[end] >= '0' && head[end] <= '9') ||
          head[end] == '-' || head[end] == '_' || head[end] == ':' || head[end] == '.')) {
    ++end;
  }
  return head.substr(at, end - at);
}

std::optional<std::string> convert_to_utf8(std::string_view bytes, const std::string& charset) {
  const std::string lower = ascii_lower(charset);
  if (lower == "utf-8" || lower == "utf8") return std::nullopt;  // nothing to convert
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX / 4)) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> converter(ucnv_open(charset.c_str(), &status),
                                                               &ucnv_close);
  if (U_FAILURE(status) || !converter) return std::nullopt;
  // Through UTF-16: at most one UChar per input byte, at most 3 UTF-8 bytes per UChar.
  std::u16string wide(bytes.size() + 1, u'\0');
  const int32_t wide_len =
      ucnv_toUChars(converter.get(), wide.data(), static_cast<int32_t>(wide.size()), bytes.data(),
                    static_cast<int32_t>(bytes.size()), &status);
  if (U_FAILURE(status)) return std::nullopt;
  std::string out(static_cast<std::size_t>(wide_len) * 3 + 1, '\0');
  int32_t out_len = 0;
  u_strToUTF8WithSub(out.data(), static_cast<int32_t>(out.size()), &out_len, wide.data(), wide_len,
                     0xFFFD, nullptr, &status);
  if (U_FAILURE(status)) return std::nullopt;
  out.resize(static_cast<std::size_t>(out_len));
  return out;
}

}  // namespace detail

}  // namespace storyline::extract
