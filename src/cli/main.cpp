// storyline — the command-line interface. Thin: parses options, calls the stages, prints.
// stdout carries data (tables, or JSON with --json); logs and progress go to stderr.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/table.h"
#include "common/civil_date.h"
#include "common/json.h"
#include "common/parallel.h"
#include "common/text_util.h"
#include "compare/compare.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "pipeline/pipeline.h"
#include "server/server.h"
#include "store/store.h"
#include "understand/understand.h"

namespace storyline::cli {
namespace {

using nlohmann::json;

// Thrown inside commands; main() turns it into a message and exit code 1.
struct CommandError {
  std::string message;
};

[[noreturn]] void fail(const Error& error) { throw CommandError{error.to_string()}; }

template <typename T>
T take(Result<T> result) {
  if (!result) fail(result.error());
  return std::move(*result);
}

void take(Result<void> result) {
  if (!result) fail(result.error());
}

void print_json(const json& value) {
  std::fputs(value.dump(2, ' ', false, json::error_handler_t::replace).c_str(), stdout);
  std::fputc('\n', stdout);
}

std::string str(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

std::string joined(const json& array, std::size_t max_items = 0, const char* key = nullptr) {
  std::string out;
  std::size_t count = 0;
  if (!array.is_array()) return out;
  for (const auto& item : array) {
    if (max_items && count == max_items) {
      out += ", …";
      break;
    }
    if (count++) out += ", ";
    out += key ? str(item, key) : (item.is_string() ? item.get<std::string>() : item.dump());
  }
  return out;
}

std::unique_ptr<store::Store> open_store(const std::string& path, bool read_only) {
  store::Options options;
  options.read_only = read_only;
  return take(store::Store::open(path, options));
}

// --- progress bar on stderr, only on a terminal --------------------------------------------

class ProgressBar {
 public:
  // `unit`: what `done` and `total` count; pages are shown only when counting files.
  explicit ProgressBar(bool enabled, const char* unit = "files")
      : enabled_(enabled), unit_(unit), start_(std::chrono::steady_clock::now()) {}
  void update(std::size_t done, std::size_t total, std::size_t pages) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    // Called after every batch: redraw at most ten times a second, and always at the end.
    if (shown_ && done < total && now - last_shown_ < std::chrono::milliseconds(100)) return;
    last_shown_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const bool files = std::string_view(unit_) == "files";
    const double rate = seconds > 0 ? (files ? pages : done) / seconds : 0.0;
    if (files && total < 2) {  // one input (a JSONL or WARC file): count pages
      std::fprintf(stderr, "\r%zu pages, %.0f pages/s", pages, rate);
    } else {
      constexpr int kWidth = 30;
      const int filled = total ? static_cast<int>(kWidth * done / total) : 0;
      std::string bar(filled, '=');
      if (filled < kWidth) bar += '>';
      bar.resize(kWidth, ' ');
      if (files)
        std::fprintf(stderr, "\r[%s] %zu/%zu files, %zu pages, %.0f pages/s", bar.c_str(), done,
                     total, pages, rate);
      else
        std::fprintf(stderr, "\r[%s] %zu/%zu %s, %.0f/s", bar.c_str(), done, total, unit_, rate);
    }
    std::fflush(stderr);
    shown_ = true;
  }
  void finish() {
    if (shown_) std::fputc('\n', stderr);
  }

 private:
  bool enabled_;
  const char* unit_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_, last_shown_;
};

// --- commands -------------------------------------------------------------------------------

struct GlobalOptions {
  std::string db = "storyline.db";
  bool json = false;
  bool verbose = false;
  bool quiet = false;
};

// Reads "NAME<TAB>YYYY-MM-DD[<TAB>OUTLET]" lines into the pipeline's per-file tables.
void read_dates_file(const std::string& path, pipeline::Options& options) {
  std::ifstream in(path);
  if (!in) throw CommandError{"cannot read dates file " + path};
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const std::string_view trimmed = trim(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    const auto tab = trimmed.find('\t');
    if (tab == std::string_view::npos)
      throw CommandError{path + ":" + std::to_string(line_number) + ": expected NAME<TAB>DATE"};
    std::string name(trimmed.substr(0, tab));
    std::string_view rest = trimmed.substr(tab + 1);
    const auto tab2 = rest.find('\t');
    std::string date(trim(rest.substr(0, tab2)));
    if (!parse_iso_date(date))
      throw CommandError{path + ":" + std::to_string(line_number) + ": not an ISO date: " + date};
    options.published_by_file[name] = date;
    if (tab2 != std::string_view::npos) {
      const std::string_view source = trim(rest.substr(tab2 + 1));
      if (!source.empty()) options.source_by_file[name] = std::string(source);
    }
  }
}

json problem_entry(const ingest::Problem& p) {
  return {{"origin", p.origin},
          {"kind", p.kind.empty() ? "other" : p.kind},
          {"code", error_code_name(p.error.code)},
          {"message", p.error.message}};
}

json summary_json(const pipeline::Summary& s) {
  json problems = json::array();
  for (const auto& p : s.problems) problems.push_back(problem_entry(p));
  json warnings = json::array();
  for (const auto& p : s.read_warnings) warnings.push_back(problem_entry(p));
  std::map<std::string, std::size_t> errors_by_kind;
  for (const auto& p : s.problems) ++errors_by_kind[p.kind.empty() ? "other" : p.kind];
  return {{"inputs", s.inputs},
          {"records", s.records},
          {"pointers", s.pointers},
          {"skipped", s.skipped},
          {"errors_by_kind", errors_by_kind},
          {"read_warnings", warnings},
          {"pages", s.pages},
          {"pages_known", s.pages_known},
          {"pages_failed", s.pages_failed},
          {"articles", s.articles},
          {"duplicates", s.duplicates},
          {"stories_new", s.stories_new},
          {"storylines_new", s.storylines_new},
          {"warnings", s.warnings},
          {"problems", problems},
          {"seconds", s.seconds},
          {"stage_seconds",
           {{"extract", s.times.extract},
            {"understand", s.times.understand},
            {"dedup", s.times.dedup},
            {"cluster", s.times.cluster},
            {"store", s.times.store}}}};
}

void print_stories_table(const json& stories) {
  Table table({"story", "storyline", "dates", "articles", "sources", "label"},
              {0, 0, 0, 0, 40, 70});
  for (const auto& s : stories) {
    std::string dates = str(s, "first_date");
    if (str(s, "last_date") != dates && !str(s, "last_date").empty())
      dates += ".." + str(s, "last_date");
    table.add_row({str(s, "id"), str(s, "storyline_id"), dates, str(s, "article_count"),
                   joined(s.value("sources", json::array())), str(s, "label")});
  }
  table.print(stdout);
}

// Every error (and read warning) of the run as JSON Lines, for `ingest --errors FILE`.
void write_errors_file(const std::string& path, const pipeline::Summary& summary) {
  std::ofstream out(path);
  if (!out) throw CommandError{"cannot write " + path};
  for (const auto& p : summary.problems) out << problem_entry(p).dump() << '\n';
  for (const auto& p : summary.read_warnings) {
    json entry = problem_entry(p);
    entry["warning"] = true;
    out << entry.dump() << '\n';
  }
  if (!out) throw CommandError{"write failed: " + path};
}

// The clustering thresholds, shared by ingest and regroup. A store keeps the thresholds it was
// last grouped with; a command starts from those and changes only the ones given to it.
class ClusterFlags {
 public:
  ClusterFlags(CLI::App* command, cluster::Options& cluster) : cluster_(cluster) {
    add(command, "--story-threshold", &cluster::Options::story_threshold,
        "Similarity to join a story");
    add(command, "--storyline-threshold", &cluster::Options::storyline_threshold,
        "Similarity to link stories into a storyline");
    add(command, "--storyline-merge-threshold", &cluster::Options::storyline_merge_threshold,
        "Similarity to merge two storylines into one (0: never)");
    add(command, "--entity-weight", &cluster::Options::entity_weight,
        "Share of entity overlap in the similarity (the rest is terms)");
    add(command, "--storyline-entity-weight", &cluster::Options::storyline_entity_weight,
        "Share of entity overlap when linking stories into storylines");
    add(command, "--year-weight", &cluster::Options::year_weight,
        "Share of year agreement in an article's similarity to a story");
    add(command, "--phrase-weight", &cluster::Options::phrase_weight,
        "Share of phrase overlap (word pairs, figures) in the words' part of an event's "
        "similarity (0: none)");
    add(command, "--story-split-threshold", &cluster::Options::story_split_threshold,
        "Split a story whose two groups of articles are less alike than this (0: never)");
    add(command, "--story-replace", &cluster::Options::story_replace,
        "Re-place a grown story's members that are more like a sibling story, and fold "
        "sibling stories of at most this many articles into it (0: never)");
    add(command, "--story-min-terms", &cluster::Options::story_min_term_similarity,
        "TF-IDF cosine of the words alone needed to join a story");
    add(command, "--storyline-min-event", &cluster::Options::storyline_min_event_similarity,
        "Similarity to one of a storyline's stories needed to link into it");
    add(command, "--story-window", &cluster::Options::story_window_days,
        "Days between an article and the nearest of its event's articles");
    add(command, "--story-span", &cluster::Options::story_span_days,
        "Days from an event's first article to its last");
    add(command, "--storyline-window", &cluster::Options::storyline_window_days,
        "Days a storyline's events may span");
  }

