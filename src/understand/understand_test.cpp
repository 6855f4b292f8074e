// Tests for the understand stage, through its public header, on fictional news text.
#include "understand/understand.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace storyline::understand {
namespace {

Article make_article(std::string text, std::string published = "2024-03-14") {
  Article a;
  a.page_id = "test";
  a.text = std::move(text);
  a.published = std::move(published);
  return a;
}

std::string read_testdata(const std::string& name) {
  const char* env = std::getenv("STORYLINE_SOURCE_DIR");
  std::string root = env ? env : STORYLINE_SOURCE_DIR;
  std::ifstream in(root + "/src/understand/testdata/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

const Entity* find_entity(const Analysis& an, const std::string& name) {
  for (const Entity& e : an.entities)
    if (e.name == name) return &e;
  return nullptr;
}

bool has_entity_named(const Analysis& an, const std::string& name) {
  for (const Entity& e : an.entities) {
    if (e.name == name) return true;
    for (const std::string& a : e.aliases)
      if (a == name) return true;
  }
  return false;
}

const Quote* find_quote(const Analysis& an, const std::string& fragment) {
  for (const Quote& q : an.quotes)
    if (q.text.find(fragment) != std::string::npos) return &q;
  return nullptr;
}

const Figure* find_figure(const Analysis& an, const std::string& fragment) {
  for (const Figure& f : an.figures)
    if (f.text.find(fragment) != std::string::npos) return &f;
  return nullptr;
}

const DateMention* find_date(const Analysis& an, const std::string& text) {
  for (const DateMention& d : an.dates)
    if (d.text == text) return &d;
  return nullptr;
}

void expect_spans_valid(const Article& article, const Analysis& an) {
  const std::size_t n = article.text.size();
  for (const Sentence& s : an.sentences) {
    EXPECT_LE(s.span.begin, s.span.end);
    EXPECT_LE(s.span.end, n);
  }
  for (const Mention& m : an.mentions) {
    ASSERT_LE(m.span.end, n);
    EXPECT_EQ(article.text.substr(m.span.begin, m.span.end - m.span.begin), m.text);
    ASSERT_GE(m.entity, 0);
    ASSERT_LT(m.entity, static_cast<int>(an.entities.size()));
    EXPECT_EQ(m.type, an.entities[m.entity].type);
  }
  for (const Quote& q : an.quotes) {
    ASSERT_LE(q.span.end, n);
    EXPECT_EQ(article.text.substr(q.span.begin, q.span.end - q.span.begin), q.text);
    EXPECT_LT(q.speaker_entity, static_cast<int>(an.entities.size()));
  }
  for (const Figure& f : an.figures) ASSERT_LE(f.span.end, n);
  for (const DateMention& d : an.dates) ASSERT_LE(d.span.end, n);
}

class HarbourStrike : public ::testing::Test {
 protected:
  void SetUp() override {
    article_ = make_article(read_testdata("harbour_strike.txt"), "2024-03-14");
    ASSERT_FALSE(article_.text.empty());
    an_ = Analyzer().run(article_);
  }
  Article article_;
  Analysis an_;
};

// ---- Sentences ----

TEST(Sentences, ParagraphBreakAlwaysEndsASentence) {
  Article a = make_article("The ferry left at dawn\nPassengers waited on the quay. It was cold.");
  Analysis an = Analyzer().run(a);
  ASSERT_EQ(an.sentences.size(), 3u);
  EXPECT_EQ(a.text.substr(an.sentences[0].span.begin,
                          an.sentences[0].span.end - an.sentences[0].span.begin),
            "The ferry left at dawn");
}

TEST(Sentences, QuotationSpanningSentencesStaysInOneSentence) {
  Article a =
      make_article("“We have waited long enough. Now we act,” the mayor said. The council agreed.");
  Analysis an = Analyzer().run(a);
  ASSERT_EQ(an.sentences.size(), 2u);
  std::string first = a.text.substr(an.sentences[0].span.begin,
                                    an.sentences[0].span.end - an.sentences[0].span.begin);
  EXPECT_NE(first.find("the mayor said."), std::string::npos);
}

TEST(Sentences, OffsetsAreBytesIntoUtf8) {
  Article a = make_article("Çelik arrived in Zürich. Müller followed.");
  Analysis an = Analyzer().run(a);
  ASSERT_EQ(an.sentences.size(), 2u);
  EXPECT_EQ(a.text.substr(an.sentences[1].span.begin,
                          an.sentences[1].span.end - an.sentences[1].span.begin),
            "Müller followed.");
}

// ---- Entities ----

TEST_F(HarbourStrike, TitleIsNotPartOfThePersonName) {
  const Entity* e = find_entity(an_, "Aino Virtanen");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->type, EntityType::kPerson);
  EXPECT_EQ(e->key, "aino virtanen");
  EXPECT_EQ(e->name, "Aino Virtanen");
  // The titled form is a variant seen in the text: an alias, never the canonical name.
  EXPECT_NE(
      std::find(e->aliases.begin(), e->aliases.end(), "Estonian Prime Minister Aino Virtanen"),
      e->aliases.end());
  for (const Mention& m : an_.mentions) EXPECT_EQ(m.text.find("Prime Minister"), std::string::npos);
  EXPECT_FALSE(has_entity_named(an_, "Prime Minister"));
}

TEST_F(HarbourStrike, SurnameAndCurlyPossessiveMergeIntoFullName) {
  const Entity* e = find_entity(an_, "Aino Virtanen");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->mention_count, 2);  // "Aino Virtanen", "Virtanen’s"
  bool possessive_stripped = false;
  for (const Mention& m : an_.mentions)
    if (m.text == "Virtanen") possessive_stripped = true;
  EXPECT_TRUE(possessive_stripped);
  EXPECT_EQ(find_entity(an_, "Virtanen"), nullptr);
}

TEST_F(HarbourStrike, AcronymInParenthesesAndLaterBareAcronymAreOneEntity) {
  const Entity* e = find_entity(an_, "National Harbour Authority");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->type, EntityType::kOrganization);
  EXPECT_EQ(e->mention_count, 3);
  EXPECT_NE(std::find(e->aliases.begin(), e->aliases.end(), "NHA"), e->aliases.end());
  EXPECT_EQ(find_entity(an_, "NHA"), nullptr);
}

TEST_F(HarbourStrike, TransliterationVariantsMerge) {
  int volkovs = 0;
  for (const Entity& e : an_.entities)
    if (e.key == "dmitry volkov") ++volkovs;
  EXPECT_EQ(volkovs, 1);
  const Entity* e = find_entity(an_, "Dmitriy Volkov");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->mention_count, 2);
}

TEST_F(HarbourStrike, PlacesAndOrganisationsAreTyped) {
  const Entity* tallinn = find_entity(an_, "Tallinn");
  ASSERT_NE(tallinn, nullptr);
  EXPECT_EQ(tallinn->type, EntityType::kLocation);
  const Entity* sea = find_entity(an_, "Baltic Sea");
  ASSERT_NE(sea, nullptr);
  EXPECT_EQ(sea->type, EntityType::kLocation);
  const Entity* narva = find_entity(an_, "Narva");  // unknown name after "in"
  ASSERT_NE(narva, nullptr);
  EXPECT_EQ(narva->type, EntityType::kLocation);
  const Entity* gazette = find_entity(an_, "Harbour Gazette");
  ASSERT_NE(gazette, nullptr);
  EXPECT_EQ(gazette->type, EntityType::kOrganization);
}

TEST_F(HarbourStrike, SentenceInitialWordsDemonymsAndShoutingAreNotEntities) {
  for (const char* word : {"Meanwhile", "Asked", "Officials", "In", "The", "Estonian", "TIRED",
                           "GDP", "Monday", "January"})
    EXPECT_FALSE(has_entity_named(an_, word)) << word;
}

TEST_F(HarbourStrike, SpansAreConsistent) { expect_spans_valid(article_, an_); }

TEST(Entities, InterfaceWordsAndCommonCapitalsAreSkipped) {
  Article a = make_article(
      "Photo: Lena Sorensen\nAlso on the agenda was a visit to Oslo. Despite the rain, "
      "Both teams played.\nTags: sport\nLogin\nRegister");
  Analysis an = Analyzer().run(a);
  for (const char* word : {"Photo", "Also", "Despite", "Both", "Tags", "Login", "Register"})
    EXPECT_FALSE(has_entity_named(an, word)) << word;
  EXPECT_TRUE(has_entity_named(an, "Oslo"));
}

TEST(Entities, NonLatinAliasInParentheses) {
  Article a = make_article(
      "Mayor Chen Mei-ling (陳美玲) opened the new bridge. Chen said it would cut commuting "
      "times.");
  Analysis an = Analyzer().run(a);
  const Entity* e = find_entity(an, "Chen Mei-ling");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->type, EntityType::kPerson);
  EXPECT_NE(std::find(e->aliases.begin(), e->aliases.end(), "陳美玲"), e->aliases.end());
  EXPECT_EQ(e->mention_count, 2);
}

TEST(Entities, AcronymSpellingOnlyTheLastWordsTrimsTheName) {
  Article a = make_article(
      "Analysts watched the Northern People’s Defence Corps’s (PDC) drills closely. The PDC "
      "later denied any plans.");
  Analysis an = Analyzer().run(a);
  const Entity* e = find_entity(an, "People’s Defence Corps");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->type, EntityType::kOrganization);
  EXPECT_EQ(e->mention_count, 3);
}

TEST(Entities, HyphenatedPairOfKnownNamesGivesTwoMentions) {
  Article a = make_article(
      "Chancellor Greta Lindqvist met Governor Tomas Berg. The Lindqvist-Berg summit ended "
      "early.");
  Analysis an = Analyzer().run(a);
  const Entity* l = find_entity(an, "Greta Lindqvist");
  const Entity* b = find_entity(an, "Tomas Berg");
  ASSERT_NE(l, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(l->mention_count, 2);
  EXPECT_EQ(b->mention_count, 2);
}

TEST(Entities, BodyBeforeTitleAppositionsAndContext) {
  Article a = make_article(
      "Maritime Council President Ilse Vandermeer opened the session. Her spokesman, Oskar "
      "Lindgren, said the council would vote in May. Mr. Lindgren later told the news agency "
      "Nordpress that talks were going well.\n"
      "Halvorsen, who chairs the fisheries panel, says quotas must fall. The Crown Palace said "
      "it would not comment.");
  Analysis an = Analyzer().run(a);
  const Entity* council = find_entity(an, "Maritime Council");
  ASSERT_NE(council, nullptr);
  EXPECT_EQ(council->type, EntityType::kOrganization);
  const Entity* president = find_entity(an, "Ilse Vandermeer");
  ASSERT_NE(president, nullptr);
  EXPECT_EQ(president->type, EntityType::kPerson);
  const Entity* spokesman = find_entity(an, "Oskar Lindgren");
  ASSERT_NE(spokesman, nullptr);
  EXPECT_EQ(spokesman->type, EntityType::kPerson);
  EXPECT_EQ(spokesman->mention_count, 2);  // "Mr. Lindgren" merges
  const Entity* agency = find_entity(an, "Nordpress");
  ASSERT_NE(agency, nullptr);
  EXPECT_EQ(agency->type, EntityType::kOrganization);
  const Entity* chair = find_entity(an, "Halvorsen");
  ASSERT_NE(chair, nullptr);
  EXPECT_EQ(chair->type, EntityType::kPerson);
  const Entity* palace = find_entity(an, "Crown Palace");
  ASSERT_NE(palace, nullptr);
  EXPECT_NE(palace->type, EntityType::kPerson);
}

TEST(Entities, EventsAndHolidaysAreNotOrganisations) {
  Article a = make_article(
      "Velmora showed its new scooter at the Harbour Mobility Expo in Tallinn. Sales were "
      "strong over the New Year holidays.");
  Analysis an = Analyzer().run(a);
  const Entity* expo = find_entity(an, "Harbour Mobility Expo");
  ASSERT_NE(expo, nullptr);
  EXPECT_EQ(expo->type, EntityType::kOther);
  Analysis mag = Analyzer().run(make_article("The story ran in Velvet Fair magazine on Monday."));
  const Entity* fair = find_entity(mag, "Velvet Fair magazine");
  ASSERT_NE(fair, nullptr);
  EXPECT_EQ(fair->type, EntityType::kOrganization);
  EXPECT_FALSE(has_entity_named(an, "New Year"));
}

TEST(Entities, SentenceInitialNameRecurringInsideASentenceIsKept) {
  Article a = make_article(
      "Quorvex buys ten new ferries\nThe ferry operator Quorvex said on Monday that the "
      "ships would enter service next year.");
  Analysis an = Analyzer().run(a);
  const Entity* e = find_entity(an, "Quorvex");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->type, EntityType::kOrganization);
  EXPECT_EQ(e->mention_count, 2);
  // Without a second, inner mention the sentence-initial word stays out.
  Analysis alone = Analyzer().run(make_article("Zentrova buys ten new ferries."));
  EXPECT_FALSE(has_entity_named(alone, "Zentrova"));
}

