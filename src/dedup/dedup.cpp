#include "dedup/dedup.h"

#include <xxhash.h>

#include <algorithm>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <bit>
#include <cstring>
#include <limits>
#include <string>

namespace storyline::dedup {

namespace {

constexpr uint32_t kEmptyCell = std::numeric_limits<uint32_t>::max();
constexpr std::size_t kChunkRecords = 4096;  // records per allocation (no vector doubling)
constexpr std::size_t kMinCells = 64;
// find(): candidates whose estimate needs checking against the texts, best estimates first.
constexpr std::size_t kMaxVerifiedCandidates = 8;
// A band bucket holds at most this many articles. Texts of one family (a template, a story
// rewritten many times at Jaccard 0.2-0.3) share band keys far more often than chance, and
// an unbounded bucket makes every lookup of the family read all its earlier members: the
// cost per article would grow with the corpus. A copy (Jaccard >= 0.8) collides in most of
// the 8 bands, and a full bucket already holds members of its family, so later articles are
// still found through the other bands or through those members.
constexpr std::size_t kMaxBucketEntries = 48;
// Tables grow at this load; linear probing stays short well below it.
constexpr double kMaxLoad = 0.8;
// 8-bit values of two different minima agree by chance with this probability.
constexpr double kChance = 1.0 / 256.0;
// An empty bin borrows the value of the bin found after at most this many hashed probes;
// past it, the next filled bin in order (deterministic either way).
constexpr int kDensifyProbes = 16;

constexpr uint64_t kShingleMul[kShingleWords] = {0x9E3779B97F4A7C15ULL, 0xC2B2AE3D27D4EB4FULL,
                                                 0x165667B19E3779F9ULL};

uint64_t mix64(uint64_t z) {  // splitmix64 finaliser
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

constexpr uint8_t kSerialVersion = 3;
constexpr std::size_t kSerialSize = 1 + 8 + 4 + kNumHashes;
// Version 2 had the same layout with another word hash: its MinHash is not comparable.
constexpr uint8_t kOtherHashVersion = 2;
constexpr uint8_t kLegacyVersion = 1;  // 64 x 32-bit multiply-shift MinHash
constexpr std::size_t kLegacySize = 1 + 8 + 4 + 4 * 64;

void put_le(std::vector<uint8_t>& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

uint64_t get_le(const uint8_t* data, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value |= static_cast<uint64_t>(data[i]) << (8 * i);
  return value;
}

int valid_band_count(int requested) { return std::clamp(requested, 1, kNumHashes / kBandRows); }

uint32_t band_key(const uint8_t* sketch, int band) {
  const uint8_t* p = sketch + band * kBandRows;
  uint32_t key = 0;
  for (int r = 0; r < kBandRows; ++r) key |= static_cast<uint32_t>(p[r]) << (8 * r);
  return key;
}

// ---- Words and shingles -------------------------------------------------------------------
//
// Words are runs of word bytes. The scan reads 8 bytes at a time (SWAR): a mask marks the word
// bytes, the first set or clear byte of the mask is a word's start or end, and ASCII capitals
// are folded in the same registers, so no byte is copied and no table is read per byte.

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHigh = 0x8080808080808080ULL;

uint64_t load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

// Loads `n` < 8 bytes (zero-filled), without reading past them.
uint64_t load_partial(const char* p, std::size_t n) {
  uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i)
    v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}

// High bit of each byte of `low7` (bytes below 0x80) that lies in [lo, hi].
constexpr uint64_t in_range(uint64_t low7, uint8_t lo, uint8_t hi) {
  const uint64_t at_least = low7 + kOnes * (0x80 - lo);
  const uint64_t above = low7 + kOnes * (0x80 - hi - 1);
  return at_least & ~above & kHigh;
}

// High bit set for every word byte (ASCII letter or digit, or any byte >= 0x80).
uint64_t word_mask(uint64_t v) {
  const uint64_t low7 = v & ~kHigh;
  return (v & kHigh) | in_range(low7, '0', '9') | in_range(low7 | (kOnes * 0x20), 'a', 'z');
}

uint64_t fold_case(uint64_t v) {
  const uint64_t upper = in_range(v & ~kHigh, 'A', 'Z') & ~v;  // not for bytes >= 0x80
  return v + (upper >> 2);                                     // 0x80 >> 2 == 0x20
}

// Hash of the case-folded word text[begin, end). A word of up to 8 bytes (most words) is one
// multiply and shift of its bytes, a bijection, so short words never collide.
inline uint64_t word_hash(std::string_view text, std::size_t begin, std::size_t end) {
  const char* p = text.data();
  const std::size_t length = end - begin;
  uint64_t h = 0x6A09E667F3BCC909ULL * (length | 1);
  std::size_t at = begin;
  if (length > 8) [[unlikely]] {
    for (; end - at > 8; at += 8) h = mix64(h ^ fold_case(load8(p + at)));
  }
  const std::size_t n = end - at;  // 1..8
  // Whole-word load when 8 bytes are readable, then mask; else a short careful load.
  const uint64_t v =
      at + 8 <= text.size() ? load8(p + at) & (~0ULL >> (64 - 8 * n)) : load_partial(p + at, n);
  h = (h ^ fold_case(v)) * 0x9FB21C651E98DF25ULL;
  return h ^ (h >> 29);
}

// Bit i set when byte i of the 64 bytes at `p` is a word byte.
uint64_t block_mask(const char* p) {
#if defined(__SSE2__)
  const __m128i digit_lo = _mm_set1_epi8('0' - 1), digit_hi = _mm_set1_epi8('9' + 1);
  const __m128i alpha_lo = _mm_set1_epi8('a' - 1), alpha_hi = _mm_set1_epi8('z' + 1);
  const __m128i case_bit = _mm_set1_epi8(0x20);
  uint64_t mask = 0;
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    // Signed compares: bytes >= 0x80 are negative, so only ASCII passes the ranges; the
    // high bit itself (movemask of v) marks the non-ASCII word bytes.
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, digit_lo), _mm_cmplt_epi8(v, digit_hi));
    const __m128i lower = _mm_or_si128(v, case_bit);
    const __m128i alpha =
        _mm_and_si128(_mm_cmpgt_epi8(lower, alpha_lo), _mm_cmplt_epi8(lower, alpha_hi));
    const auto bits = static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(digit, alpha))) |
                      static_cast<uint32_t>(_mm_movemask_epi8(v));
    mask |= static_cast<uint64_t>(bits & 0xFFFF) << (16 * k);
  }
  return mask;
