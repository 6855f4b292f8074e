#include "pipeline/pipeline.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>

namespace storyline::pipeline {
namespace {

// Two outlets report the same fictional event in their own words; a third republishes the
// first report with other boilerplate around it.
const char* kHarborLedger =
    "Marlow Bay council approves flood barrier after two years of debate\n"
    "The council of Marlow Bay voted on Monday to build a flood barrier along the old harbor, "
    "ending two years of argument over its cost and its route through the fishing quarter.\n"
    "Mayor Elena Fairweather said the barrier would protect about 4,000 homes from winter storms "
    "and that construction would begin in the spring.\n"
    "Opponents led by councillor Tomas Reyburn argued that the project, priced at 85 million "
    "euros, would cut the fishing fleet off from the open sea for months.\n"
    "Fairweather said the harbor entrance would stay open during the works.\n";

const char* kNorthwindPost =
    "Flood barrier for Marlow Bay wins council vote\n"
    "Marlow Bay's council backed plans on Monday for a barrier to shield the harbor town from "
    "flooding, after a debate that lasted two years.\n"
    "The 85 million euro barrier will protect around 4,000 homes, Mayor Elena Fairweather told "
    "reporters, adding that work should start in the spring.\n"
    "Councillor Tomas Reyburn, who opposed the plan, said fishing families feared the harbor "
    "would be closed to boats while the barrier is built.\n";

const char* kValleyWire =
    "Desert rally crosses the salt flats of Orvena in record time\n"
    "Drivers in the Orvena desert rally crossed the salt flats on Saturday in record time, as cool "
    "weather let the leading teams push their engines harder than in any previous edition.\n"
    "The winner, Ilse Kadowaki, finished the 300 kilometre stage in under three hours.\n";

Page text_page(std::string id, std::string source, std::string published, std::string text) {
  Page page;
  page.id = std::move(id);
  page.origin = page.id + ".txt";
  page.source = std::move(source);
  page.published = std::move(published);
  page.format = PageFormat::kText;
  page.content = std::move(text);
  return page;
}

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("pipeline_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
  }
  void TearDown() override {
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_.string() + suffix);
  }
  std::unique_ptr<store::Store> open_store() {
    auto store = store::Store::open(path_.string());
    EXPECT_TRUE(store) << store.error().to_string();
    return std::move(*store);
  }
  std::filesystem::path path_;
};

TEST_F(PipelineTest, SameEventFromTwoOutletsIsOneStoryAndCopiesAreLinked) {
  auto store = open_store();
  auto pipe = Pipeline::open(*store);
  ASSERT_TRUE(pipe) << pipe.error().to_string();
  std::vector<Page> pages;
  pages.push_back(text_page("ledger-1", "Harbor Ledger", "2025-03-04", kHarborLedger));
  pages.push_back(text_page("northwind-1", "Northwind Post", "2025-03-04", kNorthwindPost));
  pages.push_back(text_page("valley-1", "Valley Wire", "2025-03-09", kValleyWire));
  pages.push_back(text_page("reprint-1", "Coast Daily", "2025-03-05",
                            std::string("Share this article\n") + kHarborLedger +
                                "Sign up for our newsletter\nRelated stories\n"));
  auto summary = (*pipe)->ingest_pages(std::move(pages));
  ASSERT_TRUE(summary) << summary.error().to_string();
  EXPECT_EQ(summary->pages, 4u);
  EXPECT_EQ(summary->articles, 3u);
  EXPECT_EQ(summary->duplicates, 1u);
  EXPECT_EQ(summary->stories_new, 2u);

  auto ledger = store->article("ledger-1");
  auto northwind = store->article("northwind-1");
  auto valley = store->article("valley-1");
  ASSERT_TRUE(ledger && northwind && valley);
  EXPECT_EQ((*ledger)["story_id"], (*northwind)["story_id"]);
  EXPECT_NE((*ledger)["story_id"], (*valley)["story_id"]);
  ASSERT_EQ((*ledger)["duplicates"].size(), 1u);
  EXPECT_FALSE(store->article("reprint-1"));  // a copy is never stored as an article
}

