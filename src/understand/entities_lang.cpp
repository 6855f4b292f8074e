// Named entities in articles not in English: capitalised word sequences in Latin, Cyrillic
// and Greek script, typed by place names, organisation forms and person titles, merged within
// the article (a surname alone joins the full name); in caseless scripts (CJK, Arabic...)
// only the place names the tables hold in that script. Precision over recall: German
// capitalises every noun, so there a name needs evidence besides its capital.
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

// Elided articles and prepositions before a name: "l'Élysée", "dell'Italia", "d'Orsay".
constexpr std::string_view kElisions[] = {"l",    "d",  "dell", "all", "dall", "nell", "sull",
                                          "coll", "qu", "s",    "n",   "j",    "c",    "m",
                                          "t",    "un", "lo",   "de",  "del",  "na",   "no"};

// Legal forms written after a company's name, as they appear in the text.
constexpr std::string_view kLegalSuffixes[] = {
    "Sp. z o.o.", "sp. z o.o.", "S.p.A.", "S.r.l.", "S.A.S.", "S.A.", "S.L.", "B.V.",
    "N.V.",       "e.V.",       "Ltd.",   "Inc.",   "SpA",    "Srl",  "SAS",  "SA",
    "AG",         "GmbH",       "SE",     "KG",     "BV",     "NV",   "AB",   "ASA",
    "Oy",         "a.s.",       "s.r.o.", "Ltd",    "Inc"};

// Organisation forms written before the name (Russian, Ukrainian): ООО «...».
constexpr std::string_view kOrgPrefixes[] = {"ооо", "оао", "пао", "ао",   "зао",
                                             "нко", "тов", "пат", "прат", "ат"};

struct Cand {
  uint32_t begin = 0, end = 0;
  int first_tok = 0, last_tok = 0;
  int sentence = 0;
  int nwords = 0;
  EntityType type = EntityType::kOther;
  bool evidence = false;  // typed by something besides its capital letter
  bool dropped = false;
  int alias_of = -1;
  std::string last_lower;
};

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// "Putina" and "Putin", "Merkels" and "Merkel": one name inflected (up to two letters more),
// for languages that decline names.
// With `declines` (Russian, Ukrainian, Polish) the shorter may also change its last letter:
// "Набиуллина", "Набиуллиной".
bool inflection_of(std::string_view a, std::string_view b, bool declines) {
  if (a.size() < b.size()) std::swap(a, b);
  if (code_points(b) < 4 || code_points(a) - code_points(b) > 2) return false;
  if (a.starts_with(b)) return true;
  if (!declines) return false;
  std::size_t cut = b.size();
  while (cut > 0 && (static_cast<unsigned char>(b[cut - 1]) & 0xC0) == 0x80) --cut;
  if (cut > 0) --cut;  // the last letter's lead byte
  return code_points(b.substr(0, cut)) >= 4 && a.starts_with(b.substr(0, cut));
}

class LangEntityFinder {
 public:
  LangEntityFinder(const Context& ctx, const LanguageRules* rules, Analysis& out)
      : ctx_(ctx),
        rules_(rules),
        out_(out),
        declines_(rules && (rules == language_rules("ru") || rules == language_rules("uk") ||
                            rules == language_rules("pl"))) {}

  void run() {
    const int n = ctx_.size();
    lw8_.resize(static_cast<std::size_t>(n));
    name_begin_.assign(static_cast<std::size_t>(n), 0);
    for (int i = 0; i < n; ++i) {
      if (!ctx_.tokens[i].has(kWord)) continue;
      lw8_[i] = lower_utf8(ctx_.core(i));
      name_begin_[i] = ctx_.tokens[i].begin;
    }
    collect_sequences();
    // Words seen capitalised inside a sentence: evidence for the same word at a sentence
    // start (not in German, where every noun is capitalised).
    for (const Seq& q : seqs_)
      if (!q.initial && (!german() || q.words.size() > 1 || q.titled))
        for (int w : q.words) inner_words_.insert(lw8_[w]);
    for (Seq& q : seqs_) accept(q);
    find_script_places();
    resolve();
    emit();
  }

