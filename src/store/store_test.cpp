#include "store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/civil_date.h"

namespace storyline::store {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A fresh directory per test, removed afterwards.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("storyline_store_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "test.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Store> open_store(Options options = {}) {
    auto store = Store::open(path_, options);
    EXPECT_TRUE(store) << (store ? "" : store.error().to_string());
    return store ? std::move(*store) : nullptr;
  }

  fs::path dir_;
  std::string path_;
};

long day(const char* iso) { return parse_iso_date(iso)->days_since_epoch(); }

Article make_article(const std::string& page_id, const std::string& source,
                     const std::string& published, const std::string& title,
                     const std::string& text, const std::string& language = "en") {
  Article a;
  a.page_id = page_id;
  a.source = source;
  a.published = published;
  a.title = title;
  a.text = text;
  a.language = language;
  a.url = "https://" + source + "/news/" + page_id;
  return a;
}

Analysis make_analysis(const std::string& event_date,
                       const std::vector<std::pair<std::string, EntityType>>& entities) {
  Analysis an;
  an.event_date = event_date;
  for (const auto& [name, type] : entities) {
    Entity e;
    e.name = name;
    e.key = name;
    for (char& c : e.key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    e.type = type;
    e.aliases = {name};
    e.mention_count = 2;
    an.entities.push_back(e);
  }
  return an;
}

// Fictional reports: a bridge closure in the river town of Varnholm, a later inquiry, and an
// unrelated ferry strike.
const char* kBridgeText =
    "The Old Mill bridge in Varnholm was closed on Monday after engineers found cracks in two "
    "of its piers.\nMayor Ilse Brandt said the closure would last at least three weeks.";
const char* kBridgeText2 =
    "Traffic backed up across Varnholm for a second day as the Old Mill bridge stayed shut.\n"
    "Commuters faced detours of up to 40 minutes, the council said.";
const char* kInquiryText =
    "An independent inquiry into the cracked piers of the Varnholm bridge opened on Thursday.\n"
    "Ilse Brandt told the panel that inspections had been delayed since 2021.";
const char* kFerryText =
    "Ferry crews on the northern lakes walked out at dawn over pay, stranding hundreds of "
    "passengers.\nThe union said the strike would continue until Friday.";

TEST_F(StoreTest, CreatesSchemaAndReopens) {
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    auto stats = store->stats();
    ASSERT_TRUE(stats);
    EXPECT_EQ((*stats)["schema_version"], kSchemaVersion);
    EXPECT_EQ((*stats)["articles"], 0);
  }
  auto again = Store::open(path_);
  ASSERT_TRUE(again) << again.error().to_string();
  auto read_only = Store::open(path_, {.read_only = true});
  ASSERT_TRUE(read_only) << read_only.error().to_string();

  // WAL journal: the write-ahead log lets readers run beside the writer.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(StoreTest, RefusesNewerSchema) {
  { ASSERT_TRUE(open_store()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value = '7' WHERE name = 'schema_version'", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = Store::open(path_);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(store.error().message.find("newer"), std::string::npos);
}

TEST_F(StoreTest, NonDatabaseFileIsCorrupt) {
  {
    std::ofstream out(path_);
    out << "This is a plain text note about the Varnholm bridge, not a database at all.\n";
    for (int i = 0; i < 50; ++i) out << "filler line " << i << "\n";
  }
  auto store = Store::open(path_);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(store.error().message.find("not a SQLite database"), std::string::npos);
  auto read_only = Store::open(path_, {.read_only = true});
  ASSERT_FALSE(read_only);
  EXPECT_EQ(read_only.error().code, ErrorCode::kCorrupt);
}

TEST_F(StoreTest, ForeignSqliteDatabaseIsRefused) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE recipes(name TEXT)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = Store::open(path_);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt);
}

TEST_F(StoreTest, ReadOnlyOpen) {
  auto missing = Store::open((dir_ / "absent.db").string(), {.read_only = true});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists(dir_ / "absent.db"));

  { ASSERT_TRUE(open_store()); }
  auto store = open_store({.read_only = true});
  ASSERT_TRUE(store);
  auto id = store->add_article(make_article("p1", "a.example", "2025-03-03", "T", "Body."), {}, {});
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kInvalidInput);
}

TEST_F(StoreTest, PagesAreRememberedByHash) {
  auto store = open_store();
  ASSERT_TRUE(store->begin());
  Page page;
  page.id = "varnholm-01";
  page.origin = "feed.jsonl:3";
  page.format = PageFormat::kHtml;
  const uint64_t hash = 0xfeedbeefcafe1234ULL;  // above INT64_MAX: stored as signed bits
  EXPECT_FALSE(*store->has_page(hash));
  ASSERT_TRUE(store->add_page(page, hash, 1, "ok"));
  EXPECT_TRUE(*store->has_page(hash));
  EXPECT_FALSE(*store->has_page(hash + 1));
  // Re-adding the same content updates the row rather than failing.
  ASSERT_TRUE(store->add_page(page, hash, 2, "ok"));
  ASSERT_TRUE(store->add_page(page, 42, 0, "invalid_input: empty page"));
  ASSERT_TRUE(store->commit());
  auto stats = store->stats();
  EXPECT_EQ((*stats)["pages"], 2);
  EXPECT_EQ((*stats)["pages_failed"], 1);
}