TEST_F(PipelineTest, ReingestChangesNothingAndLaterRunsContinueIncrementally) {
  {
    auto store = open_store();
    auto pipe = Pipeline::open(*store);
    ASSERT_TRUE(pipe);
    std::vector<Page> pages{text_page("ledger-1", "Harbor Ledger", "2025-03-04", kHarborLedger)};
    ASSERT_TRUE((*pipe)->ingest_pages(std::move(pages)));
  }
  auto store = open_store();
  auto pipe = Pipeline::open(*store);
  ASSERT_TRUE(pipe) << pipe.error().to_string();
  std::vector<Page> again{text_page("ledger-1", "Harbor Ledger", "2025-03-04", kHarborLedger)};
  auto summary = (*pipe)->ingest_pages(std::move(again));
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->pages_known, 1u);
  EXPECT_EQ(summary->articles, 0u);

  // A new outlet's report of the same event joins the story made by the earlier process.
  std::vector<Page> more{text_page("northwind-1", "Northwind Post", "2025-03-04", kNorthwindPost)};
  summary = (*pipe)->ingest_pages(std::move(more));
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->articles, 1u);
  EXPECT_EQ(summary->stories_new, 0u);
  auto ledger = store->article("ledger-1");
  auto northwind = store->article("northwind-1");
  ASSERT_TRUE(ledger && northwind);
  EXPECT_EQ((*ledger)["story_id"], (*northwind)["story_id"]);
}

// What a store shows of its grouping: stories, storylines and entities as exported.
nlohmann::json grouping(store::Store& store) {
  auto exported = store.export_all();
  EXPECT_TRUE(exported) << exported.error().to_string();
  if (!exported) return {};
  nlohmann::json out;
  for (const char* key : {"stories", "storylines", "entities"}) out[key] = (*exported)[key];
  nlohmann::json placements = nlohmann::json::array();
  for (const auto& article : (*exported)["articles"])
    placements.push_back({article["id"], article["story_id"], article["storyline_id"]});
  out["placements"] = placements;
  return out;
}

// Three outlets on the Marlow Bay flood barrier, then a desert-rally story from one of them.
std::vector<Page> flood_and_rally_pages() {
  std::vector<Page> pages;
  pages.push_back(text_page("ledger-1", "Harbor Ledger", "2025-03-04", kHarborLedger));
  pages.push_back(text_page("valley-1", "Valley Wire", "2025-03-09", kValleyWire));
  pages.push_back(text_page("northwind-1", "Northwind Post", "2025-03-04", kNorthwindPost));
  pages.push_back(text_page("ledger-2", "Harbor Ledger", "2025-03-10",
                            "Orvena rally winner Ilse Kadowaki keeps her lead\n"
                            "Ilse Kadowaki kept her lead in the Orvena desert rally on Monday "
                            "after the second stage across the salt flats.\n"));
  return pages;
}

TEST_F(PipelineTest, CheckpointsWriteOnlyChangesYetTheStoreMatchesOneBigCheckpoint) {
  std::vector<Page> pages = flood_and_rally_pages();
  pages.push_back(text_page("valley-2", "Valley Wire", "2025-03-05",
                            "Marlow Bay flood barrier: Fairweather names builder\n"
                            "Mayor Elena Fairweather of Marlow Bay named the firm that will build "
                            "the harbor flood barrier the council approved on Monday.\n"));
  nlohmann::json one_checkpoint;
  {
    auto store = open_store();
    Options options;
    options.checkpoint_pages = 1000;
    auto pipe = Pipeline::open(*store, options);
    ASSERT_TRUE(pipe);
    ASSERT_TRUE((*pipe)->ingest_pages(pages));
    one_checkpoint = grouping(*store);
  }
  TearDown();
  // The same pages, a checkpoint after every page and a new process every two pages.
  for (std::size_t start = 0; start < pages.size(); start += 2) {
    auto store = open_store();
    Options options;
    options.checkpoint_pages = 1;
    options.batch_pages = 1;
    auto pipe = Pipeline::open(*store, options);
    ASSERT_TRUE(pipe) << pipe.error().to_string();
    std::vector<Page> part(pages.begin() + start,
                           pages.begin() + std::min(pages.size(), start + 2));
    ASSERT_TRUE((*pipe)->ingest_pages(std::move(part)));
  }
  auto store = open_store();
  EXPECT_EQ(grouping(*store), one_checkpoint);
  EXPECT_EQ(one_checkpoint["stories"].size(), 2u);  // the flood barrier and the rally
}

