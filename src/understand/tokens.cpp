// Sentence splitting (ICU) and a single-pass UTF-8 tokenizer with case and quote flags.
#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <memory>

#include "understand/internal.h"

namespace storyline::understand::internal {
namespace {

constexpr std::string_view kLeftDouble = "\xE2\x80\x9C";   // “
constexpr std::string_view kRightDouble = "\xE2\x80\x9D";  // ”
constexpr std::string_view kLeftSingle = "\xE2\x80\x98";   // ‘
constexpr std::string_view kRightSingle = "\xE2\x80\x99";  // ’

// The sentence iterator prototype, built once. Its "ss=standard" keyword suppresses breaks
// after common abbreviations ("Mr.", "Dr."). clone() on a const prototype is thread-safe.
const icu::BreakIterator* sentence_prototype() {
  static const icu::BreakIterator* proto = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::BreakIterator* it =
        icu::BreakIterator::createSentenceInstance(icu::Locale("en_US@ss=standard"), status);
    if (U_FAILURE(status)) {
      delete it;
      status = U_ZERO_ERROR;
      it = icu::BreakIterator::createSentenceInstance(icu::Locale::getUS(), status);
    }
    if (U_FAILURE(status)) {
      delete it;
      return static_cast<icu::BreakIterator*>(nullptr);
    }
    return it;
  }();
  return proto;
}

bool is_space_cp(UChar32 c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x2009 ||
         c == 0x202F || c == 0x200B || c == 0xFEFF || (c > 0x7F && u_isUWhiteSpace(c));
}

bool is_word_cp(UChar32 c) {
  if (c < 0x80) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
  return c > 0 &&
         (u_isalnum(c) || u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK);
}

UChar32 peek(std::string_view text, std::size_t i) {
  if (i >= text.size()) return -1;
  int32_t pos = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT(text.data(), pos, static_cast<int32_t>(text.size()), c);
  return c;
}

// Returns the counts of opening and closing double quotes in [begin, end).
void count_quotes(std::string_view s, int& open, int& close, int& straight) {
  open = close = straight = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"') {
      ++straight;
    } else if (static_cast<unsigned char>(s[i]) == 0xE2 && i + 2 < s.size() &&
               static_cast<unsigned char>(s[i + 1]) == 0x80) {
      if (static_cast<unsigned char>(s[i + 2]) == 0x9C) ++open;
      if (static_cast<unsigned char>(s[i + 2]) == 0x9D) ++close;
    }
  }
}

}  // namespace

QuoteMark quote_mark(std::string_view p, bool letter_before, bool letter_after) {
  if (p == "\"") return QuoteMark::kStraight;
  if (p == kLeftDouble || p == kLeftSingle || p == "\xC2\xAB") return QuoteMark::kOpen;
  if (p == kRightDouble || p == "\xC2\xBB") return QuoteMark::kClose;
  if (p == kRightSingle) {
    // ’ is also the apostrophe; as a quote it closes after a word and before a non-letter.
    return letter_after ? QuoteMark::kNone : QuoteMark::kClose;
  }
  return QuoteMark::kNone;
}

