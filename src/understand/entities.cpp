// Rule-based named entities: capitalised word sequences typed by lexicons and context, then
// merged within the article (surname -> full name, acronym <-> expansion, spelling variants).
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "understand/entity_groups.h"
#include "understand/internal.h"
#include "understand/understand.h"

namespace storyline::understand::internal {
namespace {

enum class NameTok { kNo, kYes, kEnds, kCompound };
enum class Evidence { kNone, kWeak, kStrong };

struct Word {
  int tok = 0;
  uint32_t b = 0, e = 0;  // name bytes within the token
  bool connector = false;
};

struct Cand {
  uint32_t begin = 0, end = 0;  // the name's bytes
  int first_tok = 0, last_tok = 0;
  int sentence = 0;
  int ntok = 0;
  EntityType type = EntityType::kOther;
  Evidence evidence = Evidence::kNone;
  bool sentence_initial = false;
  bool compound_part = false;
  bool all_caps = false;
  bool loc_guess = false;
  bool product = false;  // a model or product name ("Airbus A380", "iPhone 4")
  bool per_guess = false;
  bool event = false;    // "Paris Air Show"
  int code_before = -1;  // a model number token right before the name ("787 Dreamliner")
  bool dropped = false;
  bool initial_drop = false;  // dropped only for being an unknown word at a sentence start
  int alias_of = -1;          // acronym or script alias: the candidate it names
  std::string script_alias;
  // Where a title before a person's name starts ("US President Donald Trump"): the titled
  // form is kept as an alias, though neither the name nor the span include the title.
  uint32_t titled_begin = 0;
  bool titled = false;
  std::string last_word;  // for surname matching
};

// Suffixes of a lowercase part after a hyphen that make the compound a modifier ("US-backed").
constexpr std::string_view kModifierSuffixes[] = {
    "ed",       "ing",     "era",  "style", "born",  "made", "run",  "led",
    "friendly", "leaning", "wide", "based", "bound", "like", "held", "level"};

// Abbreviated words that may carry a period inside a name ("St. Petersburg", "Mr. Lee").
constexpr std::string_view kDottedAbbrevs[] = {"st",  "mr",   "mrs", "ms",  "dr",  "gen",  "lt",
                                               "col", "sgt",  "sen", "rep", "gov", "prof", "jr",
                                               "sr",  "capt", "adm", "maj", "rev", "mt",   "ft"};

// Prepositions after which an unknown capitalised name is probably a place.
// Not "towards": bodies and people come after it as often ("skewed towards Northrop").
constexpr std::string_view kPlacePrepositions[] = {"in",   "at",     "near",   "outside", "from",
                                                   "into", "across", "around", "inside",  "via"};

// Lowercase nouns before "of" + a place name ("the port of Paldiski").
constexpr std::string_view kPlaceNouns[] = {
    "port",    "city",     "town",      "village", "region",   "province", "island",
    "capital", "district", "outskirts", "suburb",  "hometown", "county"};

// Lowercase nouns right before an organisation's name ("news agency MTI").
constexpr std::string_view kOrgAppositions[] = {
    "company",  "firm",         "group",     "agency",       "service",  "broadcaster", "newspaper",
    "carrier",  "airline",      "bank",      "party",        "union",    "maker",       "giant",
    "retailer", "lender",       "insurer",   "operator",     "outlet",   "daily",       "channel",
    "startup",  "conglomerate", "automaker", "manufacturer", "producer", "platform",    "network",
    "club",     "team",         "ministry",  "regulator"};

// Adverbs and auxiliaries between a name and its reporting verb.
// Verbs whose object is something made: "Apple releases Macbook", "Airbus unveiled the
// Skyrunner". After an organisation subject, an unknown name they take is a product.
constexpr std::string_view kLaunchVerbs[] = {
    "unveils",  "unveiled",  "launches",  "launched",  "introduces",   "introduced",
    "releases", "released",  "debuts",    "debuted",   "ships",        "shipped",
    "previews", "previewed", "showcases", "showcased", "demonstrated", "demonstrates"};

// Nouns that only a person has ("Hiller's husband", "Gray's funeral").
constexpr std::string_view kKinNouns[] = {
    "wife",       "husband",   "son",      "sons",        "daughter",    "daughters",  "mother",
    "father",     "brother",   "brothers", "sister",      "sisters",     "widow",      "widower",
    "girlfriend", "boyfriend", "parents",  "grandmother", "grandfather", "uncle",      "aunt",
    "nephew",     "niece",     "cousin",   "fiance",      "fiancee",     "stepfather", "stepmother",
    "funeral",    "body",      "autopsy",  "killer",      "murderer"};

// Verbs whose object is a person ("police arrested Zoltan Brekk"); for full names only.
constexpr std::string_view kPersonObjectVerbs[] = {
    "arrested",   "detained",  "jailed",       "sentenced", "executed",    "kidnapped",
    "abducted",   "murdered",  "assassinated", "stabbed",   "interviewed", "married",
    "extradited", "convicted", "acquitted",    "pardoned",  "indicted"};

constexpr std::string_view kVerbAdverbs[] = {
    "later", "also", "then", "has", "had", "previously", "again", "repeatedly", "once", "recently"};

// Role nouns that describe companies as well as people ("the market leader").
constexpr std::string_view kCompanyRoles[] = {
    "leader",      "partner",     "rival",     "ally",    "star",      "player",   "worker",
    "counterpart", "predecessor", "successor", "pioneer", "founder",   "investor", "operator",
    "producer",    "resident",    "victim",    "suspect", "defendant", "witness",  "survivor",
    "consultant",  "specialist",  "head",      "chief",   "director"};

// Words before "Center" that make it a venue, a place ("Convention Center").
constexpr std::string_view kVenueWords[] = {"convention", "conference", "exhibition", "trade",
                                            "shopping",   "space",      "sports",     "civic",
                                            "events",     "delivery",   "aquatic",    "arts"};

// Title words that are also surnames ("Stephen King", "John Major").
constexpr std::string_view kSurnameTitles[] = {"king", "major",  "bishop",
                                               "lord", "prince", "marshal"};

// Last words of a role spelled in capitals ("Chief Operating Officer"), which are no
// surnames the way "King" or "Major" can be.
constexpr std::string_view kOfficeWords[] = {
    "officer",        "director",     "secretary",      "minister",      "president",
    "chairman",       "chairwoman",   "manager",        "spokesman",     "spokeswoman",
    "spokesperson",   "commissioner", "ambassador",     "counsel",       "adviser",
    "advisor",        "executive",    "representative", "inspector",     "superintendent",
    "undersecretary", "treasurer",    "controller",     "administrator", "coordinator"};

// Words after a town's name that make a local body of it ("Albany Police Department").
constexpr std::string_view kLocalBodyWords[] = {
    "police",   "fire",      "sheriff",   "sheriff's", "county",  "city",      "town",
    "state",    "public",    "community", "bible",     "church",  "cathedral", "university",
    "college",  "school",    "high",      "hospital",  "medical", "council",   "district",
    "regional", "municipal", "airport",   "port",      "museum",  "zoo",       "library",
    "court",    "superior",  "municipal", "transit",   "water"};

// Verbs after which a name is the speaker ("said Peeter Tamm").
constexpr std::string_view kSpeechVerbs[] = {"said",      "says",     "added", "wrote",
                                             "explained", "recalled", "asked", "replied"};

template <std::size_t N>
bool in_list(const std::string_view (&list)[N], std::string_view w) {
  for (std::string_view x : list)
    if (x == w) return true;
  return false;
}

bool starts_upper(std::string_view s) {
  if (s.empty()) return false;
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(s.data(), i, static_cast<int32_t>(s.size()), c);
  if (c < 0) return false;
  return c < 0x80 ? (c >= 'A' && c <= 'Z') : u_isupper(c) != 0;
}

// "We're", "I'll", "Don't": capitalised contractions are not names.
bool is_contraction(std::string_view lw) {
  for (std::string_view suf : {"'re", "'ll", "'ve", "'d", "'m", "n't",
                               "\xE2\x80\x99"
                               "re",
                               "\xE2\x80\x99"
                               "ll",
                               "\xE2\x80\x99"
                               "ve",
                               "\xE2\x80\x99"
                               "d",
                               "\xE2\x80\x99"
                               "m",
                               "n\xE2\x80\x99"
                               "t"}) {
    if (lw.size() > suf.size() && lw.ends_with(suf)) return true;
  }
  return lw == "it's" || lw == "it\xE2\x80\x99s" || lw == "that's" || lw == "that\xE2\x80\x99s" ||
         lw == "there's" || lw == "there\xE2\x80\x99s" || lw == "let's" || lw == "let\xE2\x80\x99s";
}

bool known_name(std::string_view lw) {
  return lex::is_place(lw) || lex::is_org_name(lw) || lex::is_title_word(lw) ||
         lex::is_org_word(lw);
}

class EntityFinder {
 public:
  EntityFinder(const Context& ctx, Analysis& out)
      : ctx_(ctx), out_(out), consumed_(ctx.tokens.size(), 0) {}

  void run() {
    const int nsent = static_cast<int>(ctx_.sentences.size());
    for (int s = 0; s < nsent; ++s) scan_sentence(s);
    resolve();
    emit();
  }

 private:
  std::string_view lw(const Word& w) const { return ctx_.lower.substr(w.b, w.e - w.b); }
  std::string_view word_text(const Word& w) const { return ctx_.text.substr(w.b, w.e - w.b); }

