// dedup: recognises exact and near-duplicate copies of articles (syndicated wire copy, a
// re-scrape with other boilerplate, small edits).
//
//   dedup::Index index;
//   dedup::Signature sig = dedup::sign(article.text);
//   if (auto match = index.find(sig)) link(article, match->canonical_id);
//   else index.add(new_id, sig);
//
// Exact: xxh3 of the normalised text (case-folded, punctuation and whitespace runs removed).
// Near: one-permutation MinHash (densified) over word 3-shingles, kept as 8-bit values
// (b-bit MinHash), with LSH banding; a candidate is confirmed when its estimated Jaccard
// similarity reaches Options::near_threshold. An indexed article costs about 190 bytes.
// Verified lookups: given a `Verify` callback (the exact similarity of the query and an indexed
// article, e.g. two ShingleSets of their texts), candidates whose estimate lies within
// Options::verify_margin of Options::exact_threshold are decided by exact Jaccard, so the
// sketch's sampling error does not blur the threshold. Only near pairs are verified (rare).
// Thread-safety: sign() is pure; Index is not synchronised (one writer).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace storyline::dedup {

inline constexpr int kNumHashes = 128;   // MinHash bins (one permutation, densified)
inline constexpr int kShingleWords = 3;  // words per shingle
inline constexpr int kBandRows = 3;      // bins per LSH band (24-bit band keys)

struct Signature {
  uint64_t exact = 0;                         // hash of the normalised text
  std::array<uint8_t, kNumHashes> minhash{};  // low 8 bits of each bin's minimum shingle hash
  uint32_t word_count = 0;
  // False for signatures stored by an older version, whose MinHash is not comparable: they
  // still match exactly, never as near-duplicates.
  bool has_sketch = true;
};

Signature sign(std::string_view text);

// Estimated Jaccard similarity of the two shingle sets (corrected for 8-bit collisions).
double similarity(const Signature& a, const Signature& b);

// The exact set of a text's word 3-shingles (64-bit hashes, same words as sign()), to verify
// a candidate pair. Costs one pass over the text and 8 bytes per shingle.
class ShingleSet {
 public:
  explicit ShingleSet(std::string_view text);
  double jaccard(const ShingleSet& other) const;  // both empty: 1
  std::size_t size() const { return hashes_.size(); }

 private:
  std::vector<uint64_t> hashes_;  // sorted, unique
};

// The exact similarity of the query and the indexed article `id`; nullopt when unknown (the
// estimate then decides as without a verifier).
using Verify = std::function<std::optional<double>(int64_t id)>;

struct Options {
  double near_threshold = 0.7;   // without a verifier: estimated Jaccard at or above is a
                                 // near-duplicate (3% of words edited at random keeps about
                                 // 0.84, 5% about 0.75)
  double exact_threshold = 0.8;  // with a verifier: exact Jaccard at or above is a copy
  double verify_margin = 0.15;   // estimates within this of exact_threshold are verified
                                 // (over 4 SD of the 128-bin estimate near 0.8)
  int bands = 8;                 // LSH bands of kBandRows bins (at most kNumHashes / kBandRows)
  uint32_t min_words = 12;       // shorter texts are only matched exactly
};

struct Match {
  int64_t canonical_id = 0;
  double similarity = 1.0;
  bool exact = false;
};

class Index {
 public:
  explicit Index(Options options = {});
  ~Index();
  Index(Index&&) noexcept;
  Index& operator=(Index&&) noexcept;

  [[nodiscard]] std::optional<Match> find(const Signature& signature,
                                          const Verify& verify = {}) const;
  // Every indexed article whose similarity reaches `threshold` (exact copies included, with
  // similarity 1), in insertion order. For evaluation and explanations. With `verify`,
  // candidates within verify_margin of `threshold` are decided by exact similarity.
  [[nodiscard]] std::vector<Match> find_all(const Signature& signature, double threshold,
                                            const Verify& verify = {}) const;
  void add(int64_t id, const Signature& signature);
  std::size_t size() const { return size_; }
  // Bytes held by the index (records and hash tables, at their current capacity).
  std::size_t memory_bytes() const;

  // Compact byte form of a signature for the store, and back (also reads version 1).
  static std::vector<uint8_t> serialize(const Signature& signature);
  static std::optional<Signature> deserialize(const uint8_t* data, std::size_t size);

 private:
  struct Record;
  struct Table;
  const Record& record(uint32_t slot) const;
  void candidates(const Signature& signature, std::vector<uint32_t>& out) const;
  std::optional<double> decide(int64_t id, double estimate, const Verify& verify) const;

  Options options_;
  std::size_t size_ = 0;
  std::vector<std::unique_ptr<Record[]>> chunks_;  // records in fixed-size chunks
  std::unique_ptr<Table> exact_;                   // exact hash -> first slot
  std::vector<Table> bands_;                       // band key -> slots
};

}  // namespace storyline::dedup
