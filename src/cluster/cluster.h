// cluster: places each article, as it arrives, into a story (one event) and each story into a
// storyline (a thread of events over days). Online and incremental: nothing is recomputed.
//
//   cluster::Clusterer clusterer;
//   auto features = cluster::make_features(article, analysis);
//   cluster::Placement p = clusterer.add(article_id, features);
//
// Story similarity: TF-IDF cosine (stemmed terms, IDF from the articles seen so far, mixed with
// the cosine of phrases: adjacent word pairs and figures) blended with the overlap of named
// entities, compared with stories active within a time window of the article's event date,
// scaled down when the years the texts name disagree. A story that grows
// is revisited: when its articles fall into two groups it is split in two, and articles placed
// early in a sibling story of its storyline move to whichever of the two they are now more
// like (stories() leaves out a story emptied so). Storylines: a looser,
// term-based link between a new story and earlier storylines over a longer window; storylines
// that grew apart are merged when their centroids agree.
// Thread-safety: not synchronised (one writer).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/document.h"
#include "common/result.h"

namespace storyline::cluster {

struct Options {
  double story_threshold = 0.17;      // blended similarity to join a story
  double storyline_threshold = 0.20;  // similarity of a new story's article to a storyline's
                                      // centroid (storyline_entity_weight blend) to link it
  int story_window_days = 3;          // an article lies within this many days of its event's
  // Days from an event's first article to its last: reports of one happening come out within
  // days, and without a bound a recurring kind of news (a weekly market report, a museum that
  // reopens in town after town) chains through the window into one event a year long.
  int story_span_days = 14;
  int storyline_window_days = 60;  // a storyline's events lie within this many days
  double entity_weight = 0.4;      // share of entity overlap in an article's similarity to a story
  // The same share when linking stories into storylines and merging storylines. A thread's
  // events often involve other people and places (the next trial, the next quake), and names
  // already count as terms, so entities weigh less here than for events.
  double storyline_entity_weight = 0.0;
  // Year disagreement: an article's similarity to a story is scaled by
  // 1 - year_weight * (1 - cosine of the years both name). Events of one kind recur in other
  // years; a storyline spans them, so storylines ignore years. Only when both name a year.
  double year_weight = 0.15;
  // Event detail: the share of phrase cosine (adjacent word pairs and figures, IDF-weighted) in
  // the words' part of an article's similarity to a story. Two events of one kind share their
  // words ("patch", "quake", "injured") but not their phrases ("pierre thoma", "magnitude 6.1"),
  // which single words lose. Events only: a storyline's events differ in exactly these details.
  // 0 disables.
  double phrase_weight = 0.3;
  // Revisiting events: a story of a few articles whose members fall into two groups less alike
  // than this (average similarity across the groups) is split in two, within its storyline.
  // 0 disables.
  double story_split_threshold = 0.17;
  // Revisiting: after each placement, the article's storyline is merged with another one
  // whose whole centroid is at least this similar (centroids average out single articles,
  // so two halves of one thread that started apart find each other later). 0 disables.
  double storyline_merge_threshold = 0.25;
  // Minimum evidence, so that an unrelated article stays alone however its blended similarity
  // came about. Joining a story needs this TF-IDF cosine from the words alone (entities are
  // never enough by themselves) ...
  double story_min_term_similarity = 0.20;
  // ... and linking a new story into a storyline needs this (event-level) similarity to one
  // of the storyline's stories, besides storyline_threshold to the whole thread.
  double storyline_min_event_similarity = 0.12;
  // Revisiting placements: an article placed while its story was young may have landed in a
  // sibling story of the same storyline. After an article joins a story, the story's members
  // that are now more like a sibling story (than like their own story without them) move
  // there, and a sibling of at most this many articles whose articles are all more like the
  // grown story than like their own moves into it. Only stories that still keep their members
  // (see story_split_threshold: at most 64 articles, active recently) and only siblings.
  // 0 disables.
  int story_replace = 2;
};

inline constexpr long kUnknownDay = std::numeric_limits<long>::min();

struct Features {
  long day = kUnknownDay;                            // event day (days since 1970-01-01)
  std::vector<std::pair<std::string, float>> terms;  // stemmed term -> count
  // Adjacent kept stems ("pierr thoma", no stop word between) and figures ("6.1") -> count.
  std::vector<std::pair<std::string, float>> phrases;
  std::vector<std::string> entities;         // entity keys (directory-resolved)
  std::vector<std::pair<int, float>> years;  // year named in the text -> count, by year
  std::string source;
  std::string title;
};

// Features of an article: its event date (analysis.event_date, else published), terms of its
// title and text (stemmed with libstemmer for its language, stop words dropped), entities and
// the years it names (four-digit numbers from 1900 to 2099).
Features make_features(const Article& article, const Analysis& analysis);

struct Placement {
  int64_t story_id = 0;
  int64_t storyline_id = 0;
  bool new_story = false;
  bool new_storyline = false;
  double story_similarity = 0;      // to the story joined (0 for a new story)
  double storyline_similarity = 0;  // of the new story to the storyline joined
  int64_t linked_story_id = 0;      // for a new story joining a storyline: the closest story
  std::vector<std::string> shared_entities;  // why: what tied the article to its story
  std::vector<std::string> shared_terms;
  // For an article re-placed later (Options::story_replace): the story it left; the
  // similarity and shared lists then explain its tie to story_id, the story it moved to.
  int64_t replaced_from_story = 0;
};

struct Story {
  int64_t id = 0;
  int64_t storyline_id = 0;
  std::string label;  // title of its first article
  std::vector<int64_t> articles;
  long first_day = kUnknownDay;
  long last_day = kUnknownDay;
  std::vector<std::string> top_entities;
  std::vector<std::string> top_terms;
};

struct StorylineLink {
  int64_t from_story = 0;
  int64_t to_story = 0;
  double similarity = 0;
  std::vector<std::string> shared_entities;
  std::vector<std::string> shared_terms;

