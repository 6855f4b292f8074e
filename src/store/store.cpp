#include "store/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <ctime>
#include <exception>
#include <filesystem>
#include <string_view>
#include <utility>
#include <variant>

#include "common/civil_date.h"
#include "common/json.h"
#include "common/text_util.h"

namespace storyline::store {
namespace {

using nlohmann::json;

// Version 1 of the layout. Articles and duplicates live in separate tables so a copy can never
// show up in an article listing; stories and storylines are the clusterer's current view and
// are replaced wholesale by save_clusters(). The FTS index is an external-content table: new
// articles are indexed in one statement when the transaction commits (sync_fts()), deletes and
// title/text updates by triggers. Indexing at commit matters for cost: FTS5 writes its pending
// terms out as a new segment at every savepoint, and an insert trigger opens one per article,
// so a trigger made one segment per article and merging them cost more as the index grew.
// Stores laid out before articles were indexed at commit: their insert trigger goes (it would
// index each article twice), and the story index covers the storyline so that following a story
// to its storyline reads the index, not every article row of a long story.
constexpr const char* kMigrateSql = R"sql(
DROP TRIGGER articles_fts_insert;
DROP INDEX IF EXISTS articles_story;
CREATE INDEX articles_story ON articles(story_id, storyline_id);
)sql";

constexpr const char* kSchemaSql = R"sql(
CREATE TABLE meta(
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE pages(
  id INTEGER PRIMARY KEY,
  page_id TEXT NOT NULL,
  origin TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  published TEXT NOT NULL DEFAULT '',
  format TEXT NOT NULL DEFAULT '',
  content_hash INTEGER NOT NULL UNIQUE,
  status TEXT NOT NULL,
  articles INTEGER NOT NULL DEFAULT 0,
  ingested_at TEXT NOT NULL
);

CREATE TABLE articles(
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  page_id TEXT NOT NULL,
  segment INTEGER NOT NULL DEFAULT 0,
  url TEXT NOT NULL DEFAULT '',
  canonical_url TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  site_name TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  kicker TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  published TEXT NOT NULL DEFAULT '',
  dateline TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL DEFAULT '',
  truncated INTEGER NOT NULL DEFAULT 0,
  is_teaser INTEGER NOT NULL DEFAULT 0,
  warnings TEXT NOT NULL DEFAULT '[]',
  analysis TEXT NOT NULL DEFAULT '{}',
  event_date TEXT NOT NULL DEFAULT '',
  signature BLOB,
  story_id INTEGER,
  storyline_id INTEGER,
  placement TEXT,
  ingested_at TEXT NOT NULL
);
CREATE INDEX articles_story ON articles(story_id, storyline_id);
CREATE INDEX articles_storyline ON articles(storyline_id);
CREATE INDEX articles_source ON articles(source);
CREATE INDEX articles_published ON articles(published);

CREATE TABLE duplicates(
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  canonical_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  similarity REAL NOT NULL,
  exact INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  published TEXT NOT NULL DEFAULT '',
  ingested_at TEXT NOT NULL
);
CREATE INDEX duplicates_canonical ON duplicates(canonical_id);

CREATE TABLE stories(
  id INTEGER PRIMARY KEY,
  storyline_id INTEGER,
  label TEXT NOT NULL DEFAULT '',
  first_day INTEGER,
  last_day INTEGER,
  article_count INTEGER NOT NULL DEFAULT 0,
  articles TEXT NOT NULL DEFAULT '[]',
  top_entities TEXT NOT NULL DEFAULT '[]',
  top_terms TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX stories_storyline ON stories(storyline_id);

CREATE TABLE storylines(
  id INTEGER PRIMARY KEY,
  label TEXT NOT NULL DEFAULT '',
  stories TEXT NOT NULL DEFAULT '[]',
  links TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE entities(
  key TEXT NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  aliases TEXT NOT NULL DEFAULT '[]',
  article_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(key, type)
);
CREATE INDEX entities_count ON entities(article_count DESC);

CREATE TABLE entity_mentions(
  entity_key TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  mentions INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY(entity_key, entity_type, article_id)
) WITHOUT ROWID;
CREATE INDEX entity_mentions_article ON entity_mentions(article_id);

CREATE TABLE state(
  name TEXT PRIMARY KEY,
  json TEXT NOT NULL
) WITHOUT ROWID;

CREATE VIRTUAL TABLE articles_fts USING fts5(
  title, text, content='articles', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
)sql";

// A storyline's links, one row each (numbered from 0 in the order the clusterer made them), so
// that a checkpoint adds the new links instead of rewriting a storyline's whole list; its
// stories are the stories rows that name it, in event order. Stores laid out before this table
// kept both as JSON lists in the storylines row: they are moved here when the store is opened
// for writing, and read from the row when it is opened read-only.
constexpr const char* kLinksSchemaSql = R"sql(
CREATE TABLE storyline_links(
  storyline_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  link TEXT NOT NULL,
  PRIMARY KEY(storyline_id, seq)
) WITHOUT ROWID;
)sql";
constexpr const char* kMigrateLinksSql = R"sql(
INSERT INTO storyline_links(storyline_id, seq, link)
  SELECT sl.id, j.key, j.value FROM storylines sl, json_each(sl.links) j;
UPDATE storylines SET stories = '[]', links = '[]';
)sql";

// Columns read into an Article by read_article(), starting at column 0.
constexpr const char* kArticleColumns =
    "a.id, a.key, a.page_id, a.segment, a.url, a.canonical_url, a.source, a.site_name, a.title, "
    "a.kicker, a.author, a.published, a.dateline, a.description, a.language, a.text, "
    "a.truncated, a.is_teaser, a.warnings, a.analysis, a.story_id, a.storyline_id, "
    "a.placement, a.event_date";

// Columns of a listing row (articles(), search()), read by summary_row().
constexpr const char* kSummaryColumns =
    "a.id, a.key, a.title, a.source, a.published, a.language, a.story_id, a.storyline_id, "
    "a.truncated, a.is_teaser";

// Moves article ?3 to story ?1 in storyline ?2 after it was placed (a story split, a storyline
// merge), carrying its placement's explanation along: the placement names the story and
// storyline the article is in now, and `split_from_story` the story it joined (the one its
// similarity and shared entities and terms explain). Rows already there are left alone.
constexpr const char* kMoveArticleSql =
    "UPDATE articles SET story_id = ?1, storyline_id = ?2, placement = CASE WHEN story_id IS "
    "NOT ?1 THEN json_set(placement, '$.story_id', ?1, '$.storyline_id', ?2, "
    "'$.split_from_story', coalesce(json_extract(placement, '$.split_from_story'), "
    "json_extract(placement, '$.story_id'))) ELSE json_set(placement, '$.storyline_id', ?2) END "
    "WHERE id = ?3 AND (story_id IS NOT ?1 OR storyline_id IS NOT ?2)";

// Accepted spellings of entity types in the entities() filter, lower-case -> stored name.
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kEntityTypeNames = {{
    {"per", "PER"},
    {"person", "PER"},
    {"people", "PER"},
    {"org", "ORG"},
    {"organization", "ORG"},
    {"organisation", "ORG"},
    {"loc", "LOC"},
    {"location", "LOC"},
    {"place", "LOC"},
    {"misc", "MISC"},
    {"other", "MISC"},
    {"", ""},
}};

constexpr int kSnippetChars = 200;   // listing snippet length, in characters
constexpr int kMaxKeySuffix = 1000;  // "~2" .. "~1000" before giving up on a colliding key

ErrorCode code_for(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      return ErrorCode::kCorrupt;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL:
      return ErrorCode::kIo;
    case SQLITE_TOOBIG:
      return ErrorCode::kTooLarge;
    case SQLITE_READONLY:
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return ErrorCode::kInvalidInput;
    default:
      return ErrorCode::kInternal;
  }
}

Error sql_error(sqlite3* db, int rc, std::string context) {
  std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_READONLY) message += " (store opened read-only)";
  return make_error(code_for(rc), "sqlite: " + message, std::move(context));
}