 private:
  struct Seq {
    std::vector<int> words;  // tokens of the name (connectors included)
    bool initial = false;    // the first word starts the sentence
    bool titled = false;     // a title stands before it
    bool org = false;        // an organisation form is part of it
    uint32_t end = 0;        // byte end (past a legal suffix)
  };

  bool german() const { return rules_ && rules_->nouns_capitalised; }
  bool word(int i) const { return i >= 0 && i < ctx_.size() && ctx_.tokens[i].has(kWord); }
  bool in(const std::unordered_set<std::string>* set, const std::string& w) const {
    return set && set->count(w) != 0;
  }
  const std::unordered_set<std::string>* set(
      std::unordered_set<std::string> LanguageRules::*m) const {
    return rules_ ? &(rules_->*m) : nullptr;
  }
  std::string_view name_text(int i) const {
    return ctx_.text.substr(name_begin_[i], ctx_.tokens[i].core_end - name_begin_[i]);
  }
  // Whether no word precedes token i in its sentence (scans from the sentence start, so it
  // stops at the sentence's first word).
  bool sentence_first_word(int i) const {
    const int s = ctx_.tokens[i].sentence;
    for (int k = ctx_.sentence_first[s]; k < i; ++k)
      if (ctx_.tokens[k].has(kWord)) return false;
    return true;
  }

  // A capitalised word that may be (part of) a name; sets name_begin_ past an elision.
  bool name_word(int i) {
    const Token& t = ctx_.tokens[i];
    if (!t.has(kWord) || t.has(kNumber)) return false;
    const std::string_view tok = ctx_.core(i);
    for (std::size_t a = 1; a < tok.size() && a <= 5; ++a) {
      std::size_t skip = 0;
      if (tok[a] == '\'') skip = 1;
      if (tok.compare(a, 3, "\xE2\x80\x99") == 0) skip = 3;
      if (skip == 0) continue;
      const std::string prefix = lower_utf8(tok.substr(0, a));
      if (std::find(std::begin(kElisions), std::end(kElisions), prefix) == std::end(kElisions))
        break;
      const std::string_view rest = tok.substr(a + skip);
      if (rest.empty()) return false;
      int32_t k = 0;
      UChar32 c;
      U8_NEXT(rest.data(), k, static_cast<int32_t>(rest.size()), c);
      if (c < 0 || !u_isupper(c)) return false;
      const std::string rest_lower = lower_utf8(rest);
      name_begin_[i] = t.begin + static_cast<uint32_t>(a + skip);
      lw8_[i] = rest_lower;
      return true;
    }
    return t.has(kCap);
  }

  bool first_name(int i) const { return lex::is_first_name(name_text(i)); }
  bool org_word(const std::string& l) const {
    if (in(set(&LanguageRules::org_words), l)) return true;
    char buf[64];
    return l.size() < sizeof buf && lex::is_org_word(lower_into(l, buf, sizeof buf));
  }
  bool place(const std::string& l) const {
    if (in(set(&LanguageRules::places), l)) return true;
    if (lex::is_place(l)) return true;
    // German genitive: "Frankreichs".
    if (german()) return l.size() > 4 && l.back() == 's' && place(l.substr(0, l.size() - 1));
    // Declined forms ("Москве", "Warszawie", "Санкт-Петербурге"): the stem without one or
    // two final letters, as is or with the nominative ending.
    if (!declines_ || code_points(l) < 5) return false;
    std::string stem = l;
    for (int k = 0; k < 2; ++k) {
      while (!stem.empty() && (static_cast<unsigned char>(stem.back()) & 0xC0) == 0x80)
        stem.pop_back();
      stem.pop_back();
      for (std::string_view end : {"", "a", "\xD0\xB0", "\xD1\x8F"})  // "", a, а, я
        if (rules_->places.count(stem + std::string(end))) return true;
    }
    return false;
  }
  // Word-level evidence that a word belongs to a name.
  bool known(int i) const {
    const std::string& l = lw8_[i];
    return first_name(i) || place(l) || org_word(l) || lex::is_org_name(l) ||
           in(set(&LanguageRules::titles), l) ||
           (ctx_.tokens[i].has(kAllCaps) && !in(set(&LanguageRules::stop), l));
  }

