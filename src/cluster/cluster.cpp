#include "cluster/cluster.h"

#include <libstemmer.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <deque>
#include <optional>
#include <string_view>
#include <tuple>
#include <unordered_set>

#include "cluster/stop_words.h"
#include "common/civil_date.h"
#include "common/text_util.h"

namespace storyline::cluster {

namespace {

// ---- Tuning constants (not options: they shape the features, not the decisions) ----------

constexpr float kTitleWeight = 2.0f;     // a title word counts as two body words
constexpr int kMinTokenCodePoints = 3;   // shorter non-ideographic tokens are dropped
constexpr std::size_t kQueryTerms = 32;  // an article's heaviest terms find candidate stories
// Bounds on an article's cost however large the store grows: of each postings list only the
// newest entries are read (a term or entity shared by more stories is common, and the
// article's rarer terms find its story), and only the candidates sharing the most query
// terms and entities are compared in full.
constexpr std::size_t kMaxPostingsScanned = 2000;
constexpr std::size_t kMaxCandidates = 256;
constexpr std::size_t kExplainTerms = 8;  // shared terms listed in an explanation
constexpr std::size_t kGroupTerms = 40;   // heaviest terms compared when groups meet
// A storyline's centroid keeps its kStorylineTerms heaviest terms (and entities): summed over
// every article of a long thread it would otherwise collect every word ever written about it
// (tens of thousands), and its norm, profile, merges and inserts cost that much per article,
// so the cost per article grew with the corpus. Pruned when it reaches twice as many, so the
// pruning costs O(1) per added term amortised. The heaviest terms carry nearly all of the
// cosine with an article; the light tail is words named once or twice in a long thread.
constexpr std::size_t kStorylineTerms = 2048;
// A story's phrase centroid keeps its kStoryPhrases heaviest phrases, for the same reason: a
// story of thousands of articles (a running live blog, a family of near-alike releases) sums
// hundreds of thousands of word pairs, most seen once, and its norm and saved state cost that
// much at every join. ECB+ figures are the same with it (its events hold a few dozen articles).
constexpr std::size_t kStoryPhrases = 8192;
constexpr std::size_t kExplainEntities = 12;
constexpr std::size_t kTopTerms = 8;     // Story::top_terms
constexpr std::size_t kTopEntities = 6;  // Story::top_entities
constexpr std::size_t kLabelWords = 12;  // label from the text when there is no title
// An article with no event day is compared with stories touched within this many arrivals.
constexpr int64_t kRecentArrivals = 20000;
// A story's cached vector norm is recomputed once the collection grew by this fraction (IDF
// drifts slowly), or at once when the story itself changed.
constexpr double kNormRefreshGrowth = 0.05;
constexpr int kStateVersion = 1;
// The document-frequency log (Impl::df_changes): a snapshot replaces it once it holds twice
// the vocabulary plus this many entries, and a row holds at most kDfLogRowEntries.
constexpr std::size_t kDfLogSlack = 4096;
constexpr std::size_t kDfLogRowEntries = 1 << 16;
// Splitting a story: only stories of this many articles or more are revisited (a split needs
// two groups of at least kSplitMinSide), and a story keeps its articles' vectors only while it
// has fewer than kSplitMaxMembers, so a revisit costs at most kSplitMaxMembers² comparisons.
constexpr std::size_t kSplitMinSide = 2;
constexpr std::size_t kSplitMinMembers = 4;
constexpr std::size_t kSplitMaxMembers = 64;
constexpr int64_t kMemberKeepArrivals = 20000;
constexpr int64_t kMemberSweepEvery = 1024;
constexpr int kSplitRounds = 6;
// Re-placing members (Options::story_replace): of a story's storyline, only the last
// kReplaceScanStories stories are looked at, and of those at most kReplaceMaxSiblings that
// still keep their members, so a join costs at most members × siblings comparisons however
// long the thread. A member moves only when the other story beats its own by more than
// kReplaceMargin (its own story without it: the comparison a new article would make), so an
// article on the fence between two equal stories does not move at every join.
constexpr std::size_t kReplaceScanStories = 32;
constexpr std::size_t kReplaceMaxSiblings = 8;
constexpr double kReplaceMargin = 0.0;
// A centroid weight at or below this after a member's weights were taken out is gone (what
// remains of a term no other member names is rounding).
constexpr double kGoneWeight = 1e-12;
// An emptied story's window, so that candidates() never returns it: a day no article has
// (about 2.7 million years ago, far from overflowing with any window) and an arrival long past.
constexpr long kShellDay = -1000000000L;
constexpr int64_t kShellArrival = std::numeric_limits<int64_t>::min() / 4;

// ---- Tokenising and stemming ------------------------------------------------------------

struct StemmerDeleter {
  void operator()(sb_stemmer* stemmer) const { sb_stemmer_delete(stemmer); }
};
using StemmerPtr = std::unique_ptr<sb_stemmer, StemmerDeleter>;

// libstemmer objects are not thread-safe, so each thread keeps its own, created once per
// language. A null entry remembers that the language has no stemmer.
sb_stemmer* stemmer_for(const std::string& language) {
  thread_local std::unordered_map<std::string, StemmerPtr> cache;
  auto it = cache.find(language);
  if (it == cache.end()) {
    it = cache.emplace(language, StemmerPtr(sb_stemmer_new(language.c_str(), "UTF_8"))).first;
  }
  return it->second.get();
}

std::string stemmer_language(const std::string& language) {
  if (language.empty() || language == "un" || language == "xx") return "english";
  return language;
}

const std::unordered_set<std::string_view>& stop_words(const std::string& language) {
  static const auto kByLanguage = [] {
    std::unordered_map<std::string_view, std::unordered_set<std::string_view>> map;
    for (const auto& list : internal::kStopLists) {
      auto& set = map[list.language];
      std::string_view rest = list.words;
      while (!rest.empty()) {
        const auto space = rest.find(' ');
        const auto word = rest.substr(0, space);
        if (!word.empty()) set.insert(word);
        if (space == std::string_view::npos) break;
        rest.remove_prefix(space + 1);
      }
    }
    return map;
  }();
  static const std::unordered_set<std::string_view> kEmpty;
  const std::string_view code =
      language.empty() || language == "un" ? std::string_view("en") : std::string_view(language);
  auto it = kByLanguage.find(code);
  return it == kByLanguage.end() ? kEmpty : it->second;
}

bool is_ideographic(UChar32 c) {
  // Han, kana, Hangul: one or two characters make a word, so the length floor does not apply.
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

// Splits `text` into lowercase words and calls `emit(word, figure)` for each kept one: words of
// kMinTokenCodePoints or more (any ideographic word), and figures (digits, with a decimal point
// or thousands separators inside: "6.1", "1,200", "17"), which `figure` marks. `word` is reused
// between calls (no allocation per token once it has grown).
template <typename Emit>
void for_each_word(std::string_view text, std::string& word, Emit&& emit) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(std::min<std::size_t>(text.size(), INT32_MAX));
  int32_t i = 0;
  int code_points = 0;
  bool all_digits = true;
  bool ideographic = false;
  auto flush = [&] {
    if (!word.empty() && (all_digits || ideographic || code_points >= kMinTokenCodePoints)) {
      emit(word, all_digits);
    }
    word.clear();
    code_points = 0;
    all_digits = true;
    ideographic = false;
  };
  while (i < length) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if ((c == '.' || c == ',') && all_digits && !word.empty() && i < length && bytes[i] >= '0' &&
        bytes[i] <= '9') {
      word += static_cast<char>(c);  // 6.1, 1,200: one figure
      continue;
    }
    if (c < 0 || !u_isalnum(c)) {  // ill-formed bytes split words like punctuation
      flush();
      continue;
    }
    c = u_tolower(c);
    if (!u_isdigit(c)) all_digits = false;
    if (is_ideographic(c)) ideographic = true;
    char buffer[U8_MAX_LENGTH];
    int32_t out = 0;
    U8_APPEND_UNSAFE(buffer, out, c);
    word.append(buffer, out);
    ++code_points;
  }
  flush();
}

// Counts the years `text` names: runs of exactly four ASCII digits from 1900 to 2099 that are
// not part of a longer word or number ("in 2013", "2013-14"; not "A2013" or "20130").
void count_years(std::string_view text, float weight, std::vector<std::pair<int, float>>& years) {
  auto is_word = [](unsigned char c) { return std::isalnum(c) || c >= 0x80; };
  std::size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i - start != 4) continue;
    if (start > 0 && is_word(static_cast<unsigned char>(text[start - 1]))) continue;
    if (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) continue;
    const int year = (text[start] - '0') * 1000 + (text[start + 1] - '0') * 100 +
                     (text[start + 2] - '0') * 10 + (text[start + 3] - '0');
    if (year < 1900 || year > 2099) continue;
    auto it = std::find_if(years.begin(), years.end(),
                           [year](const auto& entry) { return entry.first == year; });
    if (it == years.end()) {
      years.emplace_back(year, weight);
    } else {
      it->second += weight;
    }
  }
}

long event_day(const Article& article, const Analysis& analysis) {
  if (auto date = parse_iso_date(analysis.event_date)) return date->days_since_epoch();
  if (auto date = parse_iso_date(article.published)) return date->days_since_epoch();
  return kUnknownDay;
}

std::string first_words(std::string_view text, std::size_t count) {
  std::string out;
  std::size_t words = 0;
  std::size_t i = 0;
  while (i < text.size() && words < count) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    const std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) break;
    if (!out.empty()) out += ' ';
    out.append(text.substr(start, i - start));
    ++words;
  }
  return out;
}

// ---- Similarity helpers ------------------------------------------------------------------

// Whether `day` lies within `window` days of the range [first_day, last_day]. An unknown day
// is near everything.
bool within(long day, long first_day, long last_day, int window) {
  if (day == kUnknownDay || first_day == kUnknownDay) return true;
  return day >= first_day - window && day <= last_day + window;
}

// Whether an article of `day` keeps a group of [first_day, last_day] within `span` days.
bool keeps_span(long day, long first_day, long last_day, int span) {
  if (day == kUnknownDay || first_day == kUnknownDay) return true;
  return std::max(day, last_day) - std::min(day, first_day) <= span;
}

// Row names sort by id within their kind when the id is zero-padded.
std::string row_name(const char* kind, int64_t id) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%s/%012lld", kind, static_cast<long long>(id));
  return buffer;
}

}  // namespace

Features make_features(const Article& article, const Analysis& analysis) {
  Features features;
  features.day = event_day(article, analysis);
  features.source = article.source;
  features.title = article.title.empty()
                       ? first_words(article.text.substr(0, article.text.find('\n')), kLabelWords)
                       : article.title;

  const std::string language = stemmer_language(article.language);
  sb_stemmer* stemmer = stemmer_for(language);  // null: no stemmer, terms stay unstemmed
  const auto& stops = stop_words(article.language);

  std::unordered_map<std::string, float> counts;
  std::unordered_map<std::string, float> phrase_counts;
  std::string word;
  std::string stem;
  std::string previous;  // the last kept stem of the current text ("" at its start)
  std::string phrase;
  auto bump = [](std::unordered_map<std::string, float>& map, const std::string& key,
                 float weight) {
    auto it = map.find(key);
    if (it == map.end()) {
      map.emplace(key, weight);
    } else {
      it->second += weight;
    }
  };
  auto count_text = [&](std::string_view text, float weight) {
    previous.clear();
    for_each_word(text, word, [&](const std::string& token, bool figure) {
      if (stops.count(token)) {
        previous.clear();
        return;
      }
      if (figure) {
        bump(phrase_counts, token, weight);
        previous.clear();
        return;
      }
      if (stemmer != nullptr) {
        const sb_symbol* stemmed =
            sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(token.data()),
                            static_cast<int>(token.size()));
        if (stemmed == nullptr) return;  // out of memory in libstemmer: skip the word
        stem.assign(reinterpret_cast<const char*>(stemmed), sb_stemmer_length(stemmer));
      } else {
        stem = token;
      }
      bump(counts, stem, weight);
      if (!previous.empty()) {
        phrase.assign(previous);
        phrase += ' ';
        phrase += stem;
        bump(phrase_counts, phrase, weight);
      }
      previous.swap(stem);
    });
  };
  count_text(article.title, kTitleWeight);
  count_text(article.text, 1.0f);
  features.terms.assign(counts.begin(), counts.end());
  std::sort(features.terms.begin(), features.terms.end());
  features.phrases.assign(phrase_counts.begin(), phrase_counts.end());
  std::sort(features.phrases.begin(), features.phrases.end());
  count_years(article.title, kTitleWeight, features.years);
  count_years(article.text, 1.0f, features.years);
  std::sort(features.years.begin(), features.years.end());

  for (const Entity& entity : analysis.entities) {
    if (entity.type != EntityType::kPerson && entity.type != EntityType::kOrganization &&
        entity.type != EntityType::kLocation) {
      continue;
    }
    std::string key = entity.key.empty() ? ascii_lower(entity.name) : entity.key;
    if (!key.empty()) features.entities.push_back(std::move(key));
  }
  std::sort(features.entities.begin(), features.entities.end());
  features.entities.erase(std::unique(features.entities.begin(), features.entities.end()),
                          features.entities.end());
  return features;
}

// ---- Clusterer state ---------------------------------------------------------------------

namespace {

constexpr uint32_t kUnseen = std::numeric_limits<uint32_t>::max();

// Strings interned to dense ids, with a document frequency and a postings list (the stories
// holding the id) per id. Stories and vectors hold ids, so comparisons are merges of sorted
// id arrays instead of string hash lookups.
struct Vocabulary {
  // Views into `names`: a deque never moves its elements, so each string is held once (a
  // million-article vocabulary of terms, phrases and entities is mostly these strings).
  std::unordered_map<std::string_view, uint32_t> ids;
  std::deque<std::string> names;
  std::vector<int> df;
  std::vector<std::vector<uint32_t>> postings;  // id -> story indexes