// One use of a cached prepared statement: binds, steps, reads, and resets it on destruction so
// the cache can hand it out again. Bind failures are remembered and reported by step().
class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Stmt() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int index, int64_t value) { return check(sqlite3_bind_int64(stmt_, index, value)); }
  Stmt& bind(int index, int value) { return check(sqlite3_bind_int(stmt_, index, value)); }
  Stmt& bind(int index, bool value) { return check(sqlite3_bind_int(stmt_, index, value ? 1 : 0)); }
  Stmt& bind(int index, double value) { return check(sqlite3_bind_double(stmt_, index, value)); }
  Stmt& bind(int index, std::string_view value) {
    return check(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8));
  }
  Stmt& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Stmt& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Stmt& bind_blob(int index, const std::vector<uint8_t>& value) {
    // A zero-length blob, not NULL, for an empty signature (data() may be null).
    static const uint8_t kEmpty = 0;
    return check(sqlite3_bind_blob64(stmt_, index, value.empty() ? &kEmpty : value.data(),
                                     value.size(), SQLITE_TRANSIENT));
  }
  Stmt& bind_null(int index) { return check(sqlite3_bind_null(stmt_, index)); }
  // Ids of 0 mean "none" in the cluster structs; stored as NULL.
  Stmt& bind_id(int index, int64_t id) { return id ? bind(index, id) : bind_null(index); }
  Stmt& bind_day(int index, long day) {
    return day == cluster::kUnknownDay ? bind_null(index) : bind(index, static_cast<int64_t>(day));
  }

  // True when a row is ready, false when done.
  Result<bool> step() {
    if (bind_rc_ != SQLITE_OK) return sql_error(sqlite3_db_handle(stmt_), bind_rc_, "bind");
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sql_error(sqlite3_db_handle(stmt_), rc, sqlite3_sql(stmt_));
  }
  Result<void> run() {
    for (;;) {
      auto row = step();
      if (!row) return row.error();
      if (!*row) return {};
    }
  }

  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  int64_t i64(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  bool boolean(int col) const { return sqlite3_column_int(stmt_, col) != 0; }
  std::string_view view(int col) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    if (!data) return {};
    return {data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
  }
  std::string text(int col) const { return std::string(view(col)); }
  std::vector<uint8_t> blob(int col) const {
    const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, col));
    const int size = sqlite3_column_bytes(stmt_, col);
    if (!data || size <= 0) return {};
    return {data, data + size};
  }
  // A nullable id column as JSON (null when absent).
  json id_json(int col) const { return is_null(col) ? json(nullptr) : json(i64(col)); }
  // A JSON text column parsed; `fallback` when NULL or empty. Throws on malformed JSON, which
  // the guard at the API boundary reports as kCorrupt.
  json parsed(int col, json fallback = nullptr) const {
    std::string_view text = view(col);
    if (is_null(col) || text.empty()) return fallback;
    return json::parse(text);
  }

 private:
  Stmt& check(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    return *this;
  }
  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
};

// Makes a multi-statement write atomic whether or not the caller opened a transaction: a
// savepoint nests inside begin()/commit() and acts as its own transaction outside one.
class Savepoint {
 public:
  explicit Savepoint(sqlite3* db) : db_(db) {
    rc_ = sqlite3_exec(db_, "SAVEPOINT store_write", nullptr, nullptr, nullptr);
  }
  ~Savepoint() {
    if (rc_ == SQLITE_OK && !released_) {
      sqlite3_exec(db_, "ROLLBACK TO store_write", nullptr, nullptr, nullptr);
      sqlite3_exec(db_, "RELEASE store_write", nullptr, nullptr, nullptr);
    }
  }
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;

  Result<void> status() const {
    if (rc_ != SQLITE_OK) return sql_error(db_, rc_, "savepoint");
    return {};
  }
  Result<void> release() {
    const int rc = sqlite3_exec(db_, "RELEASE store_write", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return sql_error(db_, rc, "release savepoint");
    released_ = true;
    return {};
  }

 private:
  sqlite3* db_;
  int rc_;
  bool released_ = false;
};

// Runs `body`, turning exceptions (malformed stored JSON, allocation failure) into errors:
// the library never lets one escape.
template <typename Body>
auto guarded(const char* what, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const json::exception& e) {
    return make_error(ErrorCode::kCorrupt, std::string("stored JSON is malformed: ") + e.what(),
                      what);
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInternal, e.what(), what);
  }
}

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string now_iso() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string day_iso(const Stmt& row, int col) {
  if (row.is_null(col)) return "";
  return CivilDate::from_days(static_cast<long>(row.i64(col))).iso();
}

// A filter date bound normalised to its ISO prefix ("2025-04-25", "2025-04", "2025"); a
// date-time is cut to its date. Anything else is rejected.
std::optional<std::string> date_bound(const std::string& text) {
  auto date = parse_iso_date(text);
  if (!date) return std::nullopt;
  std::string iso = date->iso();
  if (text == iso) return iso;
  if (iso.size() == 10 && text.size() > 10 && text.compare(0, 10, iso) == 0 &&
      (text[10] == 'T' || text[10] == ' '))
    return iso;
  return std::nullopt;
}

std::optional<std::string> entity_type_filter(const std::string& type) {
  const std::string lower = ascii_lower(trim(type));
  for (const auto& [name, stored] : kEntityTypeNames)
    if (lower == name) return std::string(stored);
  return std::nullopt;
}

using Binding = std::variant<int64_t, std::string>;

// WHERE clauses (each starting with " AND ") and their bindings for an ArticleFilter over the
// articles table aliased `a`.
Result<std::string> filter_sql(const ArticleFilter& filter, std::vector<Binding>& bindings) {
  std::string sql;
  if (!filter.source.empty()) {
    sql += " AND a.source = ?";
    bindings.emplace_back(filter.source);
  }
  if (!filter.language.empty()) {
    sql += " AND a.language = ?";
    bindings.emplace_back(ascii_lower(filter.language));
  }
  if (!filter.since.empty()) {
    auto since = date_bound(filter.since);
    if (!since)
      return make_error(ErrorCode::kInvalidInput, "since: not an ISO date: " + filter.since);
    sql += " AND a.published != '' AND a.published >= ?";
    bindings.emplace_back(*since);
  }
  if (!filter.until.empty()) {
    auto until = date_bound(filter.until);
    if (!until)
      return make_error(ErrorCode::kInvalidInput, "until: not an ISO date: " + filter.until);
    // Compare only as much of `published` as the bound has, so a date-time on the last day
    // (or any day of the last month) still counts as "on or before".
    sql += " AND a.published != '' AND substr(a.published, 1, " + std::to_string(until->size()) +
           ") <= ?";
    bindings.emplace_back(*until);
  }
  if (filter.story_id) {
    sql += " AND a.story_id = ?";
    bindings.emplace_back(filter.story_id);
  }
  if (filter.storyline_id) {
    sql += " AND a.storyline_id = ?";
    bindings.emplace_back(filter.storyline_id);
  }
  if (!filter.entity.empty()) {
    sql +=
        " AND EXISTS (SELECT 1 FROM entity_mentions m WHERE m.article_id = a.id AND "
        "m.entity_key = ?)";
    bindings.emplace_back(filter.entity);
  }
  if (filter.limit < 0 || filter.offset < 0)
    return make_error(ErrorCode::kInvalidInput, "limit and offset must not be negative");
  return sql;
}

void bind_all(Stmt& stmt, const std::vector<Binding>& bindings, int first) {
  for (std::size_t i = 0; i < bindings.size(); ++i) {
    const int index = first + static_cast<int>(i);
    if (const auto* number = std::get_if<int64_t>(&bindings[i])) {
      stmt.bind(index, *number);
    } else {
      stmt.bind(index, std::get<std::string>(bindings[i]));
    }
  }
}

// Reads the kArticleColumns of `row` into `article` (columns 1..17 hold its fields).
void read_article(const Stmt& row, Article& article) {
  article.page_id = row.text(2);
  article.segment = static_cast<int>(row.i64(3));
  article.url = row.text(4);
  article.canonical_url = row.text(5);
  article.source = row.text(6);
  article.site_name = row.text(7);
  article.title = row.text(8);
  article.kicker = row.text(9);
  article.author = row.text(10);
  article.published = row.text(11);
  article.dateline = row.text(12);
  article.description = row.text(13);
  article.language = row.text(14);
  article.text = row.text(15);
  article.truncated = row.boolean(16);
  article.is_teaser = row.boolean(17);
  article.warnings = row.parsed(18, json::array()).get<std::vector<std::string>>();
}

json summary_row(const Stmt& row) {
  return json{{"id", row.i64(0)},
              {"key", row.text(1)},
              {"title", row.text(2)},
              {"source", row.text(3)},
              {"published", row.text(4)},
              {"language", row.text(5)},
              {"story_id", row.id_json(6)},
              {"storyline_id", row.id_json(7)},
              {"truncated", row.boolean(8)},
              {"is_teaser", row.boolean(9)}};
}

// The listing snippet: the opening characters of the text, paragraphs joined by spaces.
std::string listing_snippet(std::string_view prefix, bool cut) {
  std::string out(prefix);
  std::replace(out.begin(), out.end(), '\n', ' ');
  if (cut) {
    // Finish at a word boundary so the snippet does not end mid-word.
    const std::size_t space = out.find_last_of(' ');
    if (space != std::string::npos && space > out.size() / 2) out.resize(space);
    out += "…";
  }
  return out;
}

