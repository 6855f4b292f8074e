// The document model shared by every stage: what flows down the pipeline.
//
//   ingest  -> Page        (raw bytes + what the caller told us about them)
//   extract -> Article     (clean text + metadata; one page may give several)
//   understand -> Analysis (entities, quotes, figures, dates with spans into Article::text)
//
// All types own their strings (they outlive the input buffers). Spans are byte offsets into
// Article::text, which is valid UTF-8 with one paragraph per line ('\n' between paragraphs).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace storyline {

enum class PageFormat {
  kUnknown,
  kText,  // scraped plain text, one paragraph a line
  kHtml,
};

const char* page_format_name(PageFormat format);

// One raw page as ingested.
struct Page {
  std::string id;         // caller's id (JSONL "id") or the file's stem; never empty
  std::string origin;     // where it came from: "path", "path:line", "stdin"
  std::string url;        // may be empty
  std::string source;     // outlet name or host; may be empty (derived from url later)
  std::string published;  // ISO 8601 date or date-time as given; may be empty
  std::string title;      // a title given by the caller (JSONL); may be empty
  PageFormat format = PageFormat::kUnknown;
  std::string charset;  // declared by the transport (HTTP Content-Type); may be empty
  std::string content;  // the page bytes (HTML or text), not yet validated as UTF-8
};

// One article extracted from a page. A page holding several stories gives several articles,
// segment 0 first, in page order.
struct Article {
  std::string page_id;
  int segment = 0;  // 0 = the page's main story; 1.. = further stories (teasers)
  std::string url;
  std::string canonical_url;
  std::string source;  // outlet: from the caller, else the site name, else the url host
  std::string site_name;
  std::string title;
  std::string kicker;  // label before a teaser ("FREEDOM OF NAVIGATION"); not in text
  std::string author;
  std::string published;  // ISO date (YYYY-MM-DD) or date-time; empty when unknown
  std::string dateline;   // place of filing ("Moscow"); not in text
  std::string description;
  std::string language;               // ISO 639-1 code from cld2, "un" when unknown
  std::string text;                   // body: one paragraph a line, valid UTF-8
  bool truncated = false;             // the story is cut off mid-sentence on this page
  bool is_teaser = false;             // a short segment of a multi-story page
  std::vector<std::string> warnings;  // best-effort notes from ingest and extract
};

// Stable key of an article: "<page_id>" for segment 0, "<page_id>#<segment>" otherwise.
std::string article_key(const Article& article);

struct Span {
  uint32_t begin = 0;  // byte offset into Article::text
  uint32_t end = 0;    // one past the last byte
};

// kProduct: named products and models ("Airbus A380", "iPhone 4", "Mac OS X"); "PRO".
enum class EntityType { kPerson, kOrganization, kLocation, kOther, kProduct };
const char* entity_type_name(EntityType type);
EntityType entity_type_from_name(const std::string& name);

struct Mention {
  Span span;
  std::string text;  // surface form as written ("Zelenskiy", "US President Donald Trump")
  EntityType type = EntityType::kOther;
  int entity = -1;  // index into Analysis::entities
};

// One real-world referent within an article. `key` is the cross-article merge key: two
// entities of the same type with equal keys in different articles are the same referent.
struct Entity {
  std::string name;  // canonical name: the longest proper form seen
  std::string key;   // normalised merge key ("volodymyr zelensky")
  EntityType type = EntityType::kOther;
  std::vector<std::string> aliases;  // distinct surface forms, canonical first
  int mention_count = 0;
};

struct Quote {
  Span span;  // the quoted words (without quotation marks) or reported clause
  std::string text;
  std::string speaker;  // canonical entity name, or a role ("the Kremlin spokesman"); may be empty
  int speaker_entity = -1;  // index into Analysis::entities, -1 when not an entity
  std::string cue;          // the reporting verb or phrase ("said", "told", "according to")
  Span cue_span;            // the cue in the text; empty (begin == end) when none
  Span speaker_span;        // the speaker as written ("he", "the spokesman", "Peskov");
                            // empty when not in the quote's sentence or not found
  bool direct = true;       // false: reported speech ("said that ...")
  bool partial = false;     // a quoted fragment inside the author's sentence
};

enum class FigureKind { kCount, kMoney, kPercent, kOrdinal, kDuration, kOther };
const char* figure_kind_name(FigureKind kind);

struct Figure {
  Span span;
  std::string text;  // "at least 12 people"
  FigureKind kind = FigureKind::kOther;
  double value = 0;       // 12, 21e9, 5, 4 (ordinal "fourth"), ...
  std::string unit;       // what is counted or the currency: "people", "EUR", "%", "hour"
  std::string qualifier;  // "at least", "more than", "about", ... ; empty when exact
};

enum class DateGranularity { kDay, kMonth, kYear, kWeek };  // kWeek: ISO week "2006-W14"
const char* date_granularity_name(DateGranularity granularity);

struct DateMention {
  Span span;
  std::string text;   // "yesterday", "April 4", "In February"
  std::string value;  // ISO: "2025-04-25", "2025-02", "2022"; empty when unresolvable
  DateGranularity granularity = DateGranularity::kDay;
  bool relative = false;  // resolved against the publication date
};

struct Sentence {
  Span span;
};

struct Analysis {
  std::vector<Sentence> sentences;
  std::vector<Mention> mentions;
  std::vector<Entity> entities;
  std::vector<Quote> quotes;
  std::vector<Figure> figures;
  std::vector<DateMention> dates;
  std::string event_date;  // ISO date (or month/year) the article's main event happened
};

}  // namespace storyline