  uint32_t find(std::string_view name) const {
    auto it = ids.find(name);
    return it == ids.end() ? kUnseen : it->second;
  }
  uint32_t intern(std::string_view name) {
    if (auto it = ids.find(name); it != ids.end()) return it->second;
    const auto id = static_cast<uint32_t>(names.size());
    names.emplace_back(name);
    ids.emplace(names.back(), id);
    df.push_back(0);
    postings.emplace_back();
    return id;
  }
  int frequency(uint32_t id) const { return id == kUnseen ? 0 : df[id]; }
};

// What a group of articles (a story or a storyline) is compared by.
struct Centroid {
  // Sum over its articles of their L2-normalised sublinear term frequencies, sorted by term
  // id. IDF is applied at comparison time so old groups use today's document frequencies.
  std::vector<std::pair<uint32_t, double>> terms;
  std::vector<std::pair<uint32_t, int>> entities;  // entity id -> articles naming it, by id
  // Stories only: sum of the articles' L2-normalised sublinear year counts, by year.
  std::vector<std::pair<int, double>> years;
  // Stories only: sum of the articles' L2-normalised sublinear phrase counts, by phrase id.
  std::vector<std::pair<uint32_t, double>> phrases;
  double phrase_norm = 0;
  int64_t phrase_norm_at = -1;
  int64_t count = 0;     // articles summed
  double norm = 0;       // cached norm of the IDF-weighted centroid
  int64_t norm_at = -1;  // articles_seen when computed; -1: stale
  // Cached norm of the entity weights, refreshed like `norm`: a storyline names thousands of
  // entities, and recomputing this per comparison was the clusterer's largest cost at scale.
  double entity_norm = 0;
  int64_t entity_norm_at = -1;
  // Its terms or entities changed: both cached norms are stale (the profile notices by count).
  void mark_changed() {
    norm_at = -1;
    entity_norm_at = -1;
    phrase_norm_at = -1;
  }
  // Cached profile (heaviest terms, normalised) for group comparisons, refreshed like the
  // norm: when articles were added to the group or the IDFs drifted.
  std::vector<std::pair<uint32_t, double>> profile;
  int64_t profile_count = -1;
  int64_t profile_at = -1;
};

// One article of a story as it was summed into the centroid, kept so that a story found to hold
// two events can be split (its centroid alone cannot tell which articles belong together).
struct Member {
  int64_t article_id = 0;
  long day = kUnknownDay;
  std::string title;
  std::vector<std::pair<uint32_t, double>> terms;    // term id -> weight summed in the centroid
  std::vector<uint32_t> entities;                    // entity ids, sorted
  std::vector<std::pair<int, double>> years;         // as summed in the centroid, by year
  std::vector<std::pair<uint32_t, double>> phrases;  // as summed in the centroid, by id
  bool saved = false;                                // its state row was written
};

struct StoryState : Centroid {
  int64_t id = 0;
  int64_t storyline_id = 0;
  std::string label;
  std::vector<int64_t> articles;
  long first_day = kUnknownDay;
  long last_day = kUnknownDay;
  int64_t last_arrival = 0;
  // Its articles while it is small enough to be split (see kSplitMaxMembers); empty after.
  std::vector<Member> members;
  // Ids whose weights changed since the last take_changes(): a checkpoint writes these as a
  // delta row instead of the whole centroid, which for a story of thousands of articles holds
  // tens of thousands of terms. `whole`: the next save writes everything (new, split or
  // rebuilt story, or more changes noted than the story holds).
  std::vector<uint32_t> changed_terms, changed_entities, changed_phrases;
  bool whole = true;
  // Notes the ids of `added` as changed, unless the story is to be written whole anyway.
  template <typename Pairs>
  void note_changed(std::vector<uint32_t>& changed, const Pairs& added, std::size_t held) {
    if (whole) return;
    for (const auto& entry : added) changed.push_back(entry.first);
    if (changed.size() > held) {
      std::sort(changed.begin(), changed.end());
      changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
      if (changed.size() > held / 2) forget_changes();  // cheaper to write it whole
    }
  }
  void forget_changes() {
    whole = true;
    for (auto* changed : {&changed_terms, &changed_entities, &changed_phrases}) {
      changed->clear();
      changed->shrink_to_fit();
    }
  }
};

struct StorylineState {
  int64_t id = 0;
  std::string label;
  std::vector<int64_t> stories;  // in creation order
  std::vector<StorylineLink> links;
  // Positions of links changed since the last save (a story emptied into another: links
  // naming it name the other), so the next save rewrites those links, not the storyline. A
  // link that came to join a story to itself stays in its place (the positions of the links
  // after it are their rows) and is left out of what users see.
  std::vector<uint32_t> relinked;
  // The sum of its stories' centroids: a new story is linked by its likeness to the whole
  // thread, not to one earlier story. Derived, so not persisted.
  Centroid centroid;
};

struct WeightedId {
  uint32_t id = kUnseen;
  double weight = 0;  // normalised tf-idf (terms) or idf (entities)
  double idf = 0;
};

struct ArticleVector {
  std::vector<WeightedId> terms;              // by id; unseen terms only count in the norm
  std::vector<uint32_t> query;                // ids of the heaviest seen terms, to find candidates
  std::vector<WeightedId> entities;           // by id
  std::vector<std::pair<int, double>> years;  // year -> L2-normalised sublinear count, by year
  std::vector<WeightedId> phrases;            // by id, as terms
  bool has_phrases = false;                   // it names any (seen or not)
};

struct Scored {
  std::size_t story = 0;  // index
  double similarity = 0;
};

bool by_id(const WeightedId& a, const WeightedId& b) { return a.id < b.id; }

// The names of the `limit` heaviest (weight, id) entries, heaviest first, ties by name.
std::vector<std::string> top_names(std::vector<std::pair<double, uint32_t>>& ranked,
                                   const std::deque<std::string>& names, std::size_t limit) {
  std::sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : names[a.second] < names[b.second];
  });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ranked.size() && i < limit; ++i) {
    out.push_back(names[ranked[i].second]);
  }
  return out;
}

// Calls `visit(article_entry, story_value)` for every id in both sorted lists.
template <typename Story, typename Visit>
void for_each_shared(const std::vector<WeightedId>& article, const Story& story, Visit&& visit) {
  auto a = article.begin();
  auto s = story.begin();
  // An article holds a few hundred terms, a storyline's centroid tens of thousands: when the
  // story side is much longer, gallop through it instead of stepping (same visits, same order).
  if (story.size() > 16 * article.size()) {
    for (; a != article.end() && s != story.end(); ++a) {
      std::ptrdiff_t step = 1;
      auto low = s;
      while (step < story.end() - low && (low + step)->first < a->id) {
        low += step;
        step *= 2;
      }
      const auto high = step < story.end() - low ? low + step + 1 : story.end();
      s = std::lower_bound(low, high, a->id,
                           [](const auto& entry, uint32_t id) { return entry.first < id; });
      if (s != story.end() && s->first == a->id) {
        visit(*a, s->second);
        ++s;
      }
    }
    return;
  }
  while (a != article.end() && s != story.end()) {
    if (a->id < s->first) {
      ++a;
    } else if (s->first < a->id) {
      ++s;
    } else {
      visit(*a, s->second);
      ++a;
      ++s;
    }
  }
}

// Calls `visit(id, a_value, b_value)` for every id in both sorted lists.
template <typename A, typename B, typename Visit>
void for_each_shared_pair(const A& a_list, const B& b_list, Visit&& visit) {
  auto a = a_list.begin();
  auto b = b_list.begin();
  while (a != a_list.end() && b != b_list.end()) {
    if (a->first < b->first) {
      ++a;
    } else if (b->first < a->first) {
      ++b;
    } else {
      visit(a->first, a->second, b->second);
      ++a;
      ++b;
    }
  }
}

// Adds `delta` to the entry for `id` in a list sorted by id; returns true when it was new.
template <typename Key, typename Value>
bool add_sorted(std::vector<std::pair<Key, Value>>& list, Key id, Value delta) {
  auto it = std::lower_bound(list.begin(), list.end(), id,
                             [](const auto& entry, Key key) { return entry.first < key; });
  if (it != list.end() && it->first == id) {
    it->second += delta;
    return false;
  }
  list.insert(it, {id, delta});
  return true;
}

// Sorts a list by id and sums the values of repeated ids.
template <typename Key, typename Value>
void coalesce(std::vector<std::pair<Key, Value>>& list) {
  std::sort(list.begin(), list.end());
  std::size_t out = 0;
  for (std::size_t k = 0; k < list.size(); ++k) {
    if (out > 0 && list[out - 1].first == list[k].first) {
      list[out - 1].second += list[k].second;
    } else {
      list[out++] = list[k];
    }
  }
  list.resize(out);
}

// Adds every entry of `from` (sorted by id, unique) into `into` (sorted by id): one linear merge,
// where add_sorted() per entry would move the tail of `into` once per new id. `on_new(id)` is
// called for each id `into` did not hold.
template <typename Key, typename Value, typename OnNew = void (*)(Key)>
void add_all_sorted(
    std::vector<std::pair<Key, Value>>& into, const std::vector<std::pair<Key, Value>>& from,
    OnNew&& on_new = [](Key) {}) {
  if (from.empty()) return;
  std::vector<std::pair<Key, Value>> merged;
  merged.reserve(into.size() + from.size());
  auto a = into.begin();
  auto b = from.begin();
  while (a != into.end() || b != from.end()) {
    if (b == from.end() || (a != into.end() && a->first < b->first)) {
      merged.push_back(*a++);
    } else if (a == into.end() || b->first < a->first) {
      on_new(b->first);
      merged.push_back(*b++);
    } else {
      merged.emplace_back(a->first, a->second + b->second);
      ++a;
      ++b;
    }
  }
  into.swap(merged);
}

nlohmann::json day_json(long day) {
  return day == kUnknownDay ? nlohmann::json(nullptr) : nlohmann::json(day);
}

long day_from_json(const nlohmann::json& value) {
  return value.is_null() ? kUnknownDay : value.get<long>();
}

}  // namespace

struct Clusterer::Impl {
  Options options;
  mutable std::vector<uint16_t> candidate_hits;  // scratch of candidates(): zero between calls
  std::vector<std::pair<int, double>> year_scratch;
  std::vector<std::pair<uint32_t, double>> term_scratch;
  std::vector<std::pair<uint32_t, int>> entity_scratch;
  std::vector<std::pair<uint32_t, double>> phrase_scratch;
  std::vector<double> split_scratch;
  ArticleVector replace_vector;  // scratch of replace_members(): a member's vector
  Centroid replace_without;      // scratch: a story without one of its members
  std::vector<std::size_t> sibling_scratch;
  // Articles re-placed since the last take_changes(): article id -> its placement now.
  std::unordered_map<int64_t, Placement> regrouped;
  int64_t articles_seen = 0;
  Vocabulary terms;
  Vocabulary entities;
  Vocabulary phrases;  // no postings: phrases refine a comparison, terms find the candidates
  std::vector<StoryState> stories;         // story id = index + 1
  std::vector<StorylineState> storylines;  // storyline id = index + 1

  // Each story's days and last arrival, by index, beside `stories`: candidates() filters
  // thousands of postings per article by these, and reading them out of the large StoryState
  // objects cost a cache miss each. Synced where a story's days change (absorb, rebuild) and
  // extended to new stories by candidates().
  struct StoryWindow {
    long first_day = kUnknownDay;
    long last_day = kUnknownDay;
    int64_t last_arrival = 0;
  };
  mutable std::vector<StoryWindow> windows;
  void sync_window(std::size_t index) const {
    if (windows.size() <= index) windows.resize(index + 1);
    const StoryState& story = stories[index];
    if (story.articles.empty()) {  // emptied by re-placement: never a candidate again
      windows[index] = {kShellDay, kShellDay, kShellArrival};
      return;
    }
    windows[index] = {story.first_day, story.last_day, story.last_arrival};
  }

  // What the last take_changes() (or load) saw, per index: a story changes when it gains
  // articles or moves to another storyline; a storyline when its stories or links change (or
  // one of its stories changes: the timeline order follows the stories' days).
  struct SavedStory {
    std::size_t articles = 0;
    int64_t storyline_id = -1;
    bool members = false;
    // Its state rows: the whole story ("story/<id>") and `deltas` rows after it, holding
    // `delta_entries` entries (articles, terms, entities, phrases) against `whole_entries` in
    // the whole row. When the deltas outgrow the whole row it is written whole again, so the
    // rows written stay proportional to the changes (doubling) and the rows held to the story.
    std::size_t deltas = 0;
    std::size_t whole_entries = 0, delta_entries = 0;
  };
  // Articles whose member rows were written and whose story has since forgotten them.
  std::vector<int64_t> forgotten_members;
  // A storyline's stories and links only grow (or go, when it is merged into another): its
  // rows are the storyline as it was when written whole ("storyline/<id>") and `parts` rows
  // after it, each with the stories and links appended since the one before.
  struct SavedStoryline {
    std::size_t stories = 0, links = 0;
    std::size_t parts = 0;
  };
  std::vector<SavedStory> saved_stories;
  std::vector<SavedStoryline> saved_storylines;
  std::vector<int> saved_term_df, saved_entity_df, saved_phrase_df;
  int64_t saved_articles_seen = -1;
  // Document frequencies are saved as a log ("dflog/<seq>" rows: the names interned since the
  // row before, then the frequencies that changed), so a checkpoint appends a few rows at the
  // end of the state's key order instead of rewriting one row per changed name all over it
  // (a phrase vocabulary of millions made those the store's largest cost). The log is
  // replaced by a snapshot of every name once it holds twice the vocabulary.
  std::vector<std::string> df_log_rows;  // the log's rows in the store, oldest first
  std::size_t df_log_entries = 0;        // names and frequencies in them
  int64_t df_log_seq = 0;                // the number of the next row
  bool df_legacy_rows = false;           // loaded from rows "df/<kind>/<name>" (older stores)