  NameTok classify(int i, uint32_t& nb, uint32_t& ne) const {
    const Token& t = ctx_.tokens[i];
    nb = t.begin;
    ne = t.core_end;
    if (!t.has(kWord) || t.has(kNumber) || consumed_[i]) return NameTok::kNo;
    if (t.has(kHyphen)) {
      std::string_view w = ctx_.text.substr(t.begin, t.core_end - t.begin);
      std::string_view lw = ctx_.lower.substr(t.begin, t.core_end - t.begin);
      // Skip a lowercase prefix: "pro-Taiwan", "anti-Kremlin".
      std::size_t start = 0;
      while (!starts_upper(w.substr(start))) {
        std::size_t h = w.find('-', start);
        if (h == std::string_view::npos) return NameTok::kNo;
        start = h + 1;
      }
      nb = t.begin + static_cast<uint32_t>(start);
      bool all_upper_parts = true, all_demonyms = true;
      std::size_t p = start;
      while (p <= w.size()) {
        std::size_t h = w.find('-', p);
        if (h == std::string_view::npos) h = w.size();
        std::string_view part = w.substr(p, h - p);
        std::string_view lpart = lw.substr(p, h - p);
        if (!starts_upper(part)) {
          all_upper_parts = false;
          bool modifier = lex::is_common_word(lpart);
          for (std::string_view suf : kModifierSuffixes)
            if (lpart == suf || (lpart.size() > suf.size() + 1 && lpart.ends_with(suf)))
              modifier = true;
          if (modifier && p > start) {
            ne = t.begin + static_cast<uint32_t>(p - 1);
            return NameTok::kEnds;
          }
          break;  // "Wei-shui": a name written with a hyphen
        }
        if (!lex::is_demonym(lpart)) all_demonyms = false;
        p = h + 1;
      }
      if (all_upper_parts) {
        std::string_view whole = lw.substr(start);
        if (whole.find('-') == std::string_view::npos) return NameTok::kYes;  // "pro-Republic"
        if (all_demonyms) return NameTok::kNo;
        if (known_name(whole) || lex::is_first_name(w.substr(start))) return NameTok::kYes;
        return NameTok::kCompound;
      }
      return NameTok::kYes;
    }
    // Camel-case brands start lowercase: "iPhone", "eBay".
    const std::string_view raw = ctx_.text.substr(t.begin, t.core_end - t.begin);
    const bool camel = t.has(kLower) && raw.size() >= 3 && raw[1] >= 'A' && raw[1] <= 'Z' &&
                       raw[2] >= 'a' && raw[2] <= 'z';
    if (!t.has(kCap) && !t.has(kAllCaps) && !camel) return NameTok::kNo;
    // A currency prefix: "US$40 billion", "HK$".
    if (i + 1 < ctx_.size() && ctx_.tokens[i + 1].begin == t.end && ctx_.tok(i + 1) == "$")
      return NameTok::kNo;
    std::string_view lw = ctx_.lcore(i);
    if (is_contraction(lw)) return NameTok::kNo;
    if (t.has(kAllCaps)) {
      const bool known = lex::is_place(lw) || lex::is_org_name(lw);
      if (!known && (t.has(kInQuote) || ne - nb >= 6)) return NameTok::kNo;
      // Two capitals words in a row that we do not know are a shouted headline or kicker.
      auto caps_word = [&](int k) {
        return k >= 0 && k < ctx_.size() && ctx_.tokens[k].has(kAllCaps) &&
               ctx_.tokens[k].sentence == t.sentence && !lex::is_place(ctx_.lcore(k)) &&
               !lex::is_org_name(ctx_.lcore(k));
      };
      if (!known && (caps_word(i - 1) || caps_word(i + 1))) return NameTok::kNo;
    }
    if (lex::weekday_index(lw) >= 0) return NameTok::kNo;
    if (lw.size() > 3 && lex::month_index(lw) > 0) {
      // "Theresa May" keeps its surname; a month alone is a date.
      if (!(i > 0 && lex::is_first_name(ctx_.core(i - 1)))) return NameTok::kNo;
    }
    if (lw == "may" && !(i > 0 && lex::is_first_name(ctx_.core(i - 1)))) return NameTok::kNo;
    return NameTok::kYes;
  }

  static bool can_head_of(std::string_view l) {
    return lex::is_org_word(l) || lex::is_place_word(l) || lex::is_title_word(l) ||
           lex::is_place(l) || lex::is_org_name(l) || l == "university" || l == "bank" ||
           l == "republic" || l == "house" || l == "church" || l == "isle" || l == "states";
  }

  int first_word_of_sentence(int s) const {
    for (int i = ctx_.sentence_first[s]; i < ctx_.sentence_first[s + 1]; ++i)
      if (ctx_.tokens[i].has(kWord)) return i;
    return -1;
  }

  // A token that starts a clause like a sentence does: first word, or after ':' / '—'.
  bool clause_initial(int i, int first_word) const {
    if (i == first_word) return true;
    for (int k = i - 1; k >= ctx_.sentence_first[ctx_.tokens[i].sentence]; --k) {
      const Token& t = ctx_.tokens[k];
      if (t.has(kWord)) return false;
      std::string_view p = ctx_.tok(k);
      if (p == ":" || p == "." || p == "!" || p == "?" || p == "\xE2\x80\x94" ||
          p == "\xE2\x80\x9C" || p == "\"" || p == "(" || p == "\xE2\x80\x98")
        return true;
    }
    return false;
  }

  // Last token of a dotted initialism starting at i ("U" "." "S" "." -> the last "."), or -1.
  int dotted_initialism_end(int i, int s1) const {
    int k = i, letters = 0;
    while (k + 1 < s1 && ctx_.tokens[k].has(kWord) &&
           ctx_.tokens[k].end - ctx_.tokens[k].begin == 1 &&
           ctx_.text[ctx_.tokens[k].begin] >= 'A' && ctx_.text[ctx_.tokens[k].begin] <= 'Z' &&
           ctx_.tok(k + 1) == "." && ctx_.tokens[k + 1].begin == ctx_.tokens[k].end &&
           (k == i || ctx_.tokens[k].begin == ctx_.tokens[k - 1].end)) {
      ++letters;
      k += 2;
    }
    return letters >= 2 ? k - 1 : -1;
  }

  // Last token of a name written as one word with inner punctuation, or -1: capitals
  // joined by an ampersand ("AT&T", "P&G") or a site name ("Detik.com").
  int joined_name_end(int i, int s1) const {
    auto upper_only = [&](int k) {
      std::string_view w = ctx_.tok(k);
      if (w.empty() || w.size() > 4) return false;
      for (char ch : w)
        if (ch < 'A' || ch > 'Z') return false;
      return true;
    };
    auto glued = [&](int k) { return ctx_.tokens[k].begin == ctx_.tokens[k - 1].end; };
    if (i + 2 >= s1 || !glued(i + 1) || !glued(i + 2)) return -1;
    std::string_view mid = ctx_.tok(i + 1);
    if (mid == "&" && upper_only(i) && upper_only(i + 2)) return i + 2;
    if (mid == "." && ctx_.tokens[i].has(kCap)) {
      std::string_view tld = ctx_.tok(i + 2);
      if (tld == "com" || tld == "net" || tld == "org") return i + 2;
    }
    return -1;
  }

  // Whether the appositive starting at token q names a person's role: an optional
  // determiner, capitalised words ("Airbus") and lowercase modifiers, then a role noun
  // ("the Airbus chief executive", "minister of transport"). Roles that also describe
  // companies ("leader", "partner", "rival") do not count.
  bool appositive_role(int q, int s1) const {
    if (q < s1 && (ctx_.ltok(q) == "the" || ctx_.ltok(q) == "a" || ctx_.ltok(q) == "an" ||
                   ctx_.ltok(q) == "its" || ctx_.ltok(q) == "their"))
      ++q;
    for (int hop = 0; hop < 5 && q < s1 && ctx_.tokens[q].has(kWord); ++hop, ++q) {
      std::string_view l = ctx_.ltok(q);
      // "chief" goes on to "chief executive".
      if (ctx_.tokens[q].has(kLower) && lex::is_role_word(l) && !in_list(kCompanyRoles, l))
        return true;
      if (ctx_.tokens[q].has(kLower) && lex::is_common_word(l)) return false;
    }
    return false;
  }

  // A model number or code after a name: "737", "A380", "777-200LR", "4" in "iPhone 4";
  // not a year, an amount or a count ("Boeing 25 percent", "Apple 2 million").
  bool is_model_code(int k, int s1) const {
    if (k >= s1 || !ctx_.tokens[k].has(kWord) || !ctx_.tokens[k].has(kSpaceBefore)) return false;
    std::string_view w = ctx_.tok(k);
    bool digit = false;
    for (char ch : w) digit = digit || (ch >= '0' && ch <= '9');
    if (!digit || w.size() > 12) return false;
    // Not "23-year-old", "18th-ranked", "223rd", "1940s": ordinals, decades and compounds
    // with a lowercase word.
    if (const std::size_t h = w.find('-');
        h != std::string_view::npos && h + 1 < w.size() && w[h + 1] >= 'a' && w[h + 1] <= 'z')
      return false;
    // Nor a score or range ("3-0", "65-53"); "737-800" is a model.
    if (const std::size_t h = w.find('-');
        h != std::string_view::npos && h < 3 &&
        w.find_first_not_of("0123456789-") == std::string_view::npos)
      return false;
    {
      std::size_t d = 0;
      while (d < w.size() && w[d] >= '0' && w[d] <= '9') ++d;
      std::string_view rest = w.substr(d);
      if (d > 0 && (rest == "st" || rest == "nd" || rest == "rd" || rest == "th")) return false;
      if ((d == 2 || d == 4) && w[d - 1] == '0' && rest == "s") return false;
    }
    if (!ctx_.tokens[k].has(kNumber)) return true;  // "A380", "DC-9"
    if (is_year_token(ctx_, k) || w.find(',') != std::string_view::npos) return false;
    if (k + 1 < s1) {
      std::string_view next = ctx_.ltok(k + 1);
      if (next == "%" || next == "percent" || lex::multiplier(next) > 0 ||
          lex::month_index(next) > 0)
        return false;
    }
    return true;
  }