TEST_F(StoreTest, ArticlesAndDuplicates) {
  auto store = open_store();
  ASSERT_TRUE(store->begin());
  Article bridge = make_article("varnholm-01", "valley-post.example", "2025-03-03",
                                "Cracks close Old Mill bridge", kBridgeText);
  bridge.author = "Petra Lind";
  bridge.dateline = "Varnholm";
  bridge.warnings = {"byline guessed"};
  auto id = store->add_article(
      bridge, make_analysis("2025-03-03", {{"Ilse Brandt", EntityType::kPerson}}), {1, 2, 3});
  ASSERT_TRUE(id) << id.error().to_string();

  Article copy = bridge;
  copy.page_id = "syndicated-77";
  copy.source = "lakeside-news.example";
  ASSERT_TRUE(store->add_duplicate(copy, *id, 0.97, false));
  auto orphan = store->add_duplicate(copy, *id + 100, 1.0, true);
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store->commit());

  auto by_key = store->article("varnholm-01");
  ASSERT_TRUE(by_key) << by_key.error().to_string();
  auto by_id = store->article(std::to_string(*id));
  ASSERT_TRUE(by_id);
  EXPECT_EQ(*by_key, *by_id);
  const json& a = *by_key;
  EXPECT_EQ(a["id"], *id);
  EXPECT_EQ(a["title"], "Cracks close Old Mill bridge");
  EXPECT_EQ(a["author"], "Petra Lind");
  EXPECT_EQ(a["dateline"], "Varnholm");
  EXPECT_EQ(a["text"], kBridgeText);
  EXPECT_EQ(a["warnings"], json::array({"byline guessed"}));
  EXPECT_EQ(a["analysis"]["event_date"], "2025-03-03");
  EXPECT_EQ(a["analysis"]["entities"][0]["name"], "Ilse Brandt");
  EXPECT_TRUE(a["placement"].is_null());
  ASSERT_EQ(a["duplicates"].size(), 1u);
  EXPECT_EQ(a["duplicates"][0]["key"], "syndicated-77");
  EXPECT_EQ(a["duplicates"][0]["source"], "lakeside-news.example");
  EXPECT_DOUBLE_EQ(a["duplicates"][0]["similarity"].get<double>(), 0.97);

  // The copy is recorded, never listed as an article.
  auto list = store->articles({});
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0]["key"], "varnholm-01");
  EXPECT_FALSE(store->article("syndicated-77"));
  EXPECT_EQ(store->article("syndicated-77").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->article("999").error().code, ErrorCode::kNotFound);
  EXPECT_EQ((*store->stats())["duplicates"], 1);

  std::vector<std::pair<int64_t, std::vector<uint8_t>>> signatures;
  ASSERT_TRUE(store->for_each_signature([&](int64_t article_id, const std::vector<uint8_t>& bytes) {
    signatures.emplace_back(article_id, bytes);
  }));
  ASSERT_EQ(signatures.size(), 1u);
  EXPECT_EQ(signatures[0].first, *id);
  EXPECT_EQ(signatures[0].second, (std::vector<uint8_t>{1, 2, 3}));
}

TEST_F(StoreTest, RepeatedKeyGetsSuffix) {
  auto store = open_store();
  Article first = make_article("varnholm-01", "valley-post.example", "2025-03-03",
                               "Cracks close Old Mill bridge", kBridgeText);
  Article updated = first;
  updated.text = std::string(kBridgeText) + "\nUpdate: divers will inspect the piers.";
  auto a = store->add_article(first, {}, {});
  auto b = store->add_article(updated, {}, {});
  auto c = store->add_article(updated, {}, {});
  ASSERT_TRUE(a && b && c);
  EXPECT_NE(*a, *b);
  EXPECT_EQ((*store->article(std::to_string(*b)))["key"], "varnholm-01~2");
  EXPECT_EQ((*store->article(std::to_string(*c)))["key"], "varnholm-01~3");
  EXPECT_EQ((*store->article("varnholm-01~2"))["id"], *b);
}

