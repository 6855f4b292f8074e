// The fast HTML path: one tokenizer pass feeding a simplified HTML5 tree builder (see
// fast_html.h for what is and is not implemented). Hot-path rules: no allocation per token;
// text and attribute values are views into the input unless they hold a character reference,
// NUL or invalid UTF-8, in which case they are decoded once into the parser's arena.
#include "extract/fast_html.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "extract/control_bytes.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace storyline::extract::fast_html {

namespace {

// ---- byte classes and UTF-8 ------------------------------------------------------------

constexpr bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
}
constexpr bool is_alpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
constexpr char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c; }

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
inline bool has_zero_byte(std::uint64_t w) { return ((w - kOnes) & ~w & kHighs) != 0; }
inline bool has_byte(std::uint64_t w, unsigned char b) { return has_zero_byte(w ^ (kOnes * b)); }

// Length of the valid UTF-8 sequence at `p` (1-4), or 0 when it is not valid there.
inline std::size_t utf8_sequence(const unsigned char* p, std::size_t left) {
  const unsigned c = p[0];
  if (c < 0x80) return 1;
  if (c < 0xC2) return 0;
  auto cont = [&](std::size_t k) { return (p[k] & 0xC0) == 0x80; };
  if (c < 0xE0) return left >= 2 && cont(1) ? 2 : 0;
  if (c < 0xF0) {
    if (left < 3 || !cont(2)) return 0;
    const unsigned c1 = p[1];
    const bool ok = c == 0xE0 ? (c1 >= 0xA0 && c1 <= 0xBF)
                              : (c == 0xED ? (c1 >= 0x80 && c1 <= 0x9F) : (c1 & 0xC0) == 0x80);
    return ok ? 3 : 0;
  }
  if (c < 0xF5) {
    if (left < 4 || !cont(2) || !cont(3)) return 0;
    const unsigned c1 = p[1];
    const bool ok = c == 0xF0 ? (c1 >= 0x90 && c1 <= 0xBF)
                              : (c == 0xF4 ? (c1 >= 0x80 && c1 <= 0x8F) : (c1 & 0xC0) == 0x80);
    return ok ? 4 : 0;
  }
  return 0;
}

// A control character other than whitespace (C0 or DEL): gumbo replaces these with U+FFFD and
// so do we, so no text carries them into JSON.
constexpr bool is_control(unsigned char c) {
  return detail::is_control(c, /*form_feed_is_space=*/true);
}

// Bytes from `i` that are plain printable ASCII or whitespace and (with `references`) no '&':
// the common case, skipped 16 bytes at a time where SSE2 is there (every x86-64), else 8 by
// SWAR.
inline std::size_t plain_run(const unsigned char* p, std::size_t i, std::size_t n,
                             bool references) {
#if defined(__SSE2__)
  const __m128i amp = _mm_set1_epi8(references ? '&' : 0x7F);
  while (i + 16 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // Controls and bytes from 0x80 up (UTF-8 to check) stop the run.
    const __m128i special =
        _mm_or_si128(detail::control_bytes(v, true, true), _mm_cmpeq_epi8(v, amp));
    const int mask = _mm_movemask_epi8(special);
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    i += 16;
  }
#endif
  while (i + 8 <= n) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    // Any byte >= 0x80 or < 0x20 (whitespace included: the byte loop sorts those out).
    const bool low = ((w - kOnes * 0x20) & ~w & kHighs) != 0;
    if ((w & kHighs) != 0 || low || has_byte(w, 0x7F) || (references && has_byte(w, '&'))) break;
    i += 8;
  }
  return i;
}

// True when `s` holds NUL, a control character, invalid UTF-8 or (with `references`) a '&':
// it must be decoded.
bool needs_decoding(std::string_view s, bool references) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    i = plain_run(p, i, n, references);
    if (i >= n) break;
    const unsigned char c = p[i];
    if (is_control(c) || (references && c == '&')) return true;
    if (c < 0x80) {
      ++i;
      continue;
    }
    // A run of multi-byte characters (CJK, Cyrillic text) is validated here without going
    // back to the vector loop for each one.
    while (i < n && p[i] >= 0x80) {
      const std::size_t len = utf8_sequence(p + i, n - i);
      if (len == 0) return true;
      i += len;
    }
  }
  return false;
}

std::size_t put_code_point(char32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

constexpr char32_t kReplacement = 0xFFFD;

// Bytes of the ill-formed sequence at `p` replaced by one U+FFFD: its "maximal subpart" (the
// WHATWG decoder's rule, which gumbo follows): a valid lead byte and the continuation bytes
// that could still have completed it.
inline std::size_t invalid_sequence(const unsigned char* p, std::size_t left) {
  const unsigned c = p[0];
  std::size_t need;
  unsigned lo = 0x80, hi = 0xBF;  // range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    need = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 1;
  }
  std::size_t k = 1;
  if (k < left && p[k] >= lo && p[k] <= hi) {
    ++k;
    while (k < need && k < left && (p[k] & 0xC0) == 0x80) ++k;
  }
  return k;
}

// ---- character references ---------------------------------------------------------------

struct Entity {
  std::string_view name;  // with ';' unless a legacy name usable without it
  std::string_view utf8;
};

constexpr Entity kEntities[] = {
#include "extract/fast_html_entities.inc"
};
// The longest name in the table ("CounterClockwiseContourIntegral;") is 33 bytes.
constexpr std::size_t kMaxEntityName = 33;
// Legacy names valid without ';' are at most 6 letters ("middot", "frac34").
constexpr std::size_t kMaxLegacyName = 6;

const Entity* find_entity(std::string_view name) {
  const Entity* end = kEntities + std::size(kEntities);
  const Entity* it = std::lower_bound(
      kEntities, end, name, [](const Entity& e, std::string_view n) { return e.name < n; });
  return (it != end && it->name == name) ? it : nullptr;
}

// Numeric references 0x80-0x9F name windows-1252 characters (HTML5 "numeric character
// reference end state").
constexpr char32_t kWindows1252[32] = {
    0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};

