#include "compare/compare.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "common/text_util.h"

namespace storyline::compare {

namespace {

constexpr std::size_t kQuoteKeyWords = 6;      // words of a quote that align it across outlets
constexpr std::size_t kQuoteLabelBytes = 120;  // longer quotes are cut in labels

// Units that name the same topic, so "third visit" and "fourth meeting" are compared.
struct UnitSynonym {
  std::string_view unit;
  std::string_view topic;
};
constexpr UnitSynonym kUnitSynonyms[] = {
    {"meetings", "meeting"}, {"visit", "meeting"},  {"visits", "meeting"},   {"talks", "meeting"},
    {"round", "meeting"},    {"rounds", "meeting"}, {"trip", "meeting"},     {"trips", "meeting"},
    {"person", "people"},    {"persons", "people"}, {"civilians", "people"}, {"dead", "people"},
    {"deaths", "people"},    {"victims", "people"}, {"hours", "hour"},       {"days", "day"},
    {"years", "year"},       {"percent", "%"},      {"per cent", "%"},       {"pct", "%"},
};

std::string topic_unit(std::string_view unit) {
  std::string lower = ascii_lower(trim(unit));
  for (const auto& synonym : kUnitSynonyms) {
    if (lower == synonym.unit) return std::string(synonym.topic);
  }
  return lower;
}

std::string format_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer;
}

std::string outlet_of(const Report& report) {
  if (report.article != nullptr) {
    if (!report.article->source.empty()) return report.article->source;
    std::string host = url_host(report.article->url);
    if (!host.empty()) return host;
    if (!report.article->page_id.empty()) return report.article->page_id;
  }
  return "article " + std::to_string(report.article_id);
}

// Lowercased ASCII words (other bytes kept inside words), the first `limit` of them.
std::string normalised_words(std::string_view text, std::size_t limit) {
  std::string out;
  std::size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || byte >= 0x80) {
      if (!in_word) {
        if (words == limit) break;
        if (!out.empty()) out += ' ';
        ++words;
        in_word = true;
      }
      out += static_cast<char>(std::tolower(byte));
    } else {
      in_word = false;
    }
  }
  return out;
}

std::string cut(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  std::size_t end = limit;
  // Back off to a UTF-8 boundary.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "…";
}

const char* kind_rank_name(int rank) {
  static constexpr const char* kNames[] = {"entity", "figure", "quote", "date"};
  return kNames[rank];
}

// Facts under construction, keyed by kind rank and key.
struct FactBuilder {
  std::map<std::pair<int, std::string>, Fact> facts;

  void add(int kind, std::string key, std::string_view label, const std::string& outlet,
           int64_t article_id) {
    auto [it, inserted] = facts.try_emplace({kind, key});
    Fact& fact = it->second;
    if (inserted) {
      fact.kind = kind_rank_name(kind);
      fact.key = std::move(key);
      fact.label = std::string(label);
    } else if (kind == 0 && label.size() > fact.label.size()) {
      fact.label = std::string(label);  // the longest entity name is the canonical one
    }
    auto& ids = fact.sources[outlet];
    if (std::find(ids.begin(), ids.end(), article_id) == ids.end()) ids.push_back(article_id);
  }
};

// One observed value of a topic that may conflict.
struct Observation {
  std::size_t report = 0;  // index into the reports
  std::string value;       // comparable value
  std::string shown;       // what the side shows
};

struct ReportInfo {
  std::string outlet;
  std::string event_date;  // analysis.event_date, else the published day
  std::string place;       // dateline
};

std::string describe_event(const ReportInfo& info) {
  std::string out = info.event_date.empty() ? "undated" : info.event_date;
  if (!info.place.empty()) out += ", " + info.place;
  return out;
}