TEST(Entities, ModelNumberAndNameFormOneProduct) {
  Article a = make_article(
      "The airline ordered twelve Airbus A390 Skyrunner jets. The first Skyrunner will fly in "
      "June, and the A390 Skyrunner can seat 180 people. The new 42 Seabird is built by "
      "Velkor, which also makes the Velkor 42 helicopter.");
  Analysis an = Analyzer().run(a);
  const Entity* seabird = find_entity(an, "Seabird");
  ASSERT_NE(seabird, nullptr);
  EXPECT_EQ(seabird->type, EntityType::kProduct);  // "42" is also "Velkor 42"
  const Entity* p = find_entity(an, "Airbus A390 Skyrunner");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->type, EntityType::kProduct);
  for (const Mention& m : an.mentions) {
    if (m.text == "Skyrunner") {
      EXPECT_EQ(m.type, EntityType::kProduct) << m.span.begin;
    }
  }
  // A count before a plural name is not a model number.
  Analysis count = Analyzer().run(make_article(
      "The fort was held by 300 Valdorians. The 23-year-old Tarvik lives on 223rd Street, "
      "near the 8 Corvo tower."));
  for (const Mention& m : count.mentions) EXPECT_NE(m.type, EntityType::kProduct) << m.text;
  const Entity* tarvik = find_entity(count, "Tarvik");
  ASSERT_NE(tarvik, nullptr);
  EXPECT_EQ(tarvik->type, EntityType::kPerson);
}

TEST(Entities, ShortFormsOfAnOrganisationJoinItsFullName) {
  Article a = make_article(
      "Shares of Corvane Robotics rose on Monday after it hired 200 engineers. Corvane expects "
      "orders "
      "to double. The Norwegian Coast Guard escorted the ship, and the Coast Guard said the "
      "crossing was calm.");
  Analysis an = Analyzer().run(a);
  const Entity* c = find_entity(an, "Corvane Robotics");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->type, EntityType::kOrganization);
  EXPECT_EQ(c->mention_count, 2);
  EXPECT_EQ(find_entity(an, "Corvane"), nullptr);
  const Entity* g = find_entity(an, "Norwegian Coast Guard");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->mention_count, 2);
  // Two full names with the same first word: the short form stays apart.
  Analysis two = Analyzer().run(make_article(
      "Talvik Mining and Talvik Shipping both reported losses. Talvik declined to comment."));
  const Entity* mining = find_entity(two, "Talvik Mining");
  ASSERT_NE(mining, nullptr);
  EXPECT_EQ(mining->mention_count, 1);
}

TEST(Entities, ShortAndPluralFormsOfAProductJoinItsFullName) {
  Article a = make_article(
      "The carrier flies the Velkor V220 on short routes. Each V220 seats 150, and the "
      "airline wants ten more V220s by 2030. Congressional hearings on Velkor Systems began.");
  Analysis an = Analyzer().run(a);
  const Entity* p = find_entity(an, "Velkor V220");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->type, EntityType::kProduct);
  EXPECT_EQ(p->mention_count, 3);
  // A capitalised adjective at a sentence start is not a short form of a full name.
  EXPECT_FALSE(has_entity_named(an, "Congressional"));
}

TEST(Entities, RolesAcronymsAndPlacesBeforeBrands) {
  Article a = make_article(
      "The former Chief Operating Officer, Mira Talvela, will lead the company. Prime Minister "
      "John Major spoke later.\n"
      "Velda Ormund Kasimir, minister of fisheries for Estland, has banned the nets, Nordpress "
      "quoted Kasimir as saying.\n"
      "Sales were counted by QRX Research, a market research firm. QRX said digital sales "
      "rose.\n"
      "Prices in the UK iTunes store will fall, and flights to the United States of America "
      "resume.");
  Analysis an = Analyzer().run(a);
  EXPECT_FALSE(has_entity_named(an, "Operating Officer"));
  const Entity* major = find_entity(an, "John Major");
  ASSERT_NE(major, nullptr);
  EXPECT_EQ(major->type, EntityType::kPerson);
  const Entity* minister = find_entity(an, "Velda Ormund Kasimir");
  ASSERT_NE(minister, nullptr);
  EXPECT_EQ(minister->type, EntityType::kPerson);
  EXPECT_EQ(minister->mention_count, 2);
  const Entity* qrx = find_entity(an, "QRX Research");
  ASSERT_NE(qrx, nullptr);
  EXPECT_EQ(qrx->type, EntityType::kOrganization);
  EXPECT_EQ(qrx->mention_count, 2);
  const Entity* uk = find_entity(an, "UK");
  ASSERT_NE(uk, nullptr);
  EXPECT_EQ(uk->type, EntityType::kLocation);
  const Entity* store = find_entity(an, "iTunes");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->type, EntityType::kProduct);
  const Entity* usa = find_entity(an, "United States of America");
  ASSERT_NE(usa, nullptr);
  EXPECT_EQ(usa->type, EntityType::kLocation);
}

TEST(Entities, ScopeWordsPluralCourtsAndFacilities) {
  Article a = make_article(
      "Shares of Estonian Airways International fell on Monday. The appeal will be heard at "
      "the High Courts of Appeal, and the jets are built at the Marlow Factory near Leeds.");
  Analysis an = Analyzer().run(a);
  const Entity* air = find_entity(an, "Estonian Airways International");
  ASSERT_NE(air, nullptr);
  EXPECT_EQ(air->type, EntityType::kOrganization);
  const Entity* courts = find_entity(an, "High Courts of Appeal");
  ASSERT_NE(courts, nullptr);
  EXPECT_EQ(courts->type, EntityType::kOrganization);
  const Entity* factory = find_entity(an, "Marlow Factory");
  ASSERT_NE(factory, nullptr);
  EXPECT_EQ(factory->type, EntityType::kLocation);
}

TEST(Entities, SharedSurnamesTownBodiesAndScores) {
  Article a = make_article(
      "Marta Oskarsen and Tobin Oskarsen were both at the hearing. Later, Oskarsen spoke to "
      "reporters.\n"
      "The fire started in Dellwood on Sunday. The Dellwood Police Department is "
      "investigating.\n"
      "The Ravens won 3-0 Kestrel on Friday.");
  Analysis an = Analyzer().run(a);
  for (const Mention& m : an.mentions) {
    if (m.text == "Oskarsen") {
      EXPECT_EQ(m.type, EntityType::kPerson);
    }
    if (m.text == "Dellwood") {
      EXPECT_EQ(m.type, EntityType::kLocation);
    }
    EXPECT_NE(m.type, EntityType::kProduct) << m.text;
  }
  const Entity* police = find_entity(an, "Dellwood Police Department");
  ASSERT_NE(police, nullptr);
  EXPECT_EQ(police->mention_count, 1);
}

TEST(Entities, AmpersandAndSiteNamesAreOneName) {
  Article a = make_article(
      "Demand overwhelmed the carrier Q&K on Tuesday, Nordnews.com reported. Spending on R&D "
      "rose, and skewed towards Velmora.");
  Analysis an = Analyzer().run(a);
  const Entity* qk = find_entity(an, "Q&K");
  ASSERT_NE(qk, nullptr);
  EXPECT_EQ(qk->type, EntityType::kOrganization);
  const Entity* site = find_entity(an, "Nordnews.com");
  ASSERT_NE(site, nullptr);
  EXPECT_EQ(site->type, EntityType::kOrganization);
  EXPECT_FALSE(has_entity_named(an, "R&D"));
  const Entity* v = find_entity(an, "Velmora");
  ASSERT_NE(v, nullptr);
  EXPECT_NE(v->type, EntityType::kLocation);
}

TEST(Entities, ProductVersionsAndAppositives) {
  Article a = make_article(
      "Velkor showed the operating system Nimbus OS on Monday. Nimbus OS Falcon ships in June. "
      "Reviewers praised the Vireo Pro - a notebook computer with a long battery life.");
  Analysis an = Analyzer().run(a);
  const Entity* falcon = find_entity(an, "Nimbus OS Falcon");
  ASSERT_NE(falcon, nullptr);
  EXPECT_EQ(falcon->type, EntityType::kProduct);
  const Entity* vireo = find_entity(an, "Vireo Pro");
  ASSERT_NE(vireo, nullptr);
  EXPECT_EQ(vireo->type, EntityType::kProduct);
}

TEST(Entities, SurnameTitlesAndVenues) {
  Article a = make_article(
      "Schools closed in honor of Martin Luther King. Former Prime Minister John Major and "
      "Commission President Ursula Lind met at the Halvard Convention Center.");
  Analysis an = Analyzer().run(a);
  const Entity* king = find_entity(an, "Martin Luther King");
  ASSERT_NE(king, nullptr);
  EXPECT_EQ(king->type, EntityType::kPerson);
  const Entity* major = find_entity(an, "John Major");
  ASSERT_NE(major, nullptr);
  EXPECT_EQ(major->type, EntityType::kPerson);
  const Entity* lind = find_entity(an, "Ursula Lind");
  ASSERT_NE(lind, nullptr);
  EXPECT_EQ(lind->type, EntityType::kPerson);
  const Entity* venue = find_entity(an, "Halvard Convention Center");
  ASSERT_NE(venue, nullptr);
  EXPECT_EQ(venue->type, EntityType::kLocation);
}

// ---- entity_key ----

TEST(EntityKey, FoldsCaseDiacriticsPossessivesAndTitles) {
  EXPECT_EQ(entity_key("José Müller", EntityType::kPerson), "jose muller");
  EXPECT_EQ(entity_key("Putin’s", EntityType::kPerson), "putin");
  EXPECT_EQ(entity_key("President Emmanuel Macron", EntityType::kPerson), "emmanuel macron");
  EXPECT_EQ(entity_key("US President Donald Trump", EntityType::kPerson), "donald trump");
  EXPECT_EQ(entity_key("  Kremlin ", EntityType::kOrganization), "kremlin");
  EXPECT_EQ(entity_key("The Hague", EntityType::kLocation), "hague");
}

TEST(EntityKey, ProductPluralsShareTheKey) {
  EXPECT_EQ(entity_key("Skyrunners", EntityType::kProduct),
            entity_key("Skyrunner", EntityType::kProduct));
  EXPECT_EQ(entity_key("V220s", EntityType::kProduct), entity_key("V220", EntityType::kProduct));
  EXPECT_NE(entity_key("Mac OS", EntityType::kProduct), entity_key("Mac O", EntityType::kProduct));
  EXPECT_EQ(entity_key("Harbours", EntityType::kOrganization), "harbours");
}

