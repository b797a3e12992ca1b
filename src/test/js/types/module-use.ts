// The README's module form, type-checked against goctopus.d.ts (ClientLogicTest runs tsc --noEmit).
import { connect, type Client, type State } from "goctopus";

const client: Client = connect({
  url: "wss://push.example.com/",
  onMessage: async (payload: unknown, id: string) => {
    console.log("received", id, payload);
  },
  onUnauthorized: (status: number, reason: string) => console.log("log in again", status, reason),
  onStateChange: (state: State, detail) => console.log(state, detail?.delay),
});
const state: State = client.state;
client.close();
export { state };
