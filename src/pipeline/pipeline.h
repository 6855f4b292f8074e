// pipeline: runs pages through every stage and into the store.
//
//   auto store = store::Store::open("storyline.db");
//   auto pipeline = pipeline::Pipeline::open(**store, options);
//   Result<pipeline::Summary> summary = (*pipeline)->ingest({"pages/"}, progress);
//
//   ingest -> extract -> dedup -> understand -> cluster -> store
//
// Extraction and understanding are pure per page and run on a pool of worker threads (both
// cores); dedup, entity merging, clustering and writes run in input order on the calling thread,
// so results do not depend on thread timing. Work is committed in checkpoints (each one a SQLite
// transaction holding the articles and the clusterer's state), so a killed process leaves the
// store at the last checkpoint. Re-ingesting a page already stored (same bytes) changes nothing.
// Thread-safety: one Pipeline per store; not for concurrent use.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cluster/cluster.h"
#include "common/result.h"
#include "dedup/dedup.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "store/store.h"
#include "understand/understand.h"

namespace storyline::pipeline {

struct Options {
  ingest::Options ingest;
  extract::Options extract;
  dedup::Options dedup;
  understand::Options understand;
  cluster::Options cluster;
  int threads = 0;                      // worker threads; 0 = one per core
  std::size_t batch_pages = 64;         // pages extracted in parallel at once
  std::size_t checkpoint_pages = 2000;  // pages between commits
  // Publication dates and outlets for pages that carry none: by file name ("a.txt") or stem
  // ("a"), else the default. A page's own values (JSONL fields, HTML metadata) always win.
  std::unordered_map<std::string, std::string> published_by_file;
  std::unordered_map<std::string, std::string> source_by_file;
  std::string published_default;
};

// The clustering options the last ingest or regroup committed to `store` (none for a new
// store), so a store can keep grouping the way it was last told to: the CLI starts from
// them and applies only the thresholds given on its command line.
[[nodiscard]] Result<std::optional<cluster::Options>> saved_cluster_options(store::Store& store);

struct StageTimes {  // seconds of CPU work per stage, summed over threads
  double extract = 0, understand = 0, dedup = 0, cluster = 0, store = 0;
};

struct Summary {
  std::size_t inputs = 0;        // files / stdin read
  std::size_t pages = 0;         // pages read
  std::size_t pages_known = 0;   // skipped: the same bytes were ingested before
  std::size_t pages_failed = 0;  // extraction failed (see problems)
  std::size_t articles = 0;      // new canonical articles stored
  std::size_t duplicates = 0;    // copies linked to a canonical article
  std::size_t stories_new = 0;
  std::size_t storylines_new = 0;
  std::size_t warnings = 0;
  std::size_t records = 0;   // input records read (WARC records, feed items, JSONL lines…)
  std::size_t pointers = 0;  // feed items / sitemap URLs that are links, not articles
  std::map<std::string, std::size_t> skipped;  // records skipped, by kind ("warc-request", …)
  std::vector<ingest::Problem> problems;       // per input / per page errors, never dropped
  std::vector<ingest::Problem> read_warnings;  // inputs read anyway (ill-formed feed, …)
  StageTimes times;
  double seconds = 0;  // wall clock
};

struct RegroupSummary {
  std::size_t articles = 0;
  std::size_t stories = 0;
  std::size_t storylines = 0;
  std::size_t stories_before = 0;
  std::size_t storylines_before = 0;
  double seconds = 0;
};

// Called after each batch with pages done so far and the total number of inputs (files).
using Progress =
    std::function<void(std::size_t inputs_done, std::size_t inputs_total, std::size_t pages_done)>;

class Pipeline {
 public:
  // Loads the dedup index, entity directory and clusterer state from `store` (not owned;
  // must outlive the Pipeline).
  [[nodiscard]] static Result<std::unique_ptr<Pipeline>> open(store::Store& store,
                                                              Options options = {});
  ~Pipeline();

  // Reads files, directories or "-" (stdin) and processes every page.
  [[nodiscard]] Result<Summary> ingest(const std::vector<std::string>& paths,
                                       const Progress& progress = {});
  // Processes pages already in memory (tests, API).
  [[nodiscard]] Result<Summary> ingest_pages(std::vector<Page> pages);

  // Re-groups every stored article into stories and storylines with the current cluster
  // options, replaying them in ingest order through a new clusterer: nothing is extracted or
  // analysed again. One transaction: a killed regroup leaves the previous grouping.
  // `progress(articles_done, articles_total, articles_done)`.
  [[nodiscard]] Result<RegroupSummary> regroup(const Progress& progress = {});

  // Stage times of the ingest under way so far (zero outside one), so that a progress callback
  // can show per-interval stage costs (pipeline_bench --report-every).
  StageTimes running_times() const;

 private:
  struct Impl;
  class Run;  // one ingest run: batching, checkpoints, commit or rollback
  explicit Pipeline(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace storyline::pipeline