// Why two reports disagree: different events when story, event date or place differ.
std::string likely_reason(const Report& a, const ReportInfo& info_a, const Report& b,
                          const ReportInfo& info_b) {
  const bool different_story = a.story_id != 0 && b.story_id != 0 && a.story_id != b.story_id;
  const bool different_date = !info_a.event_date.empty() && !info_b.event_date.empty() &&
                              info_a.event_date != info_b.event_date;
  const bool different_place =
      !info_a.place.empty() && !info_b.place.empty() && info_a.place != info_b.place;
  if (different_story || different_date || different_place) {
    return "different events: " + describe_event(info_a) + " (" + info_a.outlet + ") vs " +
           describe_event(info_b) + " (" + info_b.outlet + ")";
  }
  return "outlets disagree";
}

// A conflict exists when two reports from different outlets each give a value the other does
// not: one article mentioning two values is not in conflict with itself.
void find_conflicts(const std::string& kind, const std::string& topic,
                    const std::vector<Observation>& observations,
                    const std::vector<Report>& reports, const std::vector<ReportInfo>& infos,
                    std::vector<Conflict>& out) {
  std::map<std::size_t, std::set<std::string>> values_by_report;
  for (const auto& observation : observations) {
    values_by_report[observation.report].insert(observation.value);
  }
  if (values_by_report.size() < 2) return;
  auto disjoint = [](const std::set<std::string>& a, const std::set<std::string>& b) {
    for (const auto& value : a) {
      if (b.count(value)) return false;
    }
    return true;
  };
  for (auto a = values_by_report.begin(); a != values_by_report.end(); ++a) {
    for (auto b = std::next(a); b != values_by_report.end(); ++b) {
      if (infos[a->first].outlet == infos[b->first].outlet) continue;
      if (!disjoint(a->second, b->second)) continue;
      Conflict conflict;
      conflict.kind = kind;
      conflict.topic = topic;
      std::set<std::tuple<std::string, int64_t, std::string>> seen;
      for (const auto& observation : observations) {
        Conflict::Side side{infos[observation.report].outlet,
                            reports[observation.report].article_id, observation.shown};
        if (seen.emplace(side.source, side.article_id, side.value).second) {
          conflict.sides.push_back(std::move(side));
        }
      }
      conflict.likely_reason =
          likely_reason(reports[a->first], infos[a->first], reports[b->first], infos[b->first]);
      out.push_back(std::move(conflict));
      return;  // one conflict per topic, explained by its first disagreeing pair
    }
  }
}

}  // namespace

