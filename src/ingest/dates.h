// Timestamps as feeds, sitemaps and archives write them, turned into UTC ISO 8601.
// Internal to src/ingest.
#pragma once

#include <string>
#include <string_view>

namespace storyline::ingest {

// "2017-03-06T04:02:06Z", "2009-09-06T18:20:00+02:00", "2025-04-26" (W3C/RFC 3339/ISO 8601),
// "Sun, 06 Sep 2009 16:20:00 +0000" / "06 Sep 2009 16:20 GMT" / "... EST" (RFC 822/1123),
// "20140216050221" (WARC 0.18 / ARC 14 digits) -> "YYYY-MM-DDTHH:MM:SSZ" in UTC, or
// "YYYY-MM-DD" / "YYYY-MM" when no time is given. Empty when the text is not a date.
std::string to_utc_iso(std::string_view text);

}  // namespace storyline::ingest
