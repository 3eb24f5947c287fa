import type { JsonSchema, ToolDefinition } from "../../contracts/model.ts";

/**
 * Compiles tool definitions into a GBNF grammar for a compact JSON list of calls, the format SmolLM2
 * was trained on: `[{"name": "tool", "arguments": {...}}, ...]`. Every string the grammar admits
 * parses as JSON and matches the tool's schema in shape (names, required keys, types, enums).
 * Understands the JSON Schema that zod emits and BFCL's dialect (`dict`, `float`, `tuple`, `any`).
 */
export function buildToolCallGrammar(
  tools: readonly ToolDefinition[],
  options: { maxCalls?: number; required?: boolean } = {},
): string {
  const builder = new GrammarBuilder();
  const call = builder.callRule(tools);
  const maxCalls = Math.max(1, options.maxCalls ?? 8);
  const more = `( ", " ${call} ){0,${maxCalls - 1}}`;
  // `required`: at least one call (the empty list `[]` is not allowed).
  return [
    `root ::= "[" ( ${call} ${more} )${options.required ? "" : "?"} "]"`,
    ...builder.rules,
    ...primitiveRules,
  ].join("\n");
}

/**
 * A grammar for one call object, `{"name": "tool", "arguments": {...}}`, the JSON Qwen2.5 writes
 * between `<tool_call>` and `</tool_call>`.
 */
export function buildToolCallObjectGrammar(tools: readonly ToolDefinition[]): string {
  const builder = new GrammarBuilder({ trailingComma: true });
  return [`root ::= ${builder.callRule(tools)}`, ...builder.rules, ...primitiveRules].join("\n");
}

/**
 * A grammar for the rest of one call once `{"name": "tool", "arguments": ` is written: the
 * arguments object and the call's closing `}`.
 */
export function buildToolArgumentsGrammar(tool: ToolDefinition): string {
  const builder = new GrammarBuilder({ trailingComma: true });
  const argumentsRule = builder.schemaRule(tool.inputSchema, `${sanitize(tool.name)}-arguments`);
  return [`root ::= ${argumentsRule} "}"`, ...builder.rules, ...primitiveRules].join("\n");
}

/** A grammar for one JSON value matching `schema` (structured output: judges, extractors). */
export function buildJsonValueGrammar(schema: JsonSchema): string {
  const builder = new GrammarBuilder();
  const rule = builder.schemaRule(schema, "answer");
  return [`root ::= ${rule}`, ...builder.rules, ...primitiveRules].join("\n");
}

// Strings stop at 160 characters: tool arguments are short, and a small model that starts to ramble
// inside a string would otherwise spend its whole token budget there.
const primitiveRules = [
  `string ::= "\\"" ( [^"\\\\\\x00-\\x1F<] | "\\\\" ["\\\\/bfnrt] ){0,160} "\\""`,
  `number ::= "-"? [0-9]{1,15} ( "." [0-9]{1,10} )?`,
  `integer ::= "-"? [0-9]{1,15}`,
  `boolean ::= "true" | "false"`,
  `null ::= "null"`,
  `value ::= string | number | boolean | null | array | object`,
  `array ::= "[" ( value ( ", " value ){0,15} )? "]"`,
  `object ::= "{" ( string ": " value ( ", " string ": " value ){0,15} )? "}"`,
];

class GrammarBuilder {
  readonly rules: string[] = [];
  readonly #names = new Set<string>();
  readonly #closing: string;

  /**
   * `trailingComma`: an object may end `, }` (read back with `parseCallJson`). A model that wants to
   * go on after a value, where the schema has no key left, would otherwise be held to the value's
   * own characters: "the factorial of 5, 10 and 15" came out as `"number": 510`, "15, 20 and 30
   * years" as `1520`. With the comma allowed the value ends where the model ends it, and the list's
   * other items go to calls of their own.
   */
  constructor(options: { trailingComma?: boolean } = {}) {
    this.#closing = options.trailingComma ? `","? "}"` : `"}"`;
  }

