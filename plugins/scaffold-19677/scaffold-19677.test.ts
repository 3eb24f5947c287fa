import { expect } from "vitest";
import { runPluginContract } from "realtime-agent/testing/contracts";
import { scaffold19677Plugin } from "./index.ts";

runPluginContract(scaffold19677Plugin, {
  config: { greeting: "Hi" },
  calls: [{ tool: "scaffold_19677", arguments: { name: "Ada" }, check: (result) => expect(result).toEqual({ message: "Hi, Ada!" }) }],
  // For a tool that waits on I/O, give a call that never finishes by itself (a loopback server that
  // never answers): the contract cancels the turn and checks that the tool stops.
  cancellableCall: { skip: "the greeting is computed at once: there is nothing to cancel" },
});