TEST(EntityKey, FoldsTransliterationVariants) {
  const std::string z = entity_key("Zelensky", EntityType::kPerson);
  EXPECT_EQ(z, "zelensky");
  EXPECT_EQ(entity_key("Zelenskiy", EntityType::kPerson), z);
  EXPECT_EQ(entity_key("Zelenskyy", EntityType::kPerson), z);
  EXPECT_EQ(entity_key("Dmitriy", EntityType::kPerson), entity_key("Dmitry", EntityType::kPerson));
  EXPECT_EQ(entity_key("Sergey Lavrov", EntityType::kPerson),
            entity_key("Sergei Lavrov", EntityType::kPerson));
  // "kh" is not folded to "h": Kharkiv and Harkiv stay apart.
  EXPECT_NE(entity_key("Khalid", EntityType::kPerson), entity_key("Halid", EntityType::kPerson));
  // Place names are not folded like person names.
  EXPECT_EQ(entity_key("Turkey", EntityType::kLocation), "turkey");
}

// ---- Quotes ----

TEST_F(HarbourStrike, SpeakerBeforeColon) {
  const Quote* q = find_quote(an_, "We will not go back to work");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->speaker, "Marta Kask");
  EXPECT_GE(q->speaker_entity, 0);
  EXPECT_EQ(q->cue, "said");
  EXPECT_TRUE(q->direct);
  EXPECT_FALSE(q->partial);
}

TEST_F(HarbourStrike, SpeakerAfterQuoteAndSaidBeforeName) {
  const Quote* q = find_quote(an_, "offered us nothing new");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->speaker, "Marta Kask");
  const Quote* q2 = find_quote(an_, "We are TIRED of waiting");
  ASSERT_NE(q2, nullptr);
  EXPECT_EQ(q2->speaker, "Peeter Tamm");
  // The quotation spans two sentences.
  EXPECT_NE(q2->text.find("This is the third meeting"), std::string::npos);
  const Entity* tamm = find_entity(an_, "Peeter Tamm");
  ASSERT_NE(tamm, nullptr);
  EXPECT_EQ(tamm->type, EntityType::kPerson);
}

TEST_F(HarbourStrike, PronounSpeakerResolvesToLastNamedSubject) {
  const Quote* q = find_quote(an_, "hiding behind lawyers");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->speaker, "Marta Kask");
  EXPECT_TRUE(q->partial);
}

TEST_F(HarbourStrike, PartialQuoteAfterSaidThereWere) {
  const Quote* q = find_quote(an_, "clear signs that members");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->speaker, "Marta Kask");
  EXPECT_TRUE(q->partial);
}

TEST_F(HarbourStrike, DescribedAsAndScareQuotes) {
  const Quote* q = find_quote(an_, "serious");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->speaker, "Dmitriy Volkov");
  EXPECT_EQ(q->cue, "described");
  EXPECT_EQ(find_quote(an_, "green corridor"), nullptr);
}

TEST_F(HarbourStrike, ReportedSpeechAndAccordingTo) {
  const Quote* told = find_quote(an_, "a deal was close");
  ASSERT_NE(told, nullptr);
  EXPECT_FALSE(told->direct);
  EXPECT_EQ(told->speaker, "Dmitriy Volkov");
  EXPECT_EQ(told->cue, "told");
  const Quote* according = find_quote(an_, "similar dispute");
  ASSERT_NE(according, nullptr);
  EXPECT_EQ(according->speaker, "Harbour Gazette");
  EXPECT_EQ(according->cue, "according to");
  EXPECT_FALSE(according->direct);
  const Quote* org = find_quote(an_, "talks lasted more than six hours");
  ASSERT_NE(org, nullptr);
  EXPECT_EQ(org->speaker, "National Harbour Authority");
}

TEST(Quotes, RoleSpeakerWithoutNameAndRoleResolvedToIntroducedPerson) {
  Article a = make_article(
      "“The bridge will reopen next month,” the transport ministry spokesman said.\n"
      "Police spokeswoman Ida Lund confirmed two arrests. “Both men are in custody,” the "
      "spokeswoman said.");
  Analysis an = Analyzer().run(a);
  const Quote* q = find_quote(an, "bridge will reopen");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->speaker, "the transport ministry spokesman");
  EXPECT_EQ(q->speaker_entity, -1);
  const Quote* q2 = find_quote(an, "Both men are in custody");
  ASSERT_NE(q2, nullptr);
  EXPECT_EQ(q2->speaker, "Ida Lund");
}

TEST(Quotes, PostedOnlineAndToldOutlet) {
  Article a = make_article(
      "Senator Ruth Okafor reacted within minutes. “This budget is a disgrace,” Okafor "
      "posted online.\nFinance Minister Jonas Brandt told Channel Nine News “we will not "
      "change course.”");
  Analysis an = Analyzer().run(a);
  const Quote* q = find_quote(an, "budget is a disgrace");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->speaker, "Ruth Okafor");
  EXPECT_EQ(q->cue, "posted");
  const Quote* q2 = find_quote(an, "we will not change course");
  ASSERT_NE(q2, nullptr);
  EXPECT_EQ(q2->speaker, "Jonas Brandt");
  EXPECT_EQ(q2->cue, "told");
}

TEST(Quotes, ParticipleCueTakesMainClauseSubject) {
  Article a = make_article(
      "Before the vote with Governor Alan Pierce, Mayor Sofia Reyes criticised the plan, "
      "saying she was “deeply worried” about the cost.");
  Analysis an = Analyzer().run(a);
  const Quote* q = find_quote(an, "deeply worried");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->speaker, "Sofia Reyes");
}

TEST(Quotes, AccordingToAndSentenceFinalPluralSpeakers) {
  Article a = make_article(
      "According to police, the driver lost control on the icy bridge.\n"
      "The crash was the third on that road this winter, investigators say.");
  Analysis an = Analyzer().run(a);
  const Quote* q = find_quote(an, "the driver lost control");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->speaker, "police");
  EXPECT_EQ(q->cue, "according to");
  EXPECT_FALSE(q->direct);
  const Quote* q2 = find_quote(an, "third on that road");
  ASSERT_NE(q2, nullptr);
  EXPECT_EQ(q2->speaker, "investigators");
}

// ---- Figures ----

TEST_F(HarbourStrike, CountsMoneyPercentOrdinalsDurations) {
  const Figure* injured = find_figure(an_, "at least 14");
  ASSERT_NE(injured, nullptr);
  EXPECT_EQ(injured->kind, FigureKind::kCount);
  EXPECT_EQ(injured->value, 14);
  EXPECT_EQ(injured->unit, "people");
  EXPECT_EQ(injured->qualifier, "at least");
  const Figure* money = find_figure(an_, "€3.5 billion");
  ASSERT_NE(money, nullptr);
  EXPECT_EQ(money->kind, FigureKind::kMoney);
  EXPECT_DOUBLE_EQ(money->value, 3.5e9);
  EXPECT_EQ(money->unit, "EUR");
  const Figure* pct = find_figure(an_, "7 percent");
  ASSERT_NE(pct, nullptr);
  EXPECT_EQ(pct->kind, FigureKind::kPercent);
  EXPECT_EQ(pct->value, 7);
  EXPECT_EQ(pct->unit, "% of GDP");
  EXPECT_EQ(pct->qualifier, "about");
  const Figure* third = find_figure(an_, "third");
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(third->kind, FigureKind::kOrdinal);
  EXPECT_EQ(third->value, 3);
  EXPECT_EQ(third->unit, "meeting");
  const Figure* hours = find_figure(an_, "48-hour");
  ASSERT_NE(hours, nullptr);
  EXPECT_EQ(hours->kind, FigureKind::kDuration);
  EXPECT_EQ(hours->value, 48);
  EXPECT_EQ(hours->unit, "hour");
  const Figure* six = find_figure(an_, "six hours");
  ASSERT_NE(six, nullptr);
  EXPECT_EQ(six->kind, FigureKind::kDuration);
  EXPECT_EQ(six->value, 6);
  EXPECT_EQ(six->qualifier, "more than");
}

TEST(Figures, IncludingSplitsCountsAndNumberWords) {
  Article a = make_article(
      "The landslide killed 31 people, including six children. Several hundred volunteers "
      "joined a three-day search. The two teams ended the five-hour dive at dusk.");
  Analysis an = Analyzer().run(a);
  const Figure* all = find_figure(an, "31");
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(all->value, 31);
  const Figure* kids = find_figure(an, "six");
  ASSERT_NE(kids, nullptr);
  EXPECT_EQ(kids->value, 6);
  EXPECT_EQ(kids->unit, "children");
  const Figure* vol = find_figure(an, "Several hundred");
  ASSERT_NE(vol, nullptr);
  EXPECT_EQ(vol->kind, FigureKind::kCount);
  EXPECT_GE(vol->value, 200);
  const Figure* days = find_figure(an, "three-day");
  ASSERT_NE(days, nullptr);
  EXPECT_EQ(days->kind, FigureKind::kDuration);
  EXPECT_EQ(days->unit, "day");
  // After "the", a small number word refers back ("the two teams"), but a hyphenated
  // duration is still one ("the five-hour dive").
  EXPECT_EQ(find_figure(an, "two"), nullptr);
  const Figure* hours = find_figure(an, "five-hour");
  ASSERT_NE(hours, nullptr);
  EXPECT_EQ(hours->kind, FigureKind::kDuration);
  EXPECT_EQ(hours->value, 5);
  EXPECT_EQ(hours->unit, "hour");
}

TEST(Figures, CurrenciesAndElidedOrdinalAndYearsAreNotFigures) {
  Article a = make_article(
      "The club paid $200 million and £40m in fees, up 12% on 2019. Lund's trip to Bergen is "
      "her second this year.");
  Analysis an = Analyzer().run(a);
  const Figure* usd = find_figure(an, "$200 million");
  ASSERT_NE(usd, nullptr);
  EXPECT_EQ(usd->unit, "USD");
  EXPECT_DOUBLE_EQ(usd->value, 2e8);
  const Figure* gbp = find_figure(an, "£40m");
  ASSERT_NE(gbp, nullptr);
  EXPECT_EQ(gbp->unit, "GBP");
  EXPECT_DOUBLE_EQ(gbp->value, 4e7);
  const Figure* pct = find_figure(an, "12%");
  ASSERT_NE(pct, nullptr);
  EXPECT_EQ(pct->unit, "%");
  EXPECT_EQ(find_figure(an, "2019"), nullptr);
  const Figure* second = find_figure(an, "second");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->kind, FigureKind::kOrdinal);
  EXPECT_EQ(second->unit, "trip");
}

// ---- Dates ----
// Publication date 2024-03-14 is a Thursday; Monday of that week is 2024-03-11.

TEST_F(HarbourStrike, RelativeDatesAndEventDate) {
  const DateMention* y = find_date(an_, "yesterday");
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(y->value, "2024-03-13");
  EXPECT_TRUE(y->relative);
  const DateMention* mon = find_date(an_, "Monday");
  ASSERT_NE(mon, nullptr);
  EXPECT_EQ(mon->value, "2024-03-11");
  const DateMention* jan = find_date(an_, "January");
  ASSERT_NE(jan, nullptr);
  EXPECT_EQ(jan->value, "2024-01");
  EXPECT_EQ(jan->granularity, DateGranularity::kMonth);
  EXPECT_EQ(an_.event_date, "2024-03-13");
}

TEST(Dates, WeekdaysMonthsYearsAndIso) {
  Article a = make_article(
      "The court ruled on Thursday. Lawyers met on Friday last week. The deal, signed on "
      "4 April 2023, expires in November. Talks resumed June 2 and broke down December 20. "
      "Prices have risen since 2019 and will fall next year, the bank said in a 2024-02-29 "
      "note. Delegates will meet on Friday. Earlier this week the port reopened; last year it "
      "shut for good in March.",
      "2024-03-14");
  Analysis an = Analyzer().run(a);
  auto value = [&](const std::string& text) {
    const DateMention* d = find_date(an, text);
    return d ? d->value : std::string("<missing>");
  };
  EXPECT_EQ(value("Thursday"), "2024-03-14");  // the publication weekday is that day
  EXPECT_EQ(value("4 April 2023"), "2023-04-04");
  EXPECT_EQ(value("November"), "2023-11");        // most recent November
  EXPECT_EQ(value("June 2"), "2024-06-02");       // near future stays in the publication year
  EXPECT_EQ(value("December 20"), "2023-12-20");  // far future means last year
  EXPECT_EQ(value("2019"), "2019");
  EXPECT_EQ(value("next year"), "2025");
  EXPECT_EQ(value("last year"), "2023");
  EXPECT_EQ(value("2024-02-29"), "2024-02-29");
  EXPECT_EQ(value("Earlier this week"), "2024-W11");  // ISO week
  EXPECT_EQ(value("March"), "2024-03");
  // "will meet on Friday" looks ahead.
  int fridays = 0;
  for (const DateMention& d : an.dates) {
    if (d.text != "Friday") continue;
    ++fridays;
    if (fridays == 1) {
      EXPECT_EQ(d.value, "2024-03-08");
    } else {
      EXPECT_EQ(d.value, "2024-03-15");
    }
  }
  EXPECT_EQ(fridays, 2);
  const DateMention* y = find_date(an, "2019");
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(y->granularity, DateGranularity::kYear);
  EXPECT_EQ(an.event_date, "2024-03-14");
}