  void collect_sequences() {
    const int n = ctx_.size();
    int i = 0;
    while (i < n) {
      // Russian and Ukrainian organisation forms before the name: ООО «Ромашка».
      if (word(i) && ctx_.tokens[i].has(kAllCaps) &&
          std::find(std::begin(kOrgPrefixes), std::end(kOrgPrefixes), lw8_[i]) !=
              std::end(kOrgPrefixes)) {
        if (const int next = quoted_org(i); next > i) {
          i = next;
          continue;
        }
      }
      if (!name_word(i)) {
        ++i;
        continue;
      }
      Seq q;
      int j = i;
      const int s = ctx_.tokens[i].sentence;
      // Longer runs are no single name (and keep the splitting in accept() shallow).
      constexpr std::size_t kMaxWords = 12;
      while (j < n && ctx_.tokens[j].sentence == s && q.words.size() < kMaxWords) {
        if (j > i && !ctx_.tokens[j].has(kWord)) break;
        if (j > i && name_begin_[j] == ctx_.tokens[j].begin && name_word(j) &&
            !in(set(&LanguageRules::stop), lw8_[j])) {
          q.words.push_back(j++);
          continue;
        }
        if (j == i) {
          q.words.push_back(j++);
          continue;
        }
        // Lowercase connectors inside a name, after a first name or an organisation word:
        // "Ursula von der Leyen", "Banco de España".
        int k = j;
        while (k < n && k < j + 2 && word(k) && ctx_.tokens[k].has(kLower) &&
               in(set(&LanguageRules::connectors), lw8_[k]))
          ++k;
        const int prev = q.words.back();
        if (k > j && k < n && ctx_.tokens[k].sentence == s && ctx_.tokens[k].has(kCap) &&
            !ctx_.tokens[k].has(kNumber) && (first_name(prev) || org_word(lw8_[prev]))) {
          for (int c = j; c <= k; ++c) q.words.push_back(c);
          j = k + 1;
          continue;
        }
        break;
      }
      q.initial = sentence_first_word(i) && name_begin_[i] == ctx_.tokens[i].begin;
      q.end = ctx_.tokens[q.words.back()].core_end;
      legal_suffix(q);
      // The next scan starts after the sequence (and any legal suffix).
      int next = q.words.back() + 1;
      while (next < n && ctx_.tokens[next].begin < q.end) ++next;
      seqs_.push_back(std::move(q));
      i = next;
    }
  }

