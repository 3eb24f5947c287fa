import { PGlite } from "@electric-sql/pglite";
const dir = "/tmp/pgmem-dir";
if (process.argv[2] === "setup") {
  const db = await PGlite.create(dir);
  console.log(
    (await db.query("show shared_buffers")).rows,
    (await db.query("show work_mem")).rows,
    (await db.query("show wal_buffers")).rows,
  );
  if (process.argv[3]) await db.exec(`ALTER SYSTEM SET shared_buffers = '${process.argv[3]}'`);
  await db.close();
} else {
  const db = await PGlite.create(dir);
  console.log((await db.query("show shared_buffers")).rows);
  for (let i = 0; i < 500; i++) await db.query("select $1::text", ["x".repeat(1000)]);
  const m = process.memoryUsage();
  console.log("rss", (m.rss / 2 ** 20).toFixed(0), "external", (m.external / 2 ** 20).toFixed(0));
}
