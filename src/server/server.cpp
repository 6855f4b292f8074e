#include "server/server.h"

#include <httplib.h>

#include <atomic>
#include <charconv>
#include <exception>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "common/civil_date.h"
#include "compare/compare.h"
#include "server/web_page.h"
#include "store/store.h"

namespace storyline::server {
namespace {

using nlohmann::json;

// Bounds on query parameters: a listing is a page of results, the export route is for "all".
constexpr int kMaxLimit = 1000;
constexpr int64_t kMaxOffset = 1'000'000'000;
constexpr std::size_t kMaxQueryBytes = 1000;
constexpr std::size_t kMaxPayloadBytes = 64 * 1024;  // GET only: no request needs a body
constexpr time_t kTimeoutSeconds = 10;

constexpr const char* kJsonType = "application/json; charset=utf-8";

// The one place errors become HTTP statuses.
int status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kInvalidInput:
      return 400;
    default:
      return 500;
  }
}

void send_json(httplib::Response& res, const json& body, int status = 200) {
  res.status = status;
  // Stored text may hold bytes that are not UTF-8: replace them rather than fail the request.
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), kJsonType);
}

void send_error(httplib::Response& res, const Error& error) {
  json body = {{"error", {{"code", error_code_name(error.code)}, {"message", error.message}}}};
  if (!error.context.empty()) body["error"]["context"] = error.context;
  send_json(res, body, status_for(error.code));
}

Error bad_param(const std::string& name, const std::string& why) {
  return make_error(ErrorCode::kInvalidInput, "parameter '" + name + "': " + why);
}

