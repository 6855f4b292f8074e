// understand: what an analyst reads out of an article — sentences, named entities with their
// aliases, quotes with speakers, figures and dates resolved against the publication date.
//
//   understand::Analyzer analyzer;
//   Analysis an = analyzer.run(article);   // article.published anchors relative dates
//   understand::EntityDirectory directory; // merges entities across articles
//   for (Entity& e : an.entities) e = directory.resolve(e);
//
// Rule-based and offline: ICU sentence breaks (over UTF-8, byte offsets), a one-pass UTF-8
// tokenizer, capitalisation patterns with gazetteers of titles, organisation and place words
// (lexicon_data.inc), and surname/acronym/transliteration alias merging. Spans are byte
// offsets into Article::text (invalid UTF-8 is analysed with ill-formed bytes masked, so
// spans stay valid offsets).
//
// Languages: Article::language picks the rules. English, "un" and empty take the English
// rules described here; other languages take per-language tables (languages.cpp) for
// entities (capitalised sequences with stop lists, titles, legal forms, place names) and
// dates (month names, numeric day-first dates, CJK dates, yesterday/today/tomorrow words),
// resolved with the same conventions; README.md "Languages" lists what each one gets.
//
// Conventions:
//  * A Mention's span covers the name only ("Donald Trump" in "US President Donald Trump",
//    "Putin" in "Putin’s"); the title is not part of the mention or the canonical name.
//  * Date spans leave prepositions out ("Monday", "February"), as TIMEX3 does.
//  * Quotes: direct quotes keep the words inside the marks; reported speech ("X said that
//    ...", "..., according to X") has direct = false. Scare quotes (one or two words with no
//    reporting cue nearby) are not quotes.
//  * Dates relative to Article::published: a weekday is the latest such day on or before
//    publication (after it when "next"/"will ..."/"is set to" precede); "this/earlier this
//    week" is the ISO week ("2024-W11", never the event date); parts of the day and clock
//    times take TIMEX3 values ("2024-03-14TMO", "2024-03-14T18:00Z"); a year-less
//    "April 4" takes the publication year unless that is over half a year ahead; a bare
//    month ("In February") is the latest such month not after publication. Without a full
//    publication date, relative dates have an empty value.
//  * Analysis::event_date: the first resolved day date in the first two sentences, else the
//    publication date.
// Thread-safety: Analyzer is immutable after construction (run() is thread-safe);
// EntityDirectory is not synchronised (one writer).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/document.h"

namespace storyline::understand {

struct Options {
  bool entities = true;
  bool quotes = true;
  bool figures = true;
  bool dates = true;
};

class Analyzer {
 public:
  explicit Analyzer(Options options = {});
  Analysis run(const Article& article) const;

 private:
  Options options_;
};

// Cross-article merge key of a name: case-folded, diacritics and possessives removed,
// transliteration variants folded ("Zelenskiy" -> "zelensky"), titles dropped.
std::string entity_key(std::string_view name, EntityType type);

// All entities seen across articles, one entry per real-world referent.
class EntityDirectory {
 public:
  struct Entry {
    std::string key;
    std::string name;
    EntityType type = EntityType::kOther;
    std::vector<std::string> aliases;
    int article_count = 0;
  };

  // Finds or creates the entry for `entity` (by key; a surname-only person resolves to the
  // one known full name ending in it; an acronym to its expansion) and returns `entity` with
  // the directory's canonical name and key. Counts one more article for the entry.
  Entity resolve(const Entity& entity);

  void load(std::vector<Entry> entries);
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  void index(int i);
  void unindex(int i);
  int find(const Entity& entity, const std::string& key) const;

  std::vector<Entry> entries_;
  std::unordered_map<std::string, int> by_key_;  // "<type>|<key>" -> entry
  // Persons with a full name by the last token of their key ("zelensky"), for surname-only
  // mentions; surname-only persons by that token, to upgrade them when a full name arrives;
  // organisations by the initials of their name ("NATO"), for acronyms.
  std::unordered_map<std::string, std::vector<int>> by_surname_;
  std::unordered_map<std::string, int> surname_only_;
  std::unordered_map<std::string, int> by_initials_;
};

}  // namespace storyline::understand
