// Quotations in languages other than English: direct quotes in the language's quotation
// marks (« », „ “, “ ”, ‚ ‘, » «) and reported speech ("a déclaré que", "sagte, dass",
// "сказал, что"), each with its speaker found by the language's reporting verbs
// (LanguageRules::Speech): a name, a role ("le porte-parole", "der Sprecher") or a pronoun
// resolved to the last person named before it.
#include <algorithm>
#include <string>
#include <vector>

#include "understand/internal.h"

namespace storyline::understand::internal {
namespace {

// How far (in tokens) a cue may stand from its quotation or subject.
constexpr int kMaxBack = 60;
// How far back a pronoun or a role looks for the person it stands for.
constexpr int kLookBack = 400;

constexpr std::string_view kGuillemetOpen = "\xC2\xAB";    // «
constexpr std::string_view kGuillemetClose = "\xC2\xBB";   // »
constexpr std::string_view kLowDouble = "\xE2\x80\x9E";    // „
constexpr std::string_view kLowSingle = "\xE2\x80\x9A";    // ‚
constexpr std::string_view kLeftDouble = "\xE2\x80\x9C";   // “
constexpr std::string_view kRightDouble = "\xE2\x80\x9D";  // ”
constexpr std::string_view kLeftSingle = "\xE2\x80\x98";   // ‘
constexpr std::string_view kRightSingle = "\xE2\x80\x99";  // ’

using Region = QuoteRegion;
using Speaker = QuoteSpeaker;

// Whether `close` ends a quotation opened by `open`. German and Polish open low („) and
// close with “ or ”; French, Russian and others pair « »; Danish/German books write » «.
bool closes(std::string_view open, std::string_view close) {
  if (open == kGuillemetOpen) return close == kGuillemetClose;
  if (open == kGuillemetClose) return close == kGuillemetOpen;
  if (open == kLowDouble) return close == kLeftDouble || close == kRightDouble;
  if (open == kLowSingle) return close == kLeftSingle || close == kRightSingle;
  if (open == kLeftDouble) return close == kRightDouble;
  if (open == kLeftSingle) return close == kRightSingle;
  return open == "\"" && close == "\"";
}

bool opens(std::string_view p) {
  return p == kGuillemetOpen || p == kLowDouble || p == kLowSingle || p == kLeftDouble ||
         p == kLeftSingle || p == "\"" || p == kGuillemetClose;
}

bool dash_or_comma(std::string_view p) {
  return p == "," || p == "-" || p == "\xE2\x80\x94" || p == "\xE2\x80\x93";
}

class LangQuoteFinder {
 public:
  LangQuoteFinder(const Context& ctx, const LanguageRules& rules, Analysis& out)
      : ctx_(ctx), rules_(rules), sp_(rules.speech), out_(out) {}

  void run() {
    lower_words();
    mention_at_ = mention_per_token(ctx_, out_);
    const int n = ctx_.size();
    regions_ = find_quote_regions(
        ctx_,
        [&](int i, std::string_view mark) {
          // An opening mark stands before a word (» opens only in the » « style, before a
          // word).
          const bool letter_after = i + 1 < n && ctx_.tokens[i + 1].begin == ctx_.tokens[i].end;
          return opens(mark) && (letter_after || mark != kGuillemetClose);
        },
        [](int, std::string_view mark, std::string_view open_mark) {
          return closes(open_mark, mark);
        });
    in_quote_ = quoted_tokens(ctx_, regions_);
    walk_quote_sentences(
        ctx_, regions_, [this](const Region& r, int s0, int s1) { quote(r, s0, s1); },
        [this](int s0, int s1, bool had_quote) {
          if (!had_quote) reported(s0, s1);
        },
        [this] { last_speaker_ = Speaker{}; });
  }

 private:
  bool word(int i) const { return i >= 0 && i < ctx_.size() && ctx_.tokens[i].has(kWord); }
  bool quoted(int i) const { return in_quote_[static_cast<std::size_t>(i)] != 0; }
  std::string_view tok(int i) const { return ctx_.tok(i); }
  // The token lowercased (UTF-8), empty for punctuation.
  std::string_view lw(int i) const {
    if (i < 0 || i >= ctx_.size()) return {};
    const std::size_t k = static_cast<std::size_t>(i);
    return std::string_view(lower8_).substr(lower_at_[k], lower_len_[k]);
  }
  bool in(const std::unordered_set<std::string>& set, std::string_view w) const {
    if (w.empty()) return false;
    probe_.assign(w);
    return set.count(probe_) != 0;
  }
  int mention(int i) const {
    return i >= 0 && i < ctx_.size() ? mention_at_[static_cast<std::size_t>(i)] : -1;
  }
  EntityType type_of(int i) const {
    const int m = mention(i);
    return m < 0 ? EntityType::kOther : out_.mentions[static_cast<std::size_t>(m)].type;
  }
  Span span_of(int first, int last) const {
    return Span{ctx_.tokens[first].begin, ctx_.tokens[last].core_end};
  }