  // A link whose earlier story was emptied into its later one (or the other way round) joins
  // a story to itself: it went, but keeps its position among the storyline's links.
  bool joins_itself() const { return from_story == to_story; }
};

struct Storyline {
  int64_t id = 0;
  std::vector<int64_t> stories;  // in event order (timeline)
  std::vector<StorylineLink> links;
  std::string label;
};

class Clusterer {
 public:
  explicit Clusterer(Options options = {});
  ~Clusterer();
  Clusterer(Clusterer&&) noexcept;
  Clusterer& operator=(Clusterer&&) noexcept;
  Clusterer(const Clusterer&) = delete;
  Clusterer& operator=(const Clusterer&) = delete;

  Placement add(int64_t article_id, const Features& features);

  std::vector<Story> stories() const;
  std::vector<Storyline> storylines() const;

  // Whole state as JSON, so a later run continues where this one stopped.
  nlohmann::json save() const;
  [[nodiscard]] static Result<Clusterer> load(const nlohmann::json& state, Options options = {});

  // Incremental persistence, so that a checkpoint costs what changed, not what is held (a
  // million-article store would otherwise rewrite its whole state every checkpoint). The state
  // is a set of named rows ("meta", "story/<id>", "storyline/<id>", "member/<article id>",
  // "dflog/<n>" with the document frequencies that changed since the row before it, and rows
  // "story/<id>/<n>" and "storyline/<id>/<n>" with what changed in a story or storyline since
  // the rows before them; stores written before the log hold "df/<t|e|p>/<name>" rows, which
  // load_rows() reads and the next take_changes() replaces);
  // take_changes() returns the rows, stories and storylines that changed since the last
  // take_changes() or load (all of them with `everything`), and marks them saved.
  //
  // A storyline's stories and links only grow, so a changed storyline comes back as the links
  // added since it was last taken (all of them when `links_from` is 0); one merged into another
  // comes back `merged`, with none. Its stories are those whose storyline_id names it.
  struct StorylineChange {
    int64_t id = 0;
    std::string label;
    bool merged = false;
    std::size_t links_from = 0;  // the position of links[0] among the storyline's links
    std::vector<StorylineLink> links;
    // Links before links_from that changed (a story emptied into another), by position. A
    // link from a story to itself is one that went.
    std::vector<std::pair<std::size_t, StorylineLink>> relinked;
  };
  struct Changes {
    std::vector<Story> stories;
    std::vector<StorylineChange> storylines;
    // Articles re-placed into another story since the last take (Options::story_replace), by
    // article id, with their placement now (its story and what ties the article to it).
    std::vector<std::pair<int64_t, Placement>> regrouped;
    // Stories emptied by re-placement: no longer listed by stories() (their ids stay taken).
    std::vector<int64_t> removed_stories;
    std::vector<std::pair<std::string, nlohmann::json>> rows;
    std::vector<std::string> deleted_rows;  // rows no longer part of the state
  };
  Changes take_changes(bool everything = false);
  // Rebuilds a clusterer from every row take_changes() gave (names as given there).
  [[nodiscard]] static Result<Clusterer> load_rows(
      const std::vector<std::pair<std::string, nlohmann::json>>& rows, Options options = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace storyline::cluster
