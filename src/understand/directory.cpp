// entity_key (the cross-article merge key) and EntityDirectory (cross-article merging).
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>

#include "common/text_util.h"
#include "understand/internal.h"
#include "understand/understand.h"

namespace storyline::understand {
namespace {

using internal::lower_into;
namespace lex = internal::lex;

bool is_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// Case-folds and strips diacritics; punctuation that separates words becomes a space.
std::string fold(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  auto put = [&out](UChar32 c) {
    if (c == 0x2019 || c == 0x2018 || c == '`') c = '\'';
    if (c == '-' || c == 0x2010 || c == 0x2011 || c == '_' || c == 0xA0 || c == '\t') c = ' ';
    if (c == '.' || c == ',' || c == '"' || c == '(' || c == ')') return;
    if (c < 0x80) {
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      return;
    }
    char buf[4];
    int32_t len = 0;
    UBool err = false;
    U8_APPEND(buf, len, 4, c, err);
    if (!err) out.append(buf, static_cast<std::size_t>(len));
  };
  if (is_ascii(name)) {
    for (char c : name) put(static_cast<unsigned char>(c));
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  if (nfd && U_SUCCESS(status)) u = nfd->normalize(u, status);
  if (U_FAILURE(status))
    u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    put(u_foldCase(c, U_FOLD_CASE_DEFAULT));
  }
  return out;
}

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// Transliteration variants of Slavic and other names: "Zelenskiy/Zelenskyy/Zelenskii" ->
// "zelensky", "Dmitriy/Dmitri" -> "dmitry", "Sergey" -> "sergei". Applied to every person
// token the same way, so it only has to be consistent, not linguistically exact.
void fold_transliteration(std::string& w) {
  if (w.size() < 4 || !is_ascii(w)) return;
  const std::size_t n = w.size();
  if (w.ends_with("iy") || w.ends_with("yy") || w.ends_with("ii") || w.ends_with("ij")) {
    w.replace(n - 2, 2, "y");
  } else if (w.ends_with("ey")) {
    w.replace(n - 2, 2, "ei");
  } else if (w.back() == 'i' && !is_vowel(w[n - 2])) {
    w.back() = 'y';
  }
}

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) words.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return words;
}

// Given names spelled differently by different transliterations ("Aleksandr" / "Alexander",
// "Oleksandr" / "Olexandr"): 'x' read as "ks", then at most two edits apart. Only for names of
// six letters or more with the same first letter, so short names that differ by one letter
// ("Maria" / "Mario") stay apart.
bool same_given_name_variant(std::string_view a, std::string_view b) {
  constexpr std::size_t kMinLength = 6;
  constexpr std::size_t kMaxEdits = 2;
  auto fold = [](std::string_view s) {
    std::string out;
    for (char c : s) {
      if (c == 'x') {
        out += "ks";
      } else {
        out += c;
      }
    }
    return out;
  };
  const std::string x = fold(a), y = fold(b);
  if (x.size() < kMinLength || y.size() < kMinLength || x[0] != y[0]) return false;
  if ((x.size() > y.size() ? x.size() - y.size() : y.size() - x.size()) > kMaxEdits) return false;
  // Levenshtein distance with two rows; names are short.
  std::vector<std::size_t> prev(y.size() + 1), cur(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] != y[j - 1])});
    std::swap(prev, cur);
  }
  return prev[y.size()] <= kMaxEdits;
}

std::string first_word(const std::string& key) { return key.substr(0, key.find(' ')); }

std::string last_word(const std::string& key) {
  const std::size_t sp = key.rfind(' ');
  return sp == std::string::npos ? key : key.substr(sp + 1);
}

std::string typed(EntityType type, const std::string& key) {
  std::string out = entity_type_name(type);
  out.push_back('|');
  out += key;
  return out;
}

bool is_acronym(std::string_view name) {
  if (name.size() < 2 || name.size() > 8) return false;
  for (char c : name)
    if (!(c >= 'A' && c <= 'Z')) return false;
  return true;
}

