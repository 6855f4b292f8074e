#include "server/server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "common/civil_date.h"
#include "store/store.h"

namespace storyline::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Article make_article(const std::string& page_id, int segment, const std::string& source,
                     const std::string& published, const std::string& title,
                     const std::string& text) {
  Article a;
  a.page_id = page_id;
  a.segment = segment;
  a.source = source;
  a.published = published;
  a.title = title;
  a.text = text;
  a.language = "en";
  a.url = "https://" + source + "/" + page_id;
  return a;
}

Analysis make_analysis(const std::string& event_date, const std::string& person) {
  Analysis an;
  an.event_date = event_date;
  Entity e;
  e.name = person;
  e.key = "tomas oyelaran";
  e.type = EntityType::kPerson;
  e.aliases = {person};
  e.mention_count = 1;
  an.entities.push_back(e);
  return an;
}

long day(const char* iso) { return parse_iso_date(iso)->days_since_epoch(); }

// A small fictional store (an observatory's telescope funding dispute over two events), served
// on a loopback port picked by the OS.
class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("storyline_server_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_path_ = (dir_ / "serve.db").string();
    build_store();
    server_ = new Server({.host = "127.0.0.1", .port = 0, .db_path = db_path_});
    auto bound = server_->bind();
    ASSERT_TRUE(bound) << bound.error().to_string();
    ASSERT_GT(server_->port(), 0);
    thread_ = new std::thread([] { (void)server_->run(); });
  }

  static void TearDownTestSuite() {
    if (server_) server_->stop();
    if (thread_) {
      thread_->join();
      delete thread_;
      thread_ = nullptr;
    }
    delete server_;
    server_ = nullptr;
    fs::remove_all(dir_);
  }

  static void build_store() {
    auto opened = store::Store::open(db_path_);
    ASSERT_TRUE(opened) << opened.error().to_string();
    store::Store& s = **opened;
    ASSERT_TRUE(s.begin());
    a1_ = *s.add_article(
        make_article("obs-001", 0, "highland-courier.example", "2025-05-02",
                     "Council halts funding for Kessel Ridge telescope",
                     "The regional council voted to halt funding for the Kessel Ridge telescope "
                     "on Thursday.\nDirector Tomas Oyelaran called the decision short-sighted."),
        make_analysis("2025-05-01", "Tomas Oyelaran"), {});
    a2_ = *s.add_article(
        make_article("obs-014", 2, "science-desk.example", "2025-05-19",
                     "Telescope staff rally outside council chamber",
                     "About 200 astronomers and students gathered outside the council chamber "
                     "to protest the telescope cuts.\n\"We are not finished,\" Oyelaran said."),
        make_analysis("2025-05-19", "Oyelaran"), {});
    cluster::Placement p;
    p.story_id = 10;
    p.storyline_id = 5;
    ASSERT_TRUE(s.set_placement(a1_, p));
    p.story_id = 11;
    ASSERT_TRUE(s.set_placement(a2_, p));
    cluster::Story first;
    first.id = 10;
    first.storyline_id = 5;
    first.label = "Council halts funding for Kessel Ridge telescope";
    first.articles = {a1_};
    first.first_day = first.last_day = day("2025-05-01");
    cluster::Story second;
    second.id = 11;
    second.storyline_id = 5;
    second.label = "Telescope staff rally outside council chamber";
    second.articles = {a2_};
    second.first_day = second.last_day = day("2025-05-19");
    cluster::Storyline line;
    line.id = 5;
    line.label = "Kessel Ridge telescope funding";
    line.stories = {10, 11};
    line.links = {{10, 11, 0.41, {"tomas oyelaran"}, {"telescop"}}};
    ASSERT_TRUE(s.save_clusters({first, second}, {line}));
    ASSERT_TRUE(s.save_entities({{"tomas oyelaran",
                                  "Tomas Oyelaran",
                                  EntityType::kPerson,
                                  {"Tomas Oyelaran", "Oyelaran"},
                                  2}}));
    ASSERT_TRUE(s.commit());
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_connection_timeout(5);
    c.set_read_timeout(10);
    return c;
  }

  // GET `path`, expecting `status`; returns the parsed JSON body.
  json get_json(const std::string& path, int status = 200) const {
    auto c = client();
    auto res = c.Get(path.c_str());
    EXPECT_TRUE(res) << path << ": " << httplib::to_string(res.error());
    if (!res) return nullptr;
    EXPECT_EQ(res->status, status) << path << ": " << res->body;
    EXPECT_NE(res->get_header_value("Content-Type").find("application/json"), std::string::npos)
        << path;
    return json::parse(res->body, nullptr, false);
  }

  static inline fs::path dir_;
  static inline std::string db_path_;
  static inline Server* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
  static inline int64_t a1_ = 0;
  static inline int64_t a2_ = 0;
};

TEST_F(ServerTest, Stats) {
  json stats = get_json("/api/stats");
  EXPECT_EQ(stats["articles"], 2);
  EXPECT_EQ(stats["stories"], 2);
  EXPECT_EQ(stats["storylines"], 1);
}

TEST_F(ServerTest, ArticlesAndFilters) {
  json all = get_json("/api/articles");
  ASSERT_TRUE(all.is_array());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]["key"], "obs-014#2");  // newest first
  json from_source = get_json("/api/articles?source=highland-courier.example&limit=5");
  ASSERT_EQ(from_source.size(), 1u);
  EXPECT_EQ(from_source[0]["id"], a1_);
  EXPECT_EQ(get_json("/api/articles?since=2025-05-10").size(), 1u);
  EXPECT_EQ(get_json("/api/articles?entity=tomas%20oyelaran").size(), 2u);
}

