// Rule data for extract: boilerplate lines, class/id hints, labels that look like datelines.
// Kept apart from the logic so the rules can be tuned without touching the algorithms.
// Every string is lowercase ASCII: it is matched against a lowercased line or attribute.
#pragma once

#include <string_view>

namespace storyline::extract::lexicon {

enum class Match {
  kExact,     // the whole (normalised) line
  kPrefix,    // the line starts with it (at a word boundary)
  kContains,  // anywhere in the line
};

// A boilerplate line: matched only when the line has at most `max_words` words, so a real
// paragraph that happens to start with "Subscribe" or "Photo" survives.
struct LineRule {
  std::string_view text;
  Match match;
  int max_words;
};

// Matched against the lowercased line after leading bullets ("•", "-", "|", "*") are stripped.
inline constexpr LineRule kBoilerplateLines[] = {
    // Tag and topic lists.
    {"tags", Match::kPrefix, 40},
    {"tag:", Match::kPrefix, 40},
    {"topics:", Match::kPrefix, 40},
    {"filed under", Match::kPrefix, 30},
    {"categories:", Match::kPrefix, 30},
    // Login, registration, comment prompts.
    {"login", Match::kPrefix, 8},
    {"log in", Match::kPrefix, 10},
    {"sign in", Match::kPrefix, 10},
    {"sign up", Match::kPrefix, 14},
    {"register", Match::kPrefix, 6},
    {"subscribe", Match::kPrefix, 16},
    {"please login", Match::kContains, 16},
    {"please log in", Match::kContains, 16},
    {"login first", Match::kContains, 16},
    {"to comment", Match::kPrefix, 16},
    {"leave a comment", Match::kPrefix, 10},
    {"add a comment", Match::kPrefix, 10},
    {"comments", Match::kPrefix, 4},
    {"show comments", Match::kPrefix, 6},
    {"already a subscriber", Match::kPrefix, 12},
    {"create an account", Match::kPrefix, 12},
    // Sharing and following.
    {"share", Match::kPrefix, 8},
    {"tweet", Match::kExact, 1},
    {"email", Match::kExact, 1},
    {"print", Match::kExact, 1},
    {"facebook", Match::kPrefix, 4},
    {"twitter", Match::kPrefix, 4},
    {"whatsapp", Match::kPrefix, 4},
    {"linkedin", Match::kPrefix, 4},
    {"follow us", Match::kPrefix, 16},
    {"follow me", Match::kPrefix, 12},
    {"copy link", Match::kPrefix, 4},
    // Cookie and consent banners.
    {"we use cookies", Match::kContains, 60},
    {"this site uses cookies", Match::kContains, 60},
    {"this website uses cookies", Match::kContains, 60},
    {"accept cookies", Match::kContains, 20},
    {"cookie policy", Match::kContains, 30},
    {"cookie settings", Match::kContains, 12},
    // Photo, image and video credits.
    {"photo:", Match::kPrefix, 12},
    {"photos:", Match::kPrefix, 12},
    {"photo credit", Match::kPrefix, 12},
    {"photo by", Match::kPrefix, 12},
    {"photograph:", Match::kPrefix, 12},
    {"image:", Match::kPrefix, 12},
    {"image credit", Match::kPrefix, 12},
    {"picture:", Match::kPrefix, 12},
    {"credit:", Match::kPrefix, 12},
    {"file photo", Match::kPrefix, 12},
    {"illustration:", Match::kPrefix, 12},
    {"(photo", Match::kPrefix, 14},
    {"(image", Match::kPrefix, 14},
    {"(file photo", Match::kPrefix, 14},
    {"getty images", Match::kContains, 10},
    // Ads and navigation leftovers.
    {"advertisement", Match::kPrefix, 3},
    {"advertising", Match::kExact, 1},
    // Ad labels standing alone on a line, in several languages.
    {"advert", Match::kExact, 1},
    {"anzeige", Match::kExact, 1},
    {"werbung", Match::kExact, 1},
    {"publicit\xC3\xA9", Match::kExact, 1},  // publicité
    {"publicidad", Match::kExact, 1},
    {"pubblicit\xC3\xA0", Match::kExact, 1},  // pubblicità
    {"reklama", Match::kExact, 1},
    {"iklan", Match::kExact, 1},
    {"\xD1\x80\xD0\xB5\xD0\xBA\xD0\xBB\xD0\xB0\xD0\xBC\xD0\xB0", Match::kExact, 1},  // реклама
    {"\xD0\xA0\xD0\xB5\xD0\xBA\xD0\xBB\xD0\xB0\xD0\xBC\xD0\xB0", Match::kExact, 1},  // Реклама
    {"\xE5\xB9\xBF\xE5\x91\x8A", Match::kExact, 2},                                  // 广告
    {"\xD8\xA5\xD8\xB9\xD9\x84\xD8\xA7\xD9\x86", Match::kExact, 1},                  // إعلان
    {"sponsored", Match::kPrefix, 4},
    {"read more", Match::kPrefix, 14},
    {"read also", Match::kPrefix, 14},
    {"see also", Match::kPrefix, 14},
    {"related:", Match::kPrefix, 20},
    {"related articles", Match::kPrefix, 20},
    {"related stories", Match::kPrefix, 20},
    {"more from", Match::kPrefix, 8},
    {"click here", Match::kPrefix, 16},
    {"skip to", Match::kPrefix, 6},
    {"back to top", Match::kPrefix, 4},
    {"all rights reserved", Match::kContains, 20},
    {"copyright", Match::kPrefix, 16},
    {"\xC2\xA9", Match::kPrefix, 16},  // ©
};

// Class/id words. Matched against the lowercased attribute; kWord entries must equal a whole
// word (split on space, '-' and '_') so "ad" does not hit "header" or "shadow".
enum class HintMatch { kWord, kSubstring };
struct Hint {
  std::string_view text;
  HintMatch match;
};

inline constexpr Hint kPositiveHints[] = {
    {"article", HintMatch::kSubstring}, {"content", HintMatch::kSubstring},
    {"story", HintMatch::kSubstring},   {"body", HintMatch::kSubstring},
    {"entry", HintMatch::kSubstring},   {"main", HintMatch::kSubstring},
    {"post", HintMatch::kWord},         {"text", HintMatch::kWord},
    {"blog", HintMatch::kSubstring},    {"news", HintMatch::kWord},
    {"prose", HintMatch::kWord},
};

// The positive words strong enough to cancel a negative one in the same class/id ("article-
// header" and "content-sidebar-wrap" stay; "share-text" and "like-post-wrapper" do not).
inline constexpr Hint kStrongPositiveHints[] = {
    {"article", HintMatch::kSubstring}, {"content", HintMatch::kSubstring},
    {"body", HintMatch::kSubstring},    {"main", HintMatch::kSubstring},
    {"story", HintMatch::kSubstring},   {"blog", HintMatch::kSubstring},
};

// Always removed from the body, whatever else the class says ("comment-body" is a comment).
inline constexpr Hint kDropHints[] = {
    {"comment", HintMatch::kWord},
    {"comments", HintMatch::kWord},
    {"disqus", HintMatch::kSubstring},
    {"cookie", HintMatch::kSubstring},
    {"consent", HintMatch::kSubstring},
    {"gdpr", HintMatch::kSubstring},
    {"newsletter", HintMatch::kSubstring},
    {"outbrain", HintMatch::kSubstring},
    {"taboola", HintMatch::kSubstring},
    {"popup", HintMatch::kSubstring},
    {"modal", HintMatch::kSubstring},
    {"paywall", HintMatch::kSubstring},
    {"ad", HintMatch::kWord},
    {"ads", HintMatch::kWord},
    {"advert", HintMatch::kSubstring},
    {"advertisement", HintMatch::kSubstring},
};

// Removed unless the class/id also carries a positive hint ("main-nav" vs "article-body").
inline constexpr Hint kNegativeHints[] = {
    {"share", HintMatch::kSubstring},
    {"social", HintMatch::kSubstring},
    {"subscribe", HintMatch::kSubstring},
    {"promo", HintMatch::kSubstring},
    {"related", HintMatch::kSubstring},
    {"recommend", HintMatch::kSubstring},
    {"sponsor", HintMatch::kSubstring},
    {"banner", HintMatch::kSubstring},
    {"signup", HintMatch::kSubstring},
    {"byline", HintMatch::kSubstring},
    {"dateline", HintMatch::kSubstring},
    {"caption", HintMatch::kSubstring},
    {"credit", HintMatch::kSubstring},
    {"sidebar", HintMatch::kSubstring},
    {"menu", HintMatch::kSubstring},
    {"nav", HintMatch::kWord},
    {"navigation", HintMatch::kSubstring},
    {"breadcrumb", HintMatch::kSubstring},
    {"footer", HintMatch::kSubstring},
    {"header", HintMatch::kSubstring},
    {"masthead", HintMatch::kSubstring},
    {"widget", HintMatch::kSubstring},
    {"popular", HintMatch::kSubstring},
    {"trending", HintMatch::kSubstring},
    {"tags", HintMatch::kWord},
    {"tag", HintMatch::kWord},
    {"toolbar", HintMatch::kSubstring},
    {"meta", HintMatch::kWord},
    {"skyscraper", HintMatch::kSubstring},
    {"author", HintMatch::kSubstring},
    {"login", HintMatch::kSubstring},
    {"pagination", HintMatch::kSubstring},
    {"pager", HintMatch::kWord},
    {"most-read", HintMatch::kSubstring},
    {"rail", HintMatch::kWord},
    {"gallery", HintMatch::kSubstring},
    {"carousel", HintMatch::kSubstring},
    {"slideshow", HintMatch::kSubstring},
    {"swiper", HintMatch::kSubstring},
};

// Words in the class/id of a heading that titles a box of other stories ("relatedpoststitle",
// "popular-heading", "noticias-relacionadas"): the element the heading opens is that box,
// however much text it holds (see html.cpp, build_tree). Class names follow the theme, not the
// page's language, so a few Romance stems cover most non-English themes.
inline constexpr Hint kBoxTitleHints[] = {
    {"related", HintMatch::kSubstring},      {"recommend", HintMatch::kSubstring},
    {"popular", HintMatch::kSubstring},      {"trending", HintMatch::kSubstring},
    {"most-read", HintMatch::kSubstring},    {"mostread", HintMatch::kSubstring},
    {"more-stories", HintMatch::kSubstring}, {"relacionad", HintMatch::kSubstring},
    {"correlat", HintMatch::kSubstring},     {"similar", HintMatch::kSubstring},
};

// Capitalised labels followed by ':' that open a paragraph but are not places of filing.
// Headings that open a comment section on a scraped page ("Comments", "[ 167 comments ]",
// "Leave a Reply", "Kommentare (3)"). Matched against a short line lowercased (ICU), with
// brackets, counts and a trailing colon stripped. Readers' comments are prose like the story,
// so the heading is the only reliable sign of where the story ends. Several languages: the
// extractor is used on pages of any language.
inline constexpr std::string_view kCommentSectionHeadings[] = {"comment",
                                                               "comments",
                                                               "responses",
                                                               "replies",
                                                               "leave a reply",
                                                               "leave a comment",
                                                               "comments are closed",
                                                               "add a comment",
                                                               "add comment",
                                                               "post a comment",
                                                               "reader comments",
                                                               "show comments",
                                                               "view comments",
                                                               "join the discussion",
                                                               "join the conversation",
                                                               "discussion",
                                                               "kommentare",
                                                               "kommentar",
                                                               "leserkommentare",
                                                               "commentaires",
                                                               "commentaire",
                                                               "laisser un commentaire",
                                                               "komentarze",
                                                               "komentarz",
                                                               "dodaj komentarz",
                                                               "comentarios",
                                                               "comentários",
                                                               "deja un comentario",
                                                               "commenti",
                                                               "lascia un commento",
                                                               "reacties",
                                                               "kommentarer",
                                                               "kommentit",
                                                               "yorumlar",
                                                               "комментарии",
                                                               "комментариев",
                                                               "комментарий",
                                                               "коментарі",
                                                               "评论",
                                                               "評論",
                                                               "留言",
                                                               "コメント",
                                                               "댓글",
                                                               "تعليقات",
                                                               "التعليقات",
                                                               "תגובות"};

// Words that open a comment heading only after a count, as blog themes print it: "10 thoughts
// on “Title”" (WordPress's default), "3 Gedanken zu „…“", "5 pensieri su “…”".
inline constexpr std::string_view kCountedCommentHeadings[] = {
    "thoughts", "gedanken", "réflexions", "pensieri", "gedachten", "pensamientos", "pensamentos"};

inline constexpr std::string_view kNotPlaces[] = {
    "update",        "updated",   "analysis", "opinion",    "exclusive", "watch",     "breaking",
    "live",          "video",     "photos",   "photo",      "comment",   "editorial", "note",
    "editor's note", "explainer", "factbox",  "q&a",        "read",      "listen",    "correction",
    "warning",       "source",    "sources",  "background", "context",   "related",   "also",
    "quote",         "question",  "answer",   "summary",    "in brief",  "by",        "from",
    "and",           "but",       "the",
};

// Verbs that close the attribution of a teaser's sub-headline ("..., a paper said The UK ...").
inline constexpr std::string_view kAttributionVerbs[] = {
    "said",      "says",     "say",       "warned", "warns",    "reported", "reports",
    "wrote",     "added",    "argued",    "noted",  "told",     "stated",   "claimed",
    "announced", "insisted", "suggested", "urged",  "believes", "found",
};

// News agencies that appear in parentheses after a dateline: "PARIS (AFP) -".
// Any short parenthesised name is accepted; this list only documents the usual ones.

// Month names for dates written in words ("April 12, 2025", "12 Apr 2025").
struct MonthName {
  std::string_view name;
  int month;
};
inline constexpr MonthName kMonthNames[] = {
    {"january", 1},   {"february", 2},  {"march", 3},  {"april", 4},     {"may", 5},
    {"june", 6},      {"july", 7},      {"august", 8}, {"september", 9}, {"october", 10},
    {"november", 11}, {"december", 12}, {"jan", 1},    {"feb", 2},       {"mar", 3},
    {"apr", 4},       {"jun", 6},       {"jul", 7},    {"aug", 8},       {"sep", 9},
    {"sept", 9},      {"oct", 10},      {"nov", 11},   {"dec", 12},
};

// Meta names/properties holding the publication date, best first.
inline constexpr std::string_view kDateMetaNames[] = {
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publication_date",
    "date",
    "dc.date",
    "dc.date.issued",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "og:published_time",
};

// JSON-LD @type values describing the article itself.
inline constexpr std::string_view kArticleTypes[] = {
    "newsarticle",           "article",
    "reportagenewsarticle",  "blogposting",
    "analysisnewsarticle",   "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle",
    "liveblogposting",       "socialmediaposting",
};

}  // namespace storyline::extract::lexicon