// Decodes the reference at in[i] == '&'. Writes its value to `out` and returns the bytes
// consumed, or 0 when it is not a reference (the '&' is then literal).
std::size_t decode_reference(std::string_view in, std::size_t i, bool in_attribute, char* out,
                             std::size_t& written) {
  const std::size_t n = in.size();
  std::size_t k = i + 1;
  if (k < n && in[k] == '#') {
    ++k;
    const bool hex = k < n && (in[k] == 'x' || in[k] == 'X');
    if (hex) ++k;
    const std::size_t digits_start = k;
    char32_t value = 0;
    while (k < n) {
      const char c = in[k];
      int digit;
      if (is_digit(c))
        digit = c - '0';
      else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
        digit = (c | 0x20) - 'a' + 10;
      else
        break;
      value = value * (hex ? 16 : 10) + static_cast<char32_t>(digit);
      if (value > 0x10FFFF) value = 0x110000;  // saturate: out of range either way
      ++k;
    }
    if (k == digits_start) return 0;
    if (k < n && in[k] == ';') ++k;
    if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
      value = kReplacement;
    else if (value >= 0x80 && value <= 0x9F)
      value = kWindows1252[value - 0x80];
    written = put_code_point(value, out);
    return k - i;
  }
  std::size_t len = 0;
  while (k + len < n && len < kMaxEntityName && is_alnum(in[k + len])) ++len;
  if (len == 0) return 0;
  if (k + len < n && in[k + len] == ';') {
    if (const Entity* e = find_entity(in.substr(k, len + 1))) {
      std::memcpy(out, e->utf8.data(), e->utf8.size());
      written = e->utf8.size();
      return len + 2;
    }
  }
  // A legacy name without ';': the longest one that prefixes the run.
  for (std::size_t take = std::min(len, kMaxLegacyName); take >= 2; --take) {
    const Entity* e = find_entity(in.substr(k, take));
    if (e == nullptr) continue;
    // In attributes "&copy=1" or "&copyx" stay literal (query strings in URLs).
    if (in_attribute && k + take < n && (is_alnum(in[k + take]) || in[k + take] == '=')) return 0;
    std::memcpy(out, e->utf8.data(), e->utf8.size());
    written = e->utf8.size();
    return take + 1;
  }
  return 0;
}

// Decodes `in` into `out`, which has room for 3 * in.size() bytes (no reference, NUL or
// invalid byte grows more than threefold); returns the bytes written.
std::size_t decode_into(std::string_view in, bool references, bool in_attribute, bool drop_nul,
                        char* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  std::size_t i = 0, o = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c == '&' && references) {
      std::size_t written = 0;
      const std::size_t used = decode_reference(in, i, in_attribute, out + o, written);
      if (used > 0) {
        i += used;
        o += written;
        continue;
      }
      out[o++] = '&';
      ++i;
    } else if (c == 0) {
      // In ordinary text HTML5 drops NUL; in attributes and raw text it is U+FFFD.
      if (!drop_nul) o += put_code_point(kReplacement, out + o);
      ++i;
    } else if (is_control(c)) {
      o += put_code_point(kReplacement, out + o);
      ++i;
    } else if (c < 0x80) {
      out[o++] = static_cast<char>(c);
      ++i;
    } else {
      const std::size_t len = utf8_sequence(p + i, n - i);
      if (len == 0) {
        o += put_code_point(kReplacement, out + o);
        i += invalid_sequence(p + i, n - i);
      } else {
        std::memcpy(out + o, p + i, len);
        o += len;
        i += len;
      }
    }
  }
  return o;
}

// ---- tag classes --------------------------------------------------------------------------

enum TagFlag : std::uint16_t {
  kVoid = 1 << 0,
  kRawText = 1 << 1,  // content up to the end tag is text, references not decoded
  kRcdata = 1 << 2,   // the same with references decoded (title, textarea)
  kClosesP = 1 << 3,  // a start tag closes an open <p> (in button scope)
  kSpecial = 1 << 4,  // HTML5 "special": stops the search of a non-special end tag
  kScope = 1 << 5,    // scope boundary: end tags never close across it
  kFormatting = 1 << 6,
  kHeadContent = 1 << 7,  // goes into <head> when it comes before <body>
  kHeading = 1 << 8,
  kTableSection = 1 << 9,  // tbody, thead, tfoot
};

using TagFlags = std::array<std::uint16_t, GUMBO_TAG_LAST + 1>;