// Three stories: two bridge events forming one storyline (listed out of event order, with the
// second story merged in after its article was placed) and a separate ferry strike.
class ClusteredStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    store_ = open_store();
    ASSERT_TRUE(store_);
    ASSERT_TRUE(store_->begin());
    const auto people = std::vector<std::pair<std::string, EntityType>>{
        {"Ilse Brandt", EntityType::kPerson}, {"Varnholm", EntityType::kLocation}};
    bridge1_ = *store_->add_article(make_article("varnholm-01", "valley-post.example", "2025-03-03",
                                                 "Cracks close Old Mill bridge", kBridgeText),
                                    make_analysis("2025-03-03", people), {});
    bridge2_ = *store_->add_article(
        make_article("varnholm-02", "river-herald.example", "2025-03-04T08:30:00Z",
                     "Detours as Varnholm bridge stays shut", kBridgeText2),
        make_analysis("2025-03-04", {{"Varnholm", EntityType::kLocation}}), {});
    inquiry_ = *store_->add_article(make_article("varnholm-09", "valley-post.example", "2025-03-20",
                                                 "Inquiry opens into cracked piers", kInquiryText),
                                    make_analysis("2025-03-20", people), {});
    ferry_ =
        *store_->add_article(make_article("lakes-ferry", "nordisk-tidende.example", "2025-03-10",
                                          "Ferry strike strands passengers", kFerryText, "no"),
                             make_analysis("2025-03-10", {}), {});

    // Placements as the clusterer gave them at the time: the inquiry began its own storyline.
    cluster::Placement p;
    p.story_id = 1;
    p.storyline_id = 1;
    p.new_story = p.new_storyline = true;
    ASSERT_TRUE(store_->set_placement(bridge1_, p));
    p.new_story = p.new_storyline = false;
    p.story_similarity = 0.61;
    p.shared_entities = {"varnholm"};
    p.shared_terms = {"bridge", "mill"};
    ASSERT_TRUE(store_->set_placement(bridge2_, p));
    p = {};
    p.story_id = 2;
    p.storyline_id = 3;
    ASSERT_TRUE(store_->set_placement(inquiry_, p));
    p = {};
    p.story_id = 4;
    p.storyline_id = 4;
    ASSERT_TRUE(store_->set_placement(ferry_, p));

    cluster::Story s1;
    s1.id = 1;
    s1.storyline_id = 1;
    s1.label = "Cracks close Old Mill bridge";
    s1.articles = {bridge1_, bridge2_};
    s1.first_day = day("2025-03-03");
    s1.last_day = day("2025-03-04");
    s1.top_entities = {"varnholm", "ilse brandt"};
    cluster::Story s2;
    s2.id = 2;
    s2.storyline_id = 1;
    s2.label = "Inquiry opens into cracked piers";
    s2.first_day = s2.last_day = day("2025-03-20");
    // Empty article list: the store must still carry the merge to the inquiry article.
    s2.articles = {};
    cluster::Story s4;
    s4.id = 4;
    s4.storyline_id = 4;
    s4.label = "Ferry strike strands passengers";
    s4.articles = {ferry_};
    s4.first_day = s4.last_day = day("2025-03-10");

    cluster::Storyline l1;
    l1.id = 1;
    l1.label = "Old Mill bridge";
    l1.stories = {2, 1};  // deliberately not in event order
    cluster::StorylineLink link;
    link.from_story = 1;
    link.to_story = 2;
    link.similarity = 0.33;
    link.shared_entities = {"ilse brandt", "varnholm"};
    l1.links = {link};
    cluster::Storyline l4;
    l4.id = 4;
    l4.label = "Ferry strike";
    l4.stories = {4};
    ASSERT_TRUE(store_->save_clusters({s1, s2, s4}, {l1, l4}));

    understand::EntityDirectory::Entry brandt{
        "ilse brandt", "Ilse Brandt", EntityType::kPerson, {"Ilse Brandt", "Brandt"}, 2};
    understand::EntityDirectory::Entry varnholm{
        "varnholm", "Varnholm", EntityType::kLocation, {"Varnholm"}, 3};
    understand::EntityDirectory::Entry union_entry{
        "lake crews union", "Lake Crews Union", EntityType::kOrganization, {}, 1};
    ASSERT_TRUE(store_->save_entities({brandt, varnholm, union_entry}));
    ASSERT_TRUE(store_->commit());
  }

  // A story added to the bridge storyline after it was saved (an earlier event, warned of in
  // February), and the link that ties it to the first story.
  cluster::Story february_story() const {
    cluster::Story s3;
    s3.id = 3;
    s3.storyline_id = 1;
    s3.label = "Bridge engineers warned in February";
    s3.articles = {bridge2_};
    s3.first_day = s3.last_day = day("2025-02-20");
    return s3;
  }
  static cluster::StorylineLink february_link() {
    cluster::StorylineLink link;
    link.from_story = 3;
    link.to_story = 1;
    link.similarity = 0.4;
    link.shared_terms = {"bridg", "crack"};
    return link;
  }

  // The storyline_links rows, as "storyline:seq" in the table's order, read past the store.
  std::string link_rows() const {
    sqlite3* db = nullptr;
    std::string rows;
    if (sqlite3_open(path_.c_str(), &db) == SQLITE_OK) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db,
                             "SELECT group_concat(storyline_id || ':' || seq) FROM "
                             "storyline_links",
                             -1, &stmt, nullptr) == SQLITE_OK &&
          sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr)
        rows = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return rows;
  }

  std::unique_ptr<Store> store_;
  int64_t bridge1_ = 0, bridge2_ = 0, inquiry_ = 0, ferry_ = 0;
};

