import { parseArgs } from "node:util";
import { migrate, migrationStatus, SqlSessionStore } from "realtime-agent";
import { openSqlClient, storeConfigFromEnv, storeLocation } from "realtime-agent/runtime";

export const dbUsage = `rta db <command>   the session database: PostgreSQL with DATABASE_URL, else the embedded one (RTA_DATA_DIR, default .rta/db)
  rta db status [--json]             migrations run and still to run
  rta db migrate [--down N]          runs the migrations still to run (the server also does at start); --down N takes back the last N
  rta db cleanup --idle-days D       deletes sessions unused for D days (the server does it hourly with RTA_RETENTION_DAYS)
The embedded database is one process's: stop the server before using these on it.`;

export async function dbCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean" }, down: { type: "string" }, "idle-days": { type: "string" } },
  });
  const action = positionals[0];
  if (!["status", "migrate", "cleanup"].includes(action ?? "")) {
    process.stderr.write(`${dbUsage}\n`);
    return 2;
  }
  const config = storeConfigFromEnv();
  if (config.kind === "memory") {
    process.stderr.write("rta db: RTA_STORE=memory keeps no database.\n");
    return 2;
  }
  const client = await openSqlClient(config);
  try {
    if (action === "status") {
      const status = await migrationStatus(client);
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ database: storeLocation(config), ...status }, null, 2)}\n`);
      } else {
        process.stdout.write(`database: ${storeLocation(config)}\n`);
        for (const applied of status.applied)
          process.stdout.write(`  ran      ${applied.name}  (${applied.runOn.toISOString()})\n`);
        for (const pending of status.pending) process.stdout.write(`  pending  ${pending}\n`);
        if (status.applied.length + status.pending.length === 0) process.stdout.write("  no migrations\n");
      }
      return 0;
    }
    if (action === "migrate") {
      const down = values.down === undefined ? undefined : Number(values.down);
      if (down !== undefined && !(Number.isInteger(down) && down > 0)) {
        process.stderr.write(`rta db migrate: --down takes a positive whole number, got "${values.down}"\n`);
        return 2;
      }
      const ran = await migrate(client, down ? { direction: "down", count: down } : {});
      process.stdout.write(
        ran.length ? `${down ? "took back" : "ran"}: ${ran.join(", ")}\n` : "nothing to do: the schema is up to date\n",
      );
      return 0;
    }
    const days = Number(values["idle-days"]);
    if (!(days > 0)) {
      process.stderr.write("rta db cleanup: give --idle-days D (a positive number)\n");
      return 2;
    }
    await migrate(client);
    const store = new SqlSessionStore(client);
    const cutoff = new Date(Date.now() - days * 24 * 60 * 60 * 1000);
    let deleted = 0;
    for (;;) {
      const batch = await store.deleteIdleSince(cutoff, 1_000);
      deleted += batch.length;
      if (batch.length < 1_000) break;
    }
    process.stdout.write(`deleted ${deleted} session(s) unused since ${cutoff.toISOString()}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`rta db ${action}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await client.close();
  }
}