constexpr TagFlags make_tag_flags() {
  TagFlags f{};
  auto set = [&](std::initializer_list<GumboTag> tags, std::uint16_t flag) {
    for (GumboTag t : tags) f[t] |= flag;
  };
  set({GUMBO_TAG_AREA,  GUMBO_TAG_BASE,   GUMBO_TAG_BASEFONT, GUMBO_TAG_BGSOUND, GUMBO_TAG_BR,
       GUMBO_TAG_COL,   GUMBO_TAG_EMBED,  GUMBO_TAG_FRAME,    GUMBO_TAG_HR,      GUMBO_TAG_IMAGE,
       GUMBO_TAG_IMG,   GUMBO_TAG_INPUT,  GUMBO_TAG_KEYGEN,   GUMBO_TAG_LINK,    GUMBO_TAG_META,
       GUMBO_TAG_PARAM, GUMBO_TAG_SOURCE, GUMBO_TAG_TRACK,    GUMBO_TAG_WBR,     GUMBO_TAG_ISINDEX},
      kVoid);
  set({GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE, GUMBO_TAG_XMP, GUMBO_TAG_IFRAME, GUMBO_TAG_NOEMBED,
       GUMBO_TAG_NOFRAMES, GUMBO_TAG_NOSCRIPT},
      kRawText);
  set({GUMBO_TAG_TITLE, GUMBO_TAG_TEXTAREA}, kRcdata);
  set({GUMBO_TAG_ADDRESS, GUMBO_TAG_ARTICLE,   GUMBO_TAG_ASIDE,      GUMBO_TAG_BLOCKQUOTE,
       GUMBO_TAG_CENTER,  GUMBO_TAG_DETAILS,   GUMBO_TAG_DIR,        GUMBO_TAG_DIV,
       GUMBO_TAG_DL,      GUMBO_TAG_FIELDSET,  GUMBO_TAG_FIGCAPTION, GUMBO_TAG_FIGURE,
       GUMBO_TAG_FOOTER,  GUMBO_TAG_FORM,      GUMBO_TAG_HEADER,     GUMBO_TAG_HGROUP,
       GUMBO_TAG_MAIN,    GUMBO_TAG_MENU,      GUMBO_TAG_NAV,        GUMBO_TAG_OL,
       GUMBO_TAG_P,       GUMBO_TAG_SECTION,   GUMBO_TAG_SUMMARY,    GUMBO_TAG_UL,
       GUMBO_TAG_H1,      GUMBO_TAG_H2,        GUMBO_TAG_H3,         GUMBO_TAG_H4,
       GUMBO_TAG_H5,      GUMBO_TAG_H6,        GUMBO_TAG_PRE,        GUMBO_TAG_LISTING,
       GUMBO_TAG_TABLE,   GUMBO_TAG_HR,        GUMBO_TAG_LI,         GUMBO_TAG_DD,
       GUMBO_TAG_DT,      GUMBO_TAG_PLAINTEXT, GUMBO_TAG_XMP},
      kClosesP);
  set({GUMBO_TAG_ADDRESS,
       GUMBO_TAG_APPLET,
       GUMBO_TAG_AREA,
       GUMBO_TAG_ARTICLE,
       GUMBO_TAG_ASIDE,
       GUMBO_TAG_BASE,
       GUMBO_TAG_BASEFONT,
       GUMBO_TAG_BGSOUND,
       GUMBO_TAG_BLOCKQUOTE,
       GUMBO_TAG_BODY,
       GUMBO_TAG_BR,
       GUMBO_TAG_BUTTON,
       GUMBO_TAG_CAPTION,
       GUMBO_TAG_CENTER,
       GUMBO_TAG_COL,
       GUMBO_TAG_COLGROUP,
       GUMBO_TAG_DD,
       GUMBO_TAG_DETAILS,
       GUMBO_TAG_DIR,
       GUMBO_TAG_DIV,
       GUMBO_TAG_DL,
       GUMBO_TAG_DT,
       GUMBO_TAG_EMBED,
       GUMBO_TAG_FIELDSET,
       GUMBO_TAG_FIGCAPTION,
       GUMBO_TAG_FIGURE,
       GUMBO_TAG_FOOTER,
       GUMBO_TAG_FORM,
       GUMBO_TAG_FRAME,
       GUMBO_TAG_FRAMESET,
       GUMBO_TAG_H1,
       GUMBO_TAG_H2,
       GUMBO_TAG_H3,
       GUMBO_TAG_H4,
       GUMBO_TAG_H5,
       GUMBO_TAG_H6,
       GUMBO_TAG_HEAD,
       GUMBO_TAG_HEADER,
       GUMBO_TAG_HGROUP,
       GUMBO_TAG_HR,
       GUMBO_TAG_HTML,
       GUMBO_TAG_IFRAME,
       GUMBO_TAG_IMG,
       GUMBO_TAG_INPUT,
       GUMBO_TAG_KEYGEN,
       GUMBO_TAG_LI,
       GUMBO_TAG_LINK,
       GUMBO_TAG_LISTING,
       GUMBO_TAG_MAIN,
       GUMBO_TAG_MARQUEE,
       GUMBO_TAG_MENU,
       GUMBO_TAG_META,
       GUMBO_TAG_NAV,
       GUMBO_TAG_NOEMBED,
       GUMBO_TAG_NOFRAMES,
       GUMBO_TAG_NOSCRIPT,
       GUMBO_TAG_OBJECT,
       GUMBO_TAG_OL,
       GUMBO_TAG_P,
       GUMBO_TAG_PARAM,
       GUMBO_TAG_PLAINTEXT,
       GUMBO_TAG_PRE,
       GUMBO_TAG_SCRIPT,
       GUMBO_TAG_SECTION,
       GUMBO_TAG_SELECT,
       GUMBO_TAG_SOURCE,
       GUMBO_TAG_STYLE,
       GUMBO_TAG_SUMMARY,
       GUMBO_TAG_TABLE,
       GUMBO_TAG_TBODY,
       GUMBO_TAG_TD,
       GUMBO_TAG_TEMPLATE,
       GUMBO_TAG_TEXTAREA,
       GUMBO_TAG_TFOOT,
       GUMBO_TAG_TH,
       GUMBO_TAG_THEAD,
       GUMBO_TAG_TITLE,
       GUMBO_TAG_TR,
       GUMBO_TAG_TRACK,
       GUMBO_TAG_UL,
       GUMBO_TAG_WBR,
       GUMBO_TAG_XMP,
       GUMBO_TAG_FOREIGNOBJECT,
       GUMBO_TAG_SVG,
       GUMBO_TAG_MATH},
      kSpecial);
  set({GUMBO_TAG_APPLET, GUMBO_TAG_CAPTION, GUMBO_TAG_HTML, GUMBO_TAG_BODY, GUMBO_TAG_TABLE,
       GUMBO_TAG_TD, GUMBO_TAG_TH, GUMBO_TAG_MARQUEE, GUMBO_TAG_OBJECT, GUMBO_TAG_TEMPLATE,
       GUMBO_TAG_FOREIGNOBJECT},
      kScope);
  set({GUMBO_TAG_A, GUMBO_TAG_B, GUMBO_TAG_BIG, GUMBO_TAG_CODE, GUMBO_TAG_EM, GUMBO_TAG_FONT,
       GUMBO_TAG_I, GUMBO_TAG_NOBR, GUMBO_TAG_S, GUMBO_TAG_SMALL, GUMBO_TAG_STRIKE,
       GUMBO_TAG_STRONG, GUMBO_TAG_TT, GUMBO_TAG_U},
      kFormatting);
  set({GUMBO_TAG_BASE, GUMBO_TAG_BASEFONT, GUMBO_TAG_BGSOUND, GUMBO_TAG_LINK, GUMBO_TAG_META,
       GUMBO_TAG_TITLE, GUMBO_TAG_STYLE, GUMBO_TAG_SCRIPT, GUMBO_TAG_NOSCRIPT},
      kHeadContent);
  set({GUMBO_TAG_H1, GUMBO_TAG_H2, GUMBO_TAG_H3, GUMBO_TAG_H4, GUMBO_TAG_H5, GUMBO_TAG_H6},
      kHeading);
  set({GUMBO_TAG_TBODY, GUMBO_TAG_THEAD, GUMBO_TAG_TFOOT}, kTableSection);
  return f;
}

