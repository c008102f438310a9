"""What the preview serves: the built page with a small script added, or a page that
says the essay is building or why it failed.

The script is added when the page is served, never to the file on disk, so the
preview's ``essay.html`` is the renderer's, byte for byte. It listens on the server's
event stream and, after a rebuild, fetches the new page and moves it into the open
one block by block: blocks that did not change stay (images are not decoded again,
so the layout does not jump) and the scroll position is kept. A failed build shows
its messages over the last good page. The script fetches only from the preview
server itself, as the report fetches nothing.
"""

from __future__ import annotations

import html
import json

__all__ = ["EVENTS_PATH", "PAGE_PATH", "inject", "placeholder"]

EVENTS_PATH = "/__preview/events"
"""The Server-Sent Events stream: one ``build`` event per finished build."""
PAGE_PATH = "/__preview/page"
"""The last good page as built, without the script."""
OVERLAY_ID = "ukreport-preview-error"
OVERLAY_STYLE = (
    "position:fixed;inset:auto 0 0 0;z-index:2147483647;max-height:60vh;overflow:auto;"
    "margin:0;padding:1rem 1.25rem;background:#fff4f4;color:#5c0000;"
    "border-top:3px solid #b00020;box-shadow:0 -4px 16px rgba(0,0,0,.2);"
    "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
    "white-space:pre-wrap;overflow-wrap:anywhere;text-align:left"
)
"""Inline, so that the overlay looks the same whatever stylesheet the page has."""
_PRE_STYLE = "margin:.5rem 0 0;white-space:pre-wrap;font:inherit"

_SCRIPT = """
(() => {
  "use strict";
  /* constants */
  const me = document.currentScript;
  const session = me.dataset.session;
  let shown = Number(me.dataset.page);
  const KEY = "ukreport-preview-scroll";

  const overlay = (build) => {
    document.getElementById(OVERLAY_ID)?.remove();
    if (!build.error) return;
    const box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.style.cssText = OVERLAY_STYLE;
    const title = document.createElement("strong");
    title.textContent = "The preview could not be rebuilt";
    const message = document.createElement("pre");
    message.style.cssText = PRE_STYLE;
    message.textContent = build.error;
    box.append(title, message);
    if (build.detail) {
      const more = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = "Details";
      const text = document.createElement("pre");
      text.style.cssText = message.style.cssText;
      text.textContent = build.detail;
      more.append(summary, text);
      box.append(more);
    }
    document.body.append(box);
  };

  // Move the children of `next` into `current`: a child that did not change keeps
  // its node; one with the same tag and id is updated in place, one level down.
  const morph = (current, next, deep) => {
    const same = new Map();
    const slots = new Map();
    for (const node of current.children) {
      if (node.id === OVERLAY_ID || node === me) continue;
      const key = node.outerHTML;
      if (!same.has(key)) same.set(key, []);
      same.get(key).push(node);
      slots.set(node.tagName + "#" + node.id, node);
    }
    const used = new Set();
    const take = (node) => {
      const match = (same.get(node.outerHTML) || []).find((n) => !used.has(n));
      if (match) return match;
      const slot = slots.get(node.tagName + "#" + node.id);
      if (deep && slot && !used.has(slot)) {
        for (const name of slot.getAttributeNames()) slot.removeAttribute(name);
        for (const name of node.getAttributeNames()) {
          slot.setAttribute(name, node.getAttribute(name));
        }
        morph(slot, node, false);
        return slot;
      }
      return document.importNode(node, true);
    };
    const kept = [...next.children].map((node) => {
      const keep = take(node);
      used.add(keep);
      return keep;
    });
    current.replaceChildren(...kept);
  };

  const update = async () => {
    const response = await fetch(PAGE_PATH, { cache: "no-store" });
    if (!response.ok) throw new Error("the page is not there: " + response.status);
    const page = Number(response.headers.get("X-Preview-Page"));
    const next = new DOMParser().parseFromString(await response.text(), "text/html");
    const [x, y] = [window.scrollX, window.scrollY];
    document.title = next.title;
    document.documentElement.lang = next.documentElement.lang;
    morph(document.head, next.head, false);
    morph(document.body, next.body, true);
    window.scrollTo(x, y);
    shown = page;
  };

  const reload = () => {
    sessionStorage.setItem(KEY, JSON.stringify([window.scrollX, window.scrollY]));
    location.reload();
  };

  const saved = sessionStorage.getItem(KEY);
  if (saved) {
    sessionStorage.removeItem(KEY);
    const [x, y] = JSON.parse(saved);
    const restore = () => window.scrollTo(x, y);
    if (document.readyState === "complete") restore();
    else window.addEventListener("load", restore, { once: true });
  }

  let queue = Promise.resolve();
  const events = new EventSource(EVENTS_PATH);
  events.addEventListener("build", (event) => {
    const build = JSON.parse(event.data);
    if (build.session !== session) return reload();  // the preview was restarted
    queue = queue
      .then(() => (build.page > shown ? update() : undefined))
      .then(() => overlay(build))
      .catch(reload);
  });
})();
"""


def _constants() -> str:
    values = {
        "OVERLAY_ID": OVERLAY_ID,
        "OVERLAY_STYLE": OVERLAY_STYLE,
        "PRE_STYLE": _PRE_STYLE,
        "PAGE_PATH": PAGE_PATH,
        "EVENTS_PATH": EVENTS_PATH,
    }
    return "\n  ".join(f"const {name} = {json.dumps(value)};" for name, value in values.items())


CLIENT_SCRIPT = _SCRIPT.replace("/* constants */", _constants())
"""The script added to every page the preview serves."""


def _overlay(error: str, detail: str | None) -> str:
    """The overlay as markup, for a page served after a failed build."""
    more = ""
    if detail:
        more = (
            "<details><summary>Details</summary>"
            f'<pre style="{_PRE_STYLE}">{html.escape(detail)}</pre></details>'
        )
    return (
        f'<div id="{OVERLAY_ID}" role="alert" style="{html.escape(OVERLAY_STYLE)}">'
        "<strong>The preview could not be rebuilt</strong>"
        f'<pre style="{_PRE_STYLE}">{html.escape(error)}</pre>'
        f"{more}</div>"
    )


def inject(
    page: bytes, *, session: str, number: int, error: str | None = None, detail: str | None = None
) -> bytes:
    """``page`` with the preview's script (and the overlay for ``error``) before
    ``</body>``. ``number`` is the build that made ``page``; ``session`` names the
    server, so a page from a restarted preview reloads."""
    added = _overlay(error, detail) if error else ""
    added += (
        f'<script id="ukreport-preview" data-session="{html.escape(session)}" '
        f'data-page="{number}">{CLIENT_SCRIPT}</script>\n'
    )
    at = page.lower().rfind(b"</body>")
    if at < 0:
        return page + added.encode("utf-8")
    return page[:at] + added.encode("utf-8") + page[at:]


def placeholder(source: str, error: str | None) -> bytes:
    """The page shown before any build has succeeded: building, or why it failed."""
    what = "could not be built yet" if error else "is being built…"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Preview of {html.escape(source)}</title>\n</head>\n"
        f"<body>\n<main>\n<p>{html.escape(source)} {what}</p>\n</main>\n</body>\n</html>\n"
    ).encode()