  // Appends the log rows of what changed in the document frequencies since the last save to
  // `changes`; a snapshot of every name (and the rows it replaces) when the log has grown to
  // twice the vocabulary, or with `everything`.
  void df_changes(Clusterer::Changes& changes, bool everything) {
    const std::size_t vocabulary = terms.df.size() + entities.df.size() + phrases.df.size();
    const bool snapshot =
        everything || df_legacy_rows || df_log_entries > 2 * vocabulary + kDfLogSlack;
    if (snapshot) {
      if (!everything) {
        for (std::string& row : df_log_rows) changes.deleted_rows.push_back(std::move(row));
        if (df_legacy_rows) {
          for (const auto& [vocab, prefix] :
               {std::pair{&terms, "df/t/"}, {&entities, "df/e/"}, {&phrases, "df/p/"}})
            for (const std::string& name : vocab->names)
              changes.deleted_rows.push_back(prefix + name);
        }
      }
      df_log_rows.clear();
      df_log_entries = 0;
      df_legacy_rows = false;
    }
    for (const auto& [vocab, saved, kind] : {std::tuple{&terms, &saved_term_df, "t"},
                                             {&entities, &saved_entity_df, "e"},
                                             {&phrases, &saved_phrase_df, "p"}}) {
      const std::size_t from = snapshot ? 0 : saved->size();
      std::size_t next_name = from;
      std::size_t id = 0;
      // Rows of at most kDfLogRowEntries names and frequencies, so that none grows huge. The
      // names are one string, a line each, and the frequencies "id df" pairs in one string: a
      // snapshot of millions of names as JSON arrays held ten times the memory.
      while (true) {
        std::string names, frequencies;
        bool names_are_lines = true;
        const std::size_t row_from = next_name;
        std::size_t entries = 0;
        for (; next_name < vocab->names.size() && entries < kDfLogRowEntries;
             ++next_name, ++entries) {
          const std::string& name = vocab->names[next_name];
          names_are_lines &= name.find('\n') == std::string::npos;
          if (entries > 0) names += '\n';
          names += name;
        }
        const std::size_t name_count = entries;
        for (; id < vocab->df.size() && entries < kDfLogRowEntries; ++id) {
          if (!snapshot && id < saved->size() && (*saved)[id] == vocab->df[id]) continue;
          if (!frequencies.empty()) frequencies += ' ';
          frequencies += std::to_string(id);
          frequencies += ' ';
          frequencies += std::to_string(vocab->df[id]);
          entries += 1;
        }
        if (entries == 0) break;
        nlohmann::json row = {{"kind", kind}, {"from", row_from}, {"df", std::move(frequencies)}};
        if (names_are_lines) {
          row["names"] = name_count == 0 ? nlohmann::json::array() : nlohmann::json(names);
        } else {  // a name with a line break in it (none expected): a JSON array instead
          nlohmann::json list = nlohmann::json::array();
          for (std::size_t k = row_from; k < row_from + name_count; ++k)
            list.push_back(vocab->names[k]);
          row["names"] = std::move(list);
        }
        std::string name = row_name("dflog", df_log_seq++);
        changes.rows.emplace_back(name, std::move(row));
        df_log_rows.push_back(std::move(name));
        df_log_entries += entries;
      }
    }
  }

  void mark_saved() {
    saved_stories.resize(stories.size());
    for (std::size_t i = 0; i < stories.size(); ++i) {
      SavedStory& saved = saved_stories[i];
      saved.articles = stories[i].articles.size();
      saved.storyline_id = stories[i].storyline_id;
      saved.members = !stories[i].members.empty();
      stories[i].whole = false;
      for (auto* changed :
           {&stories[i].changed_terms, &stories[i].changed_entities, &stories[i].changed_phrases})
        changed->clear();
    }
    saved_storylines.resize(storylines.size());
    for (std::size_t i = 0; i < storylines.size(); ++i) {
      saved_storylines[i].stories = storylines[i].stories.size();
      saved_storylines[i].links = storylines[i].links.size();
      storylines[i].relinked.clear();
    }
    saved_term_df = terms.df;
    saved_entity_df = entities.df;
    saved_phrase_df = phrases.df;
    saved_articles_seen = articles_seen;
    for (StoryState& story : stories)
      for (Member& member : story.members) member.saved = true;
  }

  // idf = log((N + 1) / (df + 1)) + 1 with both logarithms from a table: a storyline's
  // centroid holds tens of thousands of terms, and one log() per term per comparison was the
  // clusterer's largest cost on large corpora.
  mutable std::vector<double> log_table;  // log_table[n] = log(n)
  double log_of(int64_t n) const {
    if (n >= static_cast<int64_t>(log_table.size())) {
      const std::size_t old_size = log_table.size();
      log_table.resize(static_cast<std::size_t>(n) * 2 + 64);
      for (std::size_t k = old_size; k < log_table.size(); ++k)
        log_table[k] = k ? std::log(static_cast<double>(k)) : 0.0;
    }
    return log_table[static_cast<std::size_t>(n)];
  }
  double table_idf(int df) const { return log_of(articles_seen + 1) - log_of(df + 1) + 1.0; }
  double term_idf(uint32_t id) const { return table_idf(terms.frequency(id)); }
  double entity_idf(uint32_t id) const { return table_idf(entities.frequency(id)); }

  // The L2-normalised sublinear TF-IDF vector of `counts` in `vocabulary`, in input order
  // (unseen entries only count in the norm).
  void tfidf(const std::vector<std::pair<std::string, float>>& counts, const Vocabulary& vocabulary,
             std::vector<WeightedId>& out) const {
    double norm = 0;
    for (const auto& [name, count] : counts) {
      if (!(count > 0)) continue;
      const uint32_t id = vocabulary.find(name);
      const double idf = table_idf(vocabulary.frequency(id));
      const double weight = (1.0 + std::log(count)) * idf;
      norm += weight * weight;
      if (id != kUnseen) out.push_back({id, weight, idf});
    }
    norm = std::sqrt(norm);
    if (norm > 0) {
      for (auto& entry : out) entry.weight /= norm;
    }
  }

  ArticleVector vectorise(const Features& features) const {
    ArticleVector vector;
    tfidf(features.terms, terms, vector.terms);
    if (options.phrase_weight > 0) {
      tfidf(features.phrases, phrases, vector.phrases);
      vector.has_phrases = !features.phrases.empty();
      std::sort(vector.phrases.begin(), vector.phrases.end(), by_id);
    }
    std::vector<WeightedId> heaviest = vector.terms;
    const std::size_t query_size = std::min(kQueryTerms, heaviest.size());
    std::partial_sort(heaviest.begin(), heaviest.begin() + query_size, heaviest.end(),
                      [](const WeightedId& a, const WeightedId& b) {
                        return a.weight != b.weight ? a.weight > b.weight : a.id < b.id;
                      });
    for (std::size_t i = 0; i < query_size; ++i) vector.query.push_back(heaviest[i].id);
    std::sort(vector.terms.begin(), vector.terms.end(), by_id);

    double entity_norm = 0;
    for (const auto& key : features.entities) {
      const uint32_t id = entities.find(key);
      const double weight = entity_idf(id);
      entity_norm += weight * weight;
      if (id != kUnseen) vector.entities.push_back({id, weight, weight});
    }
    entity_norm = std::sqrt(entity_norm);
    if (entity_norm > 0) {
      for (auto& entity : vector.entities) entity.weight /= entity_norm;
    }
    std::sort(vector.entities.begin(), vector.entities.end(), by_id);
    vector.entities.erase(std::unique(vector.entities.begin(), vector.entities.end(),
                                      [](const auto& a, const auto& b) { return a.id == b.id; }),
                          vector.entities.end());
    year_vector(features, vector.years);
    return vector;
  }

  // The years of `features` as an L2-normalised sublinear count vector, by year.
  static void year_vector(const Features& features, std::vector<std::pair<int, double>>& out) {
    out.clear();
    double norm = 0;
    for (const auto& [year, count] : features.years) {
      if (!(count > 0)) continue;
      const double weight = 1.0 + std::log(count);
      out.emplace_back(year, weight);
      norm += weight * weight;
    }
    norm = std::sqrt(norm);
    for (auto& entry : out) entry.second /= norm;
  }

  // Whether a value cached when `articles_seen` was `computed_at` (-1: never) still holds: the
  // IDFs it used have drifted less than kNormRefreshGrowth since.
  bool idf_fresh(int64_t computed_at) const {
    return computed_at >= 0 && articles_seen <= computed_at * (1.0 + kNormRefreshGrowth) + 1;
  }

  double story_norm(Centroid& story) {
    if (!idf_fresh(story.norm_at)) {
      story.norm = idf_norm(story.terms, terms);
      story.norm_at = articles_seen;
    }
    return story.norm;
  }

  double phrase_norm(Centroid& story) {
    if (!idf_fresh(story.phrase_norm_at)) {
      story.phrase_norm = idf_norm(story.phrases, phrases);
      story.phrase_norm_at = articles_seen;
    }
    return story.phrase_norm;
  }

  // Norm of a centroid's IDF-weighted vector.
  double idf_norm(const std::vector<std::pair<uint32_t, double>>& centroid,
                  const Vocabulary& vocabulary) const {
    double sum = 0;
    for (const auto& [id, weight] : centroid) {
      const double w = weight * table_idf(vocabulary.frequency(id));
      sum += w * w;
    }
    return std::sqrt(sum);
  }

  // Weight of an entity in a story: the share of its articles naming it, times the entity IDF.
  double story_entity_weight(const Centroid& story, uint32_t id, int count) const {
    return story.count > 0 ? static_cast<double>(count) / story.count * entity_idf(id) : 0.0;
  }

  double entity_norm(Centroid& story) const {
    if (!idf_fresh(story.entity_norm_at)) {
      double sum = 0;
      for (const auto& [id, count] : story.entities) {
        const double w = story_entity_weight(story, id, count);
        sum += w * w;
      }
      story.entity_norm = std::sqrt(sum);
      story.entity_norm_at = articles_seen;
    }
    return story.entity_norm;
  }

  // Which level a similarity decides: an article's event (years count) or its storyline.
  enum class Level { kEvent, kStoryline };

  // Blended similarity of an article vector and a story (or storyline). A signal missing on
  // one side (no entities, no years) is missing, not negative: its share goes to the others.
  // `term_part`, when given, receives the TF-IDF cosine alone.
  // `without_phrases`, when given, receives the blend without phrases (what links stories into
  // storylines: a thread's events differ in their details).
  // `with_phrases` false: the caller only reads `term_part` and `without_phrases` (a story
  // the article cannot join is a candidate for its storyline only), so the phrase centroid,
  // the longest of a story's, is not merged.
  double similarity(const ArticleVector& article, Centroid& story, Level level = Level::kEvent,
                    double* term_part = nullptr, double* without_phrases = nullptr,
                    bool with_phrases = true) {
    const double term_cosine = centroid_cosine(article.terms, story.terms, story_norm(story));
    if (term_part) *term_part = term_cosine;
    const bool phrases_known = with_phrases && level == Level::kEvent &&
                               options.phrase_weight > 0 && article.has_phrases &&
                               !story.phrases.empty();
    const double phrase_cosine =
        phrases_known ? centroid_cosine(article.phrases, story.phrases, phrase_norm(story)) : -1;
    const double share =
        level == Level::kEvent ? options.entity_weight : options.storyline_entity_weight;
    // With no share, entities cannot change the blend; skip their (long) merge.
    const bool entities_known = share > 0 && !article.entities.empty() && !story.entities.empty();
    const bool years_known =
        level == Level::kEvent && !article.years.empty() && !story.years.empty();
    double entity_cosine = 0;
    const double story_entity_norm = entities_known ? entity_norm(story) : 0;
    if (story_entity_norm > 0) {
      for_each_shared(article.entities, story.entities, [&](const WeightedId& entity, int count) {
        entity_cosine += entity.weight * story_entity_weight(story, entity.id, count);
      });
      entity_cosine /= story_entity_norm;
    }
    double year_cosine = 0;
    if (years_known) {
      double norm_years = 0;
      for (const auto& entry : story.years) norm_years += entry.second * entry.second;
      for_each_shared_pair(article.years, story.years,
                           [&](int, double wa, double ws) { year_cosine += wa * ws; });
      if (norm_years > 0) year_cosine /= std::sqrt(norm_years);
    }
    const double entity_part = entities_known ? entity_cosine : -1;
    const double year_part = years_known ? year_cosine : -1;
    if (without_phrases) *without_phrases = blend(term_cosine, entity_part, year_part, level);
    return blend(term_cosine, entity_part, year_part, level, phrase_cosine);
  }

  // Cosine of an article's TF-IDF vector with a centroid (IDF applied now) of norm `norm`.
  static double centroid_cosine(const std::vector<WeightedId>& article,
                                const std::vector<std::pair<uint32_t, double>>& centroid,
                                double norm) {
    if (!(norm > 0)) return 0;
    double sum = 0;
    for_each_shared(article, centroid, [&](const WeightedId& entry, double weight) {
      sum += entry.weight * weight * entry.idf;
    });
    return sum / norm;
  }

  // Terms and entities mixed by the entity share (a negative part is missing), then scaled
  // down by year disagreement: naming the same years does not make two articles alike (every
  // story of a year would attract every article of that year), naming other years sets them
  // apart.
  // Phrases (events only; a negative part is missing) are mixed into the words' part first.
  double blend(double terms_part, double entities_part, double years_part,
               Level level = Level::kEvent, double phrases_part = -1) const {
    if (level == Level::kEvent && phrases_part >= 0) {
      terms_part =
          (1.0 - options.phrase_weight) * terms_part + options.phrase_weight * phrases_part;
    }
    const double share =
        level == Level::kEvent ? options.entity_weight : options.storyline_entity_weight;
    const double mixed =
        entities_part >= 0 ? (1.0 - share) * terms_part + share * entities_part : terms_part;
    if (years_part < 0) return mixed;
    return mixed * (1.0 - options.year_weight * (1.0 - years_part));
  }

  // The `kGroupTerms` heaviest IDF-weighted terms of a centroid, L2-normalised, by id. A
  // large group's centroid collects every generic word of its articles; comparing groups by
  // their heaviest terms keeps what makes each distinct, so big groups do not drift together.
  void profile(const Centroid& group, std::vector<std::pair<uint32_t, double>>& out) const {
    out.clear();
    for (const auto& [id, weight] : group.terms) out.emplace_back(id, weight * term_idf(id));
    const std::size_t keep = std::min(kGroupTerms, out.size());
    std::partial_sort(out.begin(), out.begin() + keep, out.end(), [](const auto& x, const auto& y) {
      return x.second != y.second ? x.second > y.second : x.first < y.first;
    });
    out.resize(keep);
    double norm = 0;
    for (const auto& entry : out) norm += entry.second * entry.second;
    norm = std::sqrt(norm);
    for (auto& entry : out) entry.second = norm > 0 ? entry.second / norm : 0;
    std::sort(out.begin(), out.end());
  }

  const std::vector<std::pair<uint32_t, double>>& cached_profile(Centroid& group) const {
    if (group.profile_count != group.count || !idf_fresh(group.profile_at)) {
      profile(group, group.profile);
      group.profile_count = group.count;
      group.profile_at = articles_seen;
    }
    return group.profile;
  }

