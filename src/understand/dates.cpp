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
//  * "early", "late", "mid" stay inside the expression ("late March" -> "2024-03", "late last
//    year" -> "2023"); TIMEX3 would add mod="START"/"END", which DateMention does not carry.
//    Hyphenated "mid-2011" is left alone (TIMEX3 "2011" with mod="MID"; corpora disagree).
//  * Decades "the 1990s" -> "199"; seasons "this summer" -> "2024-SU" (of the publication year;
//    the winter of 2023 starts in December 2023); halves need their year ("the second half of
//    2009" -> "2009-H2"; "the second half" alone is as often a match's); "Q3 2008".
//  * Fiscal years "fiscal 2008", "FY08", "the first quarter of fiscal 2008" -> "FY2008",
//    "FY2008-Q1"; "the (current) financial year" is named after the publication year.
//  * Anaphoric periods: "the same period last year" is the last reporting period named (a
//    quarter, half, month, week or fiscal year) a year back, else the year before
//    publication; "the previous day", "the following year" count from the last date written.
//  * "in the (near) future" -> FUTURE_REF, "in the past" -> PAST_REF, "nowadays" -> PRESENT_REF;
//    none of them is ever the event date.
//  * Clock times keep a time zone in the span ("6:40 p.m. (GMT +8)", "12:30 EST"); the value
//    stays the local clock time, with "Z" only for UTC/GMT. Whole hours need a.m./p.m. ("4
//    p.m."), and a time with no date before it in its sentence takes the day written right
//    after it ("4 p.m. on Friday").
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
