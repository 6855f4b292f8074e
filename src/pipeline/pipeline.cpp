#include "pipeline/pipeline.h"

#include <time.h>
#include <xxhash.h>

#include <chrono>
#include <optional>
#include <thread>
#include <utility>

#include "common/parallel.h"

namespace storyline::pipeline {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Stage times are CPU time of the thread doing the work: on a machine shared with other work,
// wall time per stage swings with the load, and a stage whose cost grows with the store could
// not be told from a busy neighbour.
struct CpuClock {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<CpuClock>;
  static constexpr bool is_steady = true;
  static time_point now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return time_point(duration(static_cast<rep>(ts.tv_sec) * 1000000000 + ts.tv_nsec));
  }
};

double seconds_since(CpuClock::time_point start) {
  return std::chrono::duration<double>(CpuClock::now() - start).count();
}

// What a worker makes of one page: everything that depends on the page alone.
struct ProcessedPage {
  Page page;
  uint64_t content_hash = 0;
  std::optional<Error> error;
  std::vector<Article> articles;
  std::vector<Analysis> analyses;
  std::vector<dedup::Signature> signatures;
  std::vector<std::string> page_warnings;
  double extract_seconds = 0;
  double understand_seconds = 0;
  double sign_seconds = 0;
};

constexpr const char* kClustererState = "clusterer";  // whole state in one row (older stores)
constexpr const char* kClustererRows = "cluster/";    // the state as rows (take_changes)
constexpr const char* kClusterOptionsState = "cluster_options";

nlohmann::json cluster_options_json(const cluster::Options& o) {
  return {{"story_threshold", o.story_threshold},
          {"storyline_threshold", o.storyline_threshold},
          {"storyline_merge_threshold", o.storyline_merge_threshold},
          {"story_window_days", o.story_window_days},
          {"story_span_days", o.story_span_days},
          {"storyline_window_days", o.storyline_window_days},
          {"entity_weight", o.entity_weight},
          {"storyline_entity_weight", o.storyline_entity_weight},
          {"year_weight", o.year_weight},
          {"phrase_weight", o.phrase_weight},
          {"story_split_threshold", o.story_split_threshold},
          {"story_replace", o.story_replace},
          {"story_min_term_similarity", o.story_min_term_similarity},
          {"storyline_min_event_similarity", o.storyline_min_event_similarity}};
}

// Fields missing from `saved` (an older store) keep their value in `o`.
void apply_cluster_options(const nlohmann::json& saved, cluster::Options& o) {
  if (!saved.is_object()) return;
  o.story_threshold = saved.value("story_threshold", o.story_threshold);
  o.storyline_threshold = saved.value("storyline_threshold", o.storyline_threshold);
  o.storyline_merge_threshold =
      saved.value("storyline_merge_threshold", o.storyline_merge_threshold);
  o.story_window_days = saved.value("story_window_days", o.story_window_days);
  o.story_span_days = saved.value("story_span_days", o.story_span_days);
  o.storyline_window_days = saved.value("storyline_window_days", o.storyline_window_days);
  o.entity_weight = saved.value("entity_weight", o.entity_weight);
  o.storyline_entity_weight = saved.value("storyline_entity_weight", o.storyline_entity_weight);
  o.year_weight = saved.value("year_weight", o.year_weight);
  o.phrase_weight = saved.value("phrase_weight", o.phrase_weight);
  o.story_split_threshold = saved.value("story_split_threshold", o.story_split_threshold);
  o.story_replace = saved.value("story_replace", o.story_replace);
  o.story_min_term_similarity =
      saved.value("story_min_term_similarity", o.story_min_term_similarity);
  o.storyline_min_event_similarity =
      saved.value("storyline_min_event_similarity", o.storyline_min_event_similarity);
}

// "dir/a.txt:12" -> "a.txt"
std::string file_name_of(std::string_view origin) {
  if (const auto slash = origin.find_last_of('/'); slash != std::string_view::npos)
    origin.remove_prefix(slash + 1);
  if (const auto colon = origin.find(':'); colon != std::string_view::npos)
    origin = origin.substr(0, colon);
  return std::string(origin);
}

}  // namespace