TEST(Dates, NoPublicationDateLeavesRelativeDatesEmpty) {
  Article a = make_article("The minister resigned yesterday, months after the May 2021 vote.", "");
  Analysis an = Analyzer().run(a);
  const DateMention* y = find_date(an, "yesterday");
  ASSERT_NE(y, nullptr);
  EXPECT_TRUE(y->value.empty());
  EXPECT_EQ(find_date(an, "May 2021")->value, "2021-05");
  EXPECT_TRUE(an.event_date.empty());
}

TEST(Dates, EventDateFallsBackToPublication) {
  Article a = make_article(
      "Fishermen in the north say catches are shrinking. The trend started in 2015.\n"
      "A report on Tuesday confirmed it.",
      "2024-03-14T09:00:00Z");
  Analysis an = Analyzer().run(a);
  EXPECT_EQ(an.event_date, "2024-03-14");
  EXPECT_EQ(find_date(an, "Tuesday")->value, "2024-03-12");
}

// ---- EntityDirectory ----

Entity person(const std::string& name) {
  Entity e;
  e.name = name;
  e.type = EntityType::kPerson;
  e.key = entity_key(name, e.type);
  e.aliases = {name};
  e.mention_count = 1;
  return e;
}

TEST(Directory, SurnameOnlyResolvesToKnownFullName) {
  EntityDirectory dir;
  Entity full = dir.resolve(person("Olena Kravets"));
  EXPECT_EQ(full.name, "Olena Kravets");
  Entity surname = dir.resolve(person("Kravets"));
  EXPECT_EQ(surname.name, "Olena Kravets");
  EXPECT_EQ(surname.key, "olena kravets");
  ASSERT_EQ(dir.entries().size(), 1u);
  EXPECT_EQ(dir.entries()[0].article_count, 2);
}

TEST(Directory, TransliterationVariantIsTheSamePerson) {
  EntityDirectory dir;
  dir.resolve(person("Yuriy Bondarenko"));
  Entity other = dir.resolve(person("Yury Bondarenko"));
  EXPECT_EQ(other.name, "Yuriy Bondarenko");
  EXPECT_EQ(dir.entries().size(), 1u);
}

TEST(Directory, GivenNameTransliterationsWithTheSameSurnameMerge) {
  EntityDirectory dir;
  const Entity first = dir.resolve(person("Aleksandr Brovkin"));
  EXPECT_EQ(dir.resolve(person("Alexander Brovkin")).key, first.key);
  ASSERT_EQ(dir.entries().size(), 1u);
  EXPECT_EQ(dir.entries()[0].article_count, 2);
  // Short given names one letter apart are different people.
  EXPECT_NE(dir.resolve(person("Maria Lindgren")).key, dir.resolve(person("Mario Lindgren")).key);
  // So are clearly different given names with a shared surname.
  EXPECT_NE(dir.resolve(person("Katarina Brovkin")).key, first.key);
}

TEST(Directory, SurnameFirstThenFullNameUpgradesTheEntry) {
  EntityDirectory dir;
  dir.resolve(person("Haugen"));
  Entity full = dir.resolve(person("Kari Haugen"));
  EXPECT_EQ(full.name, "Kari Haugen");
  ASSERT_EQ(dir.entries().size(), 1u);
  EXPECT_EQ(dir.entries()[0].name, "Kari Haugen");
  EXPECT_EQ(dir.entries()[0].article_count, 2);
  // The short form still resolves after the upgrade.
  EXPECT_EQ(dir.resolve(person("Haugen")).name, "Kari Haugen");
}

TEST(Directory, AmbiguousSurnameDoesNotMerge) {
  EntityDirectory dir;
  dir.resolve(person("Anna Berg"));
  dir.resolve(person("Tomas Berg"));
  Entity s = dir.resolve(person("Berg"));
  EXPECT_EQ(s.name, "Berg");
  EXPECT_EQ(dir.entries().size(), 3u);
}

TEST(Directory, AcronymMatchesExpansionByInitials) {
  EntityDirectory dir;
  Entity org;
  org.name = "Nordic Rail Union";
  org.type = EntityType::kOrganization;
  org.key = entity_key(org.name, org.type);
  dir.resolve(org);
  Entity acr;
  acr.name = "NRU";
  acr.type = EntityType::kOrganization;
  acr.key = entity_key(acr.name, acr.type);
  EXPECT_EQ(dir.resolve(acr).name, "Nordic Rail Union");
  // Types keep referents apart.
  Entity place;
  place.name = "Nordic Rail Union";
  place.type = EntityType::kLocation;
  dir.resolve(place);
  EXPECT_EQ(dir.entries().size(), 2u);
}

TEST(Directory, LoadRebuildsIndexes) {
  EntityDirectory dir;
  dir.resolve(person("Volodymyr Zelenskiy"));
  std::vector<EntityDirectory::Entry> saved = dir.entries();
  EntityDirectory restored;
  restored.load(saved);
  Entity z = restored.resolve(person("Zelensky"));
  EXPECT_EQ(z.name, "Volodymyr Zelenskiy");
  EXPECT_EQ(restored.entries().size(), 1u);
  EXPECT_EQ(restored.entries()[0].article_count, 2);
}

TEST(Directory, AnalyzerEntitiesAcrossArticles) {
  Analyzer analyzer;
  EntityDirectory dir;
  Analysis a =
      analyzer.run(make_article("Ukrainian President Volodymyr Zelenskiy met "
                                "Chancellor Greta Lindqvist in Kyiv."));
  Analysis b = analyzer.run(make_article("Zelensky later said the talks were useful."));
  for (Entity& e : a.entities) e = dir.resolve(e);
  for (Entity& e : b.entities) e = dir.resolve(e);
  bool found = false;
  for (const Entity& e : b.entities)
    if (e.key == "volodymyr zelensky") found = true;
  EXPECT_TRUE(found);
}

// ---- Robustness ----

TEST(Robustness, EmptyAndWhitespace) {
  Analyzer analyzer;
  for (const char* text : {"", " ", "\n\n\n", "\t \n "}) {
    Analysis an = analyzer.run(make_article(text));
    EXPECT_TRUE(an.entities.empty());
    EXPECT_TRUE(an.quotes.empty());
  }
}

TEST(Robustness, InvalidUtf8AndBinary) {
  std::string bad = "President \xC3\x28 Olaf \xFF\xFE said \xE2\x80 “unfinished";
  bad += std::string("\0\x01\x02 \x80\x81 Berlin", 14);
  Analysis an = Analyzer().run(make_article(bad));
  // Spans stay offsets into the caller's bytes even when those are not valid UTF-8.
  for (const Mention& m : an.mentions) EXPECT_LE(m.span.end, bad.size());
  for (const Sentence& s : an.sentences) EXPECT_LE(s.span.end, bad.size());
  EXPECT_TRUE(has_entity_named(an, "Berlin"));
  std::string binary;
  for (int i = 0; i < 5000; ++i) binary.push_back(static_cast<char>((i * 131) % 256));
  Analysis an2 = Analyzer().run(make_article(binary));
  SUCCEED();
}

TEST(Robustness, DeeplyNestedQuotesAndParentheses) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "“(";
  text += "Kask said";
  for (int i = 0; i < 20000; ++i) text += ")”";
  Analysis an = Analyzer().run(make_article(text));
  SUCCEED();
}

TEST(Robustness, FiveMegabytesFinish) {
  const std::string para = read_testdata("harbour_strike.txt") + "\n";
  std::string text;
  while (text.size() < 5 * 1024 * 1024) text += para;
  Article a = make_article(std::move(text));
  Analysis an = Analyzer().run(a);
  EXPECT_GT(an.entities.size(), 5u);
  EXPECT_GT(an.quotes.size(), 1000u);
}

TEST(Options, DisabledPartsAreEmpty) {
  Options opt;
  opt.entities = false;
  opt.figures = false;
  Analysis an = Analyzer(opt).run(make_article(read_testdata("harbour_strike.txt")));
  EXPECT_TRUE(an.entities.empty());
  EXPECT_TRUE(an.mentions.empty());
  EXPECT_TRUE(an.figures.empty());
  EXPECT_FALSE(an.quotes.empty());
  EXPECT_FALSE(an.dates.empty());
  for (const Quote& q : an.quotes) EXPECT_EQ(q.speaker_entity, -1);
}

// ---- Rules for news in general: products, initialisms, TIMEX3 values, bare numbers ----

TEST(Entities, ProductsWithModelCodesAndCamelCaseBrands) {
  Article a = make_article(
      "Carrier Nordvik Air ordered six Skyward 450 jets and two Skyward K9X freighters. Its "
      "engineers said the Skyward 450 flies farther than the zPad maker's tablets.");
  Analysis an = Analyzer().run(a);
  const Entity* jet = find_entity(an, "Skyward 450");
  ASSERT_NE(jet, nullptr);
  EXPECT_EQ(jet->type, EntityType::kProduct);  // a product, not an organisation
  EXPECT_EQ(jet->mention_count, 2);
  const Entity* freighter = find_entity(an, "Skyward K9X");
  ASSERT_NE(freighter, nullptr);
  EXPECT_EQ(freighter->type, EntityType::kProduct);
  EXPECT_TRUE(has_entity_named(an, "zPad"));
  // What a company owns is its product: "Kalmar Bank's Flexa".
  Analysis owned = Analyzer().run(make_article("Customers of Kalmar Bank's Flexa card waited."));
  const Entity* card = find_entity(owned, "Flexa");
  ASSERT_NE(card, nullptr);
  EXPECT_EQ(card->type, EntityType::kProduct);
  // The model number is part of the name, not a count.
  EXPECT_EQ(find_figure(an, "450"), nullptr);
  const Figure* six = find_figure(an, "six");
  ASSERT_NE(six, nullptr);
  EXPECT_EQ(six->text, "six");
  EXPECT_EQ(six->value, 6);
}

TEST(Entities, DottedInitialismsAndCurrencyPrefixes) {
  Article a = make_article(
      "Ministers in the U.S. capital approved a US$40 million loan to Kalmar Freight Lines.");
  Analysis an = Analyzer().run(a);
  const Entity* us = find_entity(an, "U.S.");
  ASSERT_NE(us, nullptr);
  EXPECT_EQ(us->type, EntityType::kLocation);
  for (const Mention& m : an.mentions) EXPECT_NE(m.text, "US");  // "US$" is a currency
  // An unknown multi-word name without a person's given name is an organisation.
  const Entity* lines = find_entity(an, "Kalmar Freight Lines");
  ASSERT_NE(lines, nullptr);
  EXPECT_EQ(lines->type, EntityType::kOrganization);
}