  // All word tokens lowercased into one buffer (two allocations per article, none per token).
  void lower_words() {
    const int n = ctx_.size();
    lower_at_.assign(static_cast<std::size_t>(n), 0);
    lower_len_.assign(static_cast<std::size_t>(n), 0);
    lower8_.clear();
    lower8_.reserve(ctx_.text.size());
    for (int i = 0; i < n; ++i) {
      if (!ctx_.tokens[i].has(kWord)) continue;
      const std::string_view w = ctx_.core(i);
      lower_at_[static_cast<std::size_t>(i)] = static_cast<uint32_t>(lower8_.size());
      append_lower_utf8(w, lower8_);
      lower_len_[static_cast<std::size_t>(i)] =
          static_cast<uint32_t>(lower8_.size()) - lower_at_[static_cast<std::size_t>(i)];
    }
  }

  // A French inversion "dit-il", "a-t-elle": the word before the first hyphen, and whether
  // the word ends in a subject pronoun.
  bool inverted(int k, std::string_view* head) const {
    if (!ctx_.tokens[k].has(kHyphen)) return false;
    const std::string_view w = lw(k);
    const std::size_t first = w.find('-'), last = w.rfind('-');
    if (first == std::string_view::npos) return false;
    if (!in(sp_.pronouns, w.substr(last + 1))) return false;
    *head = w.substr(0, first);
    return true;
  }

  // A reporting cue starting at k: [auxiliary] verb, or an inversion ("a-t-il déclaré",
  // "dit-elle"). Returns the verb token, -1 when none; *next is the token after the cue and
  // *pronoun the inverted pronoun's token (or -1).
  int cue_at(int k, int limit, int* next, int* pronoun) const {
    *pronoun = -1;
    if (!word(k) || k >= limit || quoted(k)) return -1;
    std::string_view head;
    if (inverted(k, &head)) {
      if (in(sp_.verbs, head)) {
        *pronoun = k;
        *next = k + 1;
        return k;
      }
      if (in(sp_.auxiliaries, head) && word(k + 1) && k + 1 < limit && in(sp_.verbs, lw(k + 1))) {
        *pronoun = k;
        *next = k + 2;
        return k + 1;
      }
      return -1;
    }
    if (in(sp_.verbs, lw(k))) {
      *next = k + 1;
      return k;
    }
    if (in(sp_.auxiliaries, lw(k)) && word(k + 1) && k + 1 < limit && in(sp_.verbs, lw(k + 1))) {
      *next = k + 2;
      return k + 1;
    }
    return -1;
  }

  // Length in tokens of an "according to" phrase at k ("selon", "по словам"), 0 when none.
  int according_at(int k, const std::unordered_set<std::string>& set) const {
    if (!word(k) || quoted(k)) return 0;
    if (in(set, lw(k))) return 1;
    std::string joined(lw(k));
    for (int len = 2; len <= 3; ++len) {
      if (!word(k + len - 1)) return 0;
      joined.append(" ").append(lw(k + len - 1));
      if (in(set, joined)) return len;
    }
    return 0;
  }

  // "l'avocat" -> "avocat": the word after an elided article.
  static std::string_view after_elision(std::string_view w) {
    for (std::size_t i = 1; i <= 4 && i < w.size(); ++i) {
      if (w[i] == '\'') return w.substr(i + 1);
      if (w.compare(i, kRightSingle.size(), kRightSingle) == 0)
        return w.substr(i + kRightSingle.size());
    }
    return w;
  }
  bool role_word(int k) const {
    const std::string_view w = lw(k);
    return in(sp_.roles, w) || in(sp_.roles, after_elision(w));
  }

  Speaker from_mention(int k) const {
    Speaker sp;
    const int m = mention(k);
    if (m < 0) return sp;
    const Mention& mm = out_.mentions[static_cast<std::size_t>(m)];
    sp.entity = mm.entity;
    if (mm.entity >= 0) sp.name = out_.entities[static_cast<std::size_t>(mm.entity)].name;
    sp.span = mm.span;
    sp.found = true;
    return sp;
  }