  // Keeps a storyline centroid's kStorylineTerms heaviest terms (by IDF-weighted weight) and
  // entities (by IDF-weighted count) once either list reached twice that (see kStorylineTerms).
  // Keeps the `limit` heaviest entries of a centroid list once it holds twice as many, so the
  // pruning costs O(1) per added entry amortised. Returns whether it pruned.
  template <typename List, typename WeightOf>
  static bool keep_heaviest(List& list, std::size_t limit, WeightOf&& weight_of) {
    if (list.size() < 2 * limit) return false;
    std::vector<std::pair<double, std::size_t>> ranked;  // weight, position
    ranked.reserve(list.size());
    for (std::size_t k = 0; k < list.size(); ++k) ranked.emplace_back(weight_of(list[k]), k);
    // Heaviest first; among equals the smaller id (position), so pruning is deterministic.
    std::nth_element(ranked.begin(), ranked.begin() + limit, ranked.end(),
                     [](const auto& x, const auto& y) {
                       return x.first != y.first ? x.first > y.first : x.second < y.second;
                     });
    std::vector<uint8_t> kept(list.size(), 0);
    for (std::size_t k = 0; k < limit; ++k) kept[ranked[k].second] = 1;
    std::size_t out = 0;
    for (std::size_t k = 0; k < list.size(); ++k)
      if (kept[k]) list[out++] = list[k];
    list.resize(out);
    list.shrink_to_fit();
    return true;
  }

  void bound_storyline(Centroid& thread) const {
    bool pruned = keep_heaviest(thread.terms, kStorylineTerms, [&](const auto& entry) {
      return entry.second * term_idf(entry.first);
    });
    pruned |= keep_heaviest(thread.entities, kStorylineTerms, [&](const auto& entry) {
      return entry.second * entity_idf(entry.first);
    });
    if (pruned) thread.mark_changed();
  }

  // Blended similarity of two centroids (stories or storylines), as similarity() above.
  double group_similarity(Centroid& a, Centroid& b) {
    double term_cosine = 0;
    for_each_shared_pair(cached_profile(a), cached_profile(b),
                         [&](uint32_t, double wa, double wb) { term_cosine += wa * wb; });
    if (a.entities.empty() || b.entities.empty() || options.storyline_entity_weight <= 0)
      return term_cosine;
    double entity_cosine = 0;
    const double entity_norms = entity_norm(a) * entity_norm(b);
    if (entity_norms > 0) {
      for_each_shared_pair(a.entities, b.entities, [&](uint32_t id, int ca, int cb) {
        entity_cosine += story_entity_weight(a, id, ca) * story_entity_weight(b, id, cb);
      });
      entity_cosine /= entity_norms;
    }
    return blend(term_cosine, entity_cosine, -1, Level::kStoryline);
  }

  // What two groups share, by contribution (the explanation of a merge).
  void explain_groups(const Centroid& a, const Centroid& b,
                      std::vector<std::string>& shared_entities,
                      std::vector<std::string>& shared_terms) const {
    std::vector<std::pair<double, uint32_t>> ranked;
    for_each_shared_pair(a.entities, b.entities, [&](uint32_t id, int ca, int cb) {
      ranked.emplace_back(story_entity_weight(a, id, ca) * story_entity_weight(b, id, cb), id);
    });
    shared_entities = top_names(ranked, entities.names, kExplainEntities);
    ranked.clear();
    for_each_shared_pair(a.terms, b.terms, [&](uint32_t id, double wa, double wb) {
      const double weight = term_idf(id);
      ranked.emplace_back(wa * wb * weight * weight, id);
    });
    shared_terms = top_names(ranked, terms.names, kExplainTerms);
  }

  // The id of a storyline's first story that was not emptied by re-placement (a storyline
  // always holds one: articles only move between its stories).
  int64_t first_live_story(const StorylineState& storyline) const {
    for (int64_t id : storyline.stories)
      if (!stories[id - 1].articles.empty()) return id;
    return storyline.stories.front();
  }

  // Moves every story of storyline `from` into `into`, with a link saying why. `from` stays
  // as an empty shell so that ids remain dense.
  void merge_storylines(int64_t into_id, int64_t from_id, std::size_t into_story, double score) {
    StorylineState& into = storylines[into_id - 1];
    StorylineState& from = storylines[from_id - 1];
    StorylineLink link;
    link.from_story = first_live_story(from);
    link.to_story = stories[into_story].id;
    link.similarity = score;
    explain_groups(into.centroid, from.centroid, link.shared_entities, link.shared_terms);
    for (int64_t story_id : from.stories) {
      stories[story_id - 1].storyline_id = into_id;
      into.stories.push_back(story_id);
    }
    for (auto& old : from.links) into.links.push_back(std::move(old));
    into.links.push_back(std::move(link));
    add_all_sorted(into.centroid.terms, from.centroid.terms);
    add_all_sorted(into.centroid.entities, from.centroid.entities);
    into.centroid.count += from.centroid.count;
    into.centroid.mark_changed();
    bound_storyline(into.centroid);
    from.stories.clear();
    from.links.clear();
    from.relinked.clear();
    from.centroid = Centroid();
  }

  // Revisits the storyline `storyline_id` just grew: merges it with the most similar other
  // storyline among `nearby` (storyline id -> one of its stories) when their centroids agree.
  void revisit_storyline(int64_t storyline_id, const std::unordered_map<int64_t, Scored>& nearby) {
    if (options.storyline_merge_threshold <= 0) return;
    Centroid& grown = storylines[storyline_id - 1].centroid;
    std::optional<std::pair<int64_t, double>> best;
    for (const auto& [other_id, closest] : nearby) {
      if (other_id == storyline_id || storylines[other_id - 1].stories.empty()) continue;
      const double score = group_similarity(grown, storylines[other_id - 1].centroid);
      if (!best || score > best->second || (score == best->second && other_id < best->first)) {
        best = std::make_pair(other_id, score);
      }
    }
    if (!best || best->second < options.storyline_merge_threshold) return;
    // The older storyline keeps its id; the link points at a story of the one kept.
    const int64_t into = std::min(storyline_id, best->first);
    const int64_t from = std::max(storyline_id, best->first);
    const auto it = nearby.find(into);
    const std::size_t into_story =
        it != nearby.end() ? it->second.story
                           : static_cast<std::size_t>(first_live_story(storylines[into - 1]) - 1);
    merge_storylines(into, from, into_story, best->second);
  }

