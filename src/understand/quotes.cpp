// Quotations: direct quotes in quotation marks and reported speech ("X said that ..."), with
// the speaker found next to a reporting cue and pronouns resolved to the last named subject.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "understand/internal.h"

namespace storyline::understand::internal {
namespace {

// Words that open an introductory phrase; a sentence's subject comes after its first comma.
constexpr std::string_view kIntroStarters[] = {
    "after",      "before",   "ahead",  "asked",     "when",      "while", "as",      "in",
    "on",         "at",       "during", "despite",   "following", "with",  "without", "since",
    "if",         "although", "though", "because",   "meanwhile", "also",  "earlier", "later",
    "separately", "speaking", "citing", "amid",      "under",     "by",    "for",     "once",
    "until",      "unlike",   "like",   "according", "yet"};

// Prepositions: a name right after one is not the subject.
constexpr std::string_view kPrepositions[] = {
    "with",   "to",      "of",    "for",     "from",  "by",   "against", "on",
    "at",     "in",      "about", "between", "among", "into", "over",    "under",
    "toward", "towards", "like",  "than",    "and",   "or",   "as"};

// Participles whose subject is the main clause's subject ("..., saying ...").
constexpr std::string_view kParticipleCues[] = {
    "saying",     "adding",   "noting",    "telling",    "writing",
    "warning",    "arguing",  "insisting", "stressing",  "calling",
    "describing", "accusing", "claiming",  "explaining", "mentioning"};

// Cues that introduce reported speech without quotation marks.
constexpr std::string_view kReportCues[] = {
    "said",     "says",         "told",      "added",     "stated",    "claimed",
    "warned",   "insisted",     "argued",    "noted",     "announced", "saying",
    "adding",   "noting",       "warning",   "insisting", "claiming",  "explained",
    "stressed", "acknowledged", "admitted",  "denied",    "confirmed", "believes",
    "thinks",   "thought",      "predicted", "suggested", "say"};

// Reporting verbs that make a speech event wherever they occur, with or without a clause
// ("Airbus announces job cuts", "the company claims to own the mark", "did not say").
constexpr std::string_view kEventCues[] = {
    "said", "says", "say", "saying", "told", "tells", "tell", "telling", "stated", "states",
    "stating", "claimed", "claims", "claiming", "announced", "announces", "announce", "announcing",
    "reported", "reports", "reporting", "confirmed", "confirms", "denied", "denies", "explained",
    "explains", "argued", "argues", "insisted", "insists", "warned", "warns", "quoted", "declared",
    "declares", "admitted", "acknowledged", "commented", "comments", "recommended", "recommends",
    "urged", "urges", "requested", "requests", "criticised", "criticized", "praised", "applauded",
    "rejected", "rejects", "promised", "promises", "agreed",
    // Cognition verbs report a stance the same way ("analysts expect", "Boeing believes").
    "expects", "expected", "expect", "believes", "believed", "believe", "fears", "feared", "hopes",
    "hoped", "cited", "citing", "intends", "intend", "intended", "decided", "concluded", "conclude",
    "reveals", "revealing"};  // "revealed" is mostly passive ("was revealed")

// Nouns that name a speech act and are a speech event on their own ("the statement caused
// a fall", "in his speech", "did not comment").
constexpr std::string_view kEventNouns[] = {"statement",  "statements", "speech",   "speeches",
                                            "remarks",    "quote",      "comment",  "comments",
                                            "complaints", "concerns",   "reactions"};

// Verb forms in -s that are as often plural nouns ("reports by users", "the plane
// promises"): a speech event only after a named, pronoun or speaker-noun subject.
constexpr std::string_view kAmbiguousVerbs[] = {"reports",  "claims",   "requests",
                                                "promises", "comments", "states"};

// Speech nouns that report what someone said when their content follows ("in a statement,
// "..."", "complaints that ...").
constexpr std::string_view kSpeechNouns[] = {"statement",  "statements",   "speech",   "comments",
                                             "complaints", "claims",       "remarks",  "warning",
                                             "concerns",   "announcement", "interview"};

// Words before a noun/verb form that make it the noun ("the claims", "his warning").
constexpr std::string_view kNounDeterminers[] = {
    "the", "a",    "an",      "his",      "her",     "their", "its", "our",
    "my",  "your", "these",   "those",    "such",    "of",    "in",  "any",
    "no",  "new",  "earlier", "previous", "similar", "public"};

constexpr std::string_view kPossessivePronouns[] = {"his", "her", "their", "its",
                                                    "our", "my",  "your"};

// Pronouns that can be the subject of a reporting verb inside a quotation ("I have always
// said", "we believe").
constexpr std::string_view kQuotedPronouns[] = {"i", "we", "he", "she", "they", "you"};

// Quantifiers that open a plural subject ("Some customers reported").
constexpr std::string_view kQuantifiers[] = {"some", "many", "most", "several", "other",
                                             "all",  "few",  "the",  "these",   "those"};

// Words between a pronoun and its verb inside a quotation ("I have always said").
constexpr std::string_view kAuxiliaries[] = {"have",  "has",  "had",    "always", "never", "also",
                                             "would", "will", "can",    "could",  "do",    "did",
                                             "not",   "must", "should", "just",   "still", "'ve"};

// Words that may sit between a name and its cue: "Trump later said", "he also told".
constexpr std::string_view kCueAdverbs[] = {
    "also",  "later",      "then",     "previously", "has",     "had",     "have", "once",
    "again", "repeatedly", "recently", "earlier",    "further", "further", "on"};

// Heads of a descriptive subject that stand for someone named before ("the US leader").
constexpr std::string_view kAnaphoricHeads[] = {"leader",     "president", "premier",
                                                "chancellor", "minister",  "official"};

// Heads of descriptive speakers besides role and organisation words ("a paper said").
constexpr std::string_view kSpeakerHeads[] = {
    "paper",       "official",   "officials",    "source",     "sources",       "statement",
    "authorities", "military",   "government",   "report",     "spokesperson",  "people",
    "residents",   "witnesses",  "experts",      "analysts",   "critics",       "lawmakers",
    "diplomats",   "observers",  "broadcaster",  "police",     "prosecutors",   "investigators",
    "doctors",     "medics",     "rescuers",     "scientists", "researchers",   "organisers",
    "organizers",  "activists",  "officers",     "troops",     "villagers",     "reports",
    "customers",   "buyers",     "users",        "owners",     "employees",     "workers",
    "unions",      "passengers", "airlines",     "carriers",   "manufacturers", "companies",
    "firms",       "media",      "newspaper",    "magazine",   "agency",        "documents",
    "emails",      "filing",     "study",        "survey",     "lawyers",       "shareholders",
    "investors",   "regulators", "engineers",    "pilots",     "firm",          "company",
    "airline",     "carrier",    "manufacturer", "maker",      "court",         "judge"};

// How far back (in tokens) a speaker or subject is looked for; bounds the work on huge
// sentences (a page without full stops).
constexpr int kMaxBack = 80;

// How many earlier mentions a descriptive speaker ("the spokesman") may refer back to.
constexpr int kRoleLookBack = 200;

template <std::size_t N>
bool in_list(const std::string_view (&list)[N], std::string_view w) {
  for (std::string_view x : list)
    if (x == w) return true;
  return false;
}

// Whether `w` may be in kEventCues, kEventNouns, kSpeechNouns or be "called"/"call(s)":
// a filter on first letter and length, so that most words skip the list scans (events()
// looks at every lowercase word of an article).
bool may_be_event_word(std::string_view w) {
  static const std::array<uint32_t, 26> kMask = [] {
    std::array<uint32_t, 26> mask{};
    auto add = [&](std::string_view x) {
      if (!x.empty() && x[0] >= 'a' && x[0] <= 'z' && x.size() < 32)
        mask[static_cast<std::size_t>(x[0] - 'a')] |= 1u << x.size();
    };
    for (std::string_view x : kEventCues) add(x);
    for (std::string_view x : kEventNouns) add(x);
    for (std::string_view x : kSpeechNouns) add(x);
    for (std::string_view x : {"called", "calls", "call"}) add(x);
    return mask;
  }();
  if (w.empty() || w[0] < 'a' || w[0] > 'z' || w.size() >= 32) return false;
  return (kMask[static_cast<std::size_t>(w[0] - 'a')] >> w.size()) & 1u;
}

bool is_speaker_head(std::string_view h) {
  return lex::is_role_word(h) || lex::is_title_head(h) || lex::is_org_word(h) ||
         lex::is_org_tail_lower(h) || in_list(kSpeakerHeads, h);
}

using Region = QuoteRegion;
using Speaker = QuoteSpeaker;

class QuoteFinder {
 public:
  QuoteFinder(const Context& ctx, Analysis& out) : ctx_(ctx), out_(out) {}

