#include "dedup/dedup.h"

#include <xxhash.h>

#include <algorithm>
#include <limits>
#include <string>

namespace storyline::dedup {

namespace {

constexpr uint32_t kEmptyCell = std::numeric_limits<uint32_t>::max();
constexpr std::size_t kChunkRecords = 4096;  // records per allocation (no vector doubling)
constexpr std::size_t kMinCells = 64;
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

// Word characters: ASCII letters and digits, and every byte of a multi-byte UTF-8 sequence
// (so non-Latin scripts form words without a Unicode table).
bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr uint8_t kSerialVersion = 2;
constexpr std::size_t kSerialSize = 1 + 8 + 4 + kNumHashes;
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

}  // namespace

Signature sign(std::string_view text) {
  Signature signature;

  // Words: runs of word bytes, lowercased through a table, hashed one by one. The exact hash
  // chains the word hashes, so it ignores case, punctuation and spacing like the shingles.
  // The buffer is reused across calls on a thread: no allocation per article once grown.
  static const std::array<uint8_t, 256> kFold = [] {
    std::array<uint8_t, 256> fold{};
    for (int c = 0; c < 256; ++c) {
      if (is_word_byte(static_cast<unsigned char>(c))) {
        fold[c] = static_cast<uint8_t>(lower_ascii(static_cast<char>(c)));
      }
    }
    return fold;
  }();
  thread_local std::vector<uint64_t> word_hashes;
  word_hashes.clear();
  char word[256];  // longer runs hash in pieces, still deterministic
  std::size_t length = 0;
  uint64_t exact = 0x8A5CD789635D2DFFULL;
  auto flush = [&] {
    const uint64_t h = XXH3_64bits(word, length);
    word_hashes.push_back(h);
    exact = mix64(exact ^ h);
    length = 0;
  };
  for (unsigned char c : text) {
    const uint8_t folded = kFold[c];
    if (folded != 0) {
      word[length++] = static_cast<char>(folded);
      if (length == sizeof(word)) flush();
    } else if (length > 0) {
      flush();
    }
  }
  if (length > 0) flush();
  signature.word_count = static_cast<uint32_t>(word_hashes.size());
  signature.exact = exact;
  if (word_hashes.empty()) return signature;

  // One permutation: each shingle's hash picks a bin (top bits) and competes for its minimum
  // (low bits). A text shorter than one shingle is a single shingle of all its words.
  std::array<uint32_t, kNumHashes> minimum;
  minimum.fill(std::numeric_limits<uint32_t>::max());
  std::array<bool, kNumHashes> filled{};
  const std::size_t words = word_hashes.size();
  const std::size_t shingles = words >= kShingleWords ? words - kShingleWords + 1 : 1;
  for (std::size_t s = 0; s < shingles; ++s) {
    // Distinct odd multipliers per position: "a b c" and "c b a" are different shingles.
    uint64_t h = 0x2545F4914F6CDD1DULL;
    const std::size_t last = std::min(words, s + kShingleWords);
    for (std::size_t w = s; w < last; ++w) h = (h ^ word_hashes[w]) * kShingleMul[w - s];
    h = mix64(h);
    const auto bin = static_cast<std::size_t>(((h >> 32) * kNumHashes) >> 32);
    const auto value = static_cast<uint32_t>(h);
    minimum[bin] = std::min(minimum[bin], value);
    filled[bin] = true;
  }
  // Densification (Shrivastava 2017): an empty bin takes the value of a filled bin chosen by
  // a hash of its position, the same choice in every text, so equal sets still agree.
  for (int bin = 0; bin < kNumHashes; ++bin) {
    uint32_t value = minimum[bin];
    if (!filled[bin]) {
      int source = -1;
      for (int probe = 1; probe <= kDensifyProbes && source < 0; ++probe) {
        const auto candidate = static_cast<int>(
            mix64(static_cast<uint64_t>(bin) * 0x9E3779B97F4A7C15ULL + probe) % kNumHashes);
        if (filled[candidate]) source = candidate;
      }
      for (int step = 1; source < 0 && step < kNumHashes; ++step) {
        if (filled[(bin + step) % kNumHashes]) source = (bin + step) % kNumHashes;
      }
      value = minimum[source] + static_cast<uint32_t>(bin);  // differ from the source bin
    }
    signature.minhash[bin] = static_cast<uint8_t>(mix64(value) >> 56);
  }
  return signature;
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

// Open addressing with linear probing over record slots only: a cell holds 4 bytes and the
// key is recomputed from the record it points to, so a table costs 4 bytes / load per entry.
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

template <typename KeyOf>
void table_insert(std::vector<uint32_t>& cells, std::size_t& used, uint32_t slot, uint64_t hash,
                  const KeyOf& key_of);

template <typename KeyOf>
void table_grow(std::vector<uint32_t>& cells, std::size_t& used, const KeyOf& key_of) {
  std::vector<uint32_t> old;
  old.swap(cells);
  cells.assign(std::max(kMinCells, old.size() * 2), kEmptyCell);
  used = 0;
  for (uint32_t slot : old) {
    if (slot != kEmptyCell) table_insert(cells, used, slot, key_of(slot), key_of);
  }
}

template <typename KeyOf>
void table_insert(std::vector<uint32_t>& cells, std::size_t& used, uint32_t slot, uint64_t hash,
                  const KeyOf& key_of) {
  if (static_cast<double>(used + 1) > kMaxLoad * static_cast<double>(cells.size())) {
    table_grow(cells, used, key_of);
  }
  const std::size_t mask = cells.size() - 1;
  std::size_t at = mix64(hash) & mask;
  while (cells[at] != kEmptyCell) at = (at + 1) & mask;
  cells[at] = slot;
  ++used;
}

// Calls `visit(slot)` for every slot in the probe run of `hash` whose key equals it.
template <typename KeyOf, typename Visit>
void table_lookup(const std::vector<uint32_t>& cells, uint64_t hash, const KeyOf& key_of,
                  Visit&& visit) {
  if (cells.empty()) return;
  const std::size_t mask = cells.size() - 1;
  for (std::size_t at = mix64(hash) & mask; cells[at] != kEmptyCell; at = (at + 1) & mask) {
    if (key_of(cells[at]) == hash && !visit(cells[at])) return;
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

std::optional<Match> Index::find(const Signature& signature) const {
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
  candidates(signature, found);
  std::optional<Match> best;
  Signature other;
  for (uint32_t slot : found) {
    const Record& r = record(slot);
    other.minhash = r.minhash;
    other.word_count = 1;
    const double score = similarity(signature, other);
    if (score < options_.near_threshold) continue;
    // Slots ascend in insertion order, so on a tie the earliest copy stays canonical.
    if (!best || score > best->similarity) best = Match{r.id, score, false};
  }
  return best;
}

std::vector<Match> Index::find_all(const Signature& signature, double threshold) const {
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
    const double score = similarity(signature, other);
    if (score >= threshold) out.push_back(Match{r.id, score, false});
  }
  for (uint32_t slot : exact_slots) out.push_back(Match{record(slot).id, 1.0, true});
  return out;
}

void Index::add(int64_t id, const Signature& signature) {
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
    table_insert(bands_[band].cells, bands_[band].used, slot, key_of(slot), key_of);
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
  const bool legacy = data[0] == kLegacyVersion && size == kLegacySize;
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