// Two warehouse fires in two ports join one story while it is young (a low join threshold),
// across checkpoints and processes; the fourth report splits them. Every article's stored
// placement must then name the story it is in now, also for the report placed (and
// checkpointed) before the split moved it.
TEST_F(PipelineTest, ArticlesMovedByAStorySplitExplainTheirNewStory) {
  // Each port's fire: its chief and cargo, then one line of its own per report.
  struct Port {
    const char* name;
    const char* chief;
    const char* cargo;
  };
  const Port aster{"Port Aster", "Mara Quell", "grain"};
  const Port lindholm{"Lindholm", "Osric Pell", "timber"};
  struct Report {
    const char* id;
    const char* source;
    const char* published;
    const Port& port;
    const char* detail;
  };
  const Report reports[] = {
      {"aster-1", "Harbor Ledger", "2025-06-02", aster,
       "Grain silos beside the quay were cooled through the night, and dock workers were sent "
       "home before the morning shift."},
      {"lindholm-1", "Valley Wire", "2025-06-02", lindholm,
       "The ferry terminal next to the timber yard closed, and cranes were moved away from the "
       "burning sheds."},
      {"aster-2", "Northwind Post", "2025-06-03", aster,
       "Dock workers at Port Aster said the grain silos had smouldered for hours before the "
       "alarm."},
      {"lindholm-2", "Bay Gazette", "2025-06-03", lindholm,
       "Lindholm ferry passengers watched the timber sheds burn while cranes stood idle on the "
       "quay."},
  };
  std::vector<Page> pages;
  for (const Report& r : reports) {
    const std::string port = r.port.name;
    pages.push_back(text_page(
        r.id, r.source, r.published,
        "Warehouse fire at the " + port + " harbour\n" + "Firefighters fought a blaze at a " +
            r.port.cargo + " warehouse in the " + port + " harbour overnight, and fire chief " +
            r.port.chief + " said the building was lost.\n" + r.detail + "\n"));
  }
  Options options;
  options.checkpoint_pages = 1;
  options.batch_pages = 1;
  options.cluster.story_threshold = 0.05;  // every fire joins the first story
  options.cluster.story_min_term_similarity = 0.05;
  for (std::size_t start = 0; start < pages.size(); start += 2) {
    auto store = open_store();
    auto pipe = Pipeline::open(*store, options);
    ASSERT_TRUE(pipe) << pipe.error().to_string();
    std::vector<Page> part(pages.begin() + start, pages.begin() + start + 2);
    ASSERT_TRUE((*pipe)->ingest_pages(std::move(part)));
    if (start == 0) {
      auto first = store->article("aster-1");
      auto second = store->article("lindholm-1");
      ASSERT_TRUE(first && second);
      ASSERT_EQ((*first)["story_id"], (*second)["story_id"]);  // one story before the split
    }
  }
  auto store = open_store();
  auto exported = store->export_all();
  ASSERT_TRUE(exported) << exported.error().to_string();
  ASSERT_EQ((*exported)["stories"].size(), 2u);
  std::map<std::string, nlohmann::json> by_key;
  for (const auto& article : (*exported)["articles"]) {
    const auto& placement = article["placement"];
    ASSERT_TRUE(placement.is_object()) << article["key"];
    EXPECT_EQ(placement["story_id"], article["story_id"]) << article["key"];
    EXPECT_EQ(placement["storyline_id"], article["storyline_id"]) << article["key"];
    by_key[article["key"].get<std::string>()] = article;
  }
  ASSERT_EQ(by_key.size(), 4u);
  EXPECT_EQ(by_key["aster-1"]["story_id"], by_key["aster-2"]["story_id"]);
  EXPECT_EQ(by_key["lindholm-1"]["story_id"], by_key["lindholm-2"]["story_id"]);
  EXPECT_NE(by_key["aster-1"]["story_id"], by_key["lindholm-1"]["story_id"]);
  // The report placed before the split says which story it joined first; the one view of an
  // article (CLI, API) agrees with the export.
  EXPECT_EQ(by_key["lindholm-1"]["placement"].value("split_from_story", int64_t{0}),
            by_key["aster-1"]["story_id"].get<int64_t>());
  EXPECT_FALSE(by_key["aster-1"]["placement"].contains("split_from_story"));
  EXPECT_FALSE(by_key["aster-2"]["placement"].contains("split_from_story"));
  // The report whose arrival split the story is explained by the story it ended in.
  const auto& why = by_key["lindholm-2"]["placement"]["shared_terms"];
  EXPECT_NE(std::find(why.begin(), why.end(), "lindholm"), why.end()) << why;
  auto single = store->article("lindholm-1");
  ASSERT_TRUE(single);
  EXPECT_EQ((*single)["placement"], by_key["lindholm-1"]["placement"]);
}