constexpr TagFlags kTagFlags = make_tag_flags();

inline bool has(GumboTag t, std::uint16_t flag) { return (kTagFlags[t] & flag) != 0; }

// Tag names to GumboTag: an open-addressing table filled once from gumbo's own names, several
// times faster than gumbo_tagn_enum's case-folding perfect hash on this path.
class TagTable {
 public:
  TagTable() {
    for (int t = 0; t < GUMBO_TAG_UNKNOWN; ++t) {
      const std::string_view name = gumbo_normalized_tagname(static_cast<GumboTag>(t));
      if (name.empty()) continue;
      std::size_t h = hash(name.data(), name.size());
      while (!slots_[h].name.empty()) h = (h + 1) & (kSlots - 1);
      slots_[h] = {name, static_cast<GumboTag>(t)};
    }
  }
  // `name` is lowercase.
  GumboTag find(const char* name, std::size_t len) const {
    if (len == 0) return GUMBO_TAG_UNKNOWN;
    for (std::size_t h = hash(name, len);; h = (h + 1) & (kSlots - 1)) {
      const Slot& slot = slots_[h];
      if (slot.name.empty()) return GUMBO_TAG_UNKNOWN;
      if (slot.name.size() == len && std::memcmp(slot.name.data(), name, len) == 0) return slot.tag;
    }
  }

 private:
  static constexpr std::size_t kSlots = 1024;  // 150 names: short probe chains
  static std::size_t hash(const char* s, std::size_t n) {
    const auto u = [&](std::size_t k) {
      return static_cast<std::size_t>(static_cast<unsigned char>(s[k]));
    };
    return (n * 97 + u(0) * 31 + u(n - 1) * 7 + u(n / 2) * 131) & (kSlots - 1);
  }
  struct Slot {
    std::string_view name;
    GumboTag tag = GUMBO_TAG_UNKNOWN;
  };
  std::array<Slot, kSlots> slots_{};
};

const TagTable& tag_table() {
  static const TagTable table;
  return table;
}

// ---- arena --------------------------------------------------------------------------------

// Bump allocator for decoded strings and lowercased names; its blocks are kept across parses.
class Arena {
 public:
  char* allocate(std::size_t bytes) {
    if (blocks_.empty() || used_ + bytes > blocks_[current_].size) next_block(bytes);
    char* p = blocks_[current_].data.get() + used_;
    used_ += bytes;
    return p;
  }
  // Gives back the unused tail of the latest allocation.
  void shrink_last(char* start, std::size_t allocated, std::size_t kept) {
    if (start + allocated == blocks_[current_].data.get() + used_) used_ -= allocated - kept;
  }
  void reset() {
    // Keep the regular blocks up to kKeptBytes (a huge one goes): memory stays bounded between
    // pages, and the next page of the same size allocates nothing.
    std::size_t kept = 0, total = 0;
    while (kept < blocks_.size() && blocks_[kept].size == kBlock && total + kBlock <= kKeptBytes) {
      total += kBlock;
      ++kept;
    }
    blocks_.resize(kept);
    current_ = 0;
    used_ = 0;
  }

 private:
  static constexpr std::size_t kBlock = 64 * 1024;
  static constexpr std::size_t kKeptBytes = 4 * 1024 * 1024;
  struct Block {
    std::unique_ptr<char[]> data;
    std::size_t size;
  };
  void next_block(std::size_t bytes) {
    if (!blocks_.empty() && current_ + 1 < blocks_.size() && blocks_[current_ + 1].size >= bytes) {
      ++current_;
    } else {
      const std::size_t size = std::max(kBlock, bytes);
      blocks_.push_back({std::make_unique_for_overwrite<char[]>(size), size});
      current_ = blocks_.size() - 1;
    }
    used_ = 0;
  }
  std::vector<Block> blocks_;
  std::size_t current_ = 0, used_ = 0;
};

}  // namespace

// ---- the parser ---------------------------------------------------------------------------

struct Parser::Impl {
  ParseOptions options;
  Document doc;
  Arena arena;
  std::vector<NodeId> open;  // stack of open elements (no document node)
  std::string_view in;
  int foreign_depth = 0;  // open svg/math elements: self-closing tags are honoured inside
  bool stop = false;
  bool clean_utf8 = false;  // the caller vouches: valid UTF-8, no NUL or control bytes
  char name_buffer[64];
  const TagTable& tags = tag_table();

  explicit Impl(ParseOptions o) : options(o) {}

  // -- strings --
  std::string_view decoded(std::string_view s, bool references, bool in_attribute,
                           bool drop_nul = false) {
    if (clean_utf8 ? !references || s.find('&') == std::string_view::npos
                   : !needs_decoding(s, references)) {
      return s;
    }
    const std::size_t room = s.size() * 3;
    char* out = arena.allocate(room);
    const std::size_t len = decode_into(s, references, in_attribute, drop_nul, out);
    arena.shrink_last(out, room, len);
    return {out, len};
  }
  std::string_view lowered(std::string_view s) {
    bool upper = false;
    for (char c : s) upper |= (c >= 'A' && c <= 'Z');
    if (!upper && (clean_utf8 || !needs_decoding(s, false))) return s;
    std::string_view clean = decoded(s, false, false);
    char* out = arena.allocate(clean.size());
    for (std::size_t i = 0; i < clean.size(); ++i) out[i] = to_lower(clean[i]);
    return {out, clean.size()};
  }

  // -- tree --
  NodeId current() const { return open.empty() ? 0 : open.back(); }

  NodeId append(NodeId parent, NodeType type, bool structural = false) {
    auto& nodes = doc.nodes_;
    if (!structural && nodes.size() >= options.max_nodes) {
      doc.truncated_ = true;
      stop = true;
      return kNoNode;
    }
    const NodeId id = static_cast<NodeId>(nodes.size());
    Node& node = nodes.emplace_back();
    node.type = type;
    node.parent = parent;
    Node& p = nodes[parent];
    if (p.last_child == kNoNode) {
      p.first_child = id;
    } else {
      nodes[p.last_child].next_sibling = id;
      node.prev_sibling = p.last_child;
    }
    p.last_child = id;
    return id;
  }