TEST_F(ClusteredStoreTest, PlacementIsStored) {
  auto a = store_->article(std::to_string(bridge2_));
  ASSERT_TRUE(a);
  EXPECT_EQ((*a)["story_id"], 1);
  EXPECT_EQ((*a)["storyline_id"], 1);
  EXPECT_EQ((*a)["placement"]["shared_entities"], json::array({"varnholm"}));
  EXPECT_DOUBLE_EQ((*a)["placement"]["story_similarity"].get<double>(), 0.61);
  auto missing = store_->set_placement(12345, {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(ClusteredStoreTest, SaveClustersUpdatesStorylineOfEarlierArticles) {
  auto inquiry = store_->article(std::to_string(inquiry_));
  ASSERT_TRUE(inquiry);
  EXPECT_EQ((*inquiry)["story_id"], 2);
  EXPECT_EQ((*inquiry)["storyline_id"], 1);  // was 3 when placed
  ArticleFilter filter;
  filter.storyline_id = 1;
  EXPECT_EQ(store_->articles(filter)->size(), 3u);
}

TEST_F(ClusteredStoreTest, StoriesAndStorylines) {
  auto stories = store_->stories();
  ASSERT_TRUE(stories);
  ASSERT_EQ(stories->size(), 3u);
  // Most recent first.
  EXPECT_EQ((*stories)[0]["id"], 2);
  EXPECT_EQ((*stories)[1]["id"], 4);
  const json& s1 = (*stories)[2];
  EXPECT_EQ(s1["first_date"], "2025-03-03");
  EXPECT_EQ(s1["last_date"], "2025-03-04");
  EXPECT_EQ(s1["article_count"], 2);
  EXPECT_EQ(s1["sources"], json::array({"river-herald.example", "valley-post.example"}));
  EXPECT_EQ(s1["top_entities"], json::array({"varnholm", "ilse brandt"}));

  auto story = store_->story(1);
  ASSERT_TRUE(story);
  ASSERT_EQ((*story)["articles"].size(), 2u);
  EXPECT_EQ((*story)["articles"][0]["id"], bridge1_);
  EXPECT_EQ((*story)["articles"][1]["source"], "river-herald.example");
  EXPECT_EQ(store_->story(99).error().code, ErrorCode::kNotFound);

  auto lines = store_->storylines();
  ASSERT_TRUE(lines);
  ASSERT_EQ(lines->size(), 2u);
  const json& l1 = (*lines)[0];
  EXPECT_EQ(l1["id"], 1);
  EXPECT_EQ(l1["story_count"], 2);
  EXPECT_EQ(l1["first_date"], "2025-03-03");
  EXPECT_EQ(l1["last_date"], "2025-03-20");
  EXPECT_EQ(store_->storylines(1)->size(), 1u);
}

TEST_F(ClusteredStoreTest, StorylineTimelineInEventOrder) {
  auto line = store_->storyline(1);
  ASSERT_TRUE(line) << line.error().to_string();
  const json& timeline = (*line)["timeline"];
  ASSERT_EQ(timeline.size(), 2u);
  EXPECT_EQ(timeline[0]["id"], 1);
  EXPECT_EQ(timeline[0]["date"], "2025-03-03");
  EXPECT_EQ(timeline[1]["id"], 2);
  EXPECT_EQ(timeline[1]["date"], "2025-03-20");
  ASSERT_EQ(timeline[0]["articles"].size(), 2u);
  EXPECT_EQ(timeline[0]["articles"][0]["title"], "Cracks close Old Mill bridge");
  EXPECT_EQ(timeline[0]["articles"][1]["source"], "river-herald.example");
  ASSERT_EQ(timeline[1]["articles"].size(), 1u);
  EXPECT_EQ(timeline[1]["articles"][0]["id"], inquiry_);
  ASSERT_EQ((*line)["links"].size(), 1u);
  EXPECT_EQ((*line)["links"][0]["to_story"], 2);
  EXPECT_EQ((*line)["links"][0]["shared_entities"][0], "ilse brandt");
  EXPECT_EQ(store_->storyline(77).error().code, ErrorCode::kNotFound);
}

TEST_F(ClusteredStoreTest, StorylineArticlesForCompare) {
  auto rows = store_->storyline_articles(1);
  ASSERT_TRUE(rows) << rows.error().to_string();
  ASSERT_EQ(rows->size(), 3u);
  const auto& [id, story_id, article, analysis] = (*rows)[0];
  EXPECT_EQ(id, bridge1_);
  EXPECT_EQ(story_id, 1);
  EXPECT_EQ(article.title, "Cracks close Old Mill bridge");
  EXPECT_EQ(article.text, kBridgeText);
  EXPECT_EQ(analysis.event_date, "2025-03-03");
  ASSERT_EQ(analysis.entities.size(), 2u);
  EXPECT_EQ(analysis.entities[0].type, EntityType::kPerson);
  EXPECT_EQ(std::get<1>((*rows)[2]), 2);
  auto none = store_->storyline_articles(55);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
}

TEST_F(ClusteredStoreTest, Entities) {
  auto all = store_->entities("");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0]["name"], "Varnholm");  // most articles first
  EXPECT_EQ((*all)[2]["name"], "Lake Crews Union");
  auto people = store_->entities("PER");
  ASSERT_EQ(people->size(), 1u);
  EXPECT_EQ((*people)[0]["aliases"], json::array({"Ilse Brandt", "Brandt"}));
  EXPECT_EQ(store_->entities("person")->size(), 1u);
  EXPECT_EQ(store_->entities("martian").error().code, ErrorCode::kInvalidInput);

  auto loaded = store_->load_entities();
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 3u);
  EXPECT_EQ((*loaded)[0].key, "ilse brandt");  // saved order, not rank order
  EXPECT_EQ((*loaded)[1].type, EntityType::kLocation);
  EXPECT_EQ((*loaded)[1].article_count, 3);

  // Which articles mention an entity.
  ArticleFilter filter;
  filter.entity = "ilse brandt";
  auto mentioning = store_->articles(filter);
  ASSERT_TRUE(mentioning);
  ASSERT_EQ(mentioning->size(), 2u);
}

