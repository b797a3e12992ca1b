// The README's script-tag form: the global Goctopus, no import.
const pushClient = Goctopus.connect({
  onMessage(payload, id) {
    console.log("received", id, payload);
  },
  onClose(code, reason) {
    console.log("closed", code, reason);
  },
  onError(error) {
    console.error(error);
  },
  minDelay: 1000,
  dedupe: 500,
});
if (pushClient.state === "open") {
  pushClient.close();
}