  // "Orlen S.A.", "Siemens AG", "Kowalski Sp. z o.o.": extends q over the suffix.
  // The legal form written at `p`, followed by no letter; empty when none.
  std::string_view suffix_at(std::size_t p) const {
    for (std::string_view suf : kLegalSuffixes) {
      if (ctx_.text.compare(p, suf.size(), suf) != 0) continue;
      const std::size_t e = p + suf.size();
      if (e < ctx_.text.size()) {
        const unsigned char c = static_cast<unsigned char>(ctx_.text[e]);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80) continue;
      }
      return suf;
    }
    return {};
  }

  void legal_suffix(Seq& q) {
    // A suffix the sequence took in part ("Telefónica S" of "S.A.", "Siemens AG").
    for (std::size_t k = 1; k < q.words.size(); ++k) {
      const uint32_t b = ctx_.tokens[q.words[k]].begin;
      if (const std::string_view suf = suffix_at(b); !suf.empty()) {
        q.words.resize(k);
        q.org = true;
        q.end = b + static_cast<uint32_t>(suf.size());
        return;
      }
    }
    std::size_t p = q.end;
    if (p < ctx_.text.size() && ctx_.text[p] == ',') ++p;
    if (p >= ctx_.text.size() || ctx_.text[p] != ' ') return;
    ++p;
    if (const std::string_view suf = suffix_at(p); !suf.empty()) {
      q.org = true;
      q.end = static_cast<uint32_t>(p + suf.size());
    }
  }

  // ООО «Ромашка»: the quoted words after an organisation form.
  int quoted_org(int i) {
    const int n = ctx_.size();
    int j = i + 1;
    if (j >= n || ctx_.tokens[j].has(kWord)) return i;
    const std::string_view open = ctx_.tok(j);
    if (open != "\xC2\xAB" && open != "\"" && open != "\xE2\x80\x9E" && open != "\xE2\x80\x9C")
      return i;
    Seq q;
    int k = j + 1;
    for (; k < n && k < j + 8 && ctx_.tokens[k].has(kWord); ++k) q.words.push_back(k);
    if (q.words.empty() || k >= n || ctx_.tokens[k].has(kWord)) return i;
    q.org = true;
    q.end = ctx_.tokens[q.words.back()].core_end;
    seqs_.push_back(std::move(q));
    return k + 1;
  }

  void accept(Seq& q) {
    // German nouns stand next to names ("in Hamburg Vertreter der ..."): a place name inside
    // a longer sequence splits it.
    // An acronym before a name of two or more words is a name of its own: "ЦБ Эльвира
    // Набиуллина".
    for (std::size_t k = 0; k + 2 < q.words.size() && !q.org && !german(); ++k) {
      if (!ctx_.tokens[q.words[k]].has(kAllCaps) || ctx_.tokens[q.words[k + 1]].has(kAllCaps))
        continue;
      Seq before = q, at = q, rest = q;
      before.words.assign(q.words.begin(), q.words.begin() + static_cast<long>(k));
      at.words.assign(1, q.words[k]);
      at.initial = q.initial && k == 0;
      at.end = ctx_.tokens[q.words[k]].core_end;
      rest.words.assign(q.words.begin() + static_cast<long>(k) + 1, q.words.end());
      rest.initial = false;
      if (!before.words.empty()) {
        before.end = ctx_.tokens[before.words.back()].core_end;
        accept(before);
      }
      accept(at);
      accept(rest);
      return;
    }
    bool other_known = false;
    for (int t : q.words)
      if (!place(lw8_[t]) && known(t)) other_known = true;
    if (german() && q.words.size() > 1 && !q.org && !other_known) {
      std::string whole;
      for (int t : q.words) whole += (whole.empty() ? "" : " ") + lw8_[t];
      if (!place(whole)) {
        for (std::size_t k = 0; k < q.words.size(); ++k) {
          if (!place(lw8_[q.words[k]])) continue;
          Seq before = q, at = q, after = q;
          before.words.assign(q.words.begin(), q.words.begin() + static_cast<long>(k));
          at.words.assign(1, q.words[k]);
          after.words.assign(q.words.begin() + static_cast<long>(k) + 1, q.words.end());
          at.initial = q.initial && k == 0;
          after.initial = false;
          at.end = ctx_.tokens[q.words[k]].core_end;
          if (!before.words.empty()) {
            before.end = ctx_.tokens[before.words.back()].core_end;
            accept(before);
          }
          accept(at);
          if (!after.words.empty()) accept(after);
          return;
        }
      }
    }
    std::vector<int>& w = q.words;
    const int first_tok = w.front();
    // Sentence-initial function words ("Der", "Les", "Según") and, at a sentence start, any
    // first word with no evidence of being a name.
    if (q.initial) {
      while (!w.empty() && in(set(&LanguageRules::stop), lw8_[w.front()])) {
        w.erase(w.begin());
        q.initial = false;
      }
      if (q.initial && !q.org && !w.empty() && !known(w.front()) &&
          !inner_words_.count(lw8_[w.front()])) {
        w.erase(w.begin());
        q.initial = false;
      }
    }
    // Titles: "Präsident", "Herr", or a lowercase title before the name ("le président").
    bool titled = false;
    while (!w.empty() && in(set(&LanguageRules::titles), lw8_[w.front()])) {
      w.erase(w.begin());
      titled = true;
    }
    // A connector cannot start or end a name.
    auto connector = [&](int t) {
      return ctx_.tokens[t].has(kLower) && name_begin_[t] == ctx_.tokens[t].begin;
    };
    while (!w.empty() && connector(w.front())) w.erase(w.begin());
    while (!w.empty() && connector(w.back())) w.pop_back();
    if (w.empty()) return;
    if (!titled) {
      for (int k = first_tok - 1; k >= 0 && k >= first_tok - 2; --k) {
        if (!word(k) || ctx_.tokens[k].sentence != ctx_.tokens[first_tok].sentence) break;
        // Capitalised titles are part of the sequence (stripped above); the word before is
        // a name or a title of another one ("Глава ЦБ ...").
        if (ctx_.tokens[k].has(kCap) || ctx_.tokens[k].has(kAllCaps)) break;
        if (in(set(&LanguageRules::titles), lw8_[k])) {
          titled = true;
          break;
        }
      }
    }
    q.titled = titled;
    Cand c;
    c.first_tok = w.front();
    c.last_tok = w.back();
    c.begin = name_begin_[w.front()];
    c.end =
        q.org && q.end > ctx_.tokens[w.back()].core_end ? q.end : ctx_.tokens[w.back()].core_end;
    c.sentence = ctx_.tokens[w.front()].sentence;
    c.nwords = static_cast<int>(w.size());
    c.last_lower = lw8_[w.back()];
    const std::string lower = lower_utf8(ctx_.text.substr(c.begin, c.end - c.begin));
    bool any_org = q.org, any_known = false;
    for (int t : w) {
      // A German noun such as "Regierung" or "Bank" alone names no organisation.
      if (org_word(lw8_[t]) && !(german() && w.size() == 1)) any_org = true;
      if (known(t)) any_known = true;
    }
    if (c.nwords == 1 && lex::is_non_entity(lower)) return;
    if (c.nwords == 1 && in(set(&LanguageRules::stop), lower)) return;
    if (place(lower) || (c.nwords == 1 && place(lw8_[w.front()]))) {
      c.type = EntityType::kLocation;
      c.evidence = true;
    } else if (any_org || lex::is_org_name(lower)) {
      c.type = EntityType::kOrganization;
      c.evidence = true;
    } else if (titled || (c.nwords >= 2 && first_name(w.front()))) {
      c.type = EntityType::kPerson;
      c.evidence = true;
    } else if (c.nwords == 1 && ctx_.tokens[w.front()].has(kAllCaps)) {
      c.type = EntityType::kOrganization;  // acronyms: parties, agencies, companies
      c.evidence = true;
    }
    // Without evidence: German needs two words and one known word or the name repeated
    // (nouns are capitalised); Dutch adjectives of nationality ("Nederlandse") are not names.
    if (!c.evidence) {
      if (german() && (c.nwords < 2 || !any_known)) c.dropped = true;
      if (rules_ && rules_ == language_rules("nl") && c.nwords == 1 &&
          (lower.ends_with("se") || lower.ends_with("sche")))
        c.dropped = true;
    }
    cands_.push_back(std::move(c));
  }

  void find_script_places() {
    std::size_t covered = 0;  // end of the last name found
    for (int i = 0; i < ctx_.size(); ++i) {
      const Token& t = ctx_.tokens[i];
      if (!t.has(kWord) || !t.has(kNoCase)) continue;
      std::size_t p = t.begin;
      while (p < t.end) {
        const std::string_view name = script_place_at(ctx_.text, p);
        // A name may run into the next token only over a space ("תל אביב").
        if (name.empty() || p < covered ||
            (p + name.size() > t.end && name.find(' ') == std::string_view::npos)) {
          ++p;
          while (p < t.end && (static_cast<unsigned char>(ctx_.text[p]) & 0xC0) == 0x80) ++p;
          continue;
        }
        Cand c;
        c.begin = static_cast<uint32_t>(p);
        c.end = static_cast<uint32_t>(p + name.size());
        c.first_tok = c.last_tok = i;
        c.sentence = t.sentence;
        c.nwords = 1;
        c.type = EntityType::kLocation;
        c.evidence = true;
        c.last_lower = std::string(name);
        cands_.push_back(std::move(c));
        p += name.size();
        covered = p;
      }
    }
  }

  // The first four letters of a word: every pair inflection_of() accepts shares them, as
  // does every pair of equal words (the look-ups below stay linear in the candidates).
  static std::string prefix_key(const std::string& w) {
    std::size_t i = 0;
    for (int n = 0; i < w.size() && n < 4; ++n) {
      ++i;
      while (i < w.size() && (static_cast<unsigned char>(w[i]) & 0xC0) == 0x80) ++i;
    }
    return w.substr(0, i);
  }

  void resolve() {
    // Full names by their last word (distinct names only); a single word that is (an
    // inflection of) one of them joins it. German single words with no evidence are kept
    // only this way.
    std::unordered_map<std::string, std::vector<int>> full;
    std::unordered_set<std::string> seen_full;
    for (int i = 0; i < static_cast<int>(cands_.size()); ++i) {
      const Cand& c = cands_[i];
      if (c.dropped || c.nwords < 2 || c.type == EntityType::kLocation) continue;
      if (seen_full.insert(name_of(c)).second) full[prefix_key(c.last_lower)].push_back(i);
    }
    for (Cand& c : cands_) {
      if (c.nwords != 1 || c.type == EntityType::kLocation || c.type == EntityType::kOrganization)
        continue;
      auto it = full.find(prefix_key(c.last_lower));
      if (it == full.end()) continue;
      int match = -1, count = 0;
      for (int f : it->second) {
        const Cand& fc = cands_[f];
        if (fc.last_lower == c.last_lower ||
            inflection_of(fc.last_lower, c.last_lower, declines_)) {
          ++count;
          if (match < 0) match = f;
        }
      }
      if (count == 1) {
        c.alias_of = match;
        c.dropped = false;
        c.type = cands_[match].type;
      }
    }
    // A name inflected in another mention of the same type ("Putina", "Putin"): one entity,
    // rooted at the first form seen.
    std::unordered_map<std::string, std::vector<int>> singles;  // distinct forms and types
    for (int i = 0; i < static_cast<int>(cands_.size()); ++i) {
      Cand& c = cands_[i];
      if (c.dropped || c.alias_of >= 0 || c.nwords != 1) continue;
      std::vector<int>& group = singles[prefix_key(c.last_lower)];
      bool same_form = false;
      for (int j : group) {
        const Cand& d = cands_[j];
        if (d.type != c.type) continue;
        if (d.last_lower == c.last_lower) {
          same_form = true;
        } else if (c.alias_of < 0 && inflection_of(d.last_lower, c.last_lower, declines_)) {
          c.alias_of = j;
        }
      }
      if (!same_form && c.alias_of < 0) group.push_back(i);
    }
  }

  std::string name_of(const Cand& c) const {
    return std::string(ctx_.text.substr(c.begin, c.end - c.begin));
  }
  int root(int i) const {
    for (int guard = 0; cands_[i].alias_of >= 0 && guard < 8; ++guard) i = cands_[i].alias_of;
    return i;
  }

  void emit() {
    emit_entities(
        ctx_, cands_, [this](int i) { return root(i); },
        [this](const Cand& c) { return name_of(c); },
        // The first of the most words.
        [this](const std::vector<int>& members) {
          int best = members[0];
          for (int i : members)
            if (cands_[i].nwords > cands_[best].nwords) best = i;
          return best;
        },
        [](int, std::vector<std::string>&) {}, out_);
  }

  const Context& ctx_;
  const LanguageRules* rules_;
  Analysis& out_;
  const bool declines_;  // names take case endings (Russian, Ukrainian, Polish)
  std::vector<std::string> lw8_;
  std::vector<uint32_t> name_begin_;
  std::vector<Seq> seqs_;
  std::vector<Cand> cands_;
  std::unordered_set<std::string> inner_words_;
};

}  // namespace

void find_entities_lang(const Context& ctx, const LanguageRules* rules, Analysis& out) {
  LangEntityFinder(ctx, rules, out).run();
}

}  // namespace storyline::understand::internal