std::vector<Sentence> split_sentences(std::string_view text) {
  std::vector<Sentence> raw;
  const icu::BreakIterator* proto = sentence_prototype();
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  std::unique_ptr<icu::BreakIterator> it(proto ? proto->clone() : nullptr);
  if (it && U_SUCCESS(status)) {
    it->setText(ut, status);
  }
  auto push = [&](std::size_t b, std::size_t e) {
    while (b < e && is_space_cp(static_cast<unsigned char>(text[b]))) ++b;
    while (e > b && is_space_cp(static_cast<unsigned char>(text[e - 1]))) --e;
    // Non-breaking spaces at the ends.
    while (e >= b + 2 && text.substr(e - 2, 2) == "\xC2\xA0") e -= 2;
    if (e > b) raw.push_back(Sentence{{static_cast<uint32_t>(b), static_cast<uint32_t>(e)}});
  };
  if (it && U_SUCCESS(status)) {
    int32_t prev = 0;
    for (int32_t pos = it->next(); pos != icu::BreakIterator::DONE; pos = it->next()) {
      // A paragraph break always ends a sentence (ICU does this too; be explicit for CR-less
      // input with other separators).
      std::size_t b = static_cast<std::size_t>(prev), e = static_cast<std::size_t>(pos);
      std::size_t nl;
      while ((nl = text.substr(b, e - b).find('\n')) != std::string_view::npos) {
        push(b, b + nl);
        b = b + nl + 1;
      }
      push(b, e);
      prev = pos;
    }
  } else {
    // No ICU data: paragraphs only.
    std::size_t b = 0;
    while (b <= text.size()) {
      std::size_t nl = text.find('\n', b);
      if (nl == std::string_view::npos) nl = text.size();
      push(b, nl);
      b = nl + 1;
    }
  }
  utext_close(ut);

  // Merge a sentence that leaves a quotation open with the following ones of the same
  // paragraph, as long as the quotation closes within the paragraph.
  std::vector<Sentence> out;
  out.reserve(raw.size());
  // Next-occurrence caches keep the merge linear on long paragraphs: each search starts at
  // a position at or after the previous one, so a cached hit at or after it stays valid.
  struct NextOf {
    std::string_view text, needle;
    std::size_t pos = 0;
    bool valid = false;
    std::size_t at_or_after(std::size_t from) {
      if (!valid || pos < from) {
        pos = text.find(needle, from);
        valid = true;
      }
      return pos;
    }
  };
  NextOf next_nl{text, "\n"}, next_close{text, kRightDouble}, next_straight{text, "\""};
  std::size_t i = 0;
  while (i < raw.size()) {
    Sentence s = raw[i++];
    int open, close, straight;
    count_quotes(text.substr(s.span.begin, s.span.end - s.span.begin), open, close, straight);
    int balance = open - close;
    bool odd = (straight % 2) != 0;
    std::size_t j = i;
    while ((balance > 0 || odd) && j < raw.size()) {
      std::string_view gap = text.substr(s.span.end, raw[j].span.begin - s.span.end);
      if (gap.find('\n') != std::string_view::npos) break;
      // Only merge when the quotation actually closes in this paragraph.
      const std::size_t para_end = std::min(next_nl.at_or_after(raw[j].span.begin), text.size());
      if (balance > 0 && next_close.at_or_after(raw[j].span.begin) >= para_end) break;
      if (odd && balance <= 0 && next_straight.at_or_after(raw[j].span.begin) >= para_end) break;
      int o, c, st;
      count_quotes(text.substr(raw[j].span.begin, raw[j].span.end - raw[j].span.begin), o, c, st);
      balance += o - c;
      if (st % 2) odd = !odd;
      s.span.end = raw[j].span.end;
      ++j;
    }
    i = j;
    out.push_back(s);
  }
  return out;
}

