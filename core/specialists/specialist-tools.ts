import type { ToolDefinition } from "../contracts/model.ts";
import type { Tool } from "../contracts/tool.ts";
import { ToolRegistry } from "../tools/registry.ts";
import type { Specialist } from "./specialist.ts";

/**
 * The tools each specialist is offered, as registries kept per agent registry and specialist: the
 * tool routers cache their work by a registry's definitions, so the same specialist gets the same
 * registry turn after turn. A turn that may consult others gets one of its own, with their tools.
 */
export class SpecialistToolSets {
  /** Keyed by the registry's definitions: a registration makes a new array, and the sets are made again. */
  readonly #sets = new WeakMap<readonly ToolDefinition[], Map<string, ToolRegistry>>();

  forSpecialist(registry: ToolRegistry, specialist: Specialist, extra: readonly Tool[] = []): ToolRegistry {
    if (!specialist.tools && extra.length === 0) return registry;
    if (extra.length > 0) return subset(registry, specialist, extra);
    const key = registry.definitions();
    let sets = this.#sets.get(key);
    if (!sets) {
      sets = new Map();
      this.#sets.set(key, sets);
    }
    let set = sets.get(specialist.name);
    if (!set) {
      set = subset(registry, specialist, []);
      sets.set(specialist.name, set);
    }
    return set;
  }
}

function subset(registry: ToolRegistry, specialist: Specialist, extra: readonly Tool[]): ToolRegistry {
  const allowed = specialist.tools ? new Set(specialist.tools) : undefined;
  const tools = [
    ...registry
      .list()
      .map((entry) => entry.tool)
      .filter((tool) => !allowed || allowed.has(tool.name)),
    ...extra,
  ];
  const set = new ToolRegistry();
  // A specialist none of whose tools is registered answers without tools.
  return tools.length > 0 ? set.register({ name: `specialist-${specialist.name}`, version: "1.0.0", tools }) : set;
}
