#include "common/document.h"

namespace storyline {

const char* page_format_name(PageFormat format) {
  switch (format) {
    case PageFormat::kText:
      return "text";
    case PageFormat::kHtml:
      return "html";
    case PageFormat::kUnknown:
      break;
  }
  return "unknown";
}

std::string article_key(const Article& article) {
  if (article.segment == 0) return article.page_id;
  return article.page_id + "#" + std::to_string(article.segment);
}

const char* entity_type_name(EntityType type) {
  switch (type) {
    case EntityType::kPerson:
      return "PER";
    case EntityType::kOrganization:
      return "ORG";
    case EntityType::kLocation:
      return "LOC";
    case EntityType::kProduct:
      return "PRO";
    case EntityType::kOther:
      break;
  }
  return "MISC";
}

EntityType entity_type_from_name(const std::string& name) {
  if (name == "PER") return EntityType::kPerson;
  if (name == "ORG") return EntityType::kOrganization;
  if (name == "LOC") return EntityType::kLocation;
  if (name == "PRO") return EntityType::kProduct;
  return EntityType::kOther;
}

const char* figure_kind_name(FigureKind kind) {
  switch (kind) {
    case FigureKind::kCount:
      return "count";
    case FigureKind::kMoney:
      return "money";
    case FigureKind::kPercent:
      return "percent";
    case FigureKind::kOrdinal:
      return "ordinal";
    case FigureKind::kDuration:
      return "duration";
    case FigureKind::kOther:
      break;
  }
  return "other";
}

const char* date_granularity_name(DateGranularity granularity) {
  switch (granularity) {
    case DateGranularity::kDay:
      return "day";
    case DateGranularity::kMonth:
      return "month";
    case DateGranularity::kYear:
      return "year";
    case DateGranularity::kWeek:
      return "week";
  }
  return "day";
}

}  // namespace storyline