#else
  uint64_t mask = 0;
  for (int k = 0; k < 8; ++k) {
    const uint64_t high = word_mask(load8(p + 8 * k));
    // Gather the 8 high bits into 8 mask bits.
    mask |= ((high * 0x0002040810204081ULL) >> 56) << (8 * k);
  }
  return mask;
#endif
}

// Appends the hash of every word of `text` to `out` (cleared first). Words are found 64
// bytes at a time from a mask of word bytes; each word is then hashed in place.
void hash_words(std::string_view text, std::vector<uint64_t>& out) {
  out.clear();
  const char* p = text.data();
  const std::size_t n = text.size();
  char tail[64];
  bool in_word = false;
  std::size_t begin = 0;
  for (std::size_t base = 0; base < n; base += 64) {
    uint64_t mask;
    if (n - base >= 64) {
      mask = block_mask(p + base);
    } else {
      std::memset(tail, 0, sizeof(tail));
      std::memcpy(tail, p + base, n - base);
      mask = block_mask(tail);
    }
    unsigned i = 0;
    while (i < 64) {
      if (!in_word) {
        const uint64_t rest = mask >> i;
        if (rest == 0) break;
        i += static_cast<unsigned>(std::countr_zero(rest));
        begin = base + i;
        in_word = true;
      } else {
        const uint64_t rest = ~mask >> i;
        if (rest == 0) break;
        i += static_cast<unsigned>(std::countr_zero(rest));
        out.push_back(word_hash(text, begin, base + i));
        in_word = false;
      }
    }
  }
  if (in_word) out.push_back(word_hash(text, begin, n));
}

// Distinct odd multipliers per position: "a b c" and "c b a" are different shingles.
uint64_t shingle_hash(const uint64_t* words, std::size_t count) {
  uint64_t h = 0x2545F4914F6CDD1DULL;
  for (std::size_t w = 0; w < count; ++w) h = (h ^ words[w]) * kShingleMul[w];
  return mix64(h);
}

