// The client's logic without a browser (Node's test runner): backoff bounds and jitter,
// de-duplication bounds, what each close and each refusal leads to. A fake WebSocket
// and fetch stand in for the browser's; the browser tests (BrowserClientIT) run the real ones.
import { test, mock } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const Goctopus = createRequire(import.meta.url)("../../../webapp/goctopus.js");
const { backoffDelay, RecentIds, afterRefusal, whyUrl, serviceUrl } = Goctopus.logic;

test("backoff: full jitter below a bound that doubles per attempt, capped", () => {
  for (let attempt = 0; attempt < 40; attempt++) {
    const bound = Math.min(30000, 500 * 2 ** attempt);
    assert.equal(backoffDelay(attempt, 500, 30000, () => 0), 0);
    assert.equal(backoffDelay(attempt, 500, 30000, () => 0.999999), Math.floor(0.999999 * bound));
    for (let i = 0; i < 50; i++) {
      const delay = backoffDelay(attempt, 500, 30000, Math.random);
      assert.ok(delay >= 0 && delay < bound, `attempt ${attempt}: ${delay} not in [0, ${bound})`);
    }
  }
});

test("backoff: the waits are spread over the whole range, not clustered", () => {
  const delays = Array.from({ length: 2000 }, () => backoffDelay(10, 500, 30000, Math.random));
  const buckets = [0, 0, 0, 0];
  delays.forEach((d) => buckets[Math.floor(d / 7500)]++);
  buckets.forEach((n) => assert.ok(n > 350 && n < 650, `quartiles ${buckets}`));
});

test("de-duplication remembers the last N ids, oldest forgotten first", () => {
  const ids = new RecentIds(3);
  ["a", "b", "c", "d"].forEach((id) => ids.add(id));
  assert.equal(ids.size, 3);
  assert.ok(!ids.has("a"));
  assert.ok(ids.has("b") && ids.has("c") && ids.has("d"));
  ids.add("b"); // seen again: now the newest
  ids.add("e");
  assert.ok(ids.has("b") && !ids.has("c"));
  const many = new RecentIds(Goctopus.logic.DEFAULTS.dedupe);
  for (let i = 0; i < 5000; i++) many.add("id" + i);
  assert.equal(many.size, 1000);
  assert.ok(many.has("id4999") && !many.has("id3999"));
});

test("a refusal: 401 and 403 stop, 429 and 503 retry not before Retry-After, nothing known retries", () => {
  assert.deepEqual(afterRefusal({ refused: true, status: 401, error: "login" }), { stop: true, status: 401, reason: "login" });
  assert.equal(afterRefusal({ refused: true, status: 403, error: "origin not allowed" }).stop, true);
  assert.deepEqual(afterRefusal({ refused: true, status: 429, error: "rate limited", retry_after: 3 }), { stop: false, notBefore: 3000 });
  assert.deepEqual(afterRefusal({ refused: true, status: 503, error: "auth down", retry_after: 0 }), { stop: false, notBefore: 0 });
  assert.deepEqual(afterRefusal({ refused: false }), { stop: false, notBefore: 0 });
  assert.deepEqual(afterRefusal(null), { stop: false, notBefore: 0 });
});

test("URLs: the why endpoint beside the websocket's path with its query; the service from the script's URL", () => {
  assert.equal(whyUrl("wss://push.example.com/"), "https://push.example.com/why");
  assert.equal(whyUrl("ws://h:7890/ctx/ws?token=abc"), "http://h:7890/ctx/why?token=abc");
  assert.equal(serviceUrl("https://push.example.com/ctx/goctopus.js"), "wss://push.example.com/ctx/");
  assert.equal(serviceUrl("http://127.0.0.1:7890/goctopus.mjs"), "ws://127.0.0.1:7890/");
  assert.throws(() => serviceUrl(null), /no url given/);
});

/** A WebSocket the test drives: every instance is kept, with what it was sent. */
function fakeBrowser() {
  const sockets = [];
  class FakeSocket {
    constructor(url) { this.url = url; this.readyState = 0; this.sent = []; sockets.push(this); }
    send(text) { this.sent.push(JSON.parse(text)); }
    close(code) { this.readyState = 3; this.closedWith = code; }
    opened() { this.readyState = 1; this.onopen(); }
    message(frame) { this.onmessage({ data: JSON.stringify(frame) }); }
    closed(code, reason = "") { this.readyState = 3; this.onclose({ code, reason }); }
  }
  const whyAnswers = [];
  const whyCalls = [];
  const fetch = async (url, init) => {
    whyCalls.push({ url, init });
    const answer = whyAnswers.shift() ?? { status: 200, body: { refused: false } };
    return { status: answer.status, ok: answer.status === 200, headers: new Map(Object.entries(answer.headers ?? {})),
      json: async () => answer.body };
  };
  return { sockets, whyAnswers, whyCalls, WebSocket: FakeSocket, fetch };
}