TEST_F(ClusteredStoreTest, ArticleFilters) {
  ArticleFilter filter;
  filter.source = "valley-post.example";
  EXPECT_EQ(store_->articles(filter)->size(), 2u);
  filter = {};
  filter.language = "no";
  ASSERT_EQ(store_->articles(filter)->size(), 1u);
  EXPECT_EQ((*store_->articles(filter))[0]["id"], ferry_);
  filter = {};
  filter.since = "2025-03-04";
  filter.until = "2025-03-10";
  auto ranged = store_->articles(filter);
  ASSERT_TRUE(ranged);
  ASSERT_EQ(ranged->size(), 2u);  // the date-time on the 4th counts; newest first
  EXPECT_EQ((*ranged)[0]["id"], ferry_);
  EXPECT_EQ((*ranged)[1]["id"], bridge2_);
  filter = {};
  filter.until = "2025-03";
  EXPECT_EQ(store_->articles(filter)->size(), 4u);
  filter = {};
  filter.limit = 1;
  filter.offset = 1;
  EXPECT_EQ(store_->articles(filter)->size(), 1u);
  filter = {};
  filter.since = "March 3";
  EXPECT_EQ(store_->articles(filter).error().code, ErrorCode::kInvalidInput);
  filter = {};
  filter.limit = -5;
  EXPECT_EQ(store_->articles(filter).error().code, ErrorCode::kInvalidInput);

  auto listing = store_->articles({});
  ASSERT_TRUE(listing);
  for (const json& item : *listing) {
    EXPECT_FALSE(item["snippet"].get<std::string>().empty());
    EXPECT_EQ(item["snippet"].get<std::string>().find('\n'), std::string::npos);
  }
}

TEST_F(ClusteredStoreTest, SearchRanksTitleMatchesFirst) {
  // "piers" is in the inquiry's title and in the first bridge report's body.
  auto hits = store_->search("piers", {});
  ASSERT_TRUE(hits) << hits.error().to_string();
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[0]["id"], inquiry_);
  EXPECT_EQ((*hits)[1]["id"], bridge1_);
  EXPECT_GT((*hits)[0]["score"].get<double>(), (*hits)[1]["score"].get<double>());
  EXPECT_NE((*hits)[1]["snippet"].get<std::string>().find("[piers]"), std::string::npos);

  ArticleFilter filter;
  filter.since = "2025-03-10";
  hits = store_->search("piers", filter);
  ASSERT_EQ(hits->size(), 1u);
  filter = {};
  filter.story_id = 1;
  hits = store_->search("bridge", filter);
  ASSERT_EQ(hits->size(), 2u);
  filter = {};
  filter.source = "river-herald.example";
  EXPECT_EQ(store_->search("bridge", filter)->size(), 1u);

  EXPECT_TRUE(store_->search("ferry", {})->size() == 1u);
  EXPECT_TRUE(store_->search("zebra", {})->empty());
}

TEST_F(ClusteredStoreTest, SearchFoldsDiacritics) {
  ASSERT_TRUE(store_->begin());
  ASSERT_TRUE(store_->add_article(
      make_article("zurich-1", "alpine-wire.example", "2025-03-05", "Zürich trams halted",
                   "A power fault stopped every tram in Zürich for two hours."),
      {}, {}));
  ASSERT_TRUE(store_->commit());
  EXPECT_EQ(store_->search("zurich", {})->size(), 1u);
  EXPECT_EQ(store_->search("Zürich", {})->size(), 1u);
}

TEST_F(ClusteredStoreTest, BadSearchSyntaxDoesNotFail) {
  for (const char* query : {"\"old mill", "bridge AND", "piers)", "old-mill", "NEAR(", "^*",
                            "title:bridge:x", "AND OR NOT"}) {
    auto hits = store_->search(query, {});
    EXPECT_TRUE(hits) << query << ": " << (hits ? "" : hits.error().to_string());
  }
  // Quoted as terms, a stray-operator query still finds what it names.
  auto hits = store_->search("old-mill bridge)", {});
  ASSERT_TRUE(hits);
  EXPECT_EQ(hits->size(), 2u);
  EXPECT_EQ(store_->search("   ", {}).error().code, ErrorCode::kInvalidInput);
}

