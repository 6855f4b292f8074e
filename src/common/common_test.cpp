#include <gtest/gtest.h>

#include "common/civil_date.h"
#include "common/json.h"
#include "common/result.h"
#include "common/text_util.h"

namespace storyline {
namespace {

TEST(CivilDate, RoundTripsThroughDays) {
  const CivilDate date{2025, 4, 26};
  EXPECT_EQ(CivilDate::from_days(date.days_since_epoch()), date);
  EXPECT_EQ(CivilDate::from_days(date.days_since_epoch() - 1).iso(), "2025-04-25");
  EXPECT_EQ(CivilDate::from_days(CivilDate{2024, 3, 1}.days_since_epoch() - 1).iso(), "2024-02-29");
}

TEST(CivilDate, KnowsWeekdays) {
  EXPECT_EQ((CivilDate{2025, 4, 26}.weekday()), 5);  // a Saturday
  EXPECT_EQ((CivilDate{2025, 4, 11}.weekday()), 4);  // a Friday
}

TEST(CivilDate, ParsesIsoPrefixes) {
  EXPECT_EQ(parse_iso_date("2025-04-12T09:30:00Z")->iso(), "2025-04-12");
  EXPECT_EQ(parse_iso_date("2025-02")->iso(), "2025-02");
  EXPECT_EQ(parse_iso_date("2022")->iso(), "2022");
  EXPECT_FALSE(parse_iso_date("2025-02-30").has_value());
  EXPECT_FALSE(parse_iso_date("April").has_value());
}

TEST(TextUtil, Utf8CheckAcrossAsciiRuns) {
  // Long ASCII runs are checked eight bytes at a time; bad bytes at any offset still count.
  const std::string ascii(37, 'a');
  EXPECT_TRUE(is_valid_utf8(ascii));
  EXPECT_TRUE(is_valid_utf8(ascii + "\xC3\xA9" + ascii + "\xE2\x80\x94"));
  for (std::size_t at = 0; at <= ascii.size(); ++at) {
    std::string bad = ascii;
    bad.insert(at, "\xC3");  // a lead byte with no continuation
    EXPECT_FALSE(is_valid_utf8(bad)) << at;
    std::string cut = ascii.substr(0, at) + "\xE2\x82";  // truncated at the end
    EXPECT_FALSE(is_valid_utf8(cut)) << at;
  }
}

TEST(TextUtil, SanitizesInvalidUtf8) {
  std::size_t replaced = 0;
  const std::string bad = std::string("ok \xC3\x28 \xF0\x9F\x98\x80 ") + '\0' + "end\xE2\x82";
  EXPECT_FALSE(is_valid_utf8(bad));
  const std::string clean = sanitize_utf8(bad, &replaced);
  EXPECT_TRUE(is_valid_utf8(clean));
  EXPECT_EQ(replaced, 4u);  // lone C3, NUL, and the two bytes of the truncated tail
  EXPECT_NE(clean.find("\xF0\x9F\x98\x80"), std::string::npos);
}

TEST(TextUtil, SplitsAndTrims) {
  const auto lines = split_lines("a\r\n\nb  \n");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "a");
  EXPECT_EQ(lines[1], "");
  EXPECT_EQ(trim(lines[2]), "b");
  EXPECT_EQ(trim("\xC2\xA0 x \xC2\xA0"), "x");
  EXPECT_EQ(collapse_whitespace("  a \n\t b "), "a b");
  EXPECT_EQ(url_host("https://WWW.Example.com:8080/news?id=1"), "example.com");
}

TEST(Result, CarriesValueOrError) {
  Result<int> ok = 3;
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 3);
  Result<int> bad = make_error(ErrorCode::kTooLarge, "page too big", "a.html");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().to_string(), "too_large: page too big (a.html)");
}

TEST(Json, AnalysisRoundTrips) {
  Analysis analysis;
  analysis.entities.push_back({"Volodymyr Zelensky",
                               "volodymyr zelensky",
                               EntityType::kPerson,
                               {"Volodymyr Zelensky", "Zelensky"},
                               2});
  analysis.quotes.push_back({{5, 20}, "productive", "Kirill Dmitriev", 0, "described", true, true});
  analysis.dates.push_back({{0, 9}, "yesterday", "2025-04-25", DateGranularity::kDay, true});
  analysis.event_date = "2025-04-25";
  const nlohmann::json json = analysis;
  const Analysis back = json.get<Analysis>();
  ASSERT_EQ(back.entities.size(), 1u);
  EXPECT_EQ(back.entities[0].aliases[1], "Zelensky");
  EXPECT_EQ(back.quotes[0].speaker, "Kirill Dmitriev");
  EXPECT_EQ(back.dates[0].value, "2025-04-25");
  EXPECT_EQ(back.event_date, "2025-04-25");
}

}  // namespace
}  // namespace storyline
