#include "common/json.h"

namespace storyline {

using nlohmann::json;

void to_json(json& out, const Span& span) { out = json::array({span.begin, span.end}); }
void from_json(const json& in, Span& span) {
  span.begin = in.at(0).get<uint32_t>();
  span.end = in.at(1).get<uint32_t>();
}

void to_json(json& out, const Article& a) {
  out = json{{"key", article_key(a)},
             {"page_id", a.page_id},
             {"segment", a.segment},
             {"url", a.url},
             {"canonical_url", a.canonical_url},
             {"source", a.source},
             {"site_name", a.site_name},
             {"title", a.title},
             {"kicker", a.kicker},
             {"author", a.author},
             {"published", a.published},
             {"dateline", a.dateline},
             {"description", a.description},
             {"language", a.language},
             {"text", a.text},
             {"truncated", a.truncated},
             {"is_teaser", a.is_teaser},
             {"warnings", a.warnings}};
}

void from_json(const json& in, Article& a) {
  a.page_id = in.value("page_id", "");
  a.segment = in.value("segment", 0);
  a.url = in.value("url", "");
  a.canonical_url = in.value("canonical_url", "");
  a.source = in.value("source", "");
  a.site_name = in.value("site_name", "");
  a.title = in.value("title", "");
  a.kicker = in.value("kicker", "");
  a.author = in.value("author", "");
  a.published = in.value("published", "");
  a.dateline = in.value("dateline", "");
  a.description = in.value("description", "");
  a.language = in.value("language", "");
  a.text = in.value("text", "");
  a.truncated = in.value("truncated", false);
  a.is_teaser = in.value("is_teaser", false);
  a.warnings = in.value("warnings", std::vector<std::string>{});
}

void to_json(json& out, const Analysis& an) {
  json sentences = json::array();
  for (const auto& s : an.sentences) sentences.push_back(s.span);
  json entities = json::array();
  for (const auto& e : an.entities) {
    entities.push_back({{"name", e.name},
                        {"key", e.key},
                        {"type", entity_type_name(e.type)},
                        {"aliases", e.aliases},
                        {"mentions", e.mention_count}});
  }
  json mentions = json::array();
  for (const auto& m : an.mentions) {
    mentions.push_back({{"span", m.span},
                        {"text", m.text},
                        {"type", entity_type_name(m.type)},
                        {"entity", m.entity}});
  }
  json quotes = json::array();
  for (const auto& q : an.quotes) {
    quotes.push_back({{"span", q.span},
                      {"text", q.text},
                      {"speaker", q.speaker},
                      {"speaker_entity", q.speaker_entity},
                      {"cue", q.cue},
                      {"cue_span", q.cue_span},
                      {"speaker_span", q.speaker_span},
                      {"direct", q.direct},
                      {"partial", q.partial}});
  }
  json figures = json::array();
  for (const auto& f : an.figures) {
    figures.push_back({{"span", f.span},
                       {"text", f.text},
                       {"kind", figure_kind_name(f.kind)},
                       {"value", f.value},
                       {"unit", f.unit},
                       {"qualifier", f.qualifier}});
  }
  json dates = json::array();
  for (const auto& d : an.dates) {
    dates.push_back({{"span", d.span},
                     {"text", d.text},
                     {"value", d.value},
                     {"granularity", date_granularity_name(d.granularity)},
                     {"relative", d.relative}});
  }
  out = json{{"sentences", sentences}, {"entities", entities}, {"mentions", mentions},
             {"quotes", quotes},       {"figures", figures},   {"dates", dates},
             {"event_date", an.event_date}};
}

namespace {
FigureKind figure_kind_from_name(const std::string& name) {
  for (FigureKind k : {FigureKind::kCount, FigureKind::kMoney, FigureKind::kPercent,
                       FigureKind::kOrdinal, FigureKind::kDuration}) {
    if (name == figure_kind_name(k)) return k;
  }
  return FigureKind::kOther;
}
DateGranularity granularity_from_name(const std::string& name) {
  if (name == "month") return DateGranularity::kMonth;
  if (name == "year") return DateGranularity::kYear;
  if (name == "week") return DateGranularity::kWeek;
  return DateGranularity::kDay;
}
}  // namespace

void from_json(const json& in, Analysis& an) {
  an = Analysis{};
  for (const auto& s : in.value("sentences", json::array())) an.sentences.push_back({s.get<Span>()});
  for (const auto& e : in.value("entities", json::array())) {
    Entity entity;
    entity.name = e.value("name", "");
    entity.key = e.value("key", "");
    entity.type = entity_type_from_name(e.value("type", ""));
    entity.aliases = e.value("aliases", std::vector<std::string>{});
    entity.mention_count = e.value("mentions", 0);
    an.entities.push_back(std::move(entity));
  }
  for (const auto& m : in.value("mentions", json::array())) {
    Mention mention;
    mention.span = m.at("span").get<Span>();
    mention.text = m.value("text", "");
    mention.type = entity_type_from_name(m.value("type", ""));
    mention.entity = m.value("entity", -1);
    an.mentions.push_back(std::move(mention));
  }
  for (const auto& q : in.value("quotes", json::array())) {
    Quote quote;
    quote.span = q.at("span").get<Span>();
    quote.text = q.value("text", "");
    quote.speaker = q.value("speaker", "");
    quote.speaker_entity = q.value("speaker_entity", -1);
    quote.cue = q.value("cue", "");
    if (q.contains("cue_span")) quote.cue_span = q["cue_span"].get<Span>();
    if (q.contains("speaker_span")) quote.speaker_span = q["speaker_span"].get<Span>();
    quote.direct = q.value("direct", true);
    quote.partial = q.value("partial", false);
    an.quotes.push_back(std::move(quote));
  }
  for (const auto& f : in.value("figures", json::array())) {
    Figure figure;
    figure.span = f.at("span").get<Span>();
    figure.text = f.value("text", "");
    figure.kind = figure_kind_from_name(f.value("kind", ""));
    figure.value = f.value("value", 0.0);
    figure.unit = f.value("unit", "");
    figure.qualifier = f.value("qualifier", "");
    an.figures.push_back(std::move(figure));
  }
  for (const auto& d : in.value("dates", json::array())) {
    DateMention date;
    date.span = d.at("span").get<Span>();
    date.text = d.value("text", "");
    date.value = d.value("value", "");
    date.granularity = granularity_from_name(d.value("granularity", ""));
    date.relative = d.value("relative", false);
    an.dates.push_back(std::move(date));
  }
  an.event_date = in.value("event_date", "");
}

}  // namespace storyline