// Quotes every whitespace-separated term so FTS5 reads it literally: the fallback for a query
// whose operators or punctuation FTS5 rejects.
std::string quote_terms(std::string_view query) {
  std::string out;
  std::size_t i = 0;
  while (i < query.size()) {
    while (i < query.size() && std::isspace(static_cast<unsigned char>(query[i]))) ++i;
    const std::size_t start = i;
    while (i < query.size() && !std::isspace(static_cast<unsigned char>(query[i]))) ++i;
    if (i == start) break;
    if (!out.empty()) out += ' ';
    out += '"';
    for (char c : query.substr(start, i - start)) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out;
}

json link_json(const cluster::StorylineLink& link) {
  return json{{"from_story", link.from_story},
              {"to_story", link.to_story},
              {"similarity", link.similarity},
              {"shared_entities", link.shared_entities},
              {"shared_terms", link.shared_terms}};
}

json placement_json(const cluster::Placement& p) {
  json out{{"story_id", p.story_id},
           {"storyline_id", p.storyline_id},
           {"new_story", p.new_story},
           {"new_storyline", p.new_storyline},
           {"story_similarity", p.story_similarity},
           {"storyline_similarity", p.storyline_similarity},
           {"linked_story_id", p.linked_story_id},
           {"shared_entities", p.shared_entities},
           {"shared_terms", p.shared_terms}};
  if (p.replaced_from_story != 0) out["replaced_from_story"] = p.replaced_from_story;
  return out;
}

bool all_digits(std::string_view text) {
  return !text.empty() && text.size() <= 18 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Opening, schema, transactions

Store::Store(sqlite3* db) : db_(db) {}

Store::~Store() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  statements_.clear();
  if (db_) {
    // Uncommitted work is dropped, as a killed process would drop it.
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close_v2(db_);
  }
}

Result<std::unique_ptr<Store>> Store::open(const std::string& path, Options options) {
  if (path.empty()) return make_error(ErrorCode::kInvalidInput, "empty database path");
  std::error_code ec;
  if (options.read_only && !std::filesystem::exists(path, ec))
    return make_error(ErrorCode::kNotFound, "no such database", path);
  if (std::filesystem::is_directory(path, ec))
    return make_error(ErrorCode::kInvalidInput, "is a directory, not a database file", path);

  const int flags =
      SQLITE_OPEN_NOMUTEX |
      (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  // The Store owns the handle from here on, so every early return closes it.
  std::unique_ptr<Store> store(new Store(db));
  if (rc != SQLITE_OK) return sql_error(db, rc, path);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, std::max(0, options.busy_timeout_ms));

  // SQLite reads the file header lazily: touch the schema now so a file that is not a
  // database is reported here, clearly, rather than by the first query.
  const int probe =
      sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
  if ((probe & 0xff) == SQLITE_NOTADB)
    return make_error(ErrorCode::kCorrupt, "not a SQLite database (or an encrypted one)", path);
  if (probe != SQLITE_OK) return sql_error(db, probe, path);

  if (!options.read_only) {
    if (auto r = store->exec("PRAGMA journal_mode=WAL"); !r) return r.error();
    if (auto r = store->exec("PRAGMA synchronous=NORMAL"); !r) return r.error();
    // 64 MiB of page cache (the default is 2 MiB): inserts land at random places in the key,
    // content-hash and entity-mention B-trees, and once those outgrow the cache every insert
    // reads its pages back through the OS, a cost that grew with the store.
    if (auto r = store->exec("PRAGMA cache_size=-65536"); !r) return r.error();
  }
  if (auto r = store->exec("PRAGMA foreign_keys=ON"); !r) return r.error();
  if (auto r = store->init_schema(options.read_only); !r) {
    Error error = r.error();
    if (error.context.empty()) error.context = path;
    return error;
  }
  return store;
}

Result<void> Store::exec(const char* sql) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sql_error(db_, rc, sql);
  return {};
}

Result<sqlite3_stmt*> Store::prepare(const std::string& sql) {
  if (auto it = statements_.find(sql); it != statements_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return sql_error(db_, rc, sql);
  }
  statements_.emplace(sql, stmt);
  return stmt;
}

Result<void> Store::init_schema(bool read_only) {
  auto count_tables = [this](const std::string& sql) -> Result<int64_t> {
    auto stmt = prepare(sql);
    if (!stmt) return stmt.error();
    Stmt q(*stmt);
    auto row = q.step();
    if (!row) return row.error();
    return *row ? q.i64(0) : 0;
  };
  const std::string kHasMeta =
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'";
  const std::string kAnyTable = "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'";

  auto has_meta = count_tables(kHasMeta);
  if (!has_meta) return has_meta.error();
  if (*has_meta == 0) {
    auto tables = count_tables(kAnyTable);
    if (!tables) return tables.error();
    if (*tables > 0)
      return make_error(ErrorCode::kCorrupt,
                        "a SQLite database, but not a storyline store (no meta table)");
    if (read_only)
      return make_error(ErrorCode::kNotFound, "empty database: nothing has been ingested yet");
    // IMMEDIATE takes the write lock first, so two processes creating the same new file
    // cannot both lay down the schema.
    if (auto r = exec("BEGIN IMMEDIATE"); !r) return r;
    auto again = count_tables(kHasMeta);
    if (!again) {
      rollback();
      return again.error();
    }
    if (*again == 0) {
      if (auto r = exec(kSchemaSql); !r) {
        rollback();
        return r;
      }
      if (auto r = exec(kLinksSchemaSql); !r) {
        rollback();
        return r;
      }
      auto stmt = prepare("INSERT INTO meta(name, value) VALUES (?, ?)");
      if (!stmt) {
        rollback();
        return stmt.error();
      }
      for (const auto& [name, value] :
           {std::pair<std::string, std::string>{"schema_version", std::to_string(kSchemaVersion)},
            {"created_at", now_iso()}}) {
        Stmt q(*stmt);
        if (auto r = q.bind(1, name).bind(2, value).run(); !r) {
          rollback();
          return r;
        }
      }
    }
    if (auto r = exec("COMMIT"); !r) {
      rollback();
      return r;
    }
  }

  std::string version_text;
  {
    // Scoped: a statement left active would keep the migration below from dropping anything.
    auto stmt = prepare("SELECT value FROM meta WHERE name = 'schema_version'");
    if (!stmt) return stmt.error();
    Stmt q(*stmt);
    auto row = q.step();
    if (!row) return row.error();
    if (*row) version_text = q.text(0);
  }
  if (!all_digits(version_text))
    return make_error(ErrorCode::kCorrupt, "storyline store without a valid schema_version");
  const int64_t version = std::stoll(version_text);
  if (version > kSchemaVersion)
    return make_error(ErrorCode::kCorrupt,
                      "schema version " + version_text + " is newer than this build supports (" +
                          std::to_string(kSchemaVersion) + "); upgrade storyline");
  if (version < 1) return make_error(ErrorCode::kCorrupt, "unknown schema version " + version_text);
  const std::string kHasLinks =
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'storyline_links'";
  auto has_links = count_tables(kHasLinks);
  if (!has_links) return has_links.error();
  link_rows_ = *has_links > 0;
  if (read_only) return {};
  auto old_layout = count_tables(
      "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_fts_insert'");
  if (!old_layout) return old_layout.error();
  if (*old_layout == 0 && link_rows_) return {};
  // One transaction per conversion: a killed process leaves the store as it was, and the
  // next open converts it again.
  if (auto r = exec("BEGIN IMMEDIATE"); !r) return r;
  auto migrate = [&]() -> Result<void> {
    if (*old_layout > 0) {
      if (auto r = exec(kMigrateSql); !r) return r;
    }
    auto again = count_tables(kHasLinks);  // another process may have converted it meanwhile
    if (!again) return again.error();
    if (*again == 0) {
      if (auto r = exec(kLinksSchemaSql); !r) return r;
      if (auto r = exec(kMigrateLinksSql); !r) return r;
    }
    return exec("COMMIT");
  };
  if (auto r = migrate(); !r) {
    rollback();
    return r;
  }
  link_rows_ = true;
  return {};
}

Result<void> Store::begin() {
  if (!sqlite3_get_autocommit(db_))
    return make_error(ErrorCode::kInvalidInput, "a transaction is already open");
  return exec("BEGIN IMMEDIATE");
}

Result<void> Store::commit() {
  if (sqlite3_get_autocommit(db_))
    return make_error(ErrorCode::kInvalidInput, "commit without begin");
  if (auto r = sync_fts(); !r) return r;
  return exec("COMMIT");
}

void Store::rollback() {
  if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  fts_pending_from_ = 0;  // the articles went with the transaction
}

Result<void> Store::sync_fts() {
  if (fts_pending_from_ == 0) return {};
  // One statement for all of them: FTS5 keeps their terms in memory and writes one segment
  // at commit.
  auto stmt = prepare(
      "INSERT INTO articles_fts(rowid, title, text) SELECT id, title, text FROM articles "
      "WHERE id >= ? ORDER BY id");
  if (!stmt) return stmt.error();
  Stmt q(*stmt);
  if (auto r = q.bind(1, fts_pending_from_).run(); !r) return r;
  fts_pending_from_ = 0;
  return {};
}

// ---------------------------------------------------------------------------------------------
// Write path

Result<bool> Store::has_page(uint64_t content_hash) {
  auto stmt = prepare("SELECT 1 FROM pages WHERE content_hash = ?");
  if (!stmt) return stmt.error();
  Stmt q(*stmt);
  // Stored as the same 64 bits in a signed column.
  q.bind(1, static_cast<int64_t>(content_hash));
  return q.step();
}

Result<void> Store::add_page(const Page& page, uint64_t content_hash, int articles,
                             const std::string& status) {
  auto stmt = prepare(
      "INSERT INTO pages(page_id, origin, url, source, published, format, content_hash, status, "
      "articles, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT(content_hash) DO UPDATE SET status = excluded.status, "
      "articles = excluded.articles, ingested_at = excluded.ingested_at");
  if (!stmt) return stmt.error();
  Stmt q(*stmt);
  q.bind(1, page.id)
      .bind(2, page.origin)
      .bind(3, page.url)
      .bind(4, page.source)
      .bind(5, page.published)
      .bind(6, page_format_name(page.format))
      .bind(7, static_cast<int64_t>(content_hash))
      .bind(8, status)
      .bind(9, articles)
      .bind(10, now_iso());
  return q.run();
}