  // After parsing: `target` (the parsed options or a copy of them) becomes the store's saved
  // thresholds, overridden by those given on the command line.
  void merge_with_saved(store::Store& store, cluster::Options& target) const {
    auto saved = take(pipeline::saved_cluster_options(store));
    if (!saved) return;
    const cluster::Options given = target;
    target = *saved;
    for (const auto& [option, field] : doubles_)
      if (option->count() > 0) target.*field = given.*field;
    for (const auto& [option, field] : ints_)
      if (option->count() > 0) target.*field = given.*field;
  }

 private:
  void add(CLI::App* command, const char* name, double cluster::Options::*field, const char* help) {
    doubles_.emplace_back(command->add_option(name, cluster_.*field, help)->capture_default_str(),
                          field);
  }
  void add(CLI::App* command, const char* name, int cluster::Options::*field, const char* help) {
    ints_.emplace_back(command->add_option(name, cluster_.*field, help)->capture_default_str(),
                       field);
  }
  cluster::Options& cluster_;
  std::vector<std::pair<CLI::Option*, double cluster::Options::*>> doubles_;
  std::vector<std::pair<CLI::Option*, int cluster::Options::*>> ints_;
};

void command_ingest(const GlobalOptions& global, const std::vector<std::string>& paths,
                    pipeline::Options options, const std::string& dates_file,
                    const std::string& errors_file, const ClusterFlags& flags) {
  if (!dates_file.empty()) read_dates_file(dates_file, options);
  auto store = open_store(global.db, false);
  flags.merge_with_saved(*store, options.cluster);
  auto pipe = take(pipeline::Pipeline::open(*store, options));
  ProgressBar bar(!global.quiet && isatty(STDERR_FILENO));
  auto summary =
      take(pipe->ingest(paths, [&](std::size_t done, std::size_t total, std::size_t pages) {
        bar.update(done, total, pages);
      }));
  bar.finish();
  if (!errors_file.empty()) write_errors_file(errors_file, summary);
  if (global.json) {
    print_json(summary_json(summary));
    return;
  }
  if (!global.quiet)
    std::fprintf(
        stderr,
        "ingested %zu inputs: %zu pages (%zu already known, %zu failed) -> %zu new articles, "
        "%zu duplicates, %zu new stories, %zu new storylines in %.2fs\n",
        summary.inputs, summary.pages, summary.pages_known, summary.pages_failed, summary.articles,
        summary.duplicates, summary.stories_new, summary.storylines_new, summary.seconds);
  if (!global.quiet && (summary.records || summary.pointers || !summary.skipped.empty())) {
    std::string skipped;
    for (const auto& [kind, count] : summary.skipped)
      skipped += (skipped.empty() ? "" : ", ") + kind + " " + std::to_string(count);
    std::fprintf(stderr, "  %zu records read, %zu pointers (links, not articles)%s%s\n",
                 summary.records, summary.pointers,
                 skipped.empty() ? "" : "; skipped: ", skipped.c_str());
  }
  // Errors by kind with their first few locations; --errors FILE has them all.
  constexpr std::size_t kLocationsShown = 3;
  std::map<std::string, std::vector<const ingest::Problem*>> by_kind;
  for (const auto& problem : summary.problems)
    by_kind[problem.kind.empty() ? "other" : problem.kind].push_back(&problem);
  for (const auto& [kind, list] : by_kind) {
    std::fprintf(stderr, "  %zu error(s) of kind %s:\n", list.size(), kind.c_str());
    for (std::size_t i = 0; i < list.size() && i < kLocationsShown; ++i)
      std::fprintf(stderr, "    %s: %s\n", list[i]->origin.c_str(),
                   list[i]->error.to_string().c_str());
    if (list.size() > kLocationsShown)
      std::fprintf(stderr, "    … and %zu more\n", list.size() - kLocationsShown);
  }
  if (!global.quiet) {
    json stories = take(store->stories());
    std::printf("\nStories (%zu)\n", stories.size());
    print_stories_table(stories);
    json storylines = take(store->storylines());
    std::printf("\nStorylines (%zu)\n", storylines.size());
    Table table({"storyline", "stories", "articles", "dates", "label"}, {0, 0, 0, 0, 80});
    for (const auto& s : storylines)
      table.add_row({str(s, "id"), str(s, "story_count"), str(s, "article_count"),
                     str(s, "first_date") + ".." + str(s, "last_date"), str(s, "label")});
    table.print(stdout);
  }
}

// Pages are read in order, extracted in batches by `threads` workers, and printed in order.
void command_extract(const GlobalOptions& global, const std::vector<std::string>& paths,
                     const ingest::Options& ingest_options, const std::string& format,
                     int threads) {
  ingest::Reader reader(ingest_options);
  extract::Extractor extractor;
  threads = worker_count(threads);
  json aeb = json::object();
  int failures = 0;

  auto emit = [&](const Page& page, const Result<extract::Output>& output) {
    if (!output) {
      ++failures;
      std::fprintf(stderr, "%s: %s\n", page.origin.c_str(), output.error().to_string().c_str());
      if (format == "jsonl")
        std::printf("%s\n", json{{"page_id", page.id},
                                 {"origin", page.origin},
                                 {"error", output.error().to_string()}}
                                .dump(-1, ' ', false, json::error_handler_t::replace)
                                .c_str());
      return;
    }
    if (format == "aeb") {
      // The Article Extraction Benchmark's shape: {"<id>": {"articleBody": ...}}.
      const Article* main = output->articles.empty() ? nullptr : &output->articles.front();
      aeb[page.id] = {{"articleBody", main ? main->text : ""}};
      return;
    }
    json articles = json::array();
    for (const Article& article : output->articles) articles.push_back(article);
    json record = {{"page_id", page.id},
                   {"origin", page.origin},
                   {"format", page_format_name(page.format)},
                   {"articles", articles},
                   {"warnings", output->warnings}};
    if (format == "jsonl") {
      std::printf("%s\n", record.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    } else {
      print_json(record);
    }
  };

  // A batch is bounded by pages and bytes, so memory stays bounded on a stream of big pages.
  constexpr std::size_t kBatchPages = 64;
  constexpr std::size_t kBatchBytes = std::size_t{64} << 20;
  std::vector<Page> batch;
  std::size_t batch_bytes = 0;
  std::vector<Result<extract::Output>> results;
  auto run_batch = [&] {
    results.clear();
    results.reserve(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) results.emplace_back(extract::Output{});
    parallel_for(batch.size(), threads,
                 [&](std::size_t i) { results[i] = extractor.run(batch[i]); });
    for (std::size_t i = 0; i < batch.size(); ++i) emit(batch[i], results[i]);
    batch.clear();
    batch_bytes = 0;
  };
  ingest::Report report = reader.read(paths, [&](Page&& page) {
    batch_bytes += page.content.size();
    batch.push_back(std::move(page));
    if (batch.size() >= kBatchPages || batch_bytes >= kBatchBytes) run_batch();
  });
  if (!batch.empty()) run_batch();
  for (const auto& problem : report.problems) {
    ++failures;
    std::fprintf(stderr, "%s: %s\n", problem.origin.c_str(), problem.error.to_string().c_str());
  }
  if (format == "aeb") print_json(aeb);
  if (failures && !global.quiet) std::fprintf(stderr, "%d page(s) failed\n", failures);
}

// Runs the analyzer alone on text given as JSON Lines ({"id", "text", "published"}, optional
// "language" as ISO 639-1: other languages than English take their own rules), with
// entities merged across the lines; prints {"id", "analysis"} per line. Spans are byte offsets
// into the given text, which is analysed as it is (no extraction), so evaluation scripts can
// map them back onto their own offsets.
void command_analyze(const std::vector<std::string>& paths) {
  understand::Analyzer analyzer;
  understand::EntityDirectory directory;
  int line_errors = 0;
  auto analyze_line = [&](const std::string& origin, const std::string& line) {
    if (trim(line).empty()) return;
    json record = json::parse(line, nullptr, false);
    if (!record.is_object() || !record.contains("text") || !record["text"].is_string()) {
      ++line_errors;
      std::fprintf(stderr, "%s: not a JSON object with a \"text\" string\n", origin.c_str());
      return;
    }
    Article article;
    article.page_id = record.value("id", origin);
    article.text = sanitize_utf8(record["text"].get<std::string>());
    article.published = record.value("published", "");
    article.title = record.value("title", "");
    article.language = record.value("language", "");
    Analysis analysis = analyzer.run(article);
    for (Entity& entity : analysis.entities) entity = directory.resolve(entity);
    std::printf("%s\n", json{{"id", article.page_id}, {"analysis", analysis}}
                            .dump(-1, ' ', false, json::error_handler_t::replace)
                            .c_str());
  };
  for (const std::string& path : paths) {
    std::ifstream file;
    std::istream* in = &std::cin;
    if (path != "-") {
      file.open(path);
      if (!file) throw CommandError{"cannot read " + path};
      in = &file;
    }
    std::string line;
    for (int number = 1; std::getline(*in, line); ++number)
      analyze_line(path + ":" + std::to_string(number), line);
  }
  if (line_errors) std::fprintf(stderr, "%d line(s) skipped\n", line_errors);
}

void command_articles(const GlobalOptions& global, const store::ArticleFilter& filter) {
  auto store = open_store(global.db, true);
  json articles = take(store->articles(filter));
  if (global.json) return print_json(articles);
  Table table({"id", "key", "published", "source", "lang", "story", "title"},
              {0, 28, 10, 22, 0, 0, 60});
  for (const auto& a : articles) {
    std::string title = str(a, "title");
    if (title.empty()) title = str(a, "snippet");
    if (a.value("is_teaser", false)) title = "[teaser] " + title;
    if (a.value("truncated", false)) title += " [cut off]";
    table.add_row({str(a, "id"), str(a, "key"), str(a, "published"), str(a, "source"),
                   str(a, "language"), str(a, "story_id"), title});
  }
  table.print(stdout);
}

void command_stories(const GlobalOptions& global, int limit) {
  auto store = open_store(global.db, true);
  json stories = take(store->stories(limit));
  if (global.json) return print_json(stories);
  print_stories_table(stories);
}

void print_storyline(const json& storyline) {
  std::printf("Storyline %s: %s\n", str(storyline, "id").c_str(), str(storyline, "label").c_str());
  for (const auto& event : storyline.value("timeline", json::array())) {
    std::printf("  %s  story %s: %s\n", str(event, "date").c_str(), str(event, "id").c_str(),
                str(event, "label").c_str());
    for (const auto& article : event.value("articles", json::array())) {
      std::string title = str(article, "title");
      if (title.empty()) title = "(untitled: " + str(article, "key") + ")";
      std::string source = str(article, "source");
      std::printf("      - [%s] %s%s\n", str(article, "id").c_str(), fit(title, 80).c_str(),
                  source.empty() ? "" : (" — " + source).c_str());
    }
  }
  const json links = storyline.value("links", json::array());
  if (!links.empty()) std::printf("  links:\n");
  for (const auto& link : links) {
    std::printf("    story %s -> story %s (similarity %.2f): %s\n", str(link, "from_story").c_str(),
                str(link, "to_story").c_str(), link.value("similarity", 0.0),
                joined(link.value("shared_entities", json::array()), 8).c_str());
  }
}

void command_storylines(const GlobalOptions& global, int limit, bool full) {
  auto store = open_store(global.db, true);
  json storylines = take(store->storylines(limit));
  if (full) {
    json expanded = json::array();
    for (const auto& s : storylines)
      expanded.push_back(take(store->storyline(s.at("id").get<int64_t>())));
    if (global.json) return print_json(expanded);
    for (const auto& s : expanded) {
      print_storyline(s);
      std::printf("\n");
    }
    return;
  }
  if (global.json) return print_json(storylines);
  Table table({"storyline", "stories", "articles", "dates", "label"}, {0, 0, 0, 0, 80});
  for (const auto& s : storylines)
    table.add_row({str(s, "id"), str(s, "story_count"), str(s, "article_count"),
                   str(s, "first_date") + ".." + str(s, "last_date"), str(s, "label")});
  table.print(stdout);
}

std::string span_text(const json& item) { return str(item, "text"); }

void command_show(const GlobalOptions& global, const std::string& id) {
  auto store = open_store(global.db, true);
  json article = take(store->article(id));
  if (global.json) return print_json(article);
  std::printf("%s\n", str(article, "title").empty() ? "(no title)" : str(article, "title").c_str());
  std::printf("id %s  key %s  source %s  published %s  language %s\n", str(article, "id").c_str(),
              str(article, "key").c_str(), str(article, "source").c_str(),
              str(article, "published").c_str(), str(article, "language").c_str());
  if (!str(article, "kicker").empty()) std::printf("kicker: %s\n", str(article, "kicker").c_str());
  if (!str(article, "dateline").empty())
    std::printf("dateline: %s\n", str(article, "dateline").c_str());
  if (!str(article, "author").empty()) std::printf("author: %s\n", str(article, "author").c_str());
  if (article.value("truncated", false)) std::printf("(cut off on the page)\n");
  std::printf("story %s, storyline %s\n\n%s\n", str(article, "story_id").c_str(),
              str(article, "storyline_id").c_str(), str(article, "text").c_str());
  const json analysis = article.value("analysis", json::object());
  if (analysis.contains("event_date"))
    std::printf("\nevent date: %s\n", str(analysis, "event_date").c_str());
  Table entities({"entity", "type", "mentions", "aliases"}, {40, 0, 0, 60});
  for (const auto& e : analysis.value("entities", json::array()))
    entities.add_row({str(e, "name"), str(e, "type"), str(e, "mentions"),
                      joined(e.value("aliases", json::array()))});
  std::printf("\nEntities\n");
  entities.print(stdout);
  Table quotes({"speaker", "cue", "quote"}, {30, 15, 80});
  for (const auto& q : analysis.value("quotes", json::array()))
    quotes.add_row({str(q, "speaker"), str(q, "cue"), span_text(q)});
  std::printf("\nQuotes\n");
  quotes.print(stdout);
  Table figures({"kind", "value", "unit", "qualifier", "text"}, {0, 0, 20, 0, 50});
  for (const auto& f : analysis.value("figures", json::array()))
    figures.add_row(
        {str(f, "kind"), str(f, "value"), str(f, "unit"), str(f, "qualifier"), span_text(f)});
  std::printf("\nFigures\n");
  figures.print(stdout);
  Table dates({"value", "granularity", "text"}, {0, 0, 50});
  for (const auto& d : analysis.value("dates", json::array()))
    dates.add_row({str(d, "value"), str(d, "granularity"), span_text(d)});
  std::printf("\nDates\n");
  dates.print(stdout);
  const json duplicates = article.value("duplicates", json::array());
  if (!duplicates.empty()) {
    std::printf("\nCopies\n");
    for (const auto& d : duplicates)
      std::printf("  %s (%s, similarity %s)\n", str(d, "key").c_str(), str(d, "source").c_str(),
                  str(d, "similarity").c_str());
  }
  if (article.contains("placement") && !article["placement"].is_null()) {
    const json& p = article["placement"];
    // An article moved by a story split is explained by the story it joined first.
    const std::string joined_story = p.contains("split_from_story")
                                         ? " (split from story " + str(p, "split_from_story") + ")"
                                         : "";
    std::printf("\nWhy in story %s%s: shared entities %s; shared terms %s\n",
                str(article, "story_id").c_str(), joined_story.c_str(),
                joined(p.value("shared_entities", json::array()), 10).c_str(),
                joined(p.value("shared_terms", json::array()), 10).c_str());
  }
}

void command_compare(const GlobalOptions& global, int64_t storyline_id) {
  auto store = open_store(global.db, true);
  auto rows = take(store->storyline_articles(storyline_id));
  if (rows.empty()) throw CommandError{"storyline " + std::to_string(storyline_id) + " not found"};
  std::vector<compare::Report> reports;
  reports.reserve(rows.size());
  for (const auto& [article_id, story_id, article, analysis] : rows)
    reports.push_back({article_id, story_id, &article, &analysis});
  const compare::Comparison comparison = compare::compare(reports);
  if (global.json) return print_json(compare::to_json(comparison));
  std::printf("Storyline %lld across %zu outlets: %s\n\n", static_cast<long long>(storyline_id),
              comparison.sources.size(), joined(json(comparison.sources)).c_str());
  Table facts({"kind", "fact", "reported by"}, {0, 50, 60});
  for (const auto& fact : comparison.facts) {
    std::string by;
    for (const auto& [source, ids] : fact.sources) by += (by.empty() ? "" : ", ") + source;
    facts.add_row({fact.kind + (fact.shared ? " *" : ""), fact.label, by});
  }
  facts.print(stdout);
  std::printf("(* reported by more than one outlet)\n");
  if (!comparison.conflicts.empty()) std::printf("\nApparent conflicts\n");
  for (const auto& conflict : comparison.conflicts) {
    std::printf("  %s: ", conflict.topic.c_str());
    for (std::size_t i = 0; i < conflict.sides.size(); ++i)
      std::printf("%s%s says %s", i ? "; " : "", conflict.sides[i].source.c_str(),
                  conflict.sides[i].value.c_str());
    std::printf("\n    likely reason: %s\n", conflict.likely_reason.c_str());
  }
}

void command_search(const GlobalOptions& global, const std::string& query,
                    const store::ArticleFilter& filter) {
  auto store = open_store(global.db, true);
  json hits = take(store->search(query, filter));
  if (global.json) return print_json(hits);
  Table table({"id", "published", "source", "story", "title", "snippet"}, {0, 10, 22, 0, 45, 70});
  for (const auto& h : hits)
    table.add_row({str(h, "id"), str(h, "published"), str(h, "source"), str(h, "story_id"),
                   str(h, "title"), str(h, "snippet")});
  table.print(stdout);
}

void command_entities(const GlobalOptions& global, const std::string& type, int limit) {
  auto store = open_store(global.db, true);
  json entities = take(store->entities(type, limit));
  if (global.json) return print_json(entities);
  Table table({"entity", "type", "articles", "aliases"}, {40, 0, 0, 70});
  for (const auto& e : entities)
    table.add_row({str(e, "name"), str(e, "type"), str(e, "article_count"),
                   joined(e.value("aliases", json::array()))});
  table.print(stdout);
}

// What someone said across outlets: one row per quote, the outlets that reported it, and
// the other wordings when outlets differ.
void command_quotes(const GlobalOptions& global, const std::string& speaker, int limit) {
  auto store = open_store(global.db, true);
  json quotes = take(store->quotes(speaker, limit));
  if (global.json) return print_json(quotes);
  Table table({"speaker", "cue", "quote", "sources"}, {28, 12, 70, 40});
  for (const auto& q : quotes) {
    json outlets = json::array();
    for (const auto& s : q.value("sources", json::array()))
      outlets.push_back(str(s, "source").empty() ? str(s, "article_id") : str(s, "source"));
    table.add_row({str(q, "speaker"), str(q, "cue"), str(q, "text"), joined(outlets)});
  }
  table.print(stdout);
  for (const auto& q : quotes) {
    const json variants = q.value("variants", json::array());
    if (variants.empty()) continue;
    std::printf("\nWordings of \"%s\" (%s):\n", str(q, "text").substr(0, 60).c_str(),
                str(q, "speaker").c_str());
    for (const auto& s : q.value("sources", json::array()))
      std::printf("  %s: %s\n", str(s, "source").c_str(), str(s, "text").c_str());
  }
}

void command_export(const GlobalOptions& global, const std::string& output) {
  auto store = open_store(global.db, true);
  json all = take(store->export_all());
  if (output.empty() || output == "-") return print_json(all);
  std::ofstream out(output);
  if (!out) throw CommandError{"cannot write " + output};
  out << all.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
  if (!out) throw CommandError{"write failed: " + output};
  if (!global.quiet) spdlog::info("exported to {}", output);
}

server::Server* g_server = nullptr;

void command_serve(const GlobalOptions& global, const std::string& host, int port) {
  {
    auto store = open_store(global.db, false);  // creates the schema for a new database
  }
  server::Server server({host, port, global.db});
  take(server.bind());
  g_server = &server;
  std::signal(SIGINT, [](int) {
    if (g_server) g_server->stop();
  });
  std::signal(SIGTERM, [](int) {
    if (g_server) g_server->stop();
  });
  std::fprintf(stderr, "storyline serving %s on http://%s:%d/ (Ctrl-C stops)\n", global.db.c_str(),
               host.c_str(), server.port());
  take(server.run());
  g_server = nullptr;
}

void command_regroup(const GlobalOptions& global, pipeline::Options options,
                     const ClusterFlags& flags) {
  // A missing store is an error, not a new empty one: there is nothing to regroup.
  if (!std::filesystem::exists(global.db))
    throw CommandError{"no store at " + global.db + "; run ingest first"};
  auto store = open_store(global.db, false);
  flags.merge_with_saved(*store, options.cluster);
  auto pipe = take(pipeline::Pipeline::open(*store, options));
  ProgressBar bar(!global.quiet && isatty(STDERR_FILENO), "articles");
  auto summary = take(pipe->regroup(
      [&](std::size_t done, std::size_t total, std::size_t) { bar.update(done, total, done); }));
  bar.finish();
  if (global.json) {
    print_json({{"articles", summary.articles},
                {"stories", summary.stories},
                {"storylines", summary.storylines},
                {"stories_before", summary.stories_before},
                {"storylines_before", summary.storylines_before},
                {"seconds", summary.seconds}});
    return;
  }
  if (!global.quiet)
    std::fprintf(stderr,
                 "regrouped %zu articles: %zu stories (before %zu), %zu storylines (before %zu) in "
                 "%.2fs\n",
                 summary.articles, summary.stories, summary.stories_before, summary.storylines,
                 summary.storylines_before, summary.seconds);
}

void add_filter_options(CLI::App* command, store::ArticleFilter& filter) {
  command->add_option("--source", filter.source, "Only this outlet");
  command->add_option("--language", filter.language, "Only this language (ISO 639-1)");
  command->add_option("--since", filter.since, "Published on or after (YYYY-MM-DD)");
  command->add_option("--until", filter.until, "Published on or before (YYYY-MM-DD)");
  command->add_option("--story", filter.story_id, "Only this story");
  command->add_option("--storyline", filter.storyline_id, "Only this storyline");
  command->add_option("--limit", filter.limit, "At most this many rows")->capture_default_str();
  command->add_option("--offset", filter.offset, "Skip this many rows");
}

int run(int argc, char** argv) {
  CLI::App app{"storyline: raw news pages in, understood stories out"};
  app.require_subcommand(1);
  GlobalOptions global;
  app.add_option("--db", global.db, "SQLite store")->capture_default_str();
  app.add_flag("--json", global.json, "Print JSON instead of tables");
  app.add_flag("-v,--verbose", global.verbose, "Debug logging on stderr");
  app.add_flag("-q,--quiet", global.quiet, "Only errors on stderr");

  pipeline::Options pipeline_options;
  std::vector<std::string> paths;
  std::string dates_file;
  std::string errors_file;
  auto* ingest =
      app.add_subcommand("ingest", "Ingest files, directories or - (stdin) into the store");
  ingest->add_option("paths", paths, "Files, directories (recursive) or -")->required();
  ingest->add_option("--published", pipeline_options.published_default,
                     "Publication date (YYYY-MM-DD) for pages that carry none");
  ingest->add_option(
      "--dates", dates_file,
      "File of 'NAME<TAB>YYYY-MM-DD[<TAB>OUTLET]' lines: date (and outlet) per file");
  ingest->add_option("--source", pipeline_options.ingest.source, "Outlet for pages that name none");
  ingest->add_option("--errors", errors_file, "Write every error of the run to FILE as JSON Lines");
  ingest->add_option("--format", pipeline_options.ingest.format,
                     "Force an input format instead of detecting it (jsonl)");
  ingest->add_option("--threads", pipeline_options.threads, "Worker threads (0 = one per core)");
  ingest
      ->add_option("--near-threshold", pipeline_options.dedup.near_threshold,
                   "Estimated Jaccard similarity for a near-duplicate")
      ->capture_default_str();
  ClusterFlags ingest_cluster_flags(ingest, pipeline_options.cluster);

  pipeline::Options regroup_options;
  auto* regroup = app.add_subcommand(
      "regroup", "Re-group stored articles into stories and storylines with new thresholds");
  ClusterFlags regroup_cluster_flags(regroup, regroup_options.cluster);

  ingest::Options extract_ingest;
  std::vector<std::string> extract_paths;
  std::string extract_format = "json";
  int extract_threads = 0;
  auto* extract = app.add_subcommand("extract", "Extract pages to JSON without storing them");
  extract->add_option("paths", extract_paths, "Files, directories or -")->required();
  extract->add_option("--threads", extract_threads, "Worker threads (0 = one per core)");
  extract->add_option("--published", extract_ingest.published,
                      "Publication date for pages without one");
  extract->add_option("--source", extract_ingest.source, "Outlet for pages that name none");
  extract
      ->add_option("--format", extract_format, "json (pretty), jsonl, or aeb ({id: {articleBody}})")
      ->check(CLI::IsMember({"json", "jsonl", "aeb"}))
      ->capture_default_str();

  std::vector<std::string> analyze_paths;
  auto* analyze = app.add_subcommand(
      "analyze", "Entities, quotes, figures and dates of JSONL texts ({id, text, published})");
  analyze->add_option("paths", analyze_paths, "JSON Lines files or -")->required();

  store::ArticleFilter filter;
  auto* articles = app.add_subcommand("articles", "List stored articles");
  add_filter_options(articles, filter);

  int limit = 1000;
  auto* stories = app.add_subcommand("stories", "List stories (events)");
  stories->add_option("--limit", limit)->capture_default_str();

  bool full = false;
  auto* storylines = app.add_subcommand("storylines", "List storylines");
  storylines->add_option("--limit", limit)->capture_default_str();
  storylines->add_flag("--timeline", full, "Show each storyline's timeline");

  std::string id;
  auto* show = app.add_subcommand("show", "Show one article with entities, quotes, figures, dates");
  show->add_option("id", id, "Article id or key")->required();

  int64_t storyline_id = 0;
  auto* compare = app.add_subcommand("compare", "Cross-source view of a storyline");
  compare->add_option("storyline", storyline_id, "Storyline id")->required();
  auto* storyline = app.add_subcommand("storyline", "Show one storyline's timeline");
  storyline->add_option("id", storyline_id, "Storyline id")->required();

  std::string query;
  store::ArticleFilter search_filter;
  search_filter.limit = 20;
  auto* search = app.add_subcommand("search", "BM25 full-text search with filters");
  search->add_option("query", query, "Query (FTS5 syntax: words, \"phrases\", OR, NOT)")
      ->required();
  add_filter_options(search, search_filter);

  std::string entity_type;
  auto* entities = app.add_subcommand("entities", "Entities merged across articles, with aliases");
  entities->add_option("--type", entity_type, "PER, ORG or LOC");
  entities->add_option("--limit", limit)->capture_default_str();

  std::string speaker;
  int quote_limit = 100;
  auto* quotes = app.add_subcommand("quotes", "Quotes across articles, grouped across outlets");
  quotes->add_option("--speaker", speaker, "Only quotes of this person or organisation");
  quotes->add_option("--limit", quote_limit, "Groups to list (0 = all)")->capture_default_str();

  std::string output;
  auto* exporter = app.add_subcommand("export", "The whole analysed state as one JSON document");
  exporter->add_option("-o,--output", output, "File to write (default stdout)");

  std::string host = "127.0.0.1";
  int port = 8080;
  auto* serve = app.add_subcommand("serve", "JSON API and web page");
  serve->add_option("--host", host, "Address to bind")->capture_default_str();
  serve->add_option("--port", port, "Port (0 = any free port)")->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  auto logger = spdlog::stderr_color_mt("storyline");
  spdlog::set_default_logger(logger);
  spdlog::set_level(global.verbose ? spdlog::level::debug
                    : global.quiet ? spdlog::level::err
                                   : spdlog::level::info);

  if (*ingest)
    command_ingest(global, paths, pipeline_options, dates_file, errors_file, ingest_cluster_flags);
  if (*regroup) command_regroup(global, regroup_options, regroup_cluster_flags);
  if (*extract)
    command_extract(global, extract_paths, extract_ingest, extract_format, extract_threads);
  if (*analyze) command_analyze(analyze_paths);
  if (*articles) command_articles(global, filter);
  if (*stories) command_stories(global, limit);
  if (*storylines) command_storylines(global, limit, full);
  if (*storyline) {
    auto store = open_store(global.db, true);
    json value = take(store->storyline(storyline_id));
    global.json ? print_json(value) : print_storyline(value);
  }
  if (*show) command_show(global, id);
  if (*compare) command_compare(global, storyline_id);
  if (*search) command_search(global, query, search_filter);
  if (*entities) command_entities(global, entity_type, limit);
  if (*quotes) command_quotes(global, speaker, quote_limit);
  if (*exporter) command_export(global, output);
  if (*serve) command_serve(global, host, port);
  return 0;
}

}  // namespace
}  // namespace storyline::cli

int main(int argc, char** argv) {
  try {
    return storyline::cli::run(argc, argv);
  } catch (const storyline::cli::CommandError& error) {
    std::fprintf(stderr, "storyline: %s\n", error.message.c_str());
    return 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "storyline: internal error: %s\n", error.what());
    return 2;
  }
}