struct Pipeline::Impl {
  store::Store& store;
  Options options;
  ingest::Reader reader;
  extract::Extractor extractor;
  understand::Analyzer analyzer;
  dedup::Index dedup_index;
  understand::EntityDirectory directory;
  cluster::Clusterer clusterer;
  int threads = 1;
  // The next checkpoint rewrites all derived state instead of what changed: for a new store,
  // after a regroup, after converting an older store's state, and after a failed checkpoint.
  bool rewrite_all = true;
  // Each directory entry as the last checkpoint wrote it (by index; entries only grow, and
  // an entry's key can change when a surname-only person gets a full name).
  struct SavedEntry {
    std::string key;
    EntityType type = EntityType::kOther;
    int article_count = 0;
    std::size_t aliases = 0;
  };
  std::vector<SavedEntry> saved_entries;
  const Summary* running = nullptr;  // the summary of the ingest under way, if any

  Impl(store::Store& s, Options o, cluster::Clusterer c)
      : store(s),
        options(std::move(o)),
        reader(options.ingest),
        extractor(options.extract),
        analyzer(options.understand),
        dedup_index(options.dedup),
        clusterer(std::move(c)) {
    threads = worker_count(options.threads);
  }

  // The value for `page` in a per-file table: by file name, then by stem.
  static const std::string* lookup_by_file(
      const std::unordered_map<std::string, std::string>& table, const Page& page) {
    if (table.empty()) return nullptr;
    const std::string name = file_name_of(page.origin);
    auto it = table.find(name);
    if (it == table.end()) {
      const auto dot = name.rfind('.');
      if (dot != std::string::npos) it = table.find(name.substr(0, dot));
    }
    return it == table.end() ? nullptr : &it->second;
  }

  void fill_page_defaults(Page& page) const {
    if (page.published.empty()) {
      const std::string* date = lookup_by_file(options.published_by_file, page);
      page.published = date ? *date : options.published_default;
    }
    if (page.source.empty()) {
      if (const std::string* source = lookup_by_file(options.source_by_file, page))
        page.source = *source;
    }
  }

  void process_page(ProcessedPage& out) const {
    fill_page_defaults(out.page);
    out.content_hash = XXH3_64bits(out.page.content.data(), out.page.content.size());
    auto start = CpuClock::now();
    Result<extract::Output> extracted = extractor.run(out.page);
    out.extract_seconds = seconds_since(start);
    if (!extracted) {
      out.error = extracted.error();
      return;
    }
    out.page_warnings = std::move(extracted->warnings);
    out.articles = std::move(extracted->articles);
    start = CpuClock::now();
    for (const Article& article : out.articles) out.analyses.push_back(analyzer.run(article));
    out.understand_seconds = seconds_since(start);
    start = CpuClock::now();
    for (const Article& article : out.articles) out.signatures.push_back(dedup::sign(article.text));
    out.sign_seconds = seconds_since(start);
  }

  // Extraction, understanding and signing in parallel; results stay in input order.
  void process_batch(std::vector<ProcessedPage>& batch) const {
    parallel_for(batch.size(), threads, [&](std::size_t i) { process_page(batch[i]); });
  }

  // Points the analysis at the directory's canonical entities (names, keys, quote speakers).
  void resolve_entities(Analysis& analysis) {
    for (Entity& entity : analysis.entities) entity = directory.resolve(entity);
    for (Quote& quote : analysis.quotes) {
      if (quote.speaker_entity >= 0 &&
          quote.speaker_entity < static_cast<int>(analysis.entities.size())) {
        quote.speaker = analysis.entities[quote.speaker_entity].name;
      }
    }
  }