function client(browser, options = {}) {
  const events = [];
  const c = Goctopus.connect({
    url: "ws://push.test/", WebSocket: browser.WebSocket, fetch: browser.fetch, random: () => 0.5,
    onMessage: (payload, id) => events.push(["message", payload, id]),
    onOpen: () => events.push(["open"]),
    onClose: (code, reason) => events.push(["close", code, reason]),
    onError: (error) => events.push(["error", String(error)]),
    onUnauthorized: (status, reason) => events.push(["unauthorized", status, reason]),
    ...options
  });
  return { c, events };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

test("a message is handed over once and ACKed; a re-delivery is ACKed again without a second call", () => {
  const browser = fakeBrowser();
  const { c, events } = client(browser);
  const socket = browser.sockets[0];
  socket.opened();
  socket.message({ id: "1", payload: { n: 1 } });
  socket.message({ id: "1", payload: { n: 1 } });
  assert.deepEqual(events.filter((e) => e[0] === "message"), [["message", { n: 1 }, "1"]]);
  assert.deepEqual(socket.sent, [{ id: "1" }, { id: "1" }]);
  c.close();
});

test("a handler that throws gets no ACK and goes to onError; its re-delivery is handled again", () => {
  const browser = fakeBrowser();
  let fail = true;
  const { c, events } = client(browser, { onMessage: () => { if (fail) throw new Error("boom"); } });
  browser.sockets[0].opened();
  browser.sockets[0].message({ id: "1", payload: 1 });
  assert.deepEqual(browser.sockets[0].sent, []);
  assert.deepEqual(events.at(-1), ["error", "Error: boom"]);
  fail = false;
  browser.sockets[0].message({ id: "1", payload: 1 });
  assert.deepEqual(browser.sockets[0].sent, [{ id: "1" }]);
  c.close();
});

test("a promise: ACK once it resolves, none when it rejects", async () => {
  const browser = fakeBrowser();
  const resolvers = {};
  const { c, events } = client(browser, { onMessage: (p, id) => new Promise((ok, no) => { resolvers[id] = { ok, no }; }) });
  const socket = browser.sockets[0];
  socket.opened();
  socket.message({ id: "a", payload: 1 });
  socket.message({ id: "b", payload: 2 });
  socket.message({ id: "a", payload: 1 }); // while its handler works: not called twice
  assert.deepEqual(socket.sent, []);
  resolvers.a.ok();
  resolvers.b.no(new Error("later"));
  await settled();
  assert.deepEqual(socket.sent, [{ id: "a" }]);
  assert.deepEqual(events.at(-1), ["error", "Error: later"]);
  c.close();
});

test("every close code of the service after an open leads to a reconnect with backoff", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const browser = fakeBrowser();
    const delays = [];
    const { c, events } = client(browser, { onStateChange: (s, d) => s === "reconnecting" && delays.push(d.delay) });
    for (const code of [1000, 1001, 1006, 1009, 1011, 1013]) {
      const socket = browser.sockets.at(-1);
      socket.opened();
      socket.closed(code, "why not");
      assert.equal(c.state, "reconnecting", `after ${code}`);
      assert.deepEqual(events.at(-1), ["close", code, "why not"]);
      mock.timers.tick(250); // random 0.5 of the first bound, 500 ms: an open resets the attempts
    }
    assert.equal(browser.sockets.length, 7);
    assert.deepEqual(delays, [250, 250, 250, 250, 250, 250]);
    assert.equal(browser.whyCalls.length, 0, "no why call after an open connection closed");
    c.close();
  } finally {
    mock.timers.reset();
  }
});

test("a connect that never opened asks why: 401 stops for good and is reported", async () => {
  const browser = fakeBrowser();
  browser.whyAnswers.push({ status: 200, body: { refused: true, status: 401, error: "not logged in", retry_after: 0 } });
  const { c, events } = client(browser);
  browser.sockets[0].closed(1006);
  await settled();
  assert.equal(browser.whyCalls[0].url, "http://push.test/why");
  assert.equal(browser.whyCalls[0].init.credentials, "include");
  assert.equal(c.state, "unauthorized");
  assert.deepEqual(events.at(-1), ["unauthorized", 401, "not logged in"]);
  assert.equal(browser.sockets.length, 1);
});

test("503 and unknown failures back off with growing bounds; a 429 from the why endpoint waits its Retry-After", async () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const browser = fakeBrowser();
    const delays = [];
    const { c } = client(browser, { random: () => 0.999, onStateChange: (s, d) => s === "reconnecting" && delays.push(d.delay) });
    browser.whyAnswers.push({ status: 200, body: { refused: true, status: 503, error: "auth down", retry_after: 0 } });
    browser.whyAnswers.push({ status: 200, body: { refused: false } });
    browser.whyAnswers.push({ status: 429, headers: { "Retry-After": "7" } });
    for (let i = 0; i < 3; i++) {
      browser.sockets.at(-1).closed(1006);
      await settled();
      await settled();
      mock.timers.tick(10000);
    }
    assert.deepEqual(delays, [499, 999, 7000]);
    assert.equal(browser.sockets.length, 4);
    c.close();
  } finally {
    mock.timers.reset();
  }
});

test("close() stops for good: no reconnect, even when a why answer comes later", async () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const browser = fakeBrowser();
    const { c } = client(browser);
    browser.sockets[0].opened();
    c.close();
    assert.equal(browser.sockets[0].closedWith, 1000);
    assert.equal(c.state, "closed");
    const late = client(browser).c;
    browser.sockets.at(-1).closed(1006); // asks why
    late.close(); // before the answer
    await settled();
    await settled();
    mock.timers.tick(60000);
    assert.equal(browser.sockets.length, 2);
    assert.equal(late.state, "closed");
  } finally {
    mock.timers.reset();
  }
});
