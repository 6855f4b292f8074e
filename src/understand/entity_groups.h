// The last step both entity finders share (entities.cpp, entities_lang.cpp): candidate names
// become entities and mentions. Private to the understand stage.
#pragma once

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "understand/internal.h"
#include "understand/understand.h"

namespace storyline::understand::internal {

// Candidates not dropped, and not standing for a dropped one (`root(i)`, the candidate naming
// its group), are grouped in text order into one entity per type and key of their root; a
// name with an empty key is dropped. Each entity is named by the candidate `pick(members)`
// chooses, its aliases are the names of its members in order (`name_of(cand)`), each followed
// by what `more_aliases(i, aliases)` adds, and the mentions are written in text order.
template <class Cand, class Root, class NameOf, class Pick, class MoreAliases>
void emit_entities(const Context& ctx, const std::vector<Cand>& cands, Root&& root,
                   NameOf&& name_of, Pick&& pick, MoreAliases&& more_aliases, Analysis& out) {
  std::vector<int> order;
  for (int i = 0; i < static_cast<int>(cands.size()); ++i)
    if (!cands[i].dropped && !cands[root(i)].dropped) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](int x, int y) { return cands[x].begin < cands[y].begin; });
  std::unordered_map<std::string, int> group_of;
  std::vector<std::vector<int>> members;
  std::vector<int> entity_of(cands.size(), -1);
  for (int i : order) {
    const Cand& r = cands[root(i)];
    const std::string key = entity_key(name_of(r), r.type);
    if (key.empty()) continue;
    const std::string gk = std::string(entity_type_name(r.type)) + "|" + key;
    auto [it, inserted] = group_of.emplace(gk, static_cast<int>(members.size()));
    if (inserted) members.emplace_back();
    members[it->second].push_back(i);
    entity_of[i] = it->second;
  }
  out.entities.resize(members.size());
  for (std::size_t g = 0; g < members.size(); ++g) {
    Entity& e = out.entities[g];
    e.name = name_of(cands[pick(members[g])]);
    e.type = cands[root(members[g][0])].type;
    e.key = entity_key(e.name, e.type);
    e.aliases.push_back(e.name);
    for (int i : members[g]) {
      std::string n = name_of(cands[i]);
      if (std::find(e.aliases.begin(), e.aliases.end(), n) == e.aliases.end())
        e.aliases.push_back(std::move(n));
      more_aliases(i, e.aliases);
    }
    e.mention_count = static_cast<int>(members[g].size());
  }
  for (int i : order) {
    if (entity_of[i] < 0) continue;
    const Cand& c = cands[i];
    Mention m;
    m.span = Span{c.begin, c.end};
    m.text = std::string(ctx.text.substr(c.begin, c.end - c.begin));
    m.entity = entity_of[i];
    m.type = out.entities[m.entity].type;
    out.mentions.push_back(std::move(m));
  }
}

}  // namespace storyline::understand::internal