  // Event-level similarity of every pair of a story's members, row-major.
  void member_similarities(const std::vector<Member>& members, std::vector<double>& out) {
    const std::size_t n = members.size();
    std::vector<ArticleVector> vectors(n);
    for (std::size_t i = 0; i < n; ++i) member_vector(members[i], vectors[i]);
    auto dot = [](const std::vector<WeightedId>& a, const std::vector<WeightedId>& b) {
      double sum = 0;
      auto x = a.begin();
      auto y = b.begin();
      while (x != a.end() && y != b.end()) {
        if (x->id < y->id) {
          ++x;
        } else if (y->id < x->id) {
          ++y;
        } else {
          sum += x->weight * y->weight;
          ++x;
          ++y;
        }
      }
      return sum;
    };
    out.assign(n * n, 1.0);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) {
        const ArticleVector& a = vectors[i];
        const ArticleVector& b = vectors[j];
        double years = -1;
        if (!a.years.empty() && !b.years.empty()) {
          years = 0;
          for_each_shared_pair(a.years, b.years,
                               [&](int, double wa, double wb) { years += wa * wb; });
        }
        const double entity_part =
            a.entities.empty() || b.entities.empty() ? -1 : dot(a.entities, b.entities);
        const double phrase_part =
            a.phrases.empty() || b.phrases.empty() ? -1 : dot(a.phrases, b.phrases);
        out[i * n + j] = out[j * n + i] =
            blend(dot(a.terms, b.terms), entity_part, years, Level::kEvent, phrase_part);
      }
    }
  }

  // Revisits a story that just grew: when its members fall into two groups that are less alike,
  // on average, than `story_split_threshold` (two events of one kind that joined while the
  // story was young), the group without the story's first article becomes a story of its own in
  // the same storyline. Two-way average-link partition from the least similar pair. Returns the
  // index of the new story.
  std::optional<std::size_t> revisit_story(std::size_t index) {
    if (options.story_split_threshold <= 0) return std::nullopt;
    const std::vector<Member>& members = stories[index].members;
    const std::size_t n = members.size();
    if (n < kSplitMinMembers || n != stories[index].articles.size()) return std::nullopt;
    std::vector<double>& sims = split_scratch;
    member_similarities(members, sims);
    std::size_t seed_a = 0;
    std::size_t seed_b = 1;
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) {
        if (sims[i * n + j] < sims[seed_a * n + seed_b]) {
          seed_a = i;
          seed_b = j;
        }
      }
    }
    std::vector<uint8_t> side(n, 0);  // 1: in the group that leaves
    side[seed_b] = 1;
    for (int round = 0; round < kSplitRounds; ++round) {
      std::vector<uint8_t> next(n, 0);
      std::size_t leaving = 0;
      for (std::size_t i = 0; i < n; ++i) {
        double sum[2] = {0, 0};
        int count[2] = {0, 0};
        for (std::size_t j = 0; j < n; ++j) {
          if (j == i) continue;
          sum[side[j]] += sims[i * n + j];
          ++count[side[j]];
        }
        const double stay = count[0] > 0 ? sum[0] / count[0] : 0;
        const double leave = count[1] > 0 ? sum[1] / count[1] : 0;
        next[i] = i == seed_a ? 0 : i == seed_b ? 1 : static_cast<uint8_t>(leave > stay);
        leaving += next[i];
      }
      if (leaving == 0 || leaving == n) return std::nullopt;
      const bool stable = next == side;
      side.swap(next);
      if (stable) break;
    }
    const std::size_t leaving = static_cast<std::size_t>(std::count(side.begin(), side.end(), 1));
    if (leaving < kSplitMinSide || n - leaving < kSplitMinSide) return std::nullopt;
    double cross = 0;
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        if (side[i] == 0 && side[j] == 1) cross += sims[i * n + j];
      }
    }
    cross /= static_cast<double>(leaving * (n - leaving));
    if (cross >= options.story_split_threshold) return std::nullopt;
    // The first article's group keeps the story (its id and label).
    if (side[0] == 1) {
      for (auto& s : side) s = static_cast<uint8_t>(1 - s);
    }
    return split_story(index, side, cross);
  }

  // Sums a story's members into term_scratch, entity_scratch and phrase_scratch (sorted, one
  // entry per id) and sets its years, days and article list from them; the callers decide
  // which ids join the postings before the sums become the story's centroid.
  void sum_members(StoryState& story) {
    std::vector<std::pair<uint32_t, double>>& summed_terms = term_scratch;
    summed_terms.clear();
    std::vector<std::pair<uint32_t, int>>& summed_entities = entity_scratch;
    summed_entities.clear();
    std::vector<std::pair<uint32_t, double>>& summed_phrases = phrase_scratch;
    summed_phrases.clear();
    story.years.clear();
    story.articles.clear();
    story.first_day = story.last_day = kUnknownDay;
    for (const Member& member : story.members) {
      story.articles.push_back(member.article_id);
      for (const auto& entry : member.terms)
        if (entry.first != kUnseen) summed_terms.push_back(entry);
      for (uint32_t id : member.entities)
        if (id != kUnseen) summed_entities.emplace_back(id, 1);
      summed_phrases.insert(summed_phrases.end(), member.phrases.begin(), member.phrases.end());
      story.years.insert(story.years.end(), member.years.begin(), member.years.end());
      if (member.day != kUnknownDay) {
        story.first_day =
            story.first_day == kUnknownDay ? member.day : std::min(story.first_day, member.day);
        story.last_day =
            story.last_day == kUnknownDay ? member.day : std::max(story.last_day, member.day);
      }
    }
    coalesce(summed_terms);
    coalesce(summed_entities);
    coalesce(summed_phrases);
    coalesce(story.years);
  }

  // Rebuilds a story's centroid, days and article list from its members (a story split):
  // every id it holds joins its postings.
  void rebuild_story(StoryState& story, std::size_t index) {
    story.forget_changes();
    sum_members(story);
    for (const auto& entry : term_scratch)
      terms.postings[entry.first].push_back(static_cast<uint32_t>(index));
    for (const auto& entry : entity_scratch)
      entities.postings[entry.first].push_back(static_cast<uint32_t>(index));
    story.terms.assign(term_scratch.begin(), term_scratch.end());
    story.entities.assign(entity_scratch.begin(), entity_scratch.end());
    story.phrases.assign(phrase_scratch.begin(), phrase_scratch.end());
    story.count = static_cast<int64_t>(story.members.size());
    story.mark_changed();
    sync_window(index);
  }

  std::size_t split_story(std::size_t index, const std::vector<uint8_t>& side, double cross) {
    StoryState fresh;
    fresh.id = static_cast<int64_t>(stories.size()) + 1;
    {
      StoryState& story = stories[index];
      fresh.storyline_id = story.storyline_id;
      fresh.last_arrival = story.last_arrival;
      std::vector<Member> staying;
      for (std::size_t i = 0; i < side.size(); ++i) {
        (side[i] ? fresh.members : staying).push_back(std::move(story.members[i]));
      }
      story.members = std::move(staying);
      fresh.label = fresh.members.front().title;
    }
    const std::size_t fresh_index = stories.size();
    stories.push_back(std::move(fresh));
    StoryState& kept = stories[index];
    StoryState& split = stories[fresh_index];
    // Postings of the kept story may name terms it no longer holds: they only add candidates.
    rebuild_story(kept, index);
    rebuild_story(split, fresh_index);
    StorylineState& storyline = storylines[split.storyline_id - 1];
    StorylineLink link;
    link.from_story = split.id;
    link.to_story = kept.id;
    link.similarity = cross;
    explain_groups(kept, split, link.shared_entities, link.shared_terms);
    storyline.stories.push_back(split.id);
    storyline.links.push_back(std::move(link));
    return fresh_index;
  }

  // ---- Re-placing members after a story grows (Options::story_replace) ----------------------

  // A story that holds every article's vector, so articles can move out of it and into it.
  static bool keeps_members(const StoryState& story) {
    return !story.members.empty() && story.members.size() == story.articles.size();
  }

  // A member's vector as vectorise() makes an article's (today's IDF, L2-normalised), into
  // `out`, whose lists are reused.
  void member_vector(const Member& member, ArticleVector& out) const {
    auto weigh = [this](const std::vector<std::pair<uint32_t, double>>& tf,
                        const Vocabulary& vocabulary, std::vector<WeightedId>& weighted) {
      weighted.clear();
      double norm = 0;
      for (const auto& [id, weight] : tf) {
        const double idf = table_idf(vocabulary.frequency(id));
        weighted.push_back({id, weight * idf, idf});
        norm += weight * idf * weight * idf;
      }
      norm = std::sqrt(norm);
      for (auto& entry : weighted) entry.weight = norm > 0 ? entry.weight / norm : 0;
    };
    weigh(member.terms, terms, out.terms);
    out.phrases.clear();
    out.has_phrases = false;
    if (options.phrase_weight > 0) {
      weigh(member.phrases, phrases, out.phrases);
      out.has_phrases = !member.phrases.empty();
    }
    out.entities.clear();
    double norm = 0;
    for (uint32_t id : member.entities) {
      const double idf = entity_idf(id);
      out.entities.push_back({id, idf, idf});
      norm += idf * idf;
    }
    norm = std::sqrt(norm);
    for (auto& entity : out.entities) entity.weight = norm > 0 ? entity.weight / norm : 0;
    out.years.assign(member.years.begin(), member.years.end());
    out.query.clear();
  }

  // `story` with `member`'s contribution taken out, into `out` (scratch; lists reused).
  static void without_member(const StoryState& story, const Member& member, Centroid& out) {
    auto subtract = [](const auto& from, const auto& minus, auto& into) {
      into.clear();
      auto taken = minus.begin();
      for (const auto& entry : from) {
        while (taken != minus.end() && taken->first < entry.first) ++taken;
        if (taken != minus.end() && taken->first == entry.first) {
          if (entry.second - taken->second > kGoneWeight)
            into.emplace_back(entry.first, entry.second - taken->second);
        } else {
          into.push_back(entry);
        }
      }
    };
    subtract(story.terms, member.terms, out.terms);
    subtract(story.years, member.years, out.years);
    subtract(story.phrases, member.phrases, out.phrases);
    out.entities.clear();
    auto named = member.entities.begin();
    for (const auto& [id, count] : story.entities) {
      while (named != member.entities.end() && *named < id) ++named;
      const int left = named != member.entities.end() && *named == id ? count - 1 : count;
      if (left > 0) out.entities.emplace_back(id, left);
    }
    out.count = story.count - 1;
    out.mark_changed();
    out.profile_count = -1;
  }

  // The similarity of a member (its vector and day) to a story it could join as a new article
  // could (within the window and span of the story's days, with enough evidence from the words
  // alone, at or above the story threshold); nullopt when it could not.
  std::optional<double> join_score(const ArticleVector& vector, long day, StoryState& story) {
    if (!within(day, story.first_day, story.last_day, options.story_window_days) ||
        !keeps_span(day, story.first_day, story.last_day, options.story_span_days))
      return std::nullopt;
    double term_score = 0;
    const double score = similarity(vector, story, Level::kEvent, &term_score);
    if (term_score < options.story_min_term_similarity || score < options.story_threshold)
      return std::nullopt;
    return score;
  }

  // A member's similarity to its own story without it (0 when it is the story's only one).
  double own_score(const ArticleVector& vector, const StoryState& story, const Member& member) {
    if (story.members.size() < 2) return 0;
    without_member(story, member, replace_without);
    return similarity(vector, replace_without, Level::kEvent);
  }

  // Rebuilds a story's centroid, days, article list and label from its members after members
  // moved in or out. `post_new`: terms and entities it did not hold join their postings (a
  // story that only lost members holds no new ones; stale postings only add candidates).
  void recompute_story(std::size_t index, bool post_new) {
    StoryState& story = stories[index];
    story.forget_changes();  // entries may have left: the next save writes it whole
    sum_members(story);
    const std::vector<std::pair<uint32_t, double>>& summed_terms = term_scratch;
    const std::vector<std::pair<uint32_t, int>>& summed_entities = entity_scratch;
    const std::vector<std::pair<uint32_t, double>>& summed_phrases = phrase_scratch;
    auto post = [&](const auto& held, const auto& summed, Vocabulary& vocabulary) {
      if (!post_new) return;
      auto old = held.begin();
      for (const auto& entry : summed) {
        while (old != held.end() && old->first < entry.first) ++old;
        if (old == held.end() || old->first != entry.first)
          vocabulary.postings[entry.first].push_back(static_cast<uint32_t>(index));
      }
    };
    post(story.terms, summed_terms, terms);
    post(story.entities, summed_entities, entities);
    story.terms.assign(summed_terms.begin(), summed_terms.end());
    story.entities.assign(summed_entities.begin(), summed_entities.end());
    story.phrases.assign(summed_phrases.begin(), summed_phrases.end());
    keep_heaviest(story.phrases, kStoryPhrases, [&](const auto& entry) {
      return entry.second * table_idf(phrases.frequency(entry.first));
    });
    if (!story.members.empty()) story.label = story.members.front().title;
    story.count = static_cast<int64_t>(story.members.size());
    story.mark_changed();
    story.profile_count = -1;
    sync_window(index);
  }

  // Moves member `position` of story `from` into story `to` (both keep their members, same
  // storyline, so the storyline's centroid is unchanged), and notes the article's placement:
  // `score`, what ties it to `to` as `to` was before it came.
  void move_member(std::size_t from, std::size_t position, std::size_t to,
                   const ArticleVector& vector, double score) {
    Placement placement;
    placement.story_id = stories[to].id;
    placement.storyline_id = stories[to].storyline_id;
    placement.story_similarity = score;
    placement.replaced_from_story = stories[from].id;
    explain(vector, stories[to], placement.shared_entities, placement.shared_terms);
    std::vector<Member>& members = stories[from].members;
    const int64_t article_id = members[position].article_id;
    stories[to].members.push_back(std::move(members[position]));
    members.erase(members.begin() + static_cast<std::ptrdiff_t>(position));
    recompute_story(from, /*post_new=*/false);
    recompute_story(to, /*post_new=*/true);
    regrouped[article_id] = std::move(placement);
  }

  // A story emptied into `into`: links of its storyline that named it name `into` (a link
  // from `into` to itself goes).
  void retarget_links(int64_t emptied_id, int64_t into_id) {
    StorylineState& storyline = storylines[stories[into_id - 1].storyline_id - 1];
    for (std::size_t i = 0; i < storyline.links.size(); ++i) {
      StorylineLink& link = storyline.links[i];
      if (link.from_story != emptied_id && link.to_story != emptied_id) continue;
      if (link.from_story == emptied_id) link.from_story = into_id;
      if (link.to_story == emptied_id) link.to_story = into_id;
      storyline.relinked.push_back(static_cast<uint32_t>(i));
    }
  }

  // Revisits the placements around a story that just grew (Options::story_replace): (a) its
  // members now more like a sibling story of its storyline than like it (without them) move
  // there; (b) a sibling of at most story_replace articles whose articles are all more like
  // it than like their own story moves into it, leaving an empty shell (ids stay dense).
  void replace_members(std::size_t index) {
    if (options.story_replace <= 0 || !keeps_members(stories[index])) return;
    std::vector<std::size_t>& siblings = sibling_scratch;
    siblings.clear();
    {
      const StorylineState& storyline = storylines[stories[index].storyline_id - 1];
      const std::size_t scan = std::min(storyline.stories.size(), kReplaceScanStories);
      for (std::size_t k = storyline.stories.size() - scan; k < storyline.stories.size(); ++k) {
        const auto sibling = static_cast<std::size_t>(storyline.stories[k] - 1);
        if (sibling != index && keeps_members(stories[sibling])) siblings.push_back(sibling);
      }
      // The newest first, when there are more than are compared.
      std::reverse(siblings.begin(), siblings.end());
      if (siblings.size() > kReplaceMaxSiblings) siblings.resize(kReplaceMaxSiblings);
    }
    if (siblings.empty()) return;
    ArticleVector& vector = replace_vector;

    // (a) Members that are now more like a sibling. The story keeps at least one.
    for (std::size_t position = 0;
         position < stories[index].members.size() && stories[index].members.size() > 1;) {
      const Member& member = stories[index].members[position];
      member_vector(member, vector);
      std::optional<std::pair<std::size_t, double>> best;
      for (std::size_t sibling : siblings) {
        if (stories[sibling].members.size() >= kSplitMaxMembers) continue;
        const auto score = join_score(vector, member.day, stories[sibling]);
        if (score && (!best || *score > best->second)) best = std::make_pair(sibling, *score);
      }
      if (best && best->second > own_score(vector, stories[index], member) + kReplaceMargin) {
        move_member(index, position, best->first, vector, best->second);
        continue;  // the next member is at `position` now
      }
      ++position;
    }

    // (b) Small siblings whose articles are all more like the grown story.
    for (std::size_t sibling : siblings) {
      StoryState& small = stories[sibling];
      const std::size_t size = small.members.size();
      if (size == 0 || size > static_cast<std::size_t>(options.story_replace) ||
          stories[index].members.size() + size > kSplitMaxMembers)
        continue;
      // Together its articles keep the grown story within its span.
      const StoryState& grown = stories[index];
      bool all =
          keeps_span(small.first_day, grown.first_day, grown.last_day, options.story_span_days) &&
          keeps_span(small.last_day, grown.first_day, grown.last_day, options.story_span_days);
      for (const Member& member : small.members) {
        member_vector(member, vector);
        const auto score = join_score(vector, member.day, stories[index]);
        if (!score || *score <= own_score(vector, small, member) + kReplaceMargin) {
          all = false;
          break;
        }
      }
      if (!all) continue;
      while (!stories[sibling].members.empty()) {
        const Member& member = stories[sibling].members.front();
        member_vector(member, vector);
        const double score = similarity(vector, stories[index], Level::kEvent);
        move_member(sibling, 0, index, vector, score);
      }
      retarget_links(stories[sibling].id, stories[index].id);
    }
    // (c) Single members of the other siblings now more like the grown story (a sibling keeps
    // at least one: only (b) empties a story).
    for (std::size_t sibling : siblings) {
      for (std::size_t position = 0; position < stories[sibling].members.size() &&
                                     stories[sibling].members.size() > 1 &&
                                     stories[index].members.size() < kSplitMaxMembers;) {
        const Member& member = stories[sibling].members[position];
        member_vector(member, vector);
        const auto score = join_score(vector, member.day, stories[index]);
        if (score && *score > own_score(vector, stories[sibling], member) + kReplaceMargin) {
          move_member(sibling, position, index, vector, *score);
          continue;  // the next member is at `position` now
        }
        ++position;
      }
    }
  }

  // What tied an article to a story: shared entities and terms, by contribution.
  void explain(const ArticleVector& article, const Centroid& story,
               std::vector<std::string>& shared_entities,
               std::vector<std::string>& shared_terms) const {
    std::vector<std::pair<double, uint32_t>> ranked;
    for_each_shared(article.entities, story.entities, [&](const WeightedId& entity, int count) {
      ranked.emplace_back(entity.weight * story_entity_weight(story, entity.id, count), entity.id);
    });
    shared_entities = top_names(ranked, entities.names, kExplainEntities);
    ranked.clear();
    for_each_shared(article.terms, story.terms, [&](const WeightedId& term, double weight) {
      ranked.emplace_back(term.weight * weight * term.idf, term.id);
    });
    shared_terms = top_names(ranked, terms.names, kExplainTerms);
  }

  // Stories that share a heavy term or an entity with the article, within `window` days:
  // at most kMaxCandidates, those sharing the most, in index order.
  std::vector<std::size_t> candidates(const ArticleVector& article, long day, int window) const {
    std::vector<std::size_t> found;
    if (candidate_hits.size() < stories.size()) candidate_hits.resize(stories.size(), 0);
    for (std::size_t index = windows.size(); index < stories.size(); ++index) sync_window(index);
    auto collect = [&](const std::vector<uint32_t>& postings) {
      const std::size_t scan = std::min(postings.size(), kMaxPostingsScanned);
      for (std::size_t k = postings.size() - scan; k < postings.size(); ++k) {
        const uint32_t index = postings[k];
        const StoryWindow& story = windows[index];
        if (day == kUnknownDay) {
          if (articles_seen - story.last_arrival > kRecentArrivals) continue;
        } else if (!within(day, story.first_day, story.last_day, window)) {
          continue;
        }
        if (candidate_hits[index]++ == 0) found.push_back(index);
      }
    };
    for (uint32_t id : article.query) collect(terms.postings[id]);
    for (const auto& entity : article.entities) collect(entities.postings[entity.id]);
    if (found.size() > kMaxCandidates) {
      // Most shared first; among equals the newer story.
      std::nth_element(found.begin(), found.begin() + kMaxCandidates, found.end(),
                       [&](std::size_t a, std::size_t b) {
                         return candidate_hits[a] != candidate_hits[b]
                                    ? candidate_hits[a] > candidate_hits[b]
                                    : a > b;
                       });
      for (std::size_t k = kMaxCandidates; k < found.size(); ++k) candidate_hits[found[k]] = 0;
      found.resize(kMaxCandidates);
    }
    for (std::size_t index : found) candidate_hits[index] = 0;
    std::sort(found.begin(), found.end());
    return found;
  }

  void absorb(std::size_t index, int64_t article_id, const Features& features) {
    StoryState& story = stories[index];
    story.articles.push_back(article_id);
    story.last_arrival = articles_seen;
    if (features.day != kUnknownDay) {
      story.first_day =
          story.first_day == kUnknownDay ? features.day : std::min(story.first_day, features.day);
      story.last_day =
          story.last_day == kUnknownDay ? features.day : std::max(story.last_day, features.day);
    }
    double tf_norm = 0;
    for (const auto& [term, count] : features.terms) {
      if (!(count > 0)) continue;
      const double tf = 1.0 + std::log(count);
      tf_norm += tf * tf;
    }
    tf_norm = std::sqrt(tf_norm);
    Centroid& thread = storylines[story.storyline_id - 1].centroid;
    // The article's terms and entities by id, merged into the story and the storyline in one
    // pass each (inserting them one by one moved the tail of a long centroid per new term).
    std::vector<std::pair<uint32_t, double>>& article_terms = term_scratch;
    article_terms.clear();
    for (const auto& [term, count] : features.terms) {
      if (!(count > 0) || tf_norm <= 0) continue;
      article_terms.emplace_back(terms.intern(term), (1.0 + std::log(count)) / tf_norm);
    }
    coalesce(article_terms);
    add_all_sorted(story.terms, article_terms, [&](uint32_t id) {
      terms.postings[id].push_back(static_cast<uint32_t>(index));
    });
    story.note_changed(story.changed_terms, article_terms, story.terms.size());
    add_all_sorted(thread.terms, article_terms);
    std::vector<std::pair<uint32_t, int>>& article_entities = entity_scratch;
    article_entities.clear();
    for (const auto& key : features.entities)
      article_entities.emplace_back(entities.intern(key), 1);
    coalesce(article_entities);
    add_all_sorted(story.entities, article_entities, [&](uint32_t id) {
      entities.postings[id].push_back(static_cast<uint32_t>(index));
    });
    story.note_changed(story.changed_entities, article_entities, story.entities.size());
    add_all_sorted(thread.entities, article_entities);
    bound_storyline(thread);
    year_vector(features, year_scratch);
    for (const auto& [year, weight] : year_scratch) add_sorted(story.years, year, weight);
    if (options.phrase_weight > 0) {
      sum_phrases(features, phrase_scratch);
      // One merge, not an insert per phrase: a large story holds tens of thousands of phrases,
      // and shifting them once per phrase made each join cost grow with the story.
      add_all_sorted(story.phrases, phrase_scratch);
      story.note_changed(story.changed_phrases, phrase_scratch, story.phrases.size());
      // Pruned phrases leave the story, which a row of changed weights cannot say: the next
      // save writes it whole (once per kStoryPhrases new phrases).
      if (keep_heaviest(story.phrases, kStoryPhrases, [&](const auto& entry) {
            return entry.second * table_idf(phrases.frequency(entry.first));
          }))
        story.forget_changes();
    }
    remember_member(story, article_id, features);
    ++story.count;
    ++thread.count;
    story.mark_changed();
    thread.mark_changed();
    sync_window(index);
  }

  // The article's phrases as summed into a story: L2-normalised sublinear counts, interned, by
  // id.
  void sum_phrases(const Features& features, std::vector<std::pair<uint32_t, double>>& out) {
    out.clear();
    double norm = 0;
    for (const auto& [phrase, count] : features.phrases) {
      if (!(count > 0)) continue;
      const double tf = 1.0 + std::log(count);
      out.emplace_back(phrases.intern(phrase), tf);
      norm += tf * tf;
    }
    norm = std::sqrt(norm);
    for (auto& entry : out) entry.second /= norm;
    std::sort(out.begin(), out.end());
  }

  void forget_members(StoryState& story) {
    for (const Member& member : story.members) {
      if (member.saved) forgotten_members.push_back(member.article_id);
    }
    story.members.clear();
    story.members.shrink_to_fit();
  }

  // Stories that no article joined for kMemberKeepArrivals arrivals forget their members: they
  // are unlikely to grow again (and a story without members is simply never split), and the
  // members of every story ever made would hold every article's vector in memory. Run every
  // kMemberSweepEvery arrivals, so the outcome depends on the input order only.
  void sweep_members() {
    for (StoryState& story : stories) {
      if (!story.members.empty() && articles_seen - story.last_arrival > kMemberKeepArrivals)
        forget_members(story);
    }
  }

  // Keeps the article's vector in the story while the story may still be split.
  void remember_member(StoryState& story, int64_t article_id, const Features& features) {
    if ((options.story_split_threshold <= 0 && options.story_replace <= 0) ||
        story.members.size() != story.articles.size() - 1) {
      return;  // neither splits nor re-placement, or the story already forgot its members
    }
    if (story.articles.size() > kSplitMaxMembers) {
      forget_members(story);
      return;
    }
    Member& member = story.members.emplace_back();
    member.article_id = article_id;
    member.day = features.day;
    member.title = features.title;
    double tf_norm = 0;
    for (const auto& [term, count] : features.terms) {
      if (count > 0) tf_norm += (1.0 + std::log(count)) * (1.0 + std::log(count));
    }
    tf_norm = std::sqrt(tf_norm);
    for (const auto& [term, count] : features.terms) {
      if (!(count > 0) || tf_norm <= 0) continue;
      member.terms.emplace_back(terms.find(term), (1.0 + std::log(count)) / tf_norm);
    }
    std::sort(member.terms.begin(), member.terms.end());
    for (const auto& key : features.entities) member.entities.push_back(entities.find(key));
    std::sort(member.entities.begin(), member.entities.end());
    member.years = year_scratch;
    if (options.phrase_weight > 0) member.phrases = phrase_scratch;
  }

  // Adds a story's centroid into its storyline's (when loading a saved state).
  void add_to_storyline(const StoryState& story) {
    Centroid& thread = storylines[story.storyline_id - 1].centroid;
    add_all_sorted(thread.terms, story.terms);
    add_all_sorted(thread.entities, story.entities);
    thread.count += story.count;
    thread.mark_changed();
    bound_storyline(thread);
  }

  void count_documents(const Features& features) {
    for (const auto& [term, count] : features.terms) {
      if (count > 0) ++terms.df[terms.intern(term)];
    }
    for (const auto& key : features.entities) ++entities.df[entities.intern(key)];
    if (options.phrase_weight > 0) {
      for (const auto& [phrase, count] : features.phrases) {
        if (count > 0) ++phrases.df[phrases.intern(phrase)];
      }
    }
    ++articles_seen;
  }

  Placement add(int64_t article_id, const Features& features) {
    if (articles_seen > 0 && articles_seen % kMemberSweepEvery == 0) sweep_members();
    const ArticleVector article = vectorise(features);
    const int wide_window = std::max(options.story_window_days, options.storyline_window_days);
    std::optional<Scored> best_story;
    // Per candidate storyline: its closest story (the link a new story would explain itself by).
    std::unordered_map<int64_t, Scored> closest_in_storyline;
    for (std::size_t index : candidates(article, features.day, wide_window)) {
      StoryState& story = stories[index];
      double term_score = 0;
      double thread_score = 0;
      // Most candidates lie within the storyline window but outside the story's: only their
      // storyline likeness counts.
      const bool joinable =
          within(features.day, story.first_day, story.last_day, options.story_window_days) &&
          keeps_span(features.day, story.first_day, story.last_day, options.story_span_days);
      const double score =
          similarity(article, story, Level::kEvent, &term_score, &thread_score, joinable);
      const Scored scored{index, score};
      // Joining needs the words' evidence too: a shared name alone (often a by-line, an outlet
      // or a misread entity) does not make two articles one event.
      if (joinable && term_score >= options.story_min_term_similarity &&
          (!best_story || score > best_story->similarity)) {
        best_story = scored;
      }
      const Scored for_thread{index, thread_score};
      auto [it, inserted] = closest_in_storyline.try_emplace(story.storyline_id, for_thread);
      if (!inserted && thread_score > it->second.similarity) it->second = for_thread;
    }

    Placement placement;
    if (best_story && best_story->similarity >= options.story_threshold) {
      StoryState& story = stories[best_story->story];
      placement.story_id = story.id;
      placement.storyline_id = story.storyline_id;
      placement.story_similarity = best_story->similarity;
      explain(article, story, placement.shared_entities, placement.shared_terms);
      absorb(best_story->story, article_id, features);
      count_documents(features);
      const int64_t storyline_id = story.storyline_id;
      const auto split = revisit_story(best_story->story);
      if (split) {
        const StoryState& other = stories[*split];
        if (std::find(other.articles.begin(), other.articles.end(), article_id) !=
            other.articles.end()) {
          // It left with the split-off group: say what ties it to that story instead.
          placement.story_id = other.id;
          explain(article, other, placement.shared_entities, placement.shared_terms);
        }
      }
      // A story just split is not revisited again (folding the split-off group back in).
      if (!split) replace_members(best_story->story);
      if (const auto moved = regrouped.find(article_id); moved != regrouped.end()) {
        // Re-placed at once: its placement is the one in the story it moved to.
        placement.story_id = moved->second.story_id;
        placement.story_similarity = moved->second.story_similarity;
        placement.shared_entities = moved->second.shared_entities;
        placement.shared_terms = moved->second.shared_terms;
        regrouped.erase(moved);
      }
      revisit_storyline(storyline_id, closest_in_storyline);
      return placement;
    }

    // A new story; link it into the storyline it is most like as a whole, if close enough.
    std::optional<Scored> best_link;  // story index of the link, similarity to the storyline
    int64_t best_storyline = 0;
    for (const auto& [storyline_id, closest] : closest_in_storyline) {
      // A thread's centroid sums the common words of all its events, so an unrelated article
      // of the same broad field (sport, courts) can come near it; it must also be like one of
      // the thread's events.
      if (closest.similarity < options.storyline_min_event_similarity) continue;
      const double score =
          similarity(article, storylines[storyline_id - 1].centroid, Level::kStoryline);
      if (!best_link || score > best_link->similarity ||
          (score == best_link->similarity && storyline_id < best_storyline)) {
        best_link = Scored{closest.story, score};
        best_storyline = storyline_id;
      }
    }

    StoryState fresh;
    fresh.id = static_cast<int64_t>(stories.size()) + 1;
    fresh.label = features.title;
    placement.new_story = true;
    placement.story_id = fresh.id;
    if (best_link && best_link->similarity >= options.storyline_threshold) {
      const StoryState& linked = stories[best_link->story];
      StorylineLink link;
      link.from_story = fresh.id;
      link.to_story = linked.id;
      link.similarity = best_link->similarity;
      explain(article, linked, link.shared_entities, link.shared_terms);
      fresh.storyline_id = best_storyline;
      placement.storyline_similarity = link.similarity;
      placement.linked_story_id = linked.id;
      placement.shared_entities = link.shared_entities;
      placement.shared_terms = link.shared_terms;
      StorylineState& storyline = storylines[fresh.storyline_id - 1];
      storyline.stories.push_back(fresh.id);
      storyline.links.push_back(std::move(link));
    } else {
      StorylineState storyline;
      storyline.id = static_cast<int64_t>(storylines.size()) + 1;
      storyline.label = fresh.label;
      storyline.stories.push_back(fresh.id);
      fresh.storyline_id = storyline.id;
      placement.new_storyline = true;
      storylines.push_back(std::move(storyline));
    }
    placement.storyline_id = fresh.storyline_id;
    stories.push_back(std::move(fresh));
    absorb(stories.size() - 1, article_id, features);
    count_documents(features);
    revisit_storyline(stories.back().storyline_id, closest_in_storyline);
    return placement;
  }

  // Its stories in timeline order: by event day (undated stories last), then by creation.
  Storyline public_storyline(const StorylineState& state) const {
    Storyline storyline;
    storyline.id = state.id;
    storyline.label = state.label;
    storyline.links = state.links;
    std::erase_if(storyline.links, [](const StorylineLink& link) { return link.joins_itself(); });
    storyline.stories = state.stories;
    std::erase_if(storyline.stories,
                  [this](int64_t story_id) { return stories[story_id - 1].articles.empty(); });
    auto key = [this](int64_t story_id) {
      const long day = stories[story_id - 1].first_day;
      return std::make_pair(day == kUnknownDay ? std::numeric_limits<long>::max() : day, story_id);
    };
    std::sort(storyline.stories.begin(), storyline.stories.end(),
              [&](int64_t a, int64_t b) { return key(a) < key(b); });
    return storyline;
  }

  nlohmann::json story_json(const StoryState& story, bool with_members = true) const {
    nlohmann::json term_weights = nlohmann::json::object();
    for (const auto& [id, weight] : story.terms) term_weights[terms.names[id]] = weight;
    nlohmann::json entity_counts = nlohmann::json::object();
    for (const auto& [id, count] : story.entities) entity_counts[entities.names[id]] = count;
    nlohmann::json years = nlohmann::json::object();
    for (const auto& [year, weight] : story.years) years[std::to_string(year)] = weight;
    nlohmann::json phrase_weights = nlohmann::json::object();
    for (const auto& [id, weight] : story.phrases) phrase_weights[phrases.names[id]] = weight;
    nlohmann::json members = nlohmann::json::array();
    if (with_members) {
      for (const Member& member : story.members) members.push_back(member_json(member));
    }
    nlohmann::json out = {
        {"id", story.id},
        {"storyline_id", story.storyline_id},
        {"label", story.label},
        {"articles", story.articles},
        {"first_day", day_json(story.first_day)},
        {"last_day", day_json(story.last_day)},
        {"last_arrival", story.last_arrival},
        // The cached norm is saved as stale: it depends on every document frequency, so a
        // story saved earlier would otherwise carry a value other checkpoints did not see.
        {"norm", 0.0},
        {"norm_at", -1},
        {"terms", std::move(term_weights)},
        {"entities", std::move(entity_counts)},
        {"years", std::move(years)},
        {"phrases", std::move(phrase_weights)}};
    if (with_members) out["members"] = std::move(members);
    return out;
  }

  // What changed in a story since it had `articles_from` articles: the articles after those,
  // the new weights of the terms, entities and phrases noted as changed, and the small fields
  // whole. load_rows() applies it over the rows before it.
  nlohmann::json story_delta_json(StoryState& story, std::size_t articles_from) const {
    auto changed_weights = [](std::vector<uint32_t>& changed, const auto& weights,
                              const Vocabulary& vocabulary) {
      std::sort(changed.begin(), changed.end());
      changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
      nlohmann::json out = nlohmann::json::object();
      auto it = weights.begin();
      for (uint32_t id : changed) {  // both sorted by id
        it = std::lower_bound(it, weights.end(), id,
                              [](const auto& entry, uint32_t key) { return entry.first < key; });
        if (it != weights.end() && it->first == id) out[vocabulary.names[id]] = it->second;
      }
      return out;
    };
    nlohmann::json years = nlohmann::json::object();
    for (const auto& [year, weight] : story.years) years[std::to_string(year)] = weight;
    return {{"id", story.id},
            {"storyline_id", story.storyline_id},
            {"label", story.label},
            {"articles_from", articles_from},
            {"articles", std::vector<int64_t>(
                             story.articles.begin() + static_cast<std::ptrdiff_t>(articles_from),
                             story.articles.end())},
            {"first_day", day_json(story.first_day)},
            {"last_day", day_json(story.last_day)},
            {"last_arrival", story.last_arrival},
            {"terms", changed_weights(story.changed_terms, story.terms, terms)},
            {"entities", changed_weights(story.changed_entities, story.entities, entities)},
            {"years", std::move(years)},
            {"phrases", changed_weights(story.changed_phrases, story.phrases, phrases)},
            {"member_rows", !story.members.empty()}};
  }

  nlohmann::json member_json(const Member& member) const {
    nlohmann::json member_terms = nlohmann::json::object();
    for (const auto& [id, weight] : member.terms) member_terms[terms.names[id]] = weight;
    // By name, not by id: ids depend on the order a process interned them.
    std::vector<std::string_view> names;
    for (uint32_t id : member.entities) names.push_back(entities.names[id]);
    std::sort(names.begin(), names.end());
    nlohmann::json member_entities = nlohmann::json::array();
    for (std::string_view name : names) member_entities.push_back(name);
    nlohmann::json member_years = nlohmann::json::object();
    for (const auto& [year, weight] : member.years) member_years[std::to_string(year)] = weight;
    nlohmann::json member_phrases = nlohmann::json::object();
    for (const auto& [id, weight] : member.phrases) member_phrases[phrases.names[id]] = weight;
    return {
        {"article", member.article_id},
        {"day", member.day == kUnknownDay ? nlohmann::json(nullptr) : nlohmann::json(member.day)},
        {"title", member.title},
        {"terms", std::move(member_terms)},
        {"entities", std::move(member_entities)},
        {"years", std::move(member_years)},
        {"phrases", std::move(member_phrases)}};
  }

  // Phrase weights by name (absent in states saved before phrases) into `out`, sorted by id.
  void phrases_from_json(const nlohmann::json& item,
                         std::vector<std::pair<uint32_t, double>>& out) {
    if (const auto it = item.find("phrases"); it != item.end()) {
      for (const auto& [phrase, weight] : it->items())
        out.emplace_back(phrases.intern(phrase), weight.get<double>());
    }
    std::sort(out.begin(), out.end());
  }

  // Throws nlohmann::json exceptions on missing fields, like the rest of load().
  std::optional<Member> member_from_json(const nlohmann::json& item) {
    Member member;
    member.article_id = item.at("article").get<int64_t>();
    member.day = item.at("day").is_null() ? kUnknownDay : item.at("day").get<long>();
    member.title = item.at("title").get<std::string>();
    for (const auto& [term, weight] : item.at("terms").items()) {
      member.terms.emplace_back(terms.intern(term), weight.get<double>());
    }
    for (const auto& key : item.at("entities")) {
      member.entities.push_back(entities.intern(key.get<std::string>()));
    }
    if (!years_from_json(item.at("years"), member.years)) return std::nullopt;
    phrases_from_json(item, member.phrases);
    std::sort(member.terms.begin(), member.terms.end());
    std::sort(member.entities.begin(), member.entities.end());
    std::sort(member.years.begin(), member.years.end());
    return member;
  }

  static bool years_from_json(const nlohmann::json& object,
                              std::vector<std::pair<int, double>>& out) {
    for (const auto& [key, weight] : object.items()) {
      int year = 0;
      const auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), year);
      if (error != std::errc() || end != key.data() + key.size()) return false;
      out.emplace_back(year, weight.get<double>());
    }
    return true;
  }

  Story public_story(const StoryState& state) const {
    Story story;
    story.id = state.id;
    story.storyline_id = state.storyline_id;
    story.label = state.label;
    story.articles = state.articles;
    story.first_day = state.first_day;
    story.last_day = state.last_day;
    std::vector<std::pair<double, uint32_t>> ranked;
    for (const auto& [id, count] : state.entities) {
      ranked.emplace_back(story_entity_weight(state, id, count), id);
    }
    story.top_entities = top_names(ranked, entities.names, kTopEntities);
    ranked.clear();
    for (const auto& [id, weight] : state.terms) ranked.emplace_back(weight * term_idf(id), id);
    story.top_terms = top_names(ranked, terms.names, kTopTerms);
    return story;
  }
};