std::size_t shingle_count(std::size_t words) {
  return words >= kShingleWords ? words - kShingleWords + 1 : (words > 0 ? 1 : 0);
}

}  // namespace

Signature sign(std::string_view text) {
  Signature signature;
  // The buffer is reused across calls on a thread: no allocation per article once grown.
  thread_local std::vector<uint64_t> word_hashes;
  hash_words(text, word_hashes);
  // The exact hash chains the word hashes, so it ignores case, punctuation and spacing like
  // the shingles.
  // One multiply per word (a short dependency chain), mixed once at the end.
  uint64_t exact = 0x8A5CD789635D2DFFULL;
  for (uint64_t h : word_hashes) exact = (exact ^ h) * 0xD6E8FEB86659FD93ULL;
  exact = mix64(exact ^ word_hashes.size());
  signature.word_count = static_cast<uint32_t>(word_hashes.size());
  signature.exact = exact;
  if (word_hashes.empty()) return signature;

  // One permutation: each shingle's hash picks a bin (top bits) and competes for its minimum
  // (low bits). A text shorter than one shingle is a single shingle of all its words.
  std::array<uint32_t, kNumHashes> minimum;
  minimum.fill(std::numeric_limits<uint32_t>::max());
  const std::size_t words = word_hashes.size();
  const std::size_t shingles = shingle_count(words);
  for (std::size_t s = 0; s < shingles; ++s) {
    const uint64_t h =
        shingle_hash(word_hashes.data() + s, std::min<std::size_t>(kShingleWords, words - s));
    const auto bin = static_cast<std::size_t>(((h >> 32) * kNumHashes) >> 32);
    // The minimum keeps 31 bits so that the all-ones value can mark an empty bin.
    minimum[bin] = std::min(minimum[bin], static_cast<uint32_t>(h) >> 1);
  }
  constexpr uint32_t kEmptyBin = std::numeric_limits<uint32_t>::max();
  // Densification (Shrivastava 2017): an empty bin takes the value of a filled bin chosen by
  // a hash of its position, the same choice in every text, so equal sets still agree.
  for (int bin = 0; bin < kNumHashes; ++bin) {
    uint32_t value = minimum[bin];
    if (value == kEmptyBin) {
      int source = -1;
      for (int probe = 1; probe <= kDensifyProbes && source < 0; ++probe) {
        const auto candidate = static_cast<int>(
            mix64(static_cast<uint64_t>(bin) * 0x9E3779B97F4A7C15ULL + probe) % kNumHashes);
        if (minimum[candidate] != kEmptyBin) source = candidate;
      }
      for (int step = 1; source < 0 && step < kNumHashes; ++step) {
        if (minimum[(bin + step) % kNumHashes] != kEmptyBin) source = (bin + step) % kNumHashes;
      }
      value = minimum[source] + static_cast<uint32_t>(bin);  // differ from the source bin
    }
    signature.minhash[bin] = static_cast<uint8_t>(mix64(value) >> 56);
  }
  return signature;
}

ShingleSet::ShingleSet(std::string_view text) {
  thread_local std::vector<uint64_t> word_hashes;
  hash_words(text, word_hashes);
  const std::size_t words = word_hashes.size();
  const std::size_t shingles = shingle_count(words);
  hashes_.reserve(shingles);
  for (std::size_t s = 0; s < shingles; ++s) {
    hashes_.push_back(
        shingle_hash(word_hashes.data() + s, std::min<std::size_t>(kShingleWords, words - s)));
  }
  std::sort(hashes_.begin(), hashes_.end());
  hashes_.erase(std::unique(hashes_.begin(), hashes_.end()), hashes_.end());
}

double ShingleSet::jaccard(const ShingleSet& other) const {
  if (hashes_.empty() || other.hashes_.empty()) {
    return hashes_.empty() && other.hashes_.empty() ? 1.0 : 0.0;
  }
  std::size_t shared = 0;
  auto a = hashes_.begin();
  auto b = other.hashes_.begin();
  while (a != hashes_.end() && b != other.hashes_.end()) {
    if (*a < *b) {
      ++a;
    } else if (*b < *a) {
      ++b;
    } else {
      ++shared;
      ++a;
      ++b;
    }
  }
  return static_cast<double>(shared) /
         static_cast<double>(hashes_.size() + other.hashes_.size() - shared);
}