// With more than one thread, a batch is extracted while the one before it is stored; the store
// must come out as with one thread doing everything in turn (same ids, same grouping).
TEST_F(PipelineTest, OverlappedBatchesStoreWhatOneThreadStores) {
  auto pages = [] {
    std::vector<Page> list = flood_and_rally_pages();
    list.push_back(text_page("empty-1", "Valley Wire", "2025-03-10", ""));
    return list;
  };
  nlohmann::json by_threads[2];
  std::size_t articles[2] = {0, 0};
  for (int threads : {1, 2}) {
    auto store = open_store();
    Options options;
    options.threads = threads;
    options.batch_pages = 1;
    options.checkpoint_pages = 2;
    auto pipe = Pipeline::open(*store, options);
    ASSERT_TRUE(pipe);
    auto summary = (*pipe)->ingest_pages(pages());
    ASSERT_TRUE(summary) << summary.error().to_string();
    EXPECT_EQ(summary->pages, 5u);
    articles[threads - 1] = summary->articles;
    by_threads[threads - 1] = grouping(*store);
    TearDown();
  }
  EXPECT_EQ(by_threads[0], by_threads[1]);
  EXPECT_EQ(articles[0], articles[1]);
  EXPECT_EQ(by_threads[0]["stories"].size(), 2u);
}

