// Date mentions, absolute and relative to the publication date, and the article's event date.
//
// Choices for vague expressions (documented in docs/understand.md terms):
//  * "Friday" / "on Friday": the most recent Friday up to the publication date (the same day
//    when published on a Friday); "next Friday" or a future cue ("will", "is due to") before
//    it: the first Friday after publication.
//  * "this week" / "earlier this week" / "last week": the ISO week (TIMEX3 "2006-W14"), a
//    weekend "2010-W04-WE". Such week anchors are never taken as the event date.
//  * Parts of the day and clock times follow TIMEX3: "this morning" -> "2008-01-09TMO",
//    "18:00 UTC" -> "2009-12-15T18:00Z" (on the sentence's date, else the publication day).
//  * Spans follow TIMEX3: no leading preposition ("Monday", not "on Monday").
//  * A year-less "April 4": the publication year, or the year before when that would put the
//    date more than half a year after publication.
//  * A bare month ("In February"): the most recent such month not after publication.
#include "understand/date_finder.h"

namespace storyline::understand::internal {

bool is_year_token(const Context& ctx, int i) {
  const Token& t = ctx.tokens[i];
  std::string_view s = ctx.core(i);
  if (!t.has(kNumber) || !year_number(s)) return false;
  const int n = ctx.size();
  // A currency sign or a unit after it makes it an amount ("$2025", "2000 troops").
  if (i > 0 && ctx.tokens[i - 1].has(kPunct) && ctx.tokens[i - 1].end == t.begin) {
    std::string_view p = ctx.tok(i - 1);
    if (p == "$" || p == "\xE2\x82\xAC" || p == "\xC2\xA3" || p == "\xC2\xA5") return false;
  }
  if (i + 1 < n && ctx.tokens[i + 1].sentence == t.sentence) {
    std::string_view next = ctx.ltok(i + 1);
    if (next == "%" || next == "percent" || lex::multiplier(next) > 0) return false;
    if (ctx.tokens[i + 1].has(kLower) && next.size() > 3 && next.back() == 's' &&
        !lex::is_not_unit(next) && next != "elections" && next != "olympics")
      return false;
  }
  return true;
}

void find_dates(const Context& ctx, Analysis& out) { DateFinder(ctx, out).run(); }

}  // namespace storyline::understand::internal
