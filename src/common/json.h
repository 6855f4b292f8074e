// JSON forms of the document model (nlohmann::json), used by the store, CLI, server and export.
// One place defines each field name so every output agrees (docs/export-schema.md).
#pragma once

#include <nlohmann/json.hpp>

#include "common/document.h"

namespace storyline {

void to_json(nlohmann::json& out, const Span& span);
void from_json(const nlohmann::json& in, Span& span);
void to_json(nlohmann::json& out, const Article& article);
void from_json(const nlohmann::json& in, Article& article);
void to_json(nlohmann::json& out, const Analysis& analysis);
void from_json(const nlohmann::json& in, Analysis& analysis);

}  // namespace storyline