TEST_F(ClusteredStoreTest, ExportAll) {
  auto all = store_->export_all();
  ASSERT_TRUE(all) << all.error().to_string();
  EXPECT_EQ((*all)["schema_version"], kSchemaVersion);
  EXPECT_TRUE((*all)["generated_at"].is_string());
  ASSERT_EQ((*all)["articles"].size(), 4u);
  EXPECT_TRUE((*all)["articles"][0].contains("analysis"));
  EXPECT_EQ((*all)["articles"][0]["text"], kBridgeText);
  EXPECT_TRUE((*all)["duplicates"].is_array());
  ASSERT_EQ((*all)["stories"].size(), 3u);
  ASSERT_EQ((*all)["storylines"].size(), 2u);
  EXPECT_EQ((*all)["storylines"][0]["timeline"].size(), 2u);
  EXPECT_EQ((*all)["storylines"][0]["links"].size(), 1u);
  EXPECT_EQ((*all)["entities"].size(), 3u);
  // The export must serialise (it is what `storyline export` writes).
  EXPECT_NO_THROW((void)all->dump());
}

// Storyline links are rows added at each checkpoint (from links_from on), its stories the
// stories naming it; a storyline merged into another goes with its links.
TEST_F(ClusteredStoreTest, StorylineLinksAreAddedNotRewritten) {
  ASSERT_TRUE(store_->begin());
  const cluster::StorylineLink link = february_link();
  cluster::Clusterer::StorylineChange grown{1, "Old Mill bridge", false, 1, {link}, {}};
  cluster::Clusterer::StorylineChange merged{4, "Ferry strike", true, 0, {}, {}};
  ASSERT_TRUE(store_->update_clusters({february_story()}, {grown, merged}));
  ASSERT_TRUE(store_->commit());

  auto line = store_->storyline(1);
  ASSERT_TRUE(line) << line.error().to_string();
  EXPECT_EQ((*line)["stories"], json::array({3, 1, 2}));  // event order
  ASSERT_EQ((*line)["links"].size(), 2u);
  EXPECT_EQ((*line)["links"][0]["from_story"], 1);  // the link saved first stays first
  EXPECT_EQ((*line)["links"][1]["from_story"], 3);
  EXPECT_EQ((*line)["links"][1]["shared_terms"], json::array({"bridg", "crack"}));
  EXPECT_EQ((*line)["story_count"], 3);
  EXPECT_EQ((*store_->storylines())[0]["story_count"], 3);
  EXPECT_EQ(store_->storyline(4).error().code, ErrorCode::kNotFound);
  store_.reset();

  EXPECT_EQ(link_rows(), "1:0,1:1");
}

// Links changed in place (a story emptied into another) rewrite their own rows only; one that
// came to join a story to itself went, and the links after it keep their numbers.
TEST_F(ClusteredStoreTest, ChangedLinksRewriteTheirRowsAndALinkToItselfGoes) {
  ASSERT_TRUE(store_->begin());
  const cluster::StorylineLink link = february_link();
  cluster::Clusterer::StorylineChange grown{1, "Old Mill bridge", false, 1, {link}, {}};
  ASSERT_TRUE(store_->update_clusters({february_story()}, {grown}));
  ASSERT_TRUE(store_->commit());
  const json before = *store_->storyline(1);
  ASSERT_EQ(before["links"].size(), 2u);
  EXPECT_NE(before["links"][0]["from_story"], 4);

  // Story 3 emptied into story 1: the link from 3 to 1 joins 1 to itself, and a link from
  // 2 to 3 would now name 1.
  ASSERT_TRUE(store_->begin());
  cluster::StorylineLink self = link;
  self.from_story = 1;
  cluster::StorylineLink retargeted;
  retargeted.from_story = 4;
  retargeted.to_story = 1;
  retargeted.similarity = 0.3;
  cluster::StorylineLink added;
  added.from_story = 2;
  added.to_story = 1;
  added.similarity = 0.5;
  cluster::Clusterer::StorylineChange relinked{1, "Old Mill bridge", false,
                                               2, {added},           {{1, self}, {0, retargeted}}};
  ASSERT_TRUE(store_->update_clusters({}, {relinked}));
  ASSERT_TRUE(store_->commit());
  const json after = *store_->storyline(1);
  ASSERT_EQ(after["links"].size(), 2u);
  EXPECT_EQ(after["links"][0]["from_story"], 4);  // changed in its place
  EXPECT_EQ(after["links"][0]["similarity"], 0.3);
  EXPECT_EQ(after["links"][1]["from_story"], 2);  // the added one, after the one that went
  store_.reset();

  EXPECT_EQ(link_rows(), "1:0,1:2");
}