TEST(Figures, SpansAreTheNumberWithQualifierRangesAndBareNumbers) {
  Article a = make_article(
      "The ferry carried all 212 passengers. Repairs will cost between $3 million and "
      "$5 million, about US$2.5 billion to $4 billion over a decade, or 15-20% of the budget. "
      "Fares rose to 38 and tickets cost $149 USD. Only one boat sailed.");
  Analysis an = Analyzer().run(a);
  const Figure* pax = find_figure(an, "212");
  ASSERT_NE(pax, nullptr);
  EXPECT_EQ(pax->text, "all 212");
  EXPECT_EQ(pax->unit, "passengers");
  const Figure* range = find_figure(an, "$3 million");
  ASSERT_NE(range, nullptr);
  EXPECT_EQ(range->text, "between $3 million and $5 million");
  EXPECT_DOUBLE_EQ(range->value, 3e6);
  const Figure* usd = find_figure(an, "US$2.5 billion");
  ASSERT_NE(usd, nullptr);
  EXPECT_EQ(usd->text, "about US$2.5 billion to $4 billion");
  const Figure* pct = find_figure(an, "15-20");
  ASSERT_NE(pct, nullptr);
  EXPECT_EQ(pct->kind, FigureKind::kPercent);
  EXPECT_EQ(pct->text, "15-20%");
  const Figure* bare = find_figure(an, "38");
  ASSERT_NE(bare, nullptr);
  EXPECT_EQ(bare->kind, FigureKind::kOther);
  const Figure* fare = find_figure(an, "$149");
  ASSERT_NE(fare, nullptr);
  EXPECT_EQ(fare->text, "$149 USD");
  EXPECT_EQ(find_figure(an, "one"), nullptr);  // "one" alone is a pronoun more often than not
}

TEST(Dates, Timex3WeeksPartsOfDayTimesAndSpans) {
  // 2024-03-14 is a Thursday in ISO week 11.
  Article a = make_article(
      "The plant reopened this morning after a fire last week. Inspectors arrived on Tuesday "
      "evening and the line restarted at 18:30 UTC. The hearing is set to open on Monday. "
      "Output fell in early 2023, and the union meets this weekend.",
      "2024-03-14");
  Analysis an = Analyzer().run(a);
  auto value = [&](const std::string& text) {
    const DateMention* d = find_date(an, text);
    return d ? d->value : std::string("<missing>");
  };
  EXPECT_EQ(value("this morning"), "2024-03-14TMO");
  EXPECT_EQ(value("last week"), "2024-W10");
  EXPECT_EQ(value("Tuesday evening"), "2024-03-12TEV");
  EXPECT_EQ(value("18:30 UTC"), "2024-03-12T18:30Z");  // on the sentence's date
  EXPECT_EQ(value("Monday"), "2024-03-18");            // "is set to" looks ahead
  EXPECT_EQ(value("early 2023"), "2023");
  EXPECT_EQ(value("this weekend"), "2024-W11-WE");
  EXPECT_EQ(find_date(an, "on Tuesday evening"), nullptr);  // no preposition in the span
  EXPECT_EQ(an.event_date, "2024-03-14");
}

TEST(Quotes, ReportingVerbsWithoutThatAreSpeechEvents) {
  Article a = make_article(
      "Harlow Motors announces recall of 4,000 vans\n"
      "Harlow Motors claims the fault affects only older models. Analysts expect further "
      "recalls, and regulator chief Ines Albrecht confirmed an inquiry.");
  Analysis an = Analyzer().run(a);
  const Quote* recall = find_quote(an, "recall of");
  ASSERT_NE(recall, nullptr);
  EXPECT_EQ(recall->cue, "announces");
  EXPECT_EQ(recall->speaker, "Harlow Motors");
  EXPECT_FALSE(recall->direct);
  const Quote* claim = find_quote(an, "the fault affects");
  ASSERT_NE(claim, nullptr);
  EXPECT_EQ(claim->cue, "claims");
  const Quote* expect = find_quote(an, "further recalls");
  ASSERT_NE(expect, nullptr);
  EXPECT_EQ(expect->cue, "expect");
  EXPECT_EQ(expect->speaker, "Analysts");
  const Quote* inquiry = find_quote(an, "an inquiry");
  ASSERT_NE(inquiry, nullptr);
  EXPECT_EQ(inquiry->speaker, "Ines Albrecht");
}

TEST(EntityKey, LegalFormsAndCountryShortNamesFold) {
  EXPECT_EQ(entity_key("Harlow Motors Inc.", EntityType::kOrganization), "harlow motors");
  EXPECT_EQ(entity_key("The Harlow Motors Company", EntityType::kOrganization), "harlow motors");
  EXPECT_EQ(entity_key("Kalmar Group plc", EntityType::kOrganization), "kalmar");
  EXPECT_EQ(entity_key("Group", EntityType::kOrganization), "group");  // never empty
  EXPECT_EQ(entity_key("U.S.", EntityType::kLocation), "united states");
  EXPECT_EQ(entity_key("US", EntityType::kLocation), "united states");
  EXPECT_EQ(entity_key("Britain", EntityType::kLocation), "united kingdom");
  EXPECT_EQ(entity_key("US", EntityType::kOrganization), "us");  // only places fold
}

TEST(Dates, QuartersPeriodEdgesReferenceWordsAndNumericDates) {
  // Published Thursday 2024-03-14, in the first quarter.
  Article a = make_article(
      "Profits rose in the last quarter and will rise again in the third quarter of 2024. "
      "Sales fell at the beginning of the year, the firm recently said, and it is now "
      "cheaper than over the past decade. The plant opened on 7/8/23 and shut this week.",
      "2024-03-14");
  Analysis an = Analyzer().run(a);
  auto value = [&](const std::string& text) {
    const DateMention* d = find_date(an, text);
    return d ? d->value : std::string("<missing>");
  };
  EXPECT_EQ(value("the last quarter"), "2023-Q4");
  EXPECT_EQ(value("the third quarter of 2024"), "2024-Q3");
  EXPECT_EQ(value("the beginning of the year"), "2024");
  EXPECT_EQ(value("recently"), "PAST_REF");
  EXPECT_EQ(value("now"), "PRESENT_REF");
  EXPECT_EQ(value("past decade"), "201");    // TIMEX3 decade: the 2010s
  EXPECT_EQ(value("7/8/23"), "2023-07-08");  // US order month/day/year
  const DateMention* week = find_date(an, "this week");
  ASSERT_NE(week, nullptr);
  EXPECT_EQ(week->value, "2024-W11");
  EXPECT_EQ(week->granularity, DateGranularity::kWeek);
  for (const Figure& f : an.figures) EXPECT_EQ(f.text.find('7'), std::string::npos) << f.text;
}

TEST(Dates, LaterOrEarlierThisYearNarrowsToTheOnlyQuarterLeft) {
  auto value_of = [](const std::string& text, const std::string& published,
                     const std::string& phrase) {
    Analysis an = Analyzer().run(make_article(text, published));
    const DateMention* d = find_date(an, phrase);
    return d ? d->value : std::string("<missing>");
  };
  const std::string later = "The ferry will return to service later this year.";
  EXPECT_EQ(value_of(later, "2024-10-05", "later this year"), "2024-Q4");
  EXPECT_EQ(value_of(later, "2024-05-05", "later this year"), "2024");  // Q2 to Q4: the year
  const std::string earlier = "The ferry was withdrawn earlier this year.";
  EXPECT_EQ(value_of(earlier, "2024-02-20", "earlier this year"), "2024-Q1");
  EXPECT_EQ(value_of(earlier, "2024-08-20", "earlier this year"), "2024");
}

// Value of the date whose text is `text`, "<missing>" when there is none.
std::string date_value(const Analysis& an, const std::string& text) {
  const DateMention* d = find_date(an, text);
  return d ? d->value : std::string("<missing>");
}

TEST(Dates, ModifiersEarlyLateMidStayInsideTheExpression) {
  // Published Thursday 2024-03-14.
  Analysis an = Analyzer().run(make_article(
      "The dock reopened late last year and the crane arrives in early April. Talks ran until "
      "late Tuesday. The yard was busiest in the early 1990s, and the 1970s were quiet.",
      "2024-03-14"));
  EXPECT_EQ(date_value(an, "late last year"), "2023");
  EXPECT_EQ(date_value(an, "early April"), "2023-04");  // a bare month is not after publication
  EXPECT_EQ(date_value(an, "late Tuesday"), "2024-03-12");
  EXPECT_EQ(date_value(an, "the early 1990s"), "199");  // TIMEX3 decade
  EXPECT_EQ(date_value(an, "the 1970s"), "197");
  EXPECT_EQ(find_date(an, "last year"), nullptr);
  for (const Figure& f : an.figures) EXPECT_EQ(f.text.find("19"), std::string::npos) << f.text;
}

TEST(Dates, HalvesSeasonsAndEdgesOfMonthsAndYears) {
  Analysis an = Analyzer().run(make_article(
      "Freight fell in the fourth quarter of last year and in the second half of 2022. "
      "The line opens this summer, after last winter's floods, and the survey ends in the "
      "autumn of 2025. Fares rise at the end of the month and again at the end of January. "
      "The team scored in the second half. This fall in demand worried the board.",
      "2024-12-10"));
  EXPECT_EQ(date_value(an, "the fourth quarter of last year"), "2023-Q4");
  EXPECT_EQ(date_value(an, "the second half of 2022"), "2022-H2");
  EXPECT_EQ(date_value(an, "this summer"), "2024-SU");  // of the publication year
  EXPECT_EQ(date_value(an, "last winter"), "2023-WI");  // winter 2023 began in December 2023
  EXPECT_EQ(date_value(an, "the autumn of 2025"), "2025-FA");
  EXPECT_EQ(date_value(an, "the end of the month"), "2024-12");
  EXPECT_EQ(date_value(an, "the end of January"), "2025-01");  // the January nearest publication
  EXPECT_EQ(find_date(an, "the second half"), nullptr);        // of a match: no year, no date
  for (const DateMention& d : an.dates) EXPECT_EQ(d.text.find("fall"), std::string::npos);
}

TEST(Dates, YearOnYearPeriodsAndAdjacentDaysFollowTheLastNamedDate) {
  Analysis an = Analyzer().run(make_article(
      "Brenholt Foods said profit rose in the third quarter, against a loss in the same "
      "period a year earlier. The plant flooded on June 4; the following day it closed. "
      "Sales beat the same period last year.",
      "2024-11-02"));
  EXPECT_EQ(date_value(an, "the third quarter"), "2024-Q3");
  EXPECT_EQ(date_value(an, "the same period a year earlier"), "2023-Q3");
  EXPECT_EQ(date_value(an, "the following day"), "2024-06-05");
  EXPECT_EQ(date_value(an, "the same period last year"), "2023-Q3");
  // Without a period named before, the year before publication.
  Analysis bare = Analyzer().run(
      make_article("Orders were up on the same quarter of the previous year.", "2024-11-02"));
  EXPECT_EQ(date_value(bare, "the same quarter of the previous year"), "2023");
}

TEST(Dates, CurrentPeriodsFutureAndPastReferencesAndAdjacentYears) {
  Analysis an = Analyzer().run(make_article(
      "Margins narrowed in the current quarter. The mill may reopen in the near future, as it "
      "did in the past, and stays shut for the foreseeable future. The future of the mill is "
      "unclear. Output peaked in 2019 and fell the following year; in the past two years it "
      "recovered. Nowadays the town is quiet.",
      "2024-08-20"));
  EXPECT_EQ(date_value(an, "the current quarter"), "2024-Q3");
  EXPECT_EQ(date_value(an, "the near future"), "FUTURE_REF");
  EXPECT_EQ(date_value(an, "the past"), "PAST_REF");
  EXPECT_EQ(date_value(an, "the foreseeable future"), "FUTURE_REF");
  EXPECT_EQ(date_value(an, "the following year"), "2020");  // from the last year written
  EXPECT_EQ(date_value(an, "Nowadays"), "PRESENT_REF");
  EXPECT_EQ(find_date(an, "The future"), nullptr);          // "the future of the mill"
  EXPECT_EQ(find_date(an, "the past two years"), nullptr);  // a duration
  for (const DateMention& d : an.dates) EXPECT_EQ(d.text.find("two"), std::string::npos);
}