Comparison compare(const std::vector<Report>& reports) {
  Comparison comparison;
  std::vector<ReportInfo> infos(reports.size());
  std::set<std::string> outlets;
  FactBuilder builder;
  std::map<std::string, std::vector<Observation>> figure_topics;  // topic -> values
  std::map<std::string, std::vector<Observation>> quote_topics;   // speaker+start -> wording
  std::map<int64_t, std::vector<Observation>> story_dates;        // story -> event dates

  for (std::size_t r = 0; r < reports.size(); ++r) {
    const Report& report = reports[r];
    ReportInfo& info = infos[r];
    info.outlet = outlet_of(report);
    outlets.insert(info.outlet);
    if (report.article != nullptr) {
      info.place = report.article->dateline;
      info.event_date = report.article->published.substr(0, 10);
    }
    if (report.analysis == nullptr) continue;
    const Analysis& analysis = *report.analysis;
    if (!analysis.event_date.empty()) info.event_date = analysis.event_date;

    for (const Entity& entity : analysis.entities) {
      std::string key = entity.key.empty() ? ascii_lower(entity.name) : entity.key;
      if (key.empty()) continue;
      builder.add(0, std::move(key), entity.name, info.outlet, report.article_id);
    }
    for (const Figure& figure : analysis.figures) {
      const std::string unit = topic_unit(figure.unit);
      const std::string kind = figure_kind_name(figure.kind);
      const std::string value = format_number(figure.value);
      builder.add(1, kind + "|" + unit + "|" + value, figure.text, info.outlet, report.article_id);
      figure_topics[(unit.empty() ? "(no unit)" : unit) + " (" + kind + ")"].push_back(
          {r, value, figure.text.empty() ? value : figure.text});
    }
    for (const Quote& quote : analysis.quotes) {
      const std::string start = normalised_words(quote.text, kQuoteKeyWords);
      if (start.empty()) continue;
      std::string speaker = ascii_lower(quote.speaker);
      if (quote.speaker_entity >= 0 &&
          static_cast<std::size_t>(quote.speaker_entity) < analysis.entities.size()) {
        const Entity& entity = analysis.entities[quote.speaker_entity];
        speaker = entity.key.empty() ? ascii_lower(entity.name) : entity.key;
      }
      const std::string label = (quote.speaker.empty() ? std::string() : quote.speaker + ": ") +
                                cut(quote.text, kQuoteLabelBytes);
      builder.add(2, speaker + "|" + start, label, info.outlet, report.article_id);
      quote_topics[speaker + "|" + start].push_back(
          {r, normalised_words(quote.text, std::string::npos), cut(quote.text, kQuoteLabelBytes)});
    }
    for (const DateMention& date : analysis.dates) {
      if (date.value.empty()) continue;
      builder.add(3, date.value, date.value, info.outlet, report.article_id);
    }
    if (report.story_id != 0 && !analysis.event_date.empty()) {
      story_dates[report.story_id].push_back({r, analysis.event_date, analysis.event_date});
    }
  }

  comparison.sources.assign(outlets.begin(), outlets.end());
  for (auto& [key, fact] : builder.facts) {
    fact.shared = fact.sources.size() > 1;
    comparison.facts.push_back(std::move(fact));
  }
  // Shared facts first, then by number of outlets; the builder's key order breaks ties.
  std::stable_sort(comparison.facts.begin(), comparison.facts.end(),
                   [](const Fact& a, const Fact& b) {
                     if (a.shared != b.shared) return a.shared;
                     return a.sources.size() > b.sources.size();
                   });

  for (const auto& [topic, observations] : figure_topics) {
    find_conflicts("figure", topic, observations, reports, infos, comparison.conflicts);
  }
  for (const auto& [story, observations] : story_dates) {
    find_conflicts("date", "event date of story " + std::to_string(story), observations, reports,
                   infos, comparison.conflicts);
  }
  for (const auto& [key, observations] : quote_topics) {
    const std::string speaker = key.substr(0, key.find('|'));
    find_conflicts("quote", "words of " + (speaker.empty() ? std::string("unnamed") : speaker),
                   observations, reports, infos, comparison.conflicts);
  }
  return comparison;
}

nlohmann::json to_json(const Comparison& comparison) {
  nlohmann::json facts = nlohmann::json::array();
  for (const Fact& fact : comparison.facts) {
    nlohmann::json sources = nlohmann::json::object();
    for (const auto& [outlet, ids] : fact.sources) sources[outlet] = ids;
    facts.push_back({{"kind", fact.kind},
                     {"key", fact.key},
                     {"label", fact.label},
                     {"sources", std::move(sources)},
                     {"shared", fact.shared}});
  }
  nlohmann::json conflicts = nlohmann::json::array();
  for (const Conflict& conflict : comparison.conflicts) {
    nlohmann::json sides = nlohmann::json::array();
    for (const auto& side : conflict.sides) {
      sides.push_back(
          {{"source", side.source}, {"article_id", side.article_id}, {"value", side.value}});
    }
    conflicts.push_back({{"kind", conflict.kind},
                         {"topic", conflict.topic},
                         {"sides", std::move(sides)},
                         {"likely_reason", conflict.likely_reason}});
  }
  return {{"sources", comparison.sources},
          {"facts", std::move(facts)},
          {"conflicts", std::move(conflicts)}};
}

}  // namespace storyline::compare