  NodeId append_element(NodeId parent, GumboTag tag, std::string_view name,
                        std::uint32_t attr_begin, bool structural = false) {
    const NodeId id = append(parent, NodeType::kElement, structural);
    if (id == kNoNode) {
      doc.attrs_.resize(attr_begin);
      return id;
    }
    Node& node = doc.nodes_[id];
    node.tag = tag;
    node.text = name;
    node.attr_begin = attr_begin;
    node.attr_count = static_cast<std::uint32_t>(doc.attrs_.size() - attr_begin);
    return id;
  }

  NodeId structural(NodeId parent, GumboTag tag) {
    return append_element(parent, tag, gumbo_normalized_tagname(tag),
                          static_cast<std::uint32_t>(doc.attrs_.size()), true);
  }

  void pop() {
    const GumboTag t = doc.nodes_[open.back()].tag;
    if (t == GUMBO_TAG_SVG || t == GUMBO_TAG_MATH) --foreign_depth;
    open.pop_back();
  }
  void pop_through(std::size_t index) {  // pops open[index] and everything above it
    while (open.size() > index) pop();
  }

  void ensure_html() {
    if (doc.html_ != kNoNode) return;
    doc.html_ = structural(0, GUMBO_TAG_HTML);
    open.push_back(doc.html_);
  }
  void ensure_head() {
    ensure_html();
    if (doc.head_ != kNoNode) return;
    doc.head_ = structural(doc.html_, GUMBO_TAG_HEAD);
    open.push_back(doc.head_);
  }
  void ensure_body() {
    if (doc.body_ != kNoNode) return;
    ensure_head();
    pop_through(1);  // back to <html>
    doc.body_ = structural(doc.html_, GUMBO_TAG_BODY);
    open.push_back(doc.body_);
  }

  // Index in `open` of the nearest element with tag `t` within the default scope (plus
  // `extra` boundaries), or npos.
  std::size_t in_scope(GumboTag t, std::uint16_t stop_flags, GumboTag extra1 = GUMBO_TAG_LAST,
                       GumboTag extra2 = GUMBO_TAG_LAST) const {
    for (std::size_t k = open.size(); k-- > 0;) {
      const GumboTag at = doc.nodes_[open[k]].tag;
      if (at == t) return k;
      if (has(at, stop_flags) || at == extra1 || at == extra2) return std::string_view::npos;
    }
    return std::string_view::npos;
  }

  // The nearest open table context at or above: index of table/tbody/thead/tfoot/tr as asked.
  std::size_t nearest_table_part(bool rows) const {
    for (std::size_t k = open.size(); k-- > 0;) {
      const GumboTag at = doc.nodes_[open[k]].tag;
      if (at == GUMBO_TAG_TABLE || has(at, kTableSection) || (rows && at == GUMBO_TAG_TR)) return k;
      if (at == GUMBO_TAG_HTML || at == GUMBO_TAG_TEMPLATE) break;
    }
    return std::string_view::npos;
  }

  bool push_allowed() {
    if (static_cast<int>(open.size()) < options.max_depth) return true;
    doc.flattened_ = true;
    return false;
  }

  void push_element(GumboTag tag, std::string_view name, std::uint32_t attr_begin) {
    if (!push_allowed()) {
      doc.attrs_.resize(attr_begin);
      return;
    }
    const NodeId id = append_element(current(), tag, name, attr_begin);
    if (id == kNoNode) return;
    open.push_back(id);
    if (tag == GUMBO_TAG_SVG || tag == GUMBO_TAG_MATH) ++foreign_depth;
  }

  void text(std::string_view raw, bool references) {
    const std::string_view clean = decoded(raw, references, false, /*drop_nul=*/true);
    if (clean.empty()) return;  // only NUL bytes
    std::size_t first = 0;
    while (first < clean.size() && is_space(clean[first])) ++first;
    const bool whitespace = first == clean.size();
    if (doc.body_ == kNoNode) {
      if (whitespace) return;  // inter-element whitespace before <body> carries nothing
      ensure_body();
    }
    const NodeId id = append(current(), NodeType::kText);
    if (id == kNoNode) return;
    Node& node = doc.nodes_[id];
    node.whitespace = whitespace;
    node.text = clean;
  }

  void comment(std::string_view body) {
    if (!options.keep_comments) return;
    NodeId parent = current();
    if (doc.body_ == kNoNode && doc.head_ != kNoNode) parent = doc.head_;  // keeps ids in order
    const NodeId id = append(parent, NodeType::kComment);
    if (id != kNoNode) doc.nodes_[id].text = decoded(body, false, false);
  }

  // -- tokenizer --
  // Parses the attributes of a tag from `i` (just after its name) to its '>'. Appends them to
  // doc.attrs_ unless `keep` is false. Returns one past '>', or npos at end of input (a tag cut
  // off by the end of the input is dropped, as HTML5 does).
  std::size_t attributes(std::size_t i, bool keep, bool& self_closing) {
    const std::string_view s = in;
    const std::size_t n = s.size();
    self_closing = false;
    while (true) {
      while (i < n && (is_space(s[i]) || s[i] == '/')) {
        if (s[i] == '/' && i + 1 < n && s[i + 1] == '>') {
          self_closing = true;
          return i + 2;
        }
        ++i;
      }
      if (i >= n) return std::string_view::npos;
      if (s[i] == '>') return i + 1;
      const std::size_t name_start = i++;
      while (i < n && !is_space(s[i]) && s[i] != '/' && s[i] != '>' && s[i] != '=') ++i;
      const std::string_view name = s.substr(name_start, i - name_start);
      std::size_t j = i;
      while (j < n && is_space(s[j])) ++j;
      std::string_view value;
      if (j < n && s[j] == '=') {
        ++j;
        while (j < n && is_space(s[j])) ++j;
        if (j >= n) return std::string_view::npos;
        if (s[j] == '"' || s[j] == '\'') {
          const void* close = std::memchr(s.data() + j + 1, s[j], n - j - 1);
          if (close == nullptr) return std::string_view::npos;
          const std::size_t end = static_cast<const char*>(close) - s.data();
          value = s.substr(j + 1, end - j - 1);
          i = end + 1;
        } else {
          const std::size_t start = j;
          while (j < n && !is_space(s[j]) && s[j] != '>') ++j;
          value = s.substr(start, j - start);
          i = j;
        }
      }
      if (keep) doc.attrs_.push_back({lowered(name), decoded(value, true, true)});
    }
  }