  void run() {
    mention_at_ = mention_per_token(ctx_, out_);
    cue_used_.assign(static_cast<std::size_t>(ctx_.size()), 0);
    regions_ = find_quote_regions(
        ctx_, [this](int i, std::string_view) { return opens_quote(i); },
        [this](int i, std::string_view mark, std::string_view open_mark) {
          return closes_quote(i, mark, open_mark);
        });
    in_quote_ = quoted_tokens(ctx_, regions_);
    int sentence_speaker = -1;
    walk_quote_sentences(
        ctx_, regions_,
        [&](const Region& r, int s0, int s1) {
          const int sp = quote(r, s0, s1);
          if (sp >= 0) sentence_speaker = sp;
        },
        [&](int s0, int s1, bool had_quote) {
          if (!had_quote) reported(s0, s1);
          events(s0, s1);
          const int subj = subject_of(s0, s1);
          if (subj >= 0) {
            last_subject_ = subj;
          } else if (sentence_speaker >= 0 &&
                     out_.entities[static_cast<std::size_t>(sentence_speaker)].type ==
                         EntityType::kPerson) {
            last_subject_ = sentence_speaker;
          }
          sentence_speaker = -1;
        },
        [this] { last_quote_speaker_ = Speaker{}; });
  }

 private:
  bool word(int i) const { return i >= 0 && i < ctx_.size() && ctx_.tokens[i].has(kWord); }
  std::string_view lw(int i) const { return ctx_.lcore(i); }
  std::string_view tok(int i) const { return ctx_.tok(i); }
  int mention(int i) const {
    return i >= 0 && i < ctx_.size() ? mention_at_[static_cast<std::size_t>(i)] : -1;
  }
  int entity_of(int i) const {
    const int m = mention(i);
    return m < 0 ? -1 : out_.mentions[static_cast<std::size_t>(m)].entity;
  }
  EntityType type_of(int i) const {
    const int e = entity_of(i);
    return e < 0 ? EntityType::kOther : out_.entities[static_cast<std::size_t>(e)].type;
  }

  // The quotation mark at punctuation token i, told apart by the letters it touches.
  QuoteMark mark_at(int i, bool* letter_before) const {
    const Token& t = ctx_.tokens[i];
    *letter_before = i > 0 && ctx_.tokens[i - 1].end == t.begin && ctx_.tokens[i - 1].has(kWord);
    const bool letter_after =
        i + 1 < ctx_.size() && ctx_.tokens[i + 1].begin == t.end && ctx_.tokens[i + 1].has(kWord);
    return quote_mark(tok(i), *letter_before, letter_after);
  }

  bool opens_quote(int i) const {
    bool letter_before = false;
    const QuoteMark q = mark_at(i, &letter_before);
    return q == QuoteMark::kOpen || (q == QuoteMark::kStraight && !letter_before);
  }