// Initials of the capitalised words of a name ("North Atlantic Treaty Organization" -> NATO).
std::string initials(std::string_view name) {
  std::string out;
  bool start = true;
  for (char c : name) {
    if (c == ' ' || c == '-') {
      start = true;
      continue;
    }
    if (start && c >= 'A' && c <= 'Z') out.push_back(c);
    start = false;
  }
  return out;
}

}  // namespace

std::string entity_key(std::string_view name, EntityType type) {
  std::vector<std::string> words = split_words(fold(name));
  for (std::string& w : words) {
    if (w.size() > 2 && w.ends_with("'s")) w.resize(w.size() - 2);
    if (w.size() > 1 && w.back() == '\'') w.pop_back();
  }
  std::size_t first = 0;
  if (type == EntityType::kPerson) {
    // Leading titles and demonyms: "US President Donald Trump" -> "donald trump".
    char buf[64];
    while (first + 1 < words.size()) {
      std::string_view l = lower_into(words[first], buf, sizeof buf);
      if (lex::is_title_word(l) || lex::is_demonym(l) || lex::is_connector(l) ||
          ((lex::is_place(l) || lex::is_org_name(l)) && first + 2 < words.size() &&
           lex::is_title_word(words[first + 1]))) {
        ++first;
        continue;
      }
      break;
    }
  } else if (words.size() > 1 && words[0] == "the") {
    first = 1;
  }
  std::size_t last = words.size();
  if (type == EntityType::kOrganization) {
    // "Apple Inc", "The Boeing Company", "Aer Lingus Group plc": the legal form is no part
    // of which company it is.
    while (last > first + 1 && lex::is_legal_form(words[last - 1])) --last;
  }
  std::string key;
  for (std::size_t i = first; i < last; ++i) {
    if (type == EntityType::kPerson) fold_transliteration(words[i]);
    if (words[i].empty()) continue;
    if (!key.empty()) key.push_back(' ');
    key += words[i];
  }
  if (type == EntityType::kLocation) {
    if (std::string_view alias = lex::place_key_alias(key); !alias.empty()) key = alias;
  }
  if (type == EntityType::kProduct && first < last) {
    // "Dreamliners", "A380s", "iPhones": the plural names the same product.
    const std::string& w = words[last - 1];
    if (w.size() >= 4 && w.back() == 's' && w[w.size() - 2] != 's' && key.ends_with(w))
      key.pop_back();
  }
  return key;
}

void EntityDirectory::index(int i) {
  const Entry& e = entries_[static_cast<std::size_t>(i)];
  by_key_[typed(e.type, e.key)] = i;
  // Earlier spellings stay findable ("Zelenskiy", "PLA", a surname-only first sighting).
  for (const std::string& alias : e.aliases)
    by_key_.emplace(typed(e.type, entity_key(alias, e.type)), i);
  if (e.type == EntityType::kPerson) {
    if (e.key.find(' ') != std::string::npos) {
      by_surname_[last_word(e.key)].push_back(i);
    } else {
      surname_only_.emplace(e.key, i);
    }
  }
  if (e.type == EntityType::kOrganization) {
    const std::string ini = initials(e.name);
    if (ini.size() >= 2 && e.name.find(' ') != std::string::npos) by_initials_.emplace(ini, i);
  }
}

void EntityDirectory::unindex(int i) {
  const Entry& e = entries_[static_cast<std::size_t>(i)];
  auto it = by_key_.find(typed(e.type, e.key));
  if (it != by_key_.end() && it->second == i) by_key_.erase(it);
  if (e.type == EntityType::kPerson) {
    if (e.key.find(' ') != std::string::npos) {
      auto& v = by_surname_[last_word(e.key)];
      v.erase(std::remove(v.begin(), v.end(), i), v.end());
    } else {
      auto jt = surname_only_.find(e.key);
      if (jt != surname_only_.end() && jt->second == i) surname_only_.erase(jt);
    }
  }
}

