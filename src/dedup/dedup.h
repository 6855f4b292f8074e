// dedup: recognises exact and near-duplicate copies of articles (syndicated wire copy, a
// re-scrape with other boilerplate, small edits).
//
//   dedup::Index index;
//   dedup::Signature sig = dedup::sign(article.text);
//   if (auto match = index.find(sig)) link(article, match->canonical_id);
//   else index.add(new_id, sig);
//
// Exact: xxh3 of the normalised text (case-folded, punctuation and whitespace runs removed).
// Near: MinHash over word shingles with LSH banding; a candidate is confirmed when its
// estimated Jaccard similarity reaches Options::near_threshold.
// Thread-safety: sign() is pure; Index is not synchronised (one writer).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace storyline::dedup {

inline constexpr int kNumHashes = 64;    // MinHash permutations
inline constexpr int kShingleWords = 3;  // words per shingle

struct Signature {
  uint64_t exact = 0;                          // hash of the normalised text
  std::array<uint32_t, kNumHashes> minhash{};  // per-permutation minimum shingle hash
  uint32_t word_count = 0;
};

Signature sign(std::string_view text);

// Estimated Jaccard similarity of the two shingle sets.
double similarity(const Signature& a, const Signature& b);

struct Options {
  double near_threshold = 0.6;  // estimated Jaccard at or above: a near-duplicate (5% of
                                // words edited at random keeps about 0.74)
  int bands = 16;               // LSH bands of kNumHashes / bands rows
  uint32_t min_words = 12;      // shorter texts are only matched exactly
};

struct Match {
  int64_t canonical_id = 0;
  double similarity = 1.0;
  bool exact = false;
};

class Index {
 public:
  explicit Index(Options options = {});
  [[nodiscard]] std::optional<Match> find(const Signature& signature) const;
  void add(int64_t id, const Signature& signature);
  std::size_t size() const { return signatures_.size(); }

  // Compact byte form of a signature for the store, and back.
  static std::vector<uint8_t> serialize(const Signature& signature);
  static std::optional<Signature> deserialize(const uint8_t* data, std::size_t size);

 private:
  Options options_;
  std::unordered_map<uint64_t, int64_t> exact_;
  std::vector<std::unordered_multimap<uint64_t, uint32_t>> bands_;  // band hash -> slot
  std::vector<std::pair<int64_t, Signature>> signatures_;
};

}  // namespace storyline::dedup
