/*
 * The Goctopus browser client. It opens the push service's websocket, hands each
 * message to the application, acknowledges it once the application handled it, and
 * reconnects when the connection ends. Served by the service as /goctopus.js (a
 * classic script: the global `Goctopus`) and /goctopus.mjs (an ES module exporting
 * `connect`), with types in /goctopus.d.ts. The README ("For the frontend") is its
 * manual.
 */
var Goctopus = (function () {
  "use strict";

  var DEFAULTS = {
    minDelay: 500, // ms: the first reconnect waits up to this
    maxDelay: 30000, // ms: no wait is longer
    dedupe: 1000 // ids of handled messages remembered, to drop re-deliveries
  };

  var OPEN = 1;

  /**
   * Capped exponential backoff with full jitter: a random wait in
   * [0, min(maxDelay, minDelay * 2^attempt)), so that the clients of a restarted
   * service come back spread out instead of all at once.
   */
  function backoffDelay(attempt, minDelay, maxDelay, random) {
    var bound = Math.min(maxDelay, minDelay * Math.pow(2, Math.min(attempt, 30)));
    return Math.floor(random() * bound);
  }

  /** The last `capacity` ids added, oldest forgotten first. */
  function RecentIds(capacity) {
    this.capacity = capacity;
    this.ids = new Set();
  }
  RecentIds.prototype.has = function (id) {
    return this.ids.has(id);
  };
  RecentIds.prototype.add = function (id) {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      this.ids.delete(this.ids.values().next().value); // a Set iterates in insertion order
    }
  };
  Object.defineProperty(RecentIds.prototype, "size", {
    get: function () { return this.ids.size; }
  });

  /**
   * What to do once the why endpoint answered (null: it could not be asked): stop for
   * good when the upgrade was refused as unauthorized (401) or forbidden (403), which
   * retrying cannot change; otherwise retry, not sooner than a Retry-After it gave.
   */
  function afterRefusal(answer) {
    if (answer && answer.refused && (answer.status === 401 || answer.status === 403)) {
      return { stop: true, status: answer.status, reason: answer.error || "" };
    }
    var seconds = answer && answer.retry_after > 0 ? answer.retry_after : 0;
    return { stop: false, notBefore: seconds * 1000 };
  }

  /**
   * The why endpoint of a websocket URL: `why` beside its path (`/ctx/` and `/ctx/ws`
   * both give `/ctx/why`), over http(s), with the same query (it may name the client).
   */
  function whyUrl(wsUrl) {
    var url = new URL("why", wsUrl);
    url.protocol = url.protocol === "wss:" ? "https:" : "http:";
    url.search = new URL(wsUrl).search;
    return url.href;
  }

  /** The service's websocket at the base of the URL the script was loaded from. */
  function serviceUrl(scriptUrl) {
    if (!scriptUrl) {
      throw new Error("Goctopus.connect: no url given and no script URL to derive it from");
    }
    var url = new URL("./", scriptUrl);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.href;
  }

  function Client(options, scriptUrl) {
    if (!options || typeof options.onMessage !== "function") {
      throw new TypeError("Goctopus.connect: options.onMessage(payload, id) is required");
    }
    this.options = options;
    this.url = options.url || serviceUrl(scriptUrl);
    this.minDelay = options.minDelay > 0 ? options.minDelay : DEFAULTS.minDelay;
    this.maxDelay = options.maxDelay > 0 ? options.maxDelay : DEFAULTS.maxDelay;
    this.recent = new RecentIds(options.dedupe > 0 ? options.dedupe : DEFAULTS.dedupe);
    this.pending = new Set(); // ids whose handler's promise has not settled yet
    this.WebSocket = options.WebSocket || globalThis.WebSocket;
    this.fetch = options.fetch || (globalThis.fetch && globalThis.fetch.bind(globalThis));
    this.random = options.random || Math.random;
    this.attempt = 0;
    this.socket = null;
    this.timer = null;
    this.state = "connecting";
    this.open();
  }

  Client.prototype.setState = function (state, detail) {
    this.state = state;
    this.call("onStateChange", state, detail);
  };

  /** Calls one of the application's callbacks; one that throws is reported, never fatal. */
  Client.prototype.call = function (name) {
    var callback = this.options[name];
    if (typeof callback !== "function") {
      return;
    }
    try {
      callback.apply(this.options, Array.prototype.slice.call(arguments, 1));
    } catch (error) {
      if (name !== "onError") {
        this.call("onError", error);
      }
    }
  };

  Client.prototype.open = function () {
    var self = this;
    var opened = false;
    var socket;
    this.timer = null;
    this.setState("connecting");
    try {
      socket = new this.WebSocket(this.url);
    } catch (error) {
      this.call("onError", error);
      this.retry(0);
      return;
    }
    this.socket = socket;
    socket.onopen = function () {
      if (self.socket !== socket) {
        return;
      }
      opened = true;
      self.attempt = 0;
      self.setState("open");
      self.call("onOpen");
    };
    socket.onmessage = function (event) {
      if (self.socket === socket) {
        self.receive(event.data);
      }
    };
    socket.onclose = function (event) {
      if (self.socket !== socket) {
        return; // closed by close(), or replaced
      }
      self.socket = null;
      self.call("onClose", event.code, event.reason);
      if (opened) {
        // Every close code of the service (1000 read timeout, 1001 going away, 1009,
        // 1011, 1013 too slow) and a cut connection (1006) mean the same: reconnect,
        // nothing unacknowledged is lost.
        self.retry(0);
      } else {
        // Refused, or never reached: a browser sees 1006 either way, so ask why.
        self.askWhy();
      }
    };
  };

  Client.prototype.askWhy = function () {
    var self = this;
    if (!this.fetch) {
      this.retry(0);
      return;
    }
    this.fetch(whyUrl(this.url), { credentials: "include", cache: "no-store" })
      .then(function (response) {
        if (response.status === 429) {
          return { retry_after: Number(response.headers.get("Retry-After")) || 0 };
        }
        return response.ok ? response.json() : null;
      })
      .catch(function () {
        return null; // the service is unreachable: back off
      })
      .then(function (answer) {
        if (self.state === "closed") {
          return;
        }
        var next = afterRefusal(answer);
        if (next.stop) {
          self.setState("unauthorized", { status: next.status, reason: next.reason });
          self.call("onUnauthorized", next.status, next.reason);
        } else {
          self.retry(next.notBefore);
        }
      });
  };

  Client.prototype.retry = function (notBefore) {
    var self = this;
    if (this.state === "closed") {
      return;
    }
    var delay = Math.max(notBefore, backoffDelay(this.attempt, this.minDelay, this.maxDelay, this.random));
    this.attempt++;
    this.setState("reconnecting", { delay: delay, attempt: this.attempt });
    this.timer = setTimeout(function () {
      self.open();
    }, delay);
  };

  Client.prototype.receive = function (data) {
    var frame;
    try {
      frame = JSON.parse(data);
    } catch (error) {
      this.call("onError", new Error("not a Goctopus frame: " + String(data).slice(0, 100)));
      return;
    }
    var id = frame.id;
    if (this.recent.has(id)) {
      this.ack(id); // handled already: the earlier ACK was lost, so only ACK again
      return;
    }
    if (this.pending.has(id)) {
      return; // its handler is still working on the first delivery
    }
    var result;
    try {
      result = this.options.onMessage(frame.payload, id);
    } catch (error) {
      this.call("onError", error); // no ACK: it comes again after the next reconnect
      return;
    }
    if (result && typeof result.then === "function") {
      var self = this;
      this.pending.add(id);
      result.then(function () {
        self.pending.delete(id);
        self.handled(id);
      }, function (error) {
        self.pending.delete(id);
        self.call("onError", error);
      });
    } else {
      this.handled(id);
    }
  };

  Client.prototype.handled = function (id) {
    this.recent.add(id);
    this.ack(id);
  };

  /** On whichever connection is open: an ACK from any connection of the key counts. */
  Client.prototype.ack = function (id) {
    if (this.socket && this.socket.readyState === OPEN) {
      this.socket.send(JSON.stringify({ id: id }));
    }
  };

  /** Closes the connection and stops for good: no reconnect follows. */
  Client.prototype.close = function () {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    var socket = this.socket;
    this.socket = null;
    this.setState("closed");
    if (socket) {
      socket.close(1000);
    }
  };

  var api = {
    /** Connects now; see the README and goctopus.d.ts for the options. */
    connect: function (options) {
      return new Client(options, api.scriptUrl);
    },
    /** Where this script was loaded from: the default service. */
    scriptUrl: typeof document !== "undefined" && document.currentScript ? document.currentScript.src : null,
    /** The pure parts, for the client's own tests. */
    logic: { backoffDelay: backoffDelay, RecentIds: RecentIds, afterRefusal: afterRefusal, whyUrl: whyUrl,
      serviceUrl: serviceUrl, DEFAULTS: DEFAULTS }
  };
  return api;
})();

if (typeof module === "object" && module && module.exports) {
  module.exports = Goctopus; // Node, for the client's own tests
}