  // Position of the end tag "</name" (case-insensitive, followed by space, '/' or '>') at or
  // after `from`, or the input's size.
  std::size_t find_end_tag(std::size_t from, std::string_view name) const {
    const std::size_t n = in.size();
    while (from < n) {
      const void* lt = std::memchr(in.data() + from, '<', n - from);
      if (lt == nullptr) return n;
      const std::size_t k = static_cast<const char*>(lt) - in.data();
      if (k + 2 + name.size() <= n && in[k + 1] == '/') {
        bool match = true;
        for (std::size_t c = 0; match && c < name.size(); ++c)
          match = to_lower(in[k + 2 + c]) == name[c];
        const std::size_t after = k + 2 + name.size();
        if (match && (after == n || is_space(in[after]) || in[after] == '/' || in[after] == '>'))
          return k;
      }
      from = k + 1;
    }
    return n;
  }

  // Position after the '>' that ends markup from `from`, or the input's size.
  std::size_t skip_to_gt(std::size_t from) const {
    if (from >= in.size()) return in.size();
    const void* gt = std::memchr(in.data() + from, '>', in.size() - from);
    return gt == nullptr ? in.size() : static_cast<const char*>(gt) - in.data() + 1;
  }

  // An element whose content is text up to its end tag: created with one text child.
  std::size_t raw_element(GumboTag tag, std::string_view name, std::uint32_t attr_begin,
                          NodeId parent, std::size_t content_start) {
    const std::size_t end =
        tag == GUMBO_TAG_PLAINTEXT ? in.size() : find_end_tag(content_start, name);
    const NodeId id = append_element(parent, tag, name, attr_begin);
    if (id != kNoNode && end > content_start) {
      const NodeId t = append(id, NodeType::kText);
      if (t != kNoNode) {
        const std::string_view raw = in.substr(content_start, end - content_start);
        doc.nodes_[t].text = decoded(raw, has(tag, kRcdata), false);
        std::size_t first = 0;
        while (first < raw.size() && is_space(raw[first])) ++first;
        doc.nodes_[t].whitespace = first == raw.size();
      }
    }
    if (end >= in.size()) return in.size();
    bool ignored;
    const std::size_t after = attributes(end + 2 + name.size(), false, ignored);
    return after == std::string_view::npos ? in.size() : after;
  }

  std::size_t start_tag(std::size_t lt) {
    const std::size_t n = in.size();
    std::size_t i = lt + 1;
    while (i < n && !is_space(in[i]) && in[i] != '/' && in[i] != '>') ++i;
    const std::string_view raw_name = in.substr(lt + 1, i - lt - 1);
    std::string_view name;
    GumboTag tag = GUMBO_TAG_UNKNOWN;
    if (raw_name.size() <= sizeof(name_buffer)) {
      for (std::size_t c = 0; c < raw_name.size(); ++c) name_buffer[c] = to_lower(raw_name[c]);
      tag = tags.find(name_buffer, raw_name.size());
    }
    name = tag != GUMBO_TAG_UNKNOWN ? std::string_view(gumbo_normalized_tagname(tag))
                                    : lowered(raw_name);
    const auto attr_begin = static_cast<std::uint32_t>(doc.attrs_.size());
    bool self_closing = false;
    const std::size_t end = attributes(i, true, self_closing);
    if (end == std::string_view::npos) {
      doc.attrs_.resize(attr_begin);
      return n;
    }
    tree_start(tag, name, attr_begin, self_closing, end);
    return next_pos_ ? next_pos_ : end;
  }

  std::size_t next_pos_ = 0;  // set by tree_start when it consumed raw text