TEST(Dates, FiscalYearsAndQuarterCodes) {
  // Published 2024-02-06.
  Analysis an = Analyzer().run(make_article(
      "Kestrel Mills earned more in fiscal 2023 than forecast, and the first quarter of fiscal "
      "2024 was its best. At the very start of the financial year orders doubled, compared "
      "with the same period of the previous year. Guidance for FY25 and last fiscal year's "
      "loss were restated. Sales fell in Q3 2023 and rose in Q4; the Audi Q3 sold well.",
      "2024-02-06"));
  EXPECT_EQ(date_value(an, "fiscal 2023"), "FY2023");
  EXPECT_EQ(date_value(an, "the first quarter of fiscal 2024"), "FY2024-Q1");
  EXPECT_EQ(date_value(an, "the very start of the financial year"), "FY2024");
  // The year-on-year period is the last reporting period named, a year back.
  EXPECT_EQ(date_value(an, "the same period of the previous year"), "FY2023");
  EXPECT_EQ(date_value(an, "FY25"), "FY2025");
  EXPECT_EQ(date_value(an, "last fiscal year"), "FY2023");
  EXPECT_EQ(date_value(an, "Q3 2023"), "2023-Q3");
  EXPECT_EQ(date_value(an, "Q4"), "2023-Q4");  // the latest fourth quarter
  EXPECT_EQ(find_date(an, "Q3"), nullptr);     // a car after its maker's name
}

TEST(Dates, ReferenceWordsAreNeverTheEventDate) {
  Analysis an = Analyzer().run(make_article(
      "Ferry back in service\nThe ferry is currently running, and in the near future it will "
      "add a second crossing.",
      "2024-05-02"));
  EXPECT_EQ(date_value(an, "currently"), "PRESENT_REF");
  EXPECT_EQ(an.event_date, "2024-05-02");  // publication, not "PRESENT_RE"
}

TEST(Dates, ClockTimesWithZonesWholeHoursAndTheDayAfterThem) {
  // Published Thursday 2024-03-14.
  Analysis an = Analyzer().run(make_article(
      "The ferry sailed at 4 p.m. on Tuesday. It docked at 6:40 p.m. (GMT +8) and the crew "
      "left at 9:15 a.m. local time. The vote opens at 11am and closes at 5 p.m. EST.",
      "2024-03-14"));
  EXPECT_EQ(date_value(an, "4 p.m."), "2024-03-12T16:00");  // the day written after it
  EXPECT_EQ(date_value(an, "6:40 p.m. (GMT +8)"), "2024-03-14T18:40");
  EXPECT_EQ(date_value(an, "9:15 a.m. local time"), "2024-03-14T09:15");
  EXPECT_EQ(date_value(an, "11am"), "2024-03-14T11:00");
  EXPECT_EQ(date_value(an, "5 p.m. EST"), "2024-03-14T17:00");
  EXPECT_EQ(find_figure(an, "4"), nullptr);  // whole hours are times, not figures
  EXPECT_EQ(find_figure(an, "5"), nullptr);
}

TEST(Dates, NowInCompoundsAndConjunctionsIsNoDate) {
  Article a = make_article(
      "The now-closed mill stood empty. Now that the river has fallen, "
      "crews can work.");
  Analysis an = Analyzer().run(a);
  for (const DateMention& d : an.dates) ADD_FAILURE() << d.text << " " << d.value;
}

TEST(Figures, ModelNumbersUnitsVagueCountsAndCurrencyCodes) {
  Article a = make_article(
      "Corvane Aero 550 jets enter service\n"
      "Corvane Aero said the first 550 jet will fly in May, and the two companies signed "
      "for 40 more. Each cabin has a 3.5-inch screen and 2GB of storage, and thousands of "
      "travellers applied. The deal is worth GB \xC2\xA3"
      "20.1 billion, or USD$ 25 billion "
      "dollars, and a seat costs $99 (USD).");
  Analysis an = Analyzer().run(a);
  for (const Figure& f : an.figures) {
    EXPECT_EQ(f.text.find("550"), std::string::npos) << f.text;  // a model, not a count
    EXPECT_NE(f.text, "two");                                    // "the two companies"
  }
  const Figure* forty = find_figure(an, "40");
  ASSERT_NE(forty, nullptr);
  EXPECT_EQ(forty->value, 40);
  const Figure* inch = find_figure(an, "3.5-inch");
  ASSERT_NE(inch, nullptr);
  EXPECT_EQ(inch->kind, FigureKind::kCount);
  EXPECT_EQ(inch->unit, "inch");
  const Figure* gb = find_figure(an, "2GB");
  ASSERT_NE(gb, nullptr);
  EXPECT_EQ(gb->text, "2GB");
  EXPECT_EQ(gb->unit, "gb");
  const Figure* many = find_figure(an, "thousands");
  ASSERT_NE(many, nullptr);
  EXPECT_EQ(many->text, "thousands of");
  EXPECT_EQ(many->unit, "travellers");
  const Figure* pounds = find_figure(an, "20.1");
  ASSERT_NE(pounds, nullptr);
  EXPECT_EQ(pounds->text,
            "GB \xC2\xA3"
            "20.1 billion");
  EXPECT_EQ(pounds->kind, FigureKind::kMoney);
  const Figure* dollars = find_figure(an, "25 billion");
  ASSERT_NE(dollars, nullptr);
  EXPECT_EQ(dollars->text, "USD$ 25 billion dollars");
  EXPECT_EQ(dollars->unit, "USD");
  const Figure* seat = find_figure(an, "$99");
  ASSERT_NE(seat, nullptr);
  EXPECT_EQ(seat->text, "$99 (USD)");
}

TEST(Quotes, CueAndSpeakerSpansPointIntoTheText) {
  Article a = make_article(
      "Transport minister Ilse Varga said the bridge would reopen in May. She told "
      "reporters that the repairs cost more than planned. \"I have always said this "
      "bridge needed work,\" Varga added. Engineers, citing cracks in the deck, closed "
      "the lane, and inspectors from the Kessel Road Authority stating the cause was age "
      "signed the report.");
  Analysis an = Analyzer().run(a);
  expect_spans_valid(a, an);
  auto span_text = [&](Span s) { return a.text.substr(s.begin, s.end - s.begin); };
  const Quote* reopen = find_quote(an, "the bridge would reopen");
  ASSERT_NE(reopen, nullptr);
  EXPECT_EQ(span_text(reopen->cue_span), "said");
  EXPECT_EQ(span_text(reopen->speaker_span), "Ilse Varga");
  const Quote* repairs = find_quote(an, "the repairs cost");
  ASSERT_NE(repairs, nullptr);
  EXPECT_EQ(span_text(repairs->cue_span), "told");
  EXPECT_EQ(span_text(repairs->speaker_span), "She");  // the pronoun as written
  EXPECT_EQ(repairs->speaker, "Ilse Varga");           // resolved to the last subject
  const Quote* bridge = find_quote(an, "bridge needed work");
  ASSERT_NE(bridge, nullptr);
  EXPECT_EQ(span_text(bridge->cue_span), "added");
  EXPECT_EQ(span_text(bridge->speaker_span), "Varga");
  // "I have always said" inside the quotation is a speech event of the quote's speaker.
  bool inner = false;
  for (const Quote& q : an.quotes)
    if (span_text(q.cue_span) == "said" && span_text(q.speaker_span) == "I") {
      inner = true;
      EXPECT_EQ(q.speaker, "Ilse Varga");
    }
  EXPECT_TRUE(inner);
  const Quote* citing = nullptr;
  for (const Quote& q : an.quotes)
    if (q.cue == "citing") citing = &q;
  ASSERT_NE(citing, nullptr);
  EXPECT_EQ(span_text(citing->speaker_span), "Engineers");
}

TEST(Quotes, SpeechNounsWithContentAndPluralSubjects) {
  Article a = make_article(
      "Chief executive Anja Rusk said in a statement, \"We will pay every supplier.\" Some "
      "customers reported that deliveries were late.");
  Analysis an = Analyzer().run(a);
  auto span_text = [&](Span s) { return a.text.substr(s.begin, s.end - s.begin); };
  bool statement = false;
  for (const Quote& q : an.quotes)
    if (span_text(q.cue_span) == "statement") {
      statement = true;
      EXPECT_EQ(q.speaker, "Anja Rusk");
    }
  EXPECT_TRUE(statement);
  const Quote* late = find_quote(an, "deliveries were late");
  ASSERT_NE(late, nullptr);
  EXPECT_EQ(span_text(late->cue_span), "reported");
  EXPECT_EQ(span_text(late->speaker_span), "Some customers");
}

TEST(Quotes, SpeechNounsAloneQuotedContentAndNounVerbForms) {
  Article a = make_article(
      "Vellmar's transport minister tells carriers to ground old jets\n"
      "In his speech, the minister praised the crews. The statement lifted shares. "
      "Citing \"a precautionary measure\", Kessel Air announced a review. Reports by "
      "passengers were ignored, and the plane promises lower fares. Kessel Air reports that "
      "bookings rose. The new cabin was revealed in May and Kessel Air has agreed to buy "
      "six jets.");
  Analysis an = Analyzer().run(a);
  auto span_text = [&](Span s) { return a.text.substr(s.begin, s.end - s.begin); };
  std::vector<std::string> cues;
  for (const Quote& q : an.quotes) cues.push_back(std::string(span_text(q.cue_span)));
  auto has_cue = [&](const std::string& c) {
    return std::find(cues.begin(), cues.end(), c) != cues.end();
  };
  // Speech nouns are events on their own; "his speech" is spoken by the possessor.
  EXPECT_TRUE(has_cue("speech"));
  EXPECT_TRUE(has_cue("statement"));
  for (const Quote& q : an.quotes)
    if (span_text(q.cue_span) == "speech") EXPECT_EQ(span_text(q.speaker_span), "his");
  // A headline's role subject without a determiner.
  const Quote* tells = nullptr;
  for (const Quote& q : an.quotes)
    if (q.cue == "tells") tells = &q;
  ASSERT_NE(tells, nullptr);
  EXPECT_EQ(span_text(tells->speaker_span), "Vellmar's transport minister");
  // A quotation right after the verb is its content; the opening participle's subject is
  // the main clause's.
  const Quote* citing = nullptr;
  for (const Quote& q : an.quotes)
    if (q.cue == "citing") citing = &q;
  ASSERT_NE(citing, nullptr);
  EXPECT_EQ(citing->text, "a precautionary measure");
  EXPECT_EQ(citing->speaker, "Kessel Air");
  // -s forms are verbs only after a subject; passives and "agreed to" are not reports.
  EXPECT_TRUE(has_cue("reports"));
  EXPECT_FALSE(has_cue("Reports"));
  EXPECT_FALSE(has_cue("promises"));
  EXPECT_FALSE(has_cue("revealed"));
  EXPECT_FALSE(has_cue("agreed"));
}

// ---- Other languages (invented sentences) ----

Article make_foreign(std::string text, std::string language, std::string published = "2024-04-06") {
  Article a = make_article(std::move(text), std::move(published));
  a.language = std::move(language);
  return a;
}

void expect_date(const Analysis& an, const std::string& text, const std::string& value,
                 DateGranularity granularity = DateGranularity::kDay) {
  const DateMention* d = find_date(an, text);
  ASSERT_NE(d, nullptr) << text;
  EXPECT_EQ(d->value, value) << text;
  EXPECT_EQ(d->granularity, granularity) << text;
}

void expect_entity(const Analysis& an, const std::string& name, EntityType type) {
  const Entity* e = find_entity(an, name);
  ASSERT_NE(e, nullptr) << name;
  EXPECT_EQ(e->type, type) << name;
}