  void scan_sentence(int s) {
    const int s0 = ctx_.sentence_first[s], s1 = ctx_.sentence_first[s + 1];
    const int first_word = first_word_of_sentence(s);
    int i = s0;
    std::vector<Word> seq;
    while (i < s1) {
      uint32_t nb, ne;
      NameTok kind = classify(i, nb, ne);
      if (kind == NameTok::kNo) {
        ++i;
        continue;
      }
      if (kind == NameTok::kCompound) {
        add_compound_parts(i, nb, ne, s);
        ++i;
        continue;
      }
      seq.clear();
      int j = i;
      // "U.S.", "U.K.": one word spanning its letters and periods.
      if (const int di = dotted_initialism_end(i, s1); di > i) {
        ne = ctx_.tokens[di].end;
        j = di;
      } else if (const int ae = joined_name_end(i, s1); ae > i) {
        ne = ctx_.tokens[ae].end;
        j = ae;
      }
      seq.push_back(Word{i, nb, ne, false});
      while (kind == NameTok::kYes) {
        const Token& last = ctx_.tokens[j];
        if (last.has(kPossessive) && !lex::is_possessive_in_name(ctx_.lcore(j))) break;
        int nx = j + 1;
        if (nx < s1 && ctx_.tok(nx) == "." && ctx_.tokens[nx].begin == last.end &&
            in_list(kDottedAbbrevs, ctx_.lcore(j)))
          ++nx;
        if (nx >= s1 || !ctx_.tokens[nx].has(kSpaceBefore)) break;
        int c = nx, nconn = 0;
        while (c < s1 && nconn < 2 && ctx_.tokens[c].has(kLower) &&
               ctx_.tokens[c].has(kSpaceBefore) && lex::is_connector(ctx_.ltok(c))) {
          ++c;
          ++nconn;
        }
        if (nconn > 0 && ctx_.ltok(nx) == "the") break;
        // "X of Y" only when X can head such a name ("Republic of", "Secretary of",
        // "Sea of"), not "Telegram of Steve Witkoff".
        if (nconn > 0 && ctx_.ltok(nx) == "of" &&
            !can_head_of(ctx_.lower.substr(seq.back().b, seq.back().e - seq.back().b)))
          break;
        if (c >= s1 || !ctx_.tokens[c].has(kSpaceBefore)) break;
        uint32_t b2, e2;
        NameTok k2 = classify(c, b2, e2);
        if (k2 == NameTok::kNo || k2 == NameTok::kCompound) break;
        // "Erik ten Hag", but not "Kyiv ten Russian drones".
        if (nconn > 0 && ctx_.ltok(nx) != "of" && lex::is_demonym(ctx_.lcore(c))) break;
        if (b2 != ctx_.tokens[c].begin) break;
        for (int k = nx; k < c; ++k) {
          if (ctx_.tokens[k].has(kWord))
            seq.push_back(Word{k, ctx_.tokens[k].begin, ctx_.tokens[k].end, true});
        }
        seq.push_back(Word{c, b2, e2, false});
        j = c;
        kind = k2;
      }
      process_sequence(seq, s, first_word);
      i = j + 1;
    }
  }

  void add_compound_parts(int i, uint32_t nb, uint32_t ne, int s) {
    std::string_view w = ctx_.text.substr(nb, ne - nb);
    std::size_t p = 0;
    while (p <= w.size()) {
      std::size_t h = w.find('-', p);
      if (h == std::string_view::npos) h = w.size();
      if (h > p) {
        Cand c;
        c.begin = nb + static_cast<uint32_t>(p);
        c.end = nb + static_cast<uint32_t>(h);
        c.first_tok = c.last_tok = i;
        c.sentence = s;
        c.ntok = 1;
        c.compound_part = true;
        std::string_view lpart = ctx_.lower.substr(c.begin, c.end - c.begin);
        type_by_lexicon(c, lpart);
        c.last_word = std::string(ctx_.text.substr(c.begin, c.end - c.begin));
        cands_.push_back(std::move(c));
      }
      p = h + 1;
    }
  }

  void process_sequence(std::vector<Word>& ws, int s, int first_word) {
    auto strip_connectors = [&] {
      while (!ws.empty() && ws.front().connector) ws.erase(ws.begin());
      while (!ws.empty() && ws.back().connector) ws.pop_back();
    };
    strip_connectors();
    if (ws.empty()) return;
    const bool initial = clause_initial(ws[0].tok, first_word);
    bool dropped_initial = false;
    {
      std::string_view l0 = lw(ws[0]);
      const bool known = lex::is_place(l0) || lex::is_org_name(l0) ||
                         lex::is_first_name(word_text(ws[0])) || lex::is_title_word(l0);
      if (l0 == "the" || l0 == "a" || l0 == "an") {
        std::string joined = joined_lower(ws, 0, static_cast<int>(ws.size()));
        if (!(lex::is_place(joined) || lex::is_org_name(joined))) {
          ws.erase(ws.begin());
          dropped_initial = initial;
        }
      } else if (initial && !known) {
        const bool common = lex::is_common_word(l0) ||
                            (ws.size() == 1 && (l0.ends_with("ing") || l0.ends_with("ly")));
        if (common) {
          ws.erase(ws.begin());
          dropped_initial = true;
        }
      }
      strip_connectors();
      if (ws.empty()) return;
    }
    if (ws.size() == 1 && (lex::is_interface_word(lw(ws[0])) || lex::is_non_entity(lw(ws[0]))))
      return;
    // Holidays and other multi-word terms that name nothing ("New Year sales").
    if (ws.size() <= 3 && lex::is_non_entity(joined_lower(ws, 0, static_cast<int>(ws.size()))))
      return;

    // Split before a given name that follows other capitalised words ("... Affairs David
    // Lammy", "Air Force Troy Meink").
    std::vector<std::size_t> cuts{0};
    for (std::size_t k = 1; k + 1 < ws.size(); ++k) {
      if (ws[k].connector) continue;
      if (!lex::is_first_name(word_text(ws[k]))) continue;
      std::string_view prev = lw(ws[k - 1]);
      if (!ws[k - 1].connector && (lex::is_first_name(word_text(ws[k - 1])) ||
                                   lex::is_title_head(prev) || lex::is_demonym(prev)))
        continue;
      cuts.push_back(k);
    }
    // A place before a camel-case brand is its own name: "UK iTunes store".
    for (std::size_t k = 1; k < ws.size() && k <= 3; ++k) {
      std::string_view w = word_text(ws[k]);
      if (w.size() >= 2 && w[0] >= 'a' && w[0] <= 'z' && w[1] >= 'A' && w[1] <= 'Z') {
        if (cuts.size() == 1 && lex::is_place(joined_lower(ws, 0, static_cast<int>(k))))
          cuts.push_back(k);
        break;
      }
    }
    cuts.push_back(ws.size());
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
      std::vector<Word> chunk(ws.begin() + cuts[c], ws.begin() + cuts[c + 1]);
      while (!chunk.empty() && chunk.back().connector) chunk.pop_back();
      if (chunk.empty()) continue;
      const bool is_last = c + 2 == cuts.size();
      process_chunk(chunk, s, initial && c == 0 && !dropped_initial, is_last);
    }
  }

  std::string joined_lower(const std::vector<Word>& ws, int a, int b) const {
    std::string out;
    for (int k = a; k < b; ++k) {
      if (!out.empty()) out.push_back(' ');
      std::string_view w = lw(ws[k]);
      // Fold the typographic apostrophe so "people’s" finds "people's".
      for (std::size_t i = 0; i < w.size(); ++i) {
        if (w.compare(i, 3, "\xE2\x80\x99") == 0) {
          out.push_back('\'');
          i += 2;
        } else {
          out.push_back(w[i]);
        }
      }
    }
    return out;
  }

  void type_by_lexicon(Cand& c, std::string_view joined) const {
    if (lex::is_place(joined)) {
      c.type = EntityType::kLocation;
      c.evidence = Evidence::kStrong;
    } else if (lex::is_org_name(joined)) {
      c.type = EntityType::kOrganization;
      c.evidence = Evidence::kStrong;
    }
  }

  // Whether words [a, b) name an organisation or a place by their last word or as a whole.
  EntityType typed_tail(const std::vector<Word>& ws, int a, int b) const {
    std::string joined = joined_lower(ws, a, b);
    if (lex::is_place(joined)) return EntityType::kLocation;
    if (lex::is_org_name(joined)) return EntityType::kOrganization;
    for (int k = a; k + 1 < b; ++k) {
      // "Department of Defense", "Gulf of Aden".
      if (ws[k].connector || !ws[k + 1].connector || lw(ws[k + 1]) != "of") continue;
      if (lex::is_org_word(lw(ws[k]))) return EntityType::kOrganization;
      if (lex::is_place_word(lw(ws[k]))) return EntityType::kLocation;
    }
    std::string_view last = lw(ws[b - 1]);
    // "Paris Air Show", "Worldwide Developers Conference": events, neither body nor place.
    if (b - a >= 2 && lex::is_event_word(last)) return EntityType::kOther;
    // "Moscone West Convention Center", "Kennedy Space Center": venues are places (facilities).
    if (b - a >= 2 && (last == "center" || last == "centre") && !ws[b - 2].connector &&
        in_list(kVenueWords, lw(ws[b - 2])))
      return EntityType::kLocation;
    // "Thai Airways International", "Kestrel Airlines Group": a trailing scope word or legal
    // form after an organisation word.
    if (b - a >= 3 &&
        (last == "international" || last == "worldwide" || last == "global" ||
         lex::is_legal_form(last)) &&
        lex::is_org_word(lw(ws[b - 2])) && !ws[b - 2].connector)
      return EntityType::kOrganization;
    if (b - a >= 2 || lex::is_org_word(last)) {
      if (lex::is_org_word(last) && (b - a >= 2)) return EntityType::kOrganization;
      if (lex::is_place_word(last) && (b - a >= 2)) return EntityType::kLocation;
    }
    return EntityType::kOther;
  }