std::optional<int64_t> parse_int(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

// An integer query parameter within [min, max]; `fallback` when absent.
Result<int64_t> int_param(const httplib::Request& req, const std::string& name, int64_t fallback,
                          int64_t min, int64_t max) {
  if (!req.has_param(name)) return fallback;
  auto value = parse_int(req.get_param_value(name));
  if (!value) return bad_param(name, "not an integer");
  if (*value < min || *value > max)
    return bad_param(name,
                     "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return *value;
}

// An ISO date ("2025-04-25", "2025-04" or "2025"), exactly as the store compares it.
Result<std::string> date_param(const httplib::Request& req, const std::string& name) {
  if (!req.has_param(name)) return std::string();
  std::string value = req.get_param_value(name);
  auto date = parse_iso_date(value);
  if (!date || date->iso() != value) return bad_param(name, "expected YYYY-MM-DD");
  return value;
}

Result<store::ArticleFilter> filter_params(const httplib::Request& req, int default_limit) {
  store::ArticleFilter filter;
  filter.source = req.get_param_value("source");
  filter.language = req.get_param_value("language");
  filter.entity = req.get_param_value("entity");
  auto since = date_param(req, "since");
  if (!since) return since.error();
  filter.since = *since;
  auto until = date_param(req, "until");
  if (!until) return until.error();
  filter.until = *until;
  auto limit = int_param(req, "limit", default_limit, 1, kMaxLimit);
  if (!limit) return limit.error();
  filter.limit = static_cast<int>(*limit);
  auto offset = int_param(req, "offset", 0, 0, kMaxOffset);
  if (!offset) return offset.error();
  filter.offset = static_cast<int>(*offset);
  auto story = int_param(req, "story_id", 0, 0, INT64_MAX);
  if (!story) return story.error();
  filter.story_id = *story;
  auto storyline = int_param(req, "storyline_id", 0, 0, INT64_MAX);
  if (!storyline) return storyline.error();
  filter.storyline_id = *storyline;
  return filter;
}

Result<int64_t> path_id(const httplib::Request& req, const char* what) {
  auto id = parse_int(req.matches[1].str());
  if (!id || *id <= 0)
    return make_error(ErrorCode::kInvalidInput, std::string("bad ") + what + " id");
  return *id;
}

Result<json> compare_storyline(store::Store& store, int64_t storyline_id) {
  auto rows = store.storyline_articles(storyline_id);
  if (!rows) return rows.error();
  std::vector<compare::Report> reports;
  reports.reserve(rows->size());
  for (const auto& [article_id, story_id, article, analysis] : *rows)
    reports.push_back({article_id, story_id, &article, &analysis});
  json out = compare::to_json(compare::compare(reports));
  if (out.is_object()) out["storyline_id"] = storyline_id;
  return out;
}

}  // namespace

struct Server::Impl {
  Options options;
  httplib::Server http;
  int port = 0;
  bool bound = false;
  std::atomic<bool> stopping{false};

  explicit Impl(Options o) : options(std::move(o)) { routes(); }

  // Each request reads through its own connection: SQLite WAL readers do not block the
  // writer (an ingest running beside the server) nor each other.
  Result<std::unique_ptr<store::Store>> open_store() const {
    store::Options store_options;
    store_options.read_only = true;
    auto store = store::Store::open(options.db_path, store_options);
    if (!store && store.error().code == ErrorCode::kNotFound) {
      // A missing database is the server's problem, not a missing resource.
      Error error = store.error();
      error.code = ErrorCode::kIo;
      error.message = "database unavailable: " + error.message;
      return error;
    }
    return store;
  }

  using View = std::function<Result<json>(store::Store&, const httplib::Request&)>;

  // Registers a JSON route: opens the store, runs `view`, maps its result. Exceptions never
  // leave a handler.
  void get(const std::string& pattern, View view) {
    http.Get(pattern,
             [this, view = std::move(view)](const httplib::Request& req, httplib::Response& res) {
               try {
                 auto store = open_store();
                 if (!store) return send_error(res, store.error());
                 auto body = view(**store, req);
                 if (!body) return send_error(res, body.error());
                 send_json(res, *body);
               } catch (const std::exception& e) {
                 send_error(res, make_error(ErrorCode::kInternal, e.what(), req.path));
               }
             });
  }

  void routes() {
    http.set_read_timeout(kTimeoutSeconds);
    http.set_write_timeout(kTimeoutSeconds);
    http.set_payload_max_length(kMaxPayloadBytes);
    http.set_default_headers({{"X-Content-Type-Options", "nosniff"}});
    // httplib's default also sets SO_REUSEPORT, which would let a second server bind the same
    // port silently and split the requests; keep only SO_REUSEADDR (quick restarts).
    http.set_socket_options([](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof yes);
    });

    get("/api/stats", [](store::Store& s, const httplib::Request&) { return s.stats(); });

    get("/api/articles", [](store::Store& s, const httplib::Request& req) -> Result<json> {
      auto filter = filter_params(req, 100);
      if (!filter) return filter.error();
      return s.articles(*filter);
    });
    // Keys may hold '#' and '~' (sent percent-encoded); the path arrives decoded.
    get(R"(/api/articles/(.+))", [](store::Store& s, const httplib::Request& req) {
      return s.article(req.matches[1].str());
    });

    get("/api/stories", [](store::Store& s, const httplib::Request& req) -> Result<json> {
      auto limit = int_param(req, "limit", kMaxLimit, 1, kMaxLimit);
      if (!limit) return limit.error();
      return s.stories(static_cast<int>(*limit));
    });
    get(R"(/api/stories/([^/]+))",
        [](store::Store& s, const httplib::Request& req) -> Result<json> {
          auto id = path_id(req, "story");
          if (!id) return id.error();
          return s.story(*id);
        });

    get("/api/storylines", [](store::Store& s, const httplib::Request& req) -> Result<json> {
      auto limit = int_param(req, "limit", kMaxLimit, 1, kMaxLimit);
      if (!limit) return limit.error();
      return s.storylines(static_cast<int>(*limit));
    });
    get(R"(/api/storylines/([^/]+))",
        [](store::Store& s, const httplib::Request& req) -> Result<json> {
          auto id = path_id(req, "storyline");
          if (!id) return id.error();
          return s.storyline(*id);
        });
    get(R"(/api/storylines/([^/]+)/compare)",
        [](store::Store& s, const httplib::Request& req) -> Result<json> {
          auto id = path_id(req, "storyline");
          if (!id) return id.error();
          return compare_storyline(s, *id);
        });

    get("/api/entities", [](store::Store& s, const httplib::Request& req) -> Result<json> {
      auto limit = int_param(req, "limit", kMaxLimit, 1, kMaxLimit);
      if (!limit) return limit.error();
      return s.entities(req.get_param_value("type"), static_cast<int>(*limit));
    });

    get("/api/search", [](store::Store& s, const httplib::Request& req) -> Result<json> {
      const std::string query = req.get_param_value("q");
      if (query.empty()) return bad_param("q", "required");
      if (query.size() > kMaxQueryBytes) return bad_param("q", "too long");
      auto filter = filter_params(req, 50);
      if (!filter) return filter.error();
      return s.search(query, *filter);
    });

    get("/api/export", [](store::Store& s, const httplib::Request&) { return s.export_all(); });

    http.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("Content-Security-Policy",
                     "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                     "connect-src 'self'; base-uri 'none'; form-action 'none'");
      res.set_content(std::string(web_page()), "text/html; charset=utf-8");
    });

    // Unrouted paths (and any other bodiless error) answer in the same JSON shape.
    http.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req,
                                                                   httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      const ErrorCode code = res.status == 404  ? ErrorCode::kNotFound
                             : res.status < 500 ? ErrorCode::kInvalidInput
                                                : ErrorCode::kInternal;
      const int status = res.status;
      send_error(
          res, make_error(code, res.status == 404 ? "no such route" : "request failed", req.path));
      res.status = status;
      return httplib::Server::HandlerResponse::Handled;
    }));
  }
};

Server::Server(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() { stop(); }

Result<void> Server::bind() {
  if (impl_->bound) return {};
  const Options& o = impl_->options;
  if (o.port < 0 || o.port > 65535)
    return make_error(ErrorCode::kInvalidInput, "port out of range: " + std::to_string(o.port));
  if (o.port == 0) {
    const int port = impl_->http.bind_to_any_port(o.host);
    if (port <= 0) return make_error(ErrorCode::kIo, "cannot bind to " + o.host);
    impl_->port = port;
  } else {
    if (!impl_->http.bind_to_port(o.host, o.port))
      return make_error(ErrorCode::kIo, "cannot bind to " + o.host + ":" + std::to_string(o.port) +
                                            " (address in use or not local?)");
    impl_->port = o.port;
  }
  impl_->bound = true;
  return {};
}

Result<void> Server::run() {
  if (auto r = bind(); !r) return r;
  const bool ok = impl_->http.listen_after_bind();
  if (!ok && !impl_->stopping)
    return make_error(ErrorCode::kIo, "server stopped accepting connections");
  return {};
}

int Server::port() const { return impl_->port; }

void Server::stop() {
  impl_->stopping = true;
  impl_->http.stop();
}

}  // namespace storyline::server