  addRule(baseName: string, body: string): string {
    let name = baseName;
    for (let index = 2; this.#names.has(name); index++) name = `${baseName}-${index}`;
    this.#names.add(name);
    this.rules.push(`${name} ::= ${body}`);
    return name;
  }

  /** One call to any of the tools, its arguments shaped by the tool's schema. */
  callRule(tools: readonly ToolDefinition[]): string {
    const callRules = tools.map((tool) => {
      const argumentsRule = this.schemaRule(tool.inputSchema, `${sanitize(tool.name)}-arguments`);
      return this.addRule(
        `${sanitize(tool.name)}-call`,
        `"{\\"name\\": " ${literal(JSON.stringify(tool.name))} ", \\"arguments\\": " ${argumentsRule} "}"`,
      );
    });
    return this.addRule("call", callRules.join(" | "));
  }

  schemaRule(schema: unknown, name: string, depth = 0): string {
    if (depth > 8 || typeof schema !== "object" || schema === null) return "value";
    const node = schema as JsonSchema;
    if ("const" in node) return this.addRule(name, literal(JSON.stringify(node.const)));
    if (Array.isArray(node.enum) && node.enum.length > 0) {
      return this.addRule(name, node.enum.map((option) => literal(JSON.stringify(option))).join(" | "));
    }
    const variants = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
    if (Array.isArray(variants) && variants.length > 0) {
      return this.addRule(
        name,
        variants.map((variant, index) => this.schemaRule(variant, `${name}-${index}`, depth + 1)).join(" | "),
      );
    }
    const types = Array.isArray(node.type) ? node.type : [node.type];
    const rules = types.map((type, index) =>
      this.#typeRule(String(type), node, types.length > 1 ? `${name}-${index}` : name, depth),
    );
    return rules.length === 1 ? rules[0]! : this.addRule(name, rules.join(" | "));
  }

  #typeRule(type: string, node: JsonSchema, name: string, depth: number): string {
    switch (type) {
      case "string": {
        const maxLength = typeof node.maxLength === "number" ? Math.max(0, Math.floor(node.maxLength)) : undefined;
        if (maxLength === undefined || maxLength >= 160) return "string";
        return this.addRule(name, `"\\"" ( [^"\\\\\\x00-\\x1F<] | "\\\\" ["\\\\/bfnrt] ){0,${maxLength}} "\\""`);
      }
      case "number":
      case "float":
      case "double":
        return "number";
      case "integer":
      case "int":
        return "integer";
      case "boolean":
      case "bool":
        return "boolean";
      case "null":
        return "null";
      case "array":
      case "tuple": {
        const items = node.items === undefined ? "value" : this.schemaRule(node.items, `${name}-item`, depth + 1);
        return this.addRule(name, `"[" ( ${items} ( ", " ${items} ){0,15} )? "]"`);
      }
      case "object":
      case "dict":
        return this.#objectRule(node, name, depth);
      default:
        return "value";
    }
  }

  #objectRule(node: JsonSchema, name: string, depth: number): string {
    const properties = (
      typeof node.properties === "object" && node.properties !== null ? node.properties : {}
    ) as Record<string, unknown>;
    const keys = Object.keys(properties);
    if (keys.length === 0) return "object";
    const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
    // Required keys first, in schema order, then each optional key may appear once, in order.
    const ordered = [...keys.filter((key) => required.has(key)), ...keys.filter((key) => !required.has(key))];
    const members = ordered.map((key, index) => ({
      key,
      required: required.has(key),
      rule: `${literal(JSON.stringify(key))} ": " ${this.schemaRule(properties[key], `${name}-${sanitize(key)}`, depth + 1)}`,
      index,
    }));
    const requiredMembers = members.filter((member) => member.required);
    const optionalMembers = members.filter((member) => !member.required);
    if (requiredMembers.length > 0) {
      const head = requiredMembers.map((member) => member.rule).join(` ", " `);
      const tail = optionalMembers.map((member) => `( ", " ${member.rule} )?`).join(" ");
      return this.addRule(name, `"{" ${head} ${tail} ${this.#closing}`);
    }
    // No required key: any in-order subset of the optional ones, commas only between members.
    const alternatives = optionalMembers.map((member, index) => {
      const rest = optionalMembers
        .slice(index + 1)
        .map((later) => `( ", " ${later.rule} )?`)
        .join(" ");
      return `${member.rule} ${rest}`;
    });
    return this.addRule(name, `"{" ( ( ${alternatives.join(" | ")} ) ${this.#closing} | "}" )`);
  }
}

function literal(text: string): string {
  return JSON.stringify(text);
}

function sanitize(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "tool"
  );
}

/** Parses a call the grammar admitted: JSON, where an object may end with a comma (`{"a": 1,}`). */
export function parseCallJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(withoutTrailingCommas(text));
  }
}

/** The text without commas that stand right before a `}` (white space between), outside strings. */
function withoutTrailingCommas(text: string): string {
  let result = "";
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (inString) {
      result += char;
      if (char === "\\") result += text[++index] ?? "";
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    if (char === "," && /^\s*\}/.test(text.slice(index + 1, index + 64))) continue;
    result += char;
  }
  return result;
}