  Result<void> store_page(ProcessedPage& item, Summary& summary) {
    ++summary.pages;
    auto has = store.has_page(item.content_hash);
    if (!has) return has.error();
    if (*has) {
      ++summary.pages_known;
      return {};
    }
    if (item.error) {
      ++summary.pages_failed;
      summary.problems.push_back({item.page.origin, *item.error, "extract"});
      return store.add_page(item.page, item.content_hash, 0, item.error->to_string());
    }
    summary.warnings += item.page_warnings.size();
    int stored = 0;
    for (std::size_t i = 0; i < item.articles.size(); ++i) {
      Article& article = item.articles[i];
      Analysis& analysis = item.analyses[i];
      const dedup::Signature& signature = item.signatures[i];
      summary.warnings += article.warnings.size();
      auto start = CpuClock::now();
      // A candidate whose estimate is near the threshold is decided by the exact shingle
      // Jaccard of the two texts (the canonical one read back from the store): the sketch
      // finds copies, the texts confirm them. Only near pairs get here, so reads are rare.
      std::optional<dedup::ShingleSet> query_shingles;
      const dedup::Verify verify = [&](int64_t id) -> std::optional<double> {
        auto text = store.article_text(id);
        if (!text) return std::nullopt;
        if (!query_shingles) query_shingles.emplace(article.text);
        return query_shingles->jaccard(dedup::ShingleSet(*text));
      };
      std::optional<dedup::Match> match = dedup_index.find(signature, verify);
      summary.times.dedup += seconds_since(start);
      if (match) {
        start = CpuClock::now();
        if (auto r =
                store.add_duplicate(article, match->canonical_id, match->similarity, match->exact);
            !r)
          return r;
        summary.times.store += seconds_since(start);
        ++summary.duplicates;
        continue;
      }
      start = CpuClock::now();
      resolve_entities(analysis);
      summary.times.understand += seconds_since(start);

      start = CpuClock::now();
      auto id = store.add_article(article, analysis, dedup::Index::serialize(signature));
      if (!id) return id.error();
      summary.times.store += seconds_since(start);
      dedup_index.add(*id, signature);
      ++summary.articles;
      ++stored;

      start = CpuClock::now();
      cluster::Placement placement = clusterer.add(*id, cluster::make_features(article, analysis));
      summary.times.cluster += seconds_since(start);
      summary.stories_new += placement.new_story;
      summary.storylines_new += placement.new_storyline;
      start = CpuClock::now();
      if (auto r = store.set_placement(*id, placement); !r) return r;
      summary.times.store += seconds_since(start);
    }
    return store.add_page(item.page, item.content_hash, stored, "ok");
  }

  // Saves the derived state beside the articles, in the same transaction, then commits. Only
  // what changed since the last checkpoint is written, so a checkpoint's cost follows the pages
  // since the last one, not the size of the store.
  Result<void> checkpoint(Summary& summary) {
    const auto start = CpuClock::now();
    auto result = write_derived_state();
    if (result) result = store.commit();
    rewrite_all = !result;  // after a failure the store and the snapshots may disagree
    summary.times.store += seconds_since(start);
    if (!result) return result;
    return store.begin();
  }

  Result<void> write_derived_state() {
    cluster::Clusterer::Changes changes = clusterer.take_changes(rewrite_all);
    const auto& entries = directory.entries();
    if (rewrite_all) {
      std::erase_if(changes.storylines, [](const auto& s) { return s.merged; });
      if (auto r = store.save_clusters(changes.stories, changes.storylines, changes.regrouped); !r)
        return r;
      if (auto r = store.save_entities(entries); !r) return r;
      if (auto r = store.delete_state_rows(kClustererRows); !r) return r;
      if (auto r = store.delete_state(kClustererState); !r) return r;
    } else {
      if (auto r = store.update_clusters(changes.stories, changes.storylines, changes.regrouped,
                                         changes.removed_stories);
          !r)
        return r;
      std::vector<const understand::EntityDirectory::Entry*> changed;
      std::vector<std::pair<std::string, EntityType>> gone;
      for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& entry = entries[i];
        if (i < saved_entries.size()) {
          const SavedEntry& saved = saved_entries[i];
          if (saved.key == entry.key && saved.type == entry.type &&
              saved.article_count == entry.article_count && saved.aliases == entry.aliases.size())
            continue;
          if (saved.key != entry.key || saved.type != entry.type)
            gone.emplace_back(saved.key, saved.type);
        }
        changed.push_back(&entry);
      }
      if (auto r = store.update_entities(changed, gone); !r) return r;
    }
    if (auto r = store.delete_state_rows(kClustererRows, changes.deleted_rows); !r) return r;
    if (auto r = store.save_state_rows(kClustererRows, changes.rows); !r) return r;
    if (auto r = store.save_state(kClusterOptionsState, cluster_options_json(options.cluster)); !r)
      return r;
    remember_entries();
    return {};
  }

  void remember_entries() {
    const auto& entries = directory.entries();
    saved_entries.resize(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      saved_entries[i] = {entries[i].key, entries[i].type, entries[i].article_count,
                          entries[i].aliases.size()};
    }
  }

  // The sequential part of a processed batch: copies, clustering and store writes in input
  // order, then a checkpoint when one is due.
  Result<void> store_batch(std::vector<ProcessedPage>& batch, Summary& summary,
                           std::size_t& since_checkpoint) {
    for (auto& item : batch) {
      summary.times.extract += item.extract_seconds;
      summary.times.understand += item.understand_seconds;
      summary.times.dedup += item.sign_seconds;
      if (auto r = store_page(item, summary); !r) return r;
    }
    since_checkpoint += batch.size();
    batch.clear();
    if (since_checkpoint >= options.checkpoint_pages) {
      since_checkpoint = 0;
      return checkpoint(summary);
    }
    return {};
  }
};