// A story emptied by re-placement (Options::story_replace) is deleted with its row, and the
// articles that moved carry their new story and the placement that explains it.
TEST_F(ClusteredStoreTest, RemovedStoryGoesAndRegroupedArticlesFollow) {
  ASSERT_TRUE(store_->begin());
  cluster::Story s1;
  s1.id = 1;
  s1.storyline_id = 1;
  s1.label = "Cracks close Old Mill bridge";
  s1.articles = {bridge1_, bridge2_, inquiry_};
  s1.first_day = day("2025-03-03");
  s1.last_day = day("2025-03-20");
  cluster::Placement moved;
  moved.story_id = 1;
  moved.storyline_id = 1;
  moved.story_similarity = 0.42;
  moved.shared_terms = {"pier", "crack"};
  moved.replaced_from_story = 2;
  cluster::Clusterer::StorylineChange rewritten{1, "Old Mill bridge", false, 0, {}, {}};
  ASSERT_TRUE(store_->update_clusters({s1}, {rewritten}, {{inquiry_, moved}}, {2}));
  ASSERT_TRUE(store_->commit());

  EXPECT_EQ(store_->story(2).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->stories()->size(), 2u);
  auto inquiry = store_->article(std::to_string(inquiry_));
  ASSERT_TRUE(inquiry);
  EXPECT_EQ((*inquiry)["story_id"], 1);
  EXPECT_EQ((*inquiry)["placement"]["story_id"], 1);
  EXPECT_EQ((*inquiry)["placement"]["replaced_from_story"], 2);
  EXPECT_EQ((*inquiry)["placement"]["shared_terms"], json::array({"pier", "crack"}));
  EXPECT_FALSE((*inquiry)["placement"].contains("split_from_story"));
  auto line = store_->storyline(1);
  ASSERT_TRUE(line) << line.error().to_string();
  EXPECT_EQ((*line)["stories"], json::array({1}));
  EXPECT_TRUE((*line)["links"].empty());
  EXPECT_EQ((*store_->story(1))["article_count"], 3);
  const json all = *store_->export_all();
  for (const auto& story : all["stories"]) EXPECT_NE(story["id"], 2);
}

