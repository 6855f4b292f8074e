// store: the SQLite file that holds everything storyline knows (WAL, schema versioned), and
// BM25 search over it (FTS5).
//
//   auto store = store::Store::open("storyline.db");
//   auto tx = (*store)->begin();  ... (*store)->add_article(...); ... (*store)->commit();
//
// Writes happen inside transactions, so a killed process leaves the last committed state.
// Read views come back as JSON objects (the same shapes the CLI, API and export print;
// docs/export-schema.md).
// Thread-safety: one Store per thread; SQLite in WAL mode lets readers run beside a writer.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "cluster/cluster.h"
#include "common/document.h"
#include "common/result.h"
#include "understand/understand.h"

struct sqlite3;
struct sqlite3_stmt;

namespace storyline::store {

inline constexpr int kSchemaVersion = 1;

struct Options {
  bool read_only = false;
  int busy_timeout_ms = 5000;
};

struct ArticleFilter {
  std::string source;        // exact outlet
  std::string language;      // ISO 639-1
  std::string since;         // published on or after (ISO date)
  std::string until;         // published on or before (ISO date)
  int64_t story_id = 0;      // 0: any
  int64_t storyline_id = 0;  // 0: any
  std::string entity;        // entity key: only articles that mention it
  int limit = 100;           // 0: no limit; negative: kInvalidInput
  int offset = 0;
};

class Store {
 public:
  [[nodiscard]] static Result<std::unique_ptr<Store>> open(const std::string& path,
                                                           Options options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  [[nodiscard]] Result<void> begin();
  [[nodiscard]] Result<void> commit();
  void rollback();

  // --- write path (pipeline) ---
  // True when a page with this content hash was ingested before (re-ingest changes nothing).
  [[nodiscard]] Result<bool> has_page(uint64_t content_hash);
  [[nodiscard]] Result<void> add_page(const Page& page, uint64_t content_hash, int articles,
                                      const std::string& status);
  // A new canonical article; returns its id. `signature` is dedup's serialized signature.
  [[nodiscard]] Result<int64_t> add_article(const Article& article, const Analysis& analysis,
                                            const std::vector<uint8_t>& signature);
  // A copy of `canonical_id`: recorded as a duplicate, not as a new article.
  [[nodiscard]] Result<void> add_duplicate(const Article& article, int64_t canonical_id,
                                           double similarity, bool exact);
  [[nodiscard]] Result<void> set_placement(int64_t article_id, const cluster::Placement& placement);
  // Replaces the story and storyline tables with the clusterer's current view (storylines
  // merged into another are left out); `regrouped` as for update_clusters().
  [[nodiscard]] Result<void> save_clusters(
      const std::vector<cluster::Story>& stories,
      const std::vector<cluster::Clusterer::StorylineChange>& storylines,
      const std::vector<std::pair<int64_t, cluster::Placement>>& regrouped = {});
  [[nodiscard]] Result<void> save_clusters(const std::vector<cluster::Story>& stories,
                                           const std::vector<cluster::Storyline>& storylines);
  [[nodiscard]] Result<void> save_entities(
      const std::vector<understand::EntityDirectory::Entry>& entries);
  [[nodiscard]] Result<void> save_state(const std::string& name, const nlohmann::json& state);
  // Incremental checkpoints (cost = what changed, not what is held): the rows of these stories
  // are replaced, the storylines get the links given from `links_from` on (one merged into
  // another is deleted), and the articles of each story follow it to its current storyline.
  // Articles re-placed into another story (`regrouped`, Clusterer::Changes) get that story and
  // their placement now, and stories emptied so (`removed_stories`) are deleted.
  [[nodiscard]] Result<void> update_clusters(
      const std::vector<cluster::Story>& stories,
      const std::vector<cluster::Clusterer::StorylineChange>& storylines,
      const std::vector<std::pair<int64_t, cluster::Placement>>& regrouped = {},
      const std::vector<int64_t>& removed_stories = {});
  // The same with whole storylines (links from 0; one without stories is deleted).
  [[nodiscard]] Result<void> update_clusters(const std::vector<cluster::Story>& stories,
                                             const std::vector<cluster::Storyline>& storylines);
  // Entity rows of `changed` replaced; rows of `gone` (key, type) deleted first.
  [[nodiscard]] Result<void> update_entities(
      const std::vector<const understand::EntityDirectory::Entry*>& changed,
      const std::vector<std::pair<std::string, EntityType>>& gone);
  // Named state rows stored as "<prefix><name>" (one state as many rows, so a change rewrites
  // only its rows): replaced, all deleted, or read back in name order (names without prefix).
  [[nodiscard]] Result<void> save_state_rows(
      std::string_view prefix, const std::vector<std::pair<std::string, nlohmann::json>>& rows);
  [[nodiscard]] Result<void> delete_state_rows(std::string_view prefix);
  [[nodiscard]] Result<void> delete_state_rows(std::string_view prefix,
                                               const std::vector<std::string>& names);
  [[nodiscard]] Result<std::vector<std::pair<std::string, nlohmann::json>>> load_state_rows(
      std::string_view prefix);
  [[nodiscard]] Result<void> delete_state(const std::string& name);

  // --- load path (pipeline start) ---
  [[nodiscard]] Result<std::optional<nlohmann::json>> load_state(const std::string& name);
  [[nodiscard]] Result<std::vector<understand::EntityDirectory::Entry>> load_entities();
  // Calls `visit(article_id, signature bytes)` for every canonical article.
  [[nodiscard]] Result<void> for_each_signature(
      const std::function<void(int64_t, const std::vector<uint8_t>&)>& visit);

  // Calls `visit(article_id, article, analysis)` for every canonical article in id (ingest)
  // order: regrouping replays them through a new clusterer without re-extracting.
  [[nodiscard]] Result<void> for_each_article(
      const std::function<void(int64_t, const Article&, const Analysis&)>& visit);

  // --- read views (CLI, server, export) ---
  // Newest first: [{id, key, title, source, published, language, story_id, storyline_id,
  // truncated, is_teaser, snippet}]. Duplicates are never listed (see article()["duplicates"]).
  [[nodiscard]] Result<nlohmann::json> articles(const ArticleFilter& filter);
  // By numeric id or by article key ("000_1c04…#2"); includes analysis, duplicates, placement.
  [[nodiscard]] Result<nlohmann::json> article(const std::string& id_or_key);
  // The body text of a stored article (kNotFound when there is none): for verifying copies.
  [[nodiscard]] Result<std::string> article_text(int64_t id);
  // Article and analysis structs, for compare.
  [[nodiscard]] Result<std::vector<std::tuple<int64_t, int64_t, Article, Analysis>>>
  storyline_articles(int64_t storyline_id);
  // Limits: 0 means all. Stories and storylines come most recent first.
  [[nodiscard]] Result<nlohmann::json> stories(int limit = 1000);
  [[nodiscard]] Result<nlohmann::json> story(int64_t story_id);
  [[nodiscard]] Result<nlohmann::json> storylines(int limit = 1000);
  [[nodiscard]] Result<nlohmann::json> storyline(int64_t storyline_id);  // with timeline
  // `type`: "" for all, else PER/ORG/LOC/MISC (or person, organization, location, other).
  [[nodiscard]] Result<nlohmann::json> entities(const std::string& type, int limit = 1000);
  // Quotes across articles, the same words from several outlets grouped into one:
  // [{speaker, speaker_key, text, cue, direct, article_count, sources: [{article_id, source,
  // published, title, text}], variants: [distinct wordings, when they differ]}], most
  // reported first. `speaker`: "" for all, else a name matched by merge key ("Zelensky"
  // finds "Volodymyr Zelenskiy"). Reported speech shorter than three words is left out.
  // `limit`: groups, 0 = all.
  [[nodiscard]] Result<nlohmann::json> quotes(const std::string& speaker, int limit = 100);
  // FTS5 MATCH ranked by BM25 (title weighted 5x body): the articles() rows plus "score"
  // (higher is better) and a "snippet" of the body with matches marked as [term]. A query FTS5
  // cannot parse is retried with every term quoted; kInvalidInput only if that fails too.
  [[nodiscard]] Result<nlohmann::json> search(const std::string& query,
                                              const ArticleFilter& filter);
  [[nodiscard]] Result<nlohmann::json> stats();
  [[nodiscard]] Result<nlohmann::json> export_all();

 private:
  explicit Store(sqlite3* db);
  // The cached prepared statement for `sql` (prepared on first use, finalised in ~Store).
  [[nodiscard]] Result<sqlite3_stmt*> prepare(const std::string& sql);
  [[nodiscard]] Result<void> exec(const char* sql);
  [[nodiscard]] Result<void> init_schema(bool read_only);
  // Indexes the articles added since the last sync for search (see kSchemaSql).
  [[nodiscard]] Result<void> sync_fts();
  [[nodiscard]] Result<void> write_regrouped(
      const std::vector<std::pair<int64_t, cluster::Placement>>& regrouped);
  [[nodiscard]] Result<void> write_storylines(
      const std::vector<cluster::Clusterer::StorylineChange>& storylines);
  [[nodiscard]] Result<nlohmann::json> list_articles(const std::string& query,
                                                     const ArticleFilter& filter);
  [[nodiscard]] Result<nlohmann::json> article_by_id(int64_t id);
  [[nodiscard]] Result<nlohmann::json> duplicates_of(int64_t canonical_id);
  [[nodiscard]] Result<nlohmann::json> story_rows(const std::string& where, int64_t arg, int limit);

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
  int64_t fts_pending_from_ = 0;  // first article id not yet in articles_fts; 0: none
  // Storyline links are rows of storyline_links and its stories the stories naming it; false
  // for an older store opened read-only (both are lists in the storylines row).
  bool link_rows_ = false;
};

}  // namespace storyline::store