  void process_chunk(std::vector<Word>& ws, int s, bool initial, bool is_last) {
    int n = static_cast<int>(ws.size());
    // "Adam Air Flight 574", "Air France Flight 447": the airline is the entity; the flight
    // is an event, not a product of it.
    bool airline = false;
    if (n >= 3 && lw(ws[n - 1]) == "flight" && !ws[n - 2].connector) {
      ws.pop_back();  // the chunk is the caller's scratch copy
      --n;
      airline = true;
    }
    // "Martin Luther King", "Stephen King", "John Major": a given name, then a title word
    // that is also a surname, is a person's name, not a body before a title.
    bool surname_title = false;
    if (n >= 2 && in_list(kSurnameTitles, lw(ws[n - 1])) && lex::is_first_name(word_text(ws[0]))) {
      surname_title = true;
      for (int k = 0; k + 1 < n; ++k)
        if (ws[k].connector || lex::is_title_word(lw(ws[k]))) surname_title = false;
    }
    // Title prefix: demonyms, places/organisations before a title, title words, connectors.
    int p = 0;
    bool title_seen = false, conn_in_prefix = false;
    std::vector<std::pair<int, int>> prefix_entities;
    while (p < n && !surname_title) {
      const Word& w = ws[p];
      std::string_view l = lw(w);
      if (w.connector) {
        if (!title_seen) break;
        conn_in_prefix = true;
        ++p;
        continue;
      }
      if (lex::is_title_word(l)) {
        if (lex::is_title_head(l)) title_seen = true;
        ++p;
        continue;
      }
      // Names before a title ("US President", "European Commission President", "NATO
      // Secretary-General"): their own entity, not part of the person.
      if (!title_seen) {
        int q = p;
        // Organisation words may also be title words ("Council"): they end a body's name.
        while (q < n && !ws[q].connector &&
               (!lex::is_title_word(lw(ws[q])) || lex::is_org_word(lw(ws[q]))))
          ++q;
        if (q > p && q < n && title_run_has_head(ws, q)) {
          bool all_dem = true;
          for (int k = p; k < q; ++k) all_dem = all_dem && lex::is_demonym(lw(ws[k]));
          if (!all_dem) prefix_entities.emplace_back(p, q);
          p = q;
          continue;
        }
      }
      if (p + 1 < n && lex::is_demonym(l)) {
        ++p;
        continue;
      }
      break;
    }
    int a = 0;
    bool person_by_title = false;
    if (p == n) {
      // Only title words and demonyms ("Foreign", "Secretary of State"): a role, no name.
      for (auto [pb, pe] : prefix_entities) add_group(ws, pb, pe, s);
      return;
    }
    if (title_seen) {
      while (p < n && ws[p].connector) ++p;
      // "Chief Operating Officer": the words after the title end in another title, so they
      // are the rest of the role, not a name.
      // "Prime Minister John Major" keeps its name (a given name first).
      if (n - p >= 2 && in_list(kOfficeWords, lw(ws[n - 1])) &&
          !lex::is_first_name(word_text(ws[p])) && typed_tail(ws, p, n) == EntityType::kOther)
        p = n;
      if (p == n) {
        // A role without a name ("Secretary of State"): only the places in it.
        for (auto [pb, pe] : prefix_entities) add_group(ws, pb, pe, s);
        return;
      }
      EntityType tail = typed_tail(ws, p, n);
      if (tail == EntityType::kOther && p + 1 == n && lex::is_org_word(lw(ws[p])))
        tail = EntityType::kOrganization;  // "General Staff"
      if (tail != EntityType::kOther) {
        a = conn_in_prefix ? p : 0;
      } else {
        for (auto [pb, pe] : prefix_entities) add_group(ws, pb, pe, s);
        a = p;
        person_by_title = true;
      }
    } else {
      // No title: a leading demonym stays part of an organisation ("Chinese Communist
      // Party") but not of a person or an unknown name.
      int d = 0;
      while (d + 1 < n && !ws[d].connector && lex::is_demonym(lw(ws[d]))) ++d;
      if (d > 0 && typed_tail(ws, 0, n) == EntityType::kOther) a = d;
    }
    while (a < n && ws[a].connector) ++a;
    if (a >= n) return;
    // All demonyms: not an entity ("Russian").
    bool all_dem = true;
    for (int k = a; k < n; ++k)
      if (!ws[k].connector && !lex::is_demonym(lw(ws[k]))) all_dem = false;
    if (all_dem) return;

    Cand c;
    c.begin = ws[a].b;
    c.end = ws[n - 1].e;
    c.first_tok = ws[a].tok;
    c.last_tok = ws[n - 1].tok;
    c.sentence = s;
    c.sentence_initial = initial && a == 0;
    for (int k = a; k < n; ++k) c.ntok += ws[k].connector ? 0 : 1;
    c.all_caps = c.ntok == 1 && ctx_.tokens[ws[a].tok].has(kAllCaps);
    c.last_word = std::string(word_text(ws[n - 1]));
    if (person_by_title) {
      c.type = EntityType::kPerson;
      c.evidence = Evidence::kStrong;
      if (a > 0) {
        c.titled = true;
        c.titled_begin = ws[0].b;
      }
    } else if (airline || ctx_.lower.substr(c.begin, c.end - c.begin).ends_with(".com") ||
               ctx_.lower.substr(c.begin, c.end - c.begin).ends_with(".net") ||
               ctx_.lower.substr(c.begin, c.end - c.begin).ends_with(".org")) {
      // "Detik.com": a news site is an organisation.
      c.type = EntityType::kOrganization;
      c.evidence = Evidence::kStrong;
    } else {
      EntityType t = typed_tail(ws, a, n);
      if (t != EntityType::kOther) {
        c.type = t;
        c.evidence = Evidence::kStrong;
      } else if (c.ntok >= 2 && lex::is_event_word(lw(ws[n - 1]))) {
        // "Paris Air Show", "Worldwide Developers Conference": an event, neither an
        // organisation nor a place.
        c.evidence = Evidence::kStrong;
        c.event = true;
      } else if (c.ntok >= 2 && lex::is_first_name(word_text(ws[a]))) {
        c.type = EntityType::kPerson;
        c.evidence = Evidence::kStrong;
      }
    }
    const int last_tok = ws[n - 1].tok;
    const int s1 = ctx_.sentence_first[s + 1];
    // Lowercase organisation or place noun after the name: "Time magazine", "Indo-Pacific
    // region".
    if (is_last && last_tok + 1 < s1 && ctx_.tokens[last_tok + 1].has(kLower) &&
        !ctx_.tokens[last_tok].has(kPossessive)) {
      std::string_view next = ctx_.ltok(last_tok + 1);
      if ((c.evidence != Evidence::kStrong || c.event) && lex::is_org_tail_lower(next)) {
        c.event = false;  // "Vanity Fair magazine
        c.type = EntityType::kOrganization;
        c.evidence = Evidence::kStrong;
        c.end = ctx_.tokens[last_tok + 1].end;
        c.last_tok = last_tok + 1;
      } else if (c.evidence != Evidence::kStrong && lex::is_place_tail_lower(next) && c.ntok <= 3) {
        c.type = EntityType::kLocation;
        c.evidence = Evidence::kStrong;
      }
    }
    // Role noun before: "envoy Steve Witkoff", "aide Yuri Ushakov".
    const int s0 = ctx_.sentence_first[s];
    const int before = ws[a].tok - 1;
    // Also an appositive: "Orban's spokesman, Zoltan Kovacs, said".
    int role_tok = before;
    if (role_tok > s0 && ctx_.tok(role_tok) == "," && c.ntok >= 2) --role_tok;
    if (c.evidence != Evidence::kStrong && role_tok >= s0 && ctx_.tokens[role_tok].has(kLower) &&
        lex::is_role_word(ctx_.ltok(role_tok)) && c.ntok <= 4) {
      c.type = EntityType::kPerson;
      c.evidence = Evidence::kStrong;
    }
    // Organisation noun before: "oil company Petrobras", "news agency MTI".
    if (c.evidence != Evidence::kStrong && before >= s0 && ctx_.tokens[before].has(kLower) &&
        in_list(kOrgAppositions, ctx_.ltok(before)) && c.ntok <= 4) {
      c.type = EntityType::kOrganization;
      c.evidence = Evidence::kStrong;
    }
    // Parenthesised alias right after: "(CCP)", "(賴清德)".
    int alias_tok = -1;
    if (is_last && last_tok + 3 < ctx_.size() && ctx_.tok(last_tok + 1) == "(" &&
        ctx_.tokens[last_tok + 2].has(kWord) && ctx_.tok(last_tok + 3) == ")") {
      const Token& in = ctx_.tokens[last_tok + 2];
      if (in.has(kAllCaps) && !in.has(kHyphen) && in.end - in.begin <= 8) {
        alias_tok = last_tok + 2;
        if (c.type == EntityType::kOther && c.evidence != Evidence::kStrong) {
          c.type = EntityType::kOrganization;
          c.evidence = Evidence::kWeak;
        }
        trim_to_acronym(c, ws, a, ctx_.tok(alias_tok));
      } else if (in.has(kNoCase)) {
        c.script_alias = std::string(ctx_.tok(last_tok + 2));
        consumed_[last_tok + 2] = 1;
        if (c.evidence != Evidence::kStrong && c.ntok >= 2 && c.ntok <= 3) {
          c.type = EntityType::kPerson;
          c.evidence = Evidence::kStrong;
        }
      }
    }
    // Context guesses for names the lexicons do not know.
    if (c.evidence != Evidence::kStrong) {
      if (before >= s0 && ctx_.tokens[before].has(kLower) &&
          in_list(kPlacePrepositions, ctx_.ltok(before)))
        c.loc_guess = true;
      // "port of Paldiski", "the town of Kastel".
      if (before - 1 >= s0 && ctx_.ltok(before) == "of" && ctx_.tokens[before - 1].has(kLower) &&
          in_list(kPlaceNouns, ctx_.ltok(before - 1)))
        c.loc_guess = true;
      // "..., said Peeter Tamm": the speaker of a quotation is a person.
      if (before >= s0 && ctx_.tokens[before].has(kLower) &&
          in_list(kSpeechVerbs, ctx_.ltok(before)))
        c.per_guess = true;
      int after = last_tok + 1;
      // "Zelensky later said", "Okafor has also warned".
      for (int hop = 0; hop < 2 && after < s1 && ctx_.tokens[after].has(kLower) &&
                        in_list(kVerbAdverbs, ctx_.ltok(after));
           ++hop)
        ++after;
      const bool after_the = before >= s0 && ctx_.ltok(before) == "the";
      if (after < s1 && ctx_.tokens[after].has(kLower) && lex::is_cue_verb(ctx_.ltok(after)) &&
          ctx_.ltok(after) != "according" && c.ntok <= 3) {
        // "Okafor said" is a person; "the Elysee said" an institution.
        if (after_the) {
          c.type = EntityType::kOrganization;
          c.evidence = Evidence::kWeak;
        } else {
          c.per_guess = true;
        }
      }
      // "the 23-year-old Okafor": an age makes a person.
      if (before >= s0 &&
          (ctx_.ltok(before).ends_with("-year-old") || ctx_.ltok(before).ends_with("-years-old")))
        c.per_guess = true;
      // "Macron, who ...": a person.
      if (last_tok + 2 < s1 && ctx_.tok(last_tok + 1) == "," && ctx_.ltok(last_tok + 2) == "who")
        c.per_guess = true;
      // "Tarkan Veliu, 45, was arrested", "Ortiz, 52,", "Dagny Reith (52)": an age in
      // apposition (in brackets only after a full name: "Veltrax (57)" may be a price).
      if (c.ntok <= 3 && last_tok + 3 < s1 && (c.ntok >= 2 || ctx_.tok(last_tok + 1) == ",") &&
          (ctx_.tok(last_tok + 1) == "," || ctx_.tok(last_tok + 1) == "(") &&
          ctx_.tokens[last_tok + 2].has(kNumber) && ctx_.tok(last_tok + 2).size() <= 3 &&
          ctx_.tok(last_tok + 2).find_first_not_of("0123456789") == std::string_view::npos &&
          (ctx_.tok(last_tok + 3) == "," || ctx_.tok(last_tok + 3) == ")")) {
        const int age = std::stoi(std::string(ctx_.tok(last_tok + 2)));
        if (age >= 1 && age <= 115 &&
            !(ctx_.tok(last_tok + 1) == "," && last_tok + 4 < s1 &&
              ctx_.tokens[last_tok + 4].has(kNumber)))
          c.per_guess = true;  // not a list of numbers ("Area 51, 52, 53")
      }
      // "Hiller's husband", "Gray's mother": a relative or a body part belongs to a person.
      if (ctx_.tokens[last_tok].has(kPossessive) && last_tok + 1 < s1 &&
          ctx_.tokens[last_tok + 1].has(kLower) && in_list(kKinNouns, ctx_.ltok(last_tok + 1)))
        c.per_guess = true;
      // "Police arrested Zoltan Brekk": verbs whose object is a person.
      if (c.ntok >= 2 && c.ntok <= 3 && before >= s0 && ctx_.tokens[before].has(kLower) &&
          in_list(kPersonObjectVerbs, ctx_.ltok(before)))
        c.per_guess = true;
      if (is_last && last_tok + 2 < s1 && ctx_.tok(last_tok + 1) == ",") {
        // "Louis Gallois, the Airbus chief executive,", "Jusman Syafii Djamal, minister of
        // transport": an appositive that names a role makes the name a person.
        if (c.ntok >= 2 && c.ntok <= 4 && appositive_role(last_tok + 2, s1)) c.per_guess = true;
        // "Cupertino, California", "Mobile, Alabama": a town before its state or country.
        const int q = last_tok + 2;
        int qe = q;
        while (qe + 1 < s1 && ctx_.tokens[qe + 1].has(kCap) && qe - q < 3) ++qe;
        if (ctx_.tokens[q].has(kCap) && (qe + 1 >= s1 || !ctx_.tokens[qe + 1].has(kCap))) {
          std::string joined(ctx_.ltok(q));
          for (int k = q + 1; k <= qe; ++k) joined.append(" ").append(ctx_.ltok(k));
          if (lex::is_place(joined) && !lex::is_place(ctx_.lower.substr(c.begin, c.end - c.begin)))
            c.loc_guess = true;
        }
      }
    }
    // Products: a name with a model code ("Airbus A380", "Boeing 737", "iPhone 4") or a
    // camel-case brand ("iPod"). They are entities of their own type, not organisations.
    {
      bool code = false, camel = false;
      for (int k = c.first_tok; k <= c.last_tok; ++k) {
        std::string_view w = ctx_.tok(k);
        if (w.size() >= 2 && w[0] >= 'a' && w[0] <= 'z' && w[1] >= 'A' && w[1] <= 'Z') camel = true;
        for (char ch : w) code = code || (ch >= '0' && ch <= '9');
      }
      if (is_last && c.alias_of < 0 && !ctx_.tokens[c.last_tok].has(kPossessive) &&
          is_model_code(c.last_tok + 1, s1) && c.type != EntityType::kPerson &&
          c.type != EntityType::kLocation) {
        ++c.last_tok;
        ++c.ntok;
        c.end = ctx_.tokens[c.last_tok].core_end;
        consumed_[c.last_tok] = 1;
        code = true;
        // "Boeing 787 Dreamliner": one unknown capitalised word after the number names the
        // model.
        const int nx = c.last_tok + 1;
        uint32_t b2, e2;
        if (c.type == EntityType::kOrganization && c.evidence == Evidence::kStrong && nx < s1 &&
            ctx_.tokens[nx].has(kCap) && !ctx_.tokens[nx].has(kAllCaps) &&
            ctx_.tokens[nx].has(kSpaceBefore) && !ctx_.tokens[c.last_tok].has(kPossessive) &&
            !(nx + 1 < s1 && ctx_.tokens[nx + 1].has(kCap) &&
              ctx_.tokens[nx + 1].has(kSpaceBefore)) &&
            classify(nx, b2, e2) == NameTok::kYes && b2 == ctx_.tokens[nx].begin) {
          const std::string_view l = ctx_.lcore(nx);
          if (!known_name(l) && !lex::is_first_name(ctx_.core(nx)) && !lex::is_common_word(l) &&
              !lex::is_demonym(l) && !lex::is_event_word(l) && !lex::is_non_entity(l)) {
            c.last_tok = nx;
            ++c.ntok;
            c.end = ctx_.tokens[nx].core_end;
            consumed_[nx] = 1;
          }
        }
      }
      // "the 787 Dreamliner": a model number right before an unknown name; it makes a
      // product when the article gives that number to a product ("Boeing 787"), see
      // resolve(). Not "300 Spartans": a plural after bare digits is a count.
      if (c.evidence != Evidence::kStrong && before >= s0 && c.ntok <= 2 && !c.all_caps &&
          c.type != EntityType::kPerson && is_model_code(before, s1) &&
          ctx_.tokens[before].end < ctx_.tokens[c.first_tok].begin &&
          !ctx_.tokens[c.last_tok].has(kPossessive)) {
        std::string_view w = ctx_.tok(before);
        bool letter = false;
        for (char ch : w) letter = letter || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
        const bool plural = ctx_.lcore(c.last_tok).ends_with("s");
        const bool after_number =
            before - 1 >= s0 &&
            (ctx_.tokens[before - 1].has(kNumber) || lex::number_word(ctx_.ltok(before - 1)) >= 0);
        // A three-digit or lettered model number ("787", "A380") is enough; other numbers
        // need the article's own product with that number.
        // Bare digits after a determiner only: "their new 787 Dreamliner", not the house
        // number in "at 473 East 52nd Street".
        const int det = before - 1;
        const bool determined =
            det >= s0 &&
            (ctx_.ltok(det) == "the" || ctx_.ltok(det) == "a" || ctx_.ltok(det) == "new" ||
             ctx_.ltok(det) == "first" || ctx_.ltok(det) == "its" || ctx_.ltok(det) == "their" ||
             ctx_.tokens[det].has(kPossessive));
        const bool model =
            c.end - c.begin >= 2 &&
            (letter || (w.size() == 3 && ctx_.tokens[before].has(kNumber) && determined));
        if ((letter || !plural) && !after_number) {
          c.code_before = before;
          if (model) code = true;
        }
      }
      // An unknown name owned by a company is what it makes: "Boeing's Dreamliner",
      // "Apple's proprietary Quartz" (up to two lowercase modifiers between).
      int owner = ctx_.tokens[c.first_tok].sentence == s ? c.first_tok - 1 : -1;
      for (int hop = 0;
           hop < 2 && owner > s0 && ctx_.tokens[owner].has(kLower) &&
           !lex::is_common_word(ctx_.ltok(owner)) && !lex::is_product_noun(ctx_.ltok(owner));
           ++hop)
        --owner;
      bool owned = false;
      if (c.evidence != Evidence::kStrong && c.ntok <= 3 && owner >= s0 &&
          ctx_.tokens[owner].has(kPossessive) && !cands_.empty() &&
          cands_.back().last_tok == owner && cands_.back().type == EntityType::kOrganization &&
          cands_.back().evidence == Evidence::kStrong)
        owned = true;
      // A product noun after a determined name ("the Safari browser", "its new Dreamliner
      // aircraft") or right before the name ("the operating system Mac OS X"). Without a
      // determiner "Intel processors" names the maker, so it stays an organisation.
      bool noun = false;
      if (c.evidence != Evidence::kStrong && is_last && c.last_tok + 1 < s1 &&
          ctx_.tokens[c.last_tok + 1].has(kLower) && !ctx_.tokens[c.last_tok].has(kPossessive)) {
        std::string_view next = ctx_.ltok(c.last_tok + 1);
        const bool two =
            c.last_tok + 2 < s1 && next == "operating" && ctx_.ltok(c.last_tok + 2) == "system";
        if (two || lex::is_product_noun(next)) {
          int d = c.first_tok - 1;
          while (d > s0 && ctx_.tokens[d].has(kLower) && !lex::is_common_word(ctx_.ltok(d))) --d;
          if (d >= s0) {
            std::string_view det = ctx_.ltok(d);
            noun = det == "the" || det == "a" || det == "an" || det == "its" || det == "their" ||
                   det == "his" || det == "her" || det == "our" || det == "new" ||
                   ctx_.tokens[d].has(kPossessive);
          }
        }
      }
      if (c.evidence != Evidence::kStrong && before >= s0 && ctx_.tokens[before].has(kLower) &&
          lex::is_product_noun(ctx_.ltok(before)) && ctx_.ltok(before) != "model")
        noun = true;
      // An appositive that says what it is: "the Vireo X2 - a notebook computer", "Skyrunner,
      // a twin-engine jet".
      if (c.evidence != Evidence::kStrong && is_last && c.last_tok + 3 < s1 &&
          !ctx_.tokens[c.last_tok].has(kPossessive)) {
        std::string_view sep = ctx_.tok(c.last_tok + 1);
        int q = c.last_tok + 2;
        if ((sep == "," || sep == "-" || sep == "\xE2\x80\x94" || sep == "\xE2\x80\x93") &&
            (ctx_.ltok(q) == "a" || ctx_.ltok(q) == "an")) {
          for (++q; q < s1 && q <= c.last_tok + 6 && ctx_.tokens[q].has(kLower); ++q) {
            if (lex::is_product_noun(ctx_.ltok(q)) && ctx_.ltok(q) != "model" &&
                ctx_.ltok(q) != "version" && ctx_.ltok(q) != "edition") {
              noun = true;
              break;
            }
            if (lex::is_common_word(ctx_.ltok(q))) break;
          }
        }
      }
      if (c.evidence != Evidence::kStrong && before > s0 && ctx_.ltok(before) == "system" &&
          ctx_.ltok(before - 1) == "operating")
        noun = true;
      // "Apple releases Macbook", "Airbus unveiled its new Skyrunner": the object of a launch
      // verb whose subject is a known organisation (not "police released Smith": a person
      // or place guess keeps its type).
      if (c.evidence != Evidence::kStrong && !c.per_guess && !c.loc_guess && !c.all_caps &&
          !c.compound_part && !ctx_.tokens[c.last_tok].has(kHyphen) && c.ntok <= 2 && before > s0) {
        int v = before;
        for (int hop = 0; hop < 2 && v > s0 && ctx_.tokens[v].has(kLower) &&
                          (ctx_.ltok(v) == "the" || ctx_.ltok(v) == "its" ||
                           ctx_.ltok(v) == "their" || ctx_.ltok(v) == "new" || ctx_.ltok(v) == "a");
             ++hop)
          --v;
        if (v > s0 && ctx_.tokens[v].has(kLower) && in_list(kLaunchVerbs, ctx_.ltok(v)) &&
            !cands_.empty() && cands_.back().last_tok == v - 1 &&
            cands_.back().type == EntityType::kOrganization &&
            cands_.back().evidence == Evidence::kStrong && !cands_.back().product)
          noun = true;
      }
      if ((code || camel || owned || noun) && c.type != EntityType::kPerson) {
        c.product = true;
        c.type = EntityType::kProduct;
        c.evidence = Evidence::kStrong;
        alias_tok = -1;
      }
    }
    const int index = static_cast<int>(cands_.size());
    cands_.push_back(std::move(c));
    if (alias_tok >= 0) {
      consumed_[alias_tok] = 1;
      Cand al;
      al.begin = ctx_.tokens[alias_tok].begin;
      al.end = ctx_.tokens[alias_tok].end;
      al.first_tok = al.last_tok = alias_tok;
      al.sentence = s;
      al.ntok = 1;
      al.all_caps = true;
      al.alias_of = index;
      al.type = cands_[index].type;
      al.evidence = cands_[index].evidence;
      al.last_word = std::string(ctx_.tok(alias_tok));
      acronyms_[al.last_word] = index;
      cands_.push_back(std::move(al));
    }
  }