  void tree_start(GumboTag tag, std::string_view name, std::uint32_t attr_begin, bool self_closing,
                  std::size_t end) {
    next_pos_ = 0;
    auto drop = [&] { doc.attrs_.resize(attr_begin); };
    if (doc.body_ == kNoNode) {
      if (tag == GUMBO_TAG_HTML) {
        if (doc.html_ != kNoNode) return drop();
        doc.html_ = append_element(0, tag, name, attr_begin, true);
        open.push_back(doc.html_);
        return;
      }
      if (tag == GUMBO_TAG_HEAD) {
        if (doc.head_ != kNoNode) return drop();
        ensure_html();
        doc.head_ = append_element(doc.html_, tag, name, attr_begin, true);
        open.push_back(doc.head_);
        return;
      }
      if (tag == GUMBO_TAG_BODY) {
        ensure_head();
        pop_through(1);
        doc.body_ = append_element(doc.html_, tag, name, attr_begin, true);
        open.push_back(doc.body_);
        return;
      }
      if (has(tag, kHeadContent)) {
        ensure_head();
        if (has(tag, kVoid)) {
          append_element(doc.head_, tag, name, attr_begin);
        } else {
          next_pos_ = raw_element(tag, name, attr_begin, doc.head_, end);
        }
        return;
      }
      ensure_body();
    }
    if (tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_HEAD || tag == GUMBO_TAG_BODY) return drop();

    if (foreign_depth > 0) {
      if (self_closing) {
        append_element(current(), tag, name, attr_begin);
      } else {
        push_element(tag, name, attr_begin);
      }
      return;
    }

    if (has(tag, kClosesP)) {
      const std::size_t p = in_scope(GUMBO_TAG_P, kScope, GUMBO_TAG_BUTTON);
      if (p != std::string_view::npos) pop_through(p);
    }
    switch (tag) {
      case GUMBO_TAG_H1:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
      case GUMBO_TAG_H4:
      case GUMBO_TAG_H5:
      case GUMBO_TAG_H6:
        if (has(doc.nodes_[current()].tag, kHeading)) pop();
        break;
      case GUMBO_TAG_LI:
      case GUMBO_TAG_DD:
      case GUMBO_TAG_DT:
        // Close an open list item of the same kind, unless a block other than
        // address/div/p lies in between.
        for (std::size_t k = open.size(); k-- > 0;) {
          const GumboTag at = doc.nodes_[open[k]].tag;
          const bool same =
              tag == GUMBO_TAG_LI ? at == GUMBO_TAG_LI : (at == GUMBO_TAG_DD || at == GUMBO_TAG_DT);
          if (same) {
            pop_through(k);
            break;
          }
          if (has(at, kSpecial) && at != GUMBO_TAG_ADDRESS && at != GUMBO_TAG_DIV &&
              at != GUMBO_TAG_P)
            break;
        }
        break;
      case GUMBO_TAG_OPTION:
        if (doc.nodes_[current()].tag == GUMBO_TAG_OPTION) pop();
        break;
      case GUMBO_TAG_OPTGROUP:
        if (doc.nodes_[current()].tag == GUMBO_TAG_OPTION) pop();
        if (doc.nodes_[current()].tag == GUMBO_TAG_OPTGROUP) pop();
        break;
      case GUMBO_TAG_A: {
        const std::size_t a = in_scope(GUMBO_TAG_A, kScope);
        if (a != std::string_view::npos) pop_through(a);
        break;
      }
      case GUMBO_TAG_BUTTON: {
        const std::size_t b = in_scope(GUMBO_TAG_BUTTON, kScope);
        if (b != std::string_view::npos) pop_through(b);
        break;
      }
      case GUMBO_TAG_TBODY:
      case GUMBO_TAG_THEAD:
      case GUMBO_TAG_TFOOT:
      case GUMBO_TAG_CAPTION:
      case GUMBO_TAG_COLGROUP: {
        const std::size_t t = in_scope(GUMBO_TAG_TABLE, 0, GUMBO_TAG_HTML, GUMBO_TAG_TEMPLATE);
        if (t == std::string_view::npos) return drop();  // outside a table: ignored
        pop_through(t + 1);
        break;
      }
      case GUMBO_TAG_TR: {
        const std::size_t k = nearest_table_part(false);
        if (k == std::string_view::npos) return drop();
        pop_through(k + 1);
        if (doc.nodes_[current()].tag == GUMBO_TAG_TABLE) implied(GUMBO_TAG_TBODY);
        break;
      }
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH: {
        const std::size_t k = nearest_table_part(true);
        if (k == std::string_view::npos) return drop();
        pop_through(k + 1);
        if (doc.nodes_[current()].tag == GUMBO_TAG_TABLE) implied(GUMBO_TAG_TBODY);
        if (doc.nodes_[current()].tag != GUMBO_TAG_TR) implied(GUMBO_TAG_TR);
        break;
      }
      default:
        break;
    }
    if (has(tag, kVoid)) {
      append_element(current(), tag, name, attr_begin);
    } else if (has(tag, kRawText | kRcdata) || tag == GUMBO_TAG_PLAINTEXT) {
      next_pos_ = raw_element(tag, name, attr_begin, current(), end);
    } else {
      push_element(tag, name, attr_begin);
    }
  }

  void implied(GumboTag tag) {
    push_element(tag, gumbo_normalized_tagname(tag), static_cast<std::uint32_t>(doc.attrs_.size()));
  }

  std::size_t end_tag(std::size_t lt) {
    const std::size_t n = in.size();
    std::size_t i = lt + 2;
    while (i < n && !is_space(in[i]) && in[i] != '/' && in[i] != '>') ++i;
    const std::string_view raw_name = in.substr(lt + 2, i - lt - 2);
    bool self_closing;
    const std::size_t end = attributes(i, false, self_closing);
    if (end == std::string_view::npos) return n;
    GumboTag tag = GUMBO_TAG_UNKNOWN;
    if (raw_name.size() <= sizeof(name_buffer)) {
      for (std::size_t c = 0; c < raw_name.size(); ++c) name_buffer[c] = to_lower(raw_name[c]);
      tag = tags.find(name_buffer, raw_name.size());
    }
    tree_end(tag, raw_name);
    return end;
  }

  void tree_end(GumboTag tag, std::string_view raw_name) {
    if (doc.body_ == kNoNode) {
      if (tag == GUMBO_TAG_HEAD && open.size() >= 2 && open.back() == doc.head_) pop();
      return;  // other end tags before <body> are ignored
    }
    switch (tag) {
      case GUMBO_TAG_HTML:
      case GUMBO_TAG_BODY:
      case GUMBO_TAG_HEAD:
        return;             // <body> stays open: content after </body> belongs to it anyway
      case GUMBO_TAG_BR: {  // "</br>" is a <br>
        append_element(current(), GUMBO_TAG_BR, "br",
                       static_cast<std::uint32_t>(doc.attrs_.size()));
        return;
      }
      case GUMBO_TAG_P: {
        const std::size_t k = in_scope(GUMBO_TAG_P, kScope, GUMBO_TAG_BUTTON);
        if (k != std::string_view::npos) pop_through(k);
        return;
      }
      case GUMBO_TAG_LI: {
        const std::size_t k = in_scope(GUMBO_TAG_LI, kScope, GUMBO_TAG_OL, GUMBO_TAG_UL);
        if (k != std::string_view::npos) pop_through(k);
        return;
      }
      case GUMBO_TAG_H1:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
      case GUMBO_TAG_H4:
      case GUMBO_TAG_H5:
      case GUMBO_TAG_H6:
        for (std::size_t k = open.size(); k-- > 0;) {
          const GumboTag at = doc.nodes_[open[k]].tag;
          if (has(at, kHeading)) {
            pop_through(k);
            return;
          }
          if (has(at, kScope)) return;
        }
        return;
      case GUMBO_TAG_TABLE:
      case GUMBO_TAG_TBODY:
      case GUMBO_TAG_THEAD:
      case GUMBO_TAG_TFOOT:
      case GUMBO_TAG_TR:
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH:
      case GUMBO_TAG_CAPTION: {
        // Cells are no boundary for the table's own end tags; the table itself is, for its parts.
        const GumboTag stop = tag == GUMBO_TAG_TABLE ? GUMBO_TAG_LAST : GUMBO_TAG_TABLE;
        const std::size_t k = in_scope(tag, 0, stop, GUMBO_TAG_HTML);
        if (k != std::string_view::npos) pop_through(k);
        return;
      }
      default:
        break;
    }
    // Any other end tag: the nearest open element of that name, unless a boundary comes first
    // (a scope boundary for special elements; any special element for the others, so a stray
    // </span> never closes a <div>).
    const bool special = tag != GUMBO_TAG_UNKNOWN && has(tag, kSpecial);
    const bool formatting = tag != GUMBO_TAG_UNKNOWN && has(tag, kFormatting);
    bool crossed_special = false;
    for (std::size_t k = open.size(); k-- > 0;) {
      const Node& at = doc.nodes_[open[k]];
      const bool match = tag != GUMBO_TAG_UNKNOWN
                             ? at.tag == tag
                             : (at.tag == GUMBO_TAG_UNKNOWN && equals_lower(at.text, raw_name));
      if (match) {
        if (formatting && crossed_special && foreign_depth == 0) {
          // Adoption agency, simplified: the formatting element stops being open, the blocks
          // opened inside it stay open (gumbo would clone it into them instead).
          if (at.tag == GUMBO_TAG_SVG || at.tag == GUMBO_TAG_MATH) --foreign_depth;
          open.erase(open.begin() + static_cast<std::ptrdiff_t>(k));
        } else {
          pop_through(k);
        }
        return;
      }
      if (has(at.tag, kScope)) return;
      if (has(at.tag, kSpecial)) {
        if (!special && !formatting && foreign_depth == 0) return;
        crossed_special = true;
      }
    }
  }

