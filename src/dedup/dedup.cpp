#include "dedup/dedup.h"

#include <xxhash.h>

#include <algorithm>
#include <limits>
#include <string>

namespace storyline::dedup {

namespace {

// Odd 64-bit multipliers and offsets of the MinHash permutations, derived once from a fixed
// seed so that signatures stored by one run compare with those of the next.
struct Permutations {
  std::array<uint64_t, kNumHashes> mul{};
  std::array<uint64_t, kNumHashes> add{};
  Permutations() {
    uint64_t state = 0x9E3779B97F4A7C15ULL;
    auto next = [&state] {  // splitmix64
      state += 0x9E3779B97F4A7C15ULL;
      uint64_t z = state;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      return z ^ (z >> 31);
    };
    for (int i = 0; i < kNumHashes; ++i) {
      mul[i] = next() | 1;
      add[i] = next();
    }
  }
};

const Permutations& permutations() {
  static const Permutations kPermutations;
  return kPermutations;
}

// Word characters: ASCII letters and digits, and every byte of a multi-byte UTF-8 sequence
// (so non-Latin scripts form words without a Unicode table).
bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr uint8_t kSerialVersion = 1;
constexpr std::size_t kSerialSize = 1 + 8 + 4 + 4 * kNumHashes;

void put_le(std::vector<uint8_t>& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

uint64_t get_le(const uint8_t* data, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value |= static_cast<uint64_t>(data[i]) << (8 * i);
  return value;
}

int valid_band_count(int requested) {
  // Bands must divide the signature evenly; fall back to the largest divisor not above the
  // request (1 at worst) instead of failing in a constructor.
  int bands = std::clamp(requested, 1, kNumHashes);
  while (kNumHashes % bands != 0) --bands;
  return bands;
}

}  // namespace

Signature sign(std::string_view text) {
  Signature signature;
  signature.minhash.fill(std::numeric_limits<uint32_t>::max());

  // The normalised form: lowercased words joined by single spaces. One buffer per call; the
  // word starts let a shingle be hashed as one contiguous slice of it.
  std::string normal;
  normal.reserve(text.size());
  std::vector<uint32_t> starts;
  starts.reserve(text.size() / 5 + 1);
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !is_word_byte(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size()) break;
    if (!normal.empty()) normal.push_back(' ');
    starts.push_back(static_cast<uint32_t>(normal.size()));
    while (i < text.size() && is_word_byte(static_cast<unsigned char>(text[i]))) {
      normal.push_back(lower_ascii(text[i]));
      ++i;
    }
  }
  signature.word_count = static_cast<uint32_t>(starts.size());
  signature.exact = XXH3_64bits(normal.data(), normal.size());
  if (starts.empty()) return signature;

  const Permutations& perm = permutations();
  auto absorb = [&](uint64_t hash) {
    for (int k = 0; k < kNumHashes; ++k) {
      const auto value = static_cast<uint32_t>((perm.mul[k] * hash + perm.add[k]) >> 32);
      signature.minhash[k] = std::min(signature.minhash[k], value);
    }
  };
  // A text shorter than one shingle is a single shingle of all its words.
  const std::size_t shingles =
      starts.size() >= kShingleWords ? starts.size() - kShingleWords + 1 : 1;
  for (std::size_t s = 0; s < shingles; ++s) {
    const std::size_t last = s + kShingleWords;  // one past the shingle's last word
    const std::size_t begin = starts[s];
    const std::size_t end = last < starts.size() ? starts[last] - 1 : normal.size();
    absorb(XXH3_64bits(normal.data() + begin, end - begin));
  }
  return signature;
}

double similarity(const Signature& a, const Signature& b) {
  if (a.word_count == 0 || b.word_count == 0) {
    // Empty texts have no shingles; only two empty texts are alike.
    return a.word_count == b.word_count ? 1.0 : 0.0;
  }
  int equal = 0;
  for (int k = 0; k < kNumHashes; ++k) equal += a.minhash[k] == b.minhash[k];
  return static_cast<double>(equal) / kNumHashes;
}

namespace {
uint64_t band_hash(const Signature& signature, int band, int rows) {
  return XXH3_64bits_withSeed(signature.minhash.data() + band * rows, sizeof(uint32_t) * rows,
                              static_cast<uint64_t>(band));
}
}  // namespace

Index::Index(Options options) : options_(options) {
  options_.bands = valid_band_count(options_.bands);
  bands_.resize(options_.bands);
}

std::optional<Match> Index::find(const Signature& signature) const {
  // A text without words (a title-only page) is no evidence of copying: empty bodies of
  // different articles must not collapse into one.
  if (signature.word_count == 0) return std::nullopt;
  if (auto it = exact_.find(signature.exact); it != exact_.end()) {
    return Match{it->second, 1.0, true};
  }
  if (signature.word_count < options_.min_words) return std::nullopt;

  const int rows = kNumHashes / options_.bands;
  std::vector<uint32_t> candidates;
  for (int band = 0; band < options_.bands; ++band) {
    auto [first, last] = bands_[band].equal_range(band_hash(signature, band, rows));
    for (auto it = first; it != last; ++it) candidates.push_back(it->second);
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  std::optional<Match> best;
  for (uint32_t slot : candidates) {
    const auto& [id, other] = signatures_[slot];
    const double score = similarity(signature, other);
    if (score < options_.near_threshold) continue;
    // Slots ascend in insertion order, so on a tie the earliest copy stays canonical.
    if (!best || score > best->similarity) best = Match{id, score, false};
  }
  return best;
}

void Index::add(int64_t id, const Signature& signature) {
  if (signature.word_count > 0) exact_.try_emplace(signature.exact, id);
  const auto slot = static_cast<uint32_t>(signatures_.size());
  signatures_.emplace_back(id, signature);
  if (signature.word_count < options_.min_words) return;
  const int rows = kNumHashes / options_.bands;
  for (int band = 0; band < options_.bands; ++band) {
    bands_[band].emplace(band_hash(signature, band, rows), slot);
  }
}

std::vector<uint8_t> Index::serialize(const Signature& signature) {
  std::vector<uint8_t> out;
  out.reserve(kSerialSize);
  out.push_back(kSerialVersion);
  put_le(out, signature.exact, 8);
  put_le(out, signature.word_count, 4);
  for (uint32_t value : signature.minhash) put_le(out, value, 4);
  return out;
}

std::optional<Signature> Index::deserialize(const uint8_t* data, std::size_t size) {
  if (data == nullptr || size != kSerialSize || data[0] != kSerialVersion) return std::nullopt;
  Signature signature;
  const uint8_t* p = data + 1;
  signature.exact = get_le(p, 8);
  p += 8;
  signature.word_count = static_cast<uint32_t>(get_le(p, 4));
  p += 4;
  for (auto& value : signature.minhash) {
    value = static_cast<uint32_t>(get_le(p, 4));
    p += 4;
  }
  return signature;
}

}  // namespace storyline::dedup