Result<int64_t> Store::add_article(const Article& article, const Analysis& analysis,
                                   const std::vector<uint8_t>& signature) {
  return guarded("add_article", [&]() -> Result<int64_t> {
    const bool own_transaction = sqlite3_get_autocommit(db_) != 0;
    Savepoint savepoint(db_);
    if (auto r = savepoint.status(); !r) return r.error();

    // The same page id and segment with different content (an updated page) is kept beside
    // the earlier version under a suffixed key rather than rejected.
    const std::string base_key = article_key(article);
    std::string key = base_key;
    {
      auto exists = prepare("SELECT 1 FROM articles WHERE key = ?");
      if (!exists) return exists.error();
      for (int suffix = 2;; ++suffix) {
        Stmt q(*exists);
        auto row = q.bind(1, key).step();
        if (!row) return row.error();
        if (!*row) break;
        if (suffix > kMaxKeySuffix)
          return make_error(ErrorCode::kInvalidInput, "too many versions of one article", base_key);
        key = base_key + "~" + std::to_string(suffix);
      }
    }

    auto insert = prepare(
        "INSERT INTO articles(key, page_id, segment, url, canonical_url, source, site_name, "
        "title, kicker, author, published, dateline, description, language, text, truncated, "
        "is_teaser, warnings, analysis, event_date, signature, ingested_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return insert.error();
    {
      Stmt q(*insert);
      q.bind(1, key)
          .bind(2, article.page_id)
          .bind(3, article.segment)
          .bind(4, article.url)
          .bind(5, article.canonical_url)
          .bind(6, article.source)
          .bind(7, article.site_name)
          .bind(8, article.title)
          .bind(9, article.kicker)
          .bind(10, article.author)
          .bind(11, article.published)
          .bind(12, article.dateline)
          .bind(13, article.description)
          .bind(14, article.language)
          .bind(15, article.text)
          .bind(16, article.truncated)
          .bind(17, article.is_teaser)
          .bind(18, dump(json(article.warnings)))
          .bind(19, dump(json(analysis)))
          .bind(20, analysis.event_date)
          .bind_blob(21, signature)
          .bind(22, now_iso());
      if (auto r = q.run(); !r) return r.error();
    }
    const int64_t id = sqlite3_last_insert_rowid(db_);

    auto mention = prepare(
        "INSERT INTO entity_mentions(entity_key, entity_type, article_id, mentions) "
        "VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET mentions = mentions + excluded.mentions");
    if (!mention) return mention.error();
    for (const Entity& entity : analysis.entities) {
      if (entity.key.empty()) continue;
      Stmt q(*mention);
      q.bind(1, entity.key)
          .bind(2, entity_type_name(entity.type))
          .bind(3, id)
          .bind(4, std::max(1, entity.mention_count));
      if (auto r = q.run(); !r) return r.error();
    }
    // Ids only grow within a transaction (nothing deletes articles), so the articles waiting
    // for the index are those from the first one added since the last sync.
    const int64_t pending_before = fts_pending_from_;
    if (fts_pending_from_ == 0) fts_pending_from_ = id;
    if (own_transaction) {
      if (auto r = sync_fts(); !r) {
        fts_pending_from_ = pending_before;
        return r.error();
      }
    }
    if (auto r = savepoint.release(); !r) {
      fts_pending_from_ = pending_before;
      return r.error();
    }
    return id;
  });
}

Result<void> Store::add_duplicate(const Article& article, int64_t canonical_id, double similarity,
                                  bool exact) {
  {
    auto exists = prepare("SELECT 1 FROM articles WHERE id = ?");
    if (!exists) return exists.error();
    Stmt q(*exists);
    auto row = q.bind(1, canonical_id).step();
    if (!row) return row.error();
    if (!*row)
      return make_error(ErrorCode::kNotFound,
                        "canonical article " + std::to_string(canonical_id) + " does not exist",
                        article_key(article));
  }
  auto stmt = prepare(
      "INSERT INTO duplicates(key, canonical_id, similarity, exact, source, url, title, "
      "published, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  Stmt q(*stmt);
  q.bind(1, article_key(article))
      .bind(2, canonical_id)
      .bind(3, similarity)
      .bind(4, exact)
      .bind(5, article.source)
      .bind(6, article.url)
      .bind(7, article.title)
      .bind(8, article.published)
      .bind(9, now_iso());
  return q.run();
}

namespace {
// An article's story, storyline and placement (what ties it to its story), as both placement
// writers set them.
constexpr const char* kUpdatePlacement =
    "UPDATE articles SET story_id = ?, storyline_id = ?, placement = ? WHERE id = ?";

Stmt& bind_placement(Stmt& q, int64_t article_id, const cluster::Placement& placement) {
  return q.bind_id(1, placement.story_id)
      .bind_id(2, placement.storyline_id)
      .bind(3, dump(placement_json(placement)))
      .bind(4, article_id);
}
}  // namespace

Result<void> Store::set_placement(int64_t article_id, const cluster::Placement& placement) {
  return guarded("set_placement", [&]() -> Result<void> {
    auto stmt = prepare(kUpdatePlacement);
    if (!stmt) return stmt.error();
    Stmt q(*stmt);
    if (auto r = bind_placement(q, article_id, placement).run(); !r) return r;
    if (sqlite3_changes(db_) == 0)
      return make_error(ErrorCode::kNotFound,
                        "article " + std::to_string(article_id) + " does not exist");
    return {};
  });
}

namespace {
// The nine columns of a stories row, in the order both story writers name them.
Stmt& bind_story_row(Stmt& q, const cluster::Story& story) {
  return q.bind(1, story.id)
      .bind_id(2, story.storyline_id)
      .bind(3, story.label)
      .bind_day(4, story.first_day)
      .bind_day(5, story.last_day)
      .bind(6, static_cast<int64_t>(story.articles.size()))
      .bind(7, dump(json(story.articles)))
      .bind(8, dump(json(story.top_entities)))
      .bind(9, dump(json(story.top_terms)));
}

}  // namespace

// Articles re-placed into another story: their story and their placement there (which says
// what ties them to it), replacing the placement they were given on arrival.
Result<void> Store::write_regrouped(
    const std::vector<std::pair<int64_t, cluster::Placement>>& regrouped) {
  if (regrouped.empty()) return {};
  auto stmt = prepare(kUpdatePlacement);
  if (!stmt) return stmt.error();
  for (const auto& [article_id, placement] : regrouped) {
    Stmt q(*stmt);
    if (auto r = bind_placement(q, article_id, placement).run(); !r) return r;
  }
  return {};
}

Result<void> Store::write_storylines(
    const std::vector<cluster::Clusterer::StorylineChange>& storylines) {
  auto upsert = prepare("INSERT OR REPLACE INTO storylines(id, label) VALUES (?, ?)");
  if (!upsert) return upsert.error();
  auto remove = prepare("DELETE FROM storylines WHERE id = ?");
  if (!remove) return remove.error();
  // From links_from on: a change names every link after it.
  auto drop_links = prepare("DELETE FROM storyline_links WHERE storyline_id = ? AND seq >= ?");
  if (!drop_links) return drop_links.error();
  auto add_link = prepare("INSERT INTO storyline_links(storyline_id, seq, link) VALUES (?, ?, ?)");
  if (!add_link) return add_link.error();
  auto drop_link = prepare("DELETE FROM storyline_links WHERE storyline_id = ? AND seq = ?");
  if (!drop_link) return drop_link.error();
  for (const auto& storyline : storylines) {
    {
      Stmt q(*drop_links);
      const auto from = static_cast<int64_t>(storyline.merged ? 0 : storyline.links_from);
      if (auto r = q.bind(1, storyline.id).bind(2, from).run(); !r) return r;
    }
    if (storyline.merged) {
      Stmt q(*remove);
      if (auto r = q.bind(1, storyline.id).run(); !r) return r;
      continue;
    }
    {
      Stmt q(*upsert);
      if (auto r = q.bind(1, storyline.id).bind(2, storyline.label).run(); !r) return r;
    }
    // A link that joins a story to itself went (its story was emptied into the other): it
    // has no row, and the links after it keep their numbers.
    auto put_link = [&](int64_t position, const cluster::StorylineLink& link) -> Result<void> {
      if (link.joins_itself()) return {};
      Stmt q(*add_link);
      return q.bind(1, storyline.id).bind(2, position).bind(3, dump(link_json(link))).run();
    };
    auto seq = static_cast<int64_t>(storyline.links_from);
    for (const auto& link : storyline.links) {
      if (auto r = put_link(seq++, link); !r) return r;
    }
    // Links changed in place: their rows are replaced (or dropped, for one that went).
    for (const auto& [position, link] : storyline.relinked) {
      {
        Stmt q(*drop_link);
        if (auto r = q.bind(1, storyline.id).bind(2, static_cast<int64_t>(position)).run(); !r)
          return r;
      }
      if (auto r = put_link(static_cast<int64_t>(position), link); !r) return r;
    }
  }
  return {};
}

namespace {
// Whole storylines as changes from nothing.
std::vector<cluster::Clusterer::StorylineChange> whole_storylines(
    const std::vector<cluster::Storyline>& storylines) {
  std::vector<cluster::Clusterer::StorylineChange> changes;
  for (const auto& storyline : storylines) {
    changes.push_back(
        {storyline.id, storyline.label, storyline.stories.empty(), 0, storyline.links, {}});
  }
  return changes;
}
}  // namespace

Result<void> Store::save_clusters(const std::vector<cluster::Story>& stories,
                                  const std::vector<cluster::Storyline>& storylines) {
  return save_clusters(stories, whole_storylines(storylines));
}

Result<void> Store::update_clusters(const std::vector<cluster::Story>& stories,
                                    const std::vector<cluster::Storyline>& storylines) {
  return update_clusters(stories, whole_storylines(storylines));
}

Result<void> Store::save_clusters(
    const std::vector<cluster::Story>& stories,
    const std::vector<cluster::Clusterer::StorylineChange>& storylines,
    const std::vector<std::pair<int64_t, cluster::Placement>>& regrouped) {
  return guarded("save_clusters", [&]() -> Result<void> {
    Savepoint savepoint(db_);
    if (auto r = savepoint.status(); !r) return r;
    // First, so the stories' lists below find these articles in place (no split noted).
    if (auto r = write_regrouped(regrouped); !r) return r;
    if (auto r = exec("DELETE FROM stories"); !r) return r;
    if (auto r = exec("DELETE FROM storylines"); !r) return r;
    if (auto r = exec("DELETE FROM storyline_links"); !r) return r;

    auto story_insert = prepare(
        "INSERT INTO stories(id, storyline_id, label, first_day, last_day, article_count, "
        "articles, top_entities, top_terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!story_insert) return story_insert.error();
    // Only rows whose ids changed are written, so a checkpoint costs little when stable.
    auto article_update = prepare(kMoveArticleSql);
    if (!article_update) return article_update.error();
    for (const cluster::Story& story : stories) {
      {
        Stmt q(*story_insert);
        if (auto r = bind_story_row(q, story).run(); !r) return r;
      }
      for (int64_t article_id : story.articles) {
        Stmt q(*article_update);
        q.bind(1, story.id).bind_id(2, story.storyline_id).bind(3, article_id);
        if (auto r = q.run(); !r) return r;
      }
    }
    // Stories merge into storylines after their articles were placed: carry each story's
    // current storyline to articles placed in it that the lists above did not name.
    if (auto r =
            exec("UPDATE articles SET storyline_id = (SELECT s.storyline_id FROM stories s "
                 "WHERE s.id = articles.story_id), placement = json_set(placement, "
                 "'$.storyline_id', (SELECT s.storyline_id FROM stories s "
                 "WHERE s.id = articles.story_id)) WHERE story_id IN (SELECT id FROM stories) AND "
                 "storyline_id IS NOT (SELECT s.storyline_id FROM stories s "
                 "WHERE s.id = articles.story_id)");
        !r)
      return r;

    if (auto r = write_storylines(storylines); !r) return r;
    return savepoint.release();
  });
}

Result<void> Store::save_entities(const std::vector<understand::EntityDirectory::Entry>& entries) {
  return guarded("save_entities", [&]() -> Result<void> {
    Savepoint savepoint(db_);
    if (auto r = savepoint.status(); !r) return r;
    if (auto r = exec("DELETE FROM entities"); !r) return r;
    // Replace on a repeated (key, type): the directory should not hold one, and the later
    // entry is the more complete.
    auto stmt = prepare(
        "INSERT OR REPLACE INTO entities(key, type, name, aliases, article_count) "
        "VALUES (?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    for (const auto& entry : entries) {
      Stmt q(*stmt);
      q.bind(1, entry.key)
          .bind(2, entity_type_name(entry.type))
          .bind(3, entry.name)
          .bind(4, dump(json(entry.aliases)))
          .bind(5, entry.article_count);
      if (auto r = q.run(); !r) return r;
    }
    return savepoint.release();
  });
}

Result<void> Store::update_clusters(
    const std::vector<cluster::Story>& stories,
    const std::vector<cluster::Clusterer::StorylineChange>& storylines,
    const std::vector<std::pair<int64_t, cluster::Placement>>& regrouped,
    const std::vector<int64_t>& removed_stories) {
  return guarded("update_clusters", [&]() -> Result<void> {
    Savepoint savepoint(db_);
    if (auto r = savepoint.status(); !r) return r;
    // Re-placed articles first: a story new since the last checkpoint then finds them in place
    // below (a split after the move notes the story they were re-placed into).
    if (auto r = write_regrouped(regrouped); !r) return r;
    if (!removed_stories.empty()) {
      auto remove = prepare("DELETE FROM stories WHERE id = ?");
      if (!remove) return remove.error();
      for (int64_t story_id : removed_stories) {
        Stmt q(*remove);
        if (auto r = q.bind(1, story_id).run(); !r) return r;
      }
    }
    auto story_upsert = prepare(
        "INSERT OR REPLACE INTO stories(id, storyline_id, label, first_day, last_day, "
        "article_count, articles, top_entities, top_terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!story_upsert) return story_upsert.error();
    // Placements set story and storyline per article; a story that later moved to another
    // storyline (a merge) takes its articles along through the story_id index. A story new
    // since the last checkpoint may hold articles placed in another story first (a split), so
    // its articles are set one by one.
    auto follow = prepare(
        "UPDATE articles SET storyline_id = ?1, placement = json_set(placement, "
        "'$.storyline_id', ?1) WHERE story_id = ?2 AND storyline_id IS NOT ?1");
    if (!follow) return follow.error();
    auto place = prepare(kMoveArticleSql);
    if (!place) return place.error();
    int64_t last_saved_story = 0;
    {
      auto newest = prepare("SELECT coalesce(max(id), 0) FROM stories");
      if (!newest) return newest.error();
      Stmt q(*newest);
      auto row = q.step();
      if (!row) return row.error();
      if (*row) last_saved_story = q.i64(0);
    }
    for (const cluster::Story& story : stories) {
      if (story.id > last_saved_story) {
        for (int64_t article_id : story.articles) {
          Stmt q(*place);
          if (auto r = q.bind(1, story.id).bind_id(2, story.storyline_id).bind(3, article_id).run();
              !r)
            return r;
        }
      }
      {
        Stmt q(*story_upsert);
        if (auto r = bind_story_row(q, story).run(); !r) return r;
      }
      Stmt q(*follow);
      if (auto r = q.bind_id(1, story.storyline_id).bind(2, story.id).run(); !r) return r;
    }
    if (auto r = write_storylines(storylines); !r) return r;
    return savepoint.release();
  });
}

Result<void> Store::update_entities(
    const std::vector<const understand::EntityDirectory::Entry*>& changed,
    const std::vector<std::pair<std::string, EntityType>>& gone) {
  return guarded("update_entities", [&]() -> Result<void> {
    Savepoint savepoint(db_);
    if (auto r = savepoint.status(); !r) return r;
    auto remove = prepare("DELETE FROM entities WHERE key = ? AND type = ?");
    if (!remove) return remove.error();
    for (const auto& [key, type] : gone) {
      Stmt q(*remove);
      if (auto r = q.bind(1, key).bind(2, entity_type_name(type)).run(); !r) return r;
    }
    auto upsert = prepare(
        "INSERT OR REPLACE INTO entities(key, type, name, aliases, article_count) "
        "VALUES (?, ?, ?, ?, ?)");
    if (!upsert) return upsert.error();
    for (const auto* entry : changed) {
      Stmt q(*upsert);
      q.bind(1, entry->key)
          .bind(2, entity_type_name(entry->type))
          .bind(3, entry->name)
          .bind(4, dump(json(entry->aliases)))
          .bind(5, entry->article_count);
      if (auto r = q.run(); !r) return r;
    }
    return savepoint.release();
  });
}

Result<void> Store::save_state_rows(std::string_view prefix,
                                    const std::vector<std::pair<std::string, json>>& rows) {
  return guarded("save_state_rows", [&]() -> Result<void> {
    Savepoint savepoint(db_);
    if (auto r = savepoint.status(); !r) return r;
    auto stmt = prepare("INSERT OR REPLACE INTO state(name, json) VALUES (?, ?)");
    if (!stmt) return stmt.error();
    std::string name(prefix);
    for (const auto& [row, value] : rows) {
      name.resize(prefix.size());
      name += row;
      Stmt q(*stmt);
      if (auto r = q.bind(1, name).bind(2, dump(value)).run(); !r) return r;
    }
    return savepoint.release();
  });
}

// Rows of a prefix are the names in [prefix, prefix with its last byte raised): one range
// scan of the state table's primary key.
namespace {
std::string prefix_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) end.pop_back();
  if (!end.empty()) end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}
}  // namespace

Result<void> Store::delete_state_rows(std::string_view prefix) {
  return guarded("delete_state_rows", [&]() -> Result<void> {
    auto stmt = prepare("DELETE FROM state WHERE name >= ? AND name < ?");
    if (!stmt) return stmt.error();
    Stmt q(*stmt);
    return q.bind(1, std::string(prefix)).bind(2, prefix_end(prefix)).run();
  });
}

Result<void> Store::delete_state_rows(std::string_view prefix,
                                      const std::vector<std::string>& names) {
  return guarded("delete_state_rows", [&]() -> Result<void> {
    auto stmt = prepare("DELETE FROM state WHERE name = ?");
    if (!stmt) return stmt.error();
    std::string name(prefix);
    for (const std::string& row : names) {
      name.resize(prefix.size());
      name += row;
      Stmt q(*stmt);
      if (auto r = q.bind(1, name).run(); !r) return r;
    }
    return {};
  });
}

Result<std::vector<std::pair<std::string, json>>> Store::load_state_rows(std::string_view prefix) {
  return guarded("load_state_rows", [&]() -> Result<std::vector<std::pair<std::string, json>>> {
    auto stmt = prepare("SELECT name, json FROM state WHERE name >= ? AND name < ? ORDER BY name");
    if (!stmt) return stmt.error();
    Stmt q(*stmt);
    q.bind(1, std::string(prefix)).bind(2, prefix_end(prefix));
    std::vector<std::pair<std::string, json>> rows;
    for (;;) {
      auto row = q.step();
      if (!row) return row.error();
      if (!*row) break;
      std::string name = q.text(0);
      json value = json::parse(q.text(1), nullptr, /*allow_exceptions=*/false);
      if (value.is_discarded())
        return make_error(ErrorCode::kCorrupt, "unreadable state row", name);
      rows.emplace_back(name.substr(prefix.size()), std::move(value));
    }
    return rows;
  });
}

Result<void> Store::delete_state(const std::string& name) {
  return guarded("delete_state", [&]() -> Result<void> {
    auto stmt = prepare("DELETE FROM state WHERE name = ?");
    if (!stmt) return stmt.error();
    Stmt q(*stmt);
    return q.bind(1, name).run();
  });
}

Result<void> Store::save_state(const std::string& name, const nlohmann::json& state) {
  return guarded("save_state", [&]() -> Result<void> {
    auto stmt = prepare("INSERT OR REPLACE INTO state(name, json) VALUES (?, ?)");
    if (!stmt) return stmt.error();
    Stmt q(*stmt);
    return q.bind(1, name).bind(2, dump(state)).run();
  });
}

// ---------------------------------------------------------------------------------------------
// Load path

Result<std::optional<nlohmann::json>> Store::load_state(const std::string& name) {
  return guarded("load_state", [&]() -> Result<std::optional<json>> {
    auto stmt = prepare("SELECT json FROM state WHERE name = ?");
    if (!stmt) return stmt.error();
    Stmt q(*stmt);
    auto row = q.bind(1, name).step();
    if (!row) return row.error();
    if (!*row) return std::optional<json>();
    return std::optional<json>(q.parsed(0));
  });
}

Result<std::vector<understand::EntityDirectory::Entry>> Store::load_entities() {
  using Entry = understand::EntityDirectory::Entry;
  return guarded("load_entities", [&]() -> Result<std::vector<Entry>> {
    // Insertion order, so the directory's indices come back as they were saved.
    auto stmt =
        prepare("SELECT key, name, type, aliases, article_count FROM entities ORDER BY rowid");
    if (!stmt) return stmt.error();
    Stmt q(*stmt);
    std::vector<Entry> entries;
    for (;;) {
      auto row = q.step();
      if (!row) return row.error();
      if (!*row) break;
      Entry entry;
      entry.key = q.text(0);
      entry.name = q.text(1);
      entry.type = entity_type_from_name(q.text(2));
      entry.aliases = q.parsed(3, json::array()).get<std::vector<std::string>>();
      entry.article_count = static_cast<int>(q.i64(4));
      entries.push_back(std::move(entry));
    }
    return entries;
  });
}

Result<void> Store::for_each_signature(
    const std::function<void(int64_t, const std::vector<uint8_t>&)>& visit) {
  auto stmt = prepare("SELECT id, signature FROM articles ORDER BY id");
  if (!stmt) return stmt.error();
  Stmt q(*stmt);
  std::vector<uint8_t> bytes;
  for (;;) {
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return {};
    bytes = q.blob(1);
    visit(q.i64(0), bytes);
  }
}

Result<void> Store::for_each_article(
    const std::function<void(int64_t, const Article&, const Analysis&)>& visit) {
  return guarded("for_each_article", [&]() -> Result<void> {
    auto stmt =
        prepare(std::string("SELECT ") + kArticleColumns + " FROM articles a ORDER BY a.id");
    if (!stmt) return stmt.error();
    Stmt q(*stmt);
    for (;;) {
      auto row = q.step();
      if (!row) return row.error();
      if (!*row) return {};
      Article article;
      read_article(q, article);
      Analysis analysis;
      from_json(q.parsed(19, json::object()), analysis);
      visit(q.i64(0), article, analysis);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Read views

Result<nlohmann::json> Store::list_articles(const std::string& query, const ArticleFilter& filter) {
  return guarded("articles", [&]() -> Result<json> {
    std::vector<Binding> bindings;
    auto where = filter_sql(filter, bindings);
    if (!where) return where.error();
    const bool fts = !query.empty();
    std::string sql = std::string("SELECT ") + kSummaryColumns;
    if (fts) {
      // Titles weigh more than body text: a word in the headline says what the story is about.
      sql +=
          ", snippet(articles_fts, 1, '[', ']', '…', 24), bm25(articles_fts, 5.0, 1.0) AS score "
          "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
          "WHERE articles_fts MATCH ?" +
          *where + " ORDER BY score, a.id";
    } else {
      sql += ", substr(a.text, 1, " + std::to_string(kSnippetChars) + "), length(a.text) > " +
             std::to_string(kSnippetChars) + " FROM articles a WHERE 1" + *where +
             " ORDER BY a.published DESC, a.id DESC";
    }
    sql += " LIMIT ? OFFSET ?";
    auto stmt = prepare(sql);
    if (!stmt) return stmt.error();

    auto run = [&](const std::string& match) -> Result<json> {
      Stmt q(*stmt);
      int index = 1;
      if (fts) q.bind(index++, match);
      bind_all(q, bindings, index);
      index += static_cast<int>(bindings.size());
      q.bind(index++, filter.limit == 0 ? int64_t{-1} : int64_t{filter.limit});
      q.bind(index, filter.offset);
      json out = json::array();
      for (;;) {
        auto row = q.step();
        if (!row) return row.error();
        if (!*row) break;
        json item = summary_row(q);
        if (fts) {
          item["snippet"] = q.text(10);
          item["score"] = -q.real(11);  // bm25() is lower-is-better; report higher-is-better
        } else {
          item["snippet"] = listing_snippet(q.view(10), q.boolean(11));
        }
        out.push_back(std::move(item));
      }
      return out;
    };

    if (!fts) return run({});
    auto hits = run(query);
    if (hits) return hits;
    // FTS5 rejects stray operators and punctuation ("covid-19", "AT&T", unbalanced quotes):
    // read every term literally instead before giving up.
    auto retry = run(quote_terms(query));
    if (retry) return retry;
    return make_error(ErrorCode::kInvalidInput, "cannot parse search query: " + query,
                      hits.error().message);
  });
}

Result<nlohmann::json> Store::articles(const ArticleFilter& filter) {
  return list_articles({}, filter);
}

Result<nlohmann::json> Store::search(const std::string& query, const ArticleFilter& filter) {
  if (trim(query).empty()) return make_error(ErrorCode::kInvalidInput, "empty search query");
  // Inside a transaction, articles added in it are searchable too.
  if (auto r = sync_fts(); !r) return r.error();
  return list_articles(query, filter);
}

Result<nlohmann::json> Store::duplicates_of(int64_t canonical_id) {
  auto stmt = prepare(
      "SELECT id, key, canonical_id, similarity, exact, source, url, title, published "
      "FROM duplicates WHERE canonical_id = ?1 OR ?1 = 0 ORDER BY id");
  if (!stmt) return stmt.error();
  Stmt q(*stmt);
  q.bind(1, canonical_id);
  json out = json::array();
  for (;;) {
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back({{"id", q.i64(0)},
                   {"key", q.text(1)},
                   {"canonical_id", q.i64(2)},
                   {"similarity", q.real(3)},
                   {"exact", q.boolean(4)},
                   {"source", q.text(5)},
                   {"url", q.text(6)},
                   {"title", q.text(7)},
                   {"published", q.text(8)}});
  }
}

Result<std::string> Store::article_text(int64_t id) {
  auto stmt = prepare("SELECT text FROM articles WHERE id = ?");
  if (!stmt) return stmt.error();
  Stmt q(*stmt);
  auto row = q.bind(1, id).step();
  if (!row) return row.error();
  if (!*row) return make_error(ErrorCode::kNotFound, "no article " + std::to_string(id));
  return q.text(0);
}

Result<nlohmann::json> Store::article_by_id(int64_t id) {
  auto stmt = prepare(std::string("SELECT ") + kArticleColumns + " FROM articles a WHERE a.id = ?");
  if (!stmt) return stmt.error();
  json out;
  {
    Stmt q(*stmt);
    auto row = q.bind(1, id).step();
    if (!row) return row.error();
    if (!*row) return make_error(ErrorCode::kNotFound, "no article " + std::to_string(id));
    Article article;
    read_article(q, article);
    out = article;
    out["id"] = q.i64(0);
    out["key"] = q.text(1);  // the stored key (it may carry a "~2" version suffix)
    out["story_id"] = q.id_json(20);
    out["storyline_id"] = q.id_json(21);
    out["event_date"] = q.text(23);
    out["analysis"] = q.parsed(19, json::object());
    out["placement"] = q.parsed(22);
  }
  auto duplicates = duplicates_of(id);
  if (!duplicates) return duplicates.error();
  out["duplicates"] = std::move(*duplicates);
  return out;
}

Result<nlohmann::json> Store::article(const std::string& id_or_key) {
  return guarded("article", [&]() -> Result<json> {
    if (all_digits(id_or_key)) {
      auto by_id = article_by_id(std::stoll(id_or_key));
      if (by_id || by_id.error().code != ErrorCode::kNotFound) return by_id;
    }
    auto stmt = prepare("SELECT id FROM articles WHERE key = ?");
    if (!stmt) return stmt.error();
    int64_t id = 0;
    {
      Stmt q(*stmt);
      auto row = q.bind(1, id_or_key).step();
      if (!row) return row.error();
      if (!*row) return make_error(ErrorCode::kNotFound, "no article " + id_or_key);
      id = q.i64(0);
    }
    return article_by_id(id);
  });
}

Result<std::vector<std::tuple<int64_t, int64_t, Article, Analysis>>> Store::storyline_articles(
    int64_t storyline_id) {
  using Row = std::tuple<int64_t, int64_t, Article, Analysis>;
  return guarded("storyline_articles", [&]() -> Result<std::vector<Row>> {
    auto stmt = prepare(std::string("SELECT ") + kArticleColumns +
                        " FROM articles a WHERE a.storyline_id = ? ORDER BY a.published, a.id");
    if (!stmt) return stmt.error();
    std::vector<Row> rows;
    {
      Stmt q(*stmt);
      q.bind(1, storyline_id);
      for (;;) {
        auto row = q.step();
        if (!row) return row.error();
        if (!*row) break;
        Article article;
        read_article(q, article);
        Analysis analysis;
        from_json(q.parsed(19, json::object()), analysis);
        rows.emplace_back(q.i64(0), q.is_null(20) ? 0 : q.i64(20), std::move(article),
                          std::move(analysis));
      }
    }
    if (rows.empty()) {
      auto exists = prepare("SELECT 1 FROM storylines WHERE id = ?");
      if (!exists) return exists.error();
      Stmt q(*exists);
      auto row = q.bind(1, storyline_id).step();
      if (!row) return row.error();
      if (!*row)
        return make_error(ErrorCode::kNotFound, "no storyline " + std::to_string(storyline_id));
    }
    return rows;
  });
}

// Story rows (all, or those matching `where` = ?1), each with the outlets that reported it.
Result<nlohmann::json> Store::story_rows(const std::string& where, int64_t arg, int limit) {
  if (limit < 0) return make_error(ErrorCode::kInvalidInput, "limit must not be negative");
  auto stmt = prepare(
      "SELECT id, storyline_id, label, first_day, last_day, article_count, top_entities, "
      "top_terms, articles FROM stories " +
      (where.empty() ? std::string("WHERE ?1 = ?1") : "WHERE " + where) +
      " ORDER BY last_day DESC NULLS LAST, id LIMIT ?2");
  if (!stmt) return stmt.error();
  json out = json::array();
  {
    Stmt q(*stmt);
    q.bind(1, arg).bind(2, limit == 0 ? int64_t{-1} : int64_t{limit});
    for (;;) {
      auto row = q.step();
      if (!row) return row.error();
      if (!*row) break;
      out.push_back({{"id", q.i64(0)},
                     {"storyline_id", q.id_json(1)},
                     {"label", q.text(2)},
                     {"first_date", day_iso(q, 3)},
                     {"last_date", day_iso(q, 4)},
                     {"article_count", q.i64(5)},
                     {"top_entities", q.parsed(6, json::array())},
                     {"top_terms", q.parsed(7, json::array())},
                     {"article_ids", q.parsed(8, json::array())},
                     {"first_day", q.is_null(3) ? json(nullptr) : json(q.i64(3))}});
    }
  }
  auto sources = prepare(
      "SELECT DISTINCT source FROM articles WHERE story_id = ? AND source != '' ORDER BY source");
  if (!sources) return sources.error();
  for (json& story : out) {
    Stmt q(*sources);
    q.bind(1, story["id"].get<int64_t>());
    json list = json::array();
    for (;;) {
      auto row = q.step();
      if (!row) return row.error();
      if (!*row) break;
      list.push_back(q.text(0));
    }
    story["sources"] = std::move(list);
  }
  return out;
}

Result<nlohmann::json> Store::stories(int limit) {
  return guarded("stories", [&]() -> Result<json> {
    auto rows = story_rows({}, 0, limit);
    if (!rows) return rows;
    for (json& story : *rows) {
      story.erase("article_ids");
      story.erase("first_day");
    }
    return rows;
  });
}

Result<nlohmann::json> Store::story(int64_t story_id) {
  return guarded("story", [&]() -> Result<json> {
    auto rows = story_rows("id = ?1", story_id, 1);
    if (!rows) return rows;
    if (rows->empty())
      return make_error(ErrorCode::kNotFound, "no story " + std::to_string(story_id));
    json story = std::move(rows->front());
    story.erase("article_ids");
    story.erase("first_day");
    auto stmt = prepare(std::string("SELECT ") + kSummaryColumns +
                        ", a.url FROM articles a WHERE a.story_id = ? ORDER BY a.published, a.id");
    if (!stmt) return stmt.error();
    Stmt q(*stmt);
    q.bind(1, story_id);
    json articles = json::array();
    for (;;) {
      auto row = q.step();
      if (!row) return row.error();
      if (!*row) break;
      json item = summary_row(q);
      item["url"] = q.text(10);
      articles.push_back(std::move(item));
    }
    story["articles"] = std::move(articles);
    return story;
  });
}

Result<nlohmann::json> Store::storylines(int limit) {
  return guarded("storylines", [&]() -> Result<json> {
    if (limit < 0) return make_error(ErrorCode::kInvalidInput, "limit must not be negative");
    auto stmt = prepare(std::string("SELECT sl.id, sl.label, ") +
                        (link_rows_ ? "COUNT(s.id), " : "json_array_length(sl.stories), ") +
                        "COALESCE(SUM(s.article_count), 0), MIN(s.first_day), MAX(s.last_day) "
                        "FROM storylines sl LEFT JOIN stories s ON s.storyline_id = sl.id "
                        "GROUP BY sl.id ORDER BY MAX(s.last_day) DESC NULLS LAST, sl.id LIMIT ?");
    if (!stmt) return stmt.error();
    Stmt q(*stmt);
    q.bind(1, limit == 0 ? int64_t{-1} : int64_t{limit});
    json out = json::array();
    for (;;) {
      auto row = q.step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back({{"id", q.i64(0)},
                     {"label", q.text(1)},
                     {"story_count", q.i64(2)},
                     {"article_count", q.i64(3)},
                     {"first_date", day_iso(q, 4)},
                     {"last_date", day_iso(q, 5)}});
    }
  });
}

Result<nlohmann::json> Store::storyline(int64_t storyline_id) {
  return guarded("storyline", [&]() -> Result<json> {
    json out;
    std::vector<int64_t> story_ids;
    {
      auto stmt = prepare("SELECT id, label, stories, links FROM storylines WHERE id = ?");
      if (!stmt) return stmt.error();
      Stmt q(*stmt);
      auto row = q.bind(1, storyline_id).step();
      if (!row) return row.error();
      if (!*row)
        return make_error(ErrorCode::kNotFound, "no storyline " + std::to_string(storyline_id));
      story_ids = q.parsed(2, json::array()).get<std::vector<int64_t>>();
      out = {{"id", q.i64(0)},
             {"label", q.text(1)},
             {"stories", story_ids},
             {"links", q.parsed(3, json::array())}};
    }
    if (link_rows_) {
      // Its stories in event order as the clusterer lists them: by first day (undated last),
      // then by id.
      auto stories_stmt = prepare(
          "SELECT id FROM stories WHERE storyline_id = ? "
          "ORDER BY first_day IS NULL, first_day, id");
      if (!stories_stmt) return stories_stmt.error();
      {
        Stmt q(*stories_stmt);
        q.bind(1, storyline_id);
        for (;;) {
          auto row = q.step();
          if (!row) return row.error();
          if (!*row) break;
          story_ids.push_back(q.i64(0));
        }
      }
      auto links_stmt =
          prepare("SELECT link FROM storyline_links WHERE storyline_id = ? ORDER BY seq");
      if (!links_stmt) return links_stmt.error();
      json links = json::array();
      {
        Stmt q(*links_stmt);
        q.bind(1, storyline_id);
        for (;;) {
          auto row = q.step();
          if (!row) return row.error();
          if (!*row) break;
          links.push_back(q.parsed(0, json::object()));
        }
      }
      out["stories"] = story_ids;
      out["links"] = std::move(links);
    }

    json timeline = json::array();
    auto articles_stmt = prepare(
        "SELECT id, key, title, source, published, url, is_teaser, truncated FROM articles "
        "WHERE story_id = ? ORDER BY published, id");
    if (!articles_stmt) return articles_stmt.error();
    for (int64_t story_id : story_ids) {
      auto rows = story_rows("id = ?1", story_id, 1);
      if (!rows) return rows.error();
      if (rows->empty()) continue;  // listed but not saved: nothing to show
      json event = std::move(rows->front());
      event["date"] = event["first_date"];
      event.erase("article_ids");
      json articles = json::array();
      Stmt q(*articles_stmt);
      q.bind(1, story_id);
      for (;;) {
        auto row = q.step();
        if (!row) return row.error();
        if (!*row) break;
        articles.push_back({{"id", q.i64(0)},
                            {"key", q.text(1)},
                            {"title", q.text(2)},
                            {"source", q.text(3)},
                            {"published", q.text(4)},
                            {"url", q.text(5)},
                            {"is_teaser", q.boolean(6)},
                            {"truncated", q.boolean(7)}});
      }
      event["articles"] = std::move(articles);
      timeline.push_back(std::move(event));
    }
    // The clusterer lists stories in event order; sort anyway (stably, undated last) so the
    // timeline reads forward even if it did not.
    std::stable_sort(timeline.begin(), timeline.end(), [](const json& a, const json& b) {
      const bool a_dated = !a["first_day"].is_null();
      const bool b_dated = !b["first_day"].is_null();
      if (a_dated != b_dated) return a_dated;
      return a_dated && a["first_day"].get<int64_t>() < b["first_day"].get<int64_t>();
    });
    int64_t article_count = 0;
    std::string first_date;
    std::string last_date;
    for (json& event : timeline) {
      article_count += event["article_count"].get<int64_t>();
      const std::string first = event["first_date"].get<std::string>();
      const std::string last = event["last_date"].get<std::string>();
      if (!first.empty() && (first_date.empty() || first < first_date)) first_date = first;
      if (!last.empty() && last > last_date) last_date = last;
      event.erase("first_day");
    }
    out["story_count"] = story_ids.size();
    out["article_count"] = article_count;
    out["first_date"] = first_date;
    out["last_date"] = last_date;
    out["timeline"] = std::move(timeline);
    return out;
  });
}

Result<nlohmann::json> Store::entities(const std::string& type, int limit) {
  return guarded("entities", [&]() -> Result<json> {
    auto stored_type = entity_type_filter(type);
    if (!stored_type)
      return make_error(ErrorCode::kInvalidInput,
                        "unknown entity type '" + type + "' (PER, ORG, LOC, MISC)");
    if (limit < 0) return make_error(ErrorCode::kInvalidInput, "limit must not be negative");
    auto stmt = prepare(
        "SELECT key, name, type, aliases, article_count FROM entities "
        "WHERE ?1 = '' OR type = ?1 ORDER BY article_count DESC, name, key LIMIT ?2");
    if (!stmt) return stmt.error();
    Stmt q(*stmt);
    q.bind(1, *stored_type).bind(2, limit == 0 ? int64_t{-1} : int64_t{limit});
    json out = json::array();
    for (;;) {
      auto row = q.step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back({{"key", q.text(0)},
                     {"name", q.text(1)},
                     {"type", q.text(2)},
                     {"aliases", q.parsed(3, json::array())},
                     {"article_count", q.i64(4)}});
    }
  });
}

namespace {
// First words of a quote, lowercased letters and digits only: the key under which the same
// quote from several outlets is grouped (outlets cut and punctuate quotes differently).
constexpr std::size_t kQuoteKeyWords = 10;
constexpr std::size_t kMinQuoteWords = 3;

std::string quote_key_words(std::string_view text, std::size_t* words_out) {
  std::string out;
  std::size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      if (!in_word) {
        if (words == kQuoteKeyWords) break;
        if (!out.empty()) out.push_back(' ');
        ++words;
        in_word = true;
      }
      out.push_back(static_cast<char>(std::tolower(u)));
    } else if (c != '\'') {
      in_word = false;
    }
  }
  if (words_out) *words_out = words;
  return out;
}
}  // namespace

Result<nlohmann::json> Store::quotes(const std::string& speaker, int limit) {
  return guarded("quotes", [&]() -> Result<json> {
    if (limit < 0) return make_error(ErrorCode::kInvalidInput, "limit must not be negative");
    const std::string wanted =
        speaker.empty() ? std::string() : understand::entity_key(speaker, EntityType::kPerson);
    auto stmt = prepare(
        "SELECT id, source, published, title, analysis FROM articles "
        "ORDER BY published DESC, id DESC");
    if (!stmt) return stmt.error();
    Stmt q(*stmt);
    json groups = json::array();
    std::unordered_map<std::string, std::size_t> by_key;  // speaker key | words -> group
    for (;;) {
      auto row = q.step();
      if (!row) return row.error();
      if (!*row) break;
      const json analysis = q.parsed(4, json::object());
      for (const auto& quote : analysis.value("quotes", json::array())) {
        const std::string name = quote.value("speaker", "");
        const std::string text = quote.value("text", "");
        std::size_t words = 0;
        const std::string key_words = quote_key_words(text, &words);
        if (words < kMinQuoteWords && !quote.value("direct", false)) continue;
        if (words == 0) continue;
        const std::string speaker_key =
            name.empty() ? std::string() : understand::entity_key(name, EntityType::kPerson);
        if (!wanted.empty() &&
            (speaker_key.empty() || speaker_key.find(wanted) == std::string::npos))
          continue;
        json source = {{"article_id", q.i64(0)},
                       {"source", q.text(1)},
                       {"published", q.text(2)},
                       {"title", q.text(3)},
                       {"text", text}};
        const std::string key = speaker_key + "|" + key_words;
        auto it = by_key.find(key);
        if (it == by_key.end()) {
          by_key.emplace(key, groups.size());
          groups.push_back({{"speaker", name},
                            {"speaker_key", speaker_key},
                            {"text", text},
                            {"cue", quote.value("cue", "")},
                            {"direct", quote.value("direct", true)},
                            {"sources", json::array({std::move(source)})}});
          continue;
        }
        json& group = groups[it->second];
        bool same_article = false;
        for (const auto& s : group["sources"])
          if (s["article_id"] == source["article_id"]) same_article = true;
        if (!same_article) group["sources"].push_back(std::move(source));
      }
    }
    for (auto& group : groups) {
      std::vector<std::string> variants;
      for (const auto& s : group["sources"]) {
        const std::string t = s.value("text", "");
        if (std::find(variants.begin(), variants.end(), t) == variants.end()) variants.push_back(t);
      }
      group["article_count"] = group["sources"].size();
      if (variants.size() > 1) group["variants"] = variants;
    }
    // Most reported first; ties keep the newest first (rows came newest first).
    std::stable_sort(groups.begin(), groups.end(), [](const json& a, const json& b) {
      return a["article_count"].get<std::size_t>() > b["article_count"].get<std::size_t>();
    });
    if (limit > 0 && groups.size() > static_cast<std::size_t>(limit))
      groups.erase(groups.begin() + limit, groups.end());
    return groups;
  });
}

Result<nlohmann::json> Store::stats() {
  return guarded("stats", [&]() -> Result<json> {
    json out = {{"schema_version", kSchemaVersion}};
    // Table names are constants here, never input.
    static constexpr std::array<std::pair<const char*, const char*>, 9> kCounts = {{
        {"pages", "SELECT count(*) FROM pages"},
        {"pages_failed", "SELECT count(*) FROM pages WHERE status != 'ok'"},
        {"articles", "SELECT count(*) FROM articles"},
        {"duplicates", "SELECT count(*) FROM duplicates"},
        {"stories", "SELECT count(*) FROM stories"},
        {"storylines", "SELECT count(*) FROM storylines"},
        {"entities", "SELECT count(*) FROM entities"},
        {"sources", "SELECT count(DISTINCT source) FROM articles WHERE source != ''"},
        {"unplaced_articles", "SELECT count(*) FROM articles WHERE story_id IS NULL"},
    }};
    for (const auto& [name, sql] : kCounts) {
      auto stmt = prepare(sql);
      if (!stmt) return stmt.error();
      Stmt q(*stmt);
      auto row = q.step();
      if (!row) return row.error();
      out[name] = *row ? q.i64(0) : 0;
    }
    {
      auto stmt =
          prepare("SELECT min(published), max(published) FROM articles WHERE published != ''");
      if (!stmt) return stmt.error();
      Stmt q(*stmt);
      auto row = q.step();
      if (!row) return row.error();
      out["first_published"] = *row ? q.text(0) : "";
      out["last_published"] = *row ? q.text(1) : "";
    }
    auto stmt =
        prepare("SELECT language, count(*) FROM articles GROUP BY language ORDER BY count(*) DESC");
    if (!stmt) return stmt.error();
    Stmt q(*stmt);
    json languages = json::object();
    for (;;) {
      auto row = q.step();
      if (!row) return row.error();
      if (!*row) break;
      languages[q.is_null(0) || q.view(0).empty() ? "un" : q.text(0)] = q.i64(1);
    }
    out["languages"] = std::move(languages);
    return out;
  });
}

Result<nlohmann::json> Store::export_all() {
  return guarded("export_all", [&]() -> Result<json> {
    json out = {{"schema_version", kSchemaVersion}, {"generated_at", now_iso()}};
    // Ids first, then one lookup each: a cached statement is never stepped re-entrantly.
    std::vector<int64_t> ids;
    {
      auto stmt = prepare("SELECT id FROM articles ORDER BY id");
      if (!stmt) return stmt.error();
      Stmt q(*stmt);
      for (;;) {
        auto row = q.step();
        if (!row) return row.error();
        if (!*row) break;
        ids.push_back(q.i64(0));
      }
    }
    json articles = json::array();
    for (int64_t id : ids) {
      auto article = article_by_id(id);
      if (!article) return article.error();
      articles.push_back(std::move(*article));
    }
    out["articles"] = std::move(articles);

    auto duplicates = duplicates_of(0);
    if (!duplicates) return duplicates.error();
    out["duplicates"] = std::move(*duplicates);

    auto stories = story_rows({}, 0, 0);
    if (!stories) return stories.error();
    for (json& story : *stories) {
      story["articles"] = std::move(story["article_ids"]);
      story.erase("article_ids");
      story.erase("first_day");
    }
    out["stories"] = std::move(*stories);

    auto list = storylines(0);
    if (!list) return list.error();
    json storylines_out = json::array();
    for (const json& item : *list) {
      auto full = storyline(item["id"].get<int64_t>());
      if (!full) return full.error();
      storylines_out.push_back(std::move(*full));
    }
    out["storylines"] = std::move(storylines_out);

    auto entity_list = entities("", 0);
    if (!entity_list) return entity_list.error();
    out["entities"] = std::move(*entity_list);
    return out;
  });
}

}  // namespace storyline::store
