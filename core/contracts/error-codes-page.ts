import { type ErrorCode, type ErrorCodeEntry, errorCodes } from "./error-codes.ts";

const intro = `# Error codes

<!-- Rendered from core/contracts/error-codes.ts by \`npm run docs:errors\`; a test fails when they differ. -->

Every error the platform reports carries one of these stable codes, a message and \`retryable\`
(whether the same request may succeed if tried again). The code alone fixes the rest of its row: whose
fault it is, whether it is retryable, the HTTP status the \`/v1\` API answers with when a turn fails with
it, and what happens to a WebSocket connection: most errors arrive as an \`error\` frame and the
connection stays open; a few close it with the status shown.`;

const outro = `Tool errors (\`TOOL_*\`) go back to the model as structured tool results, so the model can recover;
they reach clients inside \`tool_result\` frames, not as \`error\` frames. Plugin errors (\`PLUGIN_*\`) stop
the server from starting. A reserved code is raised by nothing yet; its row says why it is kept.`;

/** docs/errors.md, rendered from the error table. */
export function renderErrorCodesPage(): string {
  const header = ["code", "fault", "retryable", "HTTP", "WebSocket", "meaning"];
  const rows = (Object.entries(errorCodes) as [ErrorCode, ErrorCodeEntry][]).map(([code, entry]) => [
    `\`${code}\``,
    entry.fault,
    entry.retryable ? "yes" : "no",
    String(entry.httpStatus),
    entry.webSocketCloseCode === null ? "stays open" : `closes ${entry.webSocketCloseCode}`,
    entry.reserved ? `${entry.meaning} Reserved: ${entry.reserved}.` : entry.meaning,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  const table = [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)];
  return `${intro}\n\n${table.join("\n")}\n\n${outro}\n`;
}