  // Curly marks close their own kind (single or double); a straight one closes a straight one.
  bool closes_quote(int i, std::string_view mark, std::string_view open_mark) const {
    bool letter_before = false;
    const QuoteMark q = mark_at(i, &letter_before);
    const bool single = mark == "\xE2\x80\x98" || mark == "\xE2\x80\x99";
    const bool open_single = open_mark == "\xE2\x80\x98";
    return (q == QuoteMark::kClose && single == open_single) ||
           (q == QuoteMark::kStraight && open_mark == "\"");
  }

  Speaker from_entity(int e) const {
    Speaker sp;
    if (e < 0) return sp;
    sp.entity = e;
    sp.name = out_.entities[static_cast<std::size_t>(e)].name;
    sp.found = true;
    return sp;
  }

  // The speaker at a mention's token: the entity, spanned as written.
  Speaker from_mention(int k) const {
    Speaker sp = from_entity(entity_of(k));
    const int m = mention(k);
    if (m >= 0) sp.span = out_.mentions[static_cast<std::size_t>(m)].span;
    return sp;
  }

  Span span_of(int first, int last) const {
    return Span{ctx_.tokens[first].begin, ctx_.tokens[last].core_end};
  }

  // A speaker named by the words first..last as written (no entity behind it).
  Speaker written_speaker(int first, int last) const {
    Speaker sp;
    const Span span = span_of(first, last);
    sp.name = std::string(ctx_.text.substr(span.begin, span.end - span.begin));
    sp.span = span;
    sp.found = true;
    return sp;
  }

  // A pronoun subject at token k: resolved to the last named subject, and spanned as the
  // pronoun itself (so "he" is the speaker even when no antecedent is known).
  Speaker pronoun(int k) const {
    Speaker sp = from_entity(last_subject_);
    sp.span = span_of(k, k);
    sp.found = true;
    return sp;
  }

  // A descriptive subject ("the Kremlin spokesman", "The US leader") between `from` and
  // the cue at `cue`; resolved to a named person when the article introduced one with that
  // role, else kept as the role.
  Speaker role_before(int from, int cue, int* det_out) const {
    from = std::max(from, cue - kMaxBack);
    int det = -1;
    for (int k = cue - 1; k >= from; --k) {
      if (!word(k)) {
        if (tok(k) == "," || tok(k) == ";") break;
        continue;
      }
      if (lw(k) == "the" || lw(k) == "a" || lw(k) == "an") {
        // "in an interview": a prepositional phrase, not the subject.
        if (k > from && word(k - 1) && in_list(kPrepositions, lw(k - 1))) continue;
        det = k;
        break;
      }
      if (mention(k) >= 0 && type_of(k) == EntityType::kPerson) break;
    }
    if (det < 0) return {};
    // The noun phrase ends before a preposition or time word.
    int end = det + 1;
    while (end < cue && word(end) && !in_list(kPrepositions, lw(end)) &&
           lex::weekday_index(lw(end)) < 0 && lw(end) != "yesterday" && lw(end) != "today")
      ++end;
    if (end == det + 1) return {};
    // "The National Harbour Authority said": a named head is the entity, not a role ("The
    // US leader" is a role).
    if (mention(end - 1) >= 0 && !ctx_.tokens[end - 1].has(kPossessive)) {
      *det_out = det;
      Speaker sp = from_entity(entity_of(end - 1));
      sp.span = span_of(det, end - 1);
      return sp;
    }
    Speaker sp = role(det, end - 1);
    if (sp.found) *det_out = det;
    return sp;
  }

  Speaker role_after(int det) const {
    int end = det + 1;
    const int n = ctx_.size();
    while (end < n && end < det + 6 && word(end) && !lex::is_cue_verb(lw(end))) ++end;
    if (end == det + 1 || end >= n || !word(end)) return {};
    return role(det, end - 1);
  }

  Speaker role(int det, int head) const {
    Speaker sp = role_resolved(det, head);
    if (sp.found) sp.span = span_of(det, head);
    return sp;
  }

  Speaker role_resolved(int det, int head) const {
    std::string_view h = lw(head);
    // The most recent person introduced with this role word right before the name, looking
    // back a bounded number of mentions.
    const uint32_t det_begin = ctx_.tokens[det].begin;
    auto it = std::lower_bound(out_.mentions.begin(), out_.mentions.end(), det_begin,
                               [](const Mention& mm, uint32_t pos) { return mm.span.begin < pos; });
    int looked = 0;
    while (it != out_.mentions.begin() && looked++ < kRoleLookBack) {
      --it;
      const Mention& mm = *it;
      if (mm.type != EntityType::kPerson) continue;
      std::size_t e = mm.span.begin;
      while (e > 0 && ctx_.lower[e - 1] == ' ') --e;
      std::size_t b = e;
      while (b > 0 && e - b < 40 && ctx_.lower[b - 1] != ' ' && ctx_.lower[b - 1] != '\n') --b;
      if (ctx_.lower.substr(b, e - b) == h) return from_entity(mm.entity);
    }
    if (in_list(kAnaphoricHeads, h) && last_subject_ >= 0) return from_entity(last_subject_);
    Speaker sp;
    sp.name = std::string(ctx_.text.substr(ctx_.tokens[det].begin,
                                           ctx_.tokens[head].core_end - ctx_.tokens[det].begin));
    sp.found = is_speaker_head(h);
    return sp;
  }

  // First token after an introductory phrase ("Asked ..., Trump said").
  int clause_start(int s0, int s1) const {
    s1 = std::min(s1, s0 + kMaxBack);
    int first = s0;
    while (first < s1 && !word(first)) ++first;
    if (first >= s1) return s1;
    std::string_view w = lw(first);
    const bool intro =
        in_list(kIntroStarters, w) || (ctx_.tokens[first].has(kCap) && mention(first) < 0 &&
                                       (w.ends_with("ing") || w.ends_with("ed")));
    if (!intro) return first;
    for (int k = first; k < s1; ++k) {
      if (in_quote_[static_cast<std::size_t>(k)]) continue;
      if (tok(k) == ",") return k + 1;
    }
    return first;
  }