  // The last person named before token k outside quotations (for pronouns).
  Speaker person_before(int k) const {
    for (int j = k - 1; j >= 0 && j >= k - kLookBack; --j)
      if (mention(j) >= 0 && !quoted(j) && type_of(j) == EntityType::kPerson) {
        Speaker sp = from_mention(j);
        sp.span = Span{};
        return sp;
      }
    return {};
  }

  Speaker pronoun(int k) const {
    Speaker sp = person_before(k);
    sp.span = span_of(k, k);
    sp.found = true;
    return sp;
  }

  // A role phrase first..last ("le porte-parole", "der Sprecher der Regierung"): the person
  // named earlier with that role right before the name, else the role as written.
  Speaker role(int first, int head, int last) const {
    Speaker sp;
    sp.span = span_of(first, last);
    sp.found = true;
    const std::string_view h = after_elision(lw(head));
    for (int j = first - 1; j > 0 && j >= first - kLookBack; --j) {
      if (mention(j) < 0 || mention(j - 1) == mention(j) || type_of(j) != EntityType::kPerson)
        continue;
      if (word(j - 1) && after_elision(lw(j - 1)) == h) {
        const Speaker named = from_mention(j);
        sp.name = named.name;
        sp.entity = named.entity;
        return sp;
      }
    }
    sp.name = std::string(ctx_.text.substr(sp.span.begin, sp.span.end - sp.span.begin));
    return sp;
  }

  // The speaker named at k (before `limit`): a pronoun, a name (after articles and titles)
  // or a role phrase.
  Speaker named_at(int k, int limit) const {
    if (!word(k) || k >= limit) return {};
    if (in(sp_.pronouns, lw(k))) return pronoun(k);
    const int first = k;
    // Articles, titles ("M.", "Herr", "el ministro") and roles before a name.
    while (k < limit && k < first + 5 && mention(k) < 0) {
      if (word(k) && (in(sp_.determiners, lw(k)) || in(rules_.titles, lw(k)) ||
                      (role_word(k) && mention(k + 1) >= 0))) {
        ++k;
      } else if (k > first && tok(k) == "." && word(k - 1) && in(rules_.titles, lw(k - 1))) {
        ++k;
      } else {
        break;
      }
    }
    // Any name next to a reporting cue speaks, whatever type its words alone gave it.
    if (k < limit && mention(k) >= 0) return from_mention(k);
    for (int h = first; h < limit && h < first + 3 && word(h); ++h) {
      if (!role_word(h)) continue;
      // The role with what follows it up to punctuation ("представитель МИД").
      int last = h;
      while (last + 1 < limit && last < h + 4 && word(last + 1) && !quoted(last + 1) &&
             !in(sp_.verbs, lw(last + 1)))
        ++last;
      return role(first, h, last);
    }
    return {};
  }

  // The subject before the cue at `cue` in the clause starting at s0: nearest pronoun or
  // person, else a role, else an organisation.
  Speaker subject_before(int s0, int cue) const {
    s0 = std::max(s0, cue - kMaxBack);
    int org = -1, role_head = -1;
    for (int k = cue - 1; k >= s0; --k) {
      if (!word(k)) {
        if (tok(k) == ";" || tok(k) == ":") break;
        continue;
      }
      if (quoted(k)) break;
      if (in(sp_.pronouns, lw(k)) && role_head < 0 && org < 0) return pronoun(k);
      const int m = mention(k);
      if (m >= 0 && type_of(k) == EntityType::kPerson && role_head < 0) return from_mention(k);
      if (m >= 0 && type_of(k) == EntityType::kOrganization && org < 0) org = k;
      if (m < 0 && role_head < 0 && role_word(k)) role_head = k;
    }
    if (role_head >= 0) {
      // "der Sprecher der Regierung": the phrase's head is its first role word.
      for (int k = role_head - 1; k >= s0 && k >= role_head - 3 && word(k) && !quoted(k); --k)
        if (mention(k) < 0 && role_word(k)) role_head = k;
      int first = role_head;
      if (word(first - 1) && first - 1 >= s0 && in(sp_.determiners, lw(first - 1))) --first;
      int last = cue - 1;
      while (last > role_head && (!word(last) || in(sp_.auxiliaries, lw(last)))) --last;
      last = std::min(last, role_head + 4);
      return role(first, role_head, last);
    }
    if (org >= 0) return from_mention(org);
    return {};
  }

