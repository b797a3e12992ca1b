// The console: live figures from /metrics, presence and queued keys from the backend
// API, a key's queue, a key's traffic (GET /?key=K&watch), and a test publish. The API credentials live in this closure only
// and go to this service alone (the page's Content-Security-Policy allows no other).
"use strict";
(function () {
  const service = new URL("../", location.href); // the service's root, under any context path
  const counters = ["received", "delivered", "acknowledged", "expired"];
  let authorization = null;
  let previous = null; // the last scrape's counters and time, for rates
  let shownKey = null;
  let watched = null; // { key, after }: the key whose traffic is shown, and the last event seen
  const TRAFFIC_ROWS = 200;

  const $ = (id) => document.getElementById(id);

  function api(method, pathAndQuery, body) {
    return fetch(new URL(pathAndQuery, service), {
      method,
      headers: { Authorization: authorization, "Content-Type": "application/json" },
      body,
      cache: "no-store",
      credentials: "omit",
    });
  }

  async function json(response) {
    const body = await response.json();
    if (!response.ok) {
      throw new Error(response.status + ": " + (body.error || JSON.stringify(body)));
    }
    return body;
  }

  /** The figures of the Prometheus text this console shows. */
  function parseMetrics(text) {
    const values = {};
    for (const line of text.split("\n")) {
      const match = /^goctopus_(connections|messages_(\w+?))(?:_total)? ([0-9.eE+-]+)$/.exec(line);
      if (match) {
        values[match[2] || match[1]] = Number(match[3]);
      }
    }
    return values;
  }

  function row(cells) {
    const tr = document.createElement("tr");
    for (const cell of cells) {
      const td = document.createElement("td");
      td.textContent = cell; // never innerHTML: payloads are whatever backends posted
      tr.append(td);
    }
    return tr;
  }

  function rows(tbody, cells) {
    tbody.replaceChildren(...cells.map(row));
  }

  /** The watched key's new events, newest first on top. */
  async function pollTraffic() {
    const watch = watched;
    if (watch.polling) {
      return; // one poll at a time, or events would show twice
    }
    watch.polling = true;
    let page;
    try {
      page = await json(await api("GET", "?key=" + encodeURIComponent(watch.key) + "&watch&after=" + watch.after));
    } finally {
      watch.polling = false;
    }
    if (watch !== watched) {
      return; // another key is watched now
    }
    const tbody = $("traffic").tBodies[0];
    if (page.missed) {
      tbody.prepend(row(["", "(events missed)", "", ""]));
    }
    for (const e of page.events) {
      const payload = "payload" in e ? JSON.stringify(e.payload) : "payload_bytes" in e ? e.payload_bytes + " bytes" : "";
      tbody.prepend(row([new Date(e.date).toLocaleTimeString(), e.event, e.id, payload]));
    }
    while (tbody.rows.length > TRAFFIC_ROWS) {
      tbody.lastElementChild.remove();
    }
    watch.after = page.last;
  }

  async function refresh() {
    const now = performance.now();
    const metrics = parseMetrics(await (await fetch(new URL("metrics", service), { cache: "no-store" })).text());
    $("connections").textContent = metrics.connections ?? "–";
    if (previous) {
      const seconds = (now - previous.at) / 1000;
      for (const name of counters) {
        $(name).textContent = Math.max(0, ((metrics[name] ?? 0) - (previous.values[name] ?? 0)) / seconds).toFixed(1);
      }
    }
    previous = { at: now, values: metrics };
    const [presence, keys] = await Promise.all([json(await api("GET", "?presence")), json(await api("GET", ""))]);
    rows($("presence").tBodies[0], Object.entries(presence).map(([key, n]) => [key, String(n)]));
    $("keys").textContent = keys.length;
    $("queued-keys").replaceChildren(...keys.map((key) => {
      const li = document.createElement("li");
      li.textContent = key;
      return li;
    }));
    if (shownKey !== null) {
      const queue = await json(await api("GET", "?key=" + encodeURIComponent(shownKey)));
      rows($("queue").tBodies[0], queue.map((m) => [m.id, JSON.stringify(m.payload), m.date, m.exp]));
    }
    if (watched !== null) {
      await pollTraffic();
    }
    $("status").textContent = "live, " + new Date().toLocaleTimeString();
  }

  async function tick() {
    try {
      await refresh();
    } catch (error) {
      $("status").textContent = "error: " + error.message;
    }
    setTimeout(tick, 1000);
  }

  $("credentials").addEventListener("submit", async (event) => {
    event.preventDefault();
    authorization = "Basic " + btoa($("login").value + ":" + $("password").value);
    $("password").value = "";
    try {
      await json(await api("GET", ""));
    } catch (error) {
      authorization = null;
      $("sign-in-error").textContent = error.message;
      return;
    }
    $("sign-in").hidden = true;
    $("console").hidden = false;
    tick();
  });

  $("queue-form").addEventListener("submit", (event) => {
    event.preventDefault();
    shownKey = $("queue-key").value;
    refresh().catch((error) => { $("status").textContent = "error: " + error.message; });
  });

  $("watch-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    watched = { key: $("watch-key").value, after: 0 };
    $("traffic").tBodies[0].replaceChildren();
    try {
      await pollTraffic(); // starts the watch: what follows is shown
    } catch (error) {
      $("status").textContent = "error: " + error.message;
    }
  });

  $("publish-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    let value;
    try {
      value = JSON.parse($("publish-value").value);
    } catch (error) {
      $("publish-reply").textContent = "not JSON: " + error.message;
      return;
    }
    const message = { key: $("publish-key").value, value };
    if ($("publish-expire").value) {
      message.expire = $("publish-expire").value;
    }
    const response = await api("POST", "", JSON.stringify(message));
    $("publish-reply").textContent = response.status + " " + (await response.text());
  });
})();