  // "Chinese People's Liberation Army (PLA)": when the acronym spells only the last words,
  // those words are the name.
  void trim_to_acronym(Cand& c, const std::vector<Word>& ws, int a, std::string_view acronym) {
    const int n = static_cast<int>(ws.size());
    std::string initials;
    std::vector<int> idx;
    for (int k = a; k < n; ++k) {
      if (ws[k].connector) continue;
      initials.push_back(ctx_.text[ws[k].b]);
      idx.push_back(k);
    }
    if (initials == acronym || acronym.size() >= initials.size()) return;
    if (std::string_view(initials).ends_with(acronym)) {
      const int k = idx[initials.size() - acronym.size()];
      c.begin = ws[k].b;
      c.first_tok = ws[k].tok;
      c.ntok = static_cast<int>(acronym.size());
    }
  }

  // Whether the title words starting at q include a head ("Prime Minister", not "Foreign").
  bool title_run_has_head(const std::vector<Word>& ws, int q) const {
    for (int k = q; k < static_cast<int>(ws.size()); ++k) {
      if (ws[k].connector) continue;
      std::string_view l = lw(ws[k]);
      if (!lex::is_title_word(l)) return false;
      if (lex::is_title_head(l)) return true;
    }
    return false;
  }

  void add_group(const std::vector<Word>& ws, int b, int e, int s) {
    // "European Commission" is a known name; otherwise leading demonyms are not part of it.
    if (typed_tail(ws, b, e) == EntityType::kOther)
      while (b < e && lex::is_demonym(lw(ws[b]))) ++b;
    if (b >= e) return;
    if (e - b == 1) {
      add_single(ws[b], s, false);
      return;
    }
    Cand c;
    c.begin = ws[b].b;
    c.end = ws[e - 1].e;
    c.first_tok = ws[b].tok;
    c.last_tok = ws[e - 1].tok;
    c.sentence = s;
    c.ntok = e - b;
    c.type = typed_tail(ws, b, e);
    // Before a title, an unknown name is the body the title belongs to.
    if (c.type == EntityType::kOther) c.type = EntityType::kOrganization;
    c.evidence = Evidence::kWeak;
    c.last_word = std::string(word_text(ws[e - 1]));
    cands_.push_back(std::move(c));
  }