TEST_F(ServerTest, ArticleByKeyAndId) {
  json a = get_json("/api/articles/obs-001");
  EXPECT_EQ(a["id"], a1_);
  EXPECT_EQ(a["story_id"], 10);
  EXPECT_EQ(a["analysis"]["entities"][0]["name"], "Tomas Oyelaran");
  // A segment key carries '#', sent percent-encoded.
  json segment = get_json("/api/articles/obs-014%232");
  EXPECT_EQ(segment["id"], a2_);
  EXPECT_EQ(get_json("/api/articles/" + std::to_string(a2_))["key"], "obs-014#2");
}

TEST_F(ServerTest, Search) {
  json hits = get_json("/api/search?q=telescope");
  ASSERT_EQ(hits.size(), 2u);
  json narrowed = get_json("/api/search?q=astronomers");
  ASSERT_EQ(narrowed.size(), 1u);
  EXPECT_EQ(narrowed[0]["id"], a2_);
  EXPECT_NE(narrowed[0]["snippet"].get<std::string>().find("[astronomers]"), std::string::npos);
  // FTS syntax errors are retried as plain terms, not reported.
  EXPECT_EQ(get_json("/api/search?q=%22kessel%20ridge").size(), 1u);
  json missing = get_json("/api/search", 400);
  EXPECT_EQ(missing["error"]["code"], "invalid_input");
}

TEST_F(ServerTest, StoriesAndStorylines) {
  json stories = get_json("/api/stories");
  ASSERT_EQ(stories.size(), 2u);
  json story = get_json("/api/stories/10");
  ASSERT_EQ(story["articles"].size(), 1u);
  EXPECT_EQ(story["sources"], json::array({"highland-courier.example"}));

  json lines = get_json("/api/storylines");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["story_count"], 2);
  json line = get_json("/api/storylines/5");
  ASSERT_EQ(line["timeline"].size(), 2u);
  EXPECT_EQ(line["timeline"][0]["date"], "2025-05-01");
  EXPECT_EQ(line["timeline"][1]["articles"][0]["source"], "science-desk.example");
  EXPECT_EQ(line["links"][0]["shared_entities"][0], "tomas oyelaran");

  json compared = get_json("/api/storylines/5/compare");
  EXPECT_TRUE(compared.is_object());
  get_json("/api/storylines/999/compare", 404);
}

TEST_F(ServerTest, EntitiesAndExport) {
  json people = get_json("/api/entities?type=PER");
  ASSERT_EQ(people.size(), 1u);
  EXPECT_EQ(people[0]["name"], "Tomas Oyelaran");
  get_json("/api/entities?type=planet", 400);
  json all = get_json("/api/export");
  EXPECT_EQ(all["articles"].size(), 2u);
  EXPECT_EQ(all["storylines"][0]["timeline"].size(), 2u);
}

TEST_F(ServerTest, NotFound) {
  json missing = get_json("/api/storylines/404", 404);
  EXPECT_EQ(missing["error"]["code"], "not_found");
  get_json("/api/articles/no-such-page", 404);
  json route = get_json("/api/nothing-here", 404);
  EXPECT_EQ(route["error"]["code"], "not_found");
}

TEST_F(ServerTest, BadParameters) {
  json bad = get_json("/api/articles?limit=0", 400);
  EXPECT_EQ(bad["error"]["code"], "invalid_input");
  EXPECT_NE(bad["error"]["message"].get<std::string>().find("limit"), std::string::npos);
  get_json("/api/articles?limit=100000", 400);
  get_json("/api/articles?limit=ten", 400);
  get_json("/api/articles?since=05/02/2025", 400);
  get_json("/api/articles?until=2025-02-30", 400);
  get_json("/api/stories/abc", 400);
  get_json("/api/search?q=telescope&offset=-1", 400);
}

TEST_F(ServerTest, WebPage) {
  auto c = client();
  auto res = c.Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(res->body.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(res->body.find("/api/storylines"), std::string::npos);
  EXPECT_NE(res->body.find("/api/search"), std::string::npos);
  // Self-contained and never assigning raw data as markup.
  EXPECT_EQ(res->body.find("innerHTML"), std::string::npos);
  EXPECT_EQ(res->body.find("src=\"http"), std::string::npos);
}

TEST(ServerBind, PortInUseIsAnError) {
  Server first({.host = "127.0.0.1", .port = 0, .db_path = "unused.db"});
  ASSERT_TRUE(first.bind());
  Server second({.host = "127.0.0.1", .port = first.port(), .db_path = "unused.db"});
  auto bound = second.bind();
  ASSERT_FALSE(bound);
  EXPECT_EQ(bound.error().code, ErrorCode::kIo);
  first.stop();
}

TEST(ServerBind, MissingDatabaseIsAServerError) {
  const std::string path =
      (fs::temp_directory_path() / ("storyline_absent_" + std::to_string(::getpid()) + ".db"))
          .string();
  Server server({.host = "127.0.0.1", .port = 0, .db_path = path});
  ASSERT_TRUE(server.bind());
  std::thread runner([&] { (void)server.run(); });
  httplib::Client c("127.0.0.1", server.port());
  auto res = c.Get("/api/stats");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_NE(res->body.find("database unavailable"), std::string::npos);
  server.stop();
  runner.join();
  EXPECT_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace storyline::server
