// Copies benchmark: quality against exact brute-force Jaccard, speed and index size of
// dedup::sign + dedup::Index on a corpus generated from the repository's own fixture texts.
//
//   dedup_bench [--quality-docs N] [--speed-docs N] [--seed S] [--fixtures DIR]... [--json]
//
// Corpus: "base" articles are made from fixture sentences with a third of their words
// swapped for other fixture words (so bases are distinct texts with news vocabulary); about
// half the bases get 1-3 copies of one of these kinds: a re-scrape (other case, spacing and
// boilerplate lines around it), word edits (replace / delete / insert) of 1-20% of words,
// paragraphs reordered, or a re-scrape with 1-5% edits. Documents arrive shuffled.
//
// Quality (first N documents): each document is looked up with Index::find_all before it is
// added, so every earlier document is a possible match. Truth is the exact Jaccard of word
// 3-shingle sets from an independent tokeniser, over all pairs (an inverted index of the
// exact shingles counts every pair's intersection; no sampling, no sketch).
//   recall    = predicted pairs with true J >= 0.8 / all pairs with true J >= 0.8
//   precision = predicted pairs with true J >= 0.8 / predicted pairs   ("strict")
//   precision (copies) = predicted pairs that are a base and its copy, or two copies of one
//               base / predicted pairs
// Speed (N documents): sign + find + add per document on this thread, texts in memory.
// Size: Index::memory_bytes() / documents, and the serialized signature size.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "dedup/dedup.h"

#ifndef STORYLINE_SOURCE_DIR
#define STORYLINE_SOURCE_DIR "."
#endif

namespace {

using storyline::dedup::Index;
using storyline::dedup::Options;
using storyline::dedup::Signature;

// Lines a scraper picks up around an article; written for this benchmark.
const char* const kBoilerplate[] = {
    "Skip to main content",
    "Subscribe to our newsletter for the morning briefing",
    "Share this article on social media",
    "Advertisement",
    "Most read this week",
    "Sign in or create an account to comment",
    "All rights reserved. Reproduction without permission is prohibited.",
    "Related coverage",
    "Follow us for live updates",
    "Cookies help us deliver our services. By using them you agree.",
};

struct Doc {
  std::string text;
  int family = 0;  // the base it was made from
};

std::vector<std::string> split_ws(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string join(const std::vector<std::string>& words, char sep = ' ') {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += sep;
    out += w;
  }
  return out;
}

struct Material {
  std::vector<std::string> sentences;
  std::vector<std::string> words;
};

Material load_material(const std::vector<std::string>& dirs) {
  Material m;
  for (const auto& dir : dirs) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".txt") continue;
      std::ifstream in(entry.path());
      std::string line;
      while (std::getline(in, line)) {
        // Sentences: split at ". " so long paragraphs give several.
        std::size_t start = 0;
        while (start < line.size()) {
          std::size_t end = line.find(". ", start);
          if (end == std::string::npos) end = line.size();
          std::string sentence = line.substr(start, end - start);
          if (split_ws(sentence).size() >= 6) m.sentences.push_back(sentence);
          start = end + 2;
        }
        for (auto& w : split_ws(line)) m.words.push_back(w);
      }
    }
  }
  return m;
}

std::string make_base(const Material& m, std::mt19937_64& rng) {
  std::uniform_int_distribution<std::size_t> sentence(0, m.sentences.size() - 1);
  std::uniform_int_distribution<std::size_t> word(0, m.words.size() - 1);
  std::uniform_int_distribution<int> count(8, 30);
  std::uniform_int_distribution<int> per_paragraph(1, 4);
  std::uniform_real_distribution<double> coin(0, 1);
  std::string text;
  int in_paragraph = 0, paragraph_size = per_paragraph(rng);
  const int sentences = count(rng);
  for (int s = 0; s < sentences; ++s) {
    auto words = split_ws(m.sentences[sentence(rng)]);
    for (auto& w : words) {
      if (coin(rng) < 0.35) w = m.words[word(rng)];
    }
    if (in_paragraph > 0) text += ' ';
    text += join(words) + '.';
    if (++in_paragraph == paragraph_size) {
      text += '\n';
      in_paragraph = 0;
      paragraph_size = per_paragraph(rng);
    }
  }
  return text;
}

std::string edit_words(const std::string& text, double rate, const Material& m,
                       std::mt19937_64& rng) {
  std::uniform_real_distribution<double> coin(0, 1);
  std::uniform_int_distribution<int> op(0, 2);
  std::uniform_int_distribution<std::size_t> word(0, m.words.size() - 1);
  std::string out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> kept;
    for (auto& w : split_ws(line)) {
      if (coin(rng) >= rate) {
        kept.push_back(w);
        continue;
      }
      switch (op(rng)) {
        case 0:
          kept.push_back(m.words[word(rng)]);
          break;
        case 1:
          break;
        default:
          kept.push_back(w);
          kept.push_back(m.words[word(rng)]);
      }
    }
    out += join(kept) + '\n';
  }
  return out;
}

