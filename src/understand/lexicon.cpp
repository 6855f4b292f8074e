// Look-up tables built once from the word lists in lexicon_data.inc.
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "understand/internal.h"

namespace storyline::understand::internal {
namespace {

#include "understand/lexicon_data.inc"

using Set = std::unordered_set<std::string_view>;

template <std::size_t N>
Set make_set(const std::string_view (&words)[N]) {
  return Set(std::begin(words), std::end(words));
}

template <typename V, std::size_t N>
std::unordered_map<std::string_view, V> make_map(const std::pair<std::string_view, V> (&pairs)[N]) {
  return std::unordered_map<std::string_view, V>(std::begin(pairs), std::end(pairs));
}

struct Tables {
  Set common = make_set(kCommonWords);
  Set interface = make_set(kInterfaceWords);
  Set non_entity = make_set(kNonEntities);
  Set title = make_set(kTitleWords);
  Set title_head = make_set(kTitleHeads);
  Set role = make_set(kRoleWords);
  Set org_tail_lower = make_set(kOrgTailLower);
  Set org_words = make_set(kOrgWords);
  Set org_names = make_set(kOrgNames);
  Set place_words = make_set(kPlaceWords);
  Set place_tail_lower = make_set(kPlaceTailLower);
  Set places = make_set(kPlaces);
  Set first_names = make_set(kFirstNames);
  Set connectors = make_set(kConnectors);
  Set possessive_in_name = make_set(kPossessiveInNames);
  Set subject_pronouns = make_set(kSubjectPronouns);
  Set cues = make_set(kCueVerbs);
  Set duration = make_set(kDurationUnits);
  Set not_units = make_set(kNotUnits);
  Set ordinal_adjectives = make_set(kOrdinalAdjectives);
  Set qualifiers = make_set(kQualifiers);
  Set legal_forms = make_set(kLegalForms);
  Set product_nouns = make_set(kProductNouns);
  Set event_words = make_set(kEventWords);
  std::unordered_map<std::string_view, std::string_view> place_keys = make_map(kPlaceKeyAliases);
  std::unordered_map<std::string_view, std::string_view> demonyms = make_map(kDemonyms);
  std::unordered_map<std::string_view, int> numbers = make_map(kNumberWords);
  std::unordered_map<std::string_view, int> ordinals = make_map(kOrdinalWords);
  std::unordered_map<std::string_view, double> multipliers = make_map(kMultipliers);
  std::unordered_map<std::string_view, std::string_view> currencies = make_map(kCurrencyWords);
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

std::string_view lower_into(std::string_view word, char* buf, std::size_t size) {
  const std::size_t n = word.size() < size ? word.size() : size;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = word[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  return std::string_view(buf, n);
}

namespace lex {
bool is_common_word(std::string_view w) { return tables().common.count(w) != 0; }
bool is_interface_word(std::string_view w) { return tables().interface.count(w) != 0; }
bool is_non_entity(std::string_view w) { return tables().non_entity.count(w) != 0; }
int weekday_index(std::string_view w) {
  if (w.size() < 6 || w.size() > 9 || !w.ends_with("day")) return -1;  // cheap reject
  for (int i = 0; i < 7; ++i)
    if (kWeekdays[i] == w) return i;
  return -1;
}
int month_index(std::string_view w) {
  if (w.size() > 1 && w.back() == '.') w.remove_suffix(1);
  if (w.size() < 3 || w.size() > 9) return 0;
  switch (w[0]) {  // cheap reject: months start with one of these letters
    case 'j':
    case 'f':
    case 'm':
    case 'a':
    case 's':
    case 'o':
    case 'n':
    case 'd':
      break;
    default:
      return 0;
  }
  for (int i = 0; i < 12; ++i)
    if (kMonths[i] == w || kMonthAbbrevs[i] == w) return i + 1;
  if (w == "sept") return 9;
  return 0;
}
bool is_title_word(std::string_view w) { return tables().title.count(w) != 0; }
bool is_title_head(std::string_view w) { return tables().title_head.count(w) != 0; }
bool is_role_word(std::string_view w) { return tables().role.count(w) != 0; }
bool is_org_tail_lower(std::string_view w) { return tables().org_tail_lower.count(w) != 0; }
bool is_org_word(std::string_view w) { return tables().org_words.count(w) != 0; }
bool is_org_name(std::string_view w) { return tables().org_names.count(w) != 0; }
bool is_place_word(std::string_view w) { return tables().place_words.count(w) != 0; }
bool is_place_tail_lower(std::string_view w) { return tables().place_tail_lower.count(w) != 0; }
bool is_place(std::string_view w) { return tables().places.count(w) != 0; }
bool is_demonym(std::string_view w) { return tables().demonyms.count(w) != 0; }
bool is_first_name(std::string_view w) { return tables().first_names.count(w) != 0; }
bool is_connector(std::string_view w) { return tables().connectors.count(w) != 0; }
bool is_possessive_in_name(std::string_view w) { return tables().possessive_in_name.count(w) != 0; }
bool is_subject_pronoun(std::string_view w) { return tables().subject_pronouns.count(w) != 0; }
bool is_cue_verb(std::string_view w) { return tables().cues.count(w) != 0; }
int number_word(std::string_view w) {
  auto it = tables().numbers.find(w);
  return it == tables().numbers.end() ? -1 : it->second;
}
int ordinal_word(std::string_view w) {
  auto it = tables().ordinals.find(w);
  return it == tables().ordinals.end() ? -1 : it->second;
}
double multiplier(std::string_view w) {
  auto it = tables().multipliers.find(w);
  return it == tables().multipliers.end() ? 0 : it->second;
}
std::string_view currency_word(std::string_view w) {
  auto it = tables().currencies.find(w);
  return it == tables().currencies.end() ? std::string_view() : it->second;
}
bool is_duration_unit(std::string_view w) { return tables().duration.count(w) != 0; }
bool is_not_unit(std::string_view w) { return tables().not_units.count(w) != 0; }
bool is_legal_form(std::string_view w) { return tables().legal_forms.count(w) != 0; }
bool is_product_noun(std::string_view w) { return tables().product_nouns.count(w) != 0; }
bool is_event_word(std::string_view w) { return tables().event_words.count(w) != 0; }
std::string_view place_key_alias(std::string_view key) {
  auto it = tables().place_keys.find(key);
  return it == tables().place_keys.end() ? std::string_view() : it->second;
}
bool is_ordinal_adjective(std::string_view w) { return tables().ordinal_adjectives.count(w) != 0; }
int qualifier_words(const std::string_view* words, int n) {
  // Longest first: "as many as" before "as".
  char buf[64];
  for (int len = 3; len >= 1; --len) {
    if (len > n) continue;
    std::size_t pos = 0;
    bool fits = true;
    for (int k = n - len; k < n; ++k) {
      if (pos + words[k].size() + 1 > sizeof buf) {
        fits = false;
        break;
      }
      if (k > n - len) buf[pos++] = ' ';
      for (char c : words[k]) buf[pos++] = c;
    }
    if (fits && tables().qualifiers.count(std::string_view(buf, pos))) return len;
  }
  return 0;
}
}  // namespace lex

}  // namespace storyline::understand::internal