// ---- Clusterer -----------------------------------------------------------------------------

Clusterer::Clusterer(Options options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}
Clusterer::~Clusterer() = default;
Clusterer::Clusterer(Clusterer&&) noexcept = default;
Clusterer& Clusterer::operator=(Clusterer&&) noexcept = default;

Placement Clusterer::add(int64_t article_id, const Features& features) {
  return impl_->add(article_id, features);
}

std::vector<Story> Clusterer::stories() const {
  std::vector<Story> out;
  out.reserve(impl_->stories.size());
  for (const auto& state : impl_->stories) {
    if (state.articles.empty()) continue;  // emptied by re-placement
    out.push_back(impl_->public_story(state));
  }
  return out;
}

std::vector<Storyline> Clusterer::storylines() const {
  std::vector<Storyline> out;
  out.reserve(impl_->storylines.size());
  for (const auto& state : impl_->storylines) {
    if (state.stories.empty()) continue;  // merged into another storyline
    out.push_back(impl_->public_storyline(state));
  }
  return out;
}

// ---- Persistence -------------------------------------------------------------------------

namespace {

nlohmann::json link_json(const StorylineLink& link) {
  return {{"from", link.from_story},
          {"to", link.to_story},
          {"similarity", link.similarity},
          {"shared_entities", link.shared_entities},
          {"shared_terms", link.shared_terms}};
}

}  // namespace