  // Entity index of a sentence's named subject, -1 when it has none or a pronoun.
  int subject_of(int s0, int s1) const {
    s1 = std::min(s1, s0 + kMaxBack);
    for (int k = clause_start(s0, s1); k < s1; ++k) {
      if (in_quote_[static_cast<std::size_t>(k)] || !word(k)) continue;
      if (lex::is_subject_pronoun(lw(k))) return -1;
      if (mention(k) >= 0) {
        const bool after_prep = k > s0 && word(k - 1) && in_list(kPrepositions, lw(k - 1));
        if (type_of(k) == EntityType::kPerson && !ctx_.tokens[k].has(kPossessive) &&
            !ctx_.tokens[k].has(kHyphen) && !after_prep)
          return entity_of(k);
      }
      if (ctx_.tokens[k].has(kLower) && !lex::is_title_word(lw(k)) && !lex::is_role_word(lw(k)) &&
          lex::is_cue_verb(lw(k)))
        return -1;  // the verb came before any name
    }
    return -1;
  }

  // The subject before a cue at `cue` (nearest person or pronoun, else organisation, else a
  // descriptive role).
  Speaker subject_before(int s0, int cue) const {
    s0 = std::max(s0, cue - kMaxBack);
    const bool participle =
        in_list(kParticipleCues, lw(cue)) || lw(cue) == "stating" || lw(cue) == "citing";
    if (participle && cue > s0 && word(cue - 1) && !in_quote_[static_cast<std::size_t>(cue - 1)]) {
      // "reports stating that", "analyst David Strauss saying": the noun right before.
      if (mention(cue - 1) >= 0 && !ctx_.tokens[cue - 1].has(kPossessive))
        return from_mention(cue - 1);
      if (ctx_.tokens[cue - 1].has(kLower) && in_list(kSpeakerHeads, lw(cue - 1))) {
        Speaker sp;
        sp.name = std::string(tok(cue - 1));
        sp.span = span_of(cue - 1, cue - 1);
        sp.found = true;
        return sp;
      }
    }
    // ", citing ...", "... and cited ...": the subject of the clause, not the nearest name.
    if (participle || (cue > s0 && word(cue - 1) && lw(cue - 1) == "and")) {
      Speaker sp = clause_subject(s0, cue);
      if (sp.found) return sp;
    }
    int org = -1;
    int role_det = -1;
    Speaker r = role_before(s0, cue, &role_det);
    for (int k = cue - 1; k >= s0; --k) {
      if (role_det >= 0 && k < role_det) break;  // a descriptive subject came nearer
      if (in_quote_[static_cast<std::size_t>(k)] || !word(k)) continue;
      if (lex::is_subject_pronoun(lw(k))) return pronoun(k);
      const EntityType t = type_of(k);
      if (t == EntityType::kPerson && !ctx_.tokens[k].has(kHyphen)) {
        if (ctx_.tokens[k].has(kPossessive)) continue;
        return from_mention(k);
      }
      if (t == EntityType::kOrganization && org < 0 && !ctx_.tokens[k].has(kPossessive)) org = k;
    }
    if (r.found) return r;
    if (org >= 0) return from_mention(org);
    return r;
  }

  // The subject at the start of the clause holding `cue`: a pronoun, a person or
  // organisation not after a preposition, or a descriptive noun phrase ("the Prime
  // Minister"); not found when the clause starts otherwise.
  Speaker clause_subject(int s0, int cue) const {
    for (int k = clause_start(s0, cue); k < cue; ++k) {
      if (in_quote_[static_cast<std::size_t>(k)] || !word(k)) continue;
      if (lex::is_subject_pronoun(lw(k))) return pronoun(k);
      const EntityType t = type_of(k);
      if ((t == EntityType::kPerson || t == EntityType::kOrganization) &&
          !ctx_.tokens[k].has(kPossessive) &&
          !(k > s0 && word(k - 1) && in_list(kPrepositions, lw(k - 1))))
        return from_mention(k);
      if (lw(k) == "the" || lw(k) == "a" || lw(k) == "an") {
        if (mention(k + 1) >= 0 && !ctx_.tokens[k + 1].has(kPossessive)) {
          Speaker sp = from_mention(k + 1);
          sp.span = span_of(k, k + 1);
          return sp;
        }
        return role_after(k);
      }
      if (in_list(kSpeakerHeads, lw(k)) && mention(k) < 0) {  // "Engineers, citing ..."
        Speaker sp;
        sp.name = std::string(tok(k));
        sp.span = span_of(k, k);
        sp.found = true;
        return sp;
      }
      return {};
    }
    return {};
  }

