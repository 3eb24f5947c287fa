import { z } from "zod";
import { ProviderError } from "../../contracts/errors.ts";

const argumentsSchema = z.record(z.string(), z.unknown());

/** Parses the JSON arguments a remote model streamed for a tool call; empty means no arguments. */
export function parseToolArguments(providerId: string, toolName: string, json: string): Record<string, unknown> {
  if (json.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ProviderError("PROVIDER_FAILED", `${providerId}: the arguments for ${toolName} are not valid JSON.`);
  }
  const parsed = argumentsSchema.safeParse(value);
  if (!parsed.success)
    throw new ProviderError("PROVIDER_FAILED", `${providerId}: the arguments for ${toolName} are not a JSON object.`);
  return parsed.data;
}