TEST(OtherLanguages, German) {
  Article a = make_foreign(
      "Am 4. April 2024 traf Ministerin Jutta Wellenkamp in Hamburg Vertreter der Nordwerft "
      "GmbH. Wellenkamp sagte gestern, man habe sich geeinigt. Herr Brandauer kam heute Morgen, "
      "und morgen folgt die Unterschrift. Am Morgen regnete es.",
      "de");
  Analysis an = Analyzer().run(a);
  expect_spans_valid(a, an);
  expect_date(an, "4. April 2024", "2024-04-04");
  expect_date(an, "gestern", "2024-04-05");
  expect_date(an, "heute Morgen", "2024-04-06TMO");
  expect_date(an, "morgen", "2024-04-07");
  EXPECT_EQ(find_date(an, "Morgen"), nullptr);  // the morning, not tomorrow
  EXPECT_EQ(an.event_date, "2024-04-04");
  expect_entity(an, "Jutta Wellenkamp", EntityType::kPerson);
  EXPECT_TRUE(has_entity_named(an, "Wellenkamp"));
  EXPECT_EQ(find_entity(an, "Wellenkamp"), nullptr);  // merged into the full name
  expect_entity(an, "Hamburg", EntityType::kLocation);
  expect_entity(an, "Nordwerft GmbH", EntityType::kOrganization);
  expect_entity(an, "Brandauer", EntityType::kPerson);
  EXPECT_FALSE(has_entity_named(an, "Vertreter"));
  EXPECT_FALSE(has_entity_named(an, "Hamburg Vertreter"));
  EXPECT_EQ(an.entities.size(), 4u);
}

TEST(OtherLanguages, GermanCommonNounsAreNoEntities) {
  Article a = make_foreign(
      "Die Regierung will die Steuern senken. Viele Bürger erwarten mehr Geld für Schulen, "
      "Straßen und Krankenhäuser. Der Minister sprach am Montag über Kosten, Preise und "
      "Löhne. Dass Eltern Kindern Geld geben, ist üblich. Neue Regeln gelten ab März.",
      "de");
  Analysis an = Analyzer().run(a);
  for (const Entity& e : an.entities) ADD_FAILURE() << "spurious entity " << e.name;
  expect_date(an, "Montag", "2024-04-01");
  expect_date(an, "März", "2024-03", DateGranularity::kMonth);
}

TEST(OtherLanguages, French) {
  Article a = make_foreign(
      "Le 4 avril 2024, la ministre Claire Vaudrey s'est rendue à Lyon. Hier soir, Vaudrey a "
      "rencontré les dirigeants de Maritel SA et de la Banque de Provence. Le 1er mai, elle "
      "reviendra à l'Élysée.",
      "fr");
  Analysis an = Analyzer().run(a);
  expect_spans_valid(a, an);
  expect_date(an, "4 avril 2024", "2024-04-04");
  expect_date(an, "Hier soir", "2024-04-05TEV");
  expect_date(an, "1er mai", "2024-05-01");
  expect_entity(an, "Claire Vaudrey", EntityType::kPerson);
  EXPECT_TRUE(has_entity_named(an, "Vaudrey"));
  EXPECT_EQ(find_entity(an, "Vaudrey"), nullptr);
  expect_entity(an, "Lyon", EntityType::kLocation);
  expect_entity(an, "Maritel SA", EntityType::kOrganization);
  expect_entity(an, "Banque de Provence", EntityType::kOrganization);
  EXPECT_TRUE(has_entity_named(an, "Élysée"));  // without the elided article
  EXPECT_FALSE(has_entity_named(an, "Le"));
  EXPECT_FALSE(has_entity_named(an, "Hier"));
}

TEST(OtherLanguages, SpanishAndPortuguese) {
  Article es = make_foreign(
      "El 4 de abril de 2024 el alcalde Tomás Errazuri visitó Sevilla. Ayer Errazuri habló "
      "con Talleres Norte S.A. por la mañana. Mañana viajará a Valencia. Esta mañana llovió.",
      "es");
  Analysis an = Analyzer().run(es);
  expect_spans_valid(es, an);
  expect_date(an, "4 de abril de 2024", "2024-04-04");
  expect_date(an, "Ayer", "2024-04-05");
  expect_date(an, "Mañana", "2024-04-07");
  expect_date(an, "Esta mañana", "2024-04-06TMO");
  EXPECT_EQ(find_date(an, "mañana"), nullptr);  // "por la mañana": the morning
  expect_entity(an, "Tomás Errazuri", EntityType::kPerson);
  EXPECT_TRUE(has_entity_named(an, "Errazuri"));
  expect_entity(an, "Sevilla", EntityType::kLocation);
  expect_entity(an, "Valencia", EntityType::kLocation);
  expect_entity(an, "Talleres Norte S.A.", EntityType::kOrganization);

  Article pt = make_foreign(
      "Em 4 de abril de 2024, o ministro Rui Fontelas esteve em Lisboa. Ontem Fontelas voltou "
      "e hoje fala em abril de 2024 com a Vidreira Atlântica S.A.",
      "pt");
  an = Analyzer().run(pt);
  expect_date(an, "4 de abril de 2024", "2024-04-04");
  expect_date(an, "Ontem", "2024-04-05");
  expect_date(an, "hoje", "2024-04-06");
  expect_date(an, "abril de 2024", "2024-04", DateGranularity::kMonth);
  expect_entity(an, "Rui Fontelas", EntityType::kPerson);
  EXPECT_TRUE(has_entity_named(an, "Fontelas"));
  expect_entity(an, "Lisboa", EntityType::kLocation);
  expect_entity(an, "Vidreira Atlântica S.A.", EntityType::kOrganization);
}

TEST(OtherLanguages, ItalianAndDutch) {
  Article it = make_foreign(
      "Il 4 aprile 2024 il sindaco Carla Vestrini ha incontrato a Torino i vertici di "
      "Ferronord S.p.A. Ieri Vestrini ha parlato; stasera si vota.",
      "it");
  Analysis an = Analyzer().run(it);
  expect_date(an, "4 aprile 2024", "2024-04-04");
  expect_date(an, "Ieri", "2024-04-05");
  expect_date(an, "stasera", "2024-04-06TEV");
  expect_entity(an, "Carla Vestrini", EntityType::kPerson);
  EXPECT_TRUE(has_entity_named(an, "Vestrini"));
  expect_entity(an, "Torino", EntityType::kLocation);
  expect_entity(an, "Ferronord S.p.A.", EntityType::kOrganization);

  Article nl = make_foreign(
      "Op 4 april 2024 sprak minister Joost Hoefnagel in Utrecht. Gisteren zei Hoefnagel dat "
      "de Nederlandse regering akkoord is. De stemming volgt op 12-04-2024.",
      "nl");
  an = Analyzer().run(nl);
  expect_date(an, "4 april 2024", "2024-04-04");
  expect_date(an, "Gisteren", "2024-04-05");
  expect_date(an, "12-04-2024", "2024-04-12");
  expect_entity(an, "Joost Hoefnagel", EntityType::kPerson);
  EXPECT_TRUE(has_entity_named(an, "Hoefnagel"));
  expect_entity(an, "Utrecht", EntityType::kLocation);
  EXPECT_FALSE(has_entity_named(an, "Nederlandse"));
}

TEST(OtherLanguages, PolishRussianGreek) {
  Article pl = make_foreign(
      "4 kwietnia 2024 roku premier Tomasz Wrzosek odwiedził Gdańsk. Wczoraj Wrzosek był w "
      "Warszawie. Firma Bursztyn Sp. z o.o. ogłosiła wyniki 03.04.2024.",
      "pl");
  Analysis an = Analyzer().run(pl);
  expect_spans_valid(pl, an);
  expect_date(an, "4 kwietnia 2024 roku", "2024-04-04");
  expect_date(an, "Wczoraj", "2024-04-05");
  expect_date(an, "03.04.2024", "2024-04-03");
  expect_entity(an, "Tomasz Wrzosek", EntityType::kPerson);
  EXPECT_TRUE(has_entity_named(an, "Wrzosek"));
  expect_entity(an, "Gdańsk", EntityType::kLocation);
  expect_entity(an, "Warszawie", EntityType::kLocation);
  expect_entity(an, "Bursztyn Sp. z o.o.", EntityType::kOrganization);

  Article ru = make_foreign(
      "4 апреля 2024 года губернатор Олег Веретенников прибыл в Москву. Вчера "
      "Веретенникова видели в Санкт-Петербурге. ООО «Северный ветер» подписало договор "
      "05.04.2024.",
      "ru");
  an = Analyzer().run(ru);
  expect_spans_valid(ru, an);
  expect_date(an, "4 апреля 2024 года", "2024-04-04");
  expect_date(an, "Вчера", "2024-04-05");
  expect_date(an, "05.04.2024", "2024-04-05");
  expect_entity(an, "Олег Веретенников", EntityType::kPerson);
  EXPECT_TRUE(has_entity_named(an, "Веретенникова"));  // the genitive joins the full name
  expect_entity(an, "Москву", EntityType::kLocation);
  expect_entity(an, "Санкт-Петербурге", EntityType::kLocation);
  expect_entity(an, "Северный ветер", EntityType::kOrganization);

  Article uk = make_foreign(
      "Вчора мер Остап Гнатюк приїхав до Львова. 4 квітня 2024 року Гнатюк виступив у Києві.",
      "uk");
  an = Analyzer().run(uk);
  expect_date(an, "Вчора", "2024-04-05");
  expect_date(an, "4 квітня 2024 року", "2024-04-04");
  expect_entity(an, "Остап Гнатюк", EntityType::kPerson);
  EXPECT_TRUE(has_entity_named(an, "Гнатюк"));
  expect_entity(an, "Києві", EntityType::kLocation);

  Article el = make_foreign(
      "Στις 4 Απριλίου 2024 ο δήμαρχος Νίκος Καλαμαράς επισκέφθηκε την Αθήνα. Χθες ο "
      "Καλαμαράς μίλησε.",
      "el");
  an = Analyzer().run(el);
  expect_date(an, "4 Απριλίου 2024", "2024-04-04");
  expect_date(an, "Χθες", "2024-04-05");
  expect_entity(an, "Νίκος Καλαμαράς", EntityType::kPerson);
  EXPECT_TRUE(has_entity_named(an, "Καλαμαράς"));
  expect_entity(an, "Αθήνα", EntityType::kLocation);
}

TEST(OtherLanguages, CaselessScriptsGetDatesAndPlaceNames) {
  Article zh = make_foreign("2024年4月4日，北京举行会议。昨天上海代表到达，4月5日会议结束。", "zh");
  Analysis an = Analyzer().run(zh);
  expect_spans_valid(zh, an);
  expect_date(an, "2024年4月4日", "2024-04-04");
  expect_date(an, "昨天", "2024-04-05");
  expect_date(an, "4月5日", "2024-04-05");
  expect_entity(an, "北京", EntityType::kLocation);
  expect_entity(an, "上海", EntityType::kLocation);
  EXPECT_EQ(an.event_date, "2024-04-04");

  Article ja = make_foreign("東京で2024年4月に会議が開かれた。明日は大阪で続く。", "ja");
  an = Analyzer().run(ja);
  expect_date(an, "2024年4月", "2024-04", DateGranularity::kMonth);
  expect_date(an, "明日", "2024-04-07");
  expect_entity(an, "東京", EntityType::kLocation);
  expect_entity(an, "大阪", EntityType::kLocation);

  Article ko = make_foreign("2024년 4월 4일 서울에서 회의가 열렸다. 내일 다시 만난다.", "ko");
  an = Analyzer().run(ko);
  expect_date(an, "2024년 4월 4일", "2024-04-04");
  expect_date(an, "내일", "2024-04-07");
  expect_entity(an, "서울", EntityType::kLocation);

  Article ar = make_foreign("عقد اجتماع في القاهرة يوم 04/04/2024 مع وفد.", "ar");
  an = Analyzer().run(ar);
  expect_date(an, "04/04/2024", "2024-04-04");
  expect_entity(an, "القاهرة", EntityType::kLocation);
  EXPECT_EQ(an.entities.size(), 1u);
}