namespace {

nlohmann::json storyline_json(const StorylineState& storyline) {
  nlohmann::json links = nlohmann::json::array();
  for (const auto& link : storyline.links) links.push_back(link_json(link));
  return {{"id", storyline.id},
          {"label", storyline.label},
          {"stories", storyline.stories},
          {"links", std::move(links)}};
}

// The n-th row of changes after a story's or storyline's whole row ("story/<id>/<n>"), in
// order after it.
std::string part_name(const char* kind, int64_t id, std::size_t n) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s/%012lld/%08zu", kind, static_cast<long long>(id), n);
  return buffer;
}

// The stories and links a storyline gained after its first `stories` and `links`, and the
// links before those that changed (`relinked`: positions, sorted): [position, link] pairs.
nlohmann::json storyline_part_json(const StorylineState& storyline, std::size_t stories,
                                   std::size_t links, const std::vector<uint32_t>& relinked) {
  nlohmann::json added_links = nlohmann::json::array();
  for (std::size_t i = links; i < storyline.links.size(); ++i)
    added_links.push_back(link_json(storyline.links[i]));
  nlohmann::json changed_links = nlohmann::json::array();
  for (uint32_t position : relinked)
    changed_links.push_back({position, link_json(storyline.links[position])});
  return {{"stories_from", stories},
          {"stories",
           std::vector<int64_t>(storyline.stories.begin() + static_cast<std::ptrdiff_t>(stories),
                                storyline.stories.end())},
          {"links_from", links},
          {"links", std::move(added_links)},
          {"relinked", std::move(changed_links)}};
}

}  // namespace

nlohmann::json Clusterer::save() const {
  const Impl& impl = *impl_;
  nlohmann::json stories = nlohmann::json::array();
  for (const auto& story : impl.stories) stories.push_back(impl.story_json(story));
  nlohmann::json storylines = nlohmann::json::array();
  for (const auto& storyline : impl.storylines) storylines.push_back(storyline_json(storyline));
  nlohmann::json term_df = nlohmann::json::object();
  for (std::size_t id = 0; id < impl.terms.names.size(); ++id) {
    term_df[impl.terms.names[id]] = impl.terms.df[id];
  }
  nlohmann::json entity_df = nlohmann::json::object();
  for (std::size_t id = 0; id < impl.entities.names.size(); ++id) {
    entity_df[impl.entities.names[id]] = impl.entities.df[id];
  }
  nlohmann::json phrase_df = nlohmann::json::object();
  for (std::size_t id = 0; id < impl.phrases.names.size(); ++id) {
    phrase_df[impl.phrases.names[id]] = impl.phrases.df[id];
  }
  return {{"version", kStateVersion},           {"articles_seen", impl.articles_seen},
          {"term_df", std::move(term_df)},      {"entity_df", std::move(entity_df)},
          {"phrase_df", std::move(phrase_df)},  {"stories", std::move(stories)},
          {"storylines", std::move(storylines)}};
}