  void add_single(const Word& w, int s, bool initial) {
    Cand c;
    c.begin = w.b;
    c.end = w.e;
    c.first_tok = c.last_tok = w.tok;
    c.sentence = s;
    c.ntok = 1;
    c.all_caps = ctx_.tokens[w.tok].has(kAllCaps);
    c.sentence_initial = initial;
    type_by_lexicon(c, lw(w));
    if (c.evidence == Evidence::kNone && c.all_caps) {
      c.type = EntityType::kOrganization;
      c.evidence = Evidence::kWeak;
    }
    c.last_word = std::string(word_text(w));
    cands_.push_back(std::move(c));
  }

  std::string name_of(const Cand& c) const {
    std::string_view raw = ctx_.text.substr(c.begin, c.end - c.begin);
    // Collapse inner whitespace (names never span lines, but NBSPs happen).
    std::string out;
    out.reserve(raw.size());
    bool space = false;
    for (char ch : raw) {
      if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
        space = true;
        continue;
      }
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.push_back(ch);
    }
    return out;
  }

  // Initials of a multi-word name, for matching bare acronyms ("NATO").
  std::string initials_of(const Cand& c) const {
    std::string out;
    std::string_view raw = ctx_.text.substr(c.begin, c.end - c.begin);
    bool at_start = true;
    for (char ch : raw) {
      if (ch == ' ') {
        at_start = true;
        continue;
      }
      if (at_start && ch >= 'A' && ch <= 'Z') out.push_back(ch);
      at_start = false;
    }
    return out;
  }