std::string rescrape(const std::string& text, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> pick(0, std::size(kBoilerplate) - 1);
  std::uniform_int_distribution<int> lines(1, 4);
  std::string out;
  for (int i = lines(rng); i > 0; --i) out += std::string(kBoilerplate[pick(rng)]) + "\n";
  // Other spacing and case: the exact hash ignores both, the shingles too.
  for (char c : text) {
    if (c == ' ' && (rng() & 7) == 0)
      out += "  ";
    else
      out += c;
  }
  if (rng() & 1) {
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  for (int i = lines(rng); i > 0; --i) out += std::string(kBoilerplate[pick(rng)]) + "\n";
  return out;
}

std::string reorder(const std::string& text, std::mt19937_64& rng) {
  std::vector<std::string> paragraphs;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) paragraphs.push_back(line);
  std::shuffle(paragraphs.begin(), paragraphs.end(), rng);
  return join(paragraphs, '\n');
}

std::vector<Doc> make_corpus(const Material& m, std::size_t docs, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> coin(0, 1);
  std::uniform_int_distribution<int> copies(1, 3);
  std::uniform_int_distribution<int> kind(0, 3);
  std::uniform_real_distribution<double> edit_rate(0.01, 0.20);
  std::uniform_real_distribution<double> light_rate(0.01, 0.05);
  std::vector<Doc> corpus;
  int family = 0;
  while (corpus.size() < docs) {
    const std::string base = make_base(m, rng);
    corpus.push_back({base, family});
    if (coin(rng) < 0.5) {
      for (int c = copies(rng); c > 0 && corpus.size() < docs; --c) {
        std::string copy;
        switch (kind(rng)) {
          case 0:
            copy = rescrape(base, rng);
            break;
          case 1:
            copy = edit_words(base, edit_rate(rng), m, rng);
            break;
          case 2:
            copy = reorder(base, rng);
            break;
          default:
            copy = rescrape(edit_words(base, light_rate(rng), m, rng), rng);
        }
        corpus.push_back({std::move(copy), family});
      }
    }
    ++family;
  }
  std::shuffle(corpus.begin(), corpus.end(), rng);
  return corpus;
}

// Independent of dedup.cpp: ASCII letters and digits lowercased, non-ASCII bytes are word
// bytes, anything else splits; shingles are the exact strings, hashed only to index them.
std::vector<uint64_t> shingle_set(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c >= 0x80) {
      word.push_back(static_cast<char>(std::tolower(c)));
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(word);
  std::vector<uint64_t> set;
  std::hash<std::string> hash;
  for (std::size_t i = 0; i + storyline::dedup::kShingleWords <= words.size(); ++i) {
    set.push_back(hash(words[i] + ' ' + words[i + 1] + ' ' + words[i + 2]));
  }
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
  return set;
}

// CPU time of this thread: the machine is shared, so wall time would count other processes.
double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct PairKey {
  uint64_t operator()(std::pair<uint32_t, uint32_t> p) const {
    return (static_cast<uint64_t>(p.first) << 32) | p.second;
  }
};