  // The speaker named right after a quotation: ", Trump said", ", said Trump", ", he said",
  // ", the spokesman said", ", according to the Kremlin".
  Speaker speaker_after(int k, int s1, std::string& cue) const {
    while (k < s1 && !word(k)) {
      std::string_view p = tok(k);
      if (p != "," && p != "\xE2\x80\x94" && p != "-" && p != "\xE2\x80\x93") return {};
      ++k;
    }
    if (k >= s1) return {};
    if (lw(k) == "according" && word(k + 1) && lw(k + 1) == "to") {
      cue = "according to";
      cue_tok_ = k;
      return named_at(k + 2, s1);
    }
    if (lex::is_cue_verb(lw(k)) && ctx_.tokens[k].has(kLower)) {
      cue = std::string(lw(k));
      cue_tok_ = k;
      return named_at(k + 1, s1);
    }
    // A role noun before the name: ", manager Erik ten Hag told ...".
    int skipped = k;
    while (skipped < s1 && skipped < k + 3 && word(skipped) && ctx_.tokens[skipped].has(kLower) &&
           (lex::is_role_word(lw(skipped)) || lex::is_title_word(lw(skipped))))
      ++skipped;
    if (skipped > k && mention(skipped) >= 0) k = skipped;
    // Name or pronoun, then (adverbs and) a cue.
    int after = k;
    Speaker sp;
    if (ctx_.tokens[k].has(kLower) && mention(k) < 0 && in_list(kSpeakerHeads, lw(k)) &&
        word(k + 1) && lex::is_cue_verb(lw(k + 1))) {
      // ", officials said", ", police said".
      cue = std::string(lw(k + 1));
      cue_tok_ = k + 1;
      Speaker r;
      r.name = std::string(tok(k));
      r.span = span_of(k, k);
      r.found = true;
      return r;
    }
    if (lex::is_subject_pronoun(lw(k))) {
      sp = pronoun(k);
      after = k + 1;
    } else if (mention(k) >= 0) {
      const int m = mention(k);
      sp = from_mention(k);
      after = k;
      while (after < s1 && mention(after) == m) ++after;
    } else if (lw(k) == "the" || lw(k) == "a" || lw(k) == "an") {
      int c = k + 1;
      while (c < s1 && c < k + 6 && word(c) && !lex::is_cue_verb(lw(c))) ++c;
      if (c < s1 && word(c) && lex::is_cue_verb(lw(c))) {
        cue = std::string(lw(c));
        cue_tok_ = c;
        return role(k, c - 1);
      }
      return {};
    } else {
      return {};
    }
    while (after < s1 && word(after) && in_list(kCueAdverbs, lw(after)) &&
           !lex::is_cue_verb(lw(after)))
      ++after;
    if (after < s1 && word(after) && lex::is_cue_verb(lw(after))) {
      cue = std::string(lw(after));
      cue_tok_ = after;
      if (cue == "posted" || cue == "wrote") {
        // "posted online", "wrote on X": keep the verb as the cue.
      }
      return sp;
    }
    return {};
  }

  // A speaker named at k: a mention (skipping "the"/titles), a pronoun or a role.
  Speaker named_at(int k, int s1) const {
    for (int c = k; c < s1 && c < k + 6; ++c) {
      if (!word(c)) return {};
      if (lex::is_subject_pronoun(lw(c))) return pronoun(c);
      if (mention(c) >= 0) return from_mention(c);
      if (lw(c) == "the" || lw(c) == "a") {
        if (mention(c + 1) >= 0) return from_mention(c + 1);  // "the Kremlin"
        return role_after(c);
      }
      if (ctx_.tokens[c].has(kLower) && in_list(kSpeakerHeads, lw(c))) {
        Speaker r;  // "according to police"
        r.name = std::string(tok(c));
        r.span = span_of(c, c);
        r.found = true;
        return r;
      }
      if (!lex::is_title_word(lw(c)) && !lex::is_demonym(lw(c)) && !lex::is_role_word(lw(c)))
        return {};
    }
    return {};
  }

  // Handles one quotation; returns the speaker's entity or -1.
  int quote(const Region& r, int s0, int s1) {
    const int before_tok = r.open - 1;
    std::string cue;
    cue_tok_ = -1;
    Speaker sp = speaker_after(r.close + 1, s1, cue);
    const bool short_quote = r.words <= 2;
    if (!sp.found) {
      // Last cue before the quotation in this sentence.
      int c = -1;
      for (int k = r.open - 1; k >= s0 && k >= r.open - kMaxBack; --k) {
        if (in_quote_[static_cast<std::size_t>(k)] || !word(k)) continue;
        if (ctx_.tokens[k].has(kLower) && lex::is_cue_verb(lw(k)) && lw(k) != "according") {
          c = k;
          break;
        }
        if (lw(k) == "according" && word(k + 1) && lw(k + 1) == "to") {
          c = k;
          break;
        }
      }
      if (c >= 0 && short_quote && r.open - c > 8) c = -1;  // too far for a scare-quoted term
      if (c >= 0) {
        if (lw(c) == "according") {
          cue = "according to";
          cue_tok_ = c;
          sp = named_at(c + 2, r.open);
        } else {
          cue = std::string(lw(c));
          cue_tok_ = c;
          sp = subject_before(s0, c);
        }
      }
    }
    if (!sp.found && !short_quote && r.open == s0 && last_quote_speaker_.found) {
      // A quotation that continues the previous speaker's words in the same paragraph.
      sp = last_quote_speaker_;
      sp.span = Span{};  // named in an earlier sentence
      cue = last_cue_;
      cue_tok_ = -1;
    }
    if (!sp.found && short_quote) return -1;  // scare quotes: "the “demilitarization”"
    Quote q = direct_quote(ctx_, r, sp);
    q.cue = cue;
    const bool word_before = before_tok >= s0 && word(before_tok);
    const bool lower_start = r.open + 1 < ctx_.size() && ctx_.tokens[r.open + 1].has(kLower);
    q.partial = word_before || lower_start;
    out_.quotes.push_back(std::move(q));
    mark_cue();
    if (sp.found) {
      last_quote_speaker_ = sp;
      last_cue_ = cue;
    }
    return sp.entity;
  }

