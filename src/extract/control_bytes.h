// Control bytes, as both extraction paths see them: the page hygiene of extract.cpp (no
// control characters into JSON) and the fast HTML tokenizer (gumbo's U+FFFD for them). HTML
// counts form feed as space; plain text does not. Private to extract.
#pragma once

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace storyline::extract::detail {

// A control character other than whitespace: C0 except tab, LF, CR (and form feed when
// `form_feed_is_space`), or DEL.
constexpr bool is_control(unsigned char c, bool form_feed_is_space) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && (c != '\f' || !form_feed_is_space)) ||
         c == 0x7F;
}

#if defined(__SSE2__)
// The same for 16 bytes: 0xFF in each byte of `v` that is_control(), else 0. With
// `high_bytes_too`, bytes from 0x80 up are flagged as well (one signed compare does both).
// Inline with constant flags, so each caller compiles to its own few instructions.
inline __m128i control_bytes(__m128i v, bool form_feed_is_space, bool high_bytes_too) {
  const __m128i below_space = high_bytes_too
                                  ? _mm_cmplt_epi8(v, _mm_set1_epi8(0x20))
                                  : _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
  __m128i space = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
      _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
  if (form_feed_is_space) space = _mm_or_si128(space, _mm_cmpeq_epi8(v, _mm_set1_epi8('\f')));
  return _mm_or_si128(_mm_andnot_si128(space, below_space), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
}
#endif

}  // namespace storyline::extract::detail
