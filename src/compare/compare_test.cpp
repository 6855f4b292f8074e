#include "compare/compare.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace storyline::compare {
namespace {

Entity entity(const std::string& name, const std::string& key, EntityType type) {
  Entity e;
  e.name = name;
  e.key = key;
  e.type = type;
  e.aliases = {name};
  e.mention_count = 1;
  return e;
}

Figure figure(FigureKind kind, double value, const std::string& unit, const std::string& text) {
  Figure f;
  f.kind = kind;
  f.value = value;
  f.unit = unit;
  f.text = text;
  return f;
}

Quote quote(const std::string& speaker, int speaker_entity, const std::string& text) {
  Quote q;
  q.speaker = speaker;
  q.speaker_entity = speaker_entity;
  q.text = text;
  q.cue = "said";
  return q;
}

DateMention date(const std::string& text, const std::string& value) {
  DateMention d;
  d.text = text;
  d.value = value;
  return d;
}

const Conflict* find_conflict(const Comparison& comparison, const std::string& topic) {
  for (const auto& conflict : comparison.conflicts) {
    if (conflict.topic == topic) return &conflict;
  }
  return nullptr;
}

const Fact* find_fact(const Comparison& comparison, const std::string& kind,
                      const std::string& key) {
  for (const auto& fact : comparison.facts) {
    if (fact.kind == kind && fact.key == key) return &fact;
  }
  return nullptr;
}

// Fictional storyline: two outlets on the fourth envoy meeting in Kerensk (story 1), one on
// the third meeting in Port Silvan two weeks earlier (story 2).
class CompareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    herald_.page_id = "herald-1";
    herald_.source = "Aldoria Herald";
    herald_.published = "2031-04-26";
    herald_analysis_.event_date = "2031-04-25";
    herald_analysis_.entities = {entity("Marten Hollis", "marten hollis", EntityType::kPerson),
                                 entity("Ilya Varkov", "ilya varkov", EntityType::kPerson),
                                 entity("Dorian Kell", "dorian kell", EntityType::kPerson),
                                 entity("Kerensk", "kerensk", EntityType::kLocation)};
    herald_analysis_.figures = {figure(FigureKind::kOrdinal, 4, "meeting", "fourth meeting"),
                                figure(FigureKind::kCount, 14, "people", "at least 14 people")};
    herald_analysis_.quotes = {
        quote("Dorian Kell", 2, "We are very close to a deal and both sides know it.")};
    herald_analysis_.dates = {date("yesterday", "2031-04-25")};

    wire_.page_id = "wire-77";
    wire_.url = "https://www.vesnarwire.example/world/talks";  // no source: the host stands in
    wire_.published = "2031-04-25T18:00:00Z";
    wire_analysis_.event_date = "2031-04-25";
    wire_analysis_.entities = {entity("Hollis", "marten hollis", EntityType::kPerson),
                               entity("Ilya Varkov", "ilya varkov", EntityType::kPerson),
                               entity("Teodor Brask", "teodor brask", EntityType::kPerson)};
    wire_analysis_.figures = {figure(FigureKind::kOrdinal, 4, "talks", "fourth round of talks"),
                              figure(FigureKind::kCount, 16, "dead", "16 dead")};
    wire_analysis_.quotes = {
        quote("Kell", -1, "We are very close to a deal, and everyone knows that.")};
    wire_analysis_.dates = {date("Friday", "2031-04-25")};

    courier_.page_id = "courier-9";
    courier_.source = "Silvan Courier";
    courier_.published = "2031-04-12";
    courier_.dateline = "Port Silvan";
    courier_analysis_.event_date = "2031-04-11";
    courier_analysis_.entities = {
        entity("Marten Hollis", "marten hollis", EntityType::kPerson),
        entity("President Ilya Varkov", "ilya varkov", EntityType::kPerson),
        entity("Port Silvan", "port silvan", EntityType::kLocation)};
    courier_analysis_.figures = {figure(FigureKind::kOrdinal, 3, "visit", "third visit"),
                                 figure(FigureKind::kDuration, 4, "hours", "four hours")};
    courier_analysis_.dates = {date("on Friday", "2031-04-11")};