  void set_cue(Quote& q, int first, int last) const {
    q.cue_span = span_of(first, last);
    q.cue = std::string(ctx_.text.substr(q.cue_span.begin, q.cue_span.end - q.cue_span.begin));
  }

  // The speaker after a quotation: "», a déclaré le ministre", "“, sagte sie", "», selon X",
  // "“, so Merkel", "» – Kowalski powiedział".
  Speaker after_quote(int k, int s1, int* cue_first, int* cue_last) const {
    while (k < s1 && !word(k)) {
      if (!dash_or_comma(tok(k))) return {};
      ++k;
    }
    if (k >= s1) return {};
    int len = according_at(k, sp_.according);
    if (len == 0) len = according_at(k, sp_.after_quote);
    if (len > 0) {
      *cue_first = k;
      *cue_last = k + len - 1;
      return named_at(k + len, s1);
    }
    int next = 0, pron = -1;
    const int verb = cue_at(k, s1, &next, &pron);
    if (verb >= 0) {
      *cue_first = k;
      *cue_last = verb;
      if (pron >= 0) return pronoun(pron);
      Speaker sp = named_at(next, s1);
      // "», ha aggiunto.", "» – dodał.": languages that drop the subject pronoun; the
      // speaker is the one quoted last, else the last person named.
      if (!sp.found && (next >= s1 || !word(next))) {
        sp = last_speaker_.found ? last_speaker_ : person_before(k);
        sp.span = Span{};
        sp.found = sp.found || sp.entity >= 0;
      }
      return sp;
    }
    // Subject first, then the verb within three words.
    Speaker sp = named_at(k, s1);
    if (!sp.found) return {};
    int after = k;
    while (after < s1 && word(after) && after < k + 6 &&
           (mention(after) >= 0 || in(sp_.determiners, lw(after)) || role_word(after) ||
            in(sp_.pronouns, lw(after))) &&
           cue_at(after, s1, &next, &pron) < 0)
      ++after;
    for (int j = after; j < s1 && j < after + 2 && word(j); ++j) {
      const int v = cue_at(j, s1, &next, &pron);
      if (v >= 0) {
        *cue_first = j;
        *cue_last = v;
        return sp;
      }
    }
    return {};
  }

  // The speaker before a quotation: "X a déclaré : « … »", "Selon X, « … »", "sagte
  // Merkel: „…“".
  Speaker before_quote(int open, int s0, int* cue_first, int* cue_last) const {
    for (int k = open - 1; k >= s0 && k >= open - 15; --k) {
      if (!word(k)) continue;
      if (quoted(k)) break;
      const int len = according_at(k, sp_.according);
      if (len > 0) {
        *cue_first = k;
        *cue_last = k + len - 1;
        return named_at(k + len, open);
      }
      int next = 0, pron = -1;
      int first = k;
      // "a déclaré": the auxiliary starts the cue.
      if (word(k - 1) && k - 1 >= s0 && in(sp_.auxiliaries, lw(k - 1))) first = k - 1;
      const int verb = cue_at(first, open, &next, &pron);
      if (verb < 0) continue;
      *cue_first = first;
      *cue_last = verb;
      if (pron >= 0) return pronoun(pron);
      Speaker sp = subject_before(s0, first);
      if (!sp.found) sp = named_at(next, open);  // "declaró el ministro: «…»"
      return sp;
    }
    return {};
  }

  void quote(const Region& r, int s0, int s1) {
    int cue_first = -1, cue_last = -1;
    Speaker sp = after_quote(r.close + 1, s1, &cue_first, &cue_last);
    if (!sp.found) {
      cue_first = cue_last = -1;
      sp = before_quote(r.open, s0, &cue_first, &cue_last);
    }
    const bool short_quote = r.words <= 2;
    bool continued = false;
    if (!sp.found && !short_quote && r.open == s0 && last_speaker_.found) {
      // The previous speaker goes on in the same paragraph.
      sp = last_speaker_;
      sp.span = Span{};
      continued = true;
    }
    if (!sp.found && short_quote) return;  // scare quotes
    Quote q = direct_quote(ctx_, r, sp);
    q.partial = (r.open - 1 >= s0 && word(r.open - 1)) ||
                (r.open + 1 < ctx_.size() && ctx_.tokens[r.open + 1].has(kLower));
    if (cue_first >= 0) {
      set_cue(q, cue_first, cue_last);
    } else if (continued) {
      q.cue = last_cue_;
    }
    if (sp.found && !continued) {
      last_speaker_ = sp;
      last_cue_ = q.cue;
    }
    out_.quotes.push_back(std::move(q));
  }

