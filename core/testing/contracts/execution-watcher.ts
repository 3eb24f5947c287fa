import type { Plugin, Tool } from "../../contracts/tool.ts";

/** One run of a tool's own `execute` (or `executeBatch`), as the plugin contract observed it. */
export interface WatchedExecution {
  tool: string;
  /** Settles when the tool's own code settles: with its result, or with what it threw. */
  settlement: Promise<{ ok: true } | { ok: false; error: unknown }>;
}

/**
 * Wraps a plugin's tools so the contract can see each run of their code: whether the executor called
 * them at all (not for invalid input), and when their own work ends (after a cancelled turn). The
 * wrapped tools are otherwise the same objects: name, schemas, timeouts and hosts are unchanged.
 */
export class ExecutionWatcher {
  readonly executions: WatchedExecution[] = [];
  #onStart: ((execution: WatchedExecution) => void) | undefined;

  watch(plugin: Plugin): Plugin {
    const { tools } = plugin;
    return {
      ...plugin,
      tools: typeof tools === "function" ? (config: unknown) => this.#wrapAll(tools(config)) : this.#wrapAll(tools),
    };
  }

  /** Resolves with the next execution to start. */
  nextStart(): Promise<WatchedExecution> {
    return new Promise((resolve) => {
      this.#onStart = resolve;
    });
  }

  #wrapAll(tools: readonly Tool[]): readonly Tool[] {
    return Array.isArray(tools) ? tools.map((tool) => this.#wrap(tool)) : tools;
  }

  #wrap(tool: Tool): Tool {
    return {
      ...tool,
      execute: (input, context) => this.#track(tool.name, () => tool.execute(input, context)),
      ...(tool.executeBatch
        ? { executeBatch: (inputs, context) => this.#track(tool.name, () => tool.executeBatch!(inputs, context)) }
        : {}),
    };
  }

  #track<T>(name: string, work: () => T | Promise<T>): Promise<T> {
    const running = Promise.resolve().then(work);
    const execution: WatchedExecution = {
      tool: name,
      settlement: running.then(
        () => ({ ok: true }) as const,
        (error: unknown) => ({ ok: false, error }) as const,
      ),
    };
    this.executions.push(execution);
    const onStart = this.#onStart;
    this.#onStart = undefined;
    onStart?.(execution);
    return running;
  }
}