  // Reported speech in a sentence without quotation marks.
  void reported(int s0, int s1) {
    // "..., X said." / "..., according to X."
    int end = s1 - 1;
    while (end > s0 && !word(end)) --end;
    for (int k = s0; k < s1; ++k) {
      if (!word(k) || (!ctx_.tokens[k].has(kLower) && lw(k) != "according")) continue;
      std::string_view w = lw(k);
      if (w == "according" && word(k + 1) && lw(k + 1) == "to") {
        cue_tok_ = k;
        // Clause before ", according to X" or after "According to X,".
        Speaker sp = named_at(k + 2, s1);
        if (!sp.found) continue;
        // "According to police, CLAUSE": the clause follows the phrase's comma.
        if (k == s0 || ctx_.tokens[k].has(kCap)) {
          for (int c = k + 2; c < s1 && c < k + 10; ++c) {
            if (tok(c) == ",") {
              add_reported(c + 1, end, sp, "according to");
              return;
            }
          }
        }
        int comma = k - 1;
        while (comma > s0 && comma > k - kMaxBack && !word(comma) && tok(comma) != ",") --comma;
        if (comma > s0 && tok(comma) == ",") add_reported(s0, comma - 1, sp, "according to");
        return;
      }
      if (!in_list(kReportCues, w)) continue;
      cue_tok_ = k;
      // Sentence-final cue: "..., the committee said." / "..., said Peskov."
      if (k >= end - 6 && !in_list(kParticipleCues, w)) {
        int comma = -1;
        for (int c = k - 1; c > s0 && c >= k - 8; --c)
          if (tok(c) == ",") {
            comma = c;
            break;
          }
        if (comma > s0 && k + 1 <= end + 1) {
          std::string cue;
          Speaker sp = speaker_after(comma + 1, s1, cue);
          if (sp.found) {
            add_reported(s0, comma - 1, sp, cue);
            return;
          }
        }
      }
      // "X said (that) CLAUSE" / "..., saying CLAUSE".
      int c = k + 1;
      int limit = k + 6;
      int that = -1;
      for (int j = c; j < s1 && j < limit; ++j) {
        if (!word(j)) break;
        if (lw(j) == "that") {
          that = j;
          break;
        }
      }
      int start;
      if (that >= 0) {
        start = that + 1;
      } else {
        if (!word(c) || c >= s1) continue;
        std::string_view nx = lw(c);
        const bool clause_word = nx == "he" || nx == "she" || nx == "it" || nx == "they" ||
                                 nx == "there" || nx == "we" || nx == "the" || nx == "its";
        if (in_list(kPrepositions, nx) || (lex::is_common_word(nx) && !clause_word)) continue;
        if (w == "told") continue;  // "told reporters ..." without "that": unclear
        // "which has added internet publishing": without "that", "added" reports speech
        // only before a clause.
        if ((w == "added" || w == "adding") && !clause_word) continue;
        start = c;
      }
      int clause_end = end;
      // "Trump, who previously claimed he could ..., reiterated": the relative clause ends
      // at the next comma.
      for (int j = k - 1; j >= s0 && j >= k - 3; --j) {
        if (word(j) && (lw(j) == "who" || lw(j) == "which")) {
          for (int c2 = start; c2 < end && c2 < start + kMaxBack; ++c2)
            if (tok(c2) == ",") {
              clause_end = c2 - 1;
              break;
            }
          break;
        }
      }
      if (clause_end - start < 2) continue;
      Speaker sp = subject_before(s0, k);
      if (!sp.found) continue;
      add_reported(start, clause_end, sp, std::string(w));
      return;
    }
  }

  void add_reported(int first, int last, const Speaker& sp, std::string cue) {
    while (first <= last && !word(first)) ++first;
    while (last >= first && !word(last)) --last;
    if (last - first < 2) return;
    Quote q;
    q.span = Span{ctx_.tokens[first].begin, ctx_.tokens[last].end};
    q.text = std::string(ctx_.text.substr(q.span.begin, q.span.end - q.span.begin));
    q.speaker = sp.name;
    q.speaker_entity = sp.entity;
    q.cue = std::move(cue);
    q.speaker_span = sp.span;
    q.direct = false;
    q.partial = false;
    out_.quotes.push_back(std::move(q));
    mark_cue();
  }

  // Marks the cue token of the quote just added as used and records its span ("according
  // to" spans both words).
  void mark_cue() {
    if (cue_tok_ < 0 || cue_tok_ >= ctx_.size()) return;
    cue_used_[static_cast<std::size_t>(cue_tok_)] = 1;
    int last = cue_tok_;
    if (lw(cue_tok_) == "according" && word(cue_tok_ + 1) && lw(cue_tok_ + 1) == "to") ++last;
    out_.quotes.back().cue_span = span_of(cue_tok_, last);
  }

  // Speech events the passes above left: every reporting verb ("announced", "claims",
  // "did not say") is a report of what its subject said, kept as reported speech with the
  // clause after it (up to a comma or the sentence end), even without "that".
  void events(int s0, int s1) {
    for (int k = s0; k < s1; ++k) {
      if (!word(k) || cue_used_[static_cast<std::size_t>(k)]) continue;
      if (!ctx_.tokens[k].has(kLower) && k != s0) continue;
      if (!may_be_event_word(lw(k))) continue;
      if (in_quote_[static_cast<std::size_t>(k)]) {
        quoted_event(k, s0);
        continue;
      }
      // "claims", "warning" are nouns or verbs: as a noun it reports content that follows
      // ("complaints that ..."); a form that is also a verb and has no determiner before it
      // is the verb ("Harlow Motors claims the fault ...").
      if (in_list(kSpeechNouns, lw(k)) && speech_noun(k, s0, s1)) continue;
      if (in_list(kEventNouns, lw(k)) && !verb_position(k, s0)) {
        event_noun(k, s0);
        continue;
      }
      if (in_list(kSpeechNouns, lw(k)) && noun_position(k, s0)) continue;
      const bool called_for = (lw(k) == "called" || lw(k) == "calls" || lw(k) == "call") &&
                              word(k + 1) && lw(k + 1) == "for";
      const bool noun_as_verb = in_list(kEventNouns, lw(k));  // reached only in verb position
      if (!called_for && !noun_as_verb && !in_list(kEventCues, lw(k))) continue;
      // "have agreed to purchase": a commitment, not a report ("agreed with" is).
      if (lw(k) == "agreed" && word(k + 1) && lw(k + 1) == "to") continue;
      if (in_list(kAmbiguousVerbs, lw(k)) && !verb_position(k, s0)) continue;
      int b = k + 1;
      while (b < s1 && !word(b)) {
        if (in_quote_[static_cast<std::size_t>(b)]) break;
        ++b;
      }
      if (b < s1 && word(b) && lw(b) == "that") ++b;
      int e = b;
      if (const Region* r = region_opening_at(b)) {
        // The content is a quotation right after the verb ("Citing "a precautionary
        // measure"", "stating, "I have ...""): its words.
        b = r->open + 1;
        e = r->close;
      } else {
        while (e < s1 && e < b + kMaxBack && !in_quote_[static_cast<std::size_t>(e)] &&
               !(ctx_.tokens[e].has(kPunct) &&
                 (tok(e) == "," || tok(e) == ";" || tok(e) == "." || tok(e) == ":")))
          ++e;
      }
      Speaker sp = subject_before(s0, k);
      if (!sp.found) sp = plural_subject(s0, k);
      if (!sp.found) sp = role_noun_subject(s0, k);
      // "Citing ..., Airbus announced": an opening participle's subject is the main clause's.
      if (!sp.found && k == s0) sp = clause_subject(s0, s1);
      cue_tok_ = k;
      if (e - 1 >= b && word(b)) {
        add_reported_span(b, e - 1, sp, std::string(lw(k)));
      }
    }
  }

