// compare: the cross-source view of a storyline — which outlet reports which fact (entities,
// figures, quotes, dates), where outlets agree, and apparent conflicts with their likely reason.
//
//   std::vector<compare::Report> reports = ...;  // one per article of the storyline
//   compare::Comparison view = compare::compare(reports);
//
// Facts are aligned by a normalised key: entity key; figure unit + kind; quote speaker + words;
// date value. A conflict is the same kind of fact with different values from different
// articles (e.g. "third" vs "fourth" meeting); its likely reason says when the articles belong
// to different events (different story, event date or place) rather than disagree.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/document.h"

namespace storyline::compare {

struct Report {  // one article's facts, as the caller holds them
  int64_t article_id = 0;
  int64_t story_id = 0;
  const Article* article = nullptr;    // not owned; outlives the call
  const Analysis* analysis = nullptr;  // not owned; outlives the call
};

struct Fact {
  std::string kind;   // "entity", "figure", "quote", "date"
  std::string key;    // alignment key
  std::string label;  // what a person reads ("Kirill Dmitriev", "€21 billion")
  std::map<std::string, std::vector<int64_t>> sources;  // outlet -> article ids reporting it
  bool shared = false;                                  // reported by more than one outlet
};

struct Conflict {
  std::string kind;   // "figure", "date", "quote"
  std::string topic;  // what the values are about ("meeting (ordinal)")
  struct Side {
    std::string source;
    int64_t article_id = 0;
    std::string value;
  };
  std::vector<Side> sides;
  std::string likely_reason;  // "different events: ... (2025-04-11, St Petersburg) vs ..."
};

struct Comparison {
  std::vector<std::string> sources;
  std::vector<Fact> facts;  // shared facts first, then by number of sources
  std::vector<Conflict> conflicts;
};

Comparison compare(const std::vector<Report>& reports);
nlohmann::json to_json(const Comparison& comparison);

}  // namespace storyline::compare