double similarity(const Signature& a, const Signature& b) {
  if (a.word_count == 0 || b.word_count == 0) {
    // Empty texts have no shingles; only two empty texts are alike.
    return a.word_count == b.word_count ? 1.0 : 0.0;
  }
  if (!a.has_sketch || !b.has_sketch) return a.exact == b.exact ? 1.0 : 0.0;
  int equal = 0;
  for (int k = 0; k < kNumHashes; ++k) equal += a.minhash[k] == b.minhash[k];
  const double share = static_cast<double>(equal) / kNumHashes;
  return std::clamp((share - kChance) / (1.0 - kChance), 0.0, 1.0);
}

// ---- Index ---------------------------------------------------------------------------------

struct Index::Record {
  int64_t id = 0;
  uint64_t exact = 0;
  std::array<uint8_t, kNumHashes> minhash{};
};

// Open addressing with linear probing over record slots only: a cell holds 4 bytes (slot and
// a 5-bit tag of the key) and the key is recomputed from the record it points to, so a table
// costs 4 bytes / load per entry.
// Several slots may share a key (band tables); they lie in one probe run.
struct Index::Table {
  std::vector<uint32_t> cells;
  std::size_t used = 0;
};

Index::Index(Options options) : options_(options), exact_(std::make_unique<Table>()) {
  options_.bands = valid_band_count(options_.bands);
  bands_.resize(options_.bands);
}
Index::~Index() = default;
Index::Index(Index&&) noexcept = default;
Index& Index::operator=(Index&&) noexcept = default;

const Index::Record& Index::record(uint32_t slot) const {
  return chunks_[slot / kChunkRecords][slot % kChunkRecords];
}

namespace {

// A cell: the record slot in the low bits, a tag of the key's hash in the high bits, so a
// probe reads a record (a likely cache miss) only when the tag agrees (31 times in 32 not).
constexpr int kSlotBits = 27;
constexpr uint32_t kSlotMask = (1u << kSlotBits) - 1;

uint32_t tag_of(uint64_t mixed) { return static_cast<uint32_t>(mixed >> (64 - (32 - kSlotBits))); }

void table_place(std::vector<uint32_t>& cells, uint32_t slot, uint64_t mixed) {
  const std::size_t mask = cells.size() - 1;
  std::size_t at = mixed & mask;
  while (cells[at] != kEmptyCell) at = (at + 1) & mask;
  cells[at] = (tag_of(mixed) << kSlotBits) | slot;
}

// Doubles the table. Keys are recomputed from the records in slot order (sequential reads).
template <typename KeyOf>
void table_grow(std::vector<uint32_t>& cells, const KeyOf& key_of) {
  std::vector<uint32_t> slots;
  slots.reserve(cells.size());
  for (uint32_t cell : cells) {
    if (cell != kEmptyCell) slots.push_back(cell & kSlotMask);
  }
  std::sort(slots.begin(), slots.end());
  cells.assign(std::max(kMinCells, cells.size() * 2), kEmptyCell);
  for (uint32_t slot : slots) table_place(cells, slot, mix64(key_of(slot)));
}

template <typename KeyOf>
void table_insert(std::vector<uint32_t>& cells, std::size_t& used, uint32_t slot, uint64_t hash,
                  const KeyOf& key_of) {
  if (static_cast<double>(used + 1) > kMaxLoad * static_cast<double>(cells.size())) {
    table_grow(cells, key_of);
  }
  table_place(cells, slot, mix64(hash));
  ++used;
}

// Calls `visit(slot)` for every slot in the probe run of `hash` whose key equals it.
template <typename KeyOf, typename Visit>
void table_lookup(const std::vector<uint32_t>& cells, uint64_t hash, const KeyOf& key_of,
                  Visit&& visit) {
  if (cells.empty()) return;
  const std::size_t mask = cells.size() - 1;
  const uint64_t mixed = mix64(hash);
  const uint32_t tag = tag_of(mixed);
  for (std::size_t at = mixed & mask; cells[at] != kEmptyCell; at = (at + 1) & mask) {
    const uint32_t cell = cells[at];
    if ((cell >> kSlotBits) != tag) continue;
    if (key_of(cell & kSlotMask) == hash && !visit(cell & kSlotMask)) return;
  }
}

}  // namespace