Clusterer::Changes Clusterer::take_changes(bool everything) {
  Impl& impl = *impl_;
  Changes changes;
  if (everything || impl.saved_articles_seen != impl.articles_seen)
    changes.rows.emplace_back(
        "meta", nlohmann::json{{"version", kStateVersion}, {"articles_seen", impl.articles_seen}});
  impl.df_changes(changes, everything);

  // A storyline changes when stories join or leave it; its rows and its store rows follow.
  std::vector<bool> storyline_changed(impl.storylines.size(), everything);
  impl.saved_stories.resize(impl.stories.size());
  for (std::size_t i = 0; i < impl.stories.size(); ++i) {
    StoryState& story = impl.stories[i];
    Impl::SavedStory& saved = impl.saved_stories[i];
    const bool is_new = saved.storyline_id < 0;
    if (!everything && !is_new && !story.whole && saved.articles == story.articles.size() &&
        saved.storyline_id == story.storyline_id && saved.members == !story.members.empty())
      continue;
    if (story.articles.empty())  // emptied by re-placement: its row says so, the store drops it
      changes.removed_stories.push_back(story.id);
    else
      changes.stories.push_back(impl.public_story(story));
    const std::size_t delta_entries = story.articles.size() - saved.articles +
                                      story.changed_terms.size() + story.changed_entities.size() +
                                      story.changed_phrases.size();
    if (everything || story.whole || story.articles.size() < saved.articles ||
        saved.delta_entries + delta_entries > saved.whole_entries) {
      // Members are rows of their own, written once: a story row only says it has them.
      nlohmann::json row = impl.story_json(story, /*with_members=*/false);
      row["member_rows"] = !story.members.empty();
      changes.rows.emplace_back(row_name("story", story.id), std::move(row));
      if (!everything) {
        for (std::size_t n = 1; n <= saved.deltas; ++n)
          changes.deleted_rows.push_back(part_name("story", story.id, n));
      }
      saved.deltas = 0;
      saved.delta_entries = 0;
      saved.whole_entries =
          story.articles.size() + story.terms.size() + story.entities.size() + story.phrases.size();
    } else {
      changes.rows.emplace_back(part_name("story", story.id, ++saved.deltas),
                                impl.story_delta_json(story, saved.articles));
      saved.delta_entries += delta_entries;
    }
    for (Member& member : story.members) {
      if (member.saved && !everything) continue;
      changes.rows.emplace_back(row_name("member", member.article_id), impl.member_json(member));
      member.saved = true;
    }
    if (is_new || saved.storyline_id != story.storyline_id) {
      storyline_changed[story.storyline_id - 1] = true;
      // A story that moved leaves its old storyline changed too.
      if (saved.storyline_id > 0 &&
          saved.storyline_id <= static_cast<int64_t>(storyline_changed.size()))
        storyline_changed[saved.storyline_id - 1] = true;
    }
  }
  impl.saved_storylines.resize(impl.storylines.size());
  for (std::size_t i = 0; i < impl.storylines.size(); ++i) {
    const StorylineState& state = impl.storylines[i];
    Impl::SavedStoryline& saved = impl.saved_storylines[i];
    // Links changed in place among those saved (later ones are written as added).
    std::vector<uint32_t> relinked;
    for (uint32_t position : state.relinked)
      if (position < saved.links) relinked.push_back(position);
    std::sort(relinked.begin(), relinked.end());
    relinked.erase(std::unique(relinked.begin(), relinked.end()), relinked.end());
    if (saved.stories != state.stories.size() || saved.links != state.links.size() ||
        !relinked.empty())
      storyline_changed[i] = true;
    if (!storyline_changed[i]) continue;
    StorylineChange change;
    change.id = state.id;
    change.label = state.label;
    change.merged = state.stories.empty();
    // Written whole when new, emptied by a merge, or lost entries (not done by the clusterer).
    const bool whole = everything || saved.stories == 0 || state.stories.empty() ||
                       state.stories.size() < saved.stories || state.links.size() < saved.links;
    if (whole) {
      changes.rows.emplace_back(row_name("storyline", state.id), storyline_json(state));
      if (!everything) {
        for (std::size_t n = 1; n <= saved.parts; ++n)
          changes.deleted_rows.push_back(part_name("storyline", state.id, n));
      }
      saved.parts = 0;
      change.links = state.links;
    } else {
      if (saved.stories == state.stories.size() && saved.links == state.links.size() &&
          relinked.empty())
        continue;  // one of its stories moved in and out again: nothing to write
      changes.rows.emplace_back(part_name("storyline", state.id, ++saved.parts),
                                storyline_part_json(state, saved.stories, saved.links, relinked));
      change.links_from = saved.links;
      change.links.assign(state.links.begin() + static_cast<std::ptrdiff_t>(saved.links),
                          state.links.end());
      for (uint32_t position : relinked)
        change.relinked.emplace_back(position, state.links[position]);
    }
    changes.storylines.push_back(std::move(change));
  }
  if (!everything) {
    for (int64_t article_id : impl.forgotten_members)
      changes.deleted_rows.push_back(row_name("member", article_id));
  }
  impl.forgotten_members.clear();
  changes.regrouped.assign(impl.regrouped.begin(), impl.regrouped.end());
  std::sort(changes.regrouped.begin(), changes.regrouped.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  impl.regrouped.clear();
  impl.mark_saved();
  return changes;
}

Result<Clusterer> Clusterer::load_rows(
    const std::vector<std::pair<std::string, nlohmann::json>>& rows, Options options) {
  // Reassembled into the whole-state shape load() reads, so both paths check the same things.
  nlohmann::json state = {{"term_df", nlohmann::json::object()},
                          {"entity_df", nlohmann::json::object()},
                          {"phrase_df", nlohmann::json::object()},
                          {"stories", nlohmann::json::array()},
                          {"storylines", nlohmann::json::array()}};
  std::vector<const nlohmann::json*> stories, storylines;
  std::unordered_map<int64_t, const nlohmann::json*> members;  // by article id
  // Rows of changes after a story's or storyline's whole row, by id, in name (= write) order.
  std::unordered_map<int64_t, std::vector<const nlohmann::json*>> story_parts, storyline_parts;
  auto part_of = [](std::string_view key, std::size_t kind_length) -> std::optional<int64_t> {
    key.remove_prefix(kind_length);
    const auto slash = key.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    int64_t id = 0;
    std::from_chars(key.data(), key.data() + slash, id);
    return id;
  };
  bool has_meta = false;
  bool legacy_df = false;
  std::vector<std::pair<int64_t, const nlohmann::json*>> df_log;  // by row number
  for (const auto& [name, value] : rows) {
    const std::string_view key(name);
    if (key == "meta" && value.is_object()) {
      state["version"] = value.value("version", 0);
      state["articles_seen"] = value.value("articles_seen", int64_t{-1});
      has_meta = true;
    } else if (key.starts_with("dflog/")) {
      int64_t seq = -1;
      std::from_chars(key.data() + 6, key.data() + key.size(), seq);
      if (seq < 0) return make_error(ErrorCode::kCorrupt, "bad row " + name, "cluster state");
      df_log.emplace_back(seq, &value);
    } else if (key.starts_with("df/t/")) {  // rows "df/<kind>/<name>": older stores
      state["term_df"][name.substr(5)] = value;
      legacy_df = true;
    } else if (key.starts_with("df/e/")) {
      state["entity_df"][name.substr(5)] = value;
      legacy_df = true;
    } else if (key.starts_with("df/p/")) {
      state["phrase_df"][name.substr(5)] = value;
      legacy_df = true;
    } else if (key.starts_with("story/")) {
      if (const auto id = part_of(key, 6))
        story_parts[*id].push_back(&value);
      else
        stories.push_back(&value);
    } else if (key.starts_with("member/")) {
      members[value.value("article", int64_t{0})] = &value;
    } else if (key.starts_with("storyline/")) {
      if (const auto id = part_of(key, 10))
        storyline_parts[*id].push_back(&value);
      else
        storylines.push_back(&value);
    } else {
      return make_error(ErrorCode::kCorrupt, "unknown row " + name, "cluster state");
    }
  }
  if (!has_meta) return make_error(ErrorCode::kCorrupt, "no meta row", "cluster state");
  auto by_id = [](const nlohmann::json* a, const nlohmann::json* b) {
    return a->value("id", int64_t{0}) < b->value("id", int64_t{0});
  };
  std::sort(stories.begin(), stories.end(), by_id);
  std::sort(storylines.begin(), storylines.end(), by_id);
  // The part rows named in name order; their numbers are zero-padded, so that is write order.
  std::unordered_map<int64_t, std::size_t> parts_read;  // story id -> rows of changes applied
  for (const auto* story : stories) {
    nlohmann::json item = *story;
    const int64_t story_id = item.value("id", int64_t{0});
    if (const auto parts = story_parts.find(story_id); parts != story_parts.end()) {
      try {
        for (const nlohmann::json* part : parts->second) {
          auto& articles = item.at("articles");
          if (part->at("articles_from").get<std::size_t>() != articles.size())
            return make_error(ErrorCode::kCorrupt, "story rows out of sequence", "cluster state");
          for (const auto& article : part->at("articles")) articles.push_back(article);
          for (const char* weights : {"terms", "entities", "phrases"}) {
            for (const auto& [name, weight] : part->at(weights).items())
              item[weights][name] = weight;
          }
          for (const char* field : {"storyline_id", "label", "first_day", "last_day",
                                    "last_arrival", "years", "member_rows"})
            item[field] = part->at(field);
        }
      } catch (const nlohmann::json::exception& e) {
        return make_error(ErrorCode::kCorrupt, std::string("malformed story row: ") + e.what(),
                          "cluster state");
      }
      parts_read[story_id] = parts->second.size();
      story_parts.erase(parts);
    }
    if (item.value("member_rows", false)) {
      nlohmann::json inline_members = nlohmann::json::array();
      for (const auto& article : item.value("articles", nlohmann::json::array())) {
        const auto it = members.find(article.is_number_integer() ? article.get<int64_t>() : 0);
        if (it == members.end()) break;  // incomplete: the story is loaded without members
        inline_members.push_back(*it->second);
      }
      item["members"] = std::move(inline_members);
    }
    item.erase("member_rows");
    state["stories"].push_back(std::move(item));
  }
  if (!story_parts.empty())
    return make_error(ErrorCode::kCorrupt, "story rows without their story", "cluster state");
  std::unordered_map<int64_t, std::size_t> storyline_parts_read;
  for (const auto* storyline : storylines) {
    nlohmann::json item = *storyline;
    const int64_t storyline_id = item.value("id", int64_t{0});
    if (const auto parts = storyline_parts.find(storyline_id); parts != storyline_parts.end()) {
      try {
        for (const nlohmann::json* part : parts->second) {
          for (const char* list : {"stories", "links"}) {
            auto& held = item.at(list);
            if (part->at(std::string(list) + "_from").get<std::size_t>() != held.size())
              return make_error(ErrorCode::kCorrupt, "storyline rows out of sequence",
                                "cluster state");
            for (const auto& entry : part->at(list)) held.push_back(entry);
          }
          // Links changed in place (absent from rows written before they could be).
          auto& links = item.at("links");
          for (const auto& change : part->value("relinked", nlohmann::json::array())) {
            const auto position = change.at(0).get<std::size_t>();
            if (position >= links.size())
              return make_error(ErrorCode::kCorrupt, "a changed link that is not there",
                                "cluster state");
            links[position] = change.at(1);
          }
        }
      } catch (const nlohmann::json::exception& e) {
        return make_error(ErrorCode::kCorrupt, std::string("malformed storyline row: ") + e.what(),
                          "cluster state");
      }
      storyline_parts_read[storyline_id] = parts->second.size();
      storyline_parts.erase(parts);
    }
    state["storylines"].push_back(std::move(item));
  }
  if (!storyline_parts.empty())
    return make_error(ErrorCode::kCorrupt, "storyline rows without their storyline",
                      "cluster state");
  // The frequency log replayed in row order: a row's names replace those from its `from` on
  // (a snapshot starts at 0), then its frequencies are set. The names go to load() as [name,
  // frequency] pairs in id order, so that the ids match the log the next rows continue.
  std::sort(df_log.begin(), df_log.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::array<std::vector<std::pair<std::string, int>>, 3> logged;  // t, e, p
  std::size_t log_entries = 0;
  try {
    for (const auto& [seq, row] : df_log) {
      const std::string& kind = row->at("kind").get_ref<const std::string&>();
      const std::size_t which = kind == "t" ? 0 : kind == "e" ? 1 : kind == "p" ? 2 : 3;
      const auto from = row->at("from").get<std::size_t>();
      if (which == 3 || from > logged[which].size())
        return make_error(ErrorCode::kCorrupt, "frequency rows out of sequence", "cluster state");
      auto& entries = logged[which];
      entries.resize(from);
      const auto& names = row->at("names");
      if (names.is_string()) {  // a line each
        const std::string_view lines = names.get_ref<const std::string&>();
        for (std::size_t start = 0; start <= lines.size();) {
          const std::size_t end = std::min(lines.find('\n', start), lines.size());
          entries.emplace_back(std::string(lines.substr(start, end - start)), 0);
          start = end + 1;
          ++log_entries;
        }
      } else {
        for (const auto& name : names) entries.emplace_back(name.get<std::string>(), 0);
        log_entries += names.size();
      }
      // "id df" pairs, separated by spaces.
      const std::string_view frequencies = row->at("df").get_ref<const std::string&>();
      const char* at = frequencies.data();
      const char* const end = at + frequencies.size();
      while (at < end) {
        std::size_t id = 0;
        int df = 0;
        auto parsed = std::from_chars(at, end, id);
        if (parsed.ec != std::errc() || parsed.ptr == end || *parsed.ptr != ' ')
          return make_error(ErrorCode::kCorrupt, "malformed frequency row", "cluster state");
        parsed = std::from_chars(parsed.ptr + 1, end, df);
        if (parsed.ec != std::errc() || (parsed.ptr != end && *parsed.ptr != ' '))
          return make_error(ErrorCode::kCorrupt, "malformed frequency row", "cluster state");
        if (id >= entries.size())
          return make_error(ErrorCode::kCorrupt, "frequency of an unknown name", "cluster state");
        entries[id].second = df;
        ++log_entries;
        at = parsed.ptr == end ? end : parsed.ptr + 1;
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return make_error(ErrorCode::kCorrupt, std::string("malformed frequency row: ") + e.what(),
                      "cluster state");
  }
  if (!df_log.empty()) {
    if (legacy_df)
      return make_error(ErrorCode::kCorrupt, "frequencies in two layouts", "cluster state");
    for (const auto& [which, field] :
         {std::pair{0, "term_df"}, {1, "entity_df"}, {2, "phrase_df"}}) {
      nlohmann::json pairs = nlohmann::json::array();
      for (auto& [name, df] : logged[which]) pairs.push_back({std::move(name), df});
      state[field] = std::move(pairs);
    }
  }
  auto loaded = load(state, options);
  if (!loaded) return loaded;
  // The next changes continue the rows after the ones read, and the row of changes of a story
  // may grow to about the size of the story before it is written whole again.
  Impl& impl = *loaded->impl_;
  for (std::size_t i = 0; i < impl.stories.size(); ++i) {
    const StoryState& story = impl.stories[i];
    Impl::SavedStory& saved = impl.saved_stories[i];
    if (const auto it = parts_read.find(story.id); it != parts_read.end())
      saved.deltas = it->second;
    saved.whole_entries =
        story.articles.size() + story.terms.size() + story.entities.size() + story.phrases.size();
  }
  for (const auto& [id, parts] : storyline_parts_read) impl.saved_storylines[id - 1].parts = parts;
  impl.df_legacy_rows = legacy_df;
  if (!df_log.empty()) {
    // Names a story held that the log did not (none, unless rows went missing) are logged as
    // new at the next save, after the logged ones.
    impl.saved_term_df.resize(logged[0].size());
    impl.saved_entity_df.resize(logged[1].size());
    impl.saved_phrase_df.resize(logged[2].size());
    for (const auto& [seq, row] : df_log) impl.df_log_rows.push_back(row_name("dflog", seq));
    impl.df_log_seq = df_log.back().first + 1;
    impl.df_log_entries = log_entries;
  }
  return loaded;
}

Result<Clusterer> Clusterer::load(const nlohmann::json& state, Options options) {
  auto corrupt = [](std::string message) {
    return make_error(ErrorCode::kCorrupt, std::move(message), "cluster state");
  };
  Clusterer clusterer(options);
  Impl& impl = *clusterer.impl_;
  try {
    if (!state.is_object()) return corrupt("not a JSON object");
    if (state.value("version", 0) != kStateVersion) return corrupt("unknown state version");
    impl.articles_seen = state.at("articles_seen").get<int64_t>();
    if (impl.articles_seen < 0) return corrupt("negative article count");
    // Frequencies by name (an object), or as [name, frequency] pairs in id order (load_rows).
    auto read_df = [&](const nlohmann::json& frequencies, Vocabulary& vocabulary) -> bool {
      if (frequencies.is_array()) {
        for (const auto& pair : frequencies) {
          const uint32_t id = vocabulary.intern(pair.at(0).get_ref<const std::string&>());
          if (id + 1 != vocabulary.names.size()) return false;  // a name twice
          vocabulary.df[id] = pair.at(1).get<int>();
        }
        return true;
      }
      for (const auto& [name, df] : frequencies.items())
        vocabulary.df[vocabulary.intern(name)] = df.get<int>();
      return true;
    };
    if (!read_df(state.at("term_df"), impl.terms) || !read_df(state.at("entity_df"), impl.entities))
      return corrupt("a name listed twice");
    if (const auto phrase_df = state.find("phrase_df"); phrase_df != state.end()) {
      if (!read_df(*phrase_df, impl.phrases)) return corrupt("a name listed twice");
    }
    const auto& storylines = state.at("storylines");
    for (const auto& item : storylines) {
      StorylineState storyline;
      storyline.id = item.at("id").get<int64_t>();
      if (storyline.id != static_cast<int64_t>(impl.storylines.size()) + 1) {
        return corrupt("storyline ids out of sequence");
      }
      storyline.label = item.at("label").get<std::string>();
      storyline.stories = item.at("stories").get<std::vector<int64_t>>();
      for (const auto& link : item.at("links")) {
        StorylineLink parsed;
        parsed.from_story = link.at("from").get<int64_t>();
        parsed.to_story = link.at("to").get<int64_t>();
        parsed.similarity = link.at("similarity").get<double>();
        parsed.shared_entities = link.at("shared_entities").get<std::vector<std::string>>();
        parsed.shared_terms = link.at("shared_terms").get<std::vector<std::string>>();
        storyline.links.push_back(std::move(parsed));
      }
      impl.storylines.push_back(std::move(storyline));
    }
    for (const auto& item : state.at("stories")) {
      StoryState story;
      story.id = item.at("id").get<int64_t>();
      const auto index = impl.stories.size();
      if (story.id != static_cast<int64_t>(index) + 1) return corrupt("story ids out of sequence");
      story.storyline_id = item.at("storyline_id").get<int64_t>();
      if (story.storyline_id < 1 ||
          story.storyline_id > static_cast<int64_t>(impl.storylines.size())) {
        return corrupt("story refers to a missing storyline");
      }
      story.label = item.at("label").get<std::string>();
      // A story without articles is a shell emptied by re-placement (its id stays taken).
      story.articles = item.at("articles").get<std::vector<int64_t>>();
      story.first_day = day_from_json(item.at("first_day"));
      story.last_day = day_from_json(item.at("last_day"));
      story.last_arrival = item.at("last_arrival").get<int64_t>();
      story.norm = item.at("norm").get<double>();
      story.norm_at = item.at("norm_at").get<int64_t>();
      for (const auto& [term, weight] : item.at("terms").items()) {
        const uint32_t id = impl.terms.intern(term);
        story.terms.emplace_back(id, weight.get<double>());
        impl.terms.postings[id].push_back(static_cast<uint32_t>(index));
      }
      for (const auto& [key, count] : item.at("entities").items()) {
        const uint32_t id = impl.entities.intern(key);
        story.entities.emplace_back(id, count.get<int>());
        impl.entities.postings[id].push_back(static_cast<uint32_t>(index));
      }
      if (const auto years = item.find("years"); years != item.end()) {  // absent before years
        if (!Impl::years_from_json(*years, story.years)) return corrupt("bad year");
      }
      impl.phrases_from_json(item, story.phrases);
      if (const auto members = item.find("members"); members != item.end()) {
        for (const auto& member : *members) {
          auto parsed = impl.member_from_json(member);
          if (!parsed) return corrupt("bad story member");
          story.members.push_back(std::move(*parsed));
        }
      }
      if (story.members.size() != story.articles.size()) story.members.clear();
      std::sort(story.terms.begin(), story.terms.end());
      std::sort(story.entities.begin(), story.entities.end());
      std::sort(story.years.begin(), story.years.end());
      story.count = static_cast<int64_t>(story.articles.size());
      impl.add_to_storyline(story);
      impl.stories.push_back(std::move(story));
    }
    const auto story_count = static_cast<int64_t>(impl.stories.size());
    for (const auto& storyline : impl.storylines) {
      for (int64_t id : storyline.stories) {
        if (id < 1 || id > story_count) return corrupt("storyline refers to a missing story");
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return corrupt(std::string("malformed state: ") + e.what());
  }
  impl.mark_saved();
  return clusterer;
}

}  // namespace storyline::cluster
