// server: `storyline serve` — a JSON API over the store and a minimal web page listing stories.
//
//   server::Options options{.host = "127.0.0.1", .port = 8080, .db_path = "storyline.db"};
//   server::Server server(options);
//   server.run();   // blocks until stop() is called from another thread
//
// Routes (all GET, JSON unless noted): /api/stats, /api/articles?source=&language=&since=&until=
// &limit=&offset=, /api/articles/{id|key}, /api/stories, /api/stories/{id}, /api/storylines,
// /api/storylines/{id}, /api/storylines/{id}/compare, /api/entities?type=, /api/search?q=&...,
// /api/export, and / (HTML page). Errors map to HTTP statuses in one place
// (not_found 404, invalid_input 400, others 500) with {"error": {"code", "message"}}.
// Thread-safety: each request opens its own read-only Store connection (SQLite WAL).
#pragma once

#include <memory>
#include <string>

#include "common/result.h"

namespace storyline::server {

struct Options {
  std::string host = "127.0.0.1";  // loopback by default: nothing is exposed unless asked
  int port = 8080;                 // 0: pick a free port (see Server::port())
  std::string db_path = "storyline.db";
};

class Server {
 public:
  explicit Server(Options options);
  ~Server();
  // Binds and serves until stop(). Returns an error when the address cannot be bound.
  [[nodiscard]] Result<void> run();
  // Binds now (so port() is known) without serving; run() then serves.
  [[nodiscard]] Result<void> bind();
  int port() const;
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace storyline::server
