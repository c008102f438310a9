/* The record page's filters: narrow and sort the rows already in the tables.
   No request, no library. The view lives in the address (query string; the row a
   link points to in the hash), so a copied address reproduces it. A row named in
   the hash is shown even when the filters would hide it. */
(() => {
  "use strict";
  const form = document.getElementById("filters");
  const status = document.getElementById("status");
  if (!form || !status) return;
  const fold = (text) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const words = (text) => fold(text).split(/\s+/).filter(Boolean);

  const tables = [...document.querySelectorAll("table.record")].map((table) => {
    const fields = new Set((table.dataset.fields || "").split(" "));
    const rows = [...table.tBodies[0].rows].map((tr, index) => {
      const d = tr.dataset;
      return {
        tr, index, shown: true, text: null,
        actors: (d.actors || "").split(" ").filter(Boolean),
        kind: d.kind || "", verification: d.verification || "", source: d.source || "",
        from: d.from ? Number(d.from) : null, to: d.to ? Number(d.to) : null,
        keys: {date: d.start || "", kind: d.kind || "", verification: d.verification || "",
               publisher: d.publisher || "", id: tr.id},
      };
    });
    return {table, fields, rows, order: "", noun: table.dataset.noun,
            count: table.querySelector("caption .count")};
  });

  const control = (name) => form.elements.namedItem(name);
  const boxes = [...form.querySelectorAll('input[name="actor"]')];
  const SINGLE = ["q", "kind", "from", "to", "verification", "source", "sort"];

  /* The view as the form shows it. */
  function read() {
    const view = {actor: boxes.filter((b) => b.checked).map((b) => b.value)};
    for (const name of SINGLE) view[name] = control(name).value.trim();
    return view;
  }

  /* The form set from the address's query string. */
  function load() {
    const params = new URLSearchParams(location.search);
    const actors = new Set(params.getAll("actor"));
    for (const box of boxes) box.checked = actors.has(box.value);
    const details = document.getElementById("actors");
    if (details && actors.size) details.open = true;
    for (const name of SINGLE) {
      const field = control(name);
      const value = params.get(name) || "";
      if (field.tagName === "SELECT" && ![...field.options].some((o) => o.value === value)) {
        field.value = "";
      } else {
        field.value = value;
      }
    }
  }

  /* The address for a view: only what differs from the whole record. */
  function address(view) {
    const params = new URLSearchParams();
    for (const name of ["q", "kind", "from", "to", "verification", "source"]) {
      if (view[name]) params.set(name, view[name]);
    }
    for (const actor of view.actor) params.append("actor", actor);
    if (view.sort) params.set("sort", view.sort);
    const query = params.toString();
    return location.pathname + (query ? "?" + query : "") + location.hash;
  }

  function matcher(view, fields) {
    const terms = words(view.q);
    const from = view.from ? Number(view.from) : null;
    const to = view.to ? Number(view.to) : null;
    const years = from !== null || to !== null;
    return (row) => {
      if (terms.length) {
        if (row.text === null) row.text = fold(row.tr.textContent);
        for (const term of terms) if (!row.text.includes(term)) return false;
      }
      if (years) {
        if (row.from === null) return false;
        if (from !== null && row.to < from) return false;
        if (to !== null && row.from > to) return false;
      }
      if (fields.has("actors")) {
        for (const actor of view.actor) if (!row.actors.includes(actor)) return false;
      }
      if (fields.has("kind") && view.kind && row.kind !== view.kind) return false;
      if (fields.has("verification") && view.verification && row.verification !== view.verification) {
        return false;
      }
      if (fields.has("source") && view.source && row.source !== view.source) return false;
      return true;
    };
  }

  function sort(entry, order) {
    if (entry.order === order) return;
    const descending = order.startsWith("-");
    const key = order.replace(/^-/, "") || "date";
    const sign = descending ? -1 : 1;
    const rows = [...entry.rows];
    if (order) {
      rows.sort((a, b) => {
        const x = a.keys[key], y = b.keys[key];
        if (x === y) return a.index - b.index;
        if (!x) return 1;  /* rows without the value go last either way */
        if (!y) return -1;
        return (x < y ? -1 : 1) * sign;
      });
    }
    const body = entry.table.tBodies[0];
    const fragment = document.createDocumentFragment();
    for (const row of rows) fragment.append(row.tr);
    body.append(fragment);
    entry.order = order;
    for (const th of entry.table.tHead.rows[0].cells) {
      if (th.dataset.key === key && order) {
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      } else {
        th.removeAttribute("aria-sort");
      }
    }
  }

  function pinned() {
    try {
      return decodeURIComponent(location.hash.slice(1));
    } catch {
      return "";
    }
  }

  function apply() {
    const view = read();
    const target = pinned();
    const parts = [];
    let extra = "";
    for (const entry of tables) {
      const matches = matcher(view, entry.fields);
      let count = 0;
      let visible = 0;
      for (const row of entry.rows) {
        const match = matches(row);
        if (match) count += 1;
        const shown = match || row.tr.id === target;
        if (shown) visible += 1;
        if (!match && shown) extra = target;
        if (shown !== row.shown) {
          row.tr.hidden = !shown;
          row.shown = shown;
        }
      }
      sort(entry, view.sort);
      const total = entry.rows.length;
      const counted = count === total ? `all ${total} ${entry.noun}`
        : `${count || "none"} of ${total} ${entry.noun}`;
      entry.table.tHead.hidden = visible === 0;  /* no headings over an empty table */
      if (entry.count) entry.count.textContent = `showing ${counted}`;
      parts.push(`${count} of ${total} ${entry.noun}`);
    }
    let text = "Showing " + parts.slice(0, -1).join(", ") + " and " + parts[parts.length - 1] + ".";
    if (extra) text += ` The row ${extra} is shown because the address points to it.`;
    if (status.textContent !== text) status.textContent = text;
    const wanted = address(view);
    if (wanted !== location.pathname + location.search + location.hash) {
      history.replaceState(null, "", wanted);
    }
  }

  function reveal() {
    const id = pinned();
    const row = id && document.getElementById(id);
    if (row) row.scrollIntoView({block: "start"});
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => setTimeout(apply, 0));
  window.addEventListener("hashchange", () => { apply(); reveal(); });
  window.addEventListener("popstate", () => { load(); apply(); });
  /* Fold each row's words while the reader is idle, so the first search is quick. */
  function warm(queue) {
    const idle = window.requestIdleCallback
      || ((task) => setTimeout(() => task({timeRemaining: () => 10}), 50));
    idle((deadline) => {
      while (queue.length && deadline.timeRemaining() > 1) {
        const row = queue.pop();
        if (row.text === null) row.text = fold(row.tr.textContent);
      }
      if (queue.length) warm(queue);
    });
  }

  load();
  form.hidden = false;
  apply();
  reveal();
  warm(tables.flatMap((entry) => entry.rows).reverse());
})();