  // The quotation whose opening mark is token `k`, or null.
  const Region* region_opening_at(int k) const {
    auto it = std::lower_bound(regions_.begin(), regions_.end(), k,
                               [](const Region& r, int pos) { return r.open < pos; });
    return it != regions_.end() && it->open == k ? &*it : nullptr;
  }

  // `k` follows a subject (a name, a subject pronoun, a speaker noun or "not"/"to"), so a
  // noun/verb form there is the verb ("Apple reports that", "did not comment").
  bool verb_position(int k, int s0) const {
    if (k <= s0 || !word(k - 1) || in_quote_[static_cast<std::size_t>(k - 1)]) return false;
    if (ctx_.tokens[k - 1].has(kPossessive)) return false;
    const std::string_view p = lw(k - 1);
    if (p == "not" || p == "to" || p == "it" || p == "they" || p == "who" || p == "which")
      return true;
    if (lex::is_subject_pronoun(p)) return true;
    if (mention(k - 1) >= 0) return true;
    return in_list(kSpeakerHeads, p) && !noun_position(k - 1, s0);
  }

  // A speech noun standing alone ("The statement caused ...", "in his speech"): its speaker
  // is the possessor ("his", "Boeing's"), the clause's subject when the noun is inside a
  // prepositional phrase ("said in a statement", "during a speech"), else unknown.
  void event_noun(int k, int s0) {
    Speaker sp;
    int det = k - 1;
    // One adjective may stand between the possessor and the noun ("their individual claims").
    if (det > s0 && word(det) && ctx_.tokens[det].has(kLower) &&
        !in_list(kNounDeterminers, lw(det)) && word(det - 1) &&
        (in_list(kPossessivePronouns, lw(det - 1)) || ctx_.tokens[det - 1].has(kPossessive)))
      --det;
    if (det >= s0 && word(det) && in_list(kPossessivePronouns, lw(det))) {
      sp = from_entity(last_subject_);
      sp.span = span_of(det, det);
      sp.found = true;
    } else if (det >= s0 && ctx_.tokens[det].has(kPossessive) && mention(det) >= 0) {
      sp = from_mention(det);
    } else {
      int p = k - 1;
      while (p > s0 && p >= k - 3 && word(p) && !in_list(kPrepositions, lw(p))) --p;
      if (p >= s0 && word(p) && in_list(kPrepositions, lw(p)) && p > s0) sp = subject_before(s0, p);
    }
    cue_tok_ = k;
    add_reported_span(k, k, sp, std::string(lw(k)));
  }

  // "Indonesia's transport minister tells": a role noun right before the cue, with the
  // possessor or modifiers before it.
  Speaker role_noun_subject(int s0, int k) const {
    if (k <= s0 || !word(k - 1) || !ctx_.tokens[k - 1].has(kLower)) return {};
    if (!lex::is_role_word(lw(k - 1)) && !lex::is_title_head(lw(k - 1))) return {};
    int first = k - 1;
    while (first - 1 >= s0 && first > k - 4 && word(first - 1) &&
           (ctx_.tokens[first - 1].has(kLower) || ctx_.tokens[first - 1].has(kPossessive)) &&
           !in_list(kPrepositions, lw(first - 1)) && !lex::is_cue_verb(lw(first - 1))) {
      --first;
      if (ctx_.tokens[first].has(kPossessive)) break;
    }
    return written_speaker(first, k - 1);
  }

  // "Some customers reported", "Analysts expect", "officials said": a plural noun right
  // before the verb, with its determiner or quantifier.
  Speaker plural_subject(int s0, int k) const {
    // Lowercase, or capitalised only because it opens the sentence ("Analysts expect").
    if (k <= s0 || !word(k - 1) ||
        !(ctx_.tokens[k - 1].has(kLower) || (k - 1 == s0 && mention(k - 1) < 0)))
      return {};
    if (!in_list(kSpeakerHeads, lw(k - 1))) return {};
    int first = k - 1;
    if (k - 2 >= s0 && word(k - 2) && in_list(kQuantifiers, lw(k - 2)))
      first = k - 2;  // "Some customers", "many analysts"
    return written_speaker(first, k - 1);
  }