  void add_reported(int first, int last, const Speaker& sp, int cue_first, int cue_last) {
    while (first <= last && !word(first)) ++first;
    while (last >= first && !word(last)) --last;
    if (last - first < 2) return;
    Quote q;
    q.span = Span{ctx_.tokens[first].begin, ctx_.tokens[last].end};
    q.text = std::string(ctx_.text.substr(q.span.begin, q.span.end - q.span.begin));
    q.speaker = sp.name;
    q.speaker_entity = sp.entity;
    q.speaker_span = sp.span;
    q.direct = false;
    set_cue(q, cue_first, cue_last);
    out_.quotes.push_back(std::move(q));
  }

  bool complementizer(int k) const {
    if (!word(k)) return false;
    const std::string_view w = lw(k);
    if (in(sp_.complementizers, w)) return true;
    // "qu'il", "qu’elle": an elided complementizer joined to the subject.
    for (std::size_t i = 1; i <= 3 && i < w.size(); ++i)
      if (w[i] == '\'' || w.compare(i, kRightSingle.size(), kRightSingle) == 0)
        return in(sp_.complementizers, w.substr(0, i));
    return false;
  }

  // Reported speech in a sentence without quotation marks: "X a déclaré que …", "sagte
  // Merkel, dass …", "Selon X, …", "…, selon X.".
  void reported(int s0, int s1) {
    int end = s1 - 1;
    while (end > s0 && !word(end)) --end;
    for (int k = s0; k < s1 && k < s0 + 200; ++k) {
      if (!word(k)) continue;
      const int len = according_at(k, sp_.according);
      if (len > 0) {
        const Speaker sp = named_at(k + len, s1);
        if (!sp.found) continue;
        int first_word = s0;
        while (first_word < k && !word(first_word)) ++first_word;
        if (first_word == k) {
          // "Selon la police, CLAUSE".
          for (int c = k + len; c < s1 && c < k + 12; ++c)
            if (tok(c) == ",") {
              add_reported(c + 1, end, sp, k, k + len - 1);
              return;
            }
          // "Laut Wellenkamp soll …" (German sets no comma): the clause follows the speaker.
          if (sp.span.end > sp.span.begin) {
            int c = k + len;
            while (c < s1 && ctx_.tokens[c].begin < sp.span.end) ++c;
            add_reported(c, end, sp, k, k + len - 1);
            return;
          }
          continue;
        }
        if (k - 1 > s0 && tok(k - 1) == ",") {  // "CLAUSE, selon X."
          add_reported(s0, k - 2, sp, k, k + len - 1);
          return;
        }
        continue;
      }
      int next = 0, pron = -1;
      const int verb = cue_at(k, s1, &next, &pron);
      if (verb < 0) continue;
      // The subject may stand between the verb and the complementizer ("sagte Merkel,
      // dass", "заявил министр, что").
      int c = next;
      while (c < s1 && c < next + 5 && !complementizer(c) && tok(c) != "." && tok(c) != ";") ++c;
      if (c >= s1 || !complementizer(c)) continue;
      Speaker sp;
      if (pron >= 0) {
        sp = pronoun(pron);
      } else {
        sp = subject_before(s0, k);
        if (!sp.found) sp = named_at(next, c);
      }
      if (!sp.found) continue;
      int first = c + 1;
      if (!in(sp_.complementizers, lw(c))) first = c;  // "qu'il ..." keeps its subject
      add_reported(first, end, sp, k, verb);
      return;
    }
  }

  const Context& ctx_;
  const LanguageRules& rules_;
  const LanguageRules::Speech& sp_;
  Analysis& out_;
  std::string lower8_;
  std::vector<uint32_t> lower_at_, lower_len_;
  std::vector<int> mention_at_;
  std::vector<char> in_quote_;
  std::vector<Region> regions_;
  Speaker last_speaker_;
  std::string last_cue_;
  mutable std::string probe_;
};

}  // namespace

void find_quotes_lang(const Context& ctx, const LanguageRules& rules, Analysis& out) {
  LangQuoteFinder(ctx, rules, out).run();
}

}  // namespace storyline::understand::internal