int EntityDirectory::find(const Entity& entity, const std::string& key) const {
  auto it = by_key_.find(typed(entity.type, key));
  if (it != by_key_.end()) return it->second;
  // Any alias that is a known key of the same type ("PLA" for the People's Liberation Army).
  for (const std::string& alias : entity.aliases) {
    auto jt = by_key_.find(typed(entity.type, entity_key(alias, entity.type)));
    if (jt != by_key_.end()) return jt->second;
  }
  if (entity.type == EntityType::kPerson && key.find(' ') == std::string::npos) {
    auto jt = by_surname_.find(key);
    if (jt != by_surname_.end() && jt->second.size() == 1) return jt->second[0];
  }
  if (entity.type == EntityType::kOrganization && is_acronym(entity.name)) {
    auto jt = by_initials_.find(entity.name);
    if (jt != by_initials_.end()) return jt->second;
  }
  return -1;
}

Entity EntityDirectory::resolve(const Entity& entity) {
  const std::string key = entity.key.empty() ? entity_key(entity.name, entity.type) : entity.key;
  Entity out = entity;
  if (key.empty()) return out;
  int i = find(entity, key);
  bool upgrade = false;
  if (i < 0 && entity.type == EntityType::kPerson && key.find(' ') != std::string::npos) {
    // A full name for a person known so far only by surname: upgrade that entry.
    auto it = surname_only_.find(last_word(key));
    if (it != surname_only_.end()) {
      i = it->second;
      upgrade = true;
    }
  }
  if (i < 0 && entity.type == EntityType::kPerson && key.find(' ') != std::string::npos) {
    // The same surname with a transliteration variant of the given name.
    auto it = by_surname_.find(last_word(key));
    if (it != by_surname_.end()) {
      for (int candidate : it->second) {
        const std::string& other = entries_[static_cast<std::size_t>(candidate)].key;
        if (same_given_name_variant(first_word(key), first_word(other))) {
          i = candidate;
          break;
        }
      }
    }
  }
  if (i < 0 && entity.type == EntityType::kOrganization && !is_acronym(entity.name)) {
    // An expansion whose acronym is already known: upgrade the acronym entry.
    const std::string ini = initials(entity.name);
    if (ini.size() >= 2) {
      auto it = by_key_.find(typed(entity.type, ascii_lower(ini)));
      if (it != by_key_.end() && is_acronym(entries_[static_cast<std::size_t>(it->second)].name)) {
        i = it->second;
        upgrade = true;
      }
    }
  }
  if (i < 0) {
    Entry e;
    e.key = key;
    e.name = entity.name;
    e.type = entity.type;
    entries_.push_back(std::move(e));
    i = static_cast<int>(entries_.size()) - 1;
    index(i);
  } else if (upgrade) {
    unindex(i);
    Entry& e = entries_[static_cast<std::size_t>(i)];
    e.key = key;
    e.name = entity.name;
    index(i);
  }
  Entry& e = entries_[static_cast<std::size_t>(i)];
  auto add_alias = [&](const std::string& a) {
    if (a.empty() || std::find(e.aliases.begin(), e.aliases.end(), a) != e.aliases.end()) return;
    e.aliases.push_back(a);
    const std::string k = entity_key(a, e.type);
    if (!k.empty()) by_key_.emplace(typed(e.type, k), i);
  };
  add_alias(e.name);
  add_alias(entity.name);
  for (const std::string& a : entity.aliases) add_alias(a);
  if (upgrade) {
    // Canonical name first.
    auto it = std::find(e.aliases.begin(), e.aliases.end(), e.name);
    if (it != e.aliases.end()) std::rotate(e.aliases.begin(), it, it + 1);
  }
  ++e.article_count;
  out.name = e.name;
  out.key = e.key;
  if (std::find(out.aliases.begin(), out.aliases.end(), out.name) == out.aliases.end())
    out.aliases.insert(out.aliases.begin(), out.name);
  return out;
}

void EntityDirectory::load(std::vector<Entry> entries) {
  entries_ = std::move(entries);
  by_key_.clear();
  by_surname_.clear();
  surname_only_.clear();
  by_initials_.clear();
  for (int i = 0; i < static_cast<int>(entries_.size()); ++i) index(i);
}

}  // namespace storyline::understand