    reports_ = {{101, 1, &herald_, &herald_analysis_},
                {102, 1, &wire_, &wire_analysis_},
                {201, 2, &courier_, &courier_analysis_}};
  }

  Article herald_, wire_, courier_;
  Analysis herald_analysis_, wire_analysis_, courier_analysis_;
  std::vector<Report> reports_;
};

TEST_F(CompareTest, SourcesFallBackFromOutletToHost) {
  const Comparison view = compare(reports_);
  EXPECT_EQ(view.sources,
            (std::vector<std::string>{"Aldoria Herald", "Silvan Courier", "vesnarwire.example"}));
}

TEST_F(CompareTest, EntityFactsAreAlignedByKeyAndSharedFirst) {
  const Comparison view = compare(reports_);
  ASSERT_FALSE(view.facts.empty());
  const Fact* hollis = find_fact(view, "entity", "marten hollis");
  ASSERT_NE(hollis, nullptr);
  EXPECT_TRUE(hollis->shared);
  EXPECT_EQ(hollis->sources.size(), 3u);
  EXPECT_EQ(hollis->label, "Marten Hollis");
  EXPECT_EQ(hollis->sources.at("vesnarwire.example"), (std::vector<int64_t>{102}));
  const Fact* varkov = find_fact(view, "entity", "ilya varkov");
  ASSERT_NE(varkov, nullptr);
  EXPECT_EQ(varkov->label, "President Ilya Varkov");  // the longest proper form

  const Fact* brask = find_fact(view, "entity", "teodor brask");
  ASSERT_NE(brask, nullptr);
  EXPECT_FALSE(brask->shared);
  // Every shared fact precedes every unshared one, and wider ones come first.
  const auto first_unshared =
      std::find_if(view.facts.begin(), view.facts.end(), [](const Fact& f) { return !f.shared; });
  EXPECT_TRUE(
      std::all_of(first_unshared, view.facts.end(), [](const Fact& f) { return !f.shared; }));
  EXPECT_EQ(view.facts.front().sources.size(), 3u);
}

TEST_F(CompareTest, FigureAndDateFactsAreKeyedByValue) {
  const Comparison view = compare(reports_);
  const Fact* fourth = find_fact(view, "figure", "ordinal|meeting|4");
  ASSERT_NE(fourth, nullptr);  // "fourth meeting" and "fourth round of talks" align
  EXPECT_TRUE(fourth->shared);
  const Fact* friday = find_fact(view, "date", "2031-04-25");
  ASSERT_NE(friday, nullptr);
  EXPECT_TRUE(friday->shared);
  const Fact* earlier = find_fact(view, "date", "2031-04-11");
  ASSERT_NE(earlier, nullptr);
  EXPECT_FALSE(earlier->shared);
}

TEST_F(CompareTest, ThirdVersusFourthMeetingIsDifferentEvents) {
  const Comparison view = compare(reports_);
  const Conflict* meeting = find_conflict(view, "meeting (ordinal)");
  ASSERT_NE(meeting, nullptr);
  EXPECT_EQ(meeting->kind, "figure");
  ASSERT_EQ(meeting->sides.size(), 3u);
  std::vector<std::string> values;
  for (const auto& side : meeting->sides) values.push_back(side.value);
  EXPECT_NE(std::find(values.begin(), values.end(), "third visit"), values.end());
  EXPECT_NE(std::find(values.begin(), values.end(), "fourth meeting"), values.end());
  EXPECT_EQ(meeting->likely_reason.rfind("different events: ", 0), 0u) << meeting->likely_reason;
  EXPECT_NE(meeting->likely_reason.find("2031-04-11, Port Silvan"), std::string::npos);
  EXPECT_NE(meeting->likely_reason.find("2031-04-25"), std::string::npos);
}

TEST_F(CompareTest, SameEventDifferentCountsIsOutletsDisagree) {
  const Comparison view = compare(reports_);
  const Conflict* toll = find_conflict(view, "people (count)");
  ASSERT_NE(toll, nullptr);
  EXPECT_EQ(toll->likely_reason, "outlets disagree");
  ASSERT_EQ(toll->sides.size(), 2u);
}