  void resolve() {
    // "Zoltan Kovacs ... Mr. Kovacs": an unknown two- or three-word name whose last word is
    // a titled person's name is that person's full name.
    std::unordered_map<std::string, int> titled;
    for (const Cand& c : cands_)
      if (c.type == EntityType::kPerson && c.evidence == Evidence::kStrong && c.ntok == 1)
        titled.emplace(entity_key(c.last_word, EntityType::kPerson), 1);
    if (!titled.empty()) {
      for (Cand& c : cands_) {
        if (c.evidence != Evidence::kNone || c.ntok < 2 || c.ntok > 3 || c.all_caps) continue;
        if (titled.count(entity_key(c.last_word, EntityType::kPerson))) {
          c.type = EntityType::kPerson;
          c.evidence = Evidence::kStrong;
        }
      }
    }
    // Full person names by their (folded) last word, for surname-only mentions.
    std::unordered_map<std::string, std::vector<int>> by_surname;
    std::unordered_map<std::string, int> by_initials;
    for (int i = 0; i < static_cast<int>(cands_.size()); ++i) {
      Cand& c = cands_[i];
      // Also names that only context makes persons ("Jusman Syafii Djamal, minister of ...").
      const bool person = (c.type == EntityType::kPerson && c.evidence == Evidence::kStrong) ||
                          (c.evidence == Evidence::kNone && c.per_guess && !c.all_caps);
      if (person && c.ntok >= 2) {
        const std::string full = entity_key(name_of(c), EntityType::kPerson);
        auto register_as = [&](const std::string& word) {
          auto& v = by_surname[entity_key(word, EntityType::kPerson)];
          bool seen = false;
          for (int j : v)
            if (entity_key(name_of(cands_[j]), EntityType::kPerson) == full) seen = true;
          if (!seen) v.push_back(i);
        };
        register_as(c.last_word);
        // East Asian order, family name first: "Chen Mei-ling" is "Chen" for short.
        const std::size_t hy = c.last_word.find('-');
        if (hy != std::string::npos && hy + 1 < c.last_word.size() && c.last_word[hy + 1] >= 'a' &&
            c.last_word[hy + 1] <= 'z') {
          const std::string name = name_of(c);
          register_as(name.substr(0, name.find(' ')));
        }
      }
      if (c.type == EntityType::kOrganization && c.ntok >= 2 && c.alias_of < 0) {
        std::string ini = initials_of(c);
        if (ini.size() >= 2) by_initials.emplace(ini, i);
      }
    }
    for (int i = 0; i < static_cast<int>(cands_.size()); ++i) {
      Cand& c = cands_[i];
      if (c.alias_of >= 0) continue;
      if (c.ntok == 1 && c.all_caps) {
        auto it = acronyms_.find(c.last_word);
        if (it != acronyms_.end() && it->second != i) {
          c.alias_of = it->second;
          c.type = cands_[it->second].type;
          continue;
        }
        auto jt = by_initials.find(c.last_word);
        if (jt != by_initials.end()) {
          c.alias_of = jt->second;
          c.type = cands_[jt->second].type;
          continue;
        }
      }
      const bool can_be_surname =
          c.ntok == 1 && (c.type == EntityType::kPerson || c.evidence != Evidence::kStrong);
      if (can_be_surname) {
        auto it = by_surname.find(entity_key(c.last_word, EntityType::kPerson));
        if (it != by_surname.end() && it->second.size() == 1 && it->second[0] != i) {
          c.alias_of = it->second[0];
          c.type = EntityType::kPerson;
          c.evidence = Evidence::kStrong;
          continue;
        }
        // The surname of two people in the article: a person, though not which one.
        if (it != by_surname.end() && it->second.size() > 1 && c.evidence == Evidence::kNone) {
          c.type = EntityType::kPerson;
          c.evidence = Evidence::kStrong;
          continue;
        }
      }
      if (c.evidence != Evidence::kNone) continue;
      if (c.ntok == 1 && (c.end - c.begin == 1 ||
                          lex::is_common_word(ctx_.lower.substr(c.begin, c.end - c.begin)))) {
        c.dropped = true;  // "No. 1", "Yes" inside a sentence
        continue;
      }
      if (c.compound_part) {
        c.dropped = true;  // an unknown half of "X-Y" is a modifier, not a mention
        continue;
      }
      if (c.all_caps) {
        // "NPD said": an acronym that speaks is a body, not a person.
        c.type = EntityType::kOrganization;
      } else if (c.per_guess) {
        c.type = EntityType::kPerson;
      } else if (c.loc_guess) {
        c.type = EntityType::kLocation;
      } else if (c.sentence_initial && c.ntok == 1) {
        c.dropped = true;
        c.initial_drop = true;
      } else {
        // A name that is no known place or person, with no title or given name: in news
        // most such names are companies and institutions ("Northrop Grumman", "Ryanair").
        c.type = EntityType::kOrganization;
      }
    }
    // "the 787 Dreamliner" where the article also has "Boeing 787": the model number makes
    // the unknown name after it a product.
    {
      bool any = false;
      for (const Cand& c : cands_) any = any || c.code_before >= 0;
      if (any) {
        std::unordered_set<std::string_view> codes;
        for (const Cand& c : cands_) {
          if (!c.product || c.dropped) continue;
          for (int k = c.first_tok; k <= c.last_tok; ++k)
            if (ctx_.tok(k).find_first_of("0123456789") != std::string_view::npos)
              codes.insert(ctx_.tok(k));
        }
        for (Cand& c : cands_) {
          if (c.code_before < 0 || c.product || c.alias_of >= 0 ||
              c.evidence == Evidence::kStrong || !codes.count(ctx_.tok(c.code_before)))
            continue;
          c.product = true;
          c.type = EntityType::kProduct;
          c.evidence = Evidence::kStrong;
          c.dropped = false;
        }
      }
    }
    // A product's name followed by more capitalised words is a version of it: "Mac OS X" ...
    // "Mac OS X Lion".
    {
      std::unordered_set<std::string> product_names;
      for (const Cand& c : cands_)
        if (c.product && !c.dropped && c.alias_of < 0 && c.ntok >= 2)  // not "Palmer"
          product_names.insert(simple_key(name_of(c)));
      if (!product_names.empty()) {
        for (Cand& c : cands_) {
          if (c.product || c.ntok < 2 || c.evidence == Evidence::kStrong || c.alias_of >= 0)
            continue;
          const std::string k = simple_key(name_of(c));
          for (std::size_t sp = k.rfind(' '); sp != std::string::npos && sp > 0;
               sp = k.rfind(' ', sp - 1)) {
            if (product_names.count(k.substr(0, sp))) {
              c.product = true;
              c.type = EntityType::kProduct;
              c.evidence = Evidence::kStrong;
              c.dropped = false;
              break;
            }
          }
        }
      }
    }
    // Lists share a kind: an unknown name listed with products is one ("the iPod Classic,
    // Nano and Shuffle", "iPhone and Apple TV"). Only "and", "or" and commas between.
    std::vector<char> by_list(cands_.size(), 0);  // made a product by this rule
    for (int i = 0; i < static_cast<int>(cands_.size()); ++i) {
      Cand& c = cands_[i];
      if (c.product || c.dropped || c.alias_of >= 0 || c.evidence != Evidence::kNone ||
          c.per_guess || c.loc_guess || c.all_caps || c.type != EntityType::kOrganization ||
          ctx_.tokens[c.last_tok].has(kPossessive))
        continue;
      auto listed = [&](int j) {
        if (j < 0 || j >= static_cast<int>(cands_.size())) return false;
        const Cand& o = cands_[j];
        if (!o.product || o.dropped || o.sentence != c.sentence) return false;
        // The listed product shows its kind in its form: a model number or a camel-case
        // brand ("iPod Classic", "Windows 7"), not only a guess from context.
        bool form = by_list[static_cast<std::size_t>(j)] != 0;  // "X, Lumo and Pebblet"
        for (int k = o.first_tok; k <= o.last_tok; ++k) {
          const std::string_view w = ctx_.tok(k);
          form = form || w.find_first_of("0123456789") != std::string_view::npos ||
                 (w.size() >= 2 && w[0] >= 'a' && w[0] <= 'z' && w[1] >= 'A' && w[1] <= 'Z');
        }
        if (!form) return false;
        const int a = j < i ? o.last_tok : c.last_tok, b = j < i ? c.first_tok : o.first_tok;
        if (b - a < 2 || b - a > 3) return false;
        for (int k = a + 1; k < b; ++k) {
          const std::string_view w = ctx_.ltok(k);
          if (w != "and" && w != "or" && w != ",") return false;
        }
        return true;
      };
      if (listed(i - 1) || listed(i + 1)) {
        by_list[static_cast<std::size_t>(i)] = 1;
        c.product = true;
        c.type = EntityType::kProduct;
        c.evidence = Evidence::kStrong;
      }
    }
    // Products named again in short or plural form: "787 Dreamliner" ... "Dreamliners",
    // "the Dreamliner"; "A380" ... "A380s".
    std::unordered_map<std::string, int> product_forms;
    for (int i = 0; i < static_cast<int>(cands_.size()); ++i) {
      const Cand& c = cands_[i];
      if (!c.product || c.dropped) continue;
      product_forms.emplace(entity_key(name_of(c), EntityType::kProduct), i);
      if (c.ntok > 1)
        product_forms.emplace(entity_key(ctx_.core(c.last_tok), EntityType::kProduct), i);
    }
    if (!product_forms.empty()) {
      for (Cand& c : cands_) {
        if (c.product || c.alias_of >= 0 || c.type == EntityType::kPerson ||
            c.type == EntityType::kLocation || c.ntok > 2)
          continue;
        if (c.evidence == Evidence::kStrong && c.type == EntityType::kOrganization && !c.all_caps)
          continue;  // a known organisation ("Boeing") is not its product
        std::string k = entity_key(name_of(c), EntityType::kProduct);
        auto it = product_forms.find(k);
        if (it == product_forms.end() && k.size() > 3 && k.back() == 's') {
          k.pop_back();
          it = product_forms.find(k);
        }
        if (it == product_forms.end()) continue;
        c.product = true;
        c.type = EntityType::kProduct;
        c.evidence = Evidence::kStrong;
        c.dropped = false;
      }
    }
    // Unknown names written the same as a typed one elsewhere take its type.
    std::unordered_map<std::string, EntityType> typed;
    for (const Cand& c : cands_)
      if (!c.dropped && c.evidence == Evidence::kStrong && c.alias_of < 0)
        typed.emplace(name_of(c), c.type);
    for (Cand& c : cands_) {
      if (c.evidence != Evidence::kNone || c.alias_of >= 0) continue;
      auto it = typed.find(name_of(c));
      if (it != typed.end()) {
        c.type = it->second;
        c.dropped = false;
      }
    }
    // An unknown word dropped at a sentence start ("Ryanair exercises options ...") is a
    // name when the article also writes it capitalised inside a sentence.
    bool any_initial_drop = false;
    for (const Cand& c : cands_)
      any_initial_drop = any_initial_drop || (c.initial_drop && c.dropped);
    if (any_initial_drop) {
      // By merge key, so that "Apple" finds "Apple Inc." (a single word's key is its
      // lowercase form; only longer names need entity_key).
      char buf[64];
      auto lower_name = [&](const Cand& c) {
        std::string n = name_of(c);
        for (char& ch : n)
          if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
        return n;
      };
      std::unordered_map<std::string, EntityType> inner;
      for (const Cand& c : cands_)
        if (!c.dropped && !(c.sentence_initial && c.ntok == 1) && c.alias_of < 0 &&
            !c.compound_part &&
            (c.type == EntityType::kOrganization || c.type == EntityType::kPerson ||
             c.type == EntityType::kLocation))
          inner.emplace(c.type == EntityType::kOrganization && c.ntok >= 2 &&
                                lex::is_legal_form(lower_into(c.last_word, buf, sizeof buf))
                            ? entity_key(name_of(c), c.type)
                            : lower_name(c),
                        c.type);
      for (Cand& c : cands_) {
        if (!c.initial_drop || !c.dropped) continue;
        auto it = inner.find(lower_name(c));
        if (it != inner.end()) {
          c.type = it->second;
          c.dropped = false;
        }
      }
    }
    link_short_org_names();
    link_short_product_names();
  }

