import { migrate, SqlSessionStore } from "realtime-agent";
import { openSqlClient, storeConfigFromEnv } from "realtime-agent/runtime";
import { casesFromFeedback, writeFeedbackCases } from "../../evals/suites/feedback/cases-from-feedback.ts";

/**
 * `rta eval feedback --from-feedback`: the ratings kept in the server's session database (as
 * `rta serve` opens it) become the feedback suite's cases, written to `file`.
 */
export async function feedbackCasesFromStore(
  file: string,
  since: string | undefined,
): Promise<{ approved: number; rejected: number }> {
  const sinceDate = since === undefined ? undefined : new Date(since);
  if (sinceDate && Number.isNaN(sinceDate.getTime()))
    throw new Error(`--since takes a date (2026-11-01), got "${since}".`);
  const config = storeConfigFromEnv();
  if (config.kind === "memory")
    throw new Error(
      "RTA_STORE=memory keeps no feedback once the server stops: use PostgreSQL or the embedded database.",
    );
  const client = await openSqlClient(config);
  try {
    await migrate(client);
    const cases = await casesFromFeedback(new SqlSessionStore(client), sinceDate ? { since: sinceDate } : {});
    // None found (a narrow --since, a new database): the cases saved before stay.
    if (cases.length) writeFeedbackCases(file, cases);
    return {
      approved: cases.filter((testCase) => testCase.category === "approved").length,
      rejected: cases.filter((testCase) => testCase.category === "rejected").length,
    };
  } finally {
    await client.close();
  }
}