struct Quality {
  double threshold = 0;
  std::size_t truth = 0, predicted = 0, hits = 0, same_family = 0, grey = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::size_t quality_docs = 4000, speed_docs = 100000;
  uint64_t seed = 7;
  bool json = false;
  std::vector<std::string> dirs;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", name);
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--quality-docs")
      quality_docs = std::stoul(value("--quality-docs"));
    else if (arg == "--speed-docs")
      speed_docs = std::stoul(value("--speed-docs"));
    else if (arg == "--seed")
      seed = std::stoull(value("--seed"));
    else if (arg == "--fixtures")
      dirs.push_back(value("--fixtures"));
    else if (arg == "--json")
      json = true;
    else {
      std::fprintf(stderr, "unknown argument %s\n", arg.c_str());
      return 2;
    }
  }
  if (dirs.empty()) {
    const std::string root = STORYLINE_SOURCE_DIR;
    dirs = {root + "/src/dedup/testdata", root + "/src/cluster/testdata", root + "/examples/pages"};
  }
  const Material material = load_material(dirs);
  if (material.sentences.size() < 20 || material.words.size() < 500) {
    std::fprintf(stderr, "not enough fixture text under the given directories\n");
    return 1;
  }

  // ---- Quality ----
  const std::vector<Doc> corpus = make_corpus(material, quality_docs, seed);
  std::vector<std::vector<uint64_t>> sets;
  sets.reserve(corpus.size());
  for (const auto& doc : corpus) sets.push_back(shingle_set(doc.text));
  std::unordered_map<uint64_t, std::vector<uint32_t>> postings;
  std::unordered_map<std::pair<uint32_t, uint32_t>, double, PairKey> truth;  // J >= 0.5
  std::vector<uint32_t> shared(corpus.size(), 0);
  std::vector<uint32_t> touched;
  for (uint32_t d = 0; d < corpus.size(); ++d) {
    touched.clear();
    for (uint64_t s : sets[d]) {
      auto& list = postings[s];
      for (uint32_t other : list) {
        if (shared[other]++ == 0) touched.push_back(other);
      }
      list.push_back(d);
    }
    for (uint32_t other : touched) {
      const double j = static_cast<double>(shared[other]) /
                       (sets[d].size() + sets[other].size() - shared[other]);
      if (j >= 0.5) truth[{other, d}] = j;
      shared[other] = 0;
    }
  }
  const double thresholds[] = {0.6, 0.65, 0.7, 0.75, 0.8};
  std::vector<Quality> quality;
  for (double t : thresholds) quality.push_back({t});
  Options options;
  Index index(options);
  for (uint32_t d = 0; d < corpus.size(); ++d) {
    const Signature signature = storyline::dedup::sign(corpus[d].text);
    for (const auto& match : index.find_all(signature, thresholds[0])) {
      const auto other = static_cast<uint32_t>(match.canonical_id);
      auto it = truth.find({other, d});
      const double j = it == truth.end() ? 0.0 : it->second;
      for (auto& q : quality) {
        if (match.similarity < q.threshold) continue;
        ++q.predicted;
        q.hits += j >= 0.8;
        q.grey += j >= 0.7 && j < 0.8;
        q.same_family += corpus[other].family == corpus[d].family;
      }
    }
    index.add(d, signature);
  }
  std::size_t truth_pairs = 0;
  for (const auto& [pair, j] : truth) truth_pairs += j >= 0.8;
  for (auto& q : quality) q.truth = truth_pairs;

  // Verified: candidates near Options::exact_threshold are decided by the exact Jaccard of
  // the two texts' shingle sets (ShingleSet, the query's built once and only when needed).
  Quality verified{options.exact_threshold};
  verified.truth = truth_pairs;
  std::size_t verify_calls = 0;
  {
    Index vindex(options);
    for (uint32_t d = 0; d < corpus.size(); ++d) {
      const Signature signature = storyline::dedup::sign(corpus[d].text);
      std::optional<storyline::dedup::ShingleSet> mine;
      storyline::dedup::Verify verify = [&](int64_t id) -> std::optional<double> {
        ++verify_calls;
        if (!mine) mine.emplace(corpus[d].text);
        return mine->jaccard(storyline::dedup::ShingleSet(corpus[id].text));
      };
      for (const auto& match : vindex.find_all(signature, options.exact_threshold, verify)) {
        const auto other = static_cast<uint32_t>(match.canonical_id);
        auto it = truth.find({other, d});
        const double j = it == truth.end() ? 0.0 : it->second;
        ++verified.predicted;
        verified.hits += j >= 0.8;
        verified.grey += j >= 0.7 && j < 0.8;
        verified.same_family += corpus[other].family == corpus[d].family;
      }
      vindex.add(d, signature);
    }
  }

  // ---- Speed and size ----
  const std::vector<Doc> big = make_corpus(material, speed_docs, seed + 1);
  std::size_t bytes_in = 0;
  for (const auto& doc : big) bytes_in += doc.text.size();
  Index speed_index(options);
  std::size_t copies_found = 0;
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = thread_seconds();
  for (std::size_t d = 0; d < big.size(); ++d) {
    const Signature signature = storyline::dedup::sign(big[d].text);
    if (speed_index.find(signature)) ++copies_found;
    speed_index.add(static_cast<int64_t>(d), signature);
  }
  const double seconds = thread_seconds() - cpu_start;
  const double wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The same documents signed only: how the time splits between signing and the index.
  const double sign_start = thread_seconds();
  uint64_t checksum = 0;
  for (const auto& doc : big) checksum += storyline::dedup::sign(doc.text).exact;
  const double sign_seconds = thread_seconds() - sign_start;
  // The same with verification of near-threshold candidates (texts in memory).
  Index verified_index(options);
  std::size_t verified_copies = 0, speed_verify_calls = 0;
  const double verified_start = thread_seconds();
  for (std::size_t d = 0; d < big.size(); ++d) {
    const Signature signature = storyline::dedup::sign(big[d].text);
    std::optional<storyline::dedup::ShingleSet> mine;
    storyline::dedup::Verify verify = [&](int64_t id) -> std::optional<double> {
      ++speed_verify_calls;
      if (!mine) mine.emplace(big[d].text);
      return mine->jaccard(storyline::dedup::ShingleSet(big[id].text));
    };
    if (verified_index.find(signature, verify)) ++verified_copies;
    verified_index.add(static_cast<int64_t>(d), signature);
  }
  const double verified_seconds = thread_seconds() - verified_start;
  const double per_second = big.size() / seconds;
  const double index_bytes = static_cast<double>(speed_index.memory_bytes()) / big.size();
  const std::size_t serial = Index::serialize(storyline::dedup::sign("a b c")).size();

  if (json) {
    std::printf("{\"quality_docs\": %zu, \"truth_pairs\": %zu, \"thresholds\": [", corpus.size(),
                truth_pairs);
    for (std::size_t i = 0; i < quality.size(); ++i) {
      const auto& q = quality[i];
      std::printf(
          "%s{\"threshold\": %.2f, \"predicted\": %zu, \"recall\": %.4f, "
          "\"precision\": %.4f, \"precision_copies\": %.4f, \"grey\": %zu}",
          i ? ", " : "", q.threshold, q.predicted,
          q.truth ? static_cast<double>(q.hits) / q.truth : 1.0,
          q.predicted ? static_cast<double>(q.hits) / q.predicted : 1.0,
          q.predicted ? static_cast<double>(q.same_family) / q.predicted : 1.0, q.grey);
    }
    std::printf(
        "], \"default_threshold\": %.2f, \"speed_docs\": %zu, \"seconds\": %.3f, "
        "\"articles_per_second\": %.0f, \"mb_per_second\": %.1f, "
        "\"index_bytes_per_article\": %.1f, \"serialized_bytes\": %zu, "
        "\"copies_found\": %zu, \"sign_only_seconds\": %.3f, \"wall_seconds\": %.3f, "
        "\"verified\": {\"threshold\": %.2f, \"predicted\": %zu, \"recall\": %.4f, "
        "\"precision\": %.4f, \"precision_copies\": %.4f, \"verify_calls\": %zu, "
        "\"speed_seconds\": %.3f, \"articles_per_second\": %.0f, \"speed_verify_calls\": %zu}}\n",
        options.near_threshold, big.size(), seconds, per_second, bytes_in / seconds / 1e6,
        index_bytes, serial, copies_found, sign_seconds, wall_seconds, verified.threshold,
        verified.predicted,
        verified.truth ? static_cast<double>(verified.hits) / verified.truth : 1.0,
        verified.predicted ? static_cast<double>(verified.hits) / verified.predicted : 1.0,
        verified.predicted ? static_cast<double>(verified.same_family) / verified.predicted : 1.0,
        verify_calls, verified_seconds, big.size() / verified_seconds, speed_verify_calls);
    return 0;
  }
  std::printf("quality: %zu documents, %zu pairs with true Jaccard >= 0.8 (brute force)\n",
              corpus.size(), truth_pairs);
  std::printf("  threshold  predicted  recall  precision  precision(copies)  grey(0.7-0.8)\n");
  for (const auto& q : quality) {
    std::printf("  %9.2f  %9zu  %6.4f  %9.4f  %17.4f  %13zu%s\n", q.threshold, q.predicted,
                q.truth ? static_cast<double>(q.hits) / q.truth : 1.0,
                q.predicted ? static_cast<double>(q.hits) / q.predicted : 1.0,
                q.predicted ? static_cast<double>(q.same_family) / q.predicted : 1.0, q.grey,
                q.threshold == options.near_threshold ? "   <- default" : "");
  }
  std::printf(
      "verified (exact Jaccard for estimates within %.2f of %.2f): predicted %zu, recall %.4f, "
      "precision %.4f, precision(copies) %.4f, grey %zu, %zu verifications\n",
      options.verify_margin, verified.threshold, verified.predicted,
      verified.truth ? static_cast<double>(verified.hits) / verified.truth : 1.0,
      verified.predicted ? static_cast<double>(verified.hits) / verified.predicted : 1.0,
      verified.predicted ? static_cast<double>(verified.same_family) / verified.predicted : 1.0,
      verified.grey, verify_calls);
  std::printf(
      "speed: %zu documents (%.1f MB) in %.3f s of CPU on one thread (%.3f s wall): "
      "%.0f articles/s, %.1f MB/s (sign + find + add)\n",
      big.size(), bytes_in / 1e6, seconds, wall_seconds, per_second, bytes_in / seconds / 1e6);
  std::printf("       signing alone: %.3f s (%.0f articles/s); checksum %llu\n", sign_seconds,
              big.size() / sign_seconds, static_cast<unsigned long long>(checksum % 1000));
  std::printf("       verified lookups: %.3f s (%.0f articles/s), %zu copies, %zu verifications\n",
              verified_seconds, big.size() / verified_seconds, verified_copies, speed_verify_calls);
  std::printf(
      "size: %.1f bytes of index per article in memory (%zu articles), %zu bytes "
      "serialized per signature\n",
      index_bytes, big.size(), serial);
  return 0;
}
