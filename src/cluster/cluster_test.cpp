#include "cluster/cluster.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/civil_date.h"

namespace storyline::cluster {
namespace {

long parse_day(const char* iso) { return parse_iso_date(iso)->days_since_epoch(); }

struct EntitySpec {
  const char* key;
  EntityType type;
};

// A fixture article: first line of the file is the title, the rest the body.
Article load_article(const std::string& name, const std::string& published) {
  std::ifstream in(std::string(STORYLINE_SOURCE_DIR) + "/src/cluster/testdata/" + name + ".txt");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string all = buffer.str();
  Article article;
  article.page_id = name;
  const auto newline = all.find('\n');
  article.title = all.substr(0, newline);
  article.text = newline == std::string::npos ? "" : all.substr(newline + 1);
  article.language = "en";
  article.published = published;
  return article;
}

Analysis analysis_with(const std::vector<EntitySpec>& entities, const std::string& event_date) {
  Analysis analysis;
  for (const auto& spec : entities) {
    Entity entity;
    entity.key = spec.key;
    entity.name = spec.key;
    entity.type = spec.type;
    entity.mention_count = 1;
    analysis.entities.push_back(entity);
  }
  analysis.event_date = event_date;
  return analysis;
}

constexpr auto kPer = EntityType::kPerson;
constexpr auto kOrg = EntityType::kOrganization;
constexpr auto kLoc = EntityType::kLocation;

// The seed shape in fictional form: three outlets on the fourth envoy meeting (2031-04-25),
// one article on the third meeting two weeks earlier (another event, same storyline), and four
// teasers published the same day as the fourth meeting, one of which names President Kell.
struct Corpus {
  std::vector<std::string> names;
  std::vector<Features> features;
};

Corpus seed_shaped_corpus() {
  const std::vector<EntitySpec> talks = {
      {"marten hollis", kPer}, {"ilya varkov", kPer}, {"dorian kell", kPer},
      {"teodor brask", kPer},  {"lena morrow", kPer}, {"citadel", kOrg},
      {"vesnar", kLoc},        {"aldoria", kLoc},     {"ostrava", kLoc}};
  auto with = [&](std::vector<EntitySpec> extra) {
    std::vector<EntitySpec> all = talks;
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  struct Item {
    std::string name;
    std::string published;
    std::vector<EntitySpec> entities;
    std::string event_date;
  };
  const std::vector<Item> items = {
      {"talks_fourth_a", "2031-04-26", with({{"kerensk", kLoc}, {"dornholm", kLoc}}), "2031-04-25"},
      {"talks_fourth_b", "2031-04-25", with({{"kerensk", kLoc}, {"dornholm", kLoc}}), "2031-04-25"},
      {"talks_fourth_c", "2031-04-25", with({{"kerensk", kLoc}, {"dornholm", kLoc}}), ""},
      {"talks_third", "2031-04-12", with({{"port silvan", kLoc}, {"velsk", kLoc}}), "2031-04-11"},
      {"teaser_navy",
       "2031-04-26",
       {{"meridian", kLoc}, {"karsa strait", kLoc}, {"alan fairweather", kPer}},
       ""},
      {"teaser_solidarity", "2031-04-26", {{"sun mei-ling", kPer}, {"tavora", kLoc}}, ""},
      {"teaser_summit",
       "2031-04-26",
       {{"rafael ortuno", kPer},
        {"northern alliance", kOrg},
        {"valdmark", kLoc},
        {"hanne lindqvist", kPer},
        {"dorian kell", kPer}},
       ""},
      {"teaser_missiles",
       "2031-04-26",
       {{"owen tallis", kPer}, {"meridian", kLoc}, {"tavora", kLoc}},
       ""},
  };
  Corpus corpus;
  for (const auto& item : items) {
    const Article article = load_article(item.name, item.published);
    EXPECT_FALSE(article.text.empty()) << item.name;
    corpus.names.push_back(item.name);
    corpus.features.push_back(
        make_features(article, analysis_with(item.entities, item.event_date)));
  }
  return corpus;
}

using Partition = std::set<std::set<int64_t>>;

Partition story_partition(const Clusterer& clusterer) {
  Partition partition;
  for (const auto& story : clusterer.stories()) {
    partition.insert(std::set<int64_t>(story.articles.begin(), story.articles.end()));
  }
  return partition;
}

Partition storyline_partition(const Clusterer& clusterer) {
  std::map<int64_t, std::set<int64_t>> by_line;
  for (const auto& story : clusterer.stories()) {
    by_line[story.storyline_id].insert(story.articles.begin(), story.articles.end());
  }
  Partition partition;
  for (auto& [id, articles] : by_line) partition.insert(articles);
  return partition;
}

// Article ids are the corpus indexes. Whether two teasers about the same island share a
// storyline is open; what matters is that no teaser joins the talks.
const Partition kExpectedStories = {{0, 1, 2}, {3}, {4}, {5}, {6}, {7}};
const std::set<int64_t> kTalksStoryline = {0, 1, 2, 3};

bool has_talks_storyline(const Partition& storylines) {
  return storylines.count(kTalksStoryline) == 1;
}

TEST(ClusterSeedShape, TwoMeetingsOneStorylineTeasersApart) {
  const Corpus corpus = seed_shaped_corpus();
  Clusterer clusterer;
  std::vector<Placement> placements;
  for (std::size_t i = 0; i < corpus.features.size(); ++i) {
    placements.push_back(clusterer.add(static_cast<int64_t>(i), corpus.features[i]));
  }
  EXPECT_EQ(story_partition(clusterer), kExpectedStories);
  EXPECT_TRUE(has_talks_storyline(storyline_partition(clusterer)));

  // Outlets b and c joined outlet a's story, with reasons.
  EXPECT_TRUE(placements[0].new_story);
  EXPECT_TRUE(placements[0].new_storyline);
  for (int i : {1, 2}) {
    EXPECT_FALSE(placements[i].new_story) << i;
    EXPECT_EQ(placements[i].story_id, placements[0].story_id);
    EXPECT_GE(placements[i].story_similarity, Options{}.story_threshold);
    const auto& shared = placements[i].shared_entities;
    EXPECT_NE(std::find(shared.begin(), shared.end(), "marten hollis"), shared.end());
    EXPECT_FALSE(placements[i].shared_terms.empty());
  }
  // The third meeting is a new story linked into the same storyline.
  const Placement& third = placements[3];
  EXPECT_TRUE(third.new_story);
  EXPECT_FALSE(third.new_storyline);
  EXPECT_EQ(third.storyline_id, placements[0].storyline_id);
  EXPECT_EQ(third.linked_story_id, placements[0].story_id);
  EXPECT_GE(third.storyline_similarity, Options{}.storyline_threshold);
  EXPECT_NE(std::find(third.shared_entities.begin(), third.shared_entities.end(), "ilya varkov"),
            third.shared_entities.end());
  // The teaser naming Kell stays apart.
  EXPECT_TRUE(placements[6].new_storyline);

  // Timeline: the third meeting (earlier event) comes first although it arrived later.
  const auto storylines = clusterer.storylines();
  const auto line = std::find_if(storylines.begin(), storylines.end(),
                                 [&](const Storyline& s) { return s.id == third.storyline_id; });
  ASSERT_NE(line, storylines.end());
  ASSERT_EQ(line->stories.size(), 2u);
  EXPECT_EQ(line->stories[0], third.story_id);
  EXPECT_EQ(line->stories[1], placements[0].story_id);
  ASSERT_EQ(line->links.size(), 1u);
  EXPECT_EQ(line->links[0].from_story, third.story_id);
  EXPECT_EQ(line->links[0].to_story, placements[0].story_id);
  EXPECT_FALSE(line->links[0].shared_terms.empty());

  // Story summary.
  const auto stories = clusterer.stories();
  const Story& main = stories[placements[0].story_id - 1];
  EXPECT_EQ(main.label,
            "Aldorian envoy Hollis meets Varkov in Kerensk as Kell presses for a truce deal");
  EXPECT_EQ(main.articles, (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(main.first_day, parse_day("2031-04-25"));
  EXPECT_EQ(main.last_day, parse_day("2031-04-25"));
  EXPECT_FALSE(main.top_entities.empty());
  EXPECT_FALSE(main.top_terms.empty());
}

TEST(ClusterSeedShape, ShuffledOrdersGiveTheSamePartition) {
  const Corpus corpus = seed_shaped_corpus();
  std::vector<std::size_t> order(corpus.features.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  Clusterer reference;
  for (std::size_t i : order) reference.add(static_cast<int64_t>(i), corpus.features[i]);
  const Partition expected_storylines = storyline_partition(reference);
  EXPECT_TRUE(has_talks_storyline(expected_storylines));
  std::mt19937 rng(99);
  for (int trial = 0; trial < 30; ++trial) {
    std::shuffle(order.begin(), order.end(), rng);
    Clusterer clusterer;
    for (std::size_t i : order) clusterer.add(static_cast<int64_t>(i), corpus.features[i]);
    EXPECT_EQ(story_partition(clusterer), kExpectedStories) << "trial " << trial;
    EXPECT_EQ(storyline_partition(clusterer), expected_storylines) << "trial " << trial;
  }
}

TEST(ClusterSeedShape, WithoutDatesTheTeasersStillStayApart) {
  // With no dates every story is a candidate; the teasers must still not join the talks.
  Corpus corpus = seed_shaped_corpus();
  for (auto& features : corpus.features) features.day = kUnknownDay;
  Clusterer clusterer;
  for (std::size_t i = 0; i < corpus.features.size(); ++i) {
    clusterer.add(static_cast<int64_t>(i), corpus.features[i]);
  }
  const Partition stories = story_partition(clusterer);
  EXPECT_TRUE(stories.count({4}) && stories.count({5}) && stories.count({6}) && stories.count({7}));
  EXPECT_TRUE(has_talks_storyline(storyline_partition(clusterer)));
}

TEST(ClusterSeedShape, SaveAndLoadContinuesIncrementally) {
  const Corpus corpus = seed_shaped_corpus();
  Clusterer straight;
  for (std::size_t i = 0; i < corpus.features.size(); ++i) {
    straight.add(static_cast<int64_t>(i), corpus.features[i]);
  }
  Clusterer first;
  for (std::size_t i = 0; i < 3; ++i) first.add(static_cast<int64_t>(i), corpus.features[i]);
  const std::string saved = first.save().dump();
  auto loaded = Clusterer::load(nlohmann::json::parse(saved));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  Clusterer resumed = std::move(*loaded);
  EXPECT_EQ(resumed.save(), first.save());
  for (std::size_t i = 3; i < corpus.features.size(); ++i) {
    resumed.add(static_cast<int64_t>(i), corpus.features[i]);
  }
  EXPECT_EQ(story_partition(resumed), story_partition(straight));
  EXPECT_EQ(storyline_partition(resumed), storyline_partition(straight));
  EXPECT_EQ(resumed.save(), straight.save());
}

TEST(ClusterSeedShape, ChangesSinceLastTakeRebuildTheWholeState) {
  const Corpus corpus = seed_shaped_corpus();
  Clusterer clusterer;
  // The rows a store would hold: each take overwrites the rows it names.
  std::map<std::string, nlohmann::json> rows;
  auto take = [&](bool everything = false) {
    Clusterer::Changes changes = clusterer.take_changes(everything);
    for (const std::string& name : changes.deleted_rows) rows.erase(name);
    for (auto& [name, value] : changes.rows) rows[name] = std::move(value);
    return changes;
  };
  EXPECT_TRUE(take().stories.empty());  // nothing added yet
  for (std::size_t i = 0; i < corpus.features.size(); ++i) {
    const Placement placement = clusterer.add(static_cast<int64_t>(i), corpus.features[i]);
    const Clusterer::Changes changes = take();
    // The story the article went to is among the changes, and it is the only new article.
    ASSERT_FALSE(changes.stories.empty()) << i;
    bool found = false;
    for (const Story& story : changes.stories) found |= story.id == placement.story_id;
    EXPECT_TRUE(found) << i;
    EXPECT_LT(changes.stories.size(), clusterer.stories().size() + 1);
    // A new story changes its storyline (a story or a link more).
    bool has_storyline = false;
    for (const auto& storyline : changes.storylines)
      has_storyline |= storyline.id == placement.storyline_id;
    if (placement.new_story) {
      EXPECT_TRUE(has_storyline) << i;
    }
  }
  // Nothing changed since the last take.
  const Clusterer::Changes none = take();
  EXPECT_TRUE(none.stories.empty());
  EXPECT_TRUE(none.storylines.empty());
  EXPECT_TRUE(none.rows.empty());
  // Everything: every story and storyline (a store first deletes the rows it held).
  rows.clear();
  EXPECT_EQ(take(true).stories.size(), clusterer.stories().size());

  // Members (kept for splits) are rows of their own, written once, not inside story rows.
  std::size_t member_rows = 0;
  for (const auto& [name, value] : rows) {
    if (name.starts_with("member/")) ++member_rows;
    if (name.starts_with("story/")) EXPECT_FALSE(value.contains("members")) << name;
  }
  EXPECT_EQ(member_rows, corpus.features.size());

  std::vector<std::pair<std::string, nlohmann::json>> all(rows.begin(), rows.end());
  auto rebuilt = Clusterer::load_rows(all);
  ASSERT_TRUE(rebuilt.has_value()) << rebuilt.error().to_string();
  EXPECT_EQ(rebuilt->save(), clusterer.save());
  EXPECT_TRUE(rebuilt->take_changes().rows.empty());  // loaded state counts as saved

  all.erase(
      std::remove_if(all.begin(), all.end(), [](const auto& row) { return row.first == "meta"; }),
      all.end());
  EXPECT_FALSE(Clusterer::load_rows(all).has_value());
}

TEST(ClusterLoad, RejectsDamagedState) {
  EXPECT_FALSE(Clusterer::load(nlohmann::json::array()).has_value());
  EXPECT_FALSE(Clusterer::load(nlohmann::json{{"version", 42}}).has_value());
  EXPECT_FALSE(Clusterer::load(nlohmann::json{{"version", 1}}).has_value());

  Clusterer clusterer;
  Features features;
  features.terms = {{"harbour", 2.0f}, {"fire", 1.0f}};
  clusterer.add(5, features);
  nlohmann::json state = clusterer.save();
  ASSERT_TRUE(Clusterer::load(state).has_value());
  nlohmann::json bad_line = state;
  bad_line["stories"][0]["storyline_id"] = 7;
  auto result = Clusterer::load(bad_line);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kCorrupt);
  nlohmann::json bad_type = state;
  bad_type["stories"][0]["articles"] = "five";
  EXPECT_FALSE(Clusterer::load(bad_type).has_value());
}

TEST(ClusterWindow, SameWordsFarApartInTimeAreSeparateStories) {
  Features a;
  a.terms = {{"harbour", 3.0f}, {"fire", 3.0f}, {"warehous", 2.0f}, {"velmora", 2.0f}};
  a.entities = {"velmora"};
  a.day = 20000;
  Features b = a;
  b.day = 20001;
  Features c = a;
  c.day = 20030;  // a month later: outside the story window, inside the storyline window
  Features d = a;
  d.day = 20200;  // beyond the storyline window
  Clusterer clusterer;
  const Placement pa = clusterer.add(1, a);
  const Placement pb = clusterer.add(2, b);
  const Placement pc = clusterer.add(3, c);
  const Placement pd = clusterer.add(4, d);
  EXPECT_EQ(pb.story_id, pa.story_id);
  EXPECT_NE(pc.story_id, pa.story_id);
  EXPECT_EQ(pc.storyline_id, pa.storyline_id);
  EXPECT_TRUE(pd.new_story);
  EXPECT_TRUE(pd.new_storyline);
}

// The same report every other day stays inside the story window each time, but an event does not
// last a month: past the span a new story starts, in the same storyline.
TEST(ClusterWindow, DailyRecurringReportsDoNotChainIntoOneLongEvent) {
  Features report;
  report.terms = {{"market", 3.0f}, {"fish", 3.0f}, {"price", 2.0f}, {"velmora", 2.0f}};
  report.entities = {"velmora"};
  Options options;
  options.story_span_days = 10;
  Clusterer clusterer(options);
  std::map<int64_t, std::vector<long>> days_by_story;
  int64_t storyline = 0;
  for (int k = 0; k < 15; ++k) {
    report.day = 20000 + 2 * k;
    const Placement placement = clusterer.add(k + 1, report);
    days_by_story[placement.story_id].push_back(report.day);
    if (k == 0) storyline = placement.storyline_id;
    EXPECT_EQ(placement.storyline_id, storyline) << "report " << k;
  }
  EXPECT_GE(days_by_story.size(), 3u);
  for (const auto& [story, days] : days_by_story) {
    EXPECT_LE(days.back() - days.front(), options.story_span_days) << "story " << story;
  }
  // Without the bound (the window alone) the chain is one event.
  Options unbounded;
  unbounded.story_span_days = 1000;
  Clusterer chained(unbounded);
  std::set<int64_t> stories;
  for (int k = 0; k < 15; ++k) {
    report.day = 20000 + 2 * k;
    stories.insert(chained.add(k + 1, report).story_id);
  }
  EXPECT_EQ(stories.size(), 1u);
}

// Revisiting: two stories of one thread that did not link when the second arrived are merged
// into one storyline once the thread's centroid has grown towards the other.
TEST(ClusterRevisit, StorylinesThatStartedApartMergeLater) {
  Features filler;
  filler.terms = {{"orchestra", 3.0f}, {"concert", 2.0f}, {"violin", 2.0f}, {"festiv", 1.0f}};
  Features first;
  first.terms = {{"dam", 3.0f},   {"flood", 3.0f}, {"valley", 2.0f},
                 {"evacu", 2.0f}, {"rain", 1.0f},  {"river", 2.0f}};
  first.entities = {"lake orrin"};
  Features second;
  second.terms = {{"dam", 2.0f},    {"flood", 2.0f}, {"river", 2.0f},
                  {"repair", 3.0f}, {"engin", 2.0f}, {"crack", 2.0f}};
  second.entities = {"lake orrin"};
  for (const double merge : {0.0, 0.2}) {
    Options options;
    options.story_threshold = 0.95;      // every article but an exact repeat is a new story
    options.storyline_threshold = 0.95;  // and never linked when it arrives
    options.storyline_merge_threshold = merge;
    Clusterer clusterer(options);
    clusterer.add(1, filler);
    const Placement a = clusterer.add(2, first);
    const Placement b = clusterer.add(3, second);
    ASSERT_NE(a.storyline_id, b.storyline_id);    // apart on arrival
    const Placement c = clusterer.add(4, first);  // a repeat grows the first thread
    EXPECT_EQ(c.story_id, a.story_id);
    const auto storylines = clusterer.storylines();
    if (merge == 0.0) {
      EXPECT_EQ(storylines.size(), 3u);
      continue;
    }
    ASSERT_EQ(storylines.size(), 2u);  // the emptied storyline is not listed
    const auto thread = std::find_if(storylines.begin(), storylines.end(),
                                     [](const Storyline& s) { return s.stories.size() == 2; });
    ASSERT_NE(thread, storylines.end());
    ASSERT_EQ(thread->links.size(), 1u);
    const auto& why = thread->links[0].shared_terms;
    EXPECT_NE(std::find(why.begin(), why.end(), "dam"), why.end());
    for (const Story& story : clusterer.stories()) {
      if (story.id == a.story_id || story.id == b.story_id) {
        EXPECT_EQ(story.storyline_id, thread->id);
      }
    }
    // The merged state survives a save and load, and placing goes on from it.
    auto loaded = Clusterer::load(clusterer.save(), options);
    ASSERT_TRUE(loaded.has_value());
    EXPECT_EQ(loaded->storylines().size(), 2u);
    const Placement d = loaded->add(5, second);
    EXPECT_EQ(d.story_id, b.story_id);
    EXPECT_EQ(d.storyline_id, thread->id);
  }
}

// Features of an invented report: shared words of its kind of event, its own words, its
// entities and the year it names.
Features report(std::vector<std::pair<std::string, float>> terms, std::vector<std::string> entities,
                int year) {
  Features features;
  for (const char* common : {"warehous", "fire", "harbour", "firefight", "blaze"}) {
    terms.emplace_back(common, 2.0f);
  }
  std::sort(terms.begin(), terms.end());
  features.terms = std::move(terms);
  std::sort(entities.begin(), entities.end());
  features.entities = std::move(entities);
  features.years = {{year, 1.0f}};
  return features;
}

Features fire_in_port_aster(int variant) {
  return report({{"aster", 3.0f}, {"grain", 2.0f}, {"silo", 2.0f}, {"dockwork", 1.0f + variant}},
                {"port aster", "mara quell"}, 2029);
}

Features fire_in_lindholm(int variant) {
  return report({{"lindholm", 3.0f}, {"timber", 2.0f}, {"ferri", 2.0f}, {"crane", 1.0f + variant}},
                {"lindholm", "osric pell"}, 2031);
}

// A story that keeps growing is saved as rows of what changed ("story/<id>/<n>": its new
// articles and the weights that moved), not rewritten whole at every take, and is written whole
// again once those rows outgrow it; its storyline gains rows of appended stories and links. The
// rows rebuild the same state, and a clusterer loaded from them continues like the original.
TEST(ClusterRows, GrowingStoriesAreSavedAsRowsOfChanges) {
  const long day = 20000;
  auto article = [&](int i) {
    // The fire's own words, one new word per report and a few repeated ones, so the story's
    // vocabulary grows with it; every tenth report is the other fire, a story of its own.
    Features f = i % 10 == 9 ? fire_in_lindholm(i % 3) : fire_in_port_aster(i % 3);
    f.terms.emplace_back("detail" + std::to_string(i), 1.0f);
    f.terms.emplace_back("ember" + std::to_string(i % 7), 1.0f);
    std::sort(f.terms.begin(), f.terms.end());
    f.day = day + i / 20;
    f.title = "Report " + std::to_string(i);
    return f;
  };
  Clusterer clusterer;
  std::map<std::string, nlohmann::json> rows;
  std::size_t part_rows_written = 0, whole_story_rows_written = 0;
  auto take = [&](Clusterer& c) {
    Clusterer::Changes changes = c.take_changes();
    for (const std::string& name : changes.deleted_rows) EXPECT_EQ(rows.erase(name), 1u) << name;
    for (auto& [name, value] : changes.rows) {
      if (name.starts_with("story/")) {
        ++(std::count(name.begin(), name.end(), '/') == 2 ? part_rows_written
                                                          : whole_story_rows_written);
      }
      rows[name] = std::move(value);
    }
  };
  for (int i = 0; i < 120; ++i) {
    clusterer.add(i, article(i));
    take(clusterer);
  }
  EXPECT_GT(part_rows_written, 60u);        // most takes wrote a row of changes, not the story
  EXPECT_GT(whole_story_rows_written, 2u);  // and now and then the whole story again
  std::size_t held_parts = 0;
  for (const auto& [name, value] : rows)
    held_parts += name.starts_with("story/") && name.size() > 19;
  EXPECT_LT(held_parts, part_rows_written);  // rewriting a story whole drops its rows of changes

  std::vector<std::pair<std::string, nlohmann::json>> all(rows.begin(), rows.end());
  auto loaded = Clusterer::load_rows(all);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  EXPECT_EQ(loaded->save(), clusterer.save());
  for (int i = 120; i < 160; ++i) {
    clusterer.add(i, article(i));
    loaded->add(i, article(i));
    take(*loaded);
  }
  EXPECT_EQ(loaded->save(), clusterer.save());
  all.assign(rows.begin(), rows.end());
  auto again = Clusterer::load_rows(all);
  ASSERT_TRUE(again.has_value()) << again.error().to_string();
  EXPECT_EQ(again->save(), clusterer.save());

  // A row of changes out of sequence is damage, not something to guess around.
  for (auto& [name, value] : all) {
    if (name.starts_with("story/") && name.size() > 19) {
      value["articles_from"] = 0;
      break;
    }
  }
  EXPECT_FALSE(Clusterer::load_rows(all).has_value());
}

// Document frequencies are saved as a log of rows ("dflog/<n>"): a take appends the names
// interned and the frequencies changed since the last one, a clusterer loaded from the rows
// continues the log with the same ids, and once the log outgrows the vocabulary it is replaced
// by a snapshot. Stores written before the log hold one row per name; a take after loading them
// replaces those rows with a snapshot.
TEST(ClusterRows, FrequenciesAreALogThatContinuesAcrossLoadsAndIsCompacted) {
  const long day = 20000;
  auto article = [&](int i) {
    Features f = i % 10 == 9 ? fire_in_lindholm(i % 3) : fire_in_port_aster(i % 3);
    f.terms.emplace_back("detail" + std::to_string(i), 1.0f);
    f.terms.emplace_back("witness" + std::to_string(i % 97), 1.0f);
    std::sort(f.terms.begin(), f.terms.end());
    f.day = day + i / 40;
    f.title = "Report " + std::to_string(i);
    return f;
  };
  std::map<std::string, nlohmann::json> rows;
  std::size_t most_log_rows = 0;
  bool compacted = false;
  auto take = [&](Clusterer& c) {
    Clusterer::Changes changes = c.take_changes();
    std::size_t log_rows = 0;
    for (const auto& [name, value] : changes.rows) {
      EXPECT_FALSE(name.starts_with("df/")) << name;
      log_rows += name.starts_with("dflog/");
    }
    for (const std::string& name : changes.deleted_rows) {
      EXPECT_EQ(rows.erase(name), 1u) << name;
      compacted |= name.starts_with("dflog/");
    }
    // One row per kind of name that changed, unless it is a snapshot.
    if (!compacted) EXPECT_LE(log_rows, 3u);
    for (auto& [name, value] : changes.rows) rows[name] = std::move(value);
    std::size_t held = 0;
    for (const auto& [name, value] : rows) held += name.starts_with("dflog/");
    most_log_rows = std::max(most_log_rows, held);
  };
  auto load = [&]() {
    std::vector<std::pair<std::string, nlohmann::json>> all(rows.begin(), rows.end());
    auto loaded = Clusterer::load_rows(all);
    EXPECT_TRUE(loaded.has_value()) << loaded.error().to_string();
    return loaded;
  };
  // Written by one clusterer, then by one loaded from the rows every 150 articles (a store
  // reopened), beside one that was never saved: the frequencies read back are always its.
  auto same_frequencies = [](const Clusterer& a, const Clusterer& b) {
    const nlohmann::json sa = a.save(), sb = b.save();
    for (const char* field : {"articles_seen", "term_df", "entity_df", "phrase_df"})
      if (sa.at(field) != sb.at(field)) return false;
    return true;
  };
  Clusterer straight;
  Clusterer current;
  for (int i = 0; i < 2000; ++i) {
    straight.add(i, article(i));
    current.add(i, article(i));
    take(current);
    if (i % 150 == 149) {
      auto loaded = load();
      ASSERT_TRUE(loaded.has_value());
      EXPECT_TRUE(same_frequencies(*loaded, straight)) << i;
      current = std::move(*loaded);
    }
  }
  EXPECT_TRUE(compacted);
  std::size_t log_rows = 0;
  for (const auto& [name, value] : rows) log_rows += name.starts_with("dflog/");
  EXPECT_LT(log_rows, most_log_rows);  // the snapshot replaced the rows before it
  auto again = load();
  ASSERT_TRUE(again.has_value());
  // The same groups and frequencies (a loaded storyline sums its centroid in another order,
  // so the similarities of later links may differ in the last digits).
  EXPECT_EQ(story_partition(*again), story_partition(straight));
  EXPECT_EQ(storyline_partition(*again), storyline_partition(straight));
  EXPECT_TRUE(same_frequencies(*again, straight));

  // The older layout: a row per name, read as before and replaced at the next take.
  const nlohmann::json whole = again->save();
  std::vector<std::pair<std::string, nlohmann::json>> legacy;
  for (const auto& [name, value] : rows)
    if (!name.starts_with("dflog/")) legacy.emplace_back(name, value);
  for (const auto& [field, prefix] :
       {std::pair{"term_df", "df/t/"}, {"entity_df", "df/e/"}, {"phrase_df", "df/p/"}})
    for (const auto& [name, df] : whole.at(field).items()) legacy.emplace_back(prefix + name, df);
  auto converted = Clusterer::load_rows(legacy);
  ASSERT_TRUE(converted.has_value()) << converted.error().to_string();
  EXPECT_TRUE(converted->save() == whole);
  rows.clear();
  rows.insert(legacy.begin(), legacy.end());
  const std::size_t before = rows.size();
  compacted = true;  // the conversion is a snapshot
  take(*converted);
  for (const auto& [name, value] : rows) EXPECT_FALSE(name.starts_with("df/")) << name;
  EXPECT_LT(rows.size(), before);
  auto reloaded = load();
  ASSERT_TRUE(reloaded.has_value());
  EXPECT_TRUE(reloaded->save() == whole);

  // A frequency for a name the log never gave is damage.
  std::vector<std::pair<std::string, nlohmann::json>> damaged(rows.begin(), rows.end());
  for (auto& [name, value] : damaged) {
    if (name.starts_with("dflog/")) {
      value["df"] = "1000000 3";
      break;
    }
  }
  EXPECT_FALSE(Clusterer::load_rows(damaged).has_value());
}

// Revisiting events: two fires of one kind that joined one story while it was young (a low
// join threshold) are split apart once each has articles of its own; the split-off story
// stays in the storyline, linked with what the two share.
TEST(ClusterRevisit, StoryHoldingTwoEventsSplits) {
  for (const double split : {0.0, 0.2}) {
    Options options;
    options.story_threshold = 0.05;  // everything of the kind joins the first story
    options.story_split_threshold = split;
    Clusterer clusterer(options);
    std::vector<Placement> placed;
    placed.push_back(clusterer.add(1, fire_in_port_aster(0)));
    placed.push_back(clusterer.add(2, fire_in_lindholm(0)));
    placed.push_back(clusterer.add(3, fire_in_port_aster(1)));
    EXPECT_EQ(placed[1].story_id, placed[0].story_id);
    placed.push_back(clusterer.add(4, fire_in_lindholm(1)));
    const auto stories = clusterer.stories();
    if (split == 0.0) {
      EXPECT_EQ(stories.size(), 1u);
      continue;
    }
    ASSERT_EQ(stories.size(), 2u);
    EXPECT_EQ(stories[0].articles, (std::vector<int64_t>{1, 3}));  // the first article's group
    EXPECT_EQ(stories[1].articles, (std::vector<int64_t>{2, 4}));
    EXPECT_EQ(placed[3].story_id, stories[1].id);  // the placement names the story it ended in
    EXPECT_EQ(stories[0].storyline_id, stories[1].storyline_id);
    const auto storylines = clusterer.storylines();
    ASSERT_EQ(storylines.size(), 1u);
    ASSERT_EQ(storylines[0].links.size(), 1u);
    const auto& why = storylines[0].links[0].shared_terms;
    EXPECT_NE(std::find(why.begin(), why.end(), "fire"), why.end());
    EXPECT_TRUE(storylines[0].links[0].shared_entities.empty());

    // Later reports find their own event, also after a save and load.
    auto loaded = Clusterer::load(clusterer.save(), options);
    ASSERT_TRUE(loaded.has_value());
    EXPECT_EQ(loaded->add(5, fire_in_lindholm(2)).story_id, stories[1].id);
    EXPECT_EQ(loaded->add(6, fire_in_port_aster(2)).story_id, stories[0].id);
    EXPECT_EQ(loaded->stories().size(), 2u);
  }
}

// Years: the same words naming another year are less alike; naming the same year adds nothing
// (every story of a year would otherwise attract every article of that year).
TEST(ClusterYears, DisagreeingYearsLowerTheSimilarity) {
  Features first = fire_in_port_aster(0);
  Features same_year = first;
  Features other_year = first;
  other_year.years = {{2031, 1.0f}};
  Features no_year = first;
  no_year.years.clear();
  auto similarity_to_first = [&](const Features& second, double year_weight) {
    Options options;
    options.year_weight = year_weight;
    Clusterer clusterer(options);
    clusterer.add(1, first);
    return clusterer.add(2, second).story_similarity;
  };
  const double same = similarity_to_first(same_year, 0.25);
  EXPECT_NEAR(similarity_to_first(no_year, 0.25), same, 1e-9);
  EXPECT_NEAR(similarity_to_first(other_year, 0.0), same, 1e-9);
  EXPECT_NEAR(similarity_to_first(other_year, 0.25), same * 0.75, 1e-9);
}

TEST(ClusterFeatures, StemsDropsStopWordsNumbersAndShortTokens) {
  Article article;
  article.title = "Meetings";
  article.text = "The meeting was held in 2031 at 10 and it went on; ok, the envoys met.";
  article.language = "en";
  article.published = "2031-04-26T08:00:00Z";
  Analysis analysis;
  Entity person{"Marten Hollis", "marten hollis", EntityType::kPerson, {}, 1};
  Entity other{"Tuesday", "tuesday", EntityType::kOther, {}, 1};
  Entity place{"Kerensk", "", EntityType::kLocation, {}, 1};
  analysis.entities = {person, other, place, person};
  const Features features = make_features(article, analysis);
  std::map<std::string, float> terms(features.terms.begin(), features.terms.end());
  EXPECT_FLOAT_EQ(terms["meet"], 3.0f);  // title "Meetings" (x2) + "meeting"
  EXPECT_EQ(terms.count("the"), 0u);
  EXPECT_EQ(terms.count("2031"), 0u);
  EXPECT_EQ(terms.count("ok"), 0u);
  EXPECT_EQ(terms.count("envoy"), 1u);
  EXPECT_EQ(terms.count("held"), 1u);
  EXPECT_EQ(features.entities, (std::vector<std::string>{"kerensk", "marten hollis"}));
  EXPECT_EQ(features.day, parse_day("2031-04-26"));
  EXPECT_EQ(features.title, "Meetings");
  EXPECT_EQ(features.years, (std::vector<std::pair<int, float>>{{2031, 1.0f}}));
  article.title = "Floods of 1998 and 2031";
  article.text = "In 2031, not 20311 or A2031 or 1850; 2030-31 season and 2031.";
  EXPECT_EQ(make_features(article, analysis).years,
            (std::vector<std::pair<int, float>>{{1998, 2.0f}, {2030, 1.0f}, {2031, 4.0f}}));
  article.title = "Meetings";
  article.text = "The meeting was held in 2031 at 10 and it went on; ok, the envoys met.";

  analysis.event_date = "2031-04-25";
  EXPECT_EQ(make_features(article, analysis).day, parse_day("2031-04-25"));
  article.published.clear();
  analysis.event_date.clear();
  EXPECT_EQ(make_features(article, analysis).day, kUnknownDay);
}

// Phrases: adjacent kept stems (a stop word or a figure breaks the pair) and figures, kept
// apart from the terms so that storylines never see them.
TEST(ClusterFeatures, PhrasesAreAdjacentWordPairsAndFigures) {
  Article article;
  article.title = "Quake shakes Velmora";
  article.text = "A magnitude 6.1 quake shook the coast of Velmora; 1,200 homes were damaged.";
  article.language = "en";
  const Features features = make_features(article, Analysis{});
  std::map<std::string, float> phrases(features.phrases.begin(), features.phrases.end());
  std::map<std::string, float> terms(features.terms.begin(), features.terms.end());
  EXPECT_FLOAT_EQ(phrases["shake velmora"], 2.0f);  // title words count twice
  EXPECT_FLOAT_EQ(phrases["quak shook"], 1.0f);
  EXPECT_FLOAT_EQ(phrases["6.1"], 1.0f);
  EXPECT_FLOAT_EQ(phrases["1,200"], 1.0f);
  EXPECT_EQ(phrases.count("shook coast"), 0u);    // "the" between them
  EXPECT_EQ(phrases.count("magnitud quak"), 0u);  // the figure between them
  EXPECT_EQ(terms.count("6.1"), 0u);
  EXPECT_EQ(terms.count("1,200"), 0u);
  EXPECT_FLOAT_EQ(terms["velmora"], 3.0f);
}

TEST(ClusterFeatures, OtherLanguagesAreStemmedInTheirOwnLanguage) {
  Article article;
  article.language = "de";
  article.text = "Die Verhandlungen über den Waffenstillstand wurden fortgesetzt.\nVerhandlung";
  const Features german = make_features(article, Analysis{});
  std::map<std::string, float> terms(german.terms.begin(), german.terms.end());
  EXPECT_EQ(terms.count("die"), 0u);
  EXPECT_EQ(terms.count("wurden"), 0u);
  EXPECT_FLOAT_EQ(terms["verhandl"], 2.0f);  // singular and plural meet in one stem
  EXPECT_EQ(german.title, "Die Verhandlungen über den Waffenstillstand wurden fortgesetzt.");

  article.language = "zh";  // no stemmer: words kept as they are, ideographs not dropped
  article.text = "停火 谈判";
  const Features chinese = make_features(article, Analysis{});
  EXPECT_EQ(chinese.terms.size(), 2u);
}

TEST(ClusterFeatures, BadInputGivesBestEffort) {
  Article article;
  article.text = std::string("fire \xFF\xFE harbour \xC3 warehouses ") + std::string(3, '\0');
  article.language = "un";
  const Features features = make_features(article, Analysis{});
  std::map<std::string, float> terms(features.terms.begin(), features.terms.end());
  EXPECT_EQ(terms.count("fire"), 1u);
  EXPECT_EQ(terms.count("harbour"), 1u);
  EXPECT_EQ(terms.count("warehous"), 1u);

  Clusterer clusterer;
  const Placement empty = clusterer.add(1, make_features(Article{}, Analysis{}));
  EXPECT_TRUE(empty.new_story);
  const Placement again = clusterer.add(2, make_features(Article{}, Analysis{}));
  EXPECT_TRUE(again.new_story);  // nothing in common: empty articles do not merge
  EXPECT_EQ(clusterer.stories().size(), 2u);
}

// ---- Noise: unrelated articles stay alone ---------------------------------------------------

struct StreamItem {
  const char* title;
  const char* text;
  std::vector<EntitySpec> entities;
};

// Two made-up events (a dam breach in Brenholt, the recall of Corvane heart pumps), three
// outlets each, and unrelated articles of the same day: a recipe, a match report, a concert
// review, a telescope finding, a phone review. The concert review is credited to the same
// outlet as a dam article and names the same town (an extractor's stray entities), and shares
// almost no words with it; the match report shares generic words ("water", "town", "night").
std::vector<StreamItem> noise_stream() {
  const std::vector<EntitySpec> dam = {
      {"brenholt", kLoc}, {"sarn river", kLoc}, {"ilse marwick", kPer}, {"harbor courier", kOrg}};
  const std::vector<EntitySpec> pumps = {
      {"corvane medical", kOrg}, {"pulsewell", kOrg}, {"tomas reyder", kPer}};
  return {
      {"Dam breach floods Brenholt, hundreds evacuated",
       "The old earth dam above Brenholt gave way before dawn on Tuesday, sending the Sarn river "
       "through the lower town. Mayor Ilse Marwick said 400 residents were evacuated to the "
       "school gym and that two people were missing. Engineers had warned last spring that the "
       "dam spillway was cracked. Rescue boats searched flooded streets through the morning.",
       dam},
      {"Brenholt residents return to mud after dam collapse",
       "Residents of Brenholt waded back into mud-filled homes on Wednesday, a day after the "
       "dam on the Sarn river collapsed and flooded the lower town. Mayor Ilse Marwick said the "
       "two missing people had been found alive in an attic. The dam's spillway cracks were "
       "reported to the regional water board a year ago, engineers said, but repairs never began.",
       dam},
      {"Questions over cracked spillway after Brenholt dam failure",
       "Engineers who inspected the Brenholt dam last year said they had flagged the cracked "
       "spillway, as evacuated families waited to go home after the Sarn river flood. Mayor Ilse "
       "Marwick demanded an inquiry into why repairs to the dam were delayed. The flood reached "
       "the school and the old mill in the lower town.",
       dam},
      {"Corvane recalls Pulsewell heart pumps over battery fault",
       "Corvane Medical is recalling 12,000 Pulsewell heart pumps after finding that a battery "
       "fault can stop the implanted pump without warning. Chief executive Tomas Reyder said "
       "patients should not remove the devices but should see their cardiologist for a battery "
       "check. Regulators said three patients were harmed before the recall.",
       pumps},
      {"Pulsewell pump recall: what patients need to know",
       "Patients with a Pulsewell heart pump should book a battery check, Corvane Medical said "
       "as it widened the recall of the implanted pumps. Tomas Reyder, the company's chief "
       "executive, apologised to patients and said a software update would warn of a failing "
       "battery. Cardiologists said the recall would strain clinics.",
       pumps},
      {"Regulator reviews Corvane heart pump approvals after recall",
       "The medical devices regulator is reviewing how it approved the Pulsewell heart pump, "
       "after Corvane Medical recalled thousands of the implanted pumps over a battery fault. "
       "Tomas Reyder said Corvane would pay for every patient's battery check and replacement.",
       pumps},
      {"Slow-roasted tomato soup for cold evenings",
       "Halve two kilos of ripe tomatoes, drizzle them with olive oil and roast them slowly with "
       "garlic and thyme until they collapse. Blend with stock, season with salt and a pinch of "
       "sugar, and finish the soup with cream and torn basil. It keeps for three days.",
       {{"basil", kOrg}}},
      {"Late header sends Ostrava Rovers top of the league",
       "A header from captain Jonas Pell in the final minute gave Ostrava Rovers a 2-1 win over "
       "Fennick Town on a wet night, lifting them to the top of the table. The pitch took on "
       "water in the second half and the referee twice stopped play. Fennick's manager said the "
       "town would remember the defeat.",
       {{"ostrava rovers", kOrg}, {"jonas pell", kPer}, {"fennick town", kOrg}}},
      {"The Lantern Quartet's farewell tour opens in style",
       "The Lantern Quartet opened its farewell tour with a two-hour set of old favourites, the "
       "violins bright and the cello warm under the theatre's new lights. The encore, a slow "
       "waltz, had the audience on its feet. Tickets for the remaining dates sold out within "
       "hours.",
       {{"harbor courier", kOrg}, {"brenholt", kLoc}}},
      {"Telescope spots water vapour around a distant ice moon",
       "Astronomers using the Keldane telescope detected water vapour above the surface of a "
       "distant ice moon, suggesting plumes from a buried ocean. The signal appeared in two of "
       "seven observations, the team wrote, and will be checked by a probe arriving next decade.",
       {{"keldane", kOrg}}},
      {"Review: the Nimbus 7 phone has a battery that lasts two days",
       "The Nimbus 7 is a heavy phone, but its battery comfortably lasts two days and its camera "
       "handles night scenes well. The screen is dim outdoors and the charger is sold "
       "separately. For most people it is the best mid-range phone this year.",
       {{"nimbus", kOrg}}},
  };
}

// No dates, as in the benchmark: the time windows cannot keep anything apart.
Features stream_features(const StreamItem& item) {
  Article article;
  article.title = item.title;
  article.text = item.text;
  article.language = "en";
  return make_features(article, analysis_with(item.entities, ""));
}

TEST(ClusterNoise, UnrelatedArticlesStayAloneInEveryOrder) {
  const std::vector<StreamItem> items = noise_stream();
  std::vector<Features> features;
  for (const auto& item : items) features.push_back(stream_features(item));
  const std::set<int64_t> dam = {0, 1, 2};
  const std::set<int64_t> pumps = {3, 4, 5};
  std::vector<int64_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int64_t>(i);
  std::mt19937 shuffle(7);
  for (int round = 0; round < 6; ++round) {
    Clusterer clusterer;
    for (int64_t id : order) clusterer.add(id, features[id]);
    const Partition stories = story_partition(clusterer);
    const Partition storylines = storyline_partition(clusterer);
    EXPECT_EQ(stories.count(dam), 1u) << "round " << round;
    EXPECT_EQ(stories.count(pumps), 1u) << "round " << round;
    for (int64_t id = 6; id < static_cast<int64_t>(items.size()); ++id) {
      EXPECT_EQ(stories.count({id}), 1u) << items[id].title << ", round " << round;
      EXPECT_EQ(storylines.count({id}), 1u) << items[id].title << ", round " << round;
    }
    std::shuffle(order.begin(), order.end(), shuffle);
  }
}

// The minimum evidence is what keeps the concert review apart: without it, the shared outlet
// and town alone carry it into the dam story.
TEST(ClusterNoise, SharedNamesWithoutSharedWordsDoNotJoin) {
  const std::vector<StreamItem> items = noise_stream();
  for (const bool evidence : {true, false}) {
    Options options;
    if (!evidence) options.story_min_term_similarity = 0;
    Clusterer clusterer(options);
    const Placement dam = clusterer.add(0, stream_features(items[0]));
    const Placement concert = clusterer.add(8, stream_features(items[8]));
    EXPECT_EQ(concert.new_story, evidence);
    if (!evidence) EXPECT_EQ(concert.story_id, dam.story_id);
  }
}

// A long thread collects more distinct words than a storyline centroid keeps (kStorylineTerms,
// 2,048, pruned at twice that): two threads of 120 events each, every report with a few words
// of its own. Once the centroids were pruned, reports still go to their own thread, the two
// threads stay apart, and a report of a new event of each joins its thread.
Features thread_report(int thread, int event, int report) {
  static const std::vector<std::vector<std::pair<std::string, float>>> kThreadWords = {
      {{"drought", 3.0f},
       {"reservoir", 3.0f},
       {"varnel", 3.0f},
       {"ration", 2.0f},
       {"irrig", 2.0f},
       {"harvest", 2.0f}},
      {{"elect", 3.0f},
       {"ballot", 3.0f},
       {"corvala", 3.0f},
       {"candid", 2.0f},
       {"campaign", 2.0f},
       {"poll", 2.0f}}};
  Features features;
  features.terms = kThreadWords[thread];
  const std::string event_tag = "t" + std::to_string(thread) + "e" + std::to_string(event);
  features.terms.emplace_back(event_tag + "alpha", 2.0f);
  features.terms.emplace_back(event_tag + "beta", 2.0f);
  for (int k = 0; k < 12; ++k)  // words of this report alone (names, quotes, details)
    features.terms.emplace_back(event_tag + "r" + std::to_string(report) + "w" + std::to_string(k),
                                1.0f);
  std::sort(features.terms.begin(), features.terms.end());
  features.entities = {thread == 0 ? "varnel" : "corvala"};
  features.day = 20000 + event / 3;  // three events a day, 40 days
  return features;
}

TEST(ClusterScale, PrunedStorylineCentroidsStillPlaceArticles) {
  constexpr int kEvents = 120, kReports = 3;
  Clusterer clusterer;
  std::map<int64_t, int> thread_of;  // article id -> thread
  int64_t id = 0;
  for (int event = 0; event < kEvents; ++event) {
    for (int report = 0; report < kReports; ++report) {
      for (int thread = 0; thread < 2; ++thread) {
        thread_of[++id] = thread;
        clusterer.add(id, thread_report(thread, event, report));
      }
    }
  }
  // Each thread holds 120 * (2 + 3 * 12) = 4,560 words of its own plus its six: its centroid
  // reached the pruning size (4,096) and keeps 2,048.
  std::map<int64_t, std::set<int>> threads_in_storyline;
  std::map<int, std::set<int64_t>> storylines_of_thread;
  for (const Story& story : clusterer.stories()) {
    for (int64_t article : story.articles) {
      threads_in_storyline[story.storyline_id].insert(thread_of[article]);
      storylines_of_thread[thread_of[article]].insert(story.storyline_id);
    }
  }
  for (const auto& [storyline, threads] : threads_in_storyline)
    EXPECT_EQ(threads.size(), 1u) << "storyline " << storyline << " mixes the threads";
  EXPECT_EQ(storylines_of_thread[0].size(), 1u);
  EXPECT_EQ(storylines_of_thread[1].size(), 1u);
  for (int thread = 0; thread < 2; ++thread) {
    const Placement next = clusterer.add(++id, thread_report(thread, kEvents, 0));
    EXPECT_FALSE(next.new_storyline);
    EXPECT_EQ(next.storyline_id, *storylines_of_thread[thread].begin());
  }
}

// A story of thousands of reports (a live blog, a family of near-alike releases) sums more
// distinct word pairs than its phrase centroid keeps (kStoryPhrases, 8,192, pruned at twice
// that): 1,500 reports of one event, each with twelve word pairs of its own. The saved story
// holds at most the pruning size, every report joined the one story, and a later report still
// joins it.
Features live_report(int report) {
  Features features;
  features.terms = {{"flood", 3.0f}, {"levee", 3.0f}, {"dunmere", 3.0f},
                    {"evacu", 2.0f}, {"river", 2.0f}, {"rescu", 2.0f}};
  features.phrases = {{"dunmer levee", 2.0f}, {"river crest", 2.0f}, {"evacu order", 1.0f}};
  for (int k = 0; k < 12; ++k)  // details of this report alone
    features.phrases.emplace_back("r" + std::to_string(report) + " w" + std::to_string(k), 1.0f);
  std::sort(features.terms.begin(), features.terms.end());
  std::sort(features.phrases.begin(), features.phrases.end());
  features.entities = {"dunmere"};
  features.day = 20100;
  return features;
}

TEST(ClusterScale, BigStoryKeepsABoundedPhraseCentroid) {
  constexpr int kReports = 1500;  // 18,000 phrases of single reports, over 2 * 8,192
  Clusterer clusterer;
  std::set<int64_t> stories;
  for (int report = 0; report < kReports; ++report)
    stories.insert(clusterer.add(report + 1, live_report(report)).story_id);
  EXPECT_EQ(stories.size(), 1u);
  const nlohmann::json state = clusterer.save();
  ASSERT_EQ(state["stories"].size(), 1u);
  const auto& phrases = state["stories"][0]["phrases"];
  EXPECT_LT(phrases.size(), 2u * 8192u);
  // The phrases every report shares are the heaviest and survive every pruning.
  EXPECT_TRUE(phrases.contains("dunmer levee"));
  EXPECT_TRUE(phrases.contains("river crest"));
  EXPECT_EQ(clusterer.add(kReports + 1, live_report(kReports)).story_id, *stories.begin());
}

// Two quakes of one kind: a second report of the first quake shares its word pairs and figures,
// a report of another quake shares most of its words but not those. Phrases widen the gap
// between the two at the event level, and a saved state continues with the same phrases.
Features quake_report(const char* title, const char* text) {
  Article article;
  article.title = title;
  article.text = text;
  article.language = "en";
  return make_features(article, Analysis{});
}

TEST(ClusterPhrases, WordPairsAndFiguresSetAnotherEventApart) {
  const Features first = quake_report(
      "Magnitude 6.1 quake destroys homes in Velmora",
      "Rescue teams searched collapsed buildings in Velmora after a magnitude 6.1 quake "
      "destroyed 1,200 homes near the old harbour on Tuesday. Harbour master Ida Renk said "
      "aftershocks slowed the search.");
  const Features same_event = quake_report(
      "Velmora quake: 1,200 homes destroyed",
      "A magnitude 6.1 quake destroyed 1,200 homes in Velmora. Rescue teams searched collapsed "
      "buildings near the old harbour, and harbour master Ida Renk said aftershocks slowed "
      "them.");
  const Features other_event = quake_report(
      "Quake destroys homes near Velmora harbour",
      "Homes destroyed and buildings collapsed as a magnitude 5.4 quake hit the hills above "
      "Velmora; 300 teams searched for survivors. Aftershocks near the harbour slowed rescue "
      "work, mayor Tomas Vell said.");
  auto similarity = [&](const Features& second, double phrase_weight) {
    Options options;
    options.phrase_weight = phrase_weight;
    options.story_threshold = 0.01;  // both join, so the placement reports the similarity
    options.story_min_term_similarity = 0;
    Clusterer clusterer(options);
    clusterer.add(1, first);
    const Placement placement = clusterer.add(2, second);
    EXPECT_FALSE(placement.new_story);
    return placement.story_similarity;
  };
  const double words_same = similarity(same_event, 0);
  const double words_other = similarity(other_event, 0);
  const double phrases_same = similarity(same_event, 0.3);
  const double phrases_other = similarity(other_event, 0.3);
  EXPECT_GT(words_same, words_other);
  EXPECT_GT(phrases_same, phrases_other);
  EXPECT_GT(phrases_same - phrases_other, words_same - words_other);
  EXPECT_LT(phrases_other, words_other);

  // Saved and loaded (whole state or rows), the clusterer scores the next article alike.
  Options options;
  options.phrase_weight = 0.3;
  options.story_threshold = 0.01;
  options.story_min_term_similarity = 0;
  Clusterer clusterer(options);
  clusterer.add(1, first);
  clusterer.add(2, same_event);
  auto whole = Clusterer::load(clusterer.save(), options);
  auto rows = Clusterer::load_rows(clusterer.take_changes(true).rows, options);
  ASSERT_TRUE(whole.has_value());
  ASSERT_TRUE(rows.has_value());
  const double expected = clusterer.add(3, other_event).story_similarity;
  EXPECT_LT(expected, words_other);
  EXPECT_NEAR(whole->add(3, other_event).story_similarity, expected, 1e-9);
  EXPECT_NEAR(rows->add(3, other_event).story_similarity, expected, 1e-9);
}

// Phrases are event detail: they do not change which storyline a new story links into.
TEST(ClusterPhrases, StorylineLinksIgnorePhrases) {
  const Features first = quake_report(
      "Magnitude 6.1 quake destroys homes in Velmora",
      "Rescue teams searched collapsed buildings in Velmora after a magnitude 6.1 quake "
      "destroyed 1,200 homes near the old harbour.");
  const Features later = quake_report(
      "Velmora rebuilds homes destroyed by quake",
      "Builders began rebuilding homes in Velmora that the quake destroyed, as rescue teams "
      "left the harbour and collapsed buildings were cleared.");
  std::vector<double> links;
  for (const double phrase_weight : {0.0, 0.3}) {
    Options options;
    options.phrase_weight = phrase_weight;
    options.story_threshold = 0.9;  // the later article is a story of its own
    Clusterer clusterer(options);
    const Placement a = clusterer.add(1, first);
    const Placement b = clusterer.add(2, later);
    EXPECT_TRUE(b.new_story);
    EXPECT_EQ(b.storyline_id, a.storyline_id);
    links.push_back(b.storyline_similarity);
  }
  EXPECT_NEAR(links[0], links[1], 1e-9);
}

// ---- Re-placing members after a story grows (Options::story_replace) ----------------------

Features dated_report(const char* published, const char* title, const char* text) {
  Article article;
  article.title = title;
  article.text = text;
  article.language = "en";
  article.published = published;
  return make_features(article, Analysis{});
}

// A quake (two reports on rescue in town), then an aftershock that cracks a dam above the town.
// The fourth report, on the rescue search going on, arrives when the dam story holds only its
// first report (which also names the quake's destroyed homes) and joins it; once the dam story
// has grown it is plainly the dam story's odd one out, and moves to the rescue story.
std::vector<Features> quake_and_dam() {
  return {
      dated_report("2031-05-06", "Magnitude 6.1 quake destroys homes in Velmora",
                   "Rescue teams searched collapsed buildings in Velmora after a magnitude 6.1 "
                   "quake destroyed 1,200 homes near the old town on Tuesday. Mayor Tomas Vell "
                   "said survivors were taken to the sports hall."),
      dated_report("2031-05-06", "Velmora quake leaves 1,200 homes destroyed",
                   "A magnitude 6.1 quake destroyed 1,200 homes in Velmora on Tuesday. Rescue "
                   "teams searched collapsed buildings in the old town and survivors were taken "
                   "to the sports hall, mayor Tomas Vell said."),
      dated_report("2031-05-08", "Aftershock cracks Orlen dam above Velmora",
                   "A magnitude 5.2 aftershock cracked the Orlen dam above Velmora on Thursday, "
                   "two days after the quake destroyed homes in the town, and engineers ordered "
                   "the valley villages evacuated. Dam inspector Mira Sollen said water was "
                   "seeping through the crack."),
      dated_report("2031-05-08", "Rescue search in Velmora goes on as aftershock shakes town",
                   "Two days after the quake destroyed homes in Velmora, a magnitude 5.2 "
                   "aftershock shook the town again. Rescue teams in the old town paused the "
                   "search for survivors; engineers checked the Orlen dam for a crack and the "
                   "valley villages were told to be ready."),
      dated_report("2031-05-08", "Villages evacuated as Orlen dam seeps after aftershock",
                   "Engineers ordered the valley villages below the Orlen dam evacuated after the "
                   "magnitude 5.2 aftershock cracked the dam wall. Dam inspector Mira Sollen said "
                   "water was seeping through the crack above Velmora."),
      dated_report("2031-05-09", "Orlen dam crack widens, more villages evacuated",
                   "The crack in the Orlen dam wall widened overnight after Thursday's magnitude "
                   "5.2 aftershock, and engineers evacuated two more valley villages below "
                   "Velmora. Inspector Mira Sollen said the water seeping through was rising."),
      dated_report("2031-05-09", "Engineers race to drain Orlen dam after aftershock",
                   "Engineers began draining the Orlen dam above Velmora as water kept seeping "
                   "through the crack the magnitude 5.2 aftershock opened. The valley villages "
                   "stay evacuated, dam inspector Mira Sollen said."),
  };
}

// The quake again, and a report on the harbour closed by it that arrives when the quake story
// holds one report and starts a story of its own; two reports naming both follow.
std::vector<Features> quake_and_harbour() {
  return {
      dated_report("2031-05-06", "Magnitude 6.1 quake destroys homes in Velmora",
                   "Rescue teams searched collapsed buildings in Velmora after a magnitude 6.1 "
                   "quake destroyed 1,200 homes near the old town on Tuesday. Mayor Tomas Vell "
                   "said aftershocks slowed the search for survivors."),
      dated_report("2031-05-06", "Velmora harbour closed, ferries halted after quake",
                   "The Velmora harbour was closed and all ferries to the islands were halted "
                   "after the quake cracked the main pier, harbour master Ida Renk said. "
                   "Stranded passengers waited at the ferry terminal."),
      dated_report("2031-05-07", "Velmora quake: 1,200 homes destroyed, harbour shut",
                   "A magnitude 6.1 quake destroyed 1,200 homes in Velmora and cracked the main "
                   "pier of the harbour. Rescue teams searched collapsed buildings while ferries "
                   "to the islands were halted, harbour master Ida Renk said."),
      dated_report("2031-05-07", "Survivors pulled from rubble in Velmora, ferries halted",
                   "Rescue teams pulled survivors from collapsed buildings a day after the "
                   "magnitude 6.1 quake destroyed 1,200 homes in Velmora. Ferries stayed halted "
                   "as the cracked pier of the harbour was inspected; passengers waited at the "
                   "terminal."),
  };
}

std::set<std::set<int64_t>> story_sets(const Clusterer& clusterer) {
  std::set<std::set<int64_t>> out;
  for (const Story& story : clusterer.stories())
    out.insert(std::set<int64_t>(story.articles.begin(), story.articles.end()));
  return out;
}

TEST(ClusterReplace, AnArticleInTheWrongSiblingMovesOnceThatStoryGrows) {
  const std::vector<Features> reports = quake_and_dam();
  auto run = [&](int replace, Clusterer::Changes* changes) {
    Options options;
    options.story_replace = replace;
    Clusterer clusterer(options);
    for (std::size_t i = 0; i < reports.size(); ++i) {
      const Placement placement = clusterer.add(static_cast<int64_t>(i + 1), reports[i]);
      if (i == 3) EXPECT_EQ(placement.story_id, 2);  // the rescue report joins the dam story
    }
    if (changes) *changes = clusterer.take_changes();
    return story_sets(clusterer);
  };
  Clusterer::Changes changes;
  EXPECT_EQ(run(2, &changes), (std::set<std::set<int64_t>>{{1, 2, 4}, {3, 5, 6, 7}}));
  ASSERT_EQ(changes.regrouped.size(), 1u);
  const auto& [article, placement] = changes.regrouped[0];
  EXPECT_EQ(article, 4);
  EXPECT_EQ(placement.story_id, 1);
  EXPECT_EQ(placement.replaced_from_story, 2);
  EXPECT_GE(placement.story_similarity, Options().story_threshold);
  // What ties it to the rescue story it moved to, not to the dam story it left.
  EXPECT_NE(std::find(placement.shared_terms.begin(), placement.shared_terms.end(), "rescu"),
            placement.shared_terms.end());
  EXPECT_TRUE(changes.removed_stories.empty());
  // Disabled: it stays where it was placed.
  EXPECT_EQ(run(0, nullptr), (std::set<std::set<int64_t>>{{1, 2}, {3, 4, 5, 6, 7}}));
}

TEST(ClusterReplace, ASmallSiblingFoldsIntoTheGrownStory) {
  const std::vector<Features> reports = quake_and_harbour();
  // Links changed in place since the take before (each take is a checkpoint).
  std::vector<std::pair<std::size_t, StorylineLink>> relinked;
  auto run = [&](int replace, Clusterer::Changes* changes) {
    Options options;
    options.story_replace = replace;
    Clusterer clusterer(options);
    for (std::size_t i = 0; i < reports.size(); ++i) {
      clusterer.add(static_cast<int64_t>(i + 1), reports[i]);
      Clusterer::Changes taken = clusterer.take_changes();
      for (const auto& change : taken.storylines)
        relinked.insert(relinked.end(), change.relinked.begin(), change.relinked.end());
      if (changes) {
        changes->removed_stories.insert(changes->removed_stories.end(),
                                        taken.removed_stories.begin(), taken.removed_stories.end());
        changes->regrouped.insert(changes->regrouped.end(), taken.regrouped.begin(),
                                  taken.regrouped.end());
        changes->stories = std::move(taken.stories);
      }
    }
    for (const Storyline& storyline : clusterer.storylines()) {
      for (int64_t story_id : storyline.stories) EXPECT_NE(story_id, replace > 0 ? 2 : 0);
      for (const StorylineLink& link : storyline.links) {
        EXPECT_NE(link.from_story, replace > 0 ? 2 : 0);
        EXPECT_NE(link.to_story, replace > 0 ? 2 : 0);
        EXPECT_NE(link.from_story, link.to_story);
      }
    }
    return story_sets(clusterer);
  };
  Clusterer::Changes changes;
  EXPECT_EQ(run(2, &changes), (std::set<std::set<int64_t>>{{1, 2, 3, 4}}));
  // The link that joined the harbour story to the quake's now joins the quake story to itself:
  // it went, and is written as that one changed link, not as the storyline rewritten.
  ASSERT_EQ(relinked.size(), 1u);
  EXPECT_EQ(relinked[0].first, 0u);
  EXPECT_EQ(relinked[0].second.from_story, relinked[0].second.to_story);
  relinked.clear();
  EXPECT_EQ(changes.removed_stories, std::vector<int64_t>{2});
  for (const Story& story : changes.stories) EXPECT_NE(story.id, 2);
  ASSERT_EQ(changes.regrouped.size(), 1u);
  EXPECT_EQ(changes.regrouped[0].first, 2);
  EXPECT_EQ(changes.regrouped[0].second.story_id, 1);
  EXPECT_EQ(changes.regrouped[0].second.replaced_from_story, 2);
  EXPECT_EQ(run(0, nullptr), (std::set<std::set<int64_t>>{{1, 3, 4}, {2}}));
  EXPECT_TRUE(relinked.empty());
}

// After moves (and an emptied story), each story's sums are those of its articles, and the
// saved state, whole or as the rows of every take, loads to the same state and continues alike.
TEST(ClusterReplace, MovedStateSavesAndLoadsTheSame) {
  for (const auto& reports : {quake_and_dam(), quake_and_harbour()}) {
    Clusterer clusterer;
    std::map<std::string, nlohmann::json> rows;
    bool moved = false;
    for (std::size_t i = 0; i < reports.size(); ++i) {
      clusterer.add(static_cast<int64_t>(i + 1), reports[i]);
      Clusterer::Changes changes = clusterer.take_changes();
      moved |= !changes.regrouped.empty();
      for (const std::string& name : changes.deleted_rows) rows.erase(name);
      for (auto& [name, value] : changes.rows) rows[name] = std::move(value);
    }
    EXPECT_TRUE(moved);

    // Recomputed from the members (each article as it was summed), the sums are the same.
    const nlohmann::json state = clusterer.save();
    for (const auto& story : state["stories"]) {
      const auto& members = story["members"];
      ASSERT_EQ(members.size(), story["articles"].size());
      std::map<std::string, double> terms, phrases;
      std::map<std::string, int> entities;
      for (std::size_t k = 0; k < members.size(); ++k) {
        EXPECT_EQ(members[k]["article"], story["articles"][k]);
        for (const auto& [term, weight] : members[k]["terms"].items())
          terms[term] += weight.get<double>();
        for (const auto& [phrase, weight] : members[k]["phrases"].items())
          phrases[phrase] += weight.get<double>();
        for (const auto& entity : members[k]["entities"]) ++entities[entity.get<std::string>()];
      }
      EXPECT_EQ(story["terms"].size(), terms.size()) << story["id"];
      for (const auto& [term, weight] : terms)
        EXPECT_NEAR(story["terms"].value(term, -1.0), weight, 1e-9) << term;
      EXPECT_EQ(story["phrases"].size(), phrases.size()) << story["id"];
      for (const auto& [phrase, weight] : phrases)
        EXPECT_NEAR(story["phrases"].value(phrase, -1.0), weight, 1e-9) << phrase;
      EXPECT_EQ(story["entities"].size(), entities.size());
    }

    auto whole = Clusterer::load(state);
    auto from_rows = Clusterer::load_rows({rows.begin(), rows.end()});
    ASSERT_TRUE(whole.has_value()) << whole.error().to_string();
    ASSERT_TRUE(from_rows.has_value()) << from_rows.error().to_string();
    EXPECT_EQ(whole->save(), state);
    EXPECT_EQ(from_rows->save(), state);
    EXPECT_EQ(story_sets(*from_rows), story_sets(clusterer));
    EXPECT_EQ(whole->storylines().size(), clusterer.storylines().size());
    // A later report on the first event: the same story, and the same similarity from both
    // loaded states (the live clusterer may still hold a story norm cached one article ago,
    // within kNormRefreshGrowth, so it is compared by story only).
    const Features& next = reports.front();
    const Placement expected = clusterer.add(100, next);
    const Placement from_whole = whole->add(100, next);
    const Placement loaded = from_rows->add(100, next);
    EXPECT_EQ(from_whole.story_id, expected.story_id);
    EXPECT_EQ(loaded.story_id, expected.story_id);
    EXPECT_NEAR(loaded.story_similarity, from_whole.story_similarity, 1e-9);
    EXPECT_EQ(story_sets(*from_rows), story_sets(clusterer));
  }
}

}  // namespace
}  // namespace storyline::cluster