// A store whose storylines held their stories and links as lists in the storylines row (the
// earlier layout) reads the same read-only and opened for writing, when it is converted.
TEST_F(ClusteredStoreTest, EarlierStorylineRowsReadTheSameAndAreConverted) {
  const json line = *store_->storyline(1);
  const json lines = *store_->storylines();
  const json exported = (*store_->export_all())["storylines"];
  store_.reset();

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE storylines SET stories = (SELECT json_group_array(id) FROM "
                         "(SELECT id FROM stories s WHERE s.storyline_id = storylines.id ORDER BY "
                         "first_day IS NULL, first_day, id)), links = (SELECT "
                         "json_group_array(json(link)) FROM (SELECT link FROM storyline_links l "
                         "WHERE l.storyline_id = storylines.id ORDER BY seq)); "
                         "DROP TABLE storyline_links;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);

  for (const bool read_only : {true, false}) {
    auto store = Store::open(path_, {.read_only = read_only});
    ASSERT_TRUE(store) << store.error().to_string();
    EXPECT_EQ(*(*store)->storyline(1), line) << read_only;
    EXPECT_EQ(*(*store)->storylines(), lines) << read_only;
    auto all = (*store)->export_all();
    ASSERT_TRUE(all);
    EXPECT_EQ((*all)["storylines"], exported) << read_only;
  }
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT (SELECT count(*) FROM storyline_links), (SELECT count(*) "
                               "FROM storylines WHERE links != '[]' OR stories != '[]')",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 1);  // converted: the link is a row
  EXPECT_EQ(sqlite3_column_int(stmt, 1), 0);  // and the lists are gone from the rows
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(StoreTest, UncommittedTransactionIsLost) {
  {
    auto store = open_store();
    ASSERT_TRUE(store->begin());
    ASSERT_TRUE(store->add_article(
        make_article("kept", "a.example", "2025-03-01", "Kept", "This one is committed."), {}, {}));
    ASSERT_TRUE(store->commit());
    ASSERT_TRUE(store->begin());
    ASSERT_TRUE(store->add_article(
        make_article("lost", "a.example", "2025-03-02", "Lost", "This one never is."), {}, {}));
    EXPECT_EQ((*store->stats())["articles"], 2);  // visible inside the transaction
    // Closed without commit, as a killed process would leave it.
  }
  auto store = open_store();
  auto stats = store->stats();
  EXPECT_EQ((*stats)["articles"], 1);
  EXPECT_TRUE(store->article("kept"));
  EXPECT_FALSE(store->article("lost"));
  EXPECT_TRUE(store->search("never", {})->empty());
}

TEST_F(StoreTest, ReaderSeesLastCommitWhileWriterIsOpen) {
  auto writer = open_store();
  ASSERT_TRUE(writer->add_article(make_article("first", "a.example", "2025-03-01", "First",
                                               "Committed before the reader looks."),
                                  {}, {}));
  ASSERT_TRUE(writer->begin());
  ASSERT_TRUE(writer->add_article(make_article("second", "a.example", "2025-03-02", "Second",
                                               "Still inside the writer's transaction."),
                                  {}, {}));
  // WAL: the reader neither waits for the writer nor sees its uncommitted rows.
  auto reader = open_store({.read_only = true, .busy_timeout_ms = 100});
  ASSERT_TRUE(reader);
  auto seen = reader->articles({});
  ASSERT_TRUE(seen) << seen.error().to_string();
  EXPECT_EQ(seen->size(), 1u);
  ASSERT_TRUE(writer->commit());
  EXPECT_EQ(reader->articles({})->size(), 2u);
}

// Articles are indexed for search when their transaction commits: searchable inside it, once
// after it, and not at all when it is rolled back.
TEST_F(StoreTest, SearchIndexFollowsTransactions) {
  auto store = open_store();
  ASSERT_TRUE(store->add_article(
      make_article("alone", "a.example", "2025-03-01", "Harbour dredging", kBridgeText), {}, {}));
  EXPECT_EQ(store->search("dredging", {})->size(), 1u);  // outside a transaction: at once
  ASSERT_TRUE(store->begin());
  ASSERT_TRUE(store->add_article(make_article("open", "a.example", "2025-03-02", "Ferry strike",
                                              "Ferry crews in Varnholm walked out at dawn."),
                                 {}, {}));
  EXPECT_EQ(store->search("crews", {})->size(), 1u);
  ASSERT_TRUE(store->add_article(make_article("later", "a.example", "2025-03-03", "Strike talks",
                                              "Talks to end the ferry strike resumed."),
                                 {}, {}));
  ASSERT_TRUE(store->commit());
  EXPECT_EQ(store->search("ferry", {})->size(), 2u);
  EXPECT_EQ(store->search("crews", {})->size(), 1u);  // indexed once, not again at commit
  ASSERT_TRUE(store->begin());
  ASSERT_TRUE(store->add_article(
      make_article("dropped", "a.example", "2025-03-04", "Gone", "A lighthouse keeper retired."),
      {}, {}));
  store->rollback();
  EXPECT_TRUE(store->search("lighthouse", {})->empty());
  ASSERT_TRUE(store->begin());
  ASSERT_TRUE(store->add_article(
      make_article("next", "a.example", "2025-03-05", "Keeper", "A new lighthouse keeper arrived."),
      {}, {}));
  ASSERT_TRUE(store->commit());
  EXPECT_EQ(store->search("lighthouse", {})->size(), 1u);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  // The index agrees with its content table.
  EXPECT_EQ(
      sqlite3_exec(db, "INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)",
                   nullptr, nullptr, nullptr),
      SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
}

// A store whose articles were indexed by an insert trigger (the earlier layout) is converted
// on open: articles added later are indexed once, and the earlier ones stay searchable.
TEST_F(StoreTest, EarlierLayoutIsConverted) {
  {
    auto store = open_store();
    ASSERT_TRUE(store->add_article(
        make_article("old", "a.example", "2025-03-01", "Bridge closed", kBridgeText), {}, {}));
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP INDEX articles_story; CREATE INDEX articles_story ON "
                         "articles(story_id); CREATE TRIGGER articles_fts_insert AFTER INSERT ON "
                         "articles BEGIN INSERT INTO articles_fts(rowid, title, text) VALUES "
                         "(new.id, new.title, new.text); END;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  {
    auto store = open_store();
    ASSERT_TRUE(store->begin());
    ASSERT_TRUE(store->add_article(make_article("new", "a.example", "2025-03-02", "Bridge inquiry",
                                                "An inquiry into the bridge cracks opened."),
                                   {}, {}));
    ASSERT_TRUE(store->commit());
    EXPECT_EQ(store->search("bridge", {})->size(), 2u);
    EXPECT_EQ(store->search("inquiry", {})->size(), 1u);
  }
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(
      sqlite3_exec(db, "INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)",
                   nullptr, nullptr, nullptr),
      SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(db,
                         "SELECT count(*) FROM sqlite_master WHERE name = "
                         "'articles_fts_insert' OR sql LIKE '%articles(story_id, storyline_id)%'",
                         -1, &stmt, nullptr),
      SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 1);  // no trigger; the covering story index
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(StoreTest, TransactionMisuseIsAnError) {
  auto store = open_store();
  EXPECT_EQ(store->commit().error().code, ErrorCode::kInvalidInput);
  ASSERT_TRUE(store->begin());
  EXPECT_EQ(store->begin().error().code, ErrorCode::kInvalidInput);
  store->rollback();
  store->rollback();  // harmless when nothing is open
  ASSERT_TRUE(store->begin());
  ASSERT_TRUE(store->commit());
}

TEST_F(StoreTest, StateRoundTrip) {
  auto store = open_store();
  auto missing = store->load_state("clusterer");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
  json state = {{"stories", json::array({1, 2})}, {"idf", {{"bridg", 1.5}}}};
  ASSERT_TRUE(store->save_state("clusterer", state));
  ASSERT_TRUE(store->save_state("clusterer", state));  // replaces
  auto loaded = store->load_state("clusterer");
  ASSERT_TRUE(loaded && loaded->has_value());
  EXPECT_EQ(**loaded, state);
}

TEST_F(StoreTest, InvalidUtf8TextDoesNotBreakViews) {
  auto store = open_store();
  Article odd = make_article("odd", "a.example", "2025-03-01", "Broken \xff\xfe bytes",
                             "Text with \xc3 a cut sequence and a NUL-free tail.");
  auto id = store->add_article(odd, {}, {});
  ASSERT_TRUE(id);
  auto a = store->article("odd");
  ASSERT_TRUE(a);
  EXPECT_NO_THROW((void)a->dump(-1, ' ', false, json::error_handler_t::replace));
  EXPECT_TRUE(store->search("tail", {}));
  EXPECT_TRUE(store->export_all());
}

}  // namespace
}  // namespace storyline::store
