/**
 * Contract suites, exported as `realtime-agent/testing/contracts`: the same vitest cases run against
 * every implementation of an interface. They import vitest, so they live apart from
 * `realtime-agent/testing`, which any code may import.
 */
export {
  runPluginContract,
  type PluginContractCall,
  type PluginContractOptions,
  type PluginUnderTest,
} from "./plugin.ts";
export { runProviderContract, type ProviderContractSubject } from "./provider.ts";
export { runRemoteProviderContract, type RemoteApiDialect } from "./remote-provider.ts";
export { runSessionStoreContract, type SessionStoreContractSubject } from "./session-store.ts";
export { runFeedbackStoreContract, type FeedbackStoreContractSubject } from "./feedback-store.ts";
export { runProfileStoreContract, type ProfileStoreContractSubject } from "./profile-store.ts";