  static bool equals_lower(std::string_view lower, std::string_view raw) {
    if (lower.size() != raw.size()) return false;
    for (std::size_t i = 0; i < raw.size(); ++i)
      if (lower[i] != to_lower(raw[i])) return false;
    return true;
  }

  // Markup at in[lt] == '<' (already known to start markup). Returns the position after it.
  std::size_t markup(std::size_t lt) {
    const std::size_t n = in.size();
    const char c = in[lt + 1];
    if (is_alpha(c)) return start_tag(lt);
    if (c == '/') {
      if (is_alpha(in[lt + 2])) return end_tag(lt);
      if (in[lt + 2] == '>') return lt + 3;  // "</>" is ignored
      const std::size_t end = skip_to_gt(lt + 2);
      comment(in.substr(lt + 2, end - lt - 3));
      return end;
    }
    if (c == '!') {
      if (in.substr(lt, 4) == "<!--") {
        const std::size_t body = lt + 4;
        if (in.substr(body, 1) == ">") return body + 1;   // "<!-->"
        if (in.substr(body, 2) == "->") return body + 2;  // "<!--->"
        const std::size_t close = in.find("-->", body);
        if (close == std::string_view::npos) {
          comment(in.substr(body));
          return n;
        }
        comment(in.substr(body, close - body));
        return close + 3;
      }
      if (foreign_depth > 0 && in.substr(lt, 9) == "<![CDATA[") {
        const std::size_t close = in.find("]]>", lt + 9);
        const std::size_t stop_at = close == std::string_view::npos ? n : close;
        if (stop_at > lt + 9) text(in.substr(lt + 9, stop_at - lt - 9), false);
        return close == std::string_view::npos ? n : close + 3;
      }
      // <!DOCTYPE ...> and bogus comments end at the first '>'.
      const std::size_t end = skip_to_gt(lt + 2);
      return end;
    }
    // '?': a bogus comment (XML processing instruction).
    return skip_to_gt(lt + 1);
  }

  // Position of the next '<' that starts markup at or after `from`, or the input's size.
  std::size_t next_markup(std::size_t from) const {
    const std::size_t n = in.size();
    while (from < n) {
      const void* lt = std::memchr(in.data() + from, '<', n - from);
      if (lt == nullptr) return n;
      const std::size_t k = static_cast<const char*>(lt) - in.data();
      if (k + 1 < n) {
        const char c = in[k + 1];
        if (is_alpha(c) || c == '!' || c == '?' || (c == '/' && k + 2 < n)) return k;
      }
      from = k + 1;
    }
    return n;
  }

  void run(std::string_view html) {
    in = html;
    doc.nodes_.clear();
    doc.attrs_.clear();
    doc.html_ = doc.head_ = doc.body_ = kNoNode;
    doc.flattened_ = doc.truncated_ = false;
    arena.reset();
    open.clear();
    foreign_depth = 0;
    stop = false;
    doc.nodes_.reserve(html.size() / 32 + 16);
    doc.nodes_.emplace_back().type = NodeType::kDocument;
    std::size_t pos = 0;
    const std::size_t n = html.size();
    while (pos < n && !stop) {
      const std::size_t lt = next_markup(pos);
      if (lt > pos) text(html.substr(pos, lt - pos), true);
      if (lt >= n || stop) break;
      pos = markup(lt);
    }
    ensure_body();
    // Subtree ends, bottom-up: nodes are in document order, so children follow their parent.
    auto& nodes = doc.nodes_;
    for (std::size_t i = nodes.size(); i-- > 0;) {
      Node& node = nodes[i];
      node.subtree_end = std::max<NodeId>(node.subtree_end, static_cast<NodeId>(i + 1));
      if (node.parent != kNoNode) {
        Node& p = nodes[node.parent];
        p.subtree_end = std::max(p.subtree_end, node.subtree_end);
      }
    }
  }
};

Parser::Parser(ParseOptions options) : impl_(std::make_unique<Impl>(options)) {}
Parser::~Parser() = default;

const Document& Parser::parse(std::string_view html, bool clean_utf8) {
  impl_->clean_utf8 = clean_utf8;
  impl_->run(html);
  return impl_->doc;
}

void Document::append_text(NodeId n, std::string& out) const {
  const NodeId end = nodes_[n].subtree_end;
  for (NodeId i = n; i < end;) {
    const Node& node = nodes_[i];
    if (node.type == NodeType::kElement &&
        (node.tag == GUMBO_TAG_SCRIPT || node.tag == GUMBO_TAG_STYLE ||
         node.tag == GUMBO_TAG_NOSCRIPT || node.tag == GUMBO_TAG_TEMPLATE)) {
      i = node.subtree_end;
      continue;
    }
    if (node.type == NodeType::kText) {
      out.append(node.text);
      out += ' ';
    }
    ++i;
  }
}

void decode_text(std::string_view in, bool in_attribute, std::string& out) {
  const std::size_t start = out.size();
  out.resize(start + in.size() * 3);
  const std::size_t len = decode_into(in, true, in_attribute, false, out.data() + start);
  out.resize(start + len);
}

}  // namespace storyline::extract::fast_html