TEST_F(PipelineTest, RegroupWithOtherThresholdsRegroupsStoredArticlesWithoutReextracting) {
  {
    auto store = open_store();
    auto pipe = Pipeline::open(*store);
    ASSERT_TRUE(pipe);
    std::vector<Page> pages;
    pages.push_back(text_page("ledger-1", "Harbor Ledger", "2025-03-04", kHarborLedger));
    pages.push_back(text_page("northwind-1", "Northwind Post", "2025-03-04", kNorthwindPost));
    pages.push_back(text_page("valley-1", "Valley Wire", "2025-03-05", kValleyWire));
    ASSERT_TRUE((*pipe)->ingest_pages(std::move(pages)));
  }
  auto story_of = [](store::Store& store, const char* key) {
    auto article = store.article(key);
    EXPECT_TRUE(article);
    return article ? (*article)["story_id"].get<int64_t>() : int64_t{-1};
  };
  auto store = open_store();
  ASSERT_NE(story_of(*store, "ledger-1"), story_of(*store, "valley-1"));
  const auto stored = store->stats();
  ASSERT_TRUE(stored);

  // A threshold no pair of articles reaches: every article becomes its own story.
  Options strict;
  strict.cluster.story_threshold = 2.0;
  strict.cluster.storyline_threshold = 2.0;
  strict.cluster.storyline_merge_threshold = 0;
  auto pipe = Pipeline::open(*store, strict);
  ASSERT_TRUE(pipe);
  auto regrouped = (*pipe)->regroup();
  ASSERT_TRUE(regrouped) << regrouped.error().to_string();
  EXPECT_EQ(regrouped->articles, 3u);
  EXPECT_EQ(regrouped->stories, 3u);
  EXPECT_EQ(regrouped->stories_before, 2u);
  EXPECT_NE(story_of(*store, "ledger-1"), story_of(*store, "northwind-1"));
  auto stories = store->stories();
  ASSERT_TRUE(stories);
  EXPECT_EQ(stories->size(), 3u);

  // The store remembers the thresholds: a later pipeline that asks for the store's own
  // thresholds keeps grouping strictly, and regrouping with the defaults restores the events.
  pipe->reset();
  auto saved = saved_cluster_options(*store);
  ASSERT_TRUE(saved && *saved);
  EXPECT_EQ((*saved)->story_threshold, 2.0);
  Options from_store;
  from_store.cluster = **saved;
  auto later = Pipeline::open(*store, from_store);
  ASSERT_TRUE(later);
  std::vector<Page> third{text_page(
      "gazette-1", "Bay Gazette", "2025-03-05",
      "Council says yes to Marlow Bay flood barrier\n"
      "After two years of debate, Marlow Bay's council approved the flood barrier for the old "
      "harbor on Monday. Mayor Elena Fairweather said about 4,000 homes would be protected.\n"
      "Councillor Tomas Reyburn said the fishing quarter would be cut off while it is built.\n")};
  auto placed = (*later)->ingest_pages(std::move(third));
  ASSERT_TRUE(placed);
  EXPECT_EQ(placed->articles, 1u);
  EXPECT_EQ(placed->stories_new, 1u);  // the stored strict threshold, not the default
  later->reset();
  auto defaults = Pipeline::open(*store);
  ASSERT_TRUE(defaults);
  ASSERT_TRUE((*defaults)->regroup());
  EXPECT_EQ(story_of(*store, "ledger-1"), story_of(*store, "northwind-1"));
  EXPECT_NE(story_of(*store, "ledger-1"), story_of(*store, "valley-1"));
  auto after = store->stats();
  ASSERT_TRUE(after);
  EXPECT_EQ(story_of(*store, "ledger-1"), story_of(*store, "gazette-1"));
  EXPECT_EQ((*after)["articles"].get<int>(), (*stored)["articles"].get<int>() + 1);
}

TEST_F(PipelineTest, BadPagesAreRecordedAndDoNotStopTheRun) {
  auto store = open_store();
  auto pipe = Pipeline::open(*store);
  ASSERT_TRUE(pipe);
  std::vector<Page> pages;
  pages.push_back(text_page("empty", "", "", ""));
  pages.push_back(text_page("ledger-1", "Harbor Ledger", "2025-03-04", kHarborLedger));
  Page binary = text_page("binary", "", "", std::string("\x00\x01\x02\xff\xfe", 5));
  binary.format = PageFormat::kUnknown;
  pages.push_back(binary);
  auto summary = (*pipe)->ingest_pages(std::move(pages));
  ASSERT_TRUE(summary) << summary.error().to_string();
  EXPECT_EQ(summary->articles, 1u);
  EXPECT_EQ(summary->pages, 3u);
  EXPECT_GE(summary->pages_failed + summary->warnings, 1u);
}

}  // namespace
}  // namespace storyline::pipeline