TEST_F(CompareTest, QuoteWordingThatDiffersIsAConflictOfTheSpeaker) {
  // Same speaker (entity key on one side, surface name on the other) and same opening words.
  wire_analysis_.entities.push_back(entity("Dorian Kell", "dorian kell", EntityType::kPerson));
  wire_analysis_.quotes[0].speaker_entity = 3;
  const Comparison view = compare(reports_);
  const Fact* words = find_fact(view, "quote", "dorian kell|we are very close to a");
  ASSERT_NE(words, nullptr);
  EXPECT_TRUE(words->shared);
  const Conflict* wording = find_conflict(view, "words of dorian kell");
  ASSERT_NE(wording, nullptr);
  EXPECT_EQ(wording->kind, "quote");
  EXPECT_EQ(wording->likely_reason, "outlets disagree");
}

TEST_F(CompareTest, SameStoryDifferentEventDatesIsADateConflict) {
  wire_analysis_.event_date = "2031-04-24";
  const Comparison view = compare(reports_);
  const Conflict* dates = find_conflict(view, "event date of story 1");
  ASSERT_NE(dates, nullptr);
  // Event dates differ, so the reason says so rather than blaming the outlets.
  EXPECT_EQ(dates->likely_reason.rfind("different events: ", 0), 0u);
}

TEST_F(CompareTest, OneOutletNeverConflictsWithItself) {
  // The courier's second article on the same topic with another value, and one article with
  // two values of one topic: neither is a conflict.
  Article follow_up = courier_;
  follow_up.page_id = "courier-10";
  Analysis follow_up_analysis = courier_analysis_;
  follow_up_analysis.figures = {figure(FigureKind::kDuration, 5, "hour", "five hours")};
  herald_analysis_.figures.push_back(figure(FigureKind::kCount, 20, "people", "20 people"));
  std::vector<Report> reports = {{201, 2, &courier_, &courier_analysis_},
                                 {202, 2, &follow_up, &follow_up_analysis},
                                 {101, 1, &herald_, &herald_analysis_}};
  const Comparison view = compare(reports);
  EXPECT_EQ(find_conflict(view, "hour (duration)"), nullptr);
  EXPECT_EQ(find_conflict(view, "people (count)"), nullptr);
  EXPECT_NE(find_conflict(view, "meeting (ordinal)"), nullptr);
}

TEST_F(CompareTest, JsonShape) {
  const nlohmann::json json = to_json(compare(reports_));
  ASSERT_TRUE(json.contains("sources"));
  ASSERT_TRUE(json.contains("facts"));
  ASSERT_TRUE(json.contains("conflicts"));
  EXPECT_EQ(json["sources"].size(), 3u);
  const auto& fact = json["facts"][0];
  EXPECT_TRUE(fact.contains("kind") && fact.contains("key") && fact.contains("label"));
  EXPECT_TRUE(fact["sources"].is_object());
  EXPECT_TRUE(fact["shared"].get<bool>());
  bool found = false;
  for (const auto& conflict : json["conflicts"]) {
    if (conflict["topic"] == "meeting (ordinal)") {
      found = true;
      EXPECT_EQ(conflict["kind"], "figure");
      EXPECT_EQ(conflict["sides"].size(), 3u);
      EXPECT_TRUE(conflict["sides"][0].contains("article_id"));
      EXPECT_TRUE(conflict["likely_reason"].is_string());
    }
  }
  EXPECT_TRUE(found);
  EXPECT_NO_THROW(json.dump());
}

TEST(CompareEdge, EmptyAndMissingPieces) {
  const Comparison empty = compare({});
  EXPECT_TRUE(empty.sources.empty());
  EXPECT_TRUE(empty.facts.empty());
  EXPECT_TRUE(empty.conflicts.empty());

  Article bare;  // no source, url or page id
  const Comparison view = compare({{7, 0, &bare, nullptr}, {8, 0, nullptr, nullptr}});
  EXPECT_EQ(view.sources, (std::vector<std::string>{"article 7", "article 8"}));
  EXPECT_TRUE(view.facts.empty());
  EXPECT_NO_THROW(to_json(view).dump());
}

}  // namespace
}  // namespace storyline::compare