Pipeline::Pipeline(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pipeline::~Pipeline() = default;

Result<std::optional<cluster::Options>> saved_cluster_options(store::Store& store) {
  auto saved = store.load_state(kClusterOptionsState);
  if (!saved) return saved.error();
  if (!*saved) return std::optional<cluster::Options>();
  cluster::Options options;
  apply_cluster_options(**saved, options);
  return std::optional<cluster::Options>(options);
}

Result<std::unique_ptr<Pipeline>> Pipeline::open(store::Store& store, Options options) {
  cluster::Clusterer clusterer(options.cluster);
  bool rewrite_all = true;  // a new store, or an older one whose state is one row
  auto rows = store.load_state_rows(kClustererRows);
  if (!rows) return rows.error();
  if (!rows->empty()) {
    auto loaded = cluster::Clusterer::load_rows(*rows, options.cluster);
    if (!loaded) return loaded.error();
    clusterer = std::move(*loaded);
    rewrite_all = false;
  } else {
    auto state = store.load_state(kClustererState);
    if (!state) return state.error();
    if (*state) {
      auto loaded = cluster::Clusterer::load(**state, options.cluster);
      if (!loaded) return loaded.error();
      clusterer = std::move(*loaded);
    }
  }
  rows->clear();
  auto impl = std::make_unique<Impl>(store, std::move(options), std::move(clusterer));
  impl->rewrite_all = rewrite_all;
  auto entries = store.load_entities();
  if (!entries) return entries.error();
  impl->directory.load(std::move(*entries));
  impl->remember_entries();
  Error bad_signature;
  bool signatures_ok = true;
  auto visited = store.for_each_signature([&](int64_t id, const std::vector<uint8_t>& bytes) {
    auto signature = dedup::Index::deserialize(bytes.data(), bytes.size());
    if (!signature) {
      signatures_ok = false;
      bad_signature = make_error(ErrorCode::kCorrupt, "unreadable dedup signature",
                                 "article " + std::to_string(id));
      return;
    }
    impl->dedup_index.add(id, *signature);
  });
  if (!visited) return visited.error();
  if (!signatures_ok) return bad_signature;
  return std::unique_ptr<Pipeline>(new Pipeline(std::move(impl)));
}

// One ingest run inside one open transaction: pages are batched as they come, a failure stops
// the run (later pages are ignored) and finish() commits the last checkpoint or rolls back.
class Pipeline::Run {
 public:
  explicit Run(Pipeline::Impl& impl, const Progress* progress = nullptr)
      : impl_(impl), progress_(progress), start_(Clock::now()) {
    impl_.running = &summary_;
  }
  ~Run() { impl_.running = nullptr; }
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  Result<void> begin() { return impl_.store.begin(); }

  void add(Page&& page) {
    if (failure_) return;
    batch_.emplace_back().page = std::move(page);
    if (batch_.size() >= impl_.options.batch_pages) flush();
  }

  bool failed() const { return failure_.has_value(); }
  std::size_t pages_seen() const { return summary_.pages + pending_.size() + batch_.size(); }
  Summary& summary() { return summary_; }
  // Where the run stands in its list of inputs, for the progress reported after each batch
  // (one big JSONL or WARC file is thousands of batches).
  void set_inputs(std::size_t done, std::size_t total) {
    inputs_done_ = done;
    inputs_total_ = total;
  }

  Result<Summary> finish() {
    if (!failure_ && !batch_.empty()) flush();
    store_pending();
    if (!failure_) {
      if (auto r = impl_.checkpoint(summary_); !r) failure_ = r.error();
    }
    impl_.store.rollback();  // the failed work, or the empty transaction checkpoint() opened
    if (failure_) return *failure_;
    summary_.seconds = seconds_since(start_);
    return std::move(summary_);
  }

 private:
  // Processes the batch just filled while the previous one is stored: extraction and
  // understanding (parallel, page by page) overlap the sequential copies, clustering and store
  // writes, so on large runs the second core is not idle while one thread clusters and writes.
  // Results do not depend on the overlap: batches are stored whole and in input order. With one
  // thread asked for, nothing overlaps.
  void flush() {
    std::vector<ProcessedPage> next = std::move(batch_);
    batch_.clear();
    if (impl_.threads > 1 && !pending_.empty()) {
      std::jthread worker([&] { impl_.process_batch(next); });
      store_pending();
    } else {
      store_pending();
      if (!failure_) impl_.process_batch(next);
    }
    if (failure_) return;
    pending_ = std::move(next);
    if (progress_ && *progress_) (*progress_)(inputs_done_, inputs_total_, pages_seen());
  }

  void store_pending() {
    if (failure_ || pending_.empty()) return;
    if (auto r = impl_.store_batch(pending_, summary_, since_checkpoint_); !r) failure_ = r.error();
    pending_.clear();
  }

  Pipeline::Impl& impl_;
  const Progress* progress_;
  std::size_t inputs_done_ = 0, inputs_total_ = 0;
  Clock::time_point start_;
  Summary summary_;
  std::vector<ProcessedPage> batch_;    // pages being collected
  std::vector<ProcessedPage> pending_;  // processed, not yet stored
  std::size_t since_checkpoint_ = 0;
  std::optional<Error> failure_;
};

StageTimes Pipeline::running_times() const {
  return impl_->running ? impl_->running->times : StageTimes{};
}

Result<Summary> Pipeline::ingest(const std::vector<std::string>& paths, const Progress& progress) {
  Impl& impl = *impl_;
  auto inputs = impl.reader.expand(paths);
  if (!inputs) return inputs.error();
  Run run(impl, &progress);
  if (auto r = run.begin(); !r) return r.error();
  Summary& summary = run.summary();
  std::size_t inputs_done = 0;
  for (const std::string& input : *inputs) {
    run.set_inputs(inputs_done, inputs->size());
    ingest::Report report =
        impl.reader.read({input}, [&](Page&& page) { run.add(std::move(page)); });
    summary.inputs += report.inputs;
    summary.records += report.records;
    summary.pointers += report.pointers;
    for (const auto& [kind, count] : report.skipped) summary.skipped[kind] += count;
    for (auto& problem : report.problems) summary.problems.push_back(std::move(problem));
    for (auto& warning : report.warnings) summary.read_warnings.push_back(std::move(warning));
    ++inputs_done;
    run.set_inputs(inputs_done, inputs->size());
    if (run.failed()) break;
    if (progress) progress(inputs_done, inputs->size(), run.pages_seen());
  }
  return run.finish();
}

Result<Summary> Pipeline::ingest_pages(std::vector<Page> pages) {
  Run run(*impl_);
  if (auto r = run.begin(); !r) return r.error();
  run.summary().inputs = 1;
  for (Page& page : pages) run.add(std::move(page));
  return run.finish();
}

Result<RegroupSummary> Pipeline::regroup(const Progress& progress) {
  Impl& impl = *impl_;
  const auto start = Clock::now();
  auto counts = impl.store.stats();
  if (!counts) return counts.error();
  const std::size_t total = counts->value("articles", std::size_t{0});
  RegroupSummary summary;
  cluster::Clusterer clusterer(impl.options.cluster);
  summary.stories_before = impl.clusterer.stories().size();
  summary.storylines_before = impl.clusterer.storylines().size();
  if (auto r = impl.store.begin(); !r) return r.error();
  std::optional<Error> failure;
  auto visited = impl.store.for_each_article(
      [&](int64_t id, const Article& article, const Analysis& analysis) {
        if (failure) return;
        cluster::Placement placement = clusterer.add(id, cluster::make_features(article, analysis));
        if (auto r = impl.store.set_placement(id, placement); !r) failure = r.error();
        ++summary.articles;
        if (progress && summary.articles % 1000 == 0)
          progress(summary.articles, total, summary.articles);
      });
  if (!visited) failure = visited.error();
  if (!failure) {
    impl.clusterer = std::move(clusterer);
    impl.rewrite_all = true;  // every story and storyline is new
    Summary ignored;
    if (auto r = impl.checkpoint(ignored); !r) failure = r.error();
  }
  impl.store.rollback();  // the failed work, or the empty transaction checkpoint() opened
  if (failure) return *failure;
  summary.stories = impl.clusterer.stories().size();
  summary.storylines = impl.clusterer.storylines().size();
  if (progress) progress(summary.articles, total, summary.articles);
  summary.seconds = seconds_since(start);
  return summary;
}

}  // namespace storyline::pipeline