std::vector<Token> tokenize(std::string_view text, const std::vector<Sentence>& sentences) {
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 5 + 4);
  const int32_t n = static_cast<int32_t>(text.size());
  int32_t i = 0;
  bool space_before = true;
  int double_depth = 0;
  bool single_open = false;
  bool straight_open = false;
  std::size_t sent = 0;
  while (i < n) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    if (c == '\n') {
      double_depth = 0;
      single_open = straight_open = false;
    }
    if (c >= 0 && is_space_cp(c)) {
      space_before = true;
      continue;
    }
    Token t;
    t.begin = static_cast<uint32_t>(start);
    if (c >= 0 && is_word_cp(c)) {
      const bool digit_start = c < 0x80 && c >= '0' && c <= '9';
      int letters = 0, upper = 0;
      bool first_letter_seen = false;
      auto note_letter = [&](UChar32 ch) {
        if (ch < 0x80 ? ((ch | 32) >= 'a' && (ch | 32) <= 'z') : u_isalpha(ch)) {
          ++letters;
          const bool up = ch < 0x80 ? (ch >= 'A' && ch <= 'Z') : u_isupper(ch);
          const bool low = ch < 0x80 ? (ch >= 'a' && ch <= 'z') : u_islower(ch);
          if (up) ++upper;
          if (!first_letter_seen) {
            first_letter_seen = true;
            t.flags |= up ? kCap : (low ? kLower : kNoCase);
          }
        }
      };
      note_letter(c);
      if (digit_start) t.flags |= kNumber;
      UChar32 prev = c;
      while (i < n) {
        int32_t j = i;
        UChar32 d;
        U8_NEXT(text.data(), j, n, d);
        if (d >= 0 && is_word_cp(d)) {
          note_letter(d);
          prev = d;
          i = j;
          continue;
        }
        UChar32 after = peek(text, static_cast<std::size_t>(j));
        const bool prev_alpha =
            prev >= 0 &&
            (prev < 0x80 ? ((prev | 32) >= 'a' && (prev | 32) <= 'z') : u_isalpha(prev) != 0);
        const bool prev_digit = prev >= '0' && prev <= '9';
        const bool after_word = after >= 0 && is_word_cp(after);
        const bool after_digit = after >= '0' && after <= '9';
        if ((d == '\'' || d == 0x2019) && prev_alpha && after_word &&
            !(after >= '0' && after <= '9')) {
          i = j;  // apostrophe inside a word: "Putin's", "wouldn't"
          prev = d;
          continue;
        }
        if ((d == '-' || d == 0x2010 || d == 0x2011) && (prev_alpha || prev_digit) && after_word) {
          t.flags |= kHyphen;
          i = j;
          prev = d;
          continue;
        }
        if ((d == '.' || d == ',') && prev_digit && after_digit && digit_start) {
          i = j;
          prev = d;
          continue;
        }
        break;
      }
      t.end = static_cast<uint32_t>(i);
      t.flags |= kWord;
      if (letters >= 2 && upper == letters) t.flags |= kAllCaps;
      t.core_end = t.end;
      std::string_view w = text.substr(t.begin, t.end - t.begin);
      if (w.size() > 3 && (w.ends_with("'s") || w.ends_with("'S"))) {
        t.core_end = t.end - 2;
        t.flags |= kPossessive;
      } else if (w.size() > 5 && w.ends_with("\xE2\x80\x99s")) {
        t.core_end = t.end - 4;
        t.flags |= kPossessive;
      }
    } else {
      t.end = static_cast<uint32_t>(i);
      t.core_end = t.end;
      t.flags |= kPunct;
      std::string_view p = text.substr(t.begin, t.end - t.begin);
      const bool letter_before =
          !tokens.empty() && tokens.back().end == t.begin && tokens.back().has(kWord);
      UChar32 after = peek(text, t.end);
      const bool letter_after = after >= 0 && is_word_cp(after);
      switch (quote_mark(p, letter_before, letter_after)) {
        case QuoteMark::kOpen:
          if (p == kLeftSingle) {
            single_open = true;
          } else {
            ++double_depth;
          }
          break;
        case QuoteMark::kClose:
          if (p == kRightSingle) {
            if (single_open) {
              single_open = false;
            } else {
              t.flags |= 0;  // an apostrophe after a plural ("allies’"), not a quote
            }
          } else if (double_depth > 0) {
            --double_depth;
          }
          break;
        case QuoteMark::kStraight:
          straight_open = !straight_open;
          break;
        case QuoteMark::kNone:
          break;
      }
    }
    if (space_before) t.flags |= kSpaceBefore;
    space_before = false;
    if ((double_depth > 0 || single_open || straight_open) && t.has(kWord)) t.flags |= kInQuote;
    while (sent + 1 < sentences.size() && t.begin >= sentences[sent].span.end) ++sent;
    t.sentence = static_cast<int>(sent);
    tokens.push_back(t);
  }
  return tokens;
}

}  // namespace storyline::understand::internal
