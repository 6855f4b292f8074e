#include "server/web_page.h"

namespace storyline::server {
namespace {

// Every value from the API reaches the page through text nodes (el() below, textContent),
// never through innerHTML, so stored text cannot inject markup. Links are only made for
// http(s) URLs.
constexpr std::string_view kPage = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>storyline</title>
<style>
  :root { --fg: #1d2329; --muted: #66707a; --line: #dde2e7; --accent: #1f5fa8; --bg: #fbfbfa; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
         color: var(--fg); background: var(--bg); }
  header { padding: 14px 24px; border-bottom: 1px solid var(--line); background: #fff;
           display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
  header h1 { margin: 0; font-size: 20px; letter-spacing: .02em; }
  #stats { color: var(--muted); font-size: 13px; }
  form { margin-left: auto; display: flex; gap: 6px; }
  input[type=search] { width: 280px; padding: 6px 10px; border: 1px solid var(--line);
                       border-radius: 6px; font: inherit; }
  button { font: inherit; padding: 6px 12px; border: 1px solid var(--line); border-radius: 6px;
           background: #fff; cursor: pointer; }
  button.link { border: 0; padding: 0; background: none; color: var(--accent); text-align: left; }
  button.link:hover { text-decoration: underline; }
  main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 24px;
         padding: 20px 24px; max-width: 1400px; margin: 0 auto; }
  @media (max-width: 900px) { main { grid-template-columns: 1fr; } }
  h2 { font-size: 16px; margin: 0 0 10px; text-transform: uppercase; letter-spacing: .06em;
       color: var(--muted); }
  section { margin-bottom: 28px; }
  details { background: #fff; border: 1px solid var(--line); border-radius: 8px;
            margin-bottom: 8px; padding: 8px 12px; }
  summary { cursor: pointer; font-weight: 600; }
  .meta { color: var(--muted); font-size: 13px; font-weight: normal; }
  ol.timeline { list-style: none; padding-left: 0; margin: 10px 0 4px;
                border-left: 2px solid var(--line); }
  ol.timeline > li { position: relative; padding: 0 0 12px 16px; }
  ol.timeline > li::before { content: ""; position: absolute; left: -6px; top: 6px; width: 10px;
                             height: 10px; border-radius: 50%; background: var(--accent); }
  .date { font-variant-numeric: tabular-nums; color: var(--accent); font-weight: 600;
          margin-right: 8px; }
  ul.articles { margin: 4px 0 0; padding-left: 18px; }
  .source { color: var(--muted); font-size: 13px; margin-left: 6px; }
  .links { font-size: 13px; color: var(--muted); margin-top: 6px; }
  table { width: 100%; border-collapse: collapse; background: #fff; font-size: 14px; }
  td, th { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left;
           vertical-align: top; }
  th { font-size: 12px; color: var(--muted); text-transform: uppercase; }
  .hit { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px;
         margin-bottom: 8px; }
  .snippet { font-size: 14px; margin-top: 2px; }
  mark { background: #fde9a7; padding: 0 1px; }
  #article { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; }
  #article h3 { margin: 0 0 4px; font-size: 20px; }
  #article p { margin: 0 0 10px; }
  .error { color: #a8261f; }
  .muted { color: var(--muted); }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<header>
  <h1>storyline</h1>
  <span id="stats"></span>
  <form id="search-form" role="search">
    <input type="search" id="q" placeholder="Search articles" aria-label="Search articles">
    <button type="submit">Search</button>
  </form>
</header>
<main>
  <div>
    <section id="search-section" hidden>
      <h2>Search results <button class="link" id="search-close" type="button">(clear)</button></h2>
      <div id="search-results"></div>
    </section>
    <section>
      <h2>Storylines</h2>
      <div id="storylines"><p class="muted">Loading…</p></div>
    </section>
  </div>
  <div>
    <section id="article-section" hidden>
      <h2>Article <button class="link" id="article-close" type="button">(close)</button></h2>
      <div id="article"></div>
    </section>
    <section>
      <h2>Latest stories</h2>
      <div id="stories"><p class="muted">Loading…</p></div>
    </section>
  </div>
</main>
<script>
'use strict';
const $ = (id) => document.getElementById(id);

// Builds an element; string children become text nodes, so nothing is parsed as HTML.
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === '') continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function clear(node, ...children) {
  node.replaceChildren(...children);
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  let body = null;
  try { body = await response.json(); } catch (e) { /* not JSON */ }
  if (!response.ok) {
    const message = body && body.error ? body.error.message : response.statusText;
    throw new Error(message || ('HTTP ' + response.status));
  }
  return body;
}

function errorNode(error) {
  return el('p', { class: 'error' }, 'Could not load: ', error.message);
}

function dateRange(first, last) {
  if (!first && !last) return 'undated';
  if (!last || first === last) return first || last;
  return first + ' – ' + last;
}

function plural(n, word) {
  return n + ' ' + word + (n === 1 ? '' : 's');
}

function httpUrl(url) {
  return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null;
}

function articleButton(article) {
  const title = article.title || '(untitled)';
  return el('button', { class: 'link', type: 'button', onclick: () => showArticle(article.id) },
            title);
}

// Search snippets mark matches as [term]; show those as <mark> built from text nodes.
function snippetNode(snippet) {
  const node = el('div', { class: 'snippet' });
  for (const part of String(snippet || '').split(/(\[[^\]]*\])/)) {
    if (part.startsWith('[') && part.endsWith(']') && part.length > 2)
      node.append(el('mark', null, part.slice(1, -1)));
    else if (part) node.append(part);
  }
  return node;
}

async function loadStats() {
  try {
    const s = await api('/api/stats');
    $('stats').textContent = plural(s.articles, 'article') + ' · ' +
        plural(s.duplicates, 'copy').replace('copys', 'copies') + ' · ' +
        plural(s.stories, 'story').replace('storys', 'stories') + ' · ' +
        plural(s.storylines, 'storyline') + ' · ' + plural(s.sources, 'source');
  } catch (e) {
    $('stats').textContent = 'stats unavailable';
  }
}

function timelineNode(storyline) {
  const list = el('ol', { class: 'timeline' });
  for (const event of storyline.timeline || []) {
    const articles = el('ul', { class: 'articles' });
    for (const article of event.articles || [])
      articles.append(el('li', null, articleButton(article),
                         el('span', { class: 'source' }, article.source || '')));
    list.append(el('li', null,
        el('div', null, el('span', { class: 'date' }, dateRange(event.first_date, event.last_date)),
           event.label || '(unlabelled story)',
           el('span', { class: 'meta' }, ' · ', plural(event.article_count, 'article'))),
        articles));
  }
  const nodes = [list];
  const links = storyline.links || [];
  if (links.length) {
    const text = links.map((l) => 'story ' + l.from_story + ' → ' + l.to_story + ' (' +
        (l.shared_entities || []).slice(0, 5).join(', ') + ')').join('; ');
    nodes.push(el('div', { class: 'links' }, 'Linked by: ', text));
  }
  return nodes;
}

async function loadStorylines() {
  const box = $('storylines');
  try {
    const storylines = await api('/api/storylines?limit=200');
    if (!storylines.length) {
      clear(box, el('p', { class: 'muted' }, 'No storylines yet: ingest some pages first.'));
      return;
    }
    clear(box);
    for (const s of storylines) {
      const body = el('div', null, el('p', { class: 'muted' }, 'Loading…'));
      const details = el('details', null,
          el('summary', null, s.label || '(unlabelled storyline)',
             el('span', { class: 'meta' }, '  ', dateRange(s.first_date, s.last_date), ' · ',
                plural(s.story_count, 'event'), ' · ', plural(s.article_count, 'article'))),
          body);
      let loaded = false;
      details.addEventListener('toggle', async () => {
        if (!details.open || loaded) return;
        loaded = true;
        try {
          clear(body, ...timelineNode(await api('/api/storylines/' + encodeURIComponent(s.id))));
        } catch (e) {
          loaded = false;
          clear(body, errorNode(e));
        }
      });
      box.append(details);
    }
    const first = box.querySelector('details');
    if (first) first.open = true;
  } catch (e) {
    clear(box, errorNode(e));
  }
}

async function loadStories() {
  const box = $('stories');
  try {
    const stories = await api('/api/stories?limit=100');
    if (!stories.length) {
      clear(box, el('p', { class: 'muted' }, 'No stories yet.'));
      return;
    }
    const table = el('table', null,
        el('thead', null, el('tr', null, el('th', null, 'Dates'), el('th', null, 'Story'),
                             el('th', null, 'Articles'), el('th', null, 'Sources'))));
    const rows = el('tbody');
    for (const s of stories)
      rows.append(el('tr', null, el('td', { class: 'date' }, dateRange(s.first_date, s.last_date)),
                     el('td', null, s.label || '(unlabelled)'), el('td', null, s.article_count),
                     el('td', { class: 'meta' }, (s.sources || []).join(', '))));
    table.append(rows);
    clear(box, table);
  } catch (e) {
    clear(box, errorNode(e));
  }
}

async function showArticle(id) {
  const box = $('article');
  $('article-section').hidden = false;
  clear(box, el('p', { class: 'muted' }, 'Loading…'));
  try {
    const a = await api('/api/articles/' + encodeURIComponent(id));
    const meta = [a.source, a.published, a.author, a.dateline].filter(Boolean).join(' · ');
    const nodes = [el('h3', null, a.title || '(untitled)'), el('div', { class: 'meta' }, meta)];
    const url = httpUrl(a.url);
    if (url) nodes.push(el('div', { class: 'meta' },
                           el('a', { href: url, rel: 'noopener noreferrer' }, url)));
    if (a.truncated) nodes.push(el('p', { class: 'muted' }, '(cut off on the page)'));
    const text = el('div', { style: 'margin-top: 12px' });
    for (const paragraph of String(a.text || '').split('\n'))
      if (paragraph.trim()) text.append(el('p', null, paragraph));
    nodes.push(text);
    const copies = a.duplicates || [];
    if (copies.length)
      nodes.push(el('div', { class: 'links' }, 'Also published by: ',
                    copies.map((d) => d.source || d.key).join(', ')));
    clear(box, ...nodes);
    $('article-section').scrollIntoView({ behavior: 'smooth', block: 'start' });
  } catch (e) {
    clear(box, errorNode(e));
  }
}

async function search(query) {
  const box = $('search-results');
  $('search-section').hidden = false;
  clear(box, el('p', { class: 'muted' }, 'Searching…'));
  try {
    const hits = await api('/api/search?limit=50&q=' + encodeURIComponent(query));
    if (!hits.length) {
      clear(box, el('p', { class: 'muted' }, 'Nothing matches “', query, '”.'));
      return;
    }
    clear(box, ...hits.map((h) => el('div', { class: 'hit' }, articleButton(h),
        el('div', { class: 'meta' }, [h.source, h.published,
            h.story_id ? 'story ' + h.story_id : ''].filter(Boolean).join(' · ')),
        snippetNode(h.snippet))));
  } catch (e) {
    clear(box, errorNode(e));
  }
}

$('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const query = $('q').value.trim();
  if (query) search(query);
});
$('search-close').addEventListener('click', () => {
  $('search-section').hidden = true;
  $('q').value = '';
});
$('article-close').addEventListener('click', () => { $('article-section').hidden = true; });

loadStats();
loadStorylines();
loadStories();
</script>
</body>
</html>
)html";

}  // namespace

std::string_view web_page() { return kPage; }

}  // namespace storyline::server