TEST(OtherLanguages, LanguagesWithoutTablesKeepScriptNeutralRules) {
  Article a = make_foreign(
      "Den 12.03.2024 besökte Anna Lindqvist staden. Lindqvist talade med Berlin 2024-03-13.",
      "sv");
  Analysis an = Analyzer().run(a);
  expect_date(an, "12.03.2024", "2024-03-12");
  expect_date(an, "2024-03-13", "2024-03-13");
  expect_entity(an, "Anna Lindqvist", EntityType::kPerson);
  EXPECT_TRUE(has_entity_named(an, "Lindqvist"));
  expect_entity(an, "Berlin", EntityType::kLocation);
  EXPECT_FALSE(has_entity_named(an, "Den"));
}

TEST(OtherLanguages, FiguresReadDecimalCommasAndSpacedThousands) {
  Article de =
      make_foreign("Am 4. April 2024 stiegen die Mieten um 2,5 Prozent auf 1.200 Euro.", "de");
  Analysis an = Analyzer().run(de);
  const Figure* pct = find_figure(an, "2,5");
  ASSERT_NE(pct, nullptr);
  EXPECT_EQ(pct->kind, FigureKind::kPercent);
  EXPECT_DOUBLE_EQ(pct->value, 2.5);
  const Figure* rent = find_figure(an, "1.200");
  ASSERT_NE(rent, nullptr);
  EXPECT_EQ(rent->kind, FigureKind::kMoney);
  EXPECT_DOUBLE_EQ(rent->value, 1200);
  for (const Figure& f : an.figures) EXPECT_NE(f.text, "4") << "a day of a date";

  Article fr = make_foreign("Le 4 avril 2024, la commune a versé 1 500 euros.", "fr");
  an = Analyzer().run(fr);
  const Figure* money = find_figure(an, "1 500");
  ASSERT_NE(money, nullptr);
  EXPECT_DOUBLE_EQ(money->value, 1500);
  EXPECT_EQ(money->unit, "EUR");
  EXPECT_EQ(an.figures.size(), 1u);
}

TEST(OtherLanguages, EnglishAndUnknownKeepTheEnglishRules) {
  const std::string text =
      "Port authority chief Mara Quell said on Friday that 12 ships waited off Rotterdam. "
      "Quell expects talks to resume on April 4.";
  Article plain = make_article(text);
  Analysis base = Analyzer().run(plain);
  for (const char* code : {"en", "un", "EN", "en-US", "en_GB"}) {
    Article a = make_article(text);
    a.language = code;
    Analysis an = Analyzer().run(a);
    ASSERT_EQ(an.entities.size(), base.entities.size()) << code;
    for (std::size_t i = 0; i < an.entities.size(); ++i)
      EXPECT_EQ(an.entities[i].name, base.entities[i].name);
    ASSERT_EQ(an.dates.size(), base.dates.size()) << code;
    for (std::size_t i = 0; i < an.dates.size(); ++i)
      EXPECT_EQ(an.dates[i].value, base.dates[i].value);
    EXPECT_EQ(an.quotes.size(), base.quotes.size());
    EXPECT_EQ(an.figures.size(), base.figures.size());
  }
  // The German rules read "April 4" differently: proof that the language switches rules.
  Article de = make_article(text);
  de.language = "de";
  EXPECT_EQ(find_date(Analyzer().run(de), "April 4"), nullptr);
  // Region subtags and case do not matter.
  Article at = make_foreign("Am 4. April 2024 war es kalt.", "de-AT");
  expect_date(Analyzer().run(at), "4. April 2024", "2024-04-04");
}

TEST(Entities, LaunchedNamesAndListsWithProducts) {
  Article a = make_article(
      "Microsoft unveils Zephyrbook. The Zephyrbook has a larger screen than before. The new "
      "iStride Classic, Lumo and Pebblet go on sale in May. Police released Okonkwo on Friday. "
      "Analysts compared Google's Chrome and Mozilla's Firefox.");
  Analysis an = Analyzer().run(a);
  // The object of "unveils" after a known company is a product, and so is its next mention.
  expect_entity(an, "Zephyrbook", EntityType::kProduct);
  for (const Mention& m : an.mentions)
    if (m.text == "Zephyrbook") {
      EXPECT_EQ(m.type, EntityType::kProduct);
    }
  // Names listed with a camel-case product are products too.
  expect_entity(an, "Lumo", EntityType::kProduct);
  expect_entity(an, "Pebblet", EntityType::kProduct);
  // No company released Okonkwo, and the owner in "Mozilla's Firefox" stays a body.
  const Entity* okonkwo = find_entity(an, "Okonkwo");
  if (okonkwo) {
    EXPECT_NE(okonkwo->type, EntityType::kProduct);
  }
  const Entity* mozilla = find_entity(an, "Mozilla");
  if (mozilla) {
    EXPECT_NE(mozilla->type, EntityType::kProduct);
  }
}

TEST(Entities, AgesRelativesAndPersonObjectVerbsMakePersons) {
  Article a = make_article(
      "Tarkan Veliu, 45, was arrested on Monday. Officers later arrested Zoltan Brekk. Gates "
      "at Area 51, 52, 53 stayed shut. Shares of Veltrax (57) rose. Kafoury's husband called "
      "the police.");
  Analysis an = Analyzer().run(a);
  expect_entity(an, "Tarkan Veliu", EntityType::kPerson);
  expect_entity(an, "Zoltan Brekk", EntityType::kPerson);
  expect_entity(an, "Kafoury", EntityType::kPerson);  // only a person has a husband
  // A list of numbers is no age; a number after one word is no evidence of a full name.
  const Entity* area = find_entity(an, "Area 51");
  if (area) {
    EXPECT_NE(area->type, EntityType::kPerson);
  }
  const Entity* veltrax = find_entity(an, "Veltrax");
  if (veltrax) {
    EXPECT_NE(veltrax->type, EntityType::kPerson);
  }
  // A name that ends the text has nothing after it to look at.
  for (const char* text : {"Report by Tarkan Veliu", "Veliu", "Shares of Veltrax (57"}) {
    Article end = make_article(text);
    Analysis e = Analyzer().run(end);
    expect_spans_valid(end, e);
  }
}

// ---- Quotes in other languages (invented sentences) ----

// The quote containing `fragment` has this speaker (canonical name or role), cue and kind.
void expect_quote(const Analysis& an, const std::string& fragment, const std::string& speaker,
                  const std::string& cue, bool direct) {
  const Quote* q = find_quote(an, fragment);
  ASSERT_NE(q, nullptr) << fragment;
  EXPECT_EQ(q->speaker, speaker) << fragment;
  EXPECT_EQ(q->cue, cue) << fragment;
  EXPECT_EQ(q->direct, direct) << fragment;
}

TEST(OtherLanguageQuotes, French) {
  Article a = make_foreign(
      "Le président Emmanuel Laroche s'est rendu à Lyon. « Nous ne céderons pas », a déclaré "
      "M. Laroche. « La situation est grave », a-t-il ajouté. Selon la porte-parole du "
      "gouvernement, la réforme sera votée en mai. Le ministre Paul Mercier a dit que les prix "
      "allaient baisser. Il dénonce une « démilitarisation » du pays.",
      "fr");
  Analysis an = Analyzer().run(a);
  expect_spans_valid(a, an);
  expect_quote(an, "Nous ne céderons pas", "Emmanuel Laroche", "a déclaré", true);
  expect_quote(an, "La situation est grave", "Emmanuel Laroche", "a-t-il ajouté", true);
  expect_quote(an, "la réforme sera votée", "la porte-parole du gouvernement", "Selon", false);
  expect_quote(an, "les prix allaient baisser", "Paul Mercier", "a dit", false);
  EXPECT_EQ(find_quote(an, "démilitarisation"), nullptr);  // scare quotes
  const Quote* q = find_quote(an, "La situation est grave");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(a.text.substr(q->speaker_span.begin, q->speaker_span.end - q->speaker_span.begin),
            "a-t-il");
}

TEST(OtherLanguageQuotes, German) {
  Article a = make_foreign(
      "Bundeskanzlerin Jutta Wellenkamp besuchte Hamburg. „Wir werden nicht nachgeben“, sagte "
      "Wellenkamp am Montag. Der Sprecher der Regierung erklärte: „Die Lage ist ernst.“ "
      "„Das ist ein großer Schritt“, so Wellenkamp. Sie sagte, dass die Preise sinken würden.",
      "de");
  Analysis an = Analyzer().run(a);
  expect_spans_valid(a, an);
  expect_quote(an, "Wir werden nicht nachgeben", "Jutta Wellenkamp", "sagte", true);
  expect_quote(an, "Die Lage ist ernst", "Der Sprecher der Regierung", "erklärte", true);
  expect_quote(an, "großer Schritt", "Jutta Wellenkamp", "so", true);
  expect_quote(an, "die Preise sinken", "Jutta Wellenkamp", "sagte", false);
}

TEST(OtherLanguageQuotes, SpanishItalianPortuguese) {
  Analysis es = Analyzer().run(make_foreign(
      "El ministro Carlos Ibarra visitó Madrid. «No vamos a ceder», dijo Ibarra. «La situación "
      "es grave», afirmó el portavoz del Gobierno. Según Ibarra, los precios bajarán en mayo.",
      "es"));
  expect_quote(es, "No vamos a ceder", "Carlos Ibarra", "dijo", true);
  expect_quote(es, "La situación es grave", "el portavoz del Gobierno", "afirmó", true);
  expect_quote(es, "los precios bajarán", "Carlos Ibarra", "Según", false);
  Analysis it = Analyzer().run(make_foreign(
      "Il ministro Marco Bellandi è arrivato a Roma. Bellandi ha dichiarato che i prezzi "
      "scenderanno. «È un passo avanti», ha aggiunto. Secondo il portavoce, la riforma sarà "
      "approvata a maggio.",
      "it"));
  expect_quote(it, "i prezzi scenderanno", "Marco Bellandi", "ha dichiarato", false);
  expect_quote(it, "un passo avanti", "Marco Bellandi", "ha aggiunto", true);  // no subject
  expect_quote(it, "la riforma sarà approvata", "il portavoce", "Secondo", false);
  Analysis pt = Analyzer().run(make_foreign(
      "O ministro João Ferreira chegou a Lisboa. “A situação é grave”, afirmou o porta-voz. "
      "Ele disse que a obra termina em maio.",
      "pt"));
  expect_quote(pt, "A situação é grave", "o porta-voz", "afirmou", true);
  expect_quote(pt, "a obra termina em maio", "João Ferreira", "disse", false);  // pronoun
}

TEST(OtherLanguageQuotes, DutchRussianPolish) {
  Analysis nl = Analyzer().run(make_foreign(
      "Minister Pieter Jansen bezocht Amsterdam. “We geven niet op”, zei Jansen. Volgens de "
      "woordvoerder komt de hervorming in mei. Hij zei dat de prijzen zullen dalen.",
      "nl"));
  expect_quote(nl, "We geven niet op", "Pieter Jansen", "zei", true);
  expect_quote(nl, "de prijzen zullen dalen", "Pieter Jansen", "zei", false);
  Analysis ru = Analyzer().run(make_foreign(
      "Министр Иван Петров прибыл в Москву. «Мы не отступим», — сказал Петров. «Ситуация "
      "серьёзная», — заявил представитель министерства. Он сказал, что реформа будет принята.",
      "ru"));
  expect_quote(ru, "Мы не отступим", "Иван Петров", "сказал", true);
  expect_quote(ru, "Ситуация серьёзная", "представитель министерства", "заявил", true);
  expect_quote(ru, "реформа будет принята", "Иван Петров", "сказал", false);
  Analysis pl = Analyzer().run(make_foreign(
      "Minister Jan Kowalski przyjechał do Warszawy. „Nie ustąpimy” – powiedział Kowalski. "
      "„Sytuacja jest poważna” – oświadczył rzecznik rządu. Kowalski powiedział, że reforma "
      "zostanie przyjęta.",
      "pl"));
  expect_quote(pl, "Nie ustąpimy", "Jan Kowalski", "powiedział", true);
  expect_quote(pl, "Sytuacja jest poważna", "rzecznik rządu", "oświadczył", true);
  expect_quote(pl, "reforma zostanie przyjęta", "Jan Kowalski", "powiedział", false);
}

}  // namespace
}  // namespace storyline::understand