  // Where a short form points: the first full name it fits, or -2 when full names with
  // different keys fit.
  struct ShortForm {
    int cand = -1;
    std::string key;
  };
  static void note_short_form(std::unordered_map<std::string, ShortForm>& m, std::string form,
                              int cand, const std::string& key) {
    auto [it, inserted] = m.try_emplace(std::move(form));
    if (inserted) {
      it->second.cand = cand;
      it->second.key = key;
    } else if (it->second.cand >= 0 && it->second.key != key) {
      it->second.cand = -2;
    }
  }

  // Short forms of a product the article names in full: "A380" or "A380s" for "Airbus
  // A380", "Dreamliner" for "Boeing 787 Dreamliner". Only when a single full name fits.
  void link_short_product_names() {
    std::unordered_map<std::string, ShortForm> suffixes;
    for (int i = 0; i < static_cast<int>(cands_.size()); ++i) {
      const Cand& c = cands_[i];
      if (c.dropped || c.alias_of >= 0 || !c.product || c.ntok < 2) continue;
      const std::string key = product_key(name_of(c));
      for (std::size_t sp = key.find(' '); sp != std::string::npos; sp = key.find(' ', sp + 1))
        note_short_form(suffixes, key.substr(sp + 1), i, key);
    }
    if (suffixes.empty()) return;
    for (int i = 0; i < static_cast<int>(cands_.size()); ++i) {
      Cand& c = cands_[i];
      if (c.dropped || c.alias_of >= 0 || !c.product) continue;
      auto it = suffixes.find(product_key(name_of(c)));
      if (it == suffixes.end() || it->second.cand < 0 || it->second.cand == i) continue;
      c.alias_of = it->second.cand;
    }
  }

  // Short forms of an organisation the article names in full: "Apple" for "Apple Computer",
  // "China Eastern" for "China Eastern Airlines", and "Air Force" for "US Air Force" (the
  // full name is a place and the short one). Only when a single full name fits.
  void link_short_org_names() {
    std::unordered_map<std::string, ShortForm> forms;
    char buf[64];
    for (int i = 0; i < static_cast<int>(cands_.size()); ++i) {
      const Cand& c = cands_[i];
      if (c.dropped || c.alias_of >= 0 || c.product || c.ntok < 2 ||
          c.type != EntityType::kOrganization)
        continue;
      const std::string name = name_of(c);
      const std::string& key = name;  // distinct spellings count as distinct full names
      for (std::size_t sp = name.find(' '); sp != std::string::npos; sp = name.find(' ', sp + 1)) {
        // Prefix: "Apple Computer" -> "Apple", not "Bank of America" -> "Bank".
        std::string_view rest = std::string_view(name).substr(sp + 1);
        std::string_view next = rest.substr(0, rest.find(' '));
        // Nor "Albany" for "Albany Police Department": bodies named after their town.
        std::string_view ln = lower_into(next, buf, sizeof buf);
        if (!lex::is_connector(ln) && !in_list(kLocalBodyWords, ln))
          note_short_form(forms, tagged('<', std::string_view(name).substr(0, sp)), i, key);
        // Suffix after a place: "US Air Force" -> "Air Force" (two words at least).
        if (rest.find(' ') == std::string_view::npos) continue;
        std::string lh;  // lowercase, without the periods of "U.S."
        for (std::size_t k = 0; k < sp; ++k)
          if (name[k] != '.')
            lh.push_back(name[k] >= 'A' && name[k] <= 'Z' ? name[k] + 32 : name[k]);
        if (lex::is_place(lh) || lex::is_demonym(lh) || !lex::place_key_alias(lh).empty())
          note_short_form(forms, tagged('>', rest), i, key);
      }
    }
    if (forms.empty()) return;
    std::string probe;
    for (int i = 0; i < static_cast<int>(cands_.size()); ++i) {
      Cand& c = cands_[i];
      if (c.alias_of >= 0 || c.product || c.compound_part) continue;
      if (c.dropped && !c.initial_drop) continue;
      if (c.type != EntityType::kOrganization && c.evidence == Evidence::kStrong) continue;
      // "in Wasilla" is no short "Wasilla Bible Church"; "Yvonne Hiller, 43," is a person
      // even when a headline ran her name into the words after it.
      if (c.loc_guess || (c.per_guess && c.ntok >= 2)) continue;
      const std::string name = name_of(c);
      probe.assign(1, '<').append(name);
      auto it = forms.find(probe);
      if (it == forms.end() && c.ntok >= 2 && !c.all_caps) {
        probe[0] = '>';
        it = forms.find(probe);
      }
      if (it == forms.end() || it->second.cand < 0 || it->second.cand == i) continue;
      // A word dropped at a sentence start comes back ("Corvane expects ..."), unless it is
      // shaped like an adjective: "Congressional lawmakers" is no "Congressional Record".
      if (c.dropped && looks_adjective(lower_into(name, buf, sizeof buf))) continue;
      if (c.ntok == 1) {
        std::string_view l = lower_into(name, buf, sizeof buf);
        if (lex::is_place(l) || lex::is_demonym(l) || lex::is_title_word(l) ||
            lex::is_org_word(l) || lex::is_place_word(l) || lex::is_common_word(l))
          continue;
      }
      c.alias_of = it->second.cand;
      c.type = EntityType::kOrganization;
      c.evidence = Evidence::kStrong;
      c.dropped = false;
    }
  }

  // Lowercase ASCII, periods dropped, hyphens as spaces: "Mac OS X" -> "mac os x".
  static std::string simple_key(std::string_view name) {
    std::string k;
    k.reserve(name.size());
    for (char ch : name) {
      if (ch == '.') continue;
      k.push_back(ch == '-' ? ' ' : (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch + 32) : ch);
    }
    return k;
  }

  // A short form tagged with its kind ('<' prefix, '>' suffix).
  static std::string tagged(char tag, std::string_view form) {
    std::string out;
    out.reserve(form.size() + 1);
    out.push_back(tag);
    out.append(form.data(), form.size());
    return out;
  }

  // simple_key with a plural last word made singular, as entity_key does for products.
  static std::string product_key(std::string_view name) {
    std::string k = simple_key(name);
    const std::size_t sp = k.rfind(' ');
    const std::size_t w = sp == std::string::npos ? k.size() : k.size() - sp - 1;
    if (w >= 4 && k.back() == 's' && k[k.size() - 2] != 's') k.pop_back();
    return k;
  }

  static bool looks_adjective(std::string_view l) {
    for (std::string_view suf : {"al", "ic", "ive", "ous", "ary", "ern", "ful", "less", "able",
                                 "ible", "ian", "ese", "ish"})
      if (l.size() > suf.size() + 2 && l.ends_with(suf)) return true;
    return false;
  }

  // Follows alias links to the candidate that names the group (bounded: links point to
  // candidates without links except for acronym chains of length two).
  int root(int i) const {
    for (int hops = 0; hops < 4 && cands_[i].alias_of >= 0; ++hops) i = cands_[i].alias_of;
    return i;
  }

  void emit() {
    emit_entities(
        ctx_, cands_, [this](int i) { return root(i); },
        [this](const Cand& c) { return name_of(c); },
        // The most words, then the longest; not an all-caps short form of a longer name.
        [this](const std::vector<int>& members) {
          const Cand* best = nullptr;
          int picked = members[0];
          for (int i : members) {
            const Cand& c = cands_[i];
            if (c.alias_of >= 0 && c.all_caps && cands_[root(i)].ntok > 1) continue;
            if (!best || c.ntok > best->ntok ||
                (c.ntok == best->ntok && c.end - c.begin > best->end - best->begin)) {
              best = &c;
              picked = i;
            }
          }
          return picked;
        },
        // A titled mention adds its title form; a name in another script, its transliteration.
        [this](int i, std::vector<std::string>& aliases) {
          const Cand& c = cands_[i];
          if (c.titled) {
            std::string titled(ctx_.text.substr(c.titled_begin, c.end - c.titled_begin));
            if (std::find(aliases.begin(), aliases.end(), titled) == aliases.end())
              aliases.push_back(std::move(titled));
          }
          if (!c.script_alias.empty() &&
              std::find(aliases.begin(), aliases.end(), c.script_alias) == aliases.end())
            aliases.push_back(c.script_alias);
        },
        out_);
  }

  const Context& ctx_;
  Analysis& out_;
  std::vector<char> consumed_;
  std::vector<Cand> cands_;
  std::unordered_map<std::string, int> acronyms_;
};

}  // namespace

void find_entities(const Context& ctx, Analysis& out) { EntityFinder(ctx, out).run(); }

}  // namespace storyline::understand::internal