void Index::candidates(const Signature& signature, std::vector<uint32_t>& out) const {
  out.clear();
  for (int band = 0; band < options_.bands; ++band) {
    const uint64_t key =
        band_key(signature.minhash.data(), band) | (static_cast<uint64_t>(band) << 32);
    auto key_of = [&](uint32_t slot) {
      return band_key(record(slot).minhash.data(), band) | (static_cast<uint64_t>(band) << 32);
    };
    table_lookup(bands_[band].cells, key, key_of, [&](uint32_t slot) {
      out.push_back(slot);
      return true;
    });
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

// Decides a candidate whose estimate is `estimate`: its similarity, or nullopt when it is
// not a copy. With a verifier, estimates near the threshold are checked exactly.
std::optional<double> Index::decide(int64_t id, double estimate, const Verify& verify) const {
  if (!verify) {
    if (estimate >= options_.near_threshold) return estimate;
    return std::nullopt;
  }
  if (estimate < options_.exact_threshold - options_.verify_margin) return std::nullopt;
  if (estimate >= options_.exact_threshold + options_.verify_margin) return estimate;
  const std::optional<double> exact = verify(id);
  if (!exact)
    return estimate >= options_.near_threshold ? std::optional<double>(estimate) : std::nullopt;
  if (*exact >= options_.exact_threshold) return *exact;
  return std::nullopt;
}

std::optional<Match> Index::find(const Signature& signature, const Verify& verify) const {
  // A text without words (a title-only page) is no evidence of copying: empty bodies of
  // different articles must not collapse into one.
  if (signature.word_count == 0) return std::nullopt;
  std::optional<Match> exact;
  auto exact_key = [&](uint32_t slot) { return record(slot).exact; };
  table_lookup(exact_->cells, signature.exact, exact_key, [&](uint32_t slot) {
    exact = Match{record(slot).id, 1.0, true};
    return false;
  });
  if (exact) return exact;
  if (signature.word_count < options_.min_words || !signature.has_sketch) return std::nullopt;

  thread_local std::vector<uint32_t> found;
  thread_local std::vector<std::pair<double, uint32_t>> ranked;  // estimate, slot
  candidates(signature, found);
  // Estimates first (cheap), then verification of the most likely copies only: a text with
  // many near neighbours (a wire story and its rewrites) would otherwise read every one of
  // them back from the store.
  const double floor =
      verify ? options_.exact_threshold - options_.verify_margin : options_.near_threshold;
  ranked.clear();
  Signature other;
  other.word_count = 1;
  for (uint32_t slot : found) {
    other.minhash = record(slot).minhash;
    const double estimate = similarity(signature, other);
    if (estimate >= floor) ranked.emplace_back(estimate, slot);
  }
  // Best estimate first; slots ascend in insertion order, so on a tie the earliest copy first.
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::optional<Match> best;
  std::size_t verified = 0;
  for (const auto& [estimate, slot] : ranked) {
    const bool needs_verify =
        verify && estimate < options_.exact_threshold + options_.verify_margin;
    if (needs_verify && verified++ >= kMaxVerifiedCandidates) continue;
    const Record& r = record(slot);
    const auto score = decide(r.id, estimate, verify);
    if (!score) continue;
    if (!best || *score > best->similarity) best = Match{r.id, *score, false};
  }
  return best;
}

std::vector<Match> Index::find_all(const Signature& signature, double threshold,
                                   const Verify& verify) const {
  std::vector<Match> out;
  if (signature.word_count == 0) return out;
  std::vector<uint32_t> exact_slots;
  auto exact_key = [&](uint32_t slot) { return record(slot).exact; };
  table_lookup(exact_->cells, signature.exact, exact_key, [&](uint32_t slot) {
    exact_slots.push_back(slot);
    return true;
  });
  std::vector<uint32_t> found;
  if (signature.word_count >= options_.min_words && signature.has_sketch) {
    candidates(signature, found);
  }
  Signature other;
  other.word_count = 1;
  for (uint32_t slot : found) {
    const Record& r = record(slot);
    if (r.exact == signature.exact) continue;  // reported as exact below
    other.minhash = r.minhash;
    const double estimate = similarity(signature, other);
    if (!verify) {
      if (estimate >= threshold) out.push_back(Match{r.id, estimate, false});
      continue;
    }
    // Verified: the exact similarity near the threshold, the estimate far above it.
    if (estimate < threshold - options_.verify_margin) continue;
    double score = estimate;
    if (estimate < threshold + options_.verify_margin) {
      if (const auto exact_score = verify(r.id)) score = *exact_score;
    }
    if (score >= threshold) out.push_back(Match{r.id, score, false});
  }
  for (uint32_t slot : exact_slots) out.push_back(Match{record(slot).id, 1.0, true});
  return out;
}

void Index::add(int64_t id, const Signature& signature) {
  // A cell addresses 2^27 - 1 records (about 26 GB of index): further articles are not
  // indexed (they are still looked up against the ones before).
  if (size_ >= kSlotMask) return;
  const auto slot = static_cast<uint32_t>(size_);
  if (slot / kChunkRecords >= chunks_.size()) {
    chunks_.push_back(std::make_unique<Record[]>(kChunkRecords));
  }
  Record& r = chunks_[slot / kChunkRecords][slot % kChunkRecords];
  r.id = id;
  r.exact = signature.exact;
  r.minhash = signature.minhash;
  ++size_;

  if (signature.word_count == 0) return;
  auto exact_key = [&](uint32_t s) { return record(s).exact; };
  bool known = false;
  table_lookup(exact_->cells, signature.exact, exact_key, [&](uint32_t) {
    known = true;  // the first copy stays the one found
    return false;
  });
  if (!known) table_insert(exact_->cells, exact_->used, slot, signature.exact, exact_key);

  if (signature.word_count < options_.min_words || !signature.has_sketch) return;
  for (int band = 0; band < options_.bands; ++band) {
    auto key_of = [&](uint32_t s) {
      return band_key(record(s).minhash.data(), band) | (static_cast<uint64_t>(band) << 32);
    };
    const uint64_t key = key_of(slot);
    std::size_t held = 0;
    table_lookup(bands_[band].cells, key, key_of,
                 [&](uint32_t) { return ++held < kMaxBucketEntries; });
    if (held >= kMaxBucketEntries) continue;
    table_insert(bands_[band].cells, bands_[band].used, slot, key, key_of);
  }
}

std::size_t Index::memory_bytes() const {
  std::size_t bytes =
      chunks_.size() * kChunkRecords * sizeof(Record) + chunks_.capacity() * sizeof(chunks_[0]);
  bytes += exact_->cells.capacity() * sizeof(uint32_t);
  for (const Table& table : bands_) bytes += table.cells.capacity() * sizeof(uint32_t);
  return bytes;
}

std::vector<uint8_t> Index::serialize(const Signature& signature) {
  std::vector<uint8_t> out;
  out.reserve(kSerialSize);
  out.push_back(kSerialVersion);
  put_le(out, signature.exact, 8);
  put_le(out, signature.word_count, 4);
  out.insert(out.end(), signature.minhash.begin(), signature.minhash.end());
  return out;
}

std::optional<Signature> Index::deserialize(const uint8_t* data, std::size_t size) {
  if (data == nullptr || size == 0) return std::nullopt;
  const bool current = data[0] == kSerialVersion && size == kSerialSize;
  const bool legacy = (data[0] == kLegacyVersion && size == kLegacySize) ||
                      (data[0] == kOtherHashVersion && size == kSerialSize);
  if (!current && !legacy) return std::nullopt;
  Signature signature;
  signature.exact = get_le(data + 1, 8);
  signature.word_count = static_cast<uint32_t>(get_le(data + 9, 4));
  if (legacy) {
    signature.has_sketch = false;  // other hash family: exact matching only
    return signature;
  }
  std::copy(data + 13, data + 13 + kNumHashes, signature.minhash.begin());
  return signature;
}

}  // namespace storyline::dedup