  // A reporting verb inside a quotation with a pronoun subject ("I have always said",
  // "I conclude that"): a speech event of that pronoun, which for "I"/"we" is the quote's
  // speaker.
  void quoted_event(int k, int s0) {
    if (!in_list(kEventCues, lw(k))) return;
    int p = k - 1;
    while (p >= s0 && p >= k - 4 && word(p) && in_list(kAuxiliaries, lw(p))) --p;
    if (p < s0 || !word(p) || !in_list(kQuotedPronouns, lw(p)) ||
        !in_quote_[static_cast<std::size_t>(p)])
      return;
    Speaker sp;
    const std::string_view pr = lw(p);
    if ((pr == "i" || pr == "we") && last_quote_speaker_.found) {
      sp = last_quote_speaker_;
    } else if (pr != "i" && pr != "we" && pr != "you") {
      sp = from_entity(last_subject_);
    }
    sp.span = span_of(p, p);
    sp.found = true;
    cue_tok_ = k;
    Quote q;
    q.span = span_of(k, k);
    q.text = std::string(tok(k));
    q.speaker = sp.name;
    q.speaker_entity = sp.entity;
    q.speaker_span = sp.span;
    q.cue = std::string(lw(k));
    q.direct = false;
    out_.quotes.push_back(std::move(q));
    mark_cue();
  }

  // A speech noun with its content after it: "said in a statement, "..."", "complaints
  // that ...", "his remarks: ...". The speaker is the possessor ("his speech", "Boeing's
  // statement") or the clause's subject.
  // A determiner or possessive right before `k` makes it a noun ("the claims", "his
  // comments").
  bool noun_position(int k, int s0) const {
    if (k <= s0) return false;
    if (ctx_.tokens[k - 1].has(kPossessive)) return true;
    return word(k - 1) && in_list(kNounDeterminers, lw(k - 1));
  }

  bool speech_noun(int k, int s0, int s1) {
    int b = k + 1;
    bool content = false;
    if (word(b) && lw(b) == "that") {
      content = true;
      ++b;
    } else if (b < s1 && (tok(b) == ":" || tok(b) == ",") && b + 1 < s1 &&
               in_quote_[static_cast<std::size_t>(b + 1)]) {
      content = true;
      b += 2;
    }
    if (!content) return false;
    Speaker sp;
    if (k > s0 && word(k - 1) &&
        (lex::is_subject_pronoun(lw(k - 1)) || lw(k - 1) == "his" || lw(k - 1) == "her" ||
         lw(k - 1) == "their" || lw(k - 1) == "its")) {
      sp = from_entity(last_subject_);
      sp.span = span_of(k - 1, k - 1);
      sp.found = true;
    } else if (k > s0 && ctx_.tokens[k - 1].has(kPossessive) && mention(k - 1) >= 0) {
      sp = from_mention(k - 1);
    } else {
      sp = subject_before(s0, k);
    }
    int e = b;
    while (e < s1 && e < b + kMaxBack &&
           !(ctx_.tokens[e].has(kPunct) && !in_quote_[static_cast<std::size_t>(e)] &&
             (tok(e) == ";" || tok(e) == ".")))
      ++e;
    cue_tok_ = k;
    while (b < e && !word(b)) ++b;
    if (e - 1 < b) return false;
    add_reported_span(b, e - 1, sp, std::string(lw(k)));
    return true;
  }

  // Like add_reported, but any length of clause (a speech event's object may be one word).
  void add_reported_span(int first, int last, const Speaker& sp, std::string cue) {
    while (last >= first && !word(last)) --last;
    if (last < first) return;
    Quote q;
    q.span = Span{ctx_.tokens[first].begin, ctx_.tokens[last].end};
    q.text = std::string(ctx_.text.substr(q.span.begin, q.span.end - q.span.begin));
    q.speaker = sp.name;
    q.speaker_entity = sp.entity;
    q.cue = std::move(cue);
    q.speaker_span = sp.span;
    q.direct = false;
    q.partial = false;
    out_.quotes.push_back(std::move(q));
    mark_cue();
  }

  const Context& ctx_;
  Analysis& out_;
  std::vector<int> mention_at_;
  std::vector<char> in_quote_;
  std::vector<Region> regions_;
  int last_subject_ = -1;
  std::vector<char> cue_used_;  // tokens already the cue of a quote
  mutable int cue_tok_ = -1;    // the cue token of the quote being built
  Speaker last_quote_speaker_;
  std::string last_cue_;
};

}  // namespace

Quote direct_quote(const Context& ctx, const QuoteRegion& r, const QuoteSpeaker& sp) {
  Quote q;
  uint32_t b = ctx.tokens[r.open].end, e = ctx.tokens[r.close].begin;
  while (b < e && ctx.text[b] == ' ') ++b;
  while (e > b && ctx.text[e - 1] == ' ') --e;
  q.span = Span{b, e};
  q.text = std::string(ctx.text.substr(b, e - b));
  q.speaker = sp.name;
  q.speaker_entity = sp.entity;
  q.speaker_span = sp.span;
  q.direct = true;
  return q;
}

std::vector<char> quoted_tokens(const Context& ctx, const std::vector<QuoteRegion>& regions) {
  std::vector<char> in_quote(static_cast<std::size_t>(ctx.size()), 0);
  for (const QuoteRegion& r : regions)
    for (int k = r.open; k <= r.close; ++k) in_quote[static_cast<std::size_t>(k)] = 1;
  return in_quote;
}

std::vector<int> mention_per_token(const Context& ctx, const Analysis& out) {
  const int n = ctx.size();
  std::vector<int> at(static_cast<std::size_t>(n), -1);
  std::size_t m = 0;
  for (int i = 0; i < n && m < out.mentions.size(); ++i) {
    while (m < out.mentions.size() && out.mentions[m].span.end <= ctx.tokens[i].begin) ++m;
    if (m < out.mentions.size() && out.mentions[m].span.begin < ctx.tokens[i].end &&
        out.mentions[m].span.end > ctx.tokens[i].begin)
      at[static_cast<std::size_t>(i)] = static_cast<int>(m);
  }
  return at;
}

void find_quotes(const Context& ctx, Analysis& out) { QuoteFinder(ctx, out).run(); }

}  // namespace storyline::understand::internal
